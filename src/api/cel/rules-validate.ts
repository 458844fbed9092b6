/**
 * @module
 * Running a schema's compiled rules over an object, walking the schema alongside the value as
 * upstream's Validator.Validate does (apiextensions-apiserver pkg/apiserver/schema/cel/validation.go):
 * each rule sees `self` (and `oldSelf` where the old value correlates — the same property of an
 * object, the same key of a granular map, the item with the same keys of a map-type list); a
 * transition rule runs only when there is an old value, unless optionalOldSelf; a false rule is an
 * error at its node (or its fieldPath) with its message, messageExpression or reason; and each
 * rule's cost is charged to the per-call limit and the request's budget. Errors of rules that do
 * not use oldSelf are ratcheted (CRDValidationRatcheting): on update, a value equal to its old value
 * (or, where it cannot be correlated, under an unchanged parent) only warns.
 */
import { type FieldError, fieldErrors, formatFieldError } from '../field-errors.js';
import { MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES } from './cost.js';
import { celEquals } from './library.js';
import { Optional, evaluate } from './engine.js';
import { appendSegments, childPath, keyPath, printPath } from './field-path.js';
import type { CompiledRule, NodeValidator, ValidationRule } from './rules-compile.js';
import { escapeName, schemaType } from './schema-types.js';

export interface Budget {
  remaining: number;
}

/** What one validation shares across nodes. */
export interface Run {
  readonly budget: Budget;
  readonly perCallLimit: number;
  /** Ratcheted errors, formatted, as upstream adds them as warnings. */
  readonly warnings: string[];
}

/** Whether a node's value is unchanged on update, computed only when an error asks. */
type Unchanged = () => boolean;

function memo(fn: () => boolean): Unchanged {
  let value: boolean | undefined;
  return () => (value ??= fn());
}

const NEVER: Unchanged = () => false;

const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';

/** Validates `value` (a CEL value) and its children; stops once the budget is spent (remaining < 0). */
export function validateNode(v: NodeValidator, path: string, value: unknown, old: unknown, run: Run, parentUnchanged: Unchanged = NEVER): FieldError[] {
  const budget = run.budget;
  if (value === null || value === undefined || budget.remaining < 0) return [];
  const unchanged = old === undefined || old === null ? parentUnchanged : memo(() => celEquals(value, old));
  const errors = validateRules(v, path, value, old, run, unchanged);
  if (budget.remaining < 0) return errors;
  for (const sub of v.allOf) {
    // allOf errors are not ratcheted (validation.go passes no current correlation).
    errors.push(...validateNode(sub, path, value, old, run, NEVER));
    if (budget.remaining < 0) return errors;
  }
  if (Array.isArray(value)) {
    if (v.items === undefined) return errors;
    const oldItems = Array.isArray(old) ? old : undefined;
    const keys = v.schema['x-kubernetes-list-type'] === 'map' ? listMapKeys(v.schema) : undefined;
    const oldByKey = keys === undefined || oldItems === undefined ? undefined : mapList(oldItems, keys);
    for (const [i, item] of value.entries()) {
      const key = oldByKey === undefined || keys === undefined ? undefined : keyOf(item, keys);
      const oldItem = key === undefined ? undefined : oldByKey?.get(key);
      errors.push(...validateNode(v.items, keyPath(path, i), item, oldItem, run, unchanged));
      if (budget.remaining < 0) return errors;
    }
    return errors;
  }
  if (typeof value !== 'object') return errors;
  const record = value as Readonly<Record<string, unknown>>;
  const correlatable = v.schema['x-kubernetes-map-type'] !== 'atomic';
  const oldRecord = correlatable && typeof old === 'object' && old !== null && !Array.isArray(old) ? (old as Readonly<Record<string, unknown>>) : undefined;
  if (v.additionalProperties !== undefined) {
    for (const [k, child] of Object.entries(record)) {
      errors.push(...validateNode(v.additionalProperties, keyPath(path, k), child, oldRecord?.[k], run, unchanged));
      if (budget.remaining < 0) return errors;
    }
  }
  for (const [name, { escaped, validator }] of v.properties) {
    if (!Object.hasOwn(record, escaped)) continue;
    errors.push(...validateNode(validator, childPath(path, name), record[escaped], oldRecord?.[escaped], run, unchanged));
    if (budget.remaining < 0) return errors;
  }
  return errors;
}

function listMapKeys(schema: Readonly<Record<string, unknown>>): string[] {
  const keys = schema['x-kubernetes-list-map-keys'];
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string').map((k) => escapeName(k) ?? k) : [];
}

/**
 * A map-type list's items by their key tuple, built once per list as upstream's MapList
 * (k8s.io/apiserver/pkg/cel/common/maplist.go), so correlating each new item with its old one is a
 * lookup rather than a scan. The first item with a key wins, as a linear search would find it.
 */
function mapList(items: readonly unknown[], keys: readonly string[]): Map<string, unknown> {
  const byKey = new Map<string, unknown>();
  for (const item of items) {
    const key = keyOf(item, keys);
    if (key !== undefined && !byKey.has(key)) byKey.set(key, item);
  }
  return byKey;
}

/**
 * The key tuple of a map-list item as a string; undefined for what is not an object. Key values are
 * scalars (strings, ints, booleans); a missing key is encoded apart from every value.
 */
function keyOf(item: unknown, keys: readonly string[]): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const record = item as Readonly<Record<string, unknown>>;
  return JSON.stringify(keys.map((k) => scalarKey(record[k])));
}

function scalarKey(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'bigint':
    case 'number':
      return `n${String(value)}`;
    case 'boolean':
      return `b${String(value)}`;
    case 'undefined':
      return 'u';
    default:
      return value === null ? 'z' : `o${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
  }
}

function ruleErrorString(rule: ValidationRule): string {
  return rule.message !== undefined && rule.message.trim() !== '' ? rule.message.trim() : rule.rule.trim();
}

function validateRules(v: NodeValidator, path: string, value: unknown, old: unknown, run: Run, unchanged: Unchanged): FieldError[] {
  const { budget, perCallLimit } = run;
  const errors: FieldError[] = [];
  if (v.rules.length === 0) return errors;
  const type = schemaType(v.schema);
  const at = printPath(path);
  if (budget.remaining <= 0) {
    budget.remaining = -1;
    return [fieldErrors.invalid(at, type, OUT_OF_BUDGET)];
  }
  const hasOld = old !== undefined && old !== null;
  const activation = { self: value, oldSelf: hasOld ? old : null };
  let optionalActivation: Readonly<Record<string, unknown>> | undefined;
  for (const rule of v.rules) {
    if (rule.program === undefined) continue;
    const optional = rule.source.optionalOldSelf === true;
    if (rule.usesOldSelf && !hasOld && !optional) continue;
    if (optional) optionalActivation ??= { self: value, oldSelf: hasOld ? Optional.of(old) : Optional.none() };
    // The messageExpression runs with the rule's own activation: oldSelf is optional in both.
    const ruleActivation = optional ? (optionalActivation ?? activation) : activation;
    const result = evaluate(rule.program, ruleActivation, perCallLimit);
    if (result.cost > budget.remaining) {
      budget.remaining = -1;
      errors.push(fieldErrors.invalid(at, type, OUT_OF_BUDGET));
      return errors;
    }
    budget.remaining -= result.cost;
    if (!result.ok) {
      if (result.costExceeded) {
        budget.remaining = -1;
        errors.push(fieldErrors.invalid(at, type, `'${result.message}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule.source)}`));
        return errors;
      }
      const detail = result.message.startsWith('no such overload')
        ? `'${result.message}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule.source)}`
        : `${result.message} evaluating rule: ${ruleErrorString(rule.source)}`;
      errors.push(fieldErrors.invalid(at, type, detail));
      continue;
    }
    if (result.value === true) continue;
    const fieldAt = printPath(appendSegments(path, rule.fieldPath));
    const message = messageFor(rule, ruleActivation, budget, perCallLimit, fieldAt, type);
    if (message.fatal !== undefined) {
      errors.push(message.fatal);
      return errors;
    }
    const error = errorForReason(rule.source, fieldAt, type, message.detail);
    if (!rule.usesOldSelf && unchanged()) run.warnings.push(formatFieldError(error));
    else errors.push(error);
  }
  return errors;
}

/** evalMessageExpression, falling back to the message (or `failed rule: ...`) as upstream does. */
function messageFor(
  rule: CompiledRule,
  activation: Readonly<Record<string, unknown>>,
  budget: Budget,
  perCallLimit: number,
  at: string,
  type: string,
): { readonly detail: string; readonly fatal?: FieldError } {
  const fallback = rule.source.message !== undefined && rule.source.message.trim() !== '' ? rule.source.message.trim() : `failed rule: ${ruleErrorString(rule.source)}`;
  if (rule.messageProgram === undefined) return { detail: fallback };
  const result = evaluate(rule.messageProgram, activation, perCallLimit);
  if (result.cost > budget.remaining) {
    budget.remaining = -1;
    return { detail: fallback, fatal: fieldErrors.invalid(at, type, 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run') };
  }
  budget.remaining -= result.cost;
  if (!result.ok && result.costExceeded) {
    budget.remaining = -1;
    const detail = `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(rule.source.messageExpression ?? '')}`;
    return { detail: fallback, fatal: fieldErrors.invalid(at, type, detail) };
  }
  if (!result.ok || typeof result.value !== 'string') return { detail: fallback };
  const trimmed = result.value.trim();
  if (trimmed === '' || trimmed.includes('\n') || new TextEncoder().encode(trimmed).length > MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES) return { detail: fallback };
  return { detail: trimmed };
}

/** fieldErrorForReason. */
function errorForReason(rule: ValidationRule, at: string, type: string, detail: string): FieldError {
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return fieldErrors.forbidden(at, detail);
    case 'FieldValueRequired':
      return fieldErrors.required(at, detail);
    case 'FieldValueDuplicate':
      return fieldErrors.duplicate(at, type);
    default:
      return fieldErrors.invalid(at, type, detail);
  }
}
