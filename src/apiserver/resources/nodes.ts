/**
 * @module
 * core/v1 Nodes: cluster-scoped, registered by kubelets (or simulated ones) and updated through
 * `/status`. Validation follows pkg/apis/core/validation ValidateNode and ValidateNodeUpdate
 * (taints, resource quantities, pod CIDRs that may only go from unset to set, a provider ID that may
 * only be set once); nodes are selectable by spec.unschedulable (pkg/registry/core/node/strategy.go
 * NodeToSelectableFields). `kubectl get no` shows NAME STATUS ROLES AGE VERSION, and INTERNAL-IP
 * EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME with `-o wide` (printers.go printNode).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, cloneJson, getObject, isJsonObject, jsonEqual } from '../../api/json.js';
import { safeParseQuantity } from '../../api/quantity.js';
import { isQualifiedName, isValidLabelValue } from '../../api/validation/names.js';
import { IS_NEGATIVE_ERROR_MSG, validateLabelName } from '../../api/validation/object-meta.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { isValidCIDR, parseCIDR } from './network-validation.js';
import { objects, strings, text } from '../../api/json-values.js';

/** Taint effects in upstream's order (validateTaintEffect lists them unsorted). */
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';
const PODCIDR_CHANGE = 'node updates may not change podCIDR except from "" to valid';
const PROVIDER_CHANGE = 'node updates may not change providerID except from "" to valid';

export const NODES = defineResource({
  group: '',
  version: 'v1',
  kind: 'Node',
  resource: 'nodes',
  namespaced: false,
  schema: 'io.k8s.api.core.v1.Node',
  shortNames: ['no'],
  statusSubresource: true,
  // A kubelet registers its node with a status (pkg/registry/core/node/strategy.go keeps it).
  keepStatusOnCreate: true,
  strategy: {
    defaults: defaultNode,
    validate: (object) => validateNode(object),
    validateUpdate: (object, old, context) =>
      context.subresource === 'status' ? validateNodeUpdate(object, old) : [...validateNode(object), ...validateNodeUpdate(object, old)],
    selectableFields: (object) => ({ 'spec.unschedulable': String(getObject(object, 'spec')?.unschedulable === true) }),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Status', type: 'string', description: 'The status of the node', priority: 0 },
      { name: 'Roles', type: 'string', description: 'The roles of the node', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
      { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', priority: 0 },
      { name: 'Internal-IP', type: 'string', description: 'List of addresses reachable to the node.', priority: 1 },
      { name: 'External-IP', type: 'string', description: 'List of addresses reachable to the node.', priority: 1 },
      { name: 'OS-Image', type: 'string', description: 'OS Image reported by the node from /etc/os-release.', priority: 1 },
      { name: 'Kernel-Version', type: 'string', description: "Kernel Version reported by the node from 'uname -r'.", priority: 1 },
      { name: 'Container-Runtime', type: 'string', description: 'ContainerRuntime Version reported by the node through runtime remote API.', priority: 1 },
    ],
    cells: (object, now) => {
      const info = getObject(object, 'status', 'nodeInfo') ?? {};
      const orUnknown = (value: JsonValue | undefined): string => (text(value) === '' ? '<unknown>' : text(value));
      return [
        nameOf(object),
        nodeStatus(object),
        nodeRoles(object),
        age(object, now),
        text(info.kubeletVersion),
        address(object, 'InternalIP'),
        address(object, 'ExternalIP'),
        orUnknown(info.osImage),
        orUnknown(info.kernelVersion),
        orUnknown(info.containerRuntimeVersion),
      ];
    },
  },
});

/**
 * SetDefaults_NodeStatus (allocatable defaults to capacity) and the v1 conversion of the pod CIDR
 * fields: podCIDRs wins when set, podCIDR fills it otherwise, and podCIDR always shows the first.
 */
function defaultNode(object: JsonObject): void {
  const status = getObject(object, 'status');
  if (status !== undefined && status.allocatable === undefined && isJsonObject(status.capacity)) {
    status.allocatable = cloneJson(status.capacity);
  }
  const spec = getObject(object, 'spec');
  if (spec === undefined) return;
  const cidrs = strings(spec.podCIDRs);
  if (cidrs.length === 0 && text(spec.podCIDR) !== '') spec.podCIDRs = [text(spec.podCIDR)];
  else if (cidrs.length > 0) spec.podCIDR = cidrs[0] ?? '';
}

/** ValidateNode: taints, resource quantities and pod CIDRs (metadata is the store's). */
export function validateNode(object: JsonObject): FieldError[] {
  const spec = getObject(object, 'spec') ?? {};
  // Upstream validates spec.taints under the metadata path; the path is kept as it reports it.
  const errors = [...validateTaints(objects(spec.taints), 'metadata.taints'), ...validateNodeResources(object)];
  const cidrs = strings(spec.podCIDRs);
  if (cidrs.length === 0) return errors;
  for (const [i, cidr] of cidrs.entries()) errors.push(...isValidCIDR(`spec.podCIDRs[${i}]`, cidr));
  if (cidrs.length > 1) {
    const parsed = cidrs.map(parseCIDR);
    const bad = cidrs.find((_, i) => parsed[i] === undefined);
    if (bad !== undefined) {
      errors.push({ type: 'InternalError', field: 'spec.podCIDRs', detail: `invalid PodCIDRs. failed to check with dual stack with error:invalid CIDR address: ${bad}` });
    }
    const families = new Set(parsed.map((c) => c?.ip.family));
    const dualStack = bad === undefined && families.has('IPv4') && families.has('IPv6');
    if (!dualStack || cidrs.length > 2) errors.push(fieldErrors.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    for (const [i, cidr] of cidrs.entries()) {
      if (seen.has(cidr)) errors.push(fieldErrors.duplicate(`spec.podCIDRs[${i}]`, cidr));
      seen.add(cidr);
    }
  }
  return errors;
}

/** ValidateNodeUpdate: what a node update may not change, and the new node's resources and taints. */
export function validateNodeUpdate(object: JsonObject, old: JsonObject): FieldError[] {
  const spec = getObject(object, 'spec') ?? {};
  const before = getObject(old, 'spec') ?? {};
  const errors = validateNodeResources(object);
  const seen: JsonValue[] = [];
  for (const [i, entry] of objects(getObject(object, 'status')?.addresses).entries()) {
    if (seen.some((s) => jsonEqual(s, entry))) errors.push(fieldErrors.duplicate(`status.addresses[${i}]`, entry));
    seen.push(entry);
  }
  // The node IPAM controller may set pod CIDRs once; after that they stay.
  const oldCIDRs = strings(before.podCIDRs);
  if (oldCIDRs.length > 0) {
    const cidrs = strings(spec.podCIDRs);
    if (cidrs.length !== oldCIDRs.length) errors.push(fieldErrors.forbidden('spec.podCIDRs', PODCIDR_CHANGE));
    else for (const [i, cidr] of oldCIDRs.entries()) if (cidr !== cidrs[i]) errors.push(fieldErrors.forbidden('spec.podCIDRs', PODCIDR_CHANGE));
  }
  const providerID = text(before.providerID);
  if (providerID !== '' && providerID !== text(spec.providerID)) errors.push(fieldErrors.forbidden('spec.providerID', PROVIDER_CHANGE));
  errors.push(...validateTaints(objects(spec.taints), 'metadata.taints'));
  if (text(spec.externalID) !== text(before.externalID)) errors.push(fieldErrors.forbidden('spec.externalID', 'may not be updated'));
  return errors;
}

/** validateNodeTaints: key, value and effect of each taint, unique by key and effect. */
function validateTaints(taints: JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, taint] of taints.entries()) {
    const at = `${path}[${i}]`;
    const key = text(taint.key);
    const value = text(taint.value);
    const effect = text(taint.effect);
    errors.push(...validateLabelName(key, `${at}.key`));
    const problems = isValidLabelValue(value);
    if (problems.length > 0) errors.push(fieldErrors.invalid(`${at}.value`, value, problems.join(';')));
    if (effect === '') errors.push(fieldErrors.required(`${at}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) errors.push(fieldErrors.notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
    const id = JSON.stringify([effect, key]);
    if (seen.has(id)) {
      errors.push({ type: 'FieldValueDuplicate', field: at, badValue: taint, detail: 'taints must be unique by key and effect pair' });
      continue;
    }
    seen.add(id);
  }
  return errors;
}

/** ValidateNodeResources: capacity and allocatable are non-negative, and whole for integer resources. */
function validateNodeResources(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const list of ['capacity', 'allocatable']) {
    for (const [name, raw] of Object.entries(getObject(object, 'status', list) ?? {})) {
      const path = `status.${list}.${name}`;
      const value = text(raw);
      const parsed = safeParseQuantity(value);
      if (!parsed.ok) {
        errors.push(fieldErrors.invalid(path, value, parsed.message));
        continue;
      }
      if (parsed.quantity.sign() < 0) errors.push(fieldErrors.invalid(path, value, IS_NEGATIVE_ERROR_MSG));
      if (isIntegerResource(name) && parsed.quantity.milliValue() % 1000n !== 0n) errors.push(fieldErrors.invalid(path, value, 'must be an integer'));
    }
  }
  return errors;
}

/** helper.IsIntegerResourceName: pods and the like, and every extended resource. */
function isIntegerResource(name: string): boolean {
  const standard = ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims'];
  if (standard.includes(name)) return true;
  const extended = name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
  return extended && isQualifiedName(`requests.${name}`).length === 0;
}

/** printNode's STATUS: Ready, NotReady or Unknown from the Ready condition, plus SchedulingDisabled. */
function nodeStatus(object: JsonObject): string {
  const conditions = objects(getObject(object, 'status')?.conditions);
  const ready = conditions.filter((c) => c.type === 'Ready').at(-1);
  const status = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (getObject(object, 'spec')?.unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

/** findNodeRoles: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted. */
function nodeRoles(object: JsonObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(getObject(object, 'metadata', 'labels') ?? {})) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length) roles.add(key.slice(ROLE_PREFIX.length));
    else if (key === ROLE_LABEL && text(value) !== '') roles.add(text(value));
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function address(object: JsonObject, type: string): string {
  const found = objects(getObject(object, 'status')?.addresses).find((a) => a.type === type);
  return found === undefined ? '<none>' : text(found.address);
}

