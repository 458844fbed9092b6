/**
 * @module
 * core/v1 Endpoints: the addresses and ports behind a Service, grouped in subsets. Ports default to
 * TCP (SetDefaults_Endpoints); each subset needs an address, each address a usable IP (not loopback,
 * link-local or unspecified), and ports must be named when a subset has several
 * (pkg/apis/core/validation validateEndpointSubsets); sloppy or non-canonical IPs draw a warning
 * (pkg/registry/core/endpoint/strategy.go endpointsWarnings). `kubectl get ep` shows NAME ENDPOINTS
 * AGE, with at most three endpoints and "+ N more..." (printers.go formatEndpoints).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, isJsonObject } from '../../api/json.js';
import { nameIsDNSSubdomain } from '../../api/validation/names.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import {
  ipWarnings,
  isValidIP,
  isValidPortNum,
  validateDNS1123Label,
  validateNonSpecialIP,
  validateProtocol,
  validateQualifiedName,
} from './network-validation.js';
import { objects, text } from '../../api/json-values.js';

/** The label the endpoints controller puts on what it writes (its output needs no IP warnings). */
const MANAGED_BY = 'endpoints.kubernetes.io/managed-by';
const CONTROLLER = 'endpoint-controller';
/** printers.go formatEndpoints shows this many endpoints. */
const SHOWN = 3;

export const ENDPOINTS = defineResource({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  resource: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  schema: 'io.k8s.api.core.v1.Endpoints',
  shortNames: ['ep'],
  strategy: {
    defaults: (object) => {
      for (const subset of objects(object.subsets)) {
        for (const port of objects(subset.ports)) if (text(port.protocol) === '') port.protocol = 'TCP';
      }
    },
    validate: (object) => validateEndpoints(object),
    validateUpdate: (object) => validateEndpoints(object),
    warnings: (object) => endpointsWarnings(object),
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Endpoints', type: 'string', description: 'The set of all endpoints is the union of all subsets.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => [nameOf(object), formatEndpoints(object), age(object, now)],
  },
});

/** validateEndpointSubsets. */
export function validateEndpoints(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, subset] of objects(object.subsets).entries()) {
    const path = `subsets[${i}]`;
    const addresses = objects(subset.addresses);
    const notReady = objects(subset.notReadyAddresses);
    // A headless Service's endpoints may have no ports, but never no addresses.
    if (addresses.length === 0 && notReady.length === 0) errors.push(fieldErrors.required(path, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [j, address] of addresses.entries()) errors.push(...validateAddress(address, `${path}.addresses[${j}]`));
    for (const [j, address] of notReady.entries()) errors.push(...validateAddress(address, `${path}.notReadyAddresses[${j}]`));
    const ports = objects(subset.ports);
    for (const [j, port] of ports.entries()) errors.push(...validatePort(port, ports.length > 1, `${path}.ports[${j}]`));
  }
  return errors;
}

function validateAddress(address: JsonObject, path: string): FieldError[] {
  const ip = text(address.ip);
  const errors = isValidIP(`${path}.ip`, ip);
  const hostname = text(address.hostname);
  if (hostname !== '') errors.push(...validateDNS1123Label(hostname, `${path}.hostname`));
  if (typeof address.nodeName === 'string') {
    for (const msg of nameIsDNSSubdomain(address.nodeName, false)) errors.push(fieldErrors.invalid(`${path}.nodeName`, address.nodeName, msg));
  }
  errors.push(...validateNonSpecialIP(ip, `${path}.ip`));
  return errors;
}

function validatePort(port: JsonObject, requireName: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = text(port.name);
  if (requireName && name === '') errors.push(fieldErrors.required(`${path}.name`));
  else if (name !== '') errors.push(...validateDNS1123Label(name, `${path}.name`));
  const number = typeof port.port === 'number' ? port.port : 0;
  for (const msg of isValidPortNum(number)) errors.push(fieldErrors.invalid(`${path}.port`, number, msg));
  errors.push(...validateProtocol(text(port.protocol), `${path}.protocol`));
  if (typeof port.appProtocol === 'string') errors.push(...validateQualifiedName(port.appProtocol, `${path}.appProtocol`));
  return errors;
}

function endpointsWarnings(object: JsonObject): string[] {
  if (getObject(object, 'metadata', 'labels')?.[MANAGED_BY] === CONTROLLER) return [];
  const warnings: string[] = [];
  for (const [i, subset] of objects(object.subsets).entries()) {
    for (const list of ['addresses', 'notReadyAddresses']) {
      for (const [j, address] of objects(subset[list]).entries()) warnings.push(...ipWarnings(`subsets[${i}].${list}[${j}].ip`, text(address.ip)));
    }
  }
  return warnings;
}

/** formatEndpoints: `ip:port` for every ready address and port (just `ip` without ports), three at most. */
export function formatEndpoints(object: JsonObject): string {
  const subsets = objects(object.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = objects(subset.addresses).map((a) => text(a.ip));
    const ports = objects(subset.ports);
    if (ports.length === 0) {
      count += addresses.length;
      list.push(...addresses);
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      const number = typeof port.port === 'number' ? port.port : 0;
      list.push(...addresses.map((ip) => (ip.includes(':') ? `[${ip}]:${number}` : `${ip}:${number}`)));
    }
  }
  const shown = list.slice(0, SHOWN).join(',');
  return count > SHOWN ? `${shown} + ${count - SHOWN} more...` : shown;
}

