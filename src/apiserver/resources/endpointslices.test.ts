import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import { type JsonObject, cloneJson } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { ENDPOINT_SLICES } from './endpointslices.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const { strategy } = ENDPOINT_SLICES;

function slice(fields: JsonObject): JsonObject {
  return { metadata: { name: 'web-abc', namespace: 'default', generation: 1, creationTimestamp: '2024-05-01T11:00:00Z' }, ...fields };
}

function errors(object: JsonObject): string[] {
  const copy = cloneJson(object);
  strategy.defaults?.(copy);
  strategy.prepareForCreate?.(copy, CTX);
  return (strategy.validate?.(copy, CTX) ?? []).map(formatFieldError);
}

test('EndpointSlices are discovery.k8s.io/v1 and track their generation', () => {
  assert.equal(ENDPOINT_SLICES.group, 'discovery.k8s.io');
  assert.equal(ENDPOINT_SLICES.tracksGeneration, true);
  assert.deepEqual(strategy.selectableFields?.({}), {});
});

test('ports default to an empty name and TCP', () => {
  const object = slice({ addressType: 'IPv4', ports: [{ port: 80 }] });
  strategy.defaults?.(object);
  assert.deepEqual(object.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
});

test('the address type is required, supported, and decides how addresses are checked', () => {
  assert.deepEqual(errors(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.5'], nodeName: 'n1', hostname: 'web-0' }] })), []);
  assert.deepEqual(errors(slice({})), ['addressType: Required value']);
  assert.deepEqual(errors(slice({ addressType: 'IP' })), ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']);
  assert.deepEqual(errors(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1', '127.0.0.1'] }, { addresses: [] }] })), [
    'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
    'endpoints[0].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'endpoints[1].addresses: Required value: must contain at least 1 address',
  ]);
  assert.deepEqual(errors(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['db'] }] })), [
    'endpoints[0].addresses[0]: Invalid value: "db": should be a domain with at least two segments separated by dots',
  ]);
  assert.deepEqual(errors(slice({ addressType: 'IPv4', endpoints: Array.from({ length: 1001 }, () => ({ addresses: ['10.0.0.1'] })) })), [
    'endpoints: Too many: 1001: must have at most 1000 items',
  ]);
});

test('hints and ports are named once and validly', () => {
  const hints = { forZones: [{ name: 'zone-a' }, { name: 'zone-a' }], forNodes: [{ name: 'N1' }] };
  const found = errors(slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], hints }] }));
  assert.equal(found.length, 2);
  assert.equal(found[0], 'endpoints[0].hints.forZones[1].name: Duplicate value: "zone-a"');
  assert.ok(found[1]?.startsWith('endpoints[0].hints.forNodes[0].name: Invalid value: "N1": a lowercase RFC 1123 subdomain'));
  assert.deepEqual(errors(slice({ addressType: 'IPv4', ports: [{ port: 80 }, { port: 81 }, { name: 'x', protocol: 'ICMP' }] })), [
    'ports[1].name: Duplicate value: ""',
    'ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
  ]);
});

test('deprecatedTopology is dropped on create, and on update its hostname becomes nodeName', () => {
  const created = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], deprecatedTopology: { 'kubernetes.io/hostname': 'n1' } }] });
  strategy.prepareForCreate?.(created, CTX);
  assert.deepEqual(created.endpoints, [{ addresses: ['10.0.0.1'] }]);
  const old = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], deprecatedTopology: { 'kubernetes.io/hostname': 'n1' } }] });
  const same = cloneJson(old);
  strategy.prepareForUpdate?.(same, old, CTX);
  assert.deepEqual(same.endpoints, old.endpoints, 'unchanged endpoints keep their topology');
  const changed = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.2'], deprecatedTopology: { 'kubernetes.io/hostname': 'n1' } }] });
  strategy.prepareForUpdate?.(changed, old, CTX);
  assert.deepEqual(changed.endpoints, [{ addresses: ['10.0.0.2'], nodeName: 'n1' }]);
});

test('the address type cannot change, and a label change moves the generation', () => {
  const old = slice({ addressType: 'IPv4' });
  assert.deepEqual((strategy.validateUpdate?.(slice({ addressType: 'IPv6' }), old, CTX) ?? []).map(formatFieldError), [
    'addressType: Invalid value: "IPv6": field is immutable',
  ]);
  const relabelled = slice({ addressType: 'IPv4', metadata: { name: 'web-abc', generation: 1, labels: { a: 'b' } } });
  strategy.prepareForUpdate?.(relabelled, old, CTX);
  assert.equal((relabelled.metadata as JsonObject).generation, 2);
});

test('printing shows up to three ports and endpoints', () => {
  const object = slice({
    addressType: 'IPv4',
    ports: [{ port: 80 }, { name: 'metrics' }, {}, { port: 9 }],
    endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3'] }],
  });
  assert.deepEqual(ENDPOINT_SLICES.table?.cells(object, NOW), ['web-abc', 'IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3', '60m']);
  assert.deepEqual(ENDPOINT_SLICES.table?.cells(slice({ addressType: 'IPv6' }), NOW).slice(2, 4), ['<unset>', '<unset>']);
});
