/**
 * @module
 * Validation of pods and pod templates, as kube-apiserver does it: {@link validatePodSpec} checks a
 * spec wherever it appears (pods, and the templates of Deployments, ReplicaSets, StatefulSets,
 * DaemonSets, Jobs and CronJobs), {@link validatePodTemplateSpec} a template, {@link validatePod}
 * a new pod, and {@link validatePodUpdate} what an update of a running pod may change (images,
 * activeDeadlineSeconds, tolerations added, grace period) — everything else is the familiar
 * "pod updates may not change fields other than …". Metadata is validated by the generic store.
 *
 * Follows pkg/apis/core/validation/validation.go (ValidatePodSpec, ValidatePodTemplateSpec,
 * ValidatePodCreate, validatePodMetadataAndSpec, ValidatePodUpdate, ValidateContainerUpdates),
 * with its field paths and messages. Containers, volumes and scheduling fields are checked in the
 * pod-validation-*.ts modules; status updates in pod-validation-status.ts.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, cloneJson, isJsonObject } from '../../api/json.js';
import { isDNS1123Label, isDNS1123Subdomain, nameIsDNSSubdomain } from '../../api/validation/names.js';
import { validateAnnotations, validateLabels } from '../../api/validation/object-meta.js';
import { metaOf, numberAt, objectAt, objectsAt, present, specOf, stringAt, stringMapAt } from './pod-json.js';
import {
  type ContainerContext,
  validateContainerOnlyForPod,
  validateContainers,
  validateEnum,
  validateEphemeralContainers,
  validateInitContainers,
} from './pod-validation-containers.js';
import { inclusiveRangeError } from './pod-validation-paths.js';
import {
  validateAffinity,
  validateDNSConfig,
  validateHostAliases,
  validateReadinessGates,
  validateSchedulingGates,
  validateTolerations,
  validateTopologySpreadConstraints,
} from './pod-validation-scheduling.js';
import { podSpecDiff, semanticEqual } from './pod-validation-status.js';
import { validateVolumes } from './pod-validation-volumes.js';

export { validatePodStatusUpdate } from './pod-validation-status.js';

export interface PodSpecValidationOptions {
  /** The spec is a pod's rather than a template's (host ports must equal container ports under hostNetwork). */
  readonly resourceIsPod?: boolean;
  /** The pod's name: ephemeral volumes' claims are named after it. */
  readonly podName?: string;
}

const MAX_INT32 = 2147483647;
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** ValidatePodSpec. `path` is where the spec sits: `spec`, or `spec.template.spec` in a workload. */
export function validatePodSpec(spec: JsonObject, path: string, options: PodSpecValidationOptions = {}): FieldError[] {
  const errors: FieldError[] = [];
  const gracePeriod = numberAt(spec, 'terminationGracePeriodSeconds');
  if (gracePeriod === undefined) errors.push(fieldErrors.required(`${path}.terminationGracePeriodSeconds`, ''));
  const volumes = validateVolumes(objectsAt(spec, 'volumes'), options.podName ?? '', `${path}.volumes`);
  errors.push(...volumes.errors);
  const claims = objectsAt(spec, 'resourceClaims');
  errors.push(...validateResourceClaims(claims, `${path}.resourceClaims`));
  const context: ContainerContext = {
    volumes: volumes.volumes,
    gracePeriod,
    podClaimNames: new Set(claims.map((claim) => stringAt(claim, 'name')).filter((name) => name !== '')),
  };
  const containers = objectsAt(spec, 'containers');
  const initContainers = objectsAt(spec, 'initContainers');
  errors.push(
    ...validateContainers(containers, context, `${path}.containers`),
    ...validateInitContainers(initContainers, containers, context, `${path}.initContainers`),
    ...validateEphemeralContainers(objectsAt(spec, 'ephemeralContainers'), containers, initContainers, context, `${path}.ephemeralContainers`),
    ...hostNetworkErrors(spec, containers, options.resourceIsPod ?? false, path),
    ...validateEnum(stringAt(spec, 'restartPolicy'), ['Always', 'OnFailure', 'Never'], `${path}.restartPolicy`),
    ...validateEnum(stringAt(spec, 'dnsPolicy'), ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], `${path}.dnsPolicy`),
    ...validateLabels(stringMapAt(spec, 'nodeSelector'), `${path}.nodeSelector`),
    ...securityContextErrors(spec, path),
    ...objectsAt(spec, 'imagePullSecrets').flatMap((secret, i) =>
      Object.keys(secret).some((key) => key !== 'name') ? [fieldErrors.invalid(`${path}.imagePullSecrets[${i}]`, secret, 'only name may be set')] : [],
    ),
    ...validateAffinity(objectAt(spec, 'affinity'), `${path}.affinity`),
    ...validateDNSConfig(objectAt(spec, 'dnsConfig'), stringAt(spec, 'dnsPolicy'), `${path}.dnsConfig`),
    ...validateReadinessGates(objectsAt(spec, 'readinessGates'), `${path}.readinessGates`),
    ...validateSchedulingGates(objectsAt(spec, 'schedulingGates'), `${path}.schedulingGates`),
    ...validateTopologySpreadConstraints(objectsAt(spec, 'topologySpreadConstraints'), `${path}.topologySpreadConstraints`),
    ...hostUsersErrors(spec, path),
  );
  for (const key of ['serviceAccountName', 'nodeName', 'priorityClassName', 'runtimeClassName']) {
    const value = stringAt(spec, key);
    if (value !== '' || (key === 'runtimeClassName' && present(spec, key))) {
      errors.push(...nameIsDNSSubdomain(value, false).map((msg) => fieldErrors.invalid(`${path}.${key}`, value, msg)));
    }
  }
  const deadline = numberAt(spec, 'activeDeadlineSeconds');
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32)) {
    errors.push(fieldErrors.invalid(`${path}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, MAX_INT32)));
  }
  for (const key of ['hostname', 'subdomain']) {
    const value = stringAt(spec, key);
    if (value !== '') errors.push(...isDNS1123Label(value).map((msg) => fieldErrors.invalid(`${path}.${key}`, value, msg)));
  }
  errors.push(...validateTolerations(objectsAt(spec, 'tolerations'), `${path}.tolerations`));
  errors.push(...validateHostAliases(objectsAt(spec, 'hostAliases'), `${path}.hostAliases`));
  if (present(spec, 'preemptionPolicy')) {
    errors.push(...validateEnum(stringAt(spec, 'preemptionPolicy'), ['PreemptLowerPriority', 'Never'], `${path}.preemptionPolicy`));
  }
  const os = objectAt(spec, 'os');
  if (os !== undefined) {
    const name = stringAt(os, 'name');
    if (name === '') errors.push(fieldErrors.required(`${path}.os.name`, 'cannot be empty'));
    else if (name !== 'linux' && name !== 'windows') errors.push(fieldErrors.notSupported(`${path}.os`, name, ['linux', 'windows']));
  }
  return errors;
}

/**
 * ValidatePodTemplateSpec: the template's labels and annotations (at `<path>.labels`, as upstream
 * reports them), its spec, and no ephemeral containers.
 */
export function validatePodTemplateSpec(template: JsonObject, path: string): FieldError[] {
  const meta = metaOf(template);
  const spec = specOf(template);
  const errors = [
    ...validateLabels(stringMapAt(meta, 'labels'), `${path}.labels`),
    ...validateAnnotations(stringMapAt(meta, 'annotations'), `${path}.annotations`),
    ...podAnnotationErrors(meta, spec, `${path}.annotations`),
    ...validatePodSpec(spec, `${path}.spec`),
  ];
  if (objectsAt(spec, 'ephemeralContainers').length > 0) {
    errors.push(fieldErrors.forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errors;
}

/** ValidatePodCreate (metadata aside): the spec, the pod-only rules, and what may not be set on create. */
export function validatePod(pod: JsonObject): FieldError[] {
  const spec = specOf(pod);
  const errors = podMetadataAndSpecErrors(pod);
  if (objectsAt(spec, 'ephemeralContainers').length > 0) errors.push(fieldErrors.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (stringAt(spec, 'nodeName') !== '' && objectsAt(spec, 'schedulingGates').length > 0) {
    errors.push(fieldErrors.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errors;
}

/** validatePodMetadataAndSpec without ValidateObjectMeta (the generic store runs that). */
function podMetadataAndSpecErrors(pod: JsonObject): FieldError[] {
  const meta = metaOf(pod);
  const spec = specOf(pod);
  const errors = [
    ...podAnnotationErrors(meta, spec, 'metadata.annotations'),
    ...validatePodSpec(spec, 'spec', { resourceIsPod: true, podName: stringAt(meta, 'name') }),
  ];
  // A projected token needs an identity to be issued for.
  if (stringAt(spec, 'serviceAccountName') === '') {
    objectsAt(spec, 'volumes').forEach((volume, vi) => {
      objectsAt(objectAt(volume, 'projected') ?? {}, 'sources').forEach((source, si) => {
        if (present(source, 'serviceAccountToken')) {
          errors.push(fieldErrors.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const key of ['containers', 'initContainers']) {
    objectsAt(spec, key).forEach((container, i) => errors.push(...validateContainerOnlyForPod(container, `spec.${key}[${i}]`)));
  }
  return errors;
}

/** The fields ValidatePodUpdate lets an update change, as its error lists them. */
const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** ValidatePodUpdate (metadata aside): a valid new pod whose spec changed only where allowed. */
export function validatePodUpdate(newPod: JsonObject, oldPod: JsonObject): FieldError[] {
  const errors = podMetadataAndSpecErrors(newPod);
  errors.push(...mirrorAnnotationUpdateErrors(metaOf(newPod), metaOf(oldPod)));
  const spec = specOf(newPod);
  const old = specOf(oldPod);
  for (const key of ['containers', 'initContainers']) {
    const next = objectsAt(spec, key);
    if (next.length !== objectsAt(old, key).length) {
      errors.push(fieldErrors.forbidden(`spec.${key}`, 'pod updates may not add or remove containers'));
      return errors;
    }
    next.forEach((container, i) => {
      const image = stringAt(container, 'image');
      if (image === '') errors.push(fieldErrors.required(`spec.${key}[${i}].image`, ''));
      if (image !== image.trim()) errors.push(fieldErrors.invalid(`spec.${key}[${i}].image`, image, 'must not have leading or trailing whitespace'));
    });
  }
  // activeDeadlineSeconds may be set, or lowered, but not raised or removed.
  const deadline = numberAt(spec, 'activeDeadlineSeconds');
  const oldDeadline = numberAt(old, 'activeDeadlineSeconds');
  if (deadline !== undefined) {
    if (deadline < 0 || deadline > MAX_INT32) {
      errors.push(fieldErrors.invalid('spec.activeDeadlineSeconds', deadline, inclusiveRangeError(0, MAX_INT32)));
      return errors;
    }
    if (oldDeadline !== undefined && oldDeadline < deadline) {
      errors.push(fieldErrors.invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value'));
      return errors;
    }
  } else if (oldDeadline !== undefined) {
    errors.push(fieldErrors.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errors.push(...onlyAddedTolerations(objectsAt(spec, 'tolerations'), objectsAt(old, 'tolerations'), 'spec.tolerations'));
  errors.push(...onlyDeletedSchedulingGates(objectsAt(spec, 'schedulingGates'), objectsAt(old, 'schedulingGates'), 'spec.schedulingGates'));
  if (semanticEqual(spec, old)) return errors;
  const munged = mungeUpdatableFields(spec, old);
  if (!semanticEqual(munged, old)) {
    const diff = podSpecDiff(old, munged, 'spec');
    errors.push(fieldErrors.forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${diff}`));
  }
  return errors;
}

/** The new spec with every field an update may change put back to its old value. */
function mungeUpdatableFields(spec: JsonObject, old: JsonObject): JsonObject {
  const munged = cloneJson(spec);
  for (const key of ['containers', 'initContainers']) {
    const oldContainers = objectsAt(old, key);
    const list = munged[key];
    if (!Array.isArray(list)) continue;
    list.forEach((container, i) => {
      if (isJsonObject(container)) setOrDelete(container, 'image', oldContainers[i]?.image);
    });
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) setOrDelete(munged, key, old[key]);
  const oldGrace = numberAt(old, 'terminationGracePeriodSeconds');
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  // A pod still gated from scheduling may gain nodeSelector entries (not change or lose them).
  if (objectsAt(old, 'schedulingGates').length > 0) {
    const before = stringMapAt(old, 'nodeSelector');
    const after = stringMapAt(munged, 'nodeSelector');
    if ([...before].every(([key, value]) => after.get(key) === value)) setOrDelete(munged, 'nodeSelector', old.nodeSelector);
  }
  return munged;
}

function setOrDelete(object: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined) delete object[key];
  else object[key] = cloneJson(value);
}

/** validateOnlyAddedTolerations: every old toleration is still there (its tolerationSeconds may change). */
function onlyAddedTolerations(next: readonly JsonObject[], old: readonly JsonObject[], path: string): FieldError[] {
  const withoutSeconds = (toleration: JsonObject): JsonObject => {
    const { tolerationSeconds: _seconds, ...rest } = toleration;
    return rest;
  };
  for (const toleration of old) {
    if (!next.some((candidate) => semanticEqual(withoutSeconds(candidate), withoutSeconds(toleration)))) {
      return [fieldErrors.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
    }
  }
  return validateTolerations(next, path);
}

/** validateOnlyDeletedSchedulingGates. */
function onlyDeletedSchedulingGates(next: readonly JsonObject[], old: readonly JsonObject[], path: string): FieldError[] {
  const oldNames = new Set(old.map((gate) => stringAt(gate, 'name')));
  const errors: FieldError[] = [];
  next.forEach((gate, index) => {
    const name = stringAt(gate, 'name');
    if (!oldNames.has(name)) errors.push(fieldErrors.forbidden(`${path}[${index}].name`, `only deletion is allowed, but found new scheduling gate '${name}'`));
  });
  return errors;
}

/** ValidatePodSpecificAnnotations: the mirror-pod annotation needs a node; a deletion cost is an int32. */
function podAnnotationErrors(meta: JsonObject, spec: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const annotations = stringMapAt(meta, 'annotations');
  const mirror = annotations.get(MIRROR_POD_ANNOTATION);
  if (mirror !== undefined && stringAt(spec, 'nodeName') === '') {
    errors.push(fieldErrors.invalid(`${path}[${MIRROR_POD_ANNOTATION}]`, mirror, 'must set spec.nodeName if mirror pod annotation is set'));
  }
  const cost = annotations.get(DELETION_COST_ANNOTATION);
  if (cost !== undefined && !isInt32(cost)) errors.push(fieldErrors.invalid(`${path}[${DELETION_COST_ANNOTATION}]`, cost, 'must be a 32bit integer'));
  return errors;
}

/** ValidatePodSpecificAnnotationUpdates: the mirror-pod annotation cannot be added, changed or removed. */
function mirrorAnnotationUpdateErrors(meta: JsonObject, oldMeta: JsonObject): FieldError[] {
  const now = stringMapAt(meta, 'annotations').get(MIRROR_POD_ANNOTATION);
  const before = stringMapAt(oldMeta, 'annotations').get(MIRROR_POD_ANNOTATION);
  const path = `metadata.annotations[${MIRROR_POD_ANNOTATION}]`;
  if (before !== undefined && now !== before) return [fieldErrors.forbidden(path, 'may not remove or update mirror pod annotation')];
  if (before === undefined && now !== undefined) return [fieldErrors.forbidden(path, 'may not add mirror pod annotation')];
  return [];
}

function isInt32(text: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(text)) return false;
  const value = Number(text);
  return value >= -2147483648 && value <= MAX_INT32;
}

/** validatePodResourceClaims: named once, and naming exactly one claim or claim template. */
function validateResourceClaims(claims: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  claims.forEach((claim, index) => {
    const at = `${path}[${index}]`;
    const name = stringAt(claim, 'name');
    if (name === '') errors.push(fieldErrors.required(`${at}.name`, ''));
    else if (names.has(name)) errors.push(fieldErrors.duplicate(`${at}.name`, name));
    else {
      errors.push(...isDNS1123Label(name).map((msg) => fieldErrors.invalid(`${at}.name`, name, msg)));
      names.add(name);
    }
    const hasClaim = present(claim, 'resourceClaimName');
    const hasTemplate = present(claim, 'resourceClaimTemplateName');
    if (hasClaim && hasTemplate) errors.push(fieldErrors.invalid(at, claim, 'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'));
    if (!hasClaim && !hasTemplate) errors.push(fieldErrors.invalid(at, claim, 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
    for (const key of ['resourceClaimName', 'resourceClaimTemplateName']) {
      const value = stringAt(claim, key);
      if (present(claim, key)) errors.push(...isDNS1123Subdomain(value).map((msg) => fieldErrors.invalid(`${at}.${key}`, value, msg)));
    }
  });
  return errors;
}

/** validatePodHostNetworkDeps: with hostNetwork, a pod's host ports equal its container ports. */
function hostNetworkErrors(spec: JsonObject, containers: readonly JsonObject[], resourceIsPod: boolean, path: string): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errors: FieldError[] = [];
  containers.forEach((container, ci) => {
    objectsAt(container, 'ports').forEach((port, pi) => {
      const hostPort = numberAt(port, 'hostPort') ?? 0;
      // A template may leave hostPort 0: the pod made from it gets it defaulted.
      if ((resourceIsPod || hostPort !== 0) && hostPort !== (numberAt(port, 'containerPort') ?? 0)) {
        errors.push(fieldErrors.invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errors;
}

/** validateHostUsers: a user-namespaced pod may not share the host's network, PID or IPC namespace. */
function hostUsersErrors(spec: JsonObject, path: string): FieldError[] {
  if (spec.hostUsers !== false) return [];
  const errors: FieldError[] = [];
  // Upstream's paths, capitals included.
  const fields: ReadonlyArray<readonly [string, string]> = [['hostNetwork', 'hostNetwork'], ['hostPID', 'HostPID'], ['hostIPC', 'HostIPC']];
  for (const [key, segment] of fields) {
    if (spec[key] === true) errors.push(fieldErrors.forbidden(`${path}.${segment}`, 'when `pod.Spec.HostUsers` is false'));
  }
  return errors;
}

/** validatePodSpecSecurityContext: user and group IDs in range; no shared process namespace with hostPID. */
function securityContextErrors(spec: JsonObject, path: string): FieldError[] {
  const context = objectAt(spec, 'securityContext');
  if (context === undefined) return [];
  const at = `${path}.securityContext`;
  const errors: FieldError[] = [];
  const idErrors = (value: number | undefined, field: string): void => {
    if (value !== undefined && (value < 0 || value > MAX_INT32)) errors.push(fieldErrors.invalid(field, value, inclusiveRangeError(0, MAX_INT32)));
  };
  idErrors(numberAt(context, 'fsGroup'), `${at}.fsGroup`);
  idErrors(numberAt(context, 'runAsUser'), `${at}.runAsUser`);
  idErrors(numberAt(context, 'runAsGroup'), `${at}.runAsGroup`);
  const groups = context.supplementalGroups;
  if (Array.isArray(groups)) groups.forEach((gid, i) => idErrors(typeof gid === 'number' ? gid : undefined, `${at}.supplementalGroups[${i}]`));
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errors.push(fieldErrors.invalid(`${at}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  return errors;
}
