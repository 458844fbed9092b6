import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { POD_DISRUPTION_BUDGETS } from './poddisruptionbudgets.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const { strategy } = POD_DISRUPTION_BUDGETS;

function pdb(spec: JsonObject, status?: JsonObject): JsonObject {
  return { metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:58:00Z' }, spec, ...(status === undefined ? {} : { status }) };
}

const errors = (spec: JsonObject): string[] => (strategy.validate?.(pdb(spec), CTX) ?? []).map(formatFieldError);

test('PodDisruptionBudgets are policy/v1, short-named pdb, with status and generation', () => {
  assert.deepEqual(POD_DISRUPTION_BUDGETS.shortNames, ['pdb']);
  assert.equal(POD_DISRUPTION_BUDGETS.group, 'policy');
  assert.equal(POD_DISRUPTION_BUDGETS.statusSubresource, true);
  assert.equal(POD_DISRUPTION_BUDGETS.tracksGeneration, true);
  assert.deepEqual(strategy.selectableFields?.({}), {});
});

test('a new budget starts with zero counts', () => {
  const object = pdb({ minAvailable: 1 });
  strategy.prepareForCreate?.(object, CTX);
  assert.deepEqual(object.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
});

test('minAvailable and maxUnavailable are exclusive, non-negative numbers or percentages up to 100%', () => {
  assert.deepEqual(errors({ minAvailable: '50%', selector: { matchLabels: { app: 'web' } } }), []);
  assert.deepEqual(errors({ minAvailable: 1, maxUnavailable: 1 }), [
    'spec: Invalid value: {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set',
  ]);
  assert.deepEqual(errors({ maxUnavailable: -1 }), ['spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0']);
  assert.deepEqual(errors({ minAvailable: '150%' }), ['spec.minAvailable: Invalid value: "150%": must not be greater than 100%']);
  assert.deepEqual(errors({ minAvailable: 'half' }), [
    `spec.minAvailable: Invalid value: "half": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
  ]);
});

test('the selector and eviction policy are checked', () => {
  assert.deepEqual(
    errors({ selector: { matchExpressions: [{ key: 'app', operator: 'In' }, { key: 'tier', operator: 'Exists', values: ['x'] }, { key: 'a', operator: 'Near' }] }, unhealthyPodEvictionPolicy: 'Never' }),
    [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Near": not a valid selector operator',
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ],
  );
});

test('a status update needs non-negative counts and well-formed conditions', () => {
  const old = pdb({ minAvailable: 1 });
  const body = pdb({ minAvailable: 1 }, {
    disruptionsAllowed: -1,
    conditions: [
      { type: 'DisruptionAllowed', status: 'Maybe', reason: '1bad', lastTransitionTime: '2024-05-01T11:59:00Z' },
      { type: 'DisruptionAllowed', status: 'True' },
    ],
  });
  assert.deepEqual((strategy.validateUpdate?.(body, old, { ...CTX, subresource: 'status' }) ?? []).map(formatFieldError), [
    'status.conditions[0].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
    `status.conditions[0].reason: Invalid value: "1bad": a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_' (e.g. 'ReasonA',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')`,
    'status.conditions[1].type: Duplicate value: "DisruptionAllowed"',
    'status.conditions[1].lastTransitionTime: Required value: must be set',
    'status.conditions[1].reason: Required value: must be set',
    'status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('printing shows the budget and the disruptions allowed now', () => {
  assert.deepEqual(POD_DISRUPTION_BUDGETS.table?.cells(pdb({ minAvailable: '50%' }, { disruptionsAllowed: 2 }), NOW), ['web', '50%', 'N/A', 2, '2m']);
  assert.deepEqual(POD_DISRUPTION_BUDGETS.table?.cells(pdb({ maxUnavailable: 1 }), NOW), ['web', 'N/A', '1', 0, '2m']);
});
