/**
 * @module
 * apps/v1 Deployments: declarative rollouts of a pod template through ReplicaSets. Defaults follow
 * pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment: one replica, RollingUpdate with 25% surge
 * and 25% unavailable, ten old ReplicaSets kept, a 600 s progress deadline); validation follows
 * pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec, ValidateDeploymentStatus); the
 * strategy follows pkg/registry/apps/deployment/strategy.go, where annotation changes bump the
 * generation too (they are copied to ReplicaSets), the selector cannot change in apps/v1, and a
 * `/status` write keeps the labels. `kubectl get deploy` shows NAME READY UP-TO-DATE AVAILABLE AGE
 * (pkg/printers/internalversion/printers.go printDeployment).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { labelSelectorString } from '../../api/labels.js';
import { metadataOf, metaString, readMetadata, setMeta } from '../registry/object-meta.js';
import { age } from '../table.js';
import { defineResource } from './define.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { ensureObject, numberAt, objectAt, present, specOf, statusOf, stringAt } from './pod-json.js';
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
  dnsLabelNameWarnings,
  metaSelectorOf,
  selectorColumn,
  semanticEqual,
  templateOf,
  validateCollisionCount,
  validateImmutable,
  validateNonnegative,
  validateNonnegativeFields,
  validateNotAboveReplicas,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
  validateReplicatedTemplate,
  validateRequiredSelector,
  intOrPercentValue,
} from './workload-helpers.js';

export const DEPLOYMENTS = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  namespaced: true,
  schema: 'io.k8s.api.apps.v1.Deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  statusSubresource: true,
  tracksGeneration: true,
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
  strategy: {
    defaults: defaultDeployment,
    prepareForUpdate: (object, old, context) => {
      if (context.subresource === 'status') {
        // deploymentStatusStrategy: a status writer cannot relabel the Deployment.
        const labels = readMetadata(old).labels;
        setMeta(object, 'labels', labels === undefined ? undefined : cloneJson(labels));
        return;
      }
      // Annotations are copied to the ReplicaSets, so changing them is a change the controller must see.
      if (!semanticEqual(readMetadata(object).annotations, readMetadata(old).annotations)) {
        metadataOf(object).generation = (numberAt(readMetadata(old), 'generation') ?? 0) + 1;
      }
    },
    validate: (object) => validateDeploymentSpec(specOf(object), 'spec'),
    validateUpdate: (object, old, context) => {
      if (context.subresource === 'status') return validateDeploymentStatusUpdate(object, old);
      return [
        ...validateDeploymentSpec(specOf(object), 'spec'),
        ...validateImmutable(specOf(object).selector, specOf(old).selector, 'spec.selector'),
      ];
    },
    warnings: (object, old) => (old === undefined ? dnsLabelNameWarnings(object) : []),
    // Deployments are selectable by metadata.name and metadata.namespace only.
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0 },
      { name: 'Up-to-date', type: 'string', description: 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.', priority: 0 },
      { name: 'Available', type: 'string', description: 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.', priority: 0 },
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      selectorColumn("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."),
    ],
    cells: (object, now) => {
      const spec = specOf(object);
      const status = statusOf(object);
      const [containers, images] = containerCells(templateOf(spec));
      // printDeployment prints the selector itself: `<invalid>` when it does not convert, '' when empty.
      const selector = asLabelSelector(metaSelectorOf(spec.selector));
      return [
        metaString(object, 'name'),
        `${count(status, 'readyReplicas')}/${count(spec, 'replicas')}`,
        count(status, 'updatedReplicas'),
        count(status, 'availableReplicas'),
        age(object, now),
        containers,
        images,
        selector === undefined ? '<invalid>' : labelSelectorString(selector),
      ];
    },
  },
});

/** SetDefaults_Deployment, then the pod template's own defaults. */
function defaultDeployment(object: JsonObject): void {
  const spec = ensureObject(object, 'spec');
  defaultValue(spec, 'replicas', 1);
  const strategy = ensureObject(spec, 'strategy');
  defaultString(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate = ensureObject(strategy, 'rollingUpdate');
    defaultValue(rollingUpdate, 'maxUnavailable', '25%');
    defaultValue(rollingUpdate, 'maxSurge', '25%');
  }
  defaultValue(spec, 'revisionHistoryLimit', 10);
  defaultValue(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(ensureObject(spec, 'template'));
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(spec: JsonObject, path: string): FieldError[] {
  const errors = [
    ...validateNonnegative(spec, 'replicas', `${path}.replicas`),
    ...validateRequiredSelector(spec, path, 'deployment'),
    ...validateReplicatedTemplate(spec, path),
    ...validateDeploymentStrategy(objectAt(spec, 'strategy') ?? {}, `${path}.strategy`),
    ...validateNonnegative(spec, 'minReadySeconds', `${path}.minReadySeconds`),
    ...validateNonnegative(spec, 'revisionHistoryLimit', `${path}.revisionHistoryLimit`),
  ];
  const deadline = numberAt(spec, 'progressDeadlineSeconds');
  if (deadline !== undefined) {
    errors.push(...validateNonnegative(spec, 'progressDeadlineSeconds', `${path}.progressDeadlineSeconds`));
    if (deadline <= (numberAt(spec, 'minReadySeconds') ?? 0)) {
      errors.push(fieldErrors.invalid(`${path}.progressDeadlineSeconds`, deadline, 'must be greater than minReadySeconds'));
    }
  }
  return errors;
}

/** ValidateDeploymentStrategy and ValidateRollingUpdateDeployment. */
function validateDeploymentStrategy(strategy: JsonObject, path: string): FieldError[] {
  const type = stringAt(strategy, 'type');
  switch (type) {
    case 'Recreate':
      return present(strategy, 'rollingUpdate')
        ? [fieldErrors.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")]
        : [];
    case 'RollingUpdate': {
      const rollingUpdate = objectAt(strategy, 'rollingUpdate');
      if (rollingUpdate === undefined) return [fieldErrors.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const at = `${path}.rollingUpdate`;
      const { maxUnavailable, maxSurge } = rollingUpdate;
      const errors = [
        ...validatePositiveIntOrPercent(maxUnavailable, `${at}.maxUnavailable`),
        ...validatePositiveIntOrPercent(maxSurge, `${at}.maxSurge`),
      ];
      if (intOrPercentValue(maxUnavailable) === 0 && intOrPercentValue(maxSurge) === 0) {
        errors.push(fieldErrors.invalid(`${at}.maxUnavailable`, maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
      }
      errors.push(...validateNotMoreThan100Percent(maxUnavailable, `${at}.maxUnavailable`));
      return errors;
    }
    default:
      return [fieldErrors.notSupported(path, strategy, ['Recreate', 'RollingUpdate'])];
  }
}

/** ValidateDeploymentStatusUpdate: counters non-negative and consistent, collisionCount not decremented. */
function validateDeploymentStatusUpdate(object: JsonObject, old: JsonObject): FieldError[] {
  const status = statusOf(object);
  const errors = [
    ...validateNonnegativeFields(status, 'status', [
      'observedGeneration',
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
      'terminatingReplicas',
      'collisionCount',
    ]),
    ...validateNotAboveReplicas(status, 'status', ['updatedReplicas', 'readyReplicas', 'availableReplicas']),
  ];
  if (count(status, 'availableReplicas') > count(status, 'readyReplicas')) {
    errors.push(fieldErrors.invalid('status.availableReplicas', count(status, 'availableReplicas'), 'cannot be greater than readyReplicas'));
  }
  return [...errors, ...validateCollisionCount(status, statusOf(old))];
}
