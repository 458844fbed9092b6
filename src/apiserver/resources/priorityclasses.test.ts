import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import {
  PRIORITY_CLASSES,
  type PriorityClassLister,
  SYSTEM_PRIORITY_CLASSES,
  defaultPriorityClass,
  globalDefaultConflict,
} from './priorityclasses.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const { strategy } = PRIORITY_CLASSES;

function priorityClass(name: string, fields: JsonObject = {}): JsonObject {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, creationTimestamp: '2025-01-01T11:00:00Z' }, value: 1000, ...fields };
}

function defaulted(object: JsonObject): JsonObject {
  strategy.defaults?.(object);
  return object;
}

const errors = (object: JsonObject): string[] => (strategy.validate?.(defaulted(object), CTX) ?? []).map(formatFieldError);
const updateErrors = (object: JsonObject, old: JsonObject): string[] =>
  (strategy.validateUpdate?.(defaulted(object), defaulted(old), CTX) ?? []).map(formatFieldError);

const lister = (...classes: JsonObject[]): PriorityClassLister => ({
  get: (name) => classes.find((pc) => (pc.metadata as JsonObject).name === name),
  list: () => classes,
});

test('PriorityClasses are cluster-scoped scheduling.k8s.io/v1 objects with the short name pc', () => {
  assert.equal(PRIORITY_CLASSES.group, 'scheduling.k8s.io');
  assert.equal(PRIORITY_CLASSES.resource, 'priorityclasses');
  assert.equal(PRIORITY_CLASSES.namespaced, false);
  assert.deepEqual(PRIORITY_CLASSES.shortNames, ['pc']);
});

test('a new class defaults its preemption policy to PreemptLowerPriority and keeps Never', () => {
  assert.equal(defaulted(priorityClass('a')).preemptionPolicy, 'PreemptLowerPriority');
  assert.equal(defaulted(priorityClass('a', { preemptionPolicy: 'Never' })).preemptionPolicy, 'Never');
  assert.equal(defaulted({ metadata: { name: 'a' } }).value, 0);
});

test('a user-defined class may have a value up to one billion', () => {
  assert.deepEqual(errors(priorityClass('high', { value: 1000000000 })), []);
  assert.deepEqual(errors(priorityClass('negative', { value: -5 })), []);
  assert.deepEqual(errors(priorityClass('higher', { value: 1000000001 })), [
    'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
  ]);
});

test('the system- prefix is reserved for the system classes with their exact values', () => {
  for (const system of SYSTEM_PRIORITY_CLASSES) assert.deepEqual(errors(structuredClone(system)), []);
  assert.deepEqual(errors(priorityClass('system-mine', { value: 5 })), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
  ]);
  assert.deepEqual(errors(priorityClass('system-node-critical', { value: 5 })), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
  ]);
  assert.deepEqual(errors(priorityClass('system-cluster-critical', { value: 2000000000, globalDefault: true })), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: globalDefault of system-cluster-critical PriorityClass must be false",
  ]);
});

test('the preemption policy is PreemptLowerPriority or Never', () => {
  assert.deepEqual(errors(priorityClass('a', { preemptionPolicy: 'Never' })), []);
  assert.deepEqual(errors(priorityClass('a', { preemptionPolicy: 'Sometimes' })), [
    'preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
  ]);
  assert.deepEqual(errors(priorityClass('a', { preemptionPolicy: '' })), ['preemptionPolicy: Required value']);
});

test('an update may change the description and global default but not the value or the preemption policy', () => {
  const old = priorityClass('a', { description: 'before' });
  assert.deepEqual(updateErrors(priorityClass('a', { description: 'after', globalDefault: true }), old), []);
  assert.deepEqual(updateErrors(priorityClass('a', { value: 7 }), old), ['value: Forbidden: may not be changed in an update.']);
  assert.deepEqual(updateErrors(priorityClass('a', { preemptionPolicy: 'Never' }), old), [
    'preemptionPolicy: Invalid value: "Never": field is immutable',
  ]);
});

test('the system classes cannot be deleted; others can', () => {
  assert.equal(strategy.refuseDelete?.(structuredClone(SYSTEM_PRIORITY_CLASSES[0] ?? {})), 'this is a system priority class and cannot be deleted');
  assert.equal(strategy.refuseDelete?.(priorityClass('high')), undefined);
});

test('kubectl get pc shows NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', () => {
  const table = PRIORITY_CLASSES.table;
  assert.ok(table !== undefined);
  assert.deepEqual(table.columns.map((c) => c.name), ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy']);
  assert.deepEqual(table.cells(defaulted(priorityClass('high', { globalDefault: true })), NOW), ['high', 1000, true, '60m', 'PreemptLowerPriority']);
  assert.deepEqual(table.cells(priorityClass('old'), NOW), ['old', 1000, false, '60m', 'Unknown']);
});

test('a second global default is refused, naming the one that exists', () => {
  const existing = priorityClass('first', { globalDefault: true });
  const second = priorityClass('second', { globalDefault: true });
  assert.equal(globalDefaultConflict(second, undefined, lister(existing)), 'PriorityClass first is already marked as default. Only one default can exist');
  assert.equal(globalDefaultConflict(second, priorityClass('second'), lister(existing)), 'PriorityClass first is already marked as default. Only one default can exist');
  assert.equal(globalDefaultConflict(existing, existing, lister(existing)), undefined, 'the default itself may be updated');
  assert.equal(globalDefaultConflict(priorityClass('plain'), undefined, lister(existing)), undefined);
  assert.equal(globalDefaultConflict(second, undefined, lister(priorityClass('other'))), undefined);
});

test('of several global defaults the one with the smallest value counts', () => {
  const chosen = defaultPriorityClass([
    priorityClass('big', { globalDefault: true, value: 50 }),
    priorityClass('small', { globalDefault: true, value: 10 }),
    priorityClass('smallest-but-not-default', { value: 1 }),
  ]);
  assert.equal((chosen?.metadata as JsonObject | undefined)?.name, 'small');
  assert.equal(defaultPriorityClass([priorityClass('none')]), undefined);
});
