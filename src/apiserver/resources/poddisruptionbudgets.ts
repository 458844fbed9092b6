/**
 * @module
 * policy/v1 PodDisruptionBudgets: how many pods of a set evictions may take down at once. The
 * budget is minAvailable or maxUnavailable (never both), each a non-negative number or a percentage
 * up to 100% (pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec); the disruption controller
 * reports through `/status`, whose counts may not be negative and whose conditions follow the usual
 * rules (ValidatePodDisruptionBudgetStatusUpdate). A new budget starts with zero counts, as upstream's
 * empty status serializes. `kubectl get pdb` shows NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED
 * DISRUPTIONS AGE (printers.go printPodDisruptionBudget).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, isJsonObject } from '../../api/json.js';
import { isQualifiedName, isValidLabelValue, regexError } from '../../api/validation/names.js';
import { IS_NEGATIVE_ERROR_MSG, validateLabelName, validateLabels } from '../../api/validation/object-meta.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { text } from '../../api/json-values.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];
const STATUS_COUNTS = ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'];
const REASON_FORMAT = '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?';
const REASON_MESSAGE =
  "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'";
const MAX_REASON_LENGTH = 1024;
const MAX_MESSAGE_LENGTH = 32768;

export const POD_DISRUPTION_BUDGETS = defineResource({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  resource: 'poddisruptionbudgets',
  namespaced: true,
  schema: 'io.k8s.api.policy.v1.PodDisruptionBudget',
  shortNames: ['pdb'],
  statusSubresource: true,
  tracksGeneration: true,
  strategy: {
    prepareForCreate: (object) => {
      object.status = Object.fromEntries(STATUS_COUNTS.map((key) => [key, 0]));
    },
    validate: (object) => validatePodDisruptionBudgetSpec(getObject(object, 'spec') ?? {}),
    validateUpdate: (object, _old, context) =>
      context.subresource === 'status'
        ? validatePodDisruptionBudgetStatus(getObject(object, 'status') ?? {})
        : validatePodDisruptionBudgetSpec(getObject(object, 'spec') ?? {}),
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Min Available', type: 'string', description: 'The minimum number of pods that must be available.', priority: 0 },
      { name: 'Max Unavailable', type: 'string', description: 'The maximum number of pods that may be unavailable.', priority: 0 },
      { name: 'Allowed Disruptions', type: 'integer', description: 'Calculated number of pods that may be disrupted at this time.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => {
      const spec = getObject(object, 'spec') ?? {};
      const allowed = getObject(object, 'status')?.disruptionsAllowed;
      return [nameOf(object), intOrString(spec.minAvailable), intOrString(spec.maxUnavailable), typeof allowed === 'number' ? allowed : 0, age(object, now)];
    },
  },
});

/** ValidatePodDisruptionBudgetSpec. */
export function validatePodDisruptionBudgetSpec(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errors.push(fieldErrors.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable']) {
    const value = spec[key];
    if (value !== undefined) errors.push(...validatePositiveIntOrPercent(value, `spec.${key}`));
  }
  errors.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (typeof policy === 'string' && !EVICTION_POLICIES.includes(policy)) {
    errors.push(fieldErrors.notSupported('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
  }
  return errors;
}

/** ValidatePositiveIntOrPercent and IsNotMoreThan100Percent (apps validation). */
function validatePositiveIntOrPercent(value: JsonValue, path: string): FieldError[] {
  if (typeof value === 'number') return value < 0 ? [fieldErrors.invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
  if (typeof value !== 'string') return [fieldErrors.invalid(path, value, "must be an integer or percentage (e.g '5%')")];
  if (!/^[0-9]+%$/.test(value)) {
    return [fieldErrors.invalid(path, value, regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'))];
  }
  return Number(value.slice(0, -1)) > 100 ? [fieldErrors.invalid(path, value, 'must not be greater than 100%')] : [];
}

/** metav1 validation ValidateLabelSelector (invalid label values in selectors are not allowed). */
export function validateLabelSelector(selector: JsonValue | undefined, path: string): FieldError[] {
  if (!isJsonObject(selector)) return [];
  const errors: FieldError[] = [];
  if (isJsonObject(selector.matchLabels)) {
    const labels = new Map(Object.entries(selector.matchLabels).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
    errors.push(...validateLabels(labels, `${path}.matchLabels`));
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isJsonObject) : [];
  for (const [i, expression] of expressions.entries()) {
    const at = `${path}.matchExpressions[${i}]`;
    const operator = typeof expression.operator === 'string' ? expression.operator : '';
    const values = Array.isArray(expression.values) ? expression.values.filter((v): v is string => typeof v === 'string') : [];
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) errors.push(fieldErrors.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) errors.push(fieldErrors.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errors.push(fieldErrors.invalid(`${at}.operator`, operator, 'not a valid selector operator'));
    }
    errors.push(...validateLabelName(typeof expression.key === 'string' ? expression.key : '', `${at}.key`));
    for (const [j, value] of values.entries()) {
      for (const msg of isValidLabelValue(value)) errors.push(fieldErrors.invalid(`${at}.values[${j}]`, value, msg));
    }
  }
  return errors;
}

/** ValidatePodDisruptionBudgetStatusUpdate (policy/v1): valid conditions and non-negative counts. */
export function validatePodDisruptionBudgetStatus(status: JsonObject): FieldError[] {
  const errors = validateConditions(status.conditions, 'status.conditions');
  for (const key of STATUS_COUNTS) {
    const value = status[key];
    if (typeof value === 'number' && value < 0) errors.push(fieldErrors.invalid(`status.${key}`, value, IS_NEGATIVE_ERROR_MSG));
  }
  return errors;
}

/** metav1 validation ValidateConditions and ValidateCondition. */
function validateConditions(value: JsonValue | undefined, path: string): FieldError[] {
  const conditions = Array.isArray(value) ? value.filter(isJsonObject) : [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, condition] of conditions.entries()) {
    const at = `${path}[${i}]`;
    const type = text(condition.type);
    if (seen.has(type)) errors.push(fieldErrors.duplicate(`${at}.type`, type));
    seen.add(type);
    errors.push(...isQualifiedName(type).map((msg) => fieldErrors.invalid(`${at}.type`, type, msg)));
    const status = text(condition.status);
    if (!CONDITION_STATUSES.includes(status)) errors.push(fieldErrors.notSupported(`${at}.status`, status, CONDITION_STATUSES));
    const generation = condition.observedGeneration;
    if (typeof generation === 'number' && generation < 0) {
      errors.push(fieldErrors.invalid(`${at}.observedGeneration`, generation, 'must be greater than or equal to zero'));
    }
    if (text(condition.lastTransitionTime) === '') errors.push(fieldErrors.required(`${at}.lastTransitionTime`, 'must be set'));
    const reason = text(condition.reason);
    if (reason === '') errors.push(fieldErrors.required(`${at}.reason`, 'must be set'));
    else {
      if (!new RegExp(`^${REASON_FORMAT}$`).test(reason)) {
        errors.push(fieldErrors.invalid(`${at}.reason`, reason, regexError(REASON_MESSAGE, REASON_FORMAT, 'ReasonA', 'ReasonA,ReasonB', 'ReasonA:ReasonB')));
      }
      if (reason.length > MAX_REASON_LENGTH) errors.push(fieldErrors.tooLong(`${at}.reason`, MAX_REASON_LENGTH));
    }
    if (text(condition.message).length > MAX_MESSAGE_LENGTH) errors.push(fieldErrors.tooLong(`${at}.message`, MAX_MESSAGE_LENGTH));
  }
  return errors;
}

/** intstr String(), or "N/A" when unset. */
function intOrString(value: JsonValue | undefined): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value : 'N/A';
}

