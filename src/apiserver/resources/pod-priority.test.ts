import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { admitPodPriority } from './pod-priority.js';
import { type PriorityClassLister, SYSTEM_PRIORITY_CLASSES } from './priorityclasses.js';

function priorityClass(name: string, value: number, fields: JsonObject = {}): JsonObject {
  return { metadata: { name }, value, preemptionPolicy: 'PreemptLowerPriority', ...fields };
}

const lister = (...classes: JsonObject[]): PriorityClassLister => ({
  get: (name) => classes.find((pc) => (pc.metadata as JsonObject).name === name),
  list: () => classes,
});

const SYSTEM = lister(...SYSTEM_PRIORITY_CLASSES);

function pod(spec: JsonObject = {}): JsonObject {
  return { metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx' }], ...spec } };
}

const specOf = (object: JsonObject): JsonObject => object.spec as JsonObject;

test('a pod naming no class gets priority 0 and PreemptLowerPriority when there is no global default', () => {
  const created = pod();
  assert.deepEqual(admitPodPriority(created, undefined, SYSTEM), { allowed: true });
  assert.equal(specOf(created).priority, 0);
  assert.equal(specOf(created).preemptionPolicy, 'PreemptLowerPriority');
  assert.equal(specOf(created).priorityClassName, undefined);
});

test('a pod naming no class gets the global default class: its name, value and preemption policy', () => {
  const created = pod();
  const classes = lister(...SYSTEM_PRIORITY_CLASSES, priorityClass('batch', 50, { globalDefault: true, preemptionPolicy: 'Never' }));
  assert.deepEqual(admitPodPriority(created, undefined, classes), { allowed: true });
  assert.equal(specOf(created).priorityClassName, 'batch');
  assert.equal(specOf(created).priority, 50);
  assert.equal(specOf(created).preemptionPolicy, 'Never');
});

test('a pod naming a class gets its value and preemption policy', () => {
  const high = pod({ priorityClassName: 'high' });
  assert.deepEqual(admitPodPriority(high, undefined, lister(priorityClass('high', 1000, { preemptionPolicy: 'Never' }))), { allowed: true });
  assert.equal(specOf(high).priority, 1000);
  assert.equal(specOf(high).preemptionPolicy, 'Never');
  const critical = pod({ priorityClassName: 'system-node-critical' });
  assert.deepEqual(admitPodPriority(critical, undefined, SYSTEM), { allowed: true });
  assert.equal(specOf(critical).priority, 2000001000);
});

test('a pod naming a class that does not exist is refused', () => {
  assert.deepEqual(admitPodPriority(pod({ priorityClassName: 'missing' }), undefined, SYSTEM), {
    allowed: false,
    message: 'no PriorityClass with name missing was found',
  });
});

test('a priority given in the pod must be the class value', () => {
  const classes = lister(priorityClass('high', 1000));
  assert.deepEqual(admitPodPriority(pod({ priorityClassName: 'high', priority: 1000 }), undefined, classes), { allowed: true });
  assert.deepEqual(admitPodPriority(pod({ priorityClassName: 'high', priority: 7 }), undefined, classes), {
    allowed: false,
    message: 'the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
  });
  assert.deepEqual(admitPodPriority(pod({ priority: 3 }), undefined, SYSTEM), {
    allowed: false,
    message: 'the integer value of priority (3) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
  });
});

test('a preemption policy given in the pod must be the class policy', () => {
  const classes = lister(priorityClass('polite', 10, { preemptionPolicy: 'Never' }));
  assert.deepEqual(admitPodPriority(pod({ priorityClassName: 'polite', preemptionPolicy: 'Never' }), undefined, classes), { allowed: true });
  assert.deepEqual(admitPodPriority(pod({ priorityClassName: 'polite', preemptionPolicy: 'PreemptLowerPriority' }), undefined, classes), {
    allowed: false,
    message: 'the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name',
  });
});

test('an update keeps the priority and preemption policy the pod was created with', () => {
  const old = pod({ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
  const updated = pod({ priorityClassName: 'high' });
  assert.deepEqual(admitPodPriority(updated, old, lister()), { allowed: true });
  assert.equal(specOf(updated).priority, 1000);
  assert.equal(specOf(updated).preemptionPolicy, 'Never');
  assert.deepEqual(specOf(old), { containers: [{ name: 'web', image: 'nginx' }], priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
});
