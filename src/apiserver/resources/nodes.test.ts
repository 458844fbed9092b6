import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import { type JsonObject, cloneJson } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { NODES } from './nodes.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const { strategy } = NODES;

function node(spec: JsonObject, status: JsonObject = {}, labels: JsonObject = {}): JsonObject {
  return { metadata: { name: 'n1', labels, creationTimestamp: '2024-04-30T12:00:00Z' }, spec, status };
}

function errors(object: JsonObject): string[] {
  const copy = cloneJson(object);
  strategy.defaults?.(copy);
  return (strategy.validate?.(copy, CTX) ?? []).map(formatFieldError);
}

function updateErrors(old: JsonObject, object: JsonObject, subresource?: string): string[] {
  return (strategy.validateUpdate?.(object, old, { ...CTX, subresource }) ?? []).map(formatFieldError);
}

test('Nodes are cluster-scoped, short-named no, with a status subresource', () => {
  assert.equal(NODES.namespaced, false);
  assert.deepEqual(NODES.shortNames, ['no']);
  assert.equal(NODES.statusSubresource, true);
});

test('allocatable defaults to capacity, and podCIDR and podCIDRs fill each other', () => {
  const object = node({ podCIDR: '10.244.0.0/24' }, { capacity: { cpu: '4', pods: '110' } });
  strategy.defaults?.(object);
  assert.deepEqual(object.spec, { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
  assert.deepEqual((object.status as JsonObject).allocatable, { cpu: '4', pods: '110' });
  const both = node({ podCIDRs: ['10.244.1.0/24', 'fd00::/64'] });
  strategy.defaults?.(both);
  assert.equal((both.spec as JsonObject).podCIDR, '10.244.1.0/24');
});

test('taints need a valid key, value and effect, unique by key and effect (reported under metadata.taints, as upstream)', () => {
  assert.deepEqual(errors(node({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })), []);
  assert.deepEqual(
    errors(node({ taints: [{ key: 'a', effect: 'Sometimes' }, { key: 'b', value: 'x y', effect: '' }, { key: 'c', effect: 'NoExecute' }, { key: 'c', effect: 'NoExecute' }] })),
    [
      'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      `metadata.taints[1].value: Invalid value: "x y": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      'metadata.taints[1].effect: Required value',
      'metadata.taints[3]: Duplicate value: {"key":"c","effect":"NoExecute"}: taints must be unique by key and effect pair',
    ],
  );
});

test('pod CIDRs must be valid and at most one per family', () => {
  assert.deepEqual(errors(node({ podCIDRs: ['10.244.0.0/24', 'fd00:1::/64'] })), []);
  assert.deepEqual(errors(node({ podCIDR: '10.244.0.0' })), [
    'spec.podCIDRs[0]: Invalid value: "10.244.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
  ]);
  assert.deepEqual(errors(node({ podCIDRs: ['10.244.0.0/24', '10.245.0.0/24'] })), [
    'spec.podCIDRs: Invalid value: ["10.244.0.0/24","10.245.0.0/24"]: may specify no more than one CIDR for each IP family',
  ]);
});

test('capacity and allocatable must be non-negative, and pods whole', () => {
  assert.deepEqual(errors(node({}, { capacity: { cpu: '-1', pods: '1500m' }, allocatable: { cpu: '1' } })), [
    'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
    'status.capacity.pods: Invalid value: "1500m": must be an integer',
  ]);
});

test('an update may set pod CIDRs and the provider ID once, never change them', () => {
  const old = node({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: 'kind://n1' });
  assert.deepEqual(updateErrors(node({}), old), []);
  assert.deepEqual(updateErrors(old, node({ podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24'], providerID: 'kind://n2' })), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  assert.deepEqual(updateErrors(node({}), node({ externalID: 'x' })), ['spec.externalID: Forbidden: may not be updated']);
});

test('a status update may not list one address twice', () => {
  const address = { type: 'InternalIP', address: '172.18.0.2' };
  assert.deepEqual(updateErrors(node({}), node({}, { addresses: [address, address] }), 'status'), [
    'status.addresses[1]: Duplicate value: {"type":"InternalIP","address":"172.18.0.2"}',
  ]);
});

test('Nodes are selectable by spec.unschedulable', () => {
  assert.deepEqual(strategy.selectableFields?.({}), { 'spec.unschedulable': 'false' });
  assert.deepEqual(strategy.selectableFields?.(node({ unschedulable: true })), { 'spec.unschedulable': 'true' });
});

test('printing shows readiness, scheduling, roles and what the node reports', () => {
  const cells = (object: JsonObject): unknown[] => [...(NODES.table?.cells(object, NOW) ?? [])];
  const ready = node(
    { unschedulable: true },
    {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.30.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.13' },
    },
    { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'edge' },
  );
  assert.deepEqual(cells(ready), [
    'n1', 'Ready,SchedulingDisabled', 'control-plane,edge', '24h', 'v1.30.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'containerd://1.7.13',
  ]);
  assert.deepEqual(cells(node({}, { conditions: [{ type: 'Ready', status: 'Unknown' }] })).slice(1, 3), ['NotReady', '<none>']);
  assert.deepEqual(cells(node({})).slice(1, 10), ['Unknown', '<none>', '24h', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  assert.deepEqual(NODES.table?.columns.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Status', 'Roles', 'Age', 'Version']);
});
