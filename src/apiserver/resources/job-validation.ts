/**
 * @module
 * The rules of a Job spec that Jobs and CronJob job templates share (pkg/apis/batch/validation
 * validateJobSpec): counts not negative, completion modes and their limits, per-index backoff,
 * managedBy, pod failure and success policies, pod replacement, the pod template, and a restart
 * policy of OnFailure or Never. Messages, paths and the order of checks are upstream's.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { isDNS1123Subdomain, isQualifiedName, regexError } from '../../api/validation/names.js';
import { numberAt, objectAt, objectsAt, present, specOf, stringAt } from './pod-json.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { templateOf, validateNonnegativeFields } from './workload-helpers.js';

/** An Indexed Job's parallelism cap (maxParallelismForIndexedJob), which bounds completedIndexes. */
const MAX_PARALLELISM_FOR_INDEXED_JOB = 100_000;
const MAX_FAILED_INDEXES_FOR_INDEXED_JOB = 100_000;
const COMPLETIONS_SOFT_LIMIT = 100_000;
const PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS = 10_000;
const MAX_POD_FAILURE_POLICY_RULES = 20;
const MAX_ON_EXIT_CODES_VALUES = 255;
const MAX_ON_POD_CONDITIONS_PATTERNS = 20;
const MAX_MANAGED_BY_LENGTH = 63;
const MAX_SUCCEEDED_INDEXES_LENGTH = 64 * 1024;
const MAX_SUCCESS_POLICY_RULES = 20;

/** The supported values, sorted as upstream lists them (sets.List). */
const FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const EXIT_CODE_OPERATORS = ['In', 'NotIn'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];

/** A Go `%q` of a string slice: `["a" "b"]`. */
const quotedList = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(' ')}]`;

/** validateJobSpec: everything about a Job spec except its selector. */
export function validateJobSpecCommon(spec: JsonObject, path: string): FieldError[] {
  const errors = validateNonnegativeFields(spec, path, ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']);
  const completions = numberAt(spec, 'completions');
  const parallelism = numberAt(spec, 'parallelism');
  const maxFailedIndexes = numberAt(spec, 'maxFailedIndexes');
  const backoffLimitPerIndex = numberAt(spec, 'backoffLimitPerIndex');
  if (maxFailedIndexes !== undefined) {
    errors.push(...validateNonnegativeFields(spec, path, ['maxFailedIndexes']));
    if (backoffLimitPerIndex === undefined) errors.push(fieldErrors.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (present(spec, 'managedBy')) errors.push(...validateManagedBy(stringAt(spec, 'managedBy'), `${path}.managedBy`));
  const mode = present(spec, 'completionMode') ? stringAt(spec, 'completionMode') : undefined;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
    errors.push(fieldErrors.notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  }
  if (mode === 'Indexed') {
    if (completions === undefined) errors.push(fieldErrors.required(`${path}.completions`, 'when completion mode is Indexed'));
    if (parallelism !== undefined && parallelism > MAX_PARALLELISM_FOR_INDEXED_JOB) {
      errors.push(fieldErrors.invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
    }
    if (completions !== undefined && maxFailedIndexes !== undefined && maxFailedIndexes > completions) {
      errors.push(fieldErrors.invalid(`${path}.maxFailedIndexes`, maxFailedIndexes, 'must be less than or equal to completions'));
    }
    if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES_FOR_INDEXED_JOB) {
      errors.push(fieldErrors.invalid(`${path}.maxFailedIndexes`, maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_FOR_INDEXED_JOB}`));
    }
    if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && backoffLimitPerIndex !== undefined) {
      const why = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
      if (maxFailedIndexes === undefined) {
        errors.push(fieldErrors.required(`${path}.maxFailedIndexes`, `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
      }
      if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS) {
        errors.push(fieldErrors.invalid(`${path}.parallelism`, parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_FOR_HIGH_COMPLETIONS} ${why}`));
      }
      if (maxFailedIndexes !== undefined && maxFailedIndexes > MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS) {
        errors.push(fieldErrors.invalid(`${path}.maxFailedIndexes`, maxFailedIndexes, `must be less than or equal to ${MAX_FAILED_INDEXES_LIMIT_FOR_HIGH_COMPLETIONS} ${why}`));
      }
    }
  }
  if (mode === undefined || mode === 'NonIndexed') {
    if (backoffLimitPerIndex !== undefined) errors.push(fieldErrors.invalid(`${path}.backoffLimitPerIndex`, backoffLimitPerIndex, 'requires indexed completion mode'));
    if (maxFailedIndexes !== undefined) errors.push(fieldErrors.invalid(`${path}.maxFailedIndexes`, maxFailedIndexes, 'requires indexed completion mode'));
  }
  const podFailurePolicy = objectAt(spec, 'podFailurePolicy');
  if (podFailurePolicy !== undefined) errors.push(...validatePodFailurePolicy(spec, podFailurePolicy, `${path}.podFailurePolicy`));
  const successPolicy = objectAt(spec, 'successPolicy');
  if (successPolicy !== undefined) {
    if (mode !== 'Indexed') errors.push(fieldErrors.invalid(`${path}.successPolicy`, successPolicy, 'requires indexed completion mode'));
    else errors.push(...validateSuccessPolicy(successPolicy, completions, `${path}.successPolicy`));
  }
  if (present(spec, 'podReplacementPolicy')) {
    const policy = stringAt(spec, 'podReplacementPolicy');
    // With a pod failure policy, a pod is only replaced once it has failed for good.
    const supported = podFailurePolicy !== undefined ? ['Failed'] : REPLACEMENT_POLICIES;
    if (!supported.includes(policy)) errors.push(fieldErrors.notSupported(`${path}.podReplacementPolicy`, policy, supported));
  }
  const template = templateOf(spec);
  errors.push(...validatePodTemplateSpec(template, `${path}.template`));
  errors.push(...validateJobRestartPolicy(stringAt(specOf(template), 'restartPolicy'), podFailurePolicy !== undefined, `${path}.template.spec.restartPolicy`));
  return errors;
}

/**
 * A Job's pods run to completion: OnFailure or Never. Always (which pod defaulting fills in when
 * the manifest says nothing) is reported as a missing value.
 */
function validateJobRestartPolicy(policy: string, hasPodFailurePolicy: boolean, path: string): FieldError[] {
  if (policy === 'Always' || policy === '') return [fieldErrors.required(path, 'valid values: "OnFailure", "Never"')];
  if (policy !== 'OnFailure' && policy !== 'Never') return [fieldErrors.notSupported(path, policy, ['OnFailure', 'Never'])];
  if (hasPodFailurePolicy && policy !== 'Never') return [fieldErrors.invalid(path, policy, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

/** IsDomainPrefixedPath, then the length limit of managedBy. */
function validateManagedBy(value: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const slash = value.indexOf('/');
  if (value === '') errors.push(fieldErrors.required(path, ''));
  else if (slash <= 0 || slash === value.length - 1) {
    errors.push(fieldErrors.invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")'));
  } else {
    const host = value.slice(0, slash);
    const rest = value.slice(slash + 1);
    for (const message of isDNS1123Subdomain(host)) errors.push(fieldErrors.invalid(path, host, message));
    if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest)) {
      errors.push(fieldErrors.invalid(path, rest, regexError('Invalid path', "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")));
    }
  }
  if (value.length > MAX_MANAGED_BY_LENGTH) errors.push(fieldErrors.tooLong(path, MAX_MANAGED_BY_LENGTH));
  return errors;
}

/** validatePodFailurePolicy and its rules. */
function validatePodFailurePolicy(spec: JsonObject, policy: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const rules = objectsAt(policy, 'rules');
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errors.push(fieldErrors.tooMany(`${path}.rules`, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const podSpec = specOf(templateOf(spec));
  const containerNames = new Set([...objectsAt(podSpec, 'containers'), ...objectsAt(podSpec, 'initContainers')].map((c) => stringAt(c, 'name')));
  rules.forEach((rule, index) => {
    const at = `${path}.rules[${index}]`;
    const action = stringAt(rule, 'action');
    if (action === '') errors.push(fieldErrors.required(`${at}.action`, `valid values: ${quotedList(FAILURE_ACTIONS)}`));
    else if (action === 'FailIndex') {
      if (!present(spec, 'backoffLimitPerIndex')) errors.push(fieldErrors.invalid(`${at}.action`, action, 'requires the backoffLimitPerIndex to be set'));
    } else if (!FAILURE_ACTIONS.includes(action)) errors.push(fieldErrors.notSupported(`${at}.action`, action, FAILURE_ACTIONS));
    const onExitCodes = objectAt(rule, 'onExitCodes');
    const onPodConditions = objectsAt(rule, 'onPodConditions');
    if (onExitCodes !== undefined) errors.push(...validateOnExitCodes(onExitCodes, containerNames, `${at}.onExitCodes`));
    if (onPodConditions.length > 0) errors.push(...validateOnPodConditions(onPodConditions, `${at}.onPodConditions`));
    if (onExitCodes !== undefined && onPodConditions.length > 0) {
      errors.push(fieldErrors.invalid(at, undefined, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    }
    if (onExitCodes === undefined && onPodConditions.length === 0) {
      errors.push(fieldErrors.invalid(at, undefined, 'specifying one of OnExitCodes and OnPodConditions is required'));
    }
  });
  return errors;
}

function validateOnExitCodes(requirement: JsonObject, containerNames: ReadonlySet<string>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const operator = stringAt(requirement, 'operator');
  if (operator === '') errors.push(fieldErrors.required(`${path}.operator`, `valid values: ${quotedList(EXIT_CODE_OPERATORS)}`));
  else if (!EXIT_CODE_OPERATORS.includes(operator)) errors.push(fieldErrors.notSupported(`${path}.operator`, operator, EXIT_CODE_OPERATORS));
  if (present(requirement, 'containerName') && !containerNames.has(stringAt(requirement, 'containerName'))) {
    errors.push(
      fieldErrors.invalid(`${path}.containerName`, stringAt(requirement, 'containerName'), 'must be one of the container or initContainer names in the pod template'),
    );
  }
  const values = Array.isArray(requirement.values) ? requirement.values.map((v) => (typeof v === 'number' ? v : 0)) : [];
  if (values.length === 0) errors.push(fieldErrors.invalid(`${path}.values`, values, 'at least one value is required'));
  else if (values.length > MAX_ON_EXIT_CODES_VALUES) errors.push(fieldErrors.tooMany(`${path}.values`, values.length, MAX_ON_EXIT_CODES_VALUES));
  const seen = new Set<number>();
  let ordered = true;
  values.forEach((value, index) => {
    if (operator === 'In' && value === 0) errors.push(fieldErrors.invalid(`${path}.values[${index}]`, value, 'must not be 0 for the In operator'));
    if (seen.has(value)) errors.push(fieldErrors.duplicate(`${path}.values[${index}]`, value));
    else seen.add(value);
    const previous = values[index - 1];
    if (previous !== undefined && previous > value) ordered = false;
  });
  if (!ordered) errors.push(fieldErrors.invalid(`${path}.values`, values, 'must be ordered'));
  return errors;
}

function validateOnPodConditions(patterns: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (patterns.length > MAX_ON_POD_CONDITIONS_PATTERNS) errors.push(fieldErrors.tooMany(path, patterns.length, MAX_ON_POD_CONDITIONS_PATTERNS));
  patterns.forEach((pattern, index) => {
    const at = `${path}[${index}]`;
    const type = stringAt(pattern, 'type');
    for (const message of isQualifiedName(type)) errors.push(fieldErrors.invalid(`${at}.type`, type, message));
    const status = stringAt(pattern, 'status');
    if (status === '') errors.push(fieldErrors.required(`${at}.status`, `valid values: ${quotedList(CONDITION_STATUSES)}`));
    else if (!CONDITION_STATUSES.includes(status)) errors.push(fieldErrors.notSupported(`${at}.status`, status, CONDITION_STATUSES));
  });
  return errors;
}

/** validateSuccessPolicy and validateSuccessPolicyRule (for Indexed Jobs only). */
function validateSuccessPolicy(policy: JsonObject, completions: number | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const rules = objectsAt(policy, 'rules');
  if (rules.length === 0) errors.push(fieldErrors.required(`${path}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) errors.push(fieldErrors.tooMany(`${path}.rules`, rules.length, MAX_SUCCESS_POLICY_RULES));
  rules.forEach((rule, index) => {
    const at = `${path}.rules[${index}]`;
    const hasIndexes = present(rule, 'succeededIndexes');
    const succeededCount = numberAt(rule, 'succeededCount');
    if (!hasIndexes && succeededCount === undefined) {
      errors.push(fieldErrors.required(at, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let total = 0;
    if (hasIndexes) {
      const indexes = stringAt(rule, 'succeededIndexes');
      if (indexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) errors.push(fieldErrors.tooLong(`${at}.succeededIndexes`, MAX_SUCCEEDED_INDEXES_LENGTH));
      // Upstream dereferences completions here; without it (already an error) nothing is compared.
      if (completions !== undefined) {
        const parsed = parseIndexes(indexes, completions);
        if (typeof parsed === 'string') errors.push(fieldErrors.invalid(`${at}.succeededIndexes`, indexes, `error parsing succeededIndexes: ${parsed}`));
        else total = parsed;
      }
    }
    if (succeededCount !== undefined) {
      errors.push(...validateNonnegativeFields(rule, at, ['succeededCount']));
      if (completions !== undefined && succeededCount > completions) {
        errors.push(fieldErrors.invalid(`${at}.succeededCount`, succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
      }
      if (hasIndexes && succeededCount > total) {
        errors.push(
          fieldErrors.invalid(`${at}.succeededCount`, succeededCount, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`),
        );
      }
    }
  });
  return errors;
}

/**
 * validateIndexesFormat: comma-separated indexes and `a-b` intervals in increasing order, each
 * below `completions`. Returns how many indexes the text names, or the error message.
 */
export function parseIndexes(text: string, completions: number): number | string {
  if (text === '') return 0;
  let last: number | undefined;
  let total = 0;
  for (const interval of text.split(',')) {
    const parsed = parseInterval(interval, completions);
    if (typeof parsed === 'string') return parsed;
    const [from, to] = parsed;
    if (last !== undefined && last >= from) return `non-increasing order, previous: ${last}, current: ${from}`;
    total += to - from + 1;
    last = to;
  }
  return total;
}

function parseInterval(text: string, completions: number): [number, number] | string {
  const limits = text.split('-');
  if (limits.length > 2) return `the fragment ${JSON.stringify(text)} violates the requirement that an index interval can have at most two parts separated by '-'`;
  const bounds: number[] = [];
  for (const limit of limits) {
    if (!/^[+-]?[0-9]+$/.test(limit)) return `cannot convert string to integer for index: ${JSON.stringify(limit)}`;
    if (Number(limit) >= completions) return `too large index: ${JSON.stringify(limit)}`;
    bounds.push(Number(limit));
  }
  const from = bounds[0] ?? 0;
  const to = bounds[1] ?? from;
  if (bounds.length > 1 && from >= to) return `non-increasing order, previous: ${from}, current: ${to}`;
  return [from, to];
}
