/**
 * @module
 * discovery.k8s.io/v1 EndpointSlices: a Service's endpoints in slices of at most 1000. Ports default
 * to an empty name and TCP (discovery/v1 defaults.go). Validation follows
 * pkg/apis/discovery/validation: a supported address type that never changes, 1–100 addresses per
 * endpoint of that type, DNS-label hostnames, valid node names and hints, and uniquely named ports.
 * deprecatedTopology cannot be written through v1; an update that keeps the endpoints keeps it, and a
 * hostname it held becomes nodeName (pkg/registry/discovery/endpointslice/strategy.go
 * dropTopologyOnV1). The generation moves with every change but metadata, and with label changes.
 * `kubectl get endpointslices` shows NAME ADDRESSTYPE PORTS ENDPOINTS AGE (printers.go).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, isJsonObject, jsonEqual } from '../../api/json.js';
import { isValidLabelValue, nameIsDNSSubdomain } from '../../api/validation/names.js';
import { FIELD_IMMUTABLE_ERROR_MSG, validateLabels } from '../../api/validation/object-meta.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import {
  isFullyQualifiedDomainName,
  isValidIPv4Address,
  isValidIPv6Address,
  validateDNS1123Label,
  validateNonSpecialIP,
  validateProtocol,
  validateQualifiedName,
} from './network-validation.js';
import { objects, strings, text } from '../../api/json-values.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
/** "IP" was replaced by IPv4 and IPv6; slices that have it may still be updated. */
const DEPRECATED_ADDRESS_TYPES = ['FQDN', 'IP', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_HINTS = 8;
const HOSTNAME_LABEL = 'kubernetes.io/hostname';
/** printers.go shows this many ports and endpoints. */
const SHOWN = 3;

export const ENDPOINT_SLICES = defineResource({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  resource: 'endpointslices',
  namespaced: true,
  schema: 'io.k8s.api.discovery.v1.EndpointSlice',
  tracksGeneration: true,
  strategy: {
    defaults: (object) => {
      for (const port of objects(object.ports)) {
        if (port.name === undefined) port.name = '';
        if (port.protocol === undefined) port.protocol = 'TCP';
      }
    },
    prepareForCreate: (object) => dropTopology(object, undefined),
    prepareForUpdate: (object, old) => {
      // Label changes count as changes too; the store counts everything outside metadata.
      const metadata = getObject(object, 'metadata');
      const before = getObject(old, 'metadata') ?? {};
      if (metadata !== undefined && !jsonEqual(metadata.labels ?? {}, before.labels ?? {})) {
        metadata.generation = (typeof before.generation === 'number' ? before.generation : 0) + 1;
      }
      dropTopology(object, old);
    },
    validate: (object) => validateEndpointSlice(object, ADDRESS_TYPES),
    validateUpdate: (object, old) => {
      const errors = validateEndpointSlice(object, DEPRECATED_ADDRESS_TYPES);
      if (text(object.addressType) !== text(old.addressType)) errors.push(fieldErrors.invalid('addressType', text(object.addressType), FIELD_IMMUTABLE_ERROR_MSG));
      return errors;
    },
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'AddressType', type: 'string', description: 'addressType specifies the type of address carried by this EndpointSlice.', priority: 0 },
      { name: 'Ports', type: 'string', description: 'ports specifies the list of network ports exposed by each endpoint in this slice.', priority: 0 },
      { name: 'Endpoints', type: 'string', description: 'endpoints is a list of unique endpoints in this slice.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => {
      const ports = objects(object.ports).map((p) => (typeof p.port === 'number' ? String(p.port) : text(p.name) || '*'));
      const addresses = objects(object.endpoints).flatMap((e) => strings(e.addresses));
      return [nameOf(object), text(object.addressType), listWithMore(ports), listWithMore(addresses), age(object, now)];
    },
  },
});

/** dropTopologyOnV1. */
function dropTopology(object: JsonObject, old: JsonObject | undefined): void {
  if (old !== undefined && jsonEqual(object.endpoints, old.endpoints)) return;
  const previous = new Set(
    objects(old?.endpoints).map((e) => getObject(e, 'deprecatedTopology')?.[HOSTNAME_LABEL]).filter((n): n is string => typeof n === 'string'),
  );
  for (const endpoint of objects(object.endpoints)) {
    const hostname = getObject(endpoint, 'deprecatedTopology')?.[HOSTNAME_LABEL];
    // A node name the slice already recorded survives a partial update, now in its proper field.
    if (endpoint.nodeName === undefined && typeof hostname === 'string' && previous.has(hostname) && nameIsDNSSubdomain(hostname, false).length === 0) {
      endpoint.nodeName = hostname;
    }
    delete endpoint.deprecatedTopology;
  }
}

/** ValidateEndpointSlice (metadata is the store's). */
export function validateEndpointSlice(object: JsonObject, addressTypes: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const addressType = text(object.addressType);
  if (addressType === '') errors.push(fieldErrors.required('addressType'));
  else if (!addressTypes.includes(addressType)) errors.push(fieldErrors.notSupported('addressType', addressType, addressTypes));
  const endpoints = objects(object.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) errors.push(fieldErrors.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  else for (const [i, endpoint] of endpoints.entries()) errors.push(...validateEndpoint(endpoint, addressType, `endpoints[${i}]`));
  errors.push(...validatePorts(objects(object.ports)));
  return errors;
}

function validateEndpoint(endpoint: JsonObject, addressType: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const addresses = strings(endpoint.addresses);
  if (addresses.length === 0) errors.push(fieldErrors.required(`${path}.addresses`, 'must contain at least 1 address'));
  else if (addresses.length > MAX_ADDRESSES) errors.push(fieldErrors.tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
  for (const [i, address] of addresses.entries()) {
    const at = `${path}.addresses[${i}]`;
    // Unknown address types (only possible on old objects) are not checked.
    switch (addressType) {
      case 'IPv4':
        errors.push(...isValidIPv4Address(at, address), ...validateNonSpecialIP(address, at));
        break;
      case 'IPv6':
        errors.push(...isValidIPv6Address(at, address), ...validateNonSpecialIP(address, at));
        break;
      case 'FQDN':
        errors.push(...isFullyQualifiedDomainName(at, address));
        break;
      default:
        break;
    }
  }
  const topology = getObject(endpoint, 'deprecatedTopology');
  if (topology !== undefined) {
    const labels = new Map(Object.entries(topology).map(([k, v]) => [k, text(v)]));
    if (labels.size > MAX_TOPOLOGY_LABELS) errors.push(fieldErrors.tooMany(`${path}.topology`, labels.size, MAX_TOPOLOGY_LABELS));
    errors.push(...validateLabels(labels, `${path}.topology`));
  }
  if (typeof endpoint.hostname === 'string') errors.push(...validateDNS1123Label(endpoint.hostname, `${path}.hostname`));
  if (typeof endpoint.nodeName === 'string') {
    for (const msg of nameIsDNSSubdomain(endpoint.nodeName, false)) errors.push(fieldErrors.invalid(`${path}.nodeName`, endpoint.nodeName, msg));
  }
  const hints = getObject(endpoint, 'hints');
  if (hints !== undefined) {
    errors.push(...validateHints(objects(hints.forZones), `${path}.hints.forZones`, isValidLabelValue));
    errors.push(...validateHints(objects(hints.forNodes), `${path}.hints.forNodes`, (name) => nameIsDNSSubdomain(name, false)));
  }
  return errors;
}

/** validateHints: at most eight zones (or nodes), each named once and validly. */
function validateHints(hints: JsonObject[], path: string, check: (name: string) => string[]): FieldError[] {
  if (hints.length > MAX_HINTS) return [fieldErrors.tooMany(path, hints.length, MAX_HINTS)];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, hint] of hints.entries()) {
    const name = text(hint.name);
    const at = `${path}[${i}].name`;
    if (seen.has(name)) errors.push(fieldErrors.duplicate(at, name));
    seen.add(name);
    for (const msg of check(name)) errors.push(fieldErrors.invalid(at, name, msg));
  }
  return errors;
}

function validatePorts(ports: JsonObject[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [fieldErrors.tooMany('ports', ports.length, MAX_PORTS)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, port] of ports.entries()) {
    const path = `ports[${i}]`;
    const name = text(port.name);
    if (name !== '') errors.push(...validateDNS1123Label(name, `${path}.name`));
    if (names.has(name)) errors.push(fieldErrors.duplicate(`${path}.name`, name));
    names.add(name);
    errors.push(...validateProtocol(text(port.protocol), `${path}.protocol`));
    if (typeof port.appProtocol === 'string') errors.push(...validateQualifiedName(port.appProtocol, `${path}.appProtocol`));
  }
  return errors;
}

/** listWithMoreString: three entries and "+ N more...", or `<unset>` for none. */
function listWithMore(list: readonly string[]): string {
  const shown = list.slice(0, SHOWN).join(',');
  if (list.length > SHOWN) return `${shown} + ${list.length - SHOWN} more...`;
  return shown === '' ? '<unset>' : shown;
}

