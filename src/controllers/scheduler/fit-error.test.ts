import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FitError } from './fit-error.js';
import { type Rejection, unresolvable, unschedulable } from './plugins/status.js';

test('the FitError message counts reasons per node, sorted, and says nothing of preemption', () => {
  const statuses = new Map<string, Rejection>([
    ['control-plane', unresolvable('TaintToleration', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')],
    ['w1', unschedulable('NodeResourcesFit', 'Insufficient cpu')],
    ['w2', unschedulable('NodeResourcesFit', 'Insufficient cpu')],
  ]);
  assert.equal(
    new FitError(3, statuses).message,
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.',
  );
});

test('a node with several shortfalls counts each of them', () => {
  const statuses = new Map<string, Rejection>([
    ['a', unschedulable('NodeResourcesFit', 'Insufficient cpu', 'Insufficient memory')],
    ['b', unschedulable('NodeResourcesFit', 'Insufficient memory')],
  ]);
  assert.equal(new FitError(2, statuses).message, '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.');
});

test('the plugins that rejected nodes are reported for re-queueing', () => {
  const statuses = new Map<string, Rejection>([['a', unresolvable('NodeAffinity', 'x')], ['b', unschedulable('NodeResourcesFit', 'y')]]);
  assert.deepEqual([...new FitError(2, statuses).unschedulablePlugins].sort(), ['NodeAffinity', 'NodeResourcesFit']);
});
