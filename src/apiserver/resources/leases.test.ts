import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { LEASES, createLeasesDefinition } from './leases.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };

function lease(spec: JsonObject): JsonObject {
  return { metadata: { name: 'n1', namespace: 'kube-node-lease', creationTimestamp: '2024-05-01T11:59:55Z' }, spec };
}

const errors = (spec: JsonObject, definition = LEASES): string[] => {
  const object = lease(spec);
  definition.strategy.prepareForCreate?.(object, CTX);
  return (definition.strategy.validate?.(object, CTX) ?? []).map(formatFieldError);
};

test('Leases live in coordination.k8s.io/v1', () => {
  assert.equal(LEASES.group, 'coordination.k8s.io');
  assert.equal(LEASES.kind, 'Lease');
  assert.deepEqual(LEASES.strategy.selectableFields?.({}), {});
});

test('a lease duration must be positive and its transitions non-negative', () => {
  assert.deepEqual(errors({ holderIdentity: 'n1', leaseDurationSeconds: 40, leaseTransitions: 0 }), []);
  assert.deepEqual(errors({ leaseDurationSeconds: 0, leaseTransitions: -1 }), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('strategy fields are dropped while coordinated leader election is off', () => {
  const object = lease({ strategy: 'Bogus', preferredHolder: 'x' });
  LEASES.strategy.prepareForCreate?.(object, CTX);
  assert.deepEqual(object.spec, {});
  const kept = lease({ preferredHolder: 'x' });
  LEASES.strategy.prepareForUpdate?.(kept, lease({ strategy: 'OldestEmulationVersion', preferredHolder: 'y' }), CTX);
  assert.deepEqual(kept.spec, { preferredHolder: 'x' });
});

test('with coordinated leader election, the strategy must be known or qualified, and preferredHolder needs it', () => {
  const gated = createLeasesDefinition({ coordinatedLeaderElection: true });
  assert.deepEqual(errors({ strategy: 'OldestEmulationVersion', preferredHolder: 'a' }, gated), []);
  assert.deepEqual(errors({ strategy: 'example.com/custom' }, gated), []);
  assert.deepEqual(errors({ strategy: 'Newest', preferredHolder: 'a' }, gated), [
    'spec.strategy.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"',
  ]);
  assert.deepEqual(errors({ preferredHolder: 'a' }, gated), ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined']);
});

test('printing shows the holder', () => {
  assert.deepEqual(LEASES.table?.cells(lease({ holderIdentity: 'n1' }), NOW), ['n1', 'n1', '5s']);
  assert.deepEqual(LEASES.table?.cells(lease({}), NOW), ['n1', '', '5s']);
});
