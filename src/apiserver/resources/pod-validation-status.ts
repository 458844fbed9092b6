/**
 * @module
 * Validation of a pod status update (the kubelet's and the scheduler's writes through
 * pods/status), after pkg/apis/core/validation/validation.go ValidatePodStatusUpdate: custom
 * condition types are qualified names, the QoS class never changes, a terminated container of a
 * pod that does not restart it stays terminated, and pod and host IPs are IP addresses. Also the
 * semantic equality and the spec diff that {@link validatePodUpdate} uses.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { isQualifiedName, nameIsDNSSubdomain } from '../../api/validation/names.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../api/validation/object-meta.js';
import { objectAt, objectsAt, specOf, statusOf, stringAt } from './pod-json.js';
import { ipErrors } from './pod-validation-paths.js';

const SYSTEM_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);

/** ValidatePodStatusUpdate (metadata aside: the generic store checks it). */
export function validatePodStatusUpdate(newPod: JsonObject, oldPod: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const status = statusOf(newPod);
  const old = statusOf(oldPod);
  objectsAt(status, 'conditions').forEach((condition, index) => {
    const type = stringAt(condition, 'type');
    // Upstream reports these under metadata (its field path starts there), with a capital "Type".
    if (!SYSTEM_CONDITIONS.has(type)) errors.push(...isQualifiedName(type).map((msg) => fieldErrors.invalid(`metadata.conditions[${index}].Type`, type, msg)));
  });
  if (stringAt(specOf(newPod), 'nodeName') !== stringAt(specOf(oldPod), 'nodeName')) {
    errors.push(fieldErrors.forbidden('status.nodeName', 'may not be changed directly'));
  }
  const nominated = stringAt(status, 'nominatedNodeName');
  if (nominated !== '' && nominated !== stringAt(old, 'nominatedNodeName')) {
    errors.push(...nameIsDNSSubdomain(nominated, false).map((msg) => fieldErrors.invalid('status.nominatedNodeName', nominated, msg)));
  }
  if (stringAt(status, 'qosClass') !== stringAt(old, 'qosClass')) {
    errors.push(fieldErrors.invalid('status.qosClass', stringAt(status, 'qosClass'), FIELD_IMMUTABLE_ERROR_MSG));
  }
  const oldSpec = specOf(oldPod);
  const restartPolicy = stringAt(oldSpec, 'restartPolicy');
  const restartable = new Set(
    objectsAt(oldSpec, 'initContainers')
      .filter((container) => stringAt(container, 'restartPolicy') === 'Always')
      .map((container) => stringAt(container, 'name')),
  );
  errors.push(
    ...stateTransitionErrors(status, old, 'containerStatuses', restartPolicy, new Set()),
    ...stateTransitionErrors(status, old, 'initContainerStatuses', restartPolicy, restartable),
    // The kubelet never restarts ephemeral containers.
    ...stateTransitionErrors(status, old, 'ephemeralContainerStatuses', 'Never', new Set()),
  );
  const podIPs = objectsAt(status, 'podIPs');
  podIPs.forEach((podIP, index) => errors.push(...ipErrors(stringAt(podIP, 'ip'), `status.podIPs[${index}]`)));
  podIPs.forEach((podIP, index) => {
    if (podIPs.slice(0, index).some((earlier) => stringAt(earlier, 'ip') === stringAt(podIP, 'ip'))) {
      errors.push(fieldErrors.duplicate(`status.podIPs[${index}]`, podIP));
    }
  });
  const hostIPs = objectsAt(status, 'hostIPs');
  const first = hostIPs[0];
  if (first !== undefined && stringAt(first, 'ip') !== stringAt(status, 'hostIP')) {
    errors.push(fieldErrors.invalid('status.hostIPs[0].ip', stringAt(first, 'ip'), 'must be equal to `hostIP`'));
  }
  hostIPs.forEach((hostIP, index) => errors.push(...ipErrors(stringAt(hostIP, 'ip'), `status.hostIPs[${index}]`)));
  return errors;
}

/**
 * ValidateContainerStateTransition: unless the pod restarts its containers, a terminated container
 * (one that succeeded, under OnFailure) may not become waiting or running again.
 */
function stateTransitionErrors(status: JsonObject, old: JsonObject, key: string, restartPolicy: string, restartable: ReadonlySet<string>): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errors: FieldError[] = [];
  const next = objectsAt(status, key);
  objectsAt(old, key).forEach((oldStatus, index) => {
    const terminated = objectAt(objectAt(oldStatus, 'state') ?? {}, 'terminated');
    if (terminated === undefined) return;
    const exitCode = terminated.exitCode;
    if (typeof exitCode === 'number' && exitCode !== 0 && restartPolicy === 'OnFailure') return;
    const name = stringAt(oldStatus, 'name');
    if (restartable.has(name)) return;
    for (const candidate of next) {
      if (stringAt(candidate, 'name') === name && objectAt(objectAt(candidate, 'state') ?? {}, 'terminated') === undefined) {
        errors.push(fieldErrors.forbidden(`status.${key}[${index}].state`, 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errors;
}

/** Go's zero values: what an absent field decodes to. */
function isZero(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

/**
 * apiequality.Semantic.DeepEqual on decoded JSON: a field absent on one side equals its zero value
 * on the other (nil and empty lists and maps are equal upstream, and absent scalars decode to zero).
 */
export function semanticEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => semanticEqual(item, b[i]));
  }
  if (isJsonObject(a) || isJsonObject(b)) {
    if (!isJsonObject(a) || !isJsonObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => semanticEqual(a[key], b[key]));
  }
  return a === b;
}

/**
 * The fields where `next` differs from `old`, one `- path: old` / `+ path: new` pair per leaf (in
 * place of the Go struct diff upstream appends to the forbidden-update message).
 */
export function podSpecDiff(old: JsonValue | undefined, next: JsonValue | undefined, path: string): string {
  const lines: string[] = [];
  collectDiff(old, next, path, lines);
  return lines.join('\n');
}

function collectDiff(old: JsonValue | undefined, next: JsonValue | undefined, path: string, lines: string[]): void {
  if (semanticEqual(old, next)) return;
  if (isJsonObject(old) && isJsonObject(next)) {
    for (const key of new Set([...Object.keys(old), ...Object.keys(next)])) collectDiff(old[key], next[key], `${path}.${key}`, lines);
    return;
  }
  if (Array.isArray(old) && Array.isArray(next) && old.length === next.length) {
    old.forEach((item, i) => collectDiff(item, next[i], `${path}[${i}]`, lines));
    return;
  }
  lines.push(`- ${path}: ${old === undefined ? 'null' : JSON.stringify(old)}`, `+ ${path}: ${next === undefined ? 'null' : JSON.stringify(next)}`);
}
