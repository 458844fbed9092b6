/**
 * @module
 * Small format checks pod validation uses in many places: ports (numbers and IANA service names),
 * relative paths inside a volume, file modes and IP addresses, with the messages of apimachinery
 * pkg/util/validation/validation.go (IsValidPortNum, IsValidPortName, InclusiveRangeError),
 * pkg/util/validation/ip.go and pkg/apis/core/validation/validation.go
 * (validateLocalDescendingPath, validatePathNoBacksteps, ValidateLocalNonReservedPath).
 */
import { isIP } from 'node:net';
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonValue } from '../../api/json.js';

/** validation.InclusiveRangeError. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** IsValidPortNum: 1 to 65535. */
export function validatePortNum(port: number, path: string): FieldError[] {
  return port >= 1 && port <= 65535 ? [] : [fieldErrors.invalid(path, port, inclusiveRangeError(1, 65535))];
}

/**
 * IsValidPortName: an IANA service name — at most 15 characters of [-a-z0-9], at least one
 * letter, no leading, trailing or doubled hyphen.
 */
export function isValidPortName(port: string): string[] {
  const errors: string[] = [];
  if (port.length > 15) errors.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errors.push('must not begin or end with a hyphen');
  return errors;
}

/**
 * ValidatePortNumOrName for an IntOrString port: a number is a port number, a string a port name
 * ("8080" as a string is a name, and not a valid one). Absent reads as the number 0.
 */
export function validatePortNumOrName(port: JsonValue | undefined, path: string): FieldError[] {
  if (port === undefined || port === null) return validatePortNum(0, path);
  if (typeof port === 'number') return validatePortNum(port, path);
  if (typeof port === 'string') return isValidPortName(port).map((msg) => fieldErrors.invalid(path, port, msg));
  return [{ type: 'InternalError', field: path, detail: 'unknown type: must be an integer or a string' }];
}

/** validatePathNoBacksteps: no ".." element (one error however many there are). */
export function noBackstepErrors(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [fieldErrors.invalid(path, target, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, and without "..". */
export function localDescendingPathErrors(target: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (target.startsWith('/')) errors.push(fieldErrors.invalid(path, target, 'must be a relative path'));
  errors.push(...noBackstepErrors(target, path));
  return errors;
}

/** ValidateLocalNonReservedPath: a descending path that does not start with "..". */
export function localNonReservedPathErrors(target: string, path: string): FieldError[] {
  const errors = localDescendingPathErrors(target, path);
  // "../x" was already reported as containing "..".
  if (target.startsWith('..') && !target.startsWith('../')) errors.push(fieldErrors.invalid(path, target, "must not start with '..'"));
  return errors;
}

/** A file mode between 0 and 0777. */
export function fileModeErrors(mode: number | undefined, path: string): FieldError[] {
  if (mode === undefined || (mode >= 0 && mode <= 0o777)) return [];
  return [fieldErrors.invalid(path, mode, 'must be a number between 0 and 0777 (octal), both inclusive')];
}

/** IsValidIP's parse errors: not an IP (zones are not IPs), leading zeros, IPv4-mapped IPv6. */
export function ipErrors(value: string, path: string): FieldError[] {
  // Dotted quads with leading zeros parse sloppily upstream and are then refused with their own message.
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value) && value.split('.').every((part) => Number(part) <= 255)) {
    return value.split('.').some((part) => part.length > 1 && part.startsWith('0')) ? [fieldErrors.invalid(path, value, 'must not have leading 0s')] : [];
  }
  if (isIP(value) === 0 || value.includes('%')) return [fieldErrors.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(value)) return [fieldErrors.invalid(path, value, 'must not be an IPv4-mapped IPv6 address')];
  return [];
}
