import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError, type FieldError } from '../field-errors.js';
import type { JsonObject } from '../json.js';
import { nameIsDNSSubdomain, validatePathSegmentName } from './names.js';
import {
  TOTAL_ANNOTATION_SIZE_LIMIT_B,
  validateAnnotations,
  validateLabels,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type ObjectMetaValidationOptions,
} from './object-meta.js';

const namespaced: ObjectMetaValidationOptions = { namespaced: true, nameValidator: nameIsDNSSubdomain };
const clusterScoped: ObjectMetaValidationOptions = { namespaced: false, nameValidator: nameIsDNSSubdomain };

const printed = (errors: readonly FieldError[]): string[] => errors.map(formatFieldError);
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

test('a complete namespaced object meta is valid', () => {
  const meta: JsonObject = {
    name: 'web-1',
    namespace: 'default',
    generation: 3,
    labels: { app: 'web', 'app.kubernetes.io/name': 'web', empty: '' },
    annotations: { 'example.com/Note': 'anything at all: ✓' },
    finalizers: ['kubernetes', 'example.com/cleanup'],
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true }],
    managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1' }],
  };
  assert.deepEqual(validateObjectMeta(meta, namespaced), []);
});

test('a name is required even with generateName, since names are generated before validation', () => {
  assert.deepEqual(printed(validateObjectMeta({ namespace: 'default' }, namespaced)), ['metadata.name: Required value: name or generateName is required']);
  assert.deepEqual(printed(validateObjectMeta({ generateName: 'web-', namespace: 'default' }, namespaced)), [
    'metadata.name: Required value: name or generateName is required',
  ]);
  assert.deepEqual(validateObjectMeta({ name: 'web-x1y2z', generateName: 'web-', namespace: 'default' }, namespaced), []);
});

test('name and generateName are checked with the kind\'s name rule, generateName first', () => {
  const errors = validateObjectMeta({ name: 'Web', generateName: 'Web-', namespace: 'default' }, namespaced);
  assert.deepEqual(
    errors.map((e) => [e.type, e.field, e.badValue]),
    [
      ['FieldValueInvalid', 'metadata.generateName', 'Web-'],
      ['FieldValueInvalid', 'metadata.name', 'Web'],
    ],
  );
  assert.deepEqual(validateObjectMeta({ name: 'Any Name!' }, { namespaced: false, nameValidator: validatePathSegmentName }), []);
});

test('namespaced kinds require a DNS-label namespace and cluster-scoped kinds forbid one', () => {
  assert.deepEqual(printed(validateObjectMeta({ name: 'a' }, namespaced)), ['metadata.namespace: Required value']);
  assert.deepEqual(
    validateObjectMeta({ name: 'a', namespace: 'a.b' }, namespaced).map((e) => [e.field, e.detail]),
    [['metadata.namespace', 'must not contain dots']],
  );
  assert.deepEqual(printed(validateObjectMeta({ name: 'a', namespace: 'default' }, clusterScoped)), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
});

test('a negative generation is invalid', () => {
  assert.deepEqual(printed(validateObjectMeta({ name: 'a', generation: -1 }, clusterScoped)), [
    'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('label keys and values are reported at metadata.labels', () => {
  const errors = validateObjectMeta({ name: 'a', labels: { 'bad key!': 'ok', good: '-bad-value' } }, clusterScoped);
  assert.deepEqual(
    errors.map((e) => [e.type, e.field, e.badValue]),
    [
      ['FieldValueInvalid', 'metadata.labels', 'bad key!'],
      ['FieldValueInvalid', 'metadata.labels', '-bad-value'],
    ],
  );
  assert.equal(errors[0]?.detail, NAME_PART_MSG);
});

test('annotation keys are qualified names ignoring case', () => {
  assert.deepEqual(validateAnnotations(new Map([['Example.COM/Key', 'v']]), 'metadata.annotations'), []);
  const errors = validateAnnotations(new Map([['only/one/slash', 'v']]), 'metadata.annotations');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.badValue, 'only/one/slash');
});

test('annotations may total 256 KiB of keys and values, no more', () => {
  const limit = TOTAL_ANNOTATION_SIZE_LIMIT_B;
  assert.equal(limit, 262144);
  assert.deepEqual(validateAnnotations(new Map([['a', 'b'.repeat(limit - 1)]]), 'metadata.annotations'), []);
  assert.deepEqual(printed(validateObjectMeta({ name: 'x', annotations: { a: 'b'.repeat(limit) } }, clusterScoped)), [
    'metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
  // Counted in UTF-8 bytes: half as many two-byte characters reach the limit.
  assert.equal(validateAnnotations(new Map([['a', 'é'.repeat(limit / 2)]]), 'metadata.annotations').length, 1);
});

test('finalizers must be qualified names and not both orphan and foregroundDeletion', () => {
  const errors = validateObjectMeta({ name: 'a', finalizers: ['example.com/ok', 'bad/name/x', 'orphan', 'foregroundDeletion'] }, clusterScoped);
  assert.deepEqual(
    errors.map((e) => [e.field, e.badValue, e.detail?.slice(0, 30)]),
    [
      ['metadata.finalizers', 'bad/name/x', 'a valid label key must consist'],
      ['metadata.finalizers', ['example.com/ok', 'bad/name/x', 'orphan', 'foregroundDeletion'], 'finalizer orphan and foregroun'],
    ],
  );
  assert.equal(errors[1]?.detail, 'finalizer orphan and foregroundDeletion cannot be both set');
  assert.deepEqual(
    errors.map((e) => e.type),
    ['FieldValueInvalid', 'FieldValueInvalid'],
  );
});

test('built-in kinds reject unqualified finalizers that are not standard ones, at the item path', () => {
  const meta = { name: 'a', finalizers: ['kubernetes', 'mine', 'example.com/mine'] };
  assert.deepEqual(printed(validateObjectMeta(meta, clusterScoped)), [
    'metadata.finalizers[1]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  assert.deepEqual(validateObjectMeta(meta, { ...clusterScoped, kubeFinalizerNames: false }), []);
});

test('owner references need apiVersion, kind, name and uid', () => {
  const meta = { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u' }, {}] };
  assert.deepEqual(printed(validateObjectMeta(meta, clusterScoped)), [
    'metadata.ownerReferences[1].apiVersion: Required value: must not be empty',
    'metadata.ownerReferences[1].kind: Required value: must not be empty',
    'metadata.ownerReferences[1].name: Required value: must not be empty',
    'metadata.ownerReferences[1].uid: Required value: must not be empty',
  ]);
});

test('an owner apiVersion must be group/version or version', () => {
  const ref = (apiVersion: string): JsonObject => ({ name: 'a', ownerReferences: [{ apiVersion, kind: 'K', name: 'n', uid: 'u' }] });
  for (const bad of ['a/b/c', 'apps/', '/']) {
    assert.deepEqual(printed(validateObjectMeta(ref(bad), clusterScoped)), [
      `metadata.ownerReferences[0].apiVersion: Invalid value: ${JSON.stringify(bad)}: must be <group>/<version> or <version>`,
    ]);
  }
  assert.deepEqual(validateObjectMeta(ref('/v1'), clusterScoped), []);
});

test('a v1 Event may not be an owner', () => {
  const errors = validateObjectMeta({ name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] }, clusterScoped);
  assert.deepEqual(
    errors.map((e) => [e.field, e.detail]),
    [['metadata.ownerReferences[0]', '/v1, Kind=Event is disallowed from being an owner']],
  );
  assert.deepEqual(
    validateObjectMeta({ name: 'a', ownerReferences: [{ apiVersion: 'events.k8s.io/v1', kind: 'Event', name: 'e', uid: 'u' }] }, clusterScoped),
    [],
  );
});

test('only one owner reference may be the controller', () => {
  const refs = [
    { apiVersion: 'v1', kind: 'A', name: 'one', uid: '1', controller: true },
    { apiVersion: 'v1', kind: 'B', name: 'two', uid: '2', controller: false },
    { apiVersion: 'v1', kind: 'C', name: 'three', uid: '3', controller: true },
    { apiVersion: 'v1', kind: 'D', name: 'four', uid: '4', controller: true },
  ];
  const errors = validateObjectMeta({ name: 'a', ownerReferences: refs }, clusterScoped);
  assert.deepEqual(
    errors.map((e) => [e.field, e.detail]),
    [
      ['metadata.ownerReferences', 'Only one reference can have Controller set to true. Found "true" in references for A/one and C/three'],
      ['metadata.ownerReferences', 'Only one reference can have Controller set to true. Found "true" in references for A/one and D/four'],
    ],
  );
});

test('managed fields need a known operation and the FieldsV1 type', () => {
  const meta = {
    name: 'a',
    managedFields: [{ manager: 'm', operation: 'Patch', fieldsType: 'FieldsV2' }, { manager: 'bell\u0007' }],
  };
  assert.deepEqual(printed(validateObjectMeta(meta, clusterScoped)), [
    'metadata.managedFields[0].operation: Unsupported value: "Patch": supported values: "Apply", "Update"',
    'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
    'metadata.managedFields[1].operation: Required value: must not be empty',
    'metadata.managedFields[1].manager: Invalid value: "bell\\u0007": invalid character U+0007 (at position 4)',
  ]);
});

test('validateLabels can check any label map at any path', () => {
  assert.deepEqual(
    validateLabels(new Map([['a', 'b']]), 'spec.selector.matchLabels'),
    [],
  );
  assert.equal(validateLabels(new Map([['a', '!']]), 'spec.selector.matchLabels')[0]?.field, 'spec.selector.matchLabels');
});

const old: JsonObject = {
  name: 'web',
  namespace: 'default',
  uid: 'u1',
  resourceVersion: '5',
  generation: 2,
  creationTimestamp: '2026-01-02T15:04:05Z',
  finalizers: ['example.com/a'],
};

test('an unchanged update is valid', () => {
  assert.deepEqual(validateObjectMetaUpdate({ ...old }, old), []);
});

test('name, namespace, uid and creationTimestamp are immutable', () => {
  const changed = { ...old, name: 'other', namespace: 'kube-system', uid: 'u2', creationTimestamp: '2026-01-02T15:04:06Z' };
  assert.deepEqual(printed(validateObjectMetaUpdate(changed, old)), [
    'metadata.name: Invalid value: "other": field is immutable',
    'metadata.namespace: Invalid value: "kube-system": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
    'metadata.creationTimestamp: Invalid value: "2026-01-02T15:04:06Z": field is immutable',
  ]);
});

test('timestamps compare as instants, not spellings', () => {
  assert.deepEqual(validateObjectMetaUpdate({ ...old, creationTimestamp: '2026-01-02T16:04:05+01:00' }, old), []);
});

test('deletionTimestamp and deletionGracePeriodSeconds cannot be set, changed or cleared by an update', () => {
  const deleting = { ...old, deletionTimestamp: '1970-01-01T00:16:40Z', deletionGracePeriodSeconds: 30 };
  assert.deepEqual(printed(validateObjectMetaUpdate(deleting, old)), [
    'metadata.deletionTimestamp: Invalid value: "1970-01-01T00:16:40Z": field is immutable',
    'metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable',
  ]);
  assert.deepEqual(printed(validateObjectMetaUpdate({ ...old, finalizers: [] }, deleting)), [
    'metadata.deletionTimestamp: Invalid value: null: field is immutable',
    'metadata.deletionGracePeriodSeconds: Invalid value: null: field is immutable',
  ]);
  assert.deepEqual(validateObjectMetaUpdate({ ...deleting, finalizers: [] }, deleting), []);
});

test('no finalizer may be added once deletion has started', () => {
  const deleting = { ...old, deletionTimestamp: '2026-01-03T00:00:00Z' };
  const errors = validateObjectMetaUpdate({ ...deleting, finalizers: ['example.com/z', 'example.com/a', 'example.com/b'] }, deleting);
  assert.deepEqual(printed(errors), [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/b", "example.com/z"}',
  ]);
  assert.deepEqual(validateObjectMetaUpdate({ ...old, finalizers: ['example.com/b'] }, old), []);
});

test('generation may not go down or below zero', () => {
  assert.deepEqual(printed(validateObjectMetaUpdate({ ...old, generation: 1 }, old)), [
    'metadata.generation: Invalid value: 1: must not be decremented',
  ]);
  assert.deepEqual(validateObjectMetaUpdate({ ...old, generation: 3 }, old), []);
});

test('resourceVersion is required on update only when the caller asks', () => {
  const { resourceVersion: _, ...withoutVersion } = old;
  assert.deepEqual(validateObjectMetaUpdate(withoutVersion, old), []);
  assert.deepEqual(printed(validateObjectMetaUpdate(withoutVersion, old, { requireResourceVersion: true })), [
    'metadata.resourceVersion: Invalid value: "": must be specified for an update',
  ]);
});

test('an update checks the new labels, annotations, owner references and finalizer names', () => {
  const errors = validateObjectMetaUpdate(
    { ...old, labels: { a: '!' }, annotations: { '-': 'x' }, ownerReferences: [{}], finalizers: ['example.com/a', 'local'] },
    old,
  );
  assert.deepEqual(
    errors.map((e) => e.field),
    [
      'metadata.labels',
      'metadata.annotations',
      'metadata.ownerReferences[0].apiVersion',
      'metadata.ownerReferences[0].kind',
      'metadata.ownerReferences[0].name',
      'metadata.ownerReferences[0].uid',
      'metadata.finalizers[1]',
    ],
  );
});

test('a template\'s metadata is reported under its own path', () => {
  const errors = validateObjectMeta({ name: 'a', labels: { a: '!' } }, { ...clusterScoped, path: 'spec.template.metadata' });
  assert.equal(errors[0]?.field, 'spec.template.metadata.labels');
});
