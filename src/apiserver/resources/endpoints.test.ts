import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { ENDPOINTS } from './endpoints.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const { strategy } = ENDPOINTS;

function endpoints(subsets: JsonObject[], labels: JsonObject = {}): JsonObject {
  return { metadata: { name: 'web', namespace: 'default', labels, creationTimestamp: '2024-05-01T11:59:00Z' }, subsets };
}

function errors(object: JsonObject): string[] {
  strategy.defaults?.(object);
  return (strategy.validate?.(object, CTX) ?? []).map(formatFieldError);
}

test('Endpoints are short-named ep and their ports default to TCP', () => {
  assert.deepEqual(ENDPOINTS.shortNames, ['ep']);
  const object = endpoints([{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }]);
  strategy.defaults?.(object);
  assert.deepEqual(object.subsets, [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
});

test('a subset needs addresses, each a usable IP, and named ports when it has several', () => {
  assert.deepEqual(errors(endpoints([{ addresses: [{ ip: '10.244.0.5', hostname: 'web-0', nodeName: 'n1' }], ports: [{ port: 80 }] }])), []);
  assert.deepEqual(errors(endpoints([{ ports: [{ port: 80 }] }])), ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']);
  assert.deepEqual(
    errors(endpoints([{ addresses: [{ ip: '127.0.0.1' }], notReadyAddresses: [{ ip: 'web' }], ports: [{ port: 80 }, { name: 'b', port: 70000, protocol: 'ICMP' }] }])),
    [
      'subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'subsets[0].notReadyAddresses[0].ip: Invalid value: "web": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[0].notReadyAddresses[0].ip: Invalid value: "web": must be a valid IP address',
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[1].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'subsets[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ],
  );
});

test('sloppy IPs are accepted with a warning, except from the endpoints controller', () => {
  const object = endpoints([{ addresses: [{ ip: '010.244.000.005' }] }]);
  assert.deepEqual(strategy.warnings?.(object, undefined), [
    'subsets[0].addresses[0].ip: non-standard IP address "010.244.000.005" will be considered invalid in a future Kubernetes release: use "10.244.0.5"',
  ]);
  assert.deepEqual(strategy.warnings?.(endpoints([{ addresses: [{ ip: '2001:DB8::1' }] }], { 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' }), undefined), []);
});

test('Endpoints have no selectable fields beyond metadata', () => {
  assert.deepEqual(strategy.selectableFields?.({}), {});
});

test('printing lists up to three endpoints and counts the rest', () => {
  const cells = (subsets: JsonObject[]): unknown[] => [...(ENDPOINTS.table?.cells(endpoints(subsets), NOW) ?? [])];
  assert.deepEqual(cells([]), ['web', '<none>', '60s']);
  assert.deepEqual(cells([{ addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], ports: [{ port: 80 }, { port: 443 }] }])[1], '10.0.0.1:80,[fd00::1]:80,10.0.0.1:443 + 1 more...');
  assert.deepEqual(cells([{ addresses: [{ ip: '10.0.0.1' }] }])[1], '10.0.0.1');
  assert.deepEqual(cells([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }])[1], '');
});
