/**
 * @module
 * Validation pieces several kinds share.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { isJsonObject } from '../../api/json.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Keys of ConfigMap and Secret data: non-empty, at most 253 characters of alphanumerics, '-', '_'
 * or '.', and not "." or ".." (apimachinery validation IsConfigMapKey).
 */
export function validateConfigKeys(data: unknown, path: string): FieldError[] {
  if (!isJsonObject(data)) return [];
  const errors: FieldError[] = [];
  for (const key of Object.keys(data)) {
    const problems: string[] = [];
    if (key.length > 253) problems.push('must be no more than 253 characters');
    if (!CONFIG_KEY.test(key)) {
      problems.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }
    if (key === '.') problems.push("must not be '.'");
    if (key === '..') problems.push("must not be '..'");
    else if (key.startsWith('..')) problems.push("must not start with '..'");
    for (const problem of problems) errors.push(fieldErrors.invalid(`${path}[${key}]`, key, problem));
  }
  return errors;
}
