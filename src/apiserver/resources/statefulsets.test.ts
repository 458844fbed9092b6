import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { STATEFUL_SETS } from './statefulsets.js';
import { NOW, errorsAt, printed, simulateCreate, simulateUpdate } from './workload-testing.js';

const CLAIM: JsonObject = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };

const TEMPLATE: JsonObject = {
  metadata: { labels: { app: 'db' } },
  spec: { containers: [{ name: 'postgres', image: 'postgres:17', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql' }] }] },
};

function statefulSet(spec: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: cloneJson(TEMPLATE),
      volumeClaimTemplates: [cloneJson(CLAIM)],
      ...spec,
    },
  };
}

function specOf(object: JsonObject): JsonObject {
  const spec = object.spec;
  assert.ok(spec !== null && typeof spec === 'object' && !Array.isArray(spec));
  return spec;
}

test('a minimal StatefulSet gets exactly upstream defaults', () => {
  const { object, errors } = simulateCreate(STATEFUL_SETS, statefulSet());
  assert.deepEqual(printed(errors), []);
  const { template, ...rest } = specOf(object);
  assert.deepEqual(rest, {
    serviceName: 'db',
    selector: { matchLabels: { app: 'db' } },
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    replicas: 1,
    revisionHistoryLimit: 10,
    volumeClaimTemplates: [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ],
  });
  const expected = cloneJson(TEMPLATE);
  defaultPodTemplateSpec(expected);
  assert.deepEqual(template, expected);
});

test('an explicit RollingUpdate without parameters gets no partition, and OnDelete none at all', () => {
  const rolling = simulateCreate(STATEFUL_SETS, statefulSet({ updateStrategy: { type: 'RollingUpdate' } })).object;
  assert.deepEqual(specOf(rolling).updateStrategy, { type: 'RollingUpdate' });
  const onDelete = simulateCreate(STATEFUL_SETS, statefulSet({ updateStrategy: { type: 'OnDelete' }, podManagementPolicy: 'Parallel' }));
  assert.deepEqual(printed(onDelete.errors), []);
  assert.deepEqual(specOf(onDelete.object).updateStrategy, { type: 'OnDelete' });
});

test('StatefulSet names must be DNS labels', () => {
  assert.deepEqual(STATEFUL_SETS.strategy.validateName?.('db', false), []);
  assert.deepEqual(STATEFUL_SETS.strategy.validateName?.('db.primary', false), ['must not contain dots']);
  assert.deepEqual(STATEFUL_SETS.strategy.validateName?.('db-', true), []);
});

test('policies and strategies must be ones upstream knows', () => {
  const { errors } = simulateCreate(
    STATEFUL_SETS,
    statefulSet({
      podManagementPolicy: 'Random',
      updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep', whenScaled: 'Delete' },
    }),
  );
  assert.deepEqual(printed(errors), [
    "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'",
    "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'",
    'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"',
  ]);
  const unknown = simulateCreate(STATEFUL_SETS, statefulSet({ updateStrategy: { type: 'Recreate' } }));
  assert.deepEqual(printed(unknown.errors), ["spec.updateStrategy: Invalid value: {\"type\":\"Recreate\"}: must be 'RollingUpdate' or 'OnDelete'"]);
});

test('rolling update partition and maxUnavailable are checked', () => {
  const { errors } = simulateCreate(STATEFUL_SETS, statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1, maxUnavailable: 0 } } }));
  assert.deepEqual(printed(errors), [
    'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
    'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0',
  ]);
});

test('serviceName must be a DNS label and ordinals may not start below 0', () => {
  const { errors } = simulateCreate(STATEFUL_SETS, statefulSet({ serviceName: 'DB_Service', ordinals: { start: -1 } }));
  assert.deepEqual(printed(errors), [
    'spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0',
    "spec.serviceName: Invalid value: \"DB_Service\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('the selector is required, not empty, and must match the template', () => {
  const empty = simulateCreate(STATEFUL_SETS, statefulSet({ selector: {} }));
  assert.deepEqual(printed(empty.errors), ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset']);
  const mismatch = simulateCreate(STATEFUL_SETS, statefulSet({ selector: { matchLabels: { app: 'web' } } }));
  assert.deepEqual(printed(mismatch.errors), ['spec.template.metadata.labels: Invalid value: {"app":"db"}: `selector` does not match template `labels`']);
});

test('the template must restart Always and may not set activeDeadlineSeconds', () => {
  const manifest = statefulSet();
  ((specOf(manifest).template as JsonObject).spec as JsonObject).activeDeadlineSeconds = 10;
  ((specOf(manifest).template as JsonObject).spec as JsonObject).restartPolicy = 'OnFailure';
  const { errors } = simulateCreate(STATEFUL_SETS, manifest);
  assert.deepEqual(errorsAt(errors, 'spec.template.spec.restartPolicy'), ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']);
  assert.deepEqual(errorsAt(errors, 'spec.template.spec.activeDeadlineSeconds'), [
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
  ]);
});

test('claim templates need an access mode and a storage request', () => {
  const { errors } = simulateCreate(
    STATEFUL_SETS,
    statefulSet({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOncePod', 'ReadOnlyMany', 'WriteOnly'] } }] }),
  );
  assert.deepEqual(printed(errors), [
    'spec.volumeClaimTemplates[0].spec.accessModes: Unsupported value: "WriteOnly": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    'spec.volumeClaimTemplates[0].spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
    'spec.volumeClaimTemplates[0].spec.resources[storage]: Required value',
  ]);
});

test('only replicas, ordinals, template, updateStrategy, revisionHistoryLimit, retention and minReadySeconds may change', () => {
  const stored = simulateCreate(STATEFUL_SETS, statefulSet()).object;
  const allowed = simulateUpdate(STATEFUL_SETS, stored, (object) => {
    const spec = specOf(object);
    spec.replicas = 3;
    spec.minReadySeconds = 5;
    spec.revisionHistoryLimit = 2;
    spec.updateStrategy = { type: 'OnDelete' };
    spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
  });
  assert.deepEqual(printed(allowed.errors), []);
  assert.equal((allowed.object.metadata as JsonObject).generation, 2);
  const forbidden = simulateUpdate(STATEFUL_SETS, stored, (object) => {
    specOf(object).podManagementPolicy = 'Parallel';
  });
  assert.deepEqual(printed(forbidden.errors), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

test('a StatefulSet status may not report more available than ready pods, nor lower collisionCount', () => {
  const stored = simulateCreate(STATEFUL_SETS, statefulSet()).object;
  stored.status = { replicas: 2, collisionCount: 2 };
  const { errors } = simulateUpdate(
    STATEFUL_SETS,
    stored,
    (object) => (object.status = { replicas: 2, readyReplicas: 1, availableReplicas: 2, collisionCount: 1 }),
    'status',
  );
  assert.deepEqual(printed(errors), [
    'status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas',
    'status.collisionCount: Invalid value: 1: cannot be decremented',
  ]);
});

test('a mount of something that is neither a volume nor a claim template is still an error', () => {
  const manifest = statefulSet({ volumeClaimTemplates: [] });
  const { errors } = simulateCreate(STATEFUL_SETS, manifest);
  assert.deepEqual(printed(errors), ['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"']);
});

test('the table shows ready over desired replicas', () => {
  const object: JsonObject = {
    metadata: { name: 'db', creationTimestamp: new Date(NOW - 2 * 86_400_000).toISOString() },
    spec: { replicas: 3, template: cloneJson(TEMPLATE) },
    status: { replicas: 3, readyReplicas: 3 },
  };
  assert.deepEqual(STATEFUL_SETS.table?.columns.map((c) => c.name), ['Name', 'Ready', 'Age', 'Containers', 'Images']);
  assert.deepEqual(STATEFUL_SETS.table?.cells(object, NOW), ['db', '3/3', '2d', 'postgres', 'postgres:17']);
});

test('StatefulSets accept status.successful as a field label that never holds a value', () => {
  assert.deepEqual(STATEFUL_SETS.strategy.selectableFields?.({}), { 'status.successful': '' });
  assert.deepEqual(STATEFUL_SETS.shortNames, ['sts']);
  assert.deepEqual(STATEFUL_SETS.categories, ['all']);
  assert.equal(STATEFUL_SETS.scale?.specReplicasPath, '.spec.replicas');
});
