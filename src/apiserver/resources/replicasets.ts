/**
 * @module
 * apps/v1 ReplicaSets: keep a number of identical pods running. Defaults follow
 * pkg/apis/apps/v1/defaults.go (SetDefaults_ReplicaSet: one replica); validation follows
 * pkg/apis/apps/validation/validation.go (ValidateReplicaSetSpec, ValidateReplicaSetStatus — whose
 * empty-selector message really says "deployment"); the strategy follows
 * pkg/registry/apps/replicaset/strategy.go: the selector cannot change in apps/v1, a name that is
 * not a DNS label draws a warning, and ReplicaSets are selectable by `status.replicas`
 * (ToSelectableFields). `kubectl get rs` shows NAME DESIRED CURRENT READY AGE.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { metaString } from '../registry/object-meta.js';
import { age } from '../table.js';
import { defineResource } from './define.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { ensureObject, specOf, statusOf } from './pod-json.js';
import {
  AGE_COLUMN,
  CONTAINERS_COLUMN,
  IMAGES_COLUMN,
  NAME_COLUMN,
  containerCells,
  count,
  defaultValue,
  dnsLabelNameWarnings,
  formatLabelSelector,
  selectorColumn,
  templateOf,
  validateImmutable,
  validateNonnegative,
  validateNonnegativeFields,
  validateNotAboveReplicas,
  validateReplicatedTemplate,
  validateRequiredSelector,
} from './workload-helpers.js';

export const REPLICA_SETS = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  namespaced: true,
  schema: 'io.k8s.api.apps.v1.ReplicaSet',
  shortNames: ['rs'],
  categories: ['all'],
  statusSubresource: true,
  tracksGeneration: true,
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
  strategy: {
    defaults: (object) => {
      const spec = ensureObject(object, 'spec');
      defaultValue(spec, 'replicas', 1);
      defaultPodTemplateSpec(ensureObject(spec, 'template'));
    },
    validate: (object) => validateReplicaSetSpec(specOf(object), 'spec'),
    validateUpdate: (object, old, context) => {
      if (context.subresource === 'status') return validateReplicaSetStatus(statusOf(object), 'status');
      return [
        ...validateReplicaSetSpec(specOf(object), 'spec'),
        ...validateImmutable(specOf(object).selector, specOf(old).selector, 'spec.selector'),
      ];
    },
    warnings: (object, old) => (old === undefined ? dnsLabelNameWarnings(object) : []),
    selectableFields: (object) => ({ 'status.replicas': String(count(statusOf(object), 'replicas')) }),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Desired', type: 'integer', description: 'Replicas is the number of desired pods.', priority: 0 },
      { name: 'Current', type: 'integer', description: 'Replicas is the most recently observed number of non-terminating pods.', priority: 0 },
      { name: 'Ready', type: 'integer', description: 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', priority: 0 },
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
      selectorColumn("Selector is a label query over pods that should match the replica count. It must match the pod template's labels."),
    ],
    cells: (object, now) => {
      const spec = specOf(object);
      const status = statusOf(object);
      const [containers, images] = containerCells(templateOf(spec));
      return [
        metaString(object, 'name'),
        count(spec, 'replicas'),
        count(status, 'replicas'),
        count(status, 'readyReplicas'),
        age(object, now),
        containers,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  },
});

/** ValidateReplicaSetSpec. */
export function validateReplicaSetSpec(spec: JsonObject, path: string): FieldError[] {
  return [
    ...validateNonnegative(spec, 'replicas', `${path}.replicas`),
    ...validateNonnegative(spec, 'minReadySeconds', `${path}.minReadySeconds`),
    // Upstream reuses the Deployment wording here.
    ...validateRequiredSelector(spec, path, 'deployment'),
    ...validateReplicatedTemplate(spec, path),
  ];
}

/** ValidateReplicaSetStatus. */
function validateReplicaSetStatus(status: JsonObject, path: string): FieldError[] {
  const errors = [
    ...validateNonnegativeFields(status, path, [
      'replicas',
      'fullyLabeledReplicas',
      'readyReplicas',
      'availableReplicas',
      'terminatingReplicas',
      'observedGeneration',
    ]),
    ...validateNotAboveReplicas(status, path, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']),
  ];
  if (count(status, 'availableReplicas') > count(status, 'readyReplicas')) {
    errors.push(fieldErrors.invalid(`${path}.availableReplicas`, count(status, 'availableReplicas'), 'cannot be greater than readyReplicas'));
  }
  return errors;
}
