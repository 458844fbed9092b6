/**
 * @module
 * networking.k8s.io/v1 NetworkPolicies, stored, defaulted and validated as kube-apiserver does
 * (pkg/apis/networking/validation ValidateNetworkPolicySpec, pkg/apis/networking/v1/defaults.go).
 * Simulated pods exchange no traffic, so nothing enforces them, as in a cluster whose network
 * plugin does not implement NetworkPolicy.
 *
 * - **Defaults**: policyTypes Ingress, plus Egress when there are egress rules; ports' protocol TCP.
 * - **Validation**: label selectors; ports TCP, UDP or SCTP, a number (with an endPort not below
 *   it) or a name (without endPort); each peer a pod or namespace selector, or an IP block alone,
 *   whose exceptions lie strictly within its CIDR; at most the two policyTypes.
 * - **kubectl get** shows NAME POD-SELECTOR AGE (printNetworkPolicy).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, getObject, isJsonObject } from '../../api/json.js';
import { objects, strings, text } from '../../api/json-values.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { NETWORKING_GROUP } from './ingresses.js';
import { bitsOf, isValidCIDR, isValidPortName, isValidPortNum, parseCIDR } from './network-validation.js';
import { formatLabelSelector, validateLabelSelector } from './workload-helpers.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];

export const NETWORK_POLICIES: ResourceDefinition = defineResource({
  group: NETWORKING_GROUP,
  version: 'v1',
  kind: 'NetworkPolicy',
  resource: 'networkpolicies',
  namespaced: true,
  schema: 'io.k8s.api.networking.v1.NetworkPolicy',
  shortNames: ['netpol'],
  tracksGeneration: true,
  strategy: {
    defaults: defaultNetworkPolicy,
    validate: (object) => validateNetworkPolicySpec(getObject(object, 'spec') ?? {}),
    validateUpdate: (object) => validateNetworkPolicySpec(getObject(object, 'spec') ?? {}),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Pod-Selector', type: 'string', description: 'The pods of the namespace the policy applies to.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => [nameOf(object), formatLabelSelector(getObject(object, 'spec')?.podSelector ?? {}), age(object, now)],
  },
});

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort; an absent podSelector is the empty one. */
function defaultNetworkPolicy(object: JsonObject): void {
  if (!isJsonObject(object.spec)) object.spec = {};
  const spec = object.spec;
  if (!isJsonObject(spec.podSelector)) spec.podSelector = {};
  if (strings(spec.policyTypes).length === 0) spec.policyTypes = objects(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const rule of [...objects(spec.ingress), ...objects(spec.egress)]) {
    for (const port of objects(rule.ports)) if (port.protocol === undefined) port.protocol = 'TCP';
  }
}

/** ValidateNetworkPolicySpec. */
function validateNetworkPolicySpec(spec: JsonObject): FieldError[] {
  const errors = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  for (const [direction, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    objects(spec[direction]).forEach((rule, i) => {
      const at = `spec.${direction}[${i}]`;
      objects(rule.ports).forEach((port, j) => errors.push(...validatePort(port, `${at}.ports[${j}]`)));
      objects(rule[peers]).forEach((peer, j) => errors.push(...validatePeer(peer, `${at}.${peers}[${j}]`)));
    });
  }
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  if (types.length > POLICY_TYPES.length) {
    errors.push(fieldErrors.invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
    return errors;
  }
  types.forEach((type, i) => {
    if (typeof type !== 'string' || !POLICY_TYPES.includes(type)) errors.push(fieldErrors.notSupported(`spec.policyTypes[${i}]`, type, POLICY_TYPES));
  });
  return errors;
}

/** ValidateNetworkPolicyPort. */
function validatePort(port: JsonObject, at: string): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof port.protocol === 'string' && !PROTOCOLS.includes(port.protocol)) errors.push(fieldErrors.notSupported(`${at}.protocol`, port.protocol, PROTOCOLS));
  const value = port.port;
  const endPort = port.endPort;
  if (typeof value === 'number') {
    for (const message of isValidPortNum(value)) errors.push(fieldErrors.invalid(`${at}.port`, value, message));
    if (typeof endPort === 'number') {
      if (endPort < value) errors.push(fieldErrors.invalid(`${at}.endPort`, value, 'must be greater than or equal to `port`'));
      for (const message of isValidPortNum(endPort)) errors.push(fieldErrors.invalid(`${at}.endPort`, endPort, message));
    }
  } else if (typeof value === 'string') {
    if (typeof endPort === 'number') errors.push(fieldErrors.invalid(`${at}.endPort`, endPort, 'may not be specified when `port` is non-numeric'));
    for (const message of isValidPortName(value)) errors.push(fieldErrors.invalid(`${at}.port`, value, message));
  } else if (typeof endPort === 'number') {
    errors.push(fieldErrors.invalid(`${at}.endPort`, endPort, 'may not be specified when `port` is not specified'));
  }
  return errors;
}

/** ValidateNetworkPolicyPeer: selectors, or an IP block alone. */
function validatePeer(peer: JsonObject, at: string): FieldError[] {
  const errors: FieldError[] = [];
  let peers = 0;
  for (const key of ['podSelector', 'namespaceSelector']) {
    if (!isJsonObject(peer[key])) continue;
    peers++;
    errors.push(...validateLabelSelector(peer[key], `${at}.${key}`));
  }
  const block = getObject(peer, 'ipBlock');
  if (block !== undefined) {
    peers++;
    errors.push(...validateIPBlock(block, `${at}.ipBlock`));
  }
  if (peers === 0) errors.push(fieldErrors.required(at, 'must specify a peer'));
  else if (peers > 1 && block !== undefined) errors.push(fieldErrors.forbidden(at, 'may not specify both ipBlock and another peer'));
  return errors;
}

/** ValidateIPBlock: a CIDR, and exceptions strictly within it. */
function validateIPBlock(block: JsonObject, at: string): FieldError[] {
  const cidrText = text(block.cidr);
  if (cidrText === '') return [fieldErrors.required(`${at}.cidr`)];
  const errors = isValidCIDR(`${at}.cidr`, cidrText);
  const cidr = parseCIDR(cidrText);
  if (cidr === undefined) return errors;
  strings(block.except).forEach((exceptText, i) => {
    const path = `${at}.except[${i}]`;
    errors.push(...isValidCIDR(path, exceptText));
    const except = parseCIDR(exceptText);
    if (except === undefined) return;
    const hostBits = BigInt(bitsOf(cidr.ip.family) - cidr.prefix);
    const within = except.ip.family === cidr.ip.family && except.network >> hostBits === cidr.network >> hostBits;
    if (!within || cidr.prefix >= except.prefix) errors.push(fieldErrors.invalid(path, exceptText, 'must be a strict subset of `cidr`'));
  });
  return errors;
}
