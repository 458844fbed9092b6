/**
 * @module
 * OpenAPI v3 value validation of a custom resource against its structural schema, with upstream's
 * messages: kube-openapi pkg/validation/validate (the schema, type, string, format, number, slice,
 * common and object validators, in that order) worded by pkg/validation/errors/schema.go, and turned
 * into field errors as apiextensions-apiserver pkg/apiserver/validation/validation.go
 * (kubeOpenAPIResultToFieldErrors) does:
 *
 * - a wrong type is TypeInvalid with the JSON type seen (`spec.replicas: Invalid value: "string":
 *   spec.replicas in body must be of type integer: "string"`), and so is a bad format;
 * - enum is NotSupported, required is Required, maxLength is TooLong, maxItems and maxProperties are
 *   TooMany; everything else is Invalid with kube-openapi's sentence;
 * - allOf/anyOf/oneOf/not failures are plain errors upstream, not validation errors, so they are
 *   reported on the `<nil>` field with an empty value, exactly as the API server words them.
 *
 * Paths are kube-openapi's: `spec.items[0].name` for items and `spec.map.key` for additionalProperties.
 *
 * On update the errors are ratcheted (CRDValidationRatcheting, on by default since 1.30;
 * apiextensions-apiserver pkg/apiserver/validation/ratcheting.go): each node is validated alongside
 * its correlated old value, and a node whose value equals that old value reports none of its
 * errors, its subtree's included (upstream turns them into warnings the handler does not surface).
 * Correlation follows k8s.io/apiserver pkg/cel/common/correlation.go as the CEL rules do: an
 * object's property (or additionalProperties key, unless x-kubernetes-map-type is atomic) with the
 * same name, a map-type list's item with the same keys; items of other lists only through their list.
 */
import { type FieldError, fieldErrors } from '../../../api/field-errors.js';
import { type JsonValue, isJsonObject, jsonEqual } from '../../../api/json.js';
import { matchesFormat } from './formats.js';
import { type FieldPath, child, renderPath } from './path.js';
import type { Structural } from './structural.js';

const IN = 'body';

/** The old value a node is correlated with on update; undefined on create, or where none correlates. */
export type OldValue = { readonly value: JsonValue } | undefined;

/**
 * Field errors of `value` (a whole custom resource, or any value at `path`) against `schema`; given
 * the `old` value of an update, errors of values unchanged from it are ratcheted away.
 */
export function validateAgainstSchema(value: JsonValue, schema: Structural, path: FieldPath = undefined, old: OldValue = undefined): FieldError[] {
  const errors: FieldError[] = [];
  validate(value, schema, path, errors, old);
  return errors;
}

function validate(value: JsonValue, schema: Structural, path: FieldPath, errors: FieldError[], old: OldValue): void {
  if (old === undefined) {
    validateNode(value, schema, path, errors, undefined);
    return;
  }
  // Equality is looked at only when the node has errors, as ratcheting.go's CachedDeepEqual.
  const own: FieldError[] = [];
  validateNode(value, schema, path, own, old.value);
  if (own.length > 0 && !jsonEqual(old.value, value)) errors.push(...own);
}

function validateNode(value: JsonValue, schema: Structural, path: FieldPath, errors: FieldError[], old: JsonValue | undefined): void {
  if (value === null) {
    // Only the type and enum validators look at a null (SchemaValidator.Validate's early exit).
    const types = typesOf(schema);
    if (types.length > 0 && !schema.nullable) errors.push(typeError(path, types.join(','), 'null'));
    validateEnum(value, schema, path, errors);
    return;
  }
  const actual = jsonTypeOf(value);
  const types = typesOf(schema);
  if (types.length > 0 && !types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
    errors.push(typeError(path, types.join(','), actual));
    return;
  }
  validateJunctors(value, schema, path, errors);
  const v = schema.validation;
  if (typeof value === 'string') {
    if (v.maxLength !== undefined || v.minLength !== undefined) {
      const length = codePoints(value);
      if (v.maxLength !== undefined && length > v.maxLength) errors.push(fieldErrors.tooLong(name(path), v.maxLength));
      if (v.minLength !== undefined && length < v.minLength) errors.push(invalid(path, value, `should be at least ${v.minLength} chars long`));
    }
    if (v.pattern !== undefined && !v.pattern.test(value)) errors.push(invalid(path, value, `should match '${v.pattern.source}'`));
    if (v.format !== undefined && !matchesFormat(v.format, value)) {
      errors.push(fieldErrors.typeInvalid(name(path), value, `${name(path)} in ${IN} must be of type ${v.format}: ${JSON.stringify(value)}`));
    }
  } else if (typeof value === 'number') {
    validateNumber(value, schema, path, errors);
  } else if (Array.isArray(value)) {
    if (schema.items !== undefined) {
      const oldItems = correlatedItems(schema, old);
      for (let i = 0; i < value.length; i++) {
        const item = value[i] as JsonValue;
        validate(item, schema.items, child(path, i), errors, oldItems?.(item));
      }
    }
    if (v.minItems !== undefined && value.length < v.minItems) errors.push(invalid(path, value.length, `should have at least ${v.minItems} items`));
    if (v.maxItems !== undefined && value.length > v.maxItems) errors.push(fieldErrors.tooMany(name(path), value.length, v.maxItems));
    if (v.uniqueItems && hasDuplicates(value)) errors.push(invalid(path, '', `shouldn't contain duplicates`));
  }
  validateEnum(value, schema, path, errors);
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (v.minProperties !== undefined && keys.length < v.minProperties) {
      errors.push(invalid(path, v.minProperties, `should have at least ${v.minProperties} properties`));
    }
    if (v.maxProperties !== undefined && keys.length > v.maxProperties) errors.push(fieldErrors.tooMany(name(path), keys.length, v.maxProperties));
    const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    const oldObject = old !== undefined && isJsonObject(old) && schema.mapType !== 'atomic' ? old : undefined;
    for (const key of keys) {
      const property = schema.properties.get(key);
      const oldValue: OldValue = oldObject !== undefined && Object.hasOwn(oldObject, key) ? { value: oldObject[key] as JsonValue } : undefined;
      if (property !== undefined) validate(value[key] as JsonValue, property, child(path, key), errors, oldValue);
      else if (additional !== undefined) validate(value[key] as JsonValue, additional, child(path, key), errors, oldValue);
      else if (schema.additionalProperties === false && !schema.preserveUnknownFields) {
        errors.push(invalid(path, key, `${name(path)}.${key} in ${IN} is a forbidden property`, true));
      }
    }
    for (const key of v.required) {
      if (!Object.hasOwn(value, key)) errors.push(fieldErrors.required(name(child(path, key))));
    }
  }
}

/**
 * How a list's new items find their old ones: by their keys in a map-type list (the first old item
 * with a key wins); undefined for other lists, whose items correlate with nothing.
 */
function correlatedItems(schema: Structural, old: JsonValue | undefined): ((item: JsonValue) => OldValue) | undefined {
  if (schema.listType !== 'map' || old === undefined || !Array.isArray(old) || schema.listMapKeys.length === 0) return undefined;
  const keyOf = (item: JsonValue): string | undefined =>
    isJsonObject(item) ? JSON.stringify(schema.listMapKeys.map((key) => (Object.hasOwn(item, key) ? item[key] : null))) : undefined;
  const byKey = new Map<string, JsonValue>();
  for (const item of old) {
    const key = keyOf(item);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, item);
  }
  return (item) => {
    const key = keyOf(item);
    const found = key === undefined ? undefined : byKey.get(key);
    return found === undefined ? undefined : { value: found };
  };
}

function validateNumber(value: number, schema: Structural, path: FieldPath, errors: FieldError[]): void {
  const v = schema.validation;
  if (v.multipleOf !== undefined && v.multipleOf > 0) {
    const quotient = value / v.multipleOf;
    if (Math.abs(quotient - Math.round(quotient)) > 1e-9) errors.push(invalid(path, value, `should be a multiple of ${goNumber(v.multipleOf)}`));
  }
  if (v.maximum !== undefined && (v.exclusiveMaximum ? value >= v.maximum : value > v.maximum)) {
    errors.push(invalid(path, value, `should be less than ${v.exclusiveMaximum ? '' : 'or equal to '}${goNumber(v.maximum)}`));
  }
  if (v.minimum !== undefined && (v.exclusiveMinimum ? value <= v.minimum : value < v.minimum)) {
    errors.push(invalid(path, value, `should be greater than ${v.exclusiveMinimum ? '' : 'or equal to '}${goNumber(v.minimum)}`));
  }
}

function validateEnum(value: JsonValue, schema: Structural, path: FieldPath, errors: FieldError[]): void {
  const allowed = schema.validation.enum;
  if (allowed === undefined || allowed.length === 0) return;
  if (allowed.some((candidate) => jsonEqual(candidate, value))) return;
  const supported = allowed.map((candidate) => (typeof candidate === 'string' ? candidate : JSON.stringify(candidate)));
  errors.push(fieldErrors.notSupported(name(path), value, supported));
}

/** allOf, anyOf, oneOf and not (schemaPropsValidator), worded as kube-openapi's validate/messages.go. */
function validateJunctors(value: JsonValue, schema: Structural, path: FieldPath, errors: FieldError[]): void {
  const v = schema.validation;
  if (v.allOf.length === 0 && v.anyOf.length === 0 && v.oneOf.length === 0 && v.not === undefined) return;
  const quoted = JSON.stringify(name(path));
  if (v.allOf.length > 0) {
    let valid = 0;
    for (const sub of v.allOf) {
      const inner = validateAgainstSchema(value, sub, path);
      if (inner.length === 0) valid++;
      errors.push(...inner);
    }
    if (valid !== v.allOf.length) errors.push(junctorError(`${quoted} must validate all the schemas (allOf)${valid === 0 ? '. None validated' : ''}`));
  }
  if (v.anyOf.length > 0 && !v.anyOf.some((sub) => validateAgainstSchema(value, sub, path).length === 0)) {
    errors.push(junctorError(`${quoted} must validate at least one schema (anyOf)`));
  }
  if (v.oneOf.length > 0) {
    const valid = v.oneOf.filter((sub) => validateAgainstSchema(value, sub, path).length === 0).length;
    if (valid !== 1) {
      const found = valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`;
      errors.push(junctorError(`${quoted} must validate one and only one schema (oneOf). ${found}`));
    }
  }
  if (v.not !== undefined && validateAgainstSchema(value, v.not, path).length === 0) {
    errors.push(junctorError(`${quoted} must not validate the schema (not)`));
  }
}

/** The length of `text` in Unicode code points, as Go's utf8.RuneCountInString counts it. */
function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point in two UTF-16 units.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** Junctor failures are not openapierrors.Validation upstream: field.Invalid(nil path, "", message). */
function junctorError(message: string): FieldError {
  return fieldErrors.invalid('<nil>', '', message);
}

function typesOf(schema: Structural): string[] {
  if (schema.intOrString) return ['integer', 'string'];
  return schema.type === undefined ? [] : [schema.type];
}

function typeError(path: FieldPath, expected: string, actual: string): FieldError {
  return fieldErrors.typeInvalid(name(path), actual, `${name(path)} in ${IN} must be of type ${expected}: ${JSON.stringify(actual)}`);
}

/** field.Invalid with kube-openapi's sentence `<path> in body <detail>` (or a whole sentence). */
function invalid(path: FieldPath, value: JsonValue, detail: string, whole = false): FieldError {
  return fieldErrors.invalid(name(path), value, whole ? detail : `${name(path)} in ${IN} ${detail}`);
}

function name(path: FieldPath): string {
  return renderPath(path);
}

/** The JSON type kube-openapi names a decoded value by (int64 → integer, float64 → number). */
export function jsonTypeOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Go's %v of a float64: integral values without a fraction, large ones in exponent form. */
function goNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  const text = String(value);
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

function hasDuplicates(items: readonly JsonValue[]): boolean {
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) if (jsonEqual(items[i], items[j])) return true;
  }
  return false;
}
