/**
 * @module
 * core/v1 Services. Defaults follow pkg/apis/core/v1/defaults.go SetDefaults_Service; create and
 * update prepare the spec as pkg/registry/core/service (strategy.go dropTypeDependentFields,
 * storage.go patchAllocatedValues and NormalizeClusterIPs, alloc.go initIPFamilyFields) do; a new
 * Service gets its cluster IP and node ports from {@link ServiceAllocator} just before it is stored,
 * and gives them back when it is deleted. Names are DNS-1035 labels. `kubectl get svc` shows NAME
 * TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, and SELECTOR with `-o wide` (pkg/printers printService).
 *
 * Allocation only happens on create (the generic store has no asynchronous update hook), so an
 * update that would need a new cluster IP or node port — ExternalName to ClusterIP, ClusterIP to
 * NodePort, a new port on a NodePort Service — is refused rather than left unreserved.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getArray, getObject, isJsonObject, jsonEqual } from '../../api/json.js';
import { isDNS1123Subdomain, nameIsDNS1035Label } from '../../api/validation/names.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { type IPFamily, familyOf, isValidIP } from './network-validation.js';
import {
  ServiceAllocator,
  type ServiceAllocatorOptions,
  allocateForService,
  allocateForServiceUpdate,
  needsHealthCheck,
  releaseForService,
  shouldAllocateNodePorts,
} from './service-allocator.js';
import {
  externallyAccessible,
  hasSelector,
  validateClusterIPsRelatedFields,
  validateService,
  validateServiceUpdate,
} from './service-validation.js';
import { numberOr, objects, strings, text } from '../../api/json-values.js';

/** v1.DefaultClientIPServiceAffinitySeconds: three hours. */
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;
const LB_IP_MODES = ['Proxy', 'VIP'];

/** The Services resource, allocating from the ranges in `options` (the defaults of kube-apiserver otherwise). */
export function createServicesDefinition(options: ServiceAllocatorOptions = {}): ResourceDefinition {
  const allocator = new ServiceAllocator(options);
  const family = allocator.family;
  return defineResource({
    group: '',
    version: 'v1',
    kind: 'Service',
    resource: 'services',
    namespaced: true,
    schema: 'io.k8s.api.core.v1.Service',
    shortNames: ['svc'],
    categories: ['all'],
    statusSubresource: true,
    strategy: {
      validateName: (name, prefix) => nameIsDNS1035Label(name, prefix),
      defaults: defaultService,
      prepareForCreate: (object) => {
        // A zero ServiceStatus still carries its (empty) loadBalancer on the wire.
        object.status = { loadBalancer: {} };
        const spec = specOf(object);
        normalizeClusterIPs(spec, undefined);
        initIPFamilyFields(spec, undefined, family);
      },
      prepareForUpdate: (object, old, context) => {
        if (context.subresource === 'status') return;
        const spec = specOf(object);
        const before = getObject(old, 'spec') ?? {};
        patchAllocatedValues(spec, before);
        normalizeClusterIPs(spec, before);
        dropTypeDependentFields(spec, before);
        // Load balancer status goes with the type (dropTypeDependentFields).
        if (spec.type !== 'LoadBalancer' && isJsonObject(object.status)) object.status.loadBalancer = {};
        initIPFamilyFields(spec, before, family);
      },
      validate: (object) => validateService(object, { family, allocatesHealthCheck: true }),
      validateUpdate: (object, old, context) => {
        if (context.subresource === 'status') return validateServiceStatus(object);
        return [
          ...validateServiceUpdate(object, old),
          ...validateService(object, { family, allocatesHealthCheck: !needsHealthCheck(getObject(old, 'spec') ?? {}) }),
        ];
      },
      selectableFields: (object) => ({
        'spec.clusterIP': text(getObject(object, 'spec')?.clusterIP),
        'spec.type': text(getObject(object, 'spec')?.type),
      }),
      beforeCreate: (object, context) => allocateForService(allocator, object, context.storage, context.dryRun),
      beforeUpdate: async (object, old, context) =>
        context.subresource === 'status' ? undefined : allocateForServiceUpdate(allocator, object, old, context.storage, context.dryRun),
      afterDelete: (object, context) => releaseForService(allocator, object, context.storage),
    },
    table: {
      columns: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
        { name: 'Type', type: 'string', description: 'How the Service is exposed.', priority: 0 },
        { name: 'Cluster-IP', type: 'string', description: 'The IP address of the service.', priority: 0 },
        { name: 'External-IP', type: 'string', description: 'IPs on which nodes also accept traffic for this service.', priority: 0 },
        { name: 'Port(s)', type: 'string', description: 'The ports exposed by this service.', priority: 0 },
        { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
        { name: 'Selector', type: 'string', description: 'Route service traffic to pods with label keys and values matching this selector.', priority: 1 },
      ],
      cells: (object, now) => {
        const spec = getObject(object, 'spec') ?? {};
        const ports = portString(objects(spec.ports));
        return [
          nameOf(object),
          text(spec.type),
          strings(spec.clusterIPs)[0] ?? '<none>',
          externalIP(object),
          ports === '' ? '<none>' : ports,
          age(object, now),
          formatLabels(spec.selector),
        ];
      },
    },
  });
}

export const SERVICES = createServicesDefinition();

/** SetDefaults_Service. */
export function defaultService(object: JsonObject): void {
  const spec = specOf(object);
  if (text(spec.sessionAffinity) === '') spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = getObject(spec, 'sessionAffinityConfig', 'clientIP')?.timeoutSeconds;
    if (timeout === undefined) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (text(spec.type) === '') spec.type = 'ClusterIP';
  for (const port of objects(spec.ports)) {
    if (text(port.protocol) === '') port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = numberOr(port.port);
  }
  if (externallyAccessible(spec) && text(spec.externalTrafficPolicy) === '') spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(text(spec.type))) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
    for (const ingress of objects(getObject(object, 'status', 'loadBalancer')?.ingress)) {
      if (text(ingress.ip) !== '' && ingress.ipMode === undefined) ingress.ipMode = 'VIP';
    }
  }
}

/**
 * NormalizeClusterIPs: a client that only knows clusterIP gets clusterIPs filled in; an old client
 * that leaves clusterIPs out of an update keeps them; clearing clusterIP clears an unchanged clusterIPs.
 */
function normalizeClusterIPs(spec: JsonObject, before: JsonObject | undefined): void {
  const clusterIP = text(spec.clusterIP);
  if (before === undefined) {
    if (clusterIP !== '' && strings(spec.clusterIPs).length === 0) spec.clusterIPs = [clusterIP];
    return;
  }
  const was = text(before.clusterIP);
  if (strings(before.clusterIPs).length > 0 && strings(spec.clusterIPs).length === 0 && was === clusterIP) {
    spec.clusterIPs = strings(before.clusterIPs);
  }
  if (was !== clusterIP) {
    const sameList = jsonEqual(strings(before.clusterIPs), strings(spec.clusterIPs));
    if (was !== '' && clusterIP === '' && sameList) delete spec.clusterIPs;
    if (clusterIP !== '' && sameList) spec.clusterIPs = [clusterIP];
  }
}

/**
 * initIPFamilyFields for a single-stack cluster: a policy (the old one, RequireDualStack for a
 * headless Service without selector, else SingleStack) and the families the IPs imply, or the
 * cluster's. Invalid input is left alone for validation to report.
 */
function initIPFamilyFields(spec: JsonObject, before: JsonObject | undefined, family: IPFamily): void {
  if (spec.type === 'ExternalName') return;
  const headlessSelectorless = text(spec.clusterIP) === 'None' && !hasSelector(spec);
  if (spec.ipFamilyPolicy === undefined) {
    if (before !== undefined && typeof before.ipFamilyPolicy === 'string') spec.ipFamilyPolicy = before.ipFamilyPolicy;
    else spec.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  }
  if (validateClusterIPsRelatedFields(spec).length > 0) return;
  const families = strings(spec.ipFamilies);
  const clusterIPs = strings(spec.clusterIPs);
  if (before !== undefined && spec.ipFamilyPolicy === 'SingleStack') {
    // Setting SingleStack while keeping the IPs and families is the intent to drop the secondary.
    if (jsonEqual(clusterIPs, strings(before.clusterIPs)) && clusterIPs.length > 1) spec.clusterIPs = clusterIPs.slice(0, 1);
    if (jsonEqual(families, strings(before.ipFamilies)) && families.length > 1) families.splice(1);
  }
  for (const [i, ip] of strings(spec.clusterIPs).entries()) {
    if (ip === 'None' || i < families.length) continue;
    // An IP of a family this cluster does not serve is an error; stop before making it worse.
    if (familyOf(ip) !== family) return;
    families.push(family);
  }
  if (headlessSelectorless) {
    if (families.length === 0) families.push(family);
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
  } else if (families.length === 0) {
    families.push(family);
  }
  spec.ipFamilies = families;
}

/** patchAllocatedValues: an update that leaves out allocated values keeps the old ones. */
function patchAllocatedValues(spec: JsonObject, before: JsonObject): void {
  if (before.type !== 'ExternalName' && spec.type !== 'ExternalName') {
    if (text(spec.clusterIP) === '' && text(before.clusterIP) !== '') spec.clusterIP = text(before.clusterIP);
    if (strings(spec.clusterIPs).length === 0 && strings(before.clusterIPs).length > 0) spec.clusterIPs = strings(before.clusterIPs);
  }
  if (needsNodePort(before) && needsNodePort(spec)) {
    const used = new Set(nodePortsOf(before).filter((p) => nodePortsOf(spec).includes(p)));
    // Node ports are matched by port name: other properties of the port may have changed.
    const byName = new Map(objects(before.ports).map((p) => [text(p.name), numberOr(p.nodePort)]));
    for (const port of objects(spec.ports)) {
      const old = byName.get(text(port.name)) ?? 0;
      if (numberOr(port.nodePort) === 0 && !used.has(old)) port.nodePort = old;
    }
  }
  if (needsHealthCheck(before) && needsHealthCheck(spec) && numberOr(spec.healthCheckNodePort) === 0) {
    spec.healthCheckNodePort = numberOr(before.healthCheckNodePort);
  }
}

/** dropTypeDependentFields: fields the new type has no use for go, unless the user changed them too. */
function dropTypeDependentFields(spec: JsonObject, before: JsonObject): void {
  if (before.type !== 'ExternalName' && spec.type === 'ExternalName') {
    if (text(spec.clusterIP) === text(before.clusterIP) && jsonEqual(strings(spec.clusterIPs), strings(before.clusterIPs))) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (jsonEqual(strings(spec.ipFamilies), strings(before.ipFamilies))) delete spec.ipFamilies;
    if (text(spec.ipFamilyPolicy) === text(before.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  const oldNodePorts = new Set(nodePortsOf(before));
  if (needsNodePort(before) && !needsNodePort(spec) && nodePortsOf(spec).every((p) => oldNodePorts.has(p))) {
    for (const port of objects(spec.ports)) delete port.nodePort;
  }
  if (needsHealthCheck(before) && !needsHealthCheck(spec) && numberOr(spec.healthCheckNodePort) === numberOr(before.healthCheckNodePort)) {
    delete spec.healthCheckNodePort;
  }
  if (before.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (typeof spec.allocateLoadBalancerNodePorts === 'boolean' && spec.allocateLoadBalancerNodePorts === before.allocateLoadBalancerNodePorts) {
      delete spec.allocateLoadBalancerNodePorts;
    }
    if (jsonEqual(spec.loadBalancerClass, before.loadBalancerClass)) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(before) && !externallyAccessible(spec) && spec.externalTrafficPolicy === before.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
}

function needsNodePort(spec: JsonObject): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

function nodePortsOf(spec: JsonObject): number[] {
  return objects(spec.ports)
    .map((p) => numberOr(p.nodePort))
    .filter((p) => p !== 0);
}

/** getServiceExternalIP (printers.go), as the server prints it (wide, so never clipped). */
function externalIP(object: JsonObject): string {
  const spec = getObject(object, 'spec') ?? {};
  const external = strings(spec.externalIPs);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = objects(getObject(object, 'status', 'loadBalancer')?.ingress);
      const lb = [...new Set(ingress.map((i) => text(i.ip) || text(i.hostname)).filter((v) => v !== ''))].sort();
      if (external.length > 0) return [...lb, ...external].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return text(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** makePortString: `port/protocol`, or `port:nodePort/protocol`. */
function portString(ports: JsonObject[]): string {
  return ports
    .map((p) => {
      const nodePort = numberOr(p.nodePort);
      const head = nodePort > 0 ? `${numberOr(p.port)}:${nodePort}` : String(numberOr(p.port));
      return `${head}/${text(p.protocol)}`;
    })
    .join(',');
}

/** ValidateServiceStatusUpdate: the load balancer status (ValidateLoadBalancerStatus). */
function validateServiceStatus(service: JsonObject): FieldError[] {
  const spec = getObject(service, 'spec') ?? {};
  const ingress = objects(getArray(service, 'status', 'loadBalancer', 'ingress'));
  const path = 'status.loadBalancer.ingress';
  if (spec.type !== 'LoadBalancer' && ingress.length > 0) return [fieldErrors.forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'")];
  const errors: FieldError[] = [];
  for (const [i, entry] of ingress.entries()) {
    const ip = text(entry.ip);
    const hostname = text(entry.hostname);
    if (ip !== '') errors.push(...isValidIP(`${path}[${i}].ip`, ip));
    const mode = entry.ipMode;
    if (mode === undefined) {
      if (ip !== '') errors.push(fieldErrors.required(`${path}[${i}].ipMode`, 'must be specified when `ip` is set'));
    } else if (ip === '') errors.push(fieldErrors.forbidden(`${path}[${i}].ipMode`, 'may not be specified when `ip` is not set'));
    else if (typeof mode !== 'string' || !LB_IP_MODES.includes(mode)) errors.push(fieldErrors.notSupported(`${path}[${i}].ipMode`, mode, LB_IP_MODES));
    if (hostname !== '') {
      for (const msg of isDNS1123Subdomain(hostname)) errors.push(fieldErrors.invalid(`${path}[${i}].hostname`, hostname, msg));
      if (familyOf(hostname) !== undefined) errors.push(fieldErrors.invalid(`${path}[${i}].hostname`, hostname, 'must be a DNS name, not an IP address'));
    }
  }
  return errors;
}

/** labels.FormatLabels: `k=v` sorted by key, or `<none>`. */
export function formatLabels(value: JsonValue | undefined): string {
  if (!isJsonObject(value)) return '<none>';
  const pairs = Object.keys(value)
    .sort()
    .map((key) => `${key}=${text(value[key])}`);
  return pairs.length === 0 ? '<none>' : pairs.join(',');
}

function specOf(object: JsonObject): JsonObject {
  const spec = isJsonObject(object.spec) ? object.spec : {};
  object.spec = spec;
  return spec;
}

