/**
 * @module
 * apps/v1 StatefulSets: pods with stable identities (ordinals, DNS names, their own volume claims).
 * Defaults follow pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet: OrderedReady, RollingUpdate
 * with partition 0, claims retained when deleted or scaled, one replica, ten revisions kept) plus
 * the claim templates' own defaults (volumeMode Filesystem, phase Pending). Validation follows
 * pkg/apis/apps/validation/validation.go (ValidateStatefulSetSpec, ValidateStatefulSetUpdate,
 * ValidateStatefulSetStatus): after creation only replicas, ordinals, template, updateStrategy,
 * revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
 * `kubectl get sts` shows NAME READY AGE.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { isDNS1123Label, nameIsDNSLabel } from '../../api/validation/names.js';
import { metaString } from '../registry/object-meta.js';
import { age } from '../table.js';
import { defineResource } from './define.js';
import { validateClaimSpec } from './persistentvolumeclaims.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { ensureObject, objectAt, objectsAt, present, specOf, statusOf, stringAt } from './pod-json.js';
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
  intOrPercentValue,
  metaSelectorOf,
  semanticEqual,
  templateOf,
  validateCollisionCount,
  validateLongRunningTemplate,
  validateNonnegative,
  validateNonnegativeFields,
  validateNotAboveReplicas,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
  validateRequiredSelector,
  validateTemplateMatches,
} from './workload-helpers.js';

/** The spec fields an update may change (ValidateStatefulSetUpdate). */
const MUTABLE_SPEC_FIELDS: ReadonlySet<string> = new Set([
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
]);

export const STATEFUL_SETS = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  namespaced: true,
  schema: 'io.k8s.api.apps.v1.StatefulSet',
  shortNames: ['sts'],
  categories: ['all'],
  statusSubresource: true,
  tracksGeneration: true,
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' },
  strategy: {
    defaults: defaultStatefulSet,
    // ValidateStatefulSetName: a DNS label, since pods are named <name>-<ordinal> and their hostname
    // is their name (kubernetes/kubernetes#114172).
    validateName: nameIsDNSLabel,
    validate: (object) => validateStatefulSetSpec(specOf(object), 'spec', { update: false }),
    validateUpdate: (object, old, context) => {
      if (context.subresource === 'status') return validateStatefulSetStatusUpdate(object, old);
      return [...validateStatefulSetSpec(specOf(object), 'spec', { update: true }), ...validateSpecUpdate(specOf(object), specOf(old))];
    },
    // apps/v1 accepts `status.successful` as a field label for StatefulSets (conversion.go), but
    // no StatefulSet carries it: upstream's attributes hold only the metadata, so it reads as ''.
    selectableFields: () => ({ 'status.successful': '' }),
  },
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', priority: 0 },
      AGE_COLUMN,
      CONTAINERS_COLUMN,
      IMAGES_COLUMN,
    ],
    cells: (object, now) => {
      const spec = specOf(object);
      const [containers, images] = containerCells(templateOf(spec));
      return [metaString(object, 'name'), `${count(statusOf(object), 'readyReplicas')}/${count(spec, 'replicas')}`, age(object, now), containers, images];
    },
  },
});

/** SetDefaults_StatefulSet, the pod template's defaults and those of each claim template. */
function defaultStatefulSet(object: JsonObject): void {
  const spec = ensureObject(object, 'spec');
  defaultString(spec, 'podManagementPolicy', 'OrderedReady');
  const updateStrategy = ensureObject(spec, 'updateStrategy');
  if (stringAt(updateStrategy, 'type') === '') {
    updateStrategy.type = 'RollingUpdate';
    defaultValue(updateStrategy, 'rollingUpdate', {});
  }
  const rollingUpdate = updateStrategy.rollingUpdate;
  if (updateStrategy.type === 'RollingUpdate' && isJsonObject(rollingUpdate)) defaultValue(rollingUpdate, 'partition', 0);
  const retention = ensureObject(spec, 'persistentVolumeClaimRetentionPolicy');
  defaultString(retention, 'whenDeleted', 'Retain');
  defaultString(retention, 'whenScaled', 'Retain');
  defaultValue(spec, 'replicas', 1);
  defaultValue(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(ensureObject(spec, 'template'));
  if (Array.isArray(spec.volumeClaimTemplates)) {
    for (const claim of spec.volumeClaimTemplates) {
      if (!isJsonObject(claim)) continue;
      // SetDefaults_PersistentVolumeClaimSpec and SetDefaults_PersistentVolumeClaim.
      defaultValue(ensureObject(claim, 'spec'), 'volumeMode', 'Filesystem');
      defaultString(ensureObject(claim, 'status'), 'phase', 'Pending');
    }
  }
}

interface SpecOptions {
  /**
   * On update a stored serviceName that is not a DNS label is tolerated, and the claim templates
   * (which cannot change) are not checked again.
   */
  readonly update: boolean;
}

/** ValidateStatefulSetSpec. */
function validateStatefulSetSpec(spec: JsonObject, path: string, options: SpecOptions): FieldError[] {
  const errors: FieldError[] = [];
  const policy = stringAt(spec, 'podManagementPolicy');
  switch (policy) {
    case '':
      errors.push(fieldErrors.required(`${path}.podManagementPolicy`, ''));
      break;
    case 'OrderedReady':
    case 'Parallel':
      break;
    default:
      errors.push(fieldErrors.invalid(`${path}.podManagementPolicy`, policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  errors.push(...validateUpdateStrategy(objectAt(spec, 'updateStrategy') ?? {}, `${path}.updateStrategy`));
  const retention = objectAt(spec, 'persistentVolumeClaimRetentionPolicy');
  if (retention !== undefined) {
    for (const key of ['whenDeleted', 'whenScaled']) {
      const value = stringAt(retention, key);
      if (value !== 'Retain' && value !== 'Delete') {
        errors.push(fieldErrors.notSupported(`${path}.persistentVolumeClaimRetentionPolicy.${key}`, value, ['Retain', 'Delete']));
      }
    }
  }
  if (!options.update) errors.push(...validateClaimTemplates(spec, `${path}.volumeClaimTemplates`));
  errors.push(...validateNonnegative(spec, 'replicas', `${path}.replicas`));
  errors.push(...validateNonnegative(spec, 'minReadySeconds', `${path}.minReadySeconds`));
  const ordinals = objectAt(spec, 'ordinals');
  if (ordinals !== undefined) errors.push(...validateNonnegative(ordinals, 'start', `${path}.ordinals.start`));
  const serviceName = stringAt(spec, 'serviceName');
  if (!options.update && serviceName !== '') {
    for (const message of isDNS1123Label(serviceName)) errors.push(fieldErrors.invalid(`${path}.serviceName`, serviceName, message));
  }
  errors.push(...validateRequiredSelector(spec, path, 'statefulset'));
  const selector = asLabelSelector(metaSelectorOf(spec.selector));
  const template = templateOf(spec);
  if (selector === undefined) errors.push(fieldErrors.invalid(`${path}.selector`, spec.selector ?? null, ''));
  else errors.push(...validateTemplateMatches(selector, template, `${path}.template`), ...validatePodTemplateSpec(withClaimVolumes(spec, template), `${path}.template`));
  errors.push(...validateLongRunningTemplate(template, `${path}.template`, 'StatefulSet'));
  return errors;
}

/**
 * The template as the controller fills it in: each claim template becomes a volume of the same name
 * (unless the template has one), so that mounts of claims resolve when the pod spec is validated.
 * Upstream long skipped pod validation here for that reason (ValidatePodTemplateSpecForStatefulSet's
 * TODO); the claim volumes go after the template's own, so the template's indices are unchanged.
 */
function withClaimVolumes(spec: JsonObject, template: JsonObject): JsonObject {
  const claims = objectsAt(spec, 'volumeClaimTemplates').map((claim) => stringAt(objectAt(claim, 'metadata') ?? {}, 'name'));
  if (claims.length === 0) return template;
  const podSpec = specOf(template);
  const volumes = objectsAt(podSpec, 'volumes');
  const named = new Set(volumes.map((volume) => stringAt(volume, 'name')));
  const extra = claims.filter((name) => name !== '' && !named.has(name)).map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  if (extra.length === 0) return template;
  return { ...template, spec: { ...podSpec, volumes: [...(Array.isArray(podSpec.volumes) ? podSpec.volumes : []), ...extra] } };
}

/** The updateStrategy rules of ValidateStatefulSetSpec, with validateRollingUpdateStatefulSet. */
function validateUpdateStrategy(strategy: JsonObject, path: string): FieldError[] {
  const type = stringAt(strategy, 'type');
  const rollingUpdate = objectAt(strategy, 'rollingUpdate');
  switch (type) {
    case '':
      return [fieldErrors.required(path, '')];
    case 'OnDelete':
      return present(strategy, 'rollingUpdate')
        ? [fieldErrors.invalid(`${path}.rollingUpdate`, strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'")]
        : [];
    case 'RollingUpdate': {
      if (rollingUpdate === undefined) return [];
      const at = `${path}.rollingUpdate`;
      const errors = validateNonnegative(rollingUpdate, 'partition', `${at}.partition`);
      const maxUnavailable = rollingUpdate.maxUnavailable;
      if (maxUnavailable !== undefined && maxUnavailable !== null) {
        errors.push(...validatePositiveIntOrPercent(maxUnavailable, `${at}.maxUnavailable`));
        if (intOrPercentValue(maxUnavailable) === 0) errors.push(fieldErrors.invalid(`${at}.maxUnavailable`, maxUnavailable, 'cannot be 0'));
        errors.push(...validateNotMoreThan100Percent(maxUnavailable, `${at}.maxUnavailable`));
      }
      return errors;
    }
    default:
      return [fieldErrors.invalid(path, strategy, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

/** ValidatePersistentVolumeClaimSpec for each claim template, under its own path. */
function validateClaimTemplates(spec: JsonObject, path: string): FieldError[] {
  return objectsAt(spec, 'volumeClaimTemplates').flatMap((claim, index) => validateClaimSpec(specOf(claim), `${path}[${index}].spec`));
}

/** ValidateStatefulSetUpdate: everything but the mutable fields must stay as it was. */
function validateSpecUpdate(spec: JsonObject, old: JsonObject): FieldError[] {
  const frozen = (s: JsonObject): JsonObject => Object.fromEntries(Object.entries(s).filter(([key]) => !MUTABLE_SPEC_FIELDS.has(key)));
  if (semanticEqual(frozen(spec), frozen(old))) return [];
  return [
    fieldErrors.forbidden(
      'spec',
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

/** ValidateStatefulSetStatusUpdate. */
function validateStatefulSetStatusUpdate(object: JsonObject, old: JsonObject): FieldError[] {
  const status = statusOf(object);
  const errors = [
    ...validateNonnegativeFields(status, 'status', [
      'replicas',
      'readyReplicas',
      'currentReplicas',
      'updatedReplicas',
      'availableReplicas',
      'observedGeneration',
      'collisionCount',
    ]),
    ...validateNotAboveReplicas(status, 'status', ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']),
  ];
  if (count(status, 'availableReplicas') > count(status, 'readyReplicas')) {
    errors.push(fieldErrors.invalid('status.availableReplicas', count(status, 'availableReplicas'), 'cannot be greater than status.readyReplicas'));
  }
  return [...errors, ...validateCollisionCount(status, statusOf(old))];
}
