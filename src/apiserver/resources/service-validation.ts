/**
 * @module
 * Validation of core/v1 Services, after pkg/apis/core/validation/validation.go (ValidateService,
 * validateServicePort, ValidateServiceClusterIPsRelatedFields, ValidateServiceUpdate and its
 * upgrade/downgrade rules) and the family checks that
 * pkg/registry/core/service/storage/alloc.go initIPFamilyFields makes before allocating. Paths and
 * messages are upstream's, quirks included (`spec.LoadBalancerSourceRanges`, and
 * `allocateLoadBalancerNodePorts` without its `spec.`).
 *
 * Upstream allocates before it validates; here allocation comes after validation (the generic
 * store's beforeCreate), so a new Service may still lack its cluster IP and health check node port.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, isJsonObject, jsonEqual } from '../../api/json.js';
import { isDNS1123Subdomain } from '../../api/validation/names.js';
import { FIELD_IMMUTABLE_ERROR_MSG, validateLabels } from '../../api/validation/object-meta.js';
import {
  type IPFamily,
  familyOf,
  isValidCIDR,
  isValidIP,
  isValidPortNum,
  validateDNS1123Label,
  validateNonSpecialIP,
  validatePortNumOrName,
  validateProtocol,
  validateQualifiedName,
} from './network-validation.js';
import { needsHealthCheck } from './service-allocator.js';
import { numberOr, objects, strings, text } from '../../api/json-values.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameNode', 'PreferSameZone'];
/** core.MaxClientIPServiceAffinitySeconds. */
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** How validation is run: the cluster's IP family, and whether allocation is still to come. */
export interface ServiceValidationOptions {
  readonly family: IPFamily;
  /**
   * The health check node port is still to be allocated: upstream allocates before it validates,
   * we after, so a port that allocation will fill in (on create, or when an update starts needing
   * one) is not yet required.
   */
  readonly allocatesHealthCheck: boolean;
}

/** ValidateService plus initIPFamilyFields' checks. */
export function validateService(service: JsonObject, options: ServiceValidationOptions): FieldError[] {
  const spec = getObject(service, 'spec') ?? {};
  const type = text(spec.type);
  const annotations = getObject(service, 'metadata', 'annotations') ?? {};
  const errors: FieldError[] = [];
  const mode = annotations[TOPOLOGY_MODE];
  const hints = annotations[TOPOLOGY_HINTS];
  if (typeof mode === 'string' && typeof hints === 'string' && mode !== hints) {
    errors.push(fieldErrors.invalid(`metadata.annotations[${TOPOLOGY_MODE}]`, mode, `must match annotations[${TOPOLOGY_HINTS}] when both are specified`));
  }
  const ports = objects(spec.ports);
  const clusterIPs = strings(spec.clusterIPs);
  const headless = isHeadless(spec);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errors.push(fieldErrors.required('spec.ports'));
  switch (type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (headless) errors.push(fieldErrors.invalid('spec.clusterIPs[0]', clusterIPs[0], `may not be set to 'None' for ${type} services`));
      break;
    case 'ExternalName': {
      if (clusterIPs.length > 0) errors.push(fieldErrors.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (strings(spec.ipFamilies).length > 0) errors.push(fieldErrors.forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined) errors.push(fieldErrors.forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      // A trailing dot marks the name fully qualified.
      const cname = text(spec.externalName).replace(/\.$/, '');
      if (cname === '') errors.push(fieldErrors.required('spec.externalName'));
      else for (const msg of isDNS1123Subdomain(cname)) errors.push(fieldErrors.invalid('spec.externalName', cname, msg));
      break;
    }
    default:
      break;
  }
  const names = new Set<string>();
  for (const [i, port] of ports.entries()) errors.push(...validateServicePort(port, ports.length > 1, names, `spec.ports[${i}]`));
  if (isJsonObject(spec.selector)) errors.push(...validateLabels(stringMap(spec.selector), 'spec.selector'));
  errors.push(...validateSessionAffinity(spec));
  const related = validateClusterIPsRelatedFields(spec);
  errors.push(...related);
  for (const [i, ip] of strings(spec.externalIPs).entries()) {
    const invalid = isValidIP(`spec.externalIPs[${i}]`, ip);
    errors.push(...(invalid.length > 0 ? invalid : validateNonSpecialIP(ip, `spec.externalIPs[${i}]`)));
  }
  if (type === '') errors.push(fieldErrors.required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errors.push(fieldErrors.notSupported('spec.type', type, SERVICE_TYPES));
  errors.push(...validatePortCombinations(type, ports));
  errors.push(...validateLoadBalancerFields(service, spec, type));
  errors.push(...validateTrafficPolicies(spec, options));
  if (related.length === 0) errors.push(...validateFamilies(spec, options.family));
  return errors;
}

function validateServicePort(port: JsonObject, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = text(port.name);
  if (requireName && name === '') errors.push(fieldErrors.required(`${path}.name`));
  else if (name !== '') {
    errors.push(...validateDNS1123Label(name, `${path}.name`));
    if (names.has(name)) errors.push(fieldErrors.duplicate(`${path}.name`, name));
    else names.add(name);
  }
  const number = typeof port.port === 'number' ? port.port : 0;
  for (const msg of isValidPortNum(number)) errors.push(fieldErrors.invalid(`${path}.port`, number, msg));
  errors.push(...validateProtocol(text(port.protocol), `${path}.protocol`));
  const target = port.targetPort;
  if (typeof target === 'number' || typeof target === 'string') errors.push(...validatePortNumOrName(target, `${path}.targetPort`));
  if (typeof port.appProtocol === 'string') errors.push(...validateQualifiedName(port.appProtocol, `${path}.appProtocol`));
  return errors;
}

function validateSessionAffinity(spec: JsonObject): FieldError[] {
  const affinity = text(spec.sessionAffinity);
  if (affinity === '') return [fieldErrors.required('spec.sessionAffinity')];
  if (!SESSION_AFFINITIES.includes(affinity)) return [fieldErrors.notSupported('spec.sessionAffinity', affinity, SESSION_AFFINITIES)];
  const path = 'spec.sessionAffinityConfig';
  if (affinity === 'None') {
    return spec.sessionAffinityConfig === undefined ? [] : [fieldErrors.forbidden(path, 'must not be set when session affinity is None')];
  }
  // validateClientIPAffinityConfig.
  const when = 'when session affinity type is ClientIP';
  const config = getObject(spec, 'sessionAffinityConfig');
  if (config === undefined) return [fieldErrors.required(path, when)];
  const clientIP = getObject(config, 'clientIP');
  if (clientIP === undefined) return [fieldErrors.required(`${path}.clientIP`, when)];
  const timeout = clientIP.timeoutSeconds;
  if (typeof timeout !== 'number') return [fieldErrors.required(`${path}.clientIP.timeoutSeconds`, when)];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [fieldErrors.invalid(`${path}.clientIP.timeoutSeconds`, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

/** ValidateServiceClusterIPsRelatedFields: clusterIP and clusterIPs agree; families and IPs are well-formed. */
export function validateClusterIPsRelatedFields(spec: JsonObject): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errors: FieldError[] = [];
  const clusterIP = text(spec.clusterIP);
  const clusterIPs = strings(spec.clusterIPs);
  const families = strings(spec.ipFamilies);
  if (clusterIP !== '') {
    if (clusterIPs.length === 0) errors.push(fieldErrors.required('spec.clusterIPs'));
    else if (clusterIPs[0] !== clusterIP) errors.push(fieldErrors.invalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length > 0) {
    errors.push(fieldErrors.invalid('spec.clusterIPs', clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  for (const [i, family] of families.entries()) {
    if (!IP_FAMILIES.includes(family)) errors.push(fieldErrors.notSupported(`spec.ipFamilies[${i}]`, family, IP_FAMILIES));
    if (seen.has(family)) errors.push(fieldErrors.duplicate(`spec.ipFamilies[${i}]`, family));
    seen.add(family);
  }
  const policy = spec.ipFamilyPolicy;
  if (typeof policy === 'string' && !IP_FAMILY_POLICIES.includes(policy)) {
    errors.push(fieldErrors.notSupported('spec.ipFamilyPolicy', policy, IP_FAMILY_POLICIES));
  }
  let invalidIPs = false;
  for (const [i, ip] of clusterIPs.entries()) {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errors.push(fieldErrors.invalid('spec.clusterIPs', clusterIPs, "'None' must be the first and only value"));
      }
      continue;
    }
    const problems = isValidIP(`spec.clusterIPs[${i}]`, ip);
    invalidIPs ||= problems.length > 0;
    errors.push(...problems);
  }
  if (clusterIPs.length > 2) errors.push(fieldErrors.invalid('spec.clusterIPs', clusterIPs, 'may only hold up to 2 values'));
  // Bad IPs would skew the family checks below.
  if (invalidIPs) return errors;
  if (clusterIPs.length > 1) {
    const ipFamilies = new Set(clusterIPs.map(familyOf));
    if (!(ipFamilies.has('IPv4') && ipFamilies.has('IPv6'))) {
      errors.push(fieldErrors.invalid('spec.clusterIPs', clusterIPs, 'may specify no more than one IP for each IP family'));
    }
  }
  if (!isHeadless(spec)) {
    for (const [i, ip] of clusterIPs.entries()) {
      const family = families[i];
      if (family === undefined) break;
      const actual = familyOf(ip);
      if (family === 'IPv4' && actual === 'IPv6') {
        errors.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (family === 'IPv6' && actual !== 'IPv6') {
        errors.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    }
  }
  return errors;
}

/**
 * initIPFamilyFields' checks for a single-stack cluster of `family`: the policy fits the number of
 * IPs and families, and every family asked for is served (headless Services without a selector may
 * name both families).
 */
function validateFamilies(spec: JsonObject, family: IPFamily): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errors: FieldError[] = [];
  const policy = text(spec.ipFamilyPolicy);
  const clusterIPs = strings(spec.clusterIPs);
  const families = strings(spec.ipFamilies);
  if (policy === 'SingleStack') {
    if (clusterIPs.length === 2) {
      errors.push(fieldErrors.invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    }
    if (families.length === 2) {
      errors.push(fieldErrors.invalid('spec.ipFamilyPolicy', policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
    }
  }
  // prepare inferred a family for every IP of a served family; one left over is of another family.
  for (const [i, ip] of clusterIPs.entries()) {
    if (ip === 'None') break;
    if (i >= families.length) errors.push(fieldErrors.invalid(`spec.clusterIPs[${i}]`, clusterIPs, `${familyOf(ip) ?? 'IPv6'} is not configured on this cluster`));
  }
  if (errors.length > 0 || (text(spec.clusterIP) === 'None' && !hasSelector(spec))) return errors;
  if (policy === 'RequireDualStack') {
    errors.push(fieldErrors.invalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'));
  }
  for (const [i, f] of families.entries()) {
    if (f !== family) errors.push(fieldErrors.invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  }
  return errors;
}

function validatePortCombinations(type: string, ports: JsonObject[]): FieldError[] {
  const errors: FieldError[] = [];
  if (type === 'ClusterIP') {
    for (const [i, port] of ports.entries()) {
      if (numberOr(port.nodePort) !== 0) errors.push(fieldErrors.forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  }
  const nodePorts = new Set<string>();
  for (const [i, port] of ports.entries()) {
    const nodePort = numberOr(port.nodePort);
    if (nodePort === 0) continue;
    const key = `${text(port.protocol)}/${nodePort}`;
    if (nodePorts.has(key)) errors.push(fieldErrors.duplicate(`spec.ports[${i}].nodePort`, nodePort));
    nodePorts.add(key);
  }
  const seen = new Set<string>();
  for (const [i, port] of ports.entries()) {
    const key = { protocol: text(port.protocol), port: numberOr(port.port) };
    const id = `${key.protocol}/${key.port}`;
    if (seen.has(id)) errors.push(fieldErrors.duplicate(`spec.ports[${i}]`, key));
    seen.add(id);
  }
  return errors;
}

function validateLoadBalancerFields(service: JsonObject, spec: JsonObject, type: string): FieldError[] {
  const errors: FieldError[] = [];
  const lb = type === 'LoadBalancer';
  const onlyLB = "may only be used when `type` is 'LoadBalancer'";
  const ranges = strings(spec.loadBalancerSourceRanges);
  const annotation = getObject(service, 'metadata', 'annotations')?.[SOURCE_RANGES_ANNOTATION];
  if (ranges.length > 0) {
    // Upstream's path, capital L and all.
    const path = 'spec.LoadBalancerSourceRanges';
    if (!lb) errors.push(fieldErrors.forbidden(path, onlyLB));
    for (const [i, range] of ranges.entries()) errors.push(...isValidCIDR(`${path}[${i}]`, range.trim()));
  } else if (typeof annotation === 'string') {
    const path = `metadata.annotations[${SOURCE_RANGES_ANNOTATION}]`;
    if (!lb) errors.push(fieldErrors.forbidden(path, onlyLB));
    const value = annotation.trim();
    if (value !== '') for (const range of value.split(',')) errors.push(...isValidCIDR(path, range.trim()));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && !lb) errors.push(fieldErrors.forbidden('spec.allocateLoadBalancerNodePorts', onlyLB));
  if (lb && spec.allocateLoadBalancerNodePorts === undefined) errors.push(fieldErrors.required('allocateLoadBalancerNodePorts'));
  const lbClass = spec.loadBalancerClass;
  if (typeof lbClass === 'string') {
    if (lb) errors.push(...validateQualifiedName(lbClass, 'spec.loadBalancerClass'));
    else errors.push(fieldErrors.forbidden('spec.loadBalancerClass', onlyLB));
  }
  return errors;
}

function validateTrafficPolicies(spec: JsonObject, options: ServiceValidationOptions): FieldError[] {
  const errors: FieldError[] = [];
  const external = text(spec.externalTrafficPolicy);
  if (!externallyAccessible(spec)) {
    if (external !== '') errors.push(fieldErrors.invalid('spec.externalTrafficPolicy', external, 'may only be set for externally-accessible services'));
  } else if (external === '') errors.push(fieldErrors.required('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(external)) errors.push(fieldErrors.notSupported('spec.externalTrafficPolicy', external, TRAFFIC_POLICIES));
  const healthCheck = numberOr(spec.healthCheckNodePort);
  if (!needsHealthCheck(spec)) {
    if (healthCheck !== 0) {
      errors.push(fieldErrors.invalid('spec.healthCheckNodePort', healthCheck, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
  } else if (healthCheck === 0) {
    if (!options.allocatesHealthCheck) errors.push(fieldErrors.required('spec.healthCheckNodePort'));
  } else {
    for (const msg of isValidPortNum(healthCheck)) errors.push(fieldErrors.invalid('spec.healthCheckNodePort', healthCheck, msg));
  }
  const internal = spec.internalTrafficPolicy;
  if (internal === undefined) {
    if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(text(spec.type))) errors.push(fieldErrors.required('spec.internalTrafficPolicy'));
  } else if (typeof internal !== 'string' || !TRAFFIC_POLICIES.includes(internal)) {
    errors.push(fieldErrors.notSupported('spec.internalTrafficPolicy', internal, TRAFFIC_POLICIES));
  }
  const distribution = spec.trafficDistribution;
  if (typeof distribution === 'string' && !TRAFFIC_DISTRIBUTIONS.includes(distribution)) {
    errors.push(fieldErrors.notSupported('spec.trafficDistribution', distribution, TRAFFIC_DISTRIBUTIONS));
  }
  return errors;
}

/**
 * ValidateServiceUpdate's own rules: cluster IPs and families may not change (except to or from
 * ExternalName, or between headless forms), nor the loadBalancerClass of a LoadBalancer, nor a
 * health check node port in use.
 */
export function validateServiceUpdate(service: JsonObject, old: JsonObject): FieldError[] {
  const spec = getObject(service, 'spec') ?? {};
  const before = getObject(old, 'spec') ?? {};
  const errors: FieldError[] = [];
  const externalName = spec.type === 'ExternalName' || before.type === 'ExternalName';
  const headless = isHeadless(spec);
  const wasHeadless = isHeadless(before);
  if (!externalName && !(headless && wasHeadless)) errors.push(...upgradeDowngrade(spec, before, 'clusterIPs'));
  if (!externalName && headless === wasHeadless && !headless) errors.push(...upgradeDowngrade(spec, before, 'ipFamilies'));
  if (spec.type === 'LoadBalancer' && before.type === 'LoadBalancer' && !jsonEqual(spec.loadBalancerClass, before.loadBalancerClass)) {
    errors.push(fieldErrors.invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  if (needsHealthCheck(before) && needsHealthCheck(spec) && numberOr(spec.healthCheckNodePort) !== numberOr(before.healthCheckNodePort)) {
    errors.push(fieldErrors.forbidden('spec.healthCheckNodePort', FIELD_IMMUTABLE_ERROR_MSG));
  }
  return errors;
}

/** validateUpgradeDowngradeClusterIPs and validateUpgradeDowngradeIPFamilies. */
function upgradeDowngrade(spec: JsonObject, before: JsonObject, field: 'clusterIPs' | 'ipFamilies'): FieldError[] {
  const now = strings(spec[field]);
  const was = strings(before[field]);
  const errors: FieldError[] = [];
  const what = field === 'clusterIPs' ? 'clusterIP' : 'ipFamily';
  // Upstream reports the clusterIPs as the bad value of some ipFamilies errors.
  const clusterIPs = strings(spec.clusterIPs);
  if (was.length === now.length) {
    for (const [i, value] of was.entries()) {
      if (value !== now[i]) errors.push(fieldErrors.invalid(`spec.${field}[${field === 'clusterIPs' ? i : 0}]`, now, 'may not change once set'));
    }
  } else if (was.length > now.length) {
    if ((field === 'clusterIPs' ? now : clusterIPs).length === 0) {
      errors.push(fieldErrors.invalid(`spec.${field}[0]`, now, `primary ${what} can not be unset`));
    }
    if (now.length > 0 && now[0] !== was[0]) {
      errors.push(fieldErrors.invalid(`spec.${field}[0]`, field === 'clusterIPs' ? now : clusterIPs, 'may not change once set'));
    }
    if (now.length === 1 && spec.ipFamilyPolicy !== 'SingleStack') {
      const released = field === 'clusterIPs' ? 'clusterIP' : 'ipFamily';
      errors.push(fieldErrors.invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy ?? null, `must be set to 'SingleStack' when releasing the secondary ${released}`));
    }
  } else if (was.length > 0 && now[0] !== was[0]) {
    errors.push(fieldErrors.invalid(`spec.${field}[0]`, field === 'clusterIPs' ? now : clusterIPs, 'may not change once set'));
  }
  return errors;
}

/** isHeadlessService: exactly one cluster IP, "None". */
export function isHeadless(spec: JsonObject): boolean {
  const clusterIPs = strings(spec.clusterIPs);
  return clusterIPs.length === 1 && clusterIPs[0] === 'None';
}

/** apiservice.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with external IPs. */
export function externallyAccessible(spec: JsonObject): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && strings(spec.externalIPs).length > 0);
}

export function hasSelector(spec: JsonObject): boolean {
  return isJsonObject(spec.selector) && Object.keys(spec.selector).length > 0;
}

function stringMap(value: JsonObject): Map<string, string> {
  return new Map(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
