import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { DAEMON_SETS, TEMPLATE_GENERATION_ANNOTATION } from './daemonsets.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { NOW, errorsAt, printed, simulateCreate, simulateUpdate } from './workload-testing.js';

const TEMPLATE: JsonObject = {
  metadata: { labels: { app: 'agent' } },
  spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'agent', image: 'fluent-bit:3' }] },
};

function daemonSet(spec: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: cloneJson(TEMPLATE), ...spec },
  };
}

function specOf(object: JsonObject): JsonObject {
  const spec = object.spec;
  assert.ok(spec !== null && typeof spec === 'object' && !Array.isArray(spec));
  return spec;
}

const annotationsOf = (object: JsonObject): unknown => (object.metadata as JsonObject).annotations;

test('a minimal DaemonSet gets exactly upstream defaults and template generation 1', () => {
  const { object, errors } = simulateCreate(DAEMON_SETS, daemonSet());
  assert.deepEqual(printed(errors), []);
  const { template, ...rest } = specOf(object);
  assert.deepEqual(rest, {
    selector: { matchLabels: { app: 'agent' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    revisionHistoryLimit: 10,
  });
  const expected = cloneJson(TEMPLATE);
  defaultPodTemplateSpec(expected);
  assert.deepEqual(template, expected);
  assert.deepEqual(annotationsOf(object), { [TEMPLATE_GENERATION_ANNOTATION]: '1' });
});

test('an OnDelete DaemonSet gets no rolling update parameters', () => {
  const { object, errors } = simulateCreate(DAEMON_SETS, daemonSet({ updateStrategy: { type: 'OnDelete' } }));
  assert.deepEqual(printed(errors), []);
  assert.deepEqual(specOf(object).updateStrategy, { type: 'OnDelete' });
});

test('the template generation counts template changes and clients cannot set it', () => {
  const stored = simulateCreate(DAEMON_SETS, daemonSet()).object;
  const changed = simulateUpdate(DAEMON_SETS, stored, (object) => {
    const template = specOf(object).template as JsonObject;
    ((template.spec as JsonObject).containers as JsonObject[])[0] = { name: 'agent', image: 'fluent-bit:4' };
  });
  assert.deepEqual(printed(changed.errors), []);
  assert.deepEqual(annotationsOf(changed.object), { [TEMPLATE_GENERATION_ANNOTATION]: '2' });
  assert.equal((changed.object.metadata as JsonObject).generation, 2);
  const forged = simulateUpdate(DAEMON_SETS, stored, (object) => {
    (object.metadata as JsonObject).annotations = { [TEMPLATE_GENERATION_ANNOTATION]: '9', note: 'x' };
  });
  assert.deepEqual(annotationsOf(forged.object), { [TEMPLATE_GENERATION_ANNOTATION]: '1', note: 'x' });
  const tuned = simulateUpdate(DAEMON_SETS, stored, (object) => (specOf(object).minReadySeconds = 5));
  assert.deepEqual(annotationsOf(tuned.object), { [TEMPLATE_GENERATION_ANNOTATION]: '1' });
  assert.equal((tuned.object.metadata as JsonObject).generation, 2);
});

test('exactly one of maxSurge and maxUnavailable must be non-zero', () => {
  const both = simulateCreate(DAEMON_SETS, daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } } }));
  assert.deepEqual(printed(both.errors), ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero']);
  const neither = simulateCreate(DAEMON_SETS, daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }));
  assert.deepEqual(printed(neither.errors), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0']);
  const surgeOnly = simulateCreate(DAEMON_SETS, daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
  assert.deepEqual(printed(surgeOnly.errors), []);
});

test('unknown update strategies are not supported', () => {
  const { errors } = simulateCreate(DAEMON_SETS, daemonSet({ updateStrategy: { type: 'Recreate' } }));
  assert.deepEqual(printed(errors), ['spec.updateStrategy: Unsupported value: {"type":"Recreate"}: supported values: "RollingUpdate", "OnDelete"']);
});

test('a DaemonSet selector must match the template and may not be empty', () => {
  const manifest = daemonSet();
  delete specOf(manifest).selector;
  assert.deepEqual(printed(simulateCreate(DAEMON_SETS, manifest).errors), [
    'spec.template.metadata.labels: Invalid value: {"app":"agent"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(printed(simulateCreate(DAEMON_SETS, daemonSet({ selector: {} })).errors), [
    'spec.selector: Invalid value: {}: empty selector is invalid for daemonset',
  ]);
});

test('a DaemonSet template must restart Always', () => {
  const manifest = daemonSet();
  ((specOf(manifest).template as JsonObject).spec as JsonObject).restartPolicy = 'Never';
  assert.deepEqual(errorsAt(simulateCreate(DAEMON_SETS, manifest).errors, 'spec.template.spec.restartPolicy'), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
});

test('the selector of a DaemonSet cannot change', () => {
  const stored = simulateCreate(DAEMON_SETS, daemonSet()).object;
  const { errors } = simulateUpdate(DAEMON_SETS, stored, (object) => (specOf(object).selector = { matchExpressions: [{ key: 'app', operator: 'Exists' }] }));
  assert.deepEqual(printed(errors), ['spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"Exists"}]}: field is immutable']);
});

test('a status write keeps the spec and its template generation, and checks the counters', () => {
  const stored = simulateCreate(DAEMON_SETS, daemonSet()).object;
  const { object, errors } = simulateUpdate(
    DAEMON_SETS,
    stored,
    (o) => {
      specOf(o).minReadySeconds = 30;
      o.status = { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: -1, numberMisscheduled: 0 };
    },
    'status',
  );
  assert.deepEqual(printed(errors), ['status.numberReady: Invalid value: -1: must be greater than or equal to 0']);
  assert.equal(specOf(object).minReadySeconds, undefined);
  assert.deepEqual(annotationsOf(object), { [TEMPLATE_GENERATION_ANNOTATION]: '1' });
});

test('the table shows scheduling counts and the node selector', () => {
  const object: JsonObject = {
    metadata: { name: 'agent', creationTimestamp: new Date(NOW - 45 * 60_000).toISOString() },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: cloneJson(TEMPLATE) },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
  };
  assert.deepEqual(DAEMON_SETS.table?.columns.map((c) => c.name), [
    'Name',
    'Desired',
    'Current',
    'Ready',
    'Up-to-date',
    'Available',
    'Node Selector',
    'Age',
    'Containers',
    'Images',
    'Selector',
  ]);
  assert.deepEqual(DAEMON_SETS.table?.cells(object, NOW), ['agent', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '45m', 'agent', 'fluent-bit:3', 'app=agent']);
  assert.equal(DAEMON_SETS.table?.cells({ metadata: { name: 'x' } }, NOW)[6], '<none>');
});

test('DaemonSets are named ds, listed in all, not scalable and selectable by metadata only', () => {
  assert.deepEqual(DAEMON_SETS.shortNames, ['ds']);
  assert.deepEqual(DAEMON_SETS.categories, ['all']);
  assert.equal(DAEMON_SETS.scale, undefined);
  assert.deepEqual(DAEMON_SETS.strategy.selectableFields?.({}), {});
});
