import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { CONTROLLER_REVISIONS, controllerName } from './controllerrevisions.js';
import { NOW, printed, simulateCreate, simulateUpdate } from './workload-testing.js';

function revision(extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: 'web-7c9f6d5b8',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u-1', controller: true }],
    },
    data: { spec: { template: { $patch: 'replace' } } },
    revision: 2,
    ...extra,
  };
}

test('a ControllerRevision is stored as given, without generation or defaults', () => {
  const { object, errors } = simulateCreate(CONTROLLER_REVISIONS, revision());
  assert.deepEqual(printed(errors), []);
  assert.deepEqual(object.data, { spec: { template: { $patch: 'replace' } } });
  assert.equal(object.revision, 2);
  assert.equal((object.metadata as JsonObject).generation, undefined);
});

test('data is mandatory and the revision may not be negative', () => {
  const manifest = revision({ revision: -1 });
  delete manifest.data;
  assert.deepEqual(printed(simulateCreate(CONTROLLER_REVISIONS, manifest).errors), [
    'data: Required value: data is mandatory',
    'revision: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('the data of a ControllerRevision cannot change, its revision number can', () => {
  const stored = simulateCreate(CONTROLLER_REVISIONS, revision()).object;
  const renumbered = simulateUpdate(CONTROLLER_REVISIONS, stored, (object) => (object.revision = 5));
  assert.deepEqual(printed(renumbered.errors), []);
  const rewritten = simulateUpdate(CONTROLLER_REVISIONS, stored, (object) => (object.data = { spec: {} }));
  assert.deepEqual(printed(rewritten.errors), ['data: Invalid value: {"spec":{}}: field is immutable']);
});

test('the table names the controlling owner with its group', () => {
  const object = revision();
  (object.metadata as JsonObject).creationTimestamp = new Date(NOW - 10 * 86_400_000).toISOString();
  assert.deepEqual(CONTROLLER_REVISIONS.table?.columns.map((c) => c.name), ['Name', 'Controller', 'Revision', 'Age']);
  assert.deepEqual(CONTROLLER_REVISIONS.table?.cells(object, NOW), ['web-7c9f6d5b8', 'statefulset.apps/web', 2, '10d']);
});

test('an owner that is not the controller, or a core owner, prints as upstream formats it', () => {
  assert.equal(controllerName({ metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'x', uid: 'u' }] } }), '<none>');
  assert.equal(controllerName({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }] } }), 'pod/p');
});

test('ControllerRevisions have no short name, category, status or scale', () => {
  assert.deepEqual(CONTROLLER_REVISIONS.shortNames, []);
  assert.deepEqual(CONTROLLER_REVISIONS.categories, []);
  assert.equal(CONTROLLER_REVISIONS.statusSubresource, false);
  assert.equal(CONTROLLER_REVISIONS.tracksGeneration, false);
  assert.equal(CONTROLLER_REVISIONS.scale, undefined);
  assert.deepEqual(CONTROLLER_REVISIONS.strategy.selectableFields?.({}), {});
});
