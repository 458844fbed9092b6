import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { REPLICA_SETS } from './replicasets.js';
import { NOW, errorsAt, printed, simulateCreate, simulateUpdate } from './workload-testing.js';

const TEMPLATE: JsonObject = {
  metadata: { labels: { app: 'web', 'pod-template-hash': '5d4f8b' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
};

function replicaSet(spec: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-5d4f8b' },
    spec: { selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8b' } }, template: cloneJson(TEMPLATE), ...spec },
  };
}

function specOf(object: JsonObject): JsonObject {
  const spec = object.spec;
  assert.ok(spec !== null && typeof spec === 'object' && !Array.isArray(spec));
  return spec;
}

test('a minimal ReplicaSet gets one replica and the pod template defaults', () => {
  const { object, errors } = simulateCreate(REPLICA_SETS, replicaSet());
  assert.deepEqual(printed(errors), []);
  const { template, ...rest } = specOf(object);
  assert.deepEqual(rest, { replicas: 1, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8b' } } });
  const expected = cloneJson(TEMPLATE);
  defaultPodTemplateSpec(expected);
  assert.deepEqual(template, expected);
});

test('an empty ReplicaSet selector is reported with the Deployment wording, as upstream does', () => {
  const { errors } = simulateCreate(REPLICA_SETS, replicaSet({ selector: {} }));
  assert.deepEqual(printed(errors), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
});

test('a ReplicaSet needs a selector that matches its template', () => {
  const manifest = replicaSet();
  delete specOf(manifest).selector;
  assert.deepEqual(printed(simulateCreate(REPLICA_SETS, manifest).errors), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: {"app":"web","pod-template-hash":"5d4f8b"}: `selector` does not match template `labels`',
  ]);
});

test('replicas and minReadySeconds may not be negative', () => {
  const { errors } = simulateCreate(REPLICA_SETS, replicaSet({ replicas: -1, minReadySeconds: -1 }));
  assert.deepEqual(printed(errors), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('a replicated template may only share a GCE persistent disk read-only', () => {
  const manifest = replicaSet({ replicas: 2 });
  const template = specOf(manifest).template as JsonObject;
  (template.spec as JsonObject).volumes = [{ name: 'data', gcePersistentDisk: { pdName: 'disk-1' } }];
  const { errors } = simulateCreate(REPLICA_SETS, manifest);
  assert.deepEqual(errorsAt(errors, 'spec.template.spec.volumes[0].gcePersistentDisk.readOnly'), [
    'spec.template.spec.volumes[0].gcePersistentDisk.readOnly: Invalid value: false: must be true for replicated pods > 1; GCE PD can only be mounted on multiple machines if it is read-only',
  ]);
  const single = simulateCreate(REPLICA_SETS, { ...manifest, spec: { ...specOf(manifest), replicas: 1 } });
  assert.deepEqual(errorsAt(single.errors, 'spec.template.spec.volumes[0].gcePersistentDisk.readOnly'), []);
});

test('the selector of a ReplicaSet cannot change, but its replicas can', () => {
  const stored = simulateCreate(REPLICA_SETS, replicaSet()).object;
  const scaled = simulateUpdate(REPLICA_SETS, stored, (object) => (specOf(object).replicas = 5));
  assert.deepEqual(printed(scaled.errors), []);
  assert.equal((scaled.object.metadata as JsonObject).generation, 2);
  const reselected = simulateUpdate(REPLICA_SETS, stored, (object) => (specOf(object).selector = { matchLabels: { app: 'web' } }));
  assert.deepEqual(printed(reselected.errors), ['spec.selector: Invalid value: {"matchLabels":{"app":"web"}}: field is immutable']);
});

test('a ReplicaSet status may not count more pods than it has', () => {
  const stored = simulateCreate(REPLICA_SETS, replicaSet()).object;
  const { errors } = simulateUpdate(
    REPLICA_SETS,
    stored,
    (object) => (object.status = { replicas: 1, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 2, observedGeneration: -1 }),
    'status',
  );
  assert.deepEqual(printed(errors), [
    'status.observedGeneration: Invalid value: -1: must be greater than or equal to 0',
    'status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 2: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas',
  ]);
});

test('the table shows desired, current and ready replicas', () => {
  const object: JsonObject = {
    metadata: { name: 'web-5d4f8b', creationTimestamp: new Date(NOW - 90_000).toISOString() },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: cloneJson(TEMPLATE) },
    status: { replicas: 3, readyReplicas: 1 },
  };
  assert.deepEqual(REPLICA_SETS.table?.columns.map((c) => c.name), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(REPLICA_SETS.table?.cells(object, NOW), ['web-5d4f8b', 3, 3, 1, '90s', 'nginx', 'nginx:1.27', 'app=web']);
  assert.deepEqual(REPLICA_SETS.table?.cells({ metadata: { name: 'x' }, spec: {} }, NOW), ['x', 0, 0, 0, '<unknown>', '', '', '<none>']);
});

test('ReplicaSets are selectable by status.replicas', () => {
  assert.deepEqual(REPLICA_SETS.strategy.selectableFields?.({}), { 'status.replicas': '0' });
  assert.deepEqual(REPLICA_SETS.strategy.selectableFields?.({ status: { replicas: 4 } }), { 'status.replicas': '4' });
});

test('ReplicaSets are named rs, listed in all and scalable', () => {
  assert.deepEqual(REPLICA_SETS.shortNames, ['rs']);
  assert.deepEqual(REPLICA_SETS.categories, ['all']);
  assert.equal(REPLICA_SETS.scale?.labelSelectorPath, '.spec.selector');
});
