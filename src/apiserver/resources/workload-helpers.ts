/**
 * @module
 * What the workload kinds (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs)
 * share: label selector validation and conversion, the selector-must-match-template rule,
 * int-or-percent fields of rolling updates, semantic equality for immutable fields, and the
 * CONTAINERS / IMAGES / SELECTOR columns every workload prints with `-o wide`.
 *
 * Follows apimachinery pkg/apis/meta/v1/validation (ValidateLabelSelector), pkg/apis/apps/validation
 * (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent, ValidatePodTemplateSpecForReplicaSet),
 * pkg/apis/core/validation (ValidateNonnegativeField, ValidateImmutableField, IsDecremented) and
 * pkg/printers/internalversion/printers.go (layoutContainerCells, FormatLabelSelector).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { type LabelSelector, LabelSelectorError, type MetaLabelSelector, labelSelectorString, selectorFromLabelSelector } from '../../api/labels.js';
import { isDNS1123Label, isValidLabelValue, regexError } from '../../api/validation/names.js';
import { FIELD_IMMUTABLE_ERROR_MSG, IS_NEGATIVE_ERROR_MSG, validateLabelName, validateLabels } from '../../api/validation/object-meta.js';
import { metaString } from '../registry/object-meta.js';
import type { TableColumn } from '../registry/resource-definition.js';
import { metaOf, numberAt, objectAt, objectsAt, present, specOf, stringAt, stringMapAt } from './pod-json.js';
import { validatePodTemplateSpec } from './pod-validation.js';

// ---------------------------------------------------------------------------------------------
// Defaulting.

/** Sets `key` when it is absent or null (a nil pointer in Go). */
export function defaultValue(object: JsonObject, key: string, value: JsonValue): void {
  if (object[key] === undefined || object[key] === null) object[key] = value;
}

/** Sets a string `key` when it is absent, null or empty (Go's `== ""` checks on enums). */
export function defaultString(object: JsonObject, key: string, value: string): void {
  if (stringAt(object, key) === '') object[key] = value;
}

// ---------------------------------------------------------------------------------------------
// Plain field rules.

/** ValidateNonnegativeField, for a field that is present; absent fields (nil pointers) pass. */
export function validateNonnegative(object: JsonObject, key: string, path: string): FieldError[] {
  const value = numberAt(object, key);
  return value !== undefined && value < 0 ? [fieldErrors.invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** ValidateNonnegativeField for each of `keys` of `object`, at `path.key`. */
export function validateNonnegativeFields(object: JsonObject, path: string, keys: readonly string[]): FieldError[] {
  return keys.flatMap((key) => validateNonnegative(object, key, `${path}.${key}`));
}

/**
 * apiequality.Semantic.DeepEqual as it behaves on decoded JSON: null, absent, empty lists and
 * empty maps are all the zero value, and key order does not matter.
 */
export function semanticEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const zeroA = isZero(a);
  const zeroB = isZero(b);
  if (zeroA || zeroB) return zeroA && zeroB;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => semanticEqual(item, b[i]));
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => semanticEqual(a[key], b[key]));
  }
  return a === b;
}

function isZero(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

/** ValidateImmutableField: "field is immutable", showing the new value. */
export function validateImmutable(now: JsonValue | undefined, before: JsonValue | undefined, path: string): FieldError[] {
  return semanticEqual(now, before) ? [] : [fieldErrors.invalid(path, now ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

/** IsDecremented for an optional counter (collisionCount): removing it counts as decrementing. */
export function isDecremented(now: number | undefined, before: number | undefined): boolean {
  if (now === undefined) return before !== undefined;
  return before !== undefined && now < before;
}

/** Status counters that may not exceed `status.replicas` (ValidateReplicaSetStatus and friends). */
export function validateNotAboveReplicas(status: JsonObject, path: string, keys: readonly string[]): FieldError[] {
  const replicas = numberAt(status, 'replicas') ?? 0;
  return keys.flatMap((key) => {
    const value = numberAt(status, key) ?? 0;
    return value > replicas ? [fieldErrors.invalid(`${path}.${key}`, value, 'cannot be greater than status.replicas')] : [];
  });
}

/** The collisionCount of a status update may not go down ("cannot be decremented"). */
export function validateCollisionCount(status: JsonObject, oldStatus: JsonObject): FieldError[] {
  const now = numberAt(status, 'collisionCount');
  if (!isDecremented(now, numberAt(oldStatus, 'collisionCount'))) return [];
  return [fieldErrors.invalid('status.collisionCount', now ?? 0, 'cannot be decremented')];
}

// ---------------------------------------------------------------------------------------------
// Label selectors.

/** A metav1.LabelSelector read from JSON, or undefined for a nil selector (absent, null, not an object). */
export function metaSelectorOf(value: JsonValue | undefined): MetaLabelSelector | undefined {
  if (!isJsonObject(value)) return undefined;
  const matchLabels: Record<string, string> = {};
  if (isJsonObject(value.matchLabels)) {
    for (const [key, label] of Object.entries(value.matchLabels)) matchLabels[key] = typeof label === 'string' ? label : '';
  }
  const matchExpressions = objectsAt(value, 'matchExpressions').map((expression) => ({
    key: stringAt(expression, 'key'),
    operator: stringAt(expression, 'operator'),
    values: Array.isArray(expression.values) ? expression.values.map((v) => (typeof v === 'string' ? v : '')) : [],
  }));
  return { matchLabels, matchExpressions };
}

/** Whether a selector has neither matchLabels nor matchExpressions (selects everything). */
export function isEmptySelector(selector: MetaLabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0;
}

/**
 * metav1.LabelSelectorAsSelector: undefined when the selector cannot be converted (the caller reports
 * it); a nil selector converts to the selector that matches nothing.
 */
export function asLabelSelector(selector: MetaLabelSelector | undefined): LabelSelector | undefined {
  try {
    return selectorFromLabelSelector(selector);
  } catch (error) {
    if (error instanceof LabelSelectorError) return undefined;
    throw error;
  }
}

/**
 * ValidateLabelSelector with AllowInvalidLabelValueInSelector false (what workloads use):
 * matchLabels as labels, and each requirement's operator, values and key.
 */
export function validateLabelSelector(value: JsonValue | undefined, path: string): FieldError[] {
  if (!isJsonObject(value)) return [];
  const errors = validateLabels(stringMapAt(value, 'matchLabels'), `${path}.matchLabels`);
  objectsAt(value, 'matchExpressions').forEach((expression, index) => {
    const at = `${path}.matchExpressions[${index}]`;
    const operator = stringAt(expression, 'operator');
    const values = Array.isArray(expression.values) ? expression.values.map((v) => (typeof v === 'string' ? v : '')) : [];
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errors.push(fieldErrors.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errors.push(fieldErrors.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errors.push(fieldErrors.invalid(`${at}.operator`, operator, 'not a valid selector operator'));
    }
    errors.push(...validateLabelName(stringAt(expression, 'key'), `${at}.key`));
    values.forEach((v, i) => {
      for (const message of isValidLabelValue(v)) errors.push(fieldErrors.invalid(`${at}.values[${i}]`, v, message));
    });
  });
  return errors;
}

/**
 * The selector rules Deployments, ReplicaSets and StatefulSets share: required, valid, and not
 * empty (`empty selector is invalid for <kind>`, with upstream's choice of kind word).
 */
export function validateRequiredSelector(spec: JsonObject, path: string, kindWord: string): FieldError[] {
  const value = spec.selector;
  if (!isJsonObject(value)) return [fieldErrors.required(`${path}.selector`, '')];
  const errors = validateLabelSelector(value, `${path}.selector`);
  const selector = metaSelectorOf(value);
  if (selector !== undefined && isEmptySelector(selector)) {
    errors.push(fieldErrors.invalid(`${path}.selector`, value, `empty selector is invalid for ${kindWord}`));
  }
  return errors;
}

/** The template's labels, as a map (empty when it has none). */
export function templateLabels(template: JsonObject): Record<string, string> {
  return Object.fromEntries(stringMapAt(metaOf(template), 'labels'));
}

/**
 * "`selector` does not match template `labels`" at `<templatePath>.metadata.labels`, unless the
 * selector is empty (everything matches, and the empty selector has its own error).
 */
export function validateTemplateMatches(selector: LabelSelector, template: JsonObject, templatePath: string): FieldError[] {
  if (selector.empty || selector.matches(templateLabels(template))) return [];
  const labels = objectAt(metaOf(template), 'labels') ?? null;
  return [fieldErrors.invalid(`${templatePath}.metadata.labels`, labels, '`selector` does not match template `labels`')];
}

// ---------------------------------------------------------------------------------------------
// Pod templates of long-running workloads.

/** The pod template under `spec.template`, or an empty one. */
export function templateOf(spec: JsonObject): JsonObject {
  return objectAt(spec, 'template') ?? {};
}

/**
 * What ValidatePodTemplateSpecForReplicaSet (and the DaemonSet and StatefulSet specs) add to pod
 * validation: pods that never finish, so restartPolicy Always and no activeDeadlineSeconds.
 */
export function validateLongRunningTemplate(template: JsonObject, templatePath: string, kind: string): FieldError[] {
  const podSpec = specOf(template);
  const errors: FieldError[] = [];
  const restartPolicy = stringAt(podSpec, 'restartPolicy');
  if (restartPolicy !== 'Always') errors.push(fieldErrors.notSupported(`${templatePath}.spec.restartPolicy`, restartPolicy, ['Always']));
  if (present(podSpec, 'activeDeadlineSeconds')) {
    errors.push(fieldErrors.forbidden(`${templatePath}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errors;
}

/**
 * ValidateReadOnlyPersistentDisks: with more than one replica, a GCE persistent disk can only be
 * shared read-only.
 */
export function validateReadOnlyPersistentDisks(template: JsonObject, templatePath: string): FieldError[] {
  const errors: FieldError[] = [];
  objectsAt(specOf(template), 'volumes').forEach((volume, index) => {
    const disk = objectAt(volume, 'gcePersistentDisk');
    if (disk !== undefined && disk.readOnly !== true) {
      errors.push(
        fieldErrors.invalid(
          `${templatePath}.spec.volumes[${index}].gcePersistentDisk.readOnly`,
          false,
          'must be true for replicated pods > 1; GCE PD can only be mounted on multiple machines if it is read-only',
        ),
      );
    }
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// intstr.IntOrString fields of rolling updates (maxSurge, maxUnavailable).

const PERCENT = /^[0-9]+%$/;
const PERCENT_ERROR = regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%');

/** ValidatePositiveIntOrPercent: a non-negative integer or a percent string. Absent passes. */
export function validatePositiveIntOrPercent(value: JsonValue | undefined, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return PERCENT.test(value) ? [] : [fieldErrors.invalid(path, value, PERCENT_ERROR)];
  if (typeof value === 'number') return value < 0 ? [fieldErrors.invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
  // Upstream's message really has the doubled '%': it is not a format string.
  return [fieldErrors.invalid(path, value, "must be an integer or percentage (e.g '5%%')")];
}

/** getIntOrPercentValue: the percentage or the integer; strings that are neither count as 0. */
export function intOrPercentValue(value: JsonValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  if (PERCENT.test(value)) return Number(value.slice(0, -1));
  // IntValue() of a string is strconv.Atoi, which yields 0 on failure.
  return /^[+-]?[0-9]+$/.test(value) ? Number(value) : 0;
}

/** IsNotMoreThan100Percent: only percentages are checked. */
export function validateNotMoreThan100Percent(value: JsonValue | undefined, path: string): FieldError[] {
  if (typeof value !== 'string' || !PERCENT.test(value)) return [];
  return Number(value.slice(0, -1)) > 100 ? [fieldErrors.invalid(path, value, 'must not be greater than 100%')] : [];
}

// ---------------------------------------------------------------------------------------------
// Printing.

export const NAME_COLUMN: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};

export const AGE_COLUMN: TableColumn = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
};

export const CONTAINERS_COLUMN: TableColumn = {
  name: 'Containers',
  type: 'string',
  description: 'Names of each container in the template.',
  priority: 1,
};

export const IMAGES_COLUMN: TableColumn = {
  name: 'Images',
  type: 'string',
  description: 'Images referenced by each container in the template.',
  priority: 1,
};

export function selectorColumn(description: string): TableColumn {
  return { name: 'Selector', type: 'string', description, priority: 1 };
}

/** layoutContainerCells: container names and images, each joined by ','. */
export function containerCells(template: JsonObject): [string, string] {
  const containers = objectsAt(specOf(template), 'containers');
  return [containers.map((c) => stringAt(c, 'name')).join(','), containers.map((c) => stringAt(c, 'image')).join(',')];
}

/** metav1.FormatLabelSelector: the selector's string form, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(value: JsonValue | undefined): string {
  const selector = asLabelSelector(metaSelectorOf(value));
  if (selector === undefined) return '<error>';
  const text = labelSelectorString(selector);
  return text === '' ? '<none>' : text;
}

/** labels.FormatLabels: `k=v` pairs sorted by key, `<none>` when there are none. */
export function formatLabels(labels: ReadonlyMap<string, string>): string {
  const text = [...labels.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  return text === '' ? '<none>' : text;
}

/** The number at `key`, 0 when absent (Go's zero value for a status counter). */
export function count(object: JsonObject, key: string): number {
  return numberAt(object, key) ?? 0;
}

/**
 * The selector conversion and ValidatePodTemplateSpecForReplicaSet, as the Deployment and
 * ReplicaSet specs run them: the template must match the selector, be a valid pod template, share
 * GCE disks read-only when replicated, and run forever.
 */
export function validateReplicatedTemplate(spec: JsonObject, path: string): FieldError[] {
  const selector = asLabelSelector(metaSelectorOf(spec.selector));
  if (selector === undefined) return [fieldErrors.invalid(`${path}.selector`, spec.selector ?? null, 'invalid label selector')];
  const template = templateOf(spec);
  const at = `${path}.template`;
  return [
    ...validateTemplateMatches(selector, template, at),
    ...validatePodTemplateSpec(template, at),
    ...((numberAt(spec, 'replicas') ?? 0) > 1 ? validateReadOnlyPersistentDisks(template, at) : []),
    ...validateLongRunningTemplate(template, at, 'ReplicaSet'),
  ];
}

/**
 * The warning on creating a workload whose name is not a DNS label: its pods' names and hostnames
 * derive from it (kubernetes/kubernetes#114412; the WarningsOnCreate of ReplicaSets, Deployments,
 * Jobs and CronJobs). Upstream prints the messages as a Go slice, `[a b]`.
 */
export function dnsLabelNameWarnings(object: JsonObject): string[] {
  const messages = isDNS1123Label(metaString(object, 'name'));
  if (messages.length === 0) return [];
  return [`metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${messages.join(' ')}]`];
}
