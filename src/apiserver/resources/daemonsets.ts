/**
 * @module
 * apps/v1 DaemonSets: one pod on each eligible node. Defaults follow pkg/apis/apps/v1/defaults.go
 * (SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1 and maxSurge 0, ten revisions kept);
 * validation follows pkg/apis/apps/validation/validation.go (ValidateDaemonSetSpec,
 * ValidateRollingUpdateDaemonSet, ValidateDaemonSetStatusUpdate); the strategy follows
 * pkg/registry/apps/daemonset/strategy.go. The internal templateGeneration, which counts template
 * changes, travels in apps/v1 as the `deprecated.daemonset.template.generation` annotation
 * (pkg/apis/apps/v1/conversion.go): 1 on create, one more on every template change, and not
 * writable by clients. `kubectl get ds` shows NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE
 * NODE SELECTOR AGE.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { metadataOf, metaString, readMetadata } from '../registry/object-meta.js';
import { age } from '../table.js';
import { defineResource } from './define.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { ensureObject, objectAt, specOf, statusOf, stringAt, stringMapAt } from './pod-json.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  asLabelSelector,
  containerCells,
  count,
  defaultString,
  defaultValue,
  formatLabelSelector,
  formatLabels,
  intOrPercentValue,
  isEmptySelector,
  metaSelectorOf,
  selectorColumn,
  semanticEqual,
  templateOf,
  validateCollisionCount,
  validateImmutable,
  validateLabelSelector,
  validateLongRunningTemplate,
  validateNonnegative,
  validateNonnegativeFields,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
  validateTemplateMatches,
} from './workload-helpers.js';

/** appsv1.DeprecatedTemplateGeneration. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export const DAEMON_SETS = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  resource: 'daemonsets',
  namespaced: true,
  schema: 'io.k8s.api.apps.v1.DaemonSet',
  shortNames: ['ds'],
  categories: ['all'],
  statusSubresource: true,
  tracksGeneration: true,
  strategy: {
    defaults: defaultDaemonSet,
    prepareForCreate: (object) => {
      // A client may start the count higher, never below 1.
      setTemplateGeneration(object, Math.max(templateGeneration(object), 1));
    },
    prepareForUpdate: (object, old, context) => {
      const before = templateGeneration(old);
      const templateChanged = context.subresource !== 'status' && !semanticEqual(specOf(object).template, specOf(old).template);
      setTemplateGeneration(object, templateChanged ? before + 1 : before);
    },
    validate: (object) => validateDaemonSetSpec(specOf(object), 'spec'),
    validateUpdate: (object, old, context) => {
      if (context.subresource === 'status') return validateDaemonSetStatusUpdate(object, old);
      return [
        ...validateDaemonSetSpec(specOf(object), 'spec'),
        ...validateImmutable(specOf(object).selector, specOf(old).selector, 'spec.selector'),
      ];
    },
    // DaemonSets are selectable by metadata.name and metadata.namespace only.
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Desired', type: 'integer', description: 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', priority: 0 },
      { name: 'Current', type: 'integer', description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', priority: 0 },
      { name: 'Ready', type: 'integer', description: 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', priority: 0 },
      { name: 'Up-to-date', type: 'integer', description: 'The total number of nodes that are running updated daemon pod', priority: 0 },
      { name: 'Available', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', priority: 0 },
      { name: 'Node Selector', type: 'string', description: "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.", priority: 0 },
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      selectorColumn("A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels."),
    ],
    cells: (object, now) => {
      const spec = specOf(object);
      const status = statusOf(object);
      const template = templateOf(spec);
      const [containers, images] = containerCells(template);
      return [
        metaString(object, 'name'),
        count(status, 'desiredNumberScheduled'),
        count(status, 'currentNumberScheduled'),
        count(status, 'numberReady'),
        count(status, 'updatedNumberScheduled'),
        count(status, 'numberAvailable'),
        formatLabels(stringMapAt(specOf(template), 'nodeSelector')),
        age(object, now),
        containers,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  },
});

/** SetDefaults_DaemonSet, then the pod template's defaults. */
function defaultDaemonSet(object: JsonObject): void {
  const spec = ensureObject(object, 'spec');
  const updateStrategy = ensureObject(spec, 'updateStrategy');
  defaultString(updateStrategy, 'type', 'RollingUpdate');
  if (updateStrategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureObject(updateStrategy, 'rollingUpdate');
    defaultValue(rollingUpdate, 'maxUnavailable', 1);
    defaultValue(rollingUpdate, 'maxSurge', 0);
  }
  defaultValue(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(ensureObject(spec, 'template'));
}

/** The templateGeneration the annotation carries; 0 when absent or not an integer. */
function templateGeneration(object: JsonObject): number {
  const value = stringMapAt(readMetadata(object), 'annotations').get(TEMPLATE_GENERATION_ANNOTATION);
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : 0;
}

function setTemplateGeneration(object: JsonObject, generation: number): void {
  ensureObject(metadataOf(object), 'annotations')[TEMPLATE_GENERATION_ANNOTATION] = String(generation);
}

/** ValidateDaemonSetSpec. */
function validateDaemonSetSpec(spec: JsonObject, path: string): FieldError[] {
  const errors = validateLabelSelector(spec.selector, `${path}.selector`);
  const template = templateOf(spec);
  const metaSelector = metaSelectorOf(spec.selector);
  const selector = asLabelSelector(metaSelector);
  // Upstream has no "Required" for a nil selector here: it converts to "nothing", which no template
  // matches, so the mismatch is what gets reported.
  if (selector !== undefined) errors.push(...validateTemplateMatches(selector, template, `${path}.template`));
  if (metaSelector !== undefined && isEmptySelector(metaSelector)) {
    errors.push(fieldErrors.invalid(`${path}.selector`, spec.selector, 'empty selector is invalid for daemonset'));
  }
  errors.push(...validatePodTemplateSpec(template, `${path}.template`));
  errors.push(...validateLongRunningTemplate(template, `${path}.template`, 'DaemonSet'));
  errors.push(...validateNonnegative(spec, 'minReadySeconds', `${path}.minReadySeconds`));
  errors.push(...validateUpdateStrategy(objectAt(spec, 'updateStrategy') ?? {}, `${path}.updateStrategy`));
  errors.push(...validateNonnegative(spec, 'revisionHistoryLimit', `${path}.revisionHistoryLimit`));
  return errors;
}

/** ValidateDaemonSetUpdateStrategy and ValidateRollingUpdateDaemonSet. */
function validateUpdateStrategy(strategy: JsonObject, path: string): FieldError[] {
  const type = stringAt(strategy, 'type');
  switch (type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const rollingUpdate = objectAt(strategy, 'rollingUpdate');
      if (rollingUpdate === undefined) return [fieldErrors.required(`${path}.rollingUpdate`, '')];
      const at = `${path}.rollingUpdate`;
      const { maxUnavailable, maxSurge } = rollingUpdate;
      const errors = [
        ...validatePositiveIntOrPercent(maxUnavailable, `${at}.maxUnavailable`),
        ...validatePositiveIntOrPercent(maxSurge, `${at}.maxSurge`),
        ...validateNotMoreThan100Percent(maxUnavailable, `${at}.maxUnavailable`),
        ...validateNotMoreThan100Percent(maxSurge, `${at}.maxSurge`),
      ];
      const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(maxSurge) !== 0;
      if (hasUnavailable && hasSurge) {
        errors.push(fieldErrors.invalid(`${at}.maxSurge`, maxSurge ?? 0, 'may not be set when maxUnavailable is non-zero'));
      } else if (!hasUnavailable && !hasSurge) {
        errors.push(fieldErrors.required(`${at}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      }
      return errors;
    }
    default:
      return [fieldErrors.notSupported(path, strategy, ['RollingUpdate', 'OnDelete'])];
  }
}

/** ValidateDaemonSetStatusUpdate. */
function validateDaemonSetStatusUpdate(object: JsonObject, old: JsonObject): FieldError[] {
  const status = statusOf(object);
  return [
    ...validateNonnegativeFields(status, 'status', [
      'currentNumberScheduled',
      'numberMisscheduled',
      'desiredNumberScheduled',
      'numberReady',
      'observedGeneration',
      'updatedNumberScheduled',
      'numberAvailable',
      'numberUnavailable',
      'collisionCount',
    ]),
    ...validateCollisionCount(status, statusOf(old)),
  ];
}
