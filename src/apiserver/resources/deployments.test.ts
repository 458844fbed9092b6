import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { DEPLOYMENTS } from './deployments.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { NOW, errorsAt, printed, simulateCreate, simulateUpdate } from './workload-testing.js';

const TEMPLATE: JsonObject = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
};

function deployment(spec: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: cloneJson(TEMPLATE), ...spec },
  };
}

function specOf(object: JsonObject): JsonObject {
  const spec = object.spec;
  assert.ok(spec !== null && typeof spec === 'object' && !Array.isArray(spec));
  return spec;
}

test('a minimal Deployment gets exactly upstream defaults', () => {
  const { object, errors } = simulateCreate(DEPLOYMENTS, deployment());
  assert.deepEqual(printed(errors), []);
  const { template, ...rest } = specOf(object);
  assert.deepEqual(rest, {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  });
  const expectedTemplate = cloneJson(TEMPLATE);
  defaultPodTemplateSpec(expectedTemplate);
  assert.deepEqual(template, expectedTemplate);
  assert.equal(object.status, undefined);
});

test('a Recreate Deployment keeps its own values and gets no rolling update parameters', () => {
  const { object, errors } = simulateCreate(DEPLOYMENTS, deployment({ replicas: 0, strategy: { type: 'Recreate' }, revisionHistoryLimit: 0 }));
  assert.deepEqual(printed(errors), []);
  const spec = specOf(object);
  assert.deepEqual(spec.strategy, { type: 'Recreate' });
  assert.equal(spec.replicas, 0);
  assert.equal(spec.revisionHistoryLimit, 0);
});

test('a Deployment without a selector is invalid on the selector and on the template labels', () => {
  const manifest = deployment();
  delete specOf(manifest).selector;
  const { errors } = simulateCreate(DEPLOYMENTS, manifest);
  assert.deepEqual(printed(errors), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
  ]);
});

test('the selector must match the template labels and may not be empty', () => {
  const mismatch = simulateCreate(DEPLOYMENTS, deployment({ selector: { matchLabels: { app: 'api' } } }));
  assert.deepEqual(printed(mismatch.errors), [
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
  ]);
  const empty = simulateCreate(DEPLOYMENTS, deployment({ selector: {} }));
  assert.deepEqual(printed(empty.errors), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
});

test('selector requirements are validated with upstream paths', () => {
  const { errors } = simulateCreate(
    DEPLOYMENTS,
    deployment({ selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In' }, { key: 'x', operator: 'Near' }] } }),
  );
  assert.deepEqual(errorsAt(errors, 'spec.selector.matchExpressions[0].values'), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
  ]);
  assert.deepEqual(errorsAt(errors, 'spec.selector.matchExpressions[1].operator'), [
    'spec.selector.matchExpressions[1].operator: Invalid value: "Near": not a valid selector operator',
  ]);
  assert.deepEqual(errorsAt(errors, 'spec.selector'), ['spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In"},{"key":"x","operator":"Near"}]}: invalid label selector']);
});

test('replicas, minReadySeconds and revisionHistoryLimit may not be negative', () => {
  const { errors } = simulateCreate(DEPLOYMENTS, deployment({ replicas: -1, minReadySeconds: -2, revisionHistoryLimit: -3 }));
  assert.deepEqual(printed(errors), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.minReadySeconds: Invalid value: -2: must be greater than or equal to 0',
    'spec.revisionHistoryLimit: Invalid value: -3: must be greater than or equal to 0',
  ]);
});

test('maxUnavailable may not be 0 when maxSurge is 0', () => {
  const { errors } = simulateCreate(DEPLOYMENTS, deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }));
  assert.deepEqual(printed(errors), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
});

test('rolling update values must be non-negative integers or percentages of at most 100%', () => {
  const { errors } = simulateCreate(DEPLOYMENTS, deployment({ strategy: { rollingUpdate: { maxUnavailable: '150%', maxSurge: 'lots' } } }));
  assert.deepEqual(printed(errors), [
    "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"lots\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
  ]);
  const negative = simulateCreate(DEPLOYMENTS, deployment({ strategy: { rollingUpdate: { maxUnavailable: -1 } } }));
  assert.deepEqual(errorsAt(negative.errors, 'spec.strategy.rollingUpdate.maxUnavailable'), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('a Recreate strategy may not carry rolling update parameters, and unknown types are not supported', () => {
  const recreate = simulateCreate(DEPLOYMENTS, deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }));
  assert.deepEqual(printed(recreate.errors), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
  const unknown = simulateCreate(DEPLOYMENTS, deployment({ strategy: { type: 'BlueGreen' } }));
  assert.deepEqual(printed(unknown.errors), ['spec.strategy: Unsupported value: {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate"']);
});

test('the template must restart Always and may not set activeDeadlineSeconds', () => {
  const manifest = deployment();
  const template = specOf(manifest).template;
  assert.ok(template !== null && typeof template === 'object' && !Array.isArray(template));
  template.spec = { restartPolicy: 'Never', activeDeadlineSeconds: 30, containers: [{ name: 'nginx', image: 'nginx' }] };
  const { errors } = simulateCreate(DEPLOYMENTS, manifest);
  assert.deepEqual(errorsAt(errors, 'spec.template.spec.restartPolicy'), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
  assert.deepEqual(errorsAt(errors, 'spec.template.spec.activeDeadlineSeconds'), [
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
  ]);
});

test('the pod template itself is validated', () => {
  const manifest = deployment();
  const template = specOf(manifest).template;
  assert.ok(template !== null && typeof template === 'object' && !Array.isArray(template));
  template.spec = { containers: [] };
  const { errors } = simulateCreate(DEPLOYMENTS, manifest);
  assert.ok(errors.some((error) => error.field.startsWith('spec.template.spec.containers')), printed(errors).join('\n'));
});

test('progressDeadlineSeconds must be greater than minReadySeconds', () => {
  const { errors } = simulateCreate(DEPLOYMENTS, deployment({ minReadySeconds: 600 }));
  assert.deepEqual(printed(errors), ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']);
});

test('the selector of a Deployment cannot change', () => {
  const stored = simulateCreate(DEPLOYMENTS, deployment()).object;
  const { errors } = simulateUpdate(DEPLOYMENTS, stored, (object) => {
    const spec = specOf(object);
    spec.selector = { matchLabels: { app: 'web', tier: 'front' } };
    spec.template = { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };
  });
  assert.deepEqual(printed(errors), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"front"}}: field is immutable']);
});

test('scaling bumps the generation and so does changing the annotations', () => {
  const stored = simulateCreate(DEPLOYMENTS, deployment()).object;
  const scaled = simulateUpdate(DEPLOYMENTS, stored, (object) => {
    specOf(object).replicas = 3;
  });
  assert.deepEqual(printed(scaled.errors), []);
  assert.equal((scaled.object.metadata as JsonObject).generation, 2);
  const annotated = simulateUpdate(DEPLOYMENTS, stored, (object) => {
    (object.metadata as JsonObject).annotations = { 'example.com/owner': 'team-a' };
  });
  assert.equal((annotated.object.metadata as JsonObject).generation, 2);
  const relabelled = simulateUpdate(DEPLOYMENTS, stored, (object) => {
    (object.metadata as JsonObject).labels = { team: 'a' };
  });
  assert.equal((relabelled.object.metadata as JsonObject).generation, 1);
});

test('a status write keeps the labels and checks the counters', () => {
  const stored = simulateCreate(DEPLOYMENTS, { ...deployment(), metadata: { name: 'web', labels: { app: 'web' } } }).object;
  const ok = simulateUpdate(
    DEPLOYMENTS,
    stored,
    (object) => {
      (object.metadata as JsonObject).labels = { hijacked: 'yes' };
      object.status = { replicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3, observedGeneration: 1 };
    },
    'status',
  );
  assert.deepEqual(printed(ok.errors), []);
  assert.deepEqual((ok.object.metadata as JsonObject).labels, { app: 'web' });
  const bad = simulateUpdate(DEPLOYMENTS, stored, (object) => (object.status = { replicas: 1, readyReplicas: 2, availableReplicas: 3 }), 'status');
  assert.deepEqual(printed(bad.errors), [
    'status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas',
    'status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas',
  ]);
});

test('the table shows a Deployment with 2 of 3 ready, and its containers, images and selector', () => {
  const object: JsonObject = {
    metadata: { name: 'web', creationTimestamp: new Date(NOW - 3 * 3600_000).toISOString() },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] },
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'envoy' }] } },
    },
    status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
  };
  assert.deepEqual(
    DEPLOYMENTS.table?.columns.map((c) => [c.name, c.priority]),
    [['Name', 0], ['Ready', 0], ['Up-to-date', 0], ['Available', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1]],
  );
  assert.deepEqual(DEPLOYMENTS.table?.cells(object, NOW), ['web', '2/3', 3, 2, '3h', 'nginx,sidecar', 'nginx:1.27,envoy', 'app=web,tier in (edge,front)']);
});

test('a Deployment without status prints zeros and an empty selector', () => {
  const cells = DEPLOYMENTS.table?.cells({ metadata: { name: 'empty' }, spec: { replicas: 1, selector: {} } }, NOW);
  assert.deepEqual(cells, ['empty', '0/1', 0, 0, '<unknown>', '', '', '']);
});

test('Deployments are named deploy, listed in all, scalable and selectable by metadata only', () => {
  assert.deepEqual(DEPLOYMENTS.shortNames, ['deploy']);
  assert.deepEqual(DEPLOYMENTS.categories, ['all']);
  assert.equal(DEPLOYMENTS.statusSubresource, true);
  assert.equal(DEPLOYMENTS.tracksGeneration, true);
  assert.deepEqual(DEPLOYMENTS.scale, { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' });
  assert.deepEqual(DEPLOYMENTS.strategy.selectableFields?.({}), {});
});

test('creating a Deployment whose name is not a DNS label draws a warning', () => {
  assert.deepEqual(DEPLOYMENTS.strategy.warnings?.({ metadata: { name: 'web' } }, undefined), []);
  const warnings = DEPLOYMENTS.strategy.warnings?.({ metadata: { name: 'web.v2' } }, undefined) ?? [];
  assert.deepEqual(warnings, ["metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"]);
});
