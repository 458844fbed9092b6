/**
 * @module
 * batch/v1 Jobs: pods that run to completion. Defaults follow pkg/apis/batch/v1/defaults.go
 * (SetDefaults_Job: one completion and one pod at a time, six retries, NonIndexed, not suspended,
 * pods replaced once terminating or failed, no manual selector, and the template's labels on a Job
 * that has none). Unless the client asks for a manual selector, the strategy generates one
 * (pkg/registry/batch/job/strategy.go generateSelector): the template gets `controller-uid` and
 * `job-name` labels, with and without the `batch.kubernetes.io/` prefix, and the selector matches
 * the prefixed uid. Validation follows pkg/apis/batch/validation/validation.go (ValidateJob,
 * ValidateJobSpecUpdate, the status checks): a running Job's template cannot change, completions
 * only in step with parallelism for Indexed Jobs. `kubectl get jobs` shows NAME STATUS COMPLETIONS
 * DURATION AGE (printers.go printJob).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, cloneJson, isJsonObject, jsonEqual } from '../../api/json.js';
import { isDNS1123Label } from '../../api/validation/names.js';
import { isDeleting, metadataOf, metaString, readMetadata } from '../registry/object-meta.js';
import { age, humanDuration } from '../table.js';
import { defineResource } from './define.js';
import { validateJobSpecCommon } from './job-validation.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { conditionOf, ensureObject, metaOf, numberAt, objectAt, objectsAt, present, specOf, statusOf, stringAt, stringMapAt, stringsAt } from './pod-json.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  asLabelSelector,
  containerCells,
  count,
  defaultValue,
  dnsLabelNameWarnings,
  formatLabelSelector,
  metaSelectorOf,
  selectorColumn,
  semanticEqual,
  templateLabels,
  templateOf,
  validateImmutable,
  validateLabelSelector,
  validateNonnegativeFields,
  validateTemplateMatches,
} from './workload-helpers.js';

/** The labels that tie a Job's pods to it (batch.LegacyControllerUidLabel and friends). */
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

export const JOBS = defineResource({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  resource: 'jobs',
  namespaced: true,
  schema: 'io.k8s.api.batch.v1.Job',
  categories: ['all'],
  statusSubresource: true,
  tracksGeneration: true,
  strategy: {
    defaults: defaultJob,
    prepareForCreate: (object) => {
      if (specOf(object).manualSelector !== true) generateSelector(object);
    },
    validate: (object) => validateJob(object, true),
    validateUpdate: (object, old, context) => {
      if (context.subresource === 'status') return validateJobStatus(statusOf(object), 'status');
      // Jobs created before the prefixed labels existed are not required to have them.
      const oldLabels = templateLabels(templateOf(specOf(old)));
      const requirePrefixedLabels = JOB_NAME_LABEL in oldLabels && CONTROLLER_UID_LABEL in oldLabels;
      return [...validateJob(object, requirePrefixedLabels), ...validateJobSpecUpdate(object, old)];
    },
    warnings: (object, old) => (old === undefined ? dnsLabelNameWarnings(object) : []),
    // JobToSelectableFields.
    selectableFields: (object) => ({ 'status.successful': String(count(statusOf(object), 'succeeded')) }),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Status', type: 'string', description: 'Status of the job.', priority: 0 },
      { name: 'Completions', type: 'string', description: 'The number of pods which reached phase Succeeded.', priority: 0 },
      { name: 'Duration', type: 'string', description: 'Time required to complete the job.', priority: 0 },
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      selectorColumn('A label query over pods that should match the pod count.'),
    ],
    cells: (object, now) => {
      const spec = specOf(object);
      const status = statusOf(object);
      const [containers, images] = containerCells(templateOf(spec));
      return [
        metaString(object, 'name'),
        jobStatusWord(object),
        completionsCell(spec, status),
        durationCell(status, now),
        age(object, now),
        containers,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  },
});

/** SetDefaults_Job (with the pod failure policy patterns' own default), then the pod template's. */
function defaultJob(object: JsonObject): void {
  const spec = ensureObject(object, 'spec');
  if (!present(spec, 'completions') && !present(spec, 'parallelism')) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultValue(spec, 'parallelism', 1);
  // With a per-index limit the global one should never be what stops the Job (math.MaxInt32).
  defaultValue(spec, 'backoffLimit', present(spec, 'backoffLimitPerIndex') ? 2147483647 : 6);
  const template = ensureObject(spec, 'template');
  const labels = objectAt(metaOf(template), 'labels');
  if (labels !== undefined && Object.keys(labels).length > 0 && stringMapAt(readMetadata(object), 'labels').size === 0) {
    metadataOf(object).labels = cloneJson(labels);
  }
  defaultValue(spec, 'completionMode', 'NonIndexed');
  defaultValue(spec, 'suspend', false);
  const podFailurePolicy = objectAt(spec, 'podFailurePolicy');
  for (const rule of podFailurePolicy === undefined ? [] : objectsAt(podFailurePolicy, 'rules')) {
    for (const pattern of objectsAt(rule, 'onPodConditions')) if (stringAt(pattern, 'status') === '') pattern.status = 'True';
  }
  defaultValue(spec, 'podReplacementPolicy', podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed');
  defaultValue(spec, 'manualSelector', false);
  defaultPodTemplateSpec(template);
}

/**
 * generateSelector: labels the template with the Job's name and uid (leaving any the client set, for
 * validation to judge) and selects the prefixed uid label.
 *
 * Upstream's defaulting shares one map between the Job's labels and the template's when it copies
 * them, so the generated labels show on the Job too; and a Job stored without labels gets the
 * template's when it is next read. Both come to the same thing: a Job whose labels were the
 * template's ends up with the template's final labels.
 */
function generateSelector(object: JsonObject): void {
  const spec = ensureObject(object, 'spec');
  const templateMeta = ensureObject(ensureObject(spec, 'template'), 'metadata');
  const labels = ensureObject(templateMeta, 'labels');
  const jobLabels = readMetadata(object).labels;
  const sharesTemplateLabels = stringMapAt(readMetadata(object), 'labels').size === 0 || jsonEqual(jobLabels, labels);
  const name = metaString(object, 'name');
  const uid = metaString(object, 'uid');
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(key in labels)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(key in labels)) labels[key] = uid;
  const matchLabels = ensureObject(ensureObject(spec, 'selector'), 'matchLabels');
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = uid;
  if (sharesTemplateLabels) metadataOf(object).labels = cloneJson(labels);
}

/** ValidateJob: the generated selector, the spec, and room for Indexed pods' hostnames. */
function validateJob(object: JsonObject, requirePrefixedLabels: boolean): FieldError[] {
  const spec = specOf(object);
  const errors = [...validateGeneratedSelector(object, requirePrefixedLabels), ...validateJobSpec(spec, 'spec')];
  const completions = numberAt(spec, 'completions');
  if (stringAt(spec, 'completionMode') === 'Indexed' && completions !== undefined && completions > 0) {
    // Indexed pods are named <job>-<index>, and that name is their hostname.
    const name = metaString(object, 'name');
    const hostname = `${name}-${completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errors.push(fieldErrors.invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errors;
}

/** ValidateJobSpec: the common rules plus a required selector that matches the template. */
function validateJobSpec(spec: JsonObject, path: string): FieldError[] {
  const errors = validateJobSpecCommon(spec, path);
  if (!isJsonObject(spec.selector)) errors.push(fieldErrors.required(`${path}.selector`, ''));
  else errors.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const selector = asLabelSelector(metaSelectorOf(spec.selector));
  if (selector !== undefined) errors.push(...validateTemplateMatches(selector, templateOf(spec), `${path}.template`));
  return errors;
}

/** validateGeneratedSelector: a generated selector must still select exactly this Job's pods. */
function validateGeneratedSelector(object: JsonObject, requirePrefixedLabels: boolean): FieldError[] {
  const spec = specOf(object);
  if (spec.manualSelector === true || !isJsonObject(spec.selector)) return [];
  const errors: FieldError[] = [];
  const uid = metaString(object, 'uid');
  const name = metaString(object, 'name');
  if (uid === '') errors.push(fieldErrors.required('metadata.uid', ''));
  const expected: Record<string, string> = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  if (requirePrefixedLabels) Object.assign(expected, { [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name });
  const labels = templateLabels(templateOf(spec));
  for (const [key, value] of Object.entries(expected)) {
    // ValidateHasLabel.
    const path = `spec.template.metadata.labels[${key}]`;
    if (!(key in labels)) errors.push(fieldErrors.required(path, value));
    else if (labels[key] !== value) errors.push(fieldErrors.invalid(path, labels, `must be '${value}'`));
  }
  const selector = asLabelSelector(metaSelectorOf(spec.selector));
  if (selector !== undefined && !selector.matches(expected)) {
    errors.push(fieldErrors.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  }
  return errors;
}

/** ValidateJobSpecUpdate: what a Job may not change once created. */
function validateJobSpecUpdate(object: JsonObject, old: JsonObject): FieldError[] {
  const spec = specOf(object);
  const oldSpec = specOf(old);
  const errors = validateCompletionsUpdate(spec, oldSpec);
  errors.push(...validateImmutable(spec.selector, oldSpec.selector, 'spec.selector'));
  errors.push(...validateTemplateUpdate(spec, oldSpec, oldSpec.suspend === true && !present(statusOf(old), 'startTime')));
  for (const key of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    errors.push(...validateImmutable(spec[key], oldSpec[key], `spec.${key}`));
  }
  return errors;
}

/** validateCompletions: fixed for NonIndexed Jobs; an Indexed Job scales completions with parallelism. */
function validateCompletionsUpdate(spec: JsonObject, oldSpec: JsonObject): FieldError[] {
  if (stringAt(spec, 'completionMode') !== 'Indexed') return validateImmutable(spec.completions, oldSpec.completions, 'spec.completions');
  const completions = numberAt(spec, 'completions');
  if (semanticEqual(spec.completions, oldSpec.completions) || completions === undefined) return [];
  return completions === numberAt(spec, 'parallelism')
    ? []
    : [fieldErrors.invalid('spec.completions', completions, 'can only be modified in tandem with spec.parallelism')];
}

/**
 * validatePodTemplateUpdate: the template is immutable, except that a suspended Job that never
 * started may change where its pods go (node affinity, node selector, tolerations, scheduling
 * gates) and its pods' labels and annotations.
 */
function validateTemplateUpdate(spec: JsonObject, oldSpec: JsonObject, allowSchedulingChanges: boolean): FieldError[] {
  const template = templateOf(spec);
  let oldTemplate = templateOf(oldSpec);
  if (allowSchedulingChanges) {
    oldTemplate = cloneJson(oldTemplate);
    const podSpec = specOf(template);
    const oldPodSpec = ensureObject(oldTemplate, 'spec');
    const affinity = objectAt(podSpec, 'affinity');
    const oldAffinity = objectAt(oldPodSpec, 'affinity');
    if (affinity === undefined && oldAffinity !== undefined) {
      delete oldAffinity.nodeAffinity;
      if (Object.keys(oldAffinity).length === 0) delete oldPodSpec.affinity;
    } else if (affinity !== undefined && oldAffinity === undefined) {
      oldPodSpec.affinity = affinity.nodeAffinity === undefined ? {} : { nodeAffinity: cloneJson(affinity.nodeAffinity) };
    } else if (affinity !== undefined && oldAffinity !== undefined) {
      copyField(oldAffinity, affinity, 'nodeAffinity');
    }
    for (const key of ['nodeSelector', 'tolerations', 'schedulingGates']) copyField(oldPodSpec, podSpec, key);
    const oldMeta = ensureObject(oldTemplate, 'metadata');
    for (const key of ['annotations', 'labels']) copyField(oldMeta, metaOf(template), key);
  }
  return validateImmutable(template, oldTemplate, 'spec.template');
}

function copyField(target: JsonObject, source: JsonObject, key: string): void {
  const value = source[key];
  if (value === undefined) delete target[key];
  else target[key] = cloneJson(value);
}

/** validateJobStatus: counters not negative, uncounted pod UIDs non-empty and unique. */
function validateJobStatus(status: JsonObject, path: string): FieldError[] {
  const errors = validateNonnegativeFields(status, path, ['active', 'succeeded', 'failed', 'ready', 'terminating']);
  const uncounted = objectAt(status, 'uncountedTerminatedPods');
  if (uncounted !== undefined) {
    const seen = new Set<string>();
    for (const key of ['succeeded', 'failed']) {
      stringsAt(uncounted, key).forEach((uid, index) => {
        const at = `${path}.uncountedTerminatedPods.${key}[${index}]`;
        if (uid === '') errors.push(fieldErrors.invalid(at, uid, 'must not be empty'));
        else if (seen.has(uid)) errors.push(fieldErrors.duplicate(at, uid));
        else seen.add(uid);
      });
    }
  }
  return errors;
}

/** hasJobCondition: the first condition of the type decides. */
function hasCondition(status: JsonObject, type: string): boolean {
  const condition = conditionOf(status, type);
  return condition !== undefined && stringAt(condition, 'status') === 'True';
}

/** printJob's STATUS: finished states first, then deletion, suspension and a pending failure. */
function jobStatusWord(object: JsonObject): string {
  const status = statusOf(object);
  if (hasCondition(status, 'Complete')) return 'Complete';
  if (hasCondition(status, 'Failed')) return 'Failed';
  if (isDeleting(object)) return 'Terminating';
  if (hasCondition(status, 'Suspended')) return 'Suspended';
  if (hasCondition(status, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** printJob's COMPLETIONS: succeeded/completions, or `n/1 of p` for a work queue run in parallel. */
function completionsCell(spec: JsonObject, status: JsonObject): string {
  const succeeded = count(status, 'succeeded');
  const completions = numberAt(spec, 'completions');
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = count(spec, 'parallelism');
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** printJob's DURATION: start to completion, or start to now while running; '' before it starts. */
function durationCell(status: JsonObject, now: number): string {
  const start = Date.parse(stringAt(status, 'startTime'));
  if (Number.isNaN(start)) return '';
  const completion = Date.parse(stringAt(status, 'completionTime'));
  return humanDuration((Number.isNaN(completion) ? now : completion) - start);
}
