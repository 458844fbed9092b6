import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { type ClaimedNames, updateCrdStatus } from './crd-status.js';

const NOW = Date.parse('2026-01-02T03:04:05Z');
const LATER = NOW + 60_000;

function crd(names: JsonObject, status?: JsonObject): JsonObject {
  return {
    metadata: { name: 'foos.example.com' },
    spec: { group: 'example.com', names: { singular: 'foo', listKind: 'FooList', ...names } },
    ...(status === undefined ? {} : { status }),
  };
}

const nothingClaimed: ClaimedNames = { resources: new Set(), kinds: new Set() };

function conditionsOf(object: JsonObject): JsonObject[] {
  return ((object.status as JsonObject).conditions as JsonObject[]).map((c) => ({ ...c }));
}

test('free names are accepted and the CRD is Established, as the naming and establishing controllers word it', () => {
  const object = crd({ plural: 'foos', kind: 'Foo' });
  updateCrdStatus(object, nothingClaimed, NOW);
  assert.deepEqual((object.status as JsonObject).acceptedNames, { plural: 'foos', singular: 'foo', kind: 'Foo', listKind: 'FooList' });
  assert.deepEqual(conditionsOf(object), [
    { type: 'NamesAccepted', status: 'True', lastTransitionTime: '2026-01-02T03:04:05Z', reason: 'NoConflicts', message: 'no conflicts found' },
    { type: 'Established', status: 'True', lastTransitionTime: '2026-01-02T03:04:05Z', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
  ]);
});

test('a plural held elsewhere is refused and the CRD is not Established', () => {
  const object = crd({ plural: 'foos', kind: 'Foo' });
  updateCrdStatus(object, { resources: new Set(['foos']), kinds: new Set() }, NOW);
  assert.deepEqual((object.status as JsonObject).acceptedNames, { plural: '', singular: 'foo', kind: 'Foo', listKind: 'FooList' });
  const [accepted, established] = conditionsOf(object);
  assert.deepEqual([accepted?.status, accepted?.reason, accepted?.message], ['False', 'PluralConflict', '"foos" is already in use']);
  assert.deepEqual([established?.status, established?.reason, established?.message], ['False', 'NotAccepted', 'not all names are accepted']);
});

test('names already accepted stay accepted, and rewriting an unchanged status keeps its transition times', () => {
  const object = crd({ plural: 'foos', kind: 'Foo' });
  updateCrdStatus(object, nothingClaimed, NOW);
  const first = conditionsOf(object);
  // Another CRD now claims the same names: this one holds them already, so nothing changes.
  updateCrdStatus(object, { resources: new Set(['foos', 'foo']), kinds: new Set(['Foo', 'FooList']) }, LATER);
  assert.deepEqual(conditionsOf(object), first);
});

test('a once-Established CRD stays Established when new names conflict; the old names stay accepted', () => {
  const object = crd({ plural: 'foos', kind: 'Foo' });
  updateCrdStatus(object, nothingClaimed, NOW);
  (object.spec as JsonObject).names = { plural: 'foos', singular: 'foo', kind: 'Foo', listKind: 'FooList', shortNames: ['b', 'c'] };
  updateCrdStatus(object, { resources: new Set(['b', 'c']), kinds: new Set() }, LATER);
  const [accepted, established] = conditionsOf(object);
  assert.deepEqual([accepted?.status, accepted?.reason, accepted?.message, accepted?.lastTransitionTime], [
    'False',
    'ShortNamesConflict',
    '["b" is already in use, "c" is already in use]',
    '2026-01-02T03:05:05Z',
  ]);
  assert.deepEqual([established?.status, established?.lastTransitionTime], ['True', '2026-01-02T03:04:05Z']);
  assert.equal(((object.status as JsonObject).acceptedNames as JsonObject).shortNames, undefined);
});

test('a CRD in a k8s.io group gets the API approval condition', () => {
  const object: JsonObject = {
    metadata: { name: 'foos.samplecontroller.k8s.io', annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes/enhancements/pull/1111' } },
    spec: { group: 'samplecontroller.k8s.io', names: { plural: 'foos', singular: 'foo', kind: 'Foo', listKind: 'FooList' } },
  };
  updateCrdStatus(object, nothingClaimed, NOW);
  const approval = conditionsOf(object).find((c) => c.type === 'KubernetesAPIApprovalPolicyConformant');
  assert.deepEqual([approval?.status, approval?.reason, approval?.message], [
    'True',
    'ApprovedAnnotation',
    'approved in https://github.com/kubernetes/enhancements/pull/1111',
  ]);
});
