/**
 * @module
 * networking.k8s.io/v1 Ingresses and IngressClasses, stored and validated as kube-apiserver does
 * (pkg/apis/networking/validation/validation.go), so an application's manifest with its Ingress
 * applies. No ingress controller runs on the simulated nodes: an Ingress's status stays empty, as
 * in a cluster whose controller has not picked it up.
 *
 * - **Ingress** (ValidateIngressCreate, ValidateIngressSpec): a default backend or rules; hosts are
 *   DNS names, maybe wildcard (`*.example.com`), never IPs; every HTTP path has a pathType, and
 *   Exact and Prefix paths are absolute and clean; a backend is a Service port (by name or number)
 *   or another resource, exactly one; TLS hosts are DNS names and secretName a Secret name; the
 *   `kubernetes.io/ingress.class` annotation must agree with ingressClassName on create. Status is a
 *   subresource; a change of spec bumps metadata.generation (pkg/registry/networking/ingress).
 * - **DefaultIngressClass admission** (plugin/pkg/admission/network/defaultingressclass): an
 *   Ingress created with no class, by field or annotation, gets the IngressClass annotated
 *   `ingressclass.kubernetes.io/is-default-class: "true"`, the newest when there are several.
 * - **IngressClass** (ValidateIngressClass): a controller given as a domain-prefixed path of at
 *   most 250 characters, which never changes; parameters with a kind, a name and a scope (Cluster,
 *   the default, or Namespace with a namespace).
 * - **kubectl get** shows NAME CLASS HOSTS ADDRESS PORTS AGE and NAME CONTROLLER PARAMETERS AGE
 *   (pkg/printers/internalversion/printers.go printIngress, printIngressClass).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject } from '../../api/json.js';
import { objects, strings, text } from '../../api/json-values.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPathSegmentName, isWildcardDNS1123Subdomain, utf8Length, validateNamespaceName } from '../../api/validation/names.js';
import type { HookContext, ResourceDefinition } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defaultClassName } from './default-class.js';
import { defineResource } from './define.js';
import { isValidIP, isValidPortName, isValidPortNum, parseIP } from './network-validation.js';

export const NETWORKING_GROUP = 'networking.k8s.io';
/** The annotation that made an Ingress's class before ingressClassName. */
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** The annotation that makes an IngressClass the default one. */
const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const PARAMETER_SCOPES = ['Cluster', 'Namespace'];
const MAX_CONTROLLER_LENGTH = 250;
/** httpPathFmt of apimachinery's IsDomainPrefixedPath. */
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

export const INGRESSES: ResourceDefinition = defineResource({
  group: NETWORKING_GROUP,
  version: 'v1',
  kind: 'Ingress',
  resource: 'ingresses',
  namespaced: true,
  schema: 'io.k8s.api.networking.v1.Ingress',
  shortNames: ['ing'],
  statusSubresource: true,
  tracksGeneration: true,
  strategy: {
    admit: admitDefaultIngressClass,
    validate: (object) => [...validateIngressSpec(getObject(object, 'spec') ?? {}), ...classAnnotationAgrees(object)],
    validateUpdate: (object, _old, context) =>
      context.subresource === 'status' ? validateLoadBalancerStatus(object) : validateIngressSpec(getObject(object, 'spec') ?? {}),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Class', type: 'string', description: 'The IngressClass of the Ingress.', priority: 0 },
      { name: 'Hosts', type: 'string', description: 'Hosts that incoming requests are matched against before the path.', priority: 0 },
      { name: 'Address', type: 'string', description: 'Address is a list containing ingress points for the load-balancer', priority: 0 },
      { name: 'Ports', type: 'string', description: 'Ports of TLS configurations that open', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => {
      const spec = getObject(object, 'spec') ?? {};
      const className = text(spec.ingressClassName);
      return [nameOf(object), className === '' ? '<none>' : className, formatHosts(objects(spec.rules)), loadBalancerAddress(object), objects(spec.tls).length > 0 ? '80, 443' : '80', age(object, now)];
    },
  },
});

export const INGRESS_CLASSES: ResourceDefinition = defineResource({
  group: NETWORKING_GROUP,
  version: 'v1',
  kind: 'IngressClass',
  resource: 'ingressclasses',
  namespaced: false,
  schema: 'io.k8s.api.networking.v1.IngressClass',
  tracksGeneration: true,
  strategy: {
    defaults: (object) => {
      const parameters = getObject(getObject(object, 'spec') ?? {}, 'parameters');
      if (parameters !== undefined && parameters.scope === undefined) parameters.scope = 'Cluster';
    },
    validate: (object) => validateIngressClassSpec(getObject(object, 'spec') ?? {}),
    validateUpdate: (object, old) => {
      const controller = text(getObject(object, 'spec')?.controller);
      const immutable = controller === text(getObject(old, 'spec')?.controller) ? [] : [fieldErrors.invalid('spec.controller', controller, 'field is immutable')];
      return [...immutable, ...validateIngressClassSpec(getObject(object, 'spec') ?? {})];
    },
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Controller', type: 'string', description: 'The controller that fulfils Ingresses of this class.', priority: 0 },
      { name: 'Parameters', type: 'string', description: 'A reference to a resource with additional parameters.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => {
      const spec = getObject(object, 'spec') ?? {};
      const parameters = getObject(spec, 'parameters');
      let shown = '<none>';
      if (parameters !== undefined) {
        const group = parameters.apiGroup;
        shown = `${text(parameters.kind)}${typeof group === 'string' ? `.${group}` : ''}/${text(parameters.name)}`;
      }
      return [nameOf(object), text(spec.controller), shown, age(object, now)];
    },
  },
});

/** ValidateIngressSpec. */
function validateIngressSpec(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const rules = objects(spec.rules);
  const defaultBackend = getObject(spec, 'defaultBackend');
  if (rules.length === 0 && defaultBackend === undefined) errors.push(fieldErrors.invalid('spec', rules, 'either `defaultBackend` or `rules` must be specified'));
  if (defaultBackend !== undefined) errors.push(...validateBackend(defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => errors.push(...validateRule(rule, `spec.rules[${i}]`)));
  objects(spec.tls).forEach((tls, i) => {
    strings(tls.hosts).forEach((host, j) => {
      const messages = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const message of messages) errors.push(fieldErrors.invalid(`spec.tls[${i}].hosts[${j}]`, host, message));
    });
    const secretName = text(tls.secretName);
    if (secretName !== '') for (const message of isDNS1123Subdomain(secretName)) errors.push(fieldErrors.invalid(`spec.tls[${i}].secretName`, secretName, message));
  });
  if (typeof spec.ingressClassName === 'string') {
    for (const message of isDNS1123Subdomain(spec.ingressClassName)) errors.push(fieldErrors.invalid('spec.ingressClassName', spec.ingressClassName, message));
  }
  return errors;
}

/** validateIngressRules and validateHTTPIngressRuleValue for one rule. */
function validateRule(rule: JsonObject, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const host = text(rule.host);
  if (host !== '') {
    if (parseIP(host) !== undefined) errors.push(fieldErrors.invalid(`${at}.host`, host, 'must be a DNS name, not an IP address'));
    const messages = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
    for (const message of messages) errors.push(fieldErrors.invalid(`${at}.host`, host, message));
  }
  const http = getObject(rule, 'http');
  if (http === undefined) return errors;
  const paths = objects(http.paths);
  if (paths.length === 0) errors.push(fieldErrors.required(`${at}.http.paths`));
  paths.forEach((path, i) => errors.push(...validatePath(path, `${at}.http.paths[${i}]`)));
  return errors;
}

/** validateHTTPIngressPath. */
function validatePath(path: JsonObject, at: string): FieldError[] {
  if (typeof path.pathType !== 'string') return [fieldErrors.required(`${at}.pathType`, 'pathType must be specified')];
  const errors: FieldError[] = [];
  const value = text(path.path);
  switch (path.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errors.push(fieldErrors.invalid(`${at}.path`, value, 'must be an absolute path'));
      for (const sequence of INVALID_PATH_SEQUENCES) if (value.includes(sequence)) errors.push(fieldErrors.invalid(`${at}.path`, value, `must not contain '${sequence}'`));
      for (const suffix of INVALID_PATH_SUFFIXES) if (value.endsWith(suffix)) errors.push(fieldErrors.invalid(`${at}.path`, value, `cannot end with '${suffix}'`));
      break;
    case 'ImplementationSpecific':
      if (value !== '' && !value.startsWith('/')) errors.push(fieldErrors.invalid(`${at}.path`, value, 'must be an absolute path'));
      break;
    default:
      errors.push(fieldErrors.notSupported(`${at}.pathType`, path.pathType, PATH_TYPES));
  }
  errors.push(...validateBackend(getObject(path, 'backend') ?? {}, `${at}.backend`));
  return errors;
}

/** validateIngressBackend: a Service port or another resource, exactly one. */
function validateBackend(backend: JsonObject, at: string): FieldError[] {
  const resource = getObject(backend, 'resource');
  const service = getObject(backend, 'service');
  if (resource !== undefined && service !== undefined) return [fieldErrors.invalid(at, '', 'cannot set both resource and service backends')];
  if (resource !== undefined) return validateReference(resource, `${at}.resource`);
  if (service === undefined) return [fieldErrors.invalid(at, '', 'resource or service backend is required')];
  const errors: FieldError[] = [];
  const name = text(service.name);
  if (name === '') errors.push(fieldErrors.required(`${at}.service.name`));
  // ValidateServiceName: a DNS-1035 label (the RelaxedServiceNameValidation gate is off in 1.32).
  else for (const message of isDNS1035Label(name)) errors.push(fieldErrors.invalid(`${at}.service.name`, name, message));
  const port = getObject(service, 'port') ?? {};
  const portName = text(port.name);
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName !== '' && portNumber !== 0) errors.push(fieldErrors.invalid(at, '', 'cannot set both port name & port number'));
  else if (portName !== '') for (const message of isValidPortName(portName)) errors.push(fieldErrors.invalid(`${at}.service.port.name`, portName, message));
  else if (portNumber !== 0) for (const message of isValidPortNum(portNumber)) errors.push(fieldErrors.invalid(`${at}.service.port.number`, portNumber, message));
  else errors.push(fieldErrors.required(at, 'port name or number is required'));
  return errors;
}

/** validateIngressTypedLocalObjectReference. */
function validateReference(reference: JsonObject, at: string): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof reference.apiGroup === 'string') {
    for (const message of isDNS1123Subdomain(reference.apiGroup)) errors.push(fieldErrors.invalid(`${at}.apiGroup`, reference.apiGroup, message));
  }
  for (const key of ['kind', 'name']) {
    const value = text(reference[key]);
    if (value === '') errors.push(fieldErrors.required(`${at}.${key}`));
    else for (const message of isValidPathSegmentName(value)) errors.push(fieldErrors.invalid(`${at}.${key}`, value, message));
  }
  return errors;
}

/** ValidateIngressCreate: the legacy class annotation may not name another class than the field. */
function classAnnotationAgrees(object: JsonObject): FieldError[] {
  const annotation = getObject(getObject(object, 'metadata') ?? {}, 'annotations')?.[INGRESS_CLASS_ANNOTATION];
  const className = getObject(object, 'spec')?.ingressClassName;
  if (typeof annotation !== 'string' || typeof className !== 'string' || annotation === className) return [];
  return [fieldErrors.invalid(`annotations.${INGRESS_CLASS_ANNOTATION}`, annotation, 'must match `ingressClassName` when both are specified')];
}

/** The DefaultIngressClass admission plugin, on create only. */
async function admitDefaultIngressClass(object: JsonObject, old: JsonObject | undefined, context: HookContext): Promise<void> {
  if (old !== undefined || context.subresource !== undefined) return;
  const spec = getObject(object, 'spec');
  const annotations = getObject(getObject(object, 'metadata') ?? {}, 'annotations');
  if (spec === undefined || typeof spec.ingressClassName === 'string' || typeof annotations?.[INGRESS_CLASS_ANNOTATION] === 'string') return;
  const chosen = await defaultClassName(context.lookup, {
    group: NETWORKING_GROUP,
    resource: INGRESS_CLASSES.resource,
    isDefault: (annotations) => annotations[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true',
  });
  if (chosen !== undefined) spec.ingressClassName = chosen;
}


/** validateIngressClassSpec. */
function validateIngressClassSpec(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const controller = text(spec.controller);
  if (controller === '') errors.push(fieldErrors.required('spec.controller'));
  else {
    if (utf8Length(controller) > MAX_CONTROLLER_LENGTH) errors.push(fieldErrors.tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
    errors.push(...domainPrefixedPath('spec.controller', controller));
  }
  const parameters = getObject(spec, 'parameters');
  if (parameters !== undefined) errors.push(...validateParameters(parameters, 'spec.parameters'));
  return errors;
}

/** apimachinery IsDomainPrefixedPath: `host/path`, the host a DNS subdomain. */
function domainPrefixedPath(at: string, value: string): FieldError[] {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return [fieldErrors.invalid(at, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, slash);
  const errors = isDNS1123Subdomain(host).map((message) => fieldErrors.invalid(at, host, message));
  const path = value.slice(slash + 1);
  if (!HTTP_PATH.test(path)) errors.push(fieldErrors.invalid(at, path, `Invalid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errors;
}

/** validateIngressClassParametersReference. */
function validateParameters(parameters: JsonObject, at: string): FieldError[] {
  const errors = validateReference(parameters, at);
  const scope = parameters.scope;
  if (typeof scope !== 'string') {
    errors.push(fieldErrors.required(`${at}.scope`));
    return errors;
  }
  if (!PARAMETER_SCOPES.includes(scope)) {
    errors.push(fieldErrors.notSupported(`${at}.scope`, scope, PARAMETER_SCOPES));
    return errors;
  }
  const namespace: JsonValue | undefined = parameters.namespace;
  if (scope === 'Namespace') {
    if (typeof namespace !== 'string') errors.push(fieldErrors.required(`${at}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else for (const message of validateNamespaceName(namespace, false)) errors.push(fieldErrors.invalid(`${at}.namespace`, namespace, message));
  } else if (namespace !== undefined) {
    errors.push(fieldErrors.forbidden(`${at}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errors;
}

/** formatHosts: the rules' hosts, `*` when none names one, three at most and how many more. */
function formatHosts(rules: readonly JsonObject[]): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    const host = text(rule.host);
    if (!more && host !== '') hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  const shown = hosts.join(',');
  return more ? `${shown} + ${rules.length - max} more...` : shown;
}

/**
 * ingressLoadBalancerStatusStringer as the server prints it (wide, so never cut): the entry points'
 * IPs or hostnames, sorted, each once.
 */
function loadBalancerAddress(object: JsonObject): string {
  const entries = objects(getObject(getObject(object, 'status') ?? {}, 'loadBalancer')?.ingress);
  return [...new Set(entries.map((entry) => text(entry.ip) || text(entry.hostname)).filter((address) => address !== ''))].sort().join(',');
}

/** ValidateIngressLoadBalancerStatus, on writes to /status: valid IPs, and hostnames that are DNS names. */
function validateLoadBalancerStatus(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const entries = objects(getObject(getObject(object, 'status') ?? {}, 'loadBalancer')?.ingress);
  entries.forEach((entry, i) => {
    const at = `status.loadBalancer.ingress[${i}]`;
    const ip = text(entry.ip);
    if (ip !== '') errors.push(...isValidIP(`${at}.ip`, ip));
    const hostname = text(entry.hostname);
    if (hostname === '') return;
    for (const message of isDNS1123Subdomain(hostname)) errors.push(fieldErrors.invalid(`${at}.hostname`, hostname, message));
    if (parseIP(hostname) !== undefined) errors.push(fieldErrors.invalid(`${at}.hostname`, hostname, 'must be a DNS name, not an IP address'));
  });
  return errors;
}
