/**
 * @module
 * Schemas of meta.k8s.io/v1 and apimachinery types every kind uses: ObjectMeta, ListMeta, owner
 * references, label selectors, conditions, timestamps, quantities (k8s.io/apimachinery
 * pkg/apis/meta/v1/types.go, pkg/api/resource).
 */
import { type Definition, LIST_META, MICRO_TIME, OBJECT_META, QUANTITY, TIME, s, typeMeta } from '../schema.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const META_V1: readonly Definition[] = [
  {
    name: TIME,
    schema: s.string('An RFC 3339 date and time, in UTC, at second precision (e.g. 2026-01-02T15:04:05Z).', {
      format: 'date-time',
    }),
  },
  {
    name: MICRO_TIME,
    schema: s.string('An RFC 3339 date and time with microseconds (e.g. 2026-01-02T15:04:05.000000Z).', {
      format: 'date-time',
    }),
  },
  {
    name: QUANTITY,
    schema: s.string(
      'A fixed-point amount of a resource: a number with an optional suffix — binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (m, k, M, G, T, P, E) or an exponent (e3). Examples: 500m, 2, 128Mi, 1.5Gi.',
    ),
  },
  {
    name: `${META}.FieldsV1`,
    schema: s.object('The set of fields a manager owns, in the FieldsV1 format (a trie of field names and list keys).', {}, {
      preserveUnknownFields: true,
    }),
  },
  {
    name: OBJECT_META,
    schema: s.object('Metadata every persisted resource has, which all objects users create must have.', {
      name: s.string(
        'Name of the object, unique within its namespace (or cluster-wide for cluster-scoped kinds). Required when creating, unless generateName is set. Cannot be updated.',
        { proto: 1, omitEmpty: true },
      ),
      generateName: s.string(
        'A prefix the server uses to generate a unique name when name is not given: the server appends a random suffix. Applies only if name is not set.',
        { proto: 2, omitEmpty: true },
      ),
      namespace: s.string(
        'The namespace the object lives in. An empty namespace means "default" for namespaced kinds; cluster-scoped kinds have none. Cannot be updated.',
        { proto: 3, omitEmpty: true },
      ),
      selfLink: s.string('Deprecated and no longer set by the server.', { proto: 4, omitEmpty: true }),
      uid: s.string(
        'A value unique in time and space for this object, set by the server when the object is created and never changed. Read-only.',
        { proto: 5, omitEmpty: true },
      ),
      resourceVersion: s.string(
        'An opaque value that identifies this version of the object, for optimistic concurrency, change detection and watch. Set by the server; clients pass it back unmodified. Read-only.',
        { proto: 6, omitEmpty: true },
      ),
      generation: s.int64('A sequence number for a specific generation of the desired state, set by the server. Read-only.', { proto: 7, omitEmpty: true }),
      creationTimestamp: s.time('When the object was created, set by the server. Read-only.', { proto: 8 }),
      deletionTimestamp: s.time(
        'When the object will be (or was asked to be) deleted, set by the server when deletion is requested. The object stays until its finalizers are removed and any grace period has passed. Read-only.',
        { proto: 9 },
      ),
      deletionGracePeriodSeconds: s.int64(
        'Seconds allowed for the object to terminate gracefully before it is removed from the system. Only set when deletionTimestamp is set. Read-only.',
        { proto: 10 },
      ),
      labels: s.stringMap('Key-value pairs used to organize and select objects (by replication controllers and services, for example).', { proto: 11 }),
      annotations: s.stringMap('Unstructured key-value data stored with the object, set by external tools. Not queryable.', { proto: 12 }),
      ownerReferences: s.array(
        'Objects this object depends on. When all of them are deleted, this object is garbage collected. At most one may be the managing controller.',
        s.ref(`${META}.OwnerReference`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'], proto: 13 },
      ),
      finalizers: s.array(
        'Entries that must be removed before the object is deleted from the registry. Each one names a controller responsible for removing it. Order does not matter.',
        s.string('', { default: '' }),
        { patchStrategy: 'merge', listType: 'set', proto: 14 },
      ),
      managedFields: s.array(
        'Which manager owns which fields, as server-side apply records it. Internal bookkeeping; most users need not set or read it.',
        s.ref(`${META}.ManagedFieldsEntry`, undefined, { default: {} }),
        { listType: 'atomic', proto: 17 },
      ),
    }),
  },
  {
    name: LIST_META,
    schema: s.object('Metadata synthetic resources have: lists and status objects.', {
      selfLink: s.string('Deprecated and no longer set by the server.', { proto: 1, omitEmpty: true }),
      resourceVersion: s.string('The version of the server state this list reflects. Read-only.', { proto: 2, omitEmpty: true }),
      continue: s.string(
        'Set when the list was limited and more items remain: pass it back to get the next page. It expires after a while (then the server answers 410).',
        { proto: 3, omitEmpty: true },
      ),
      remainingItemCount: s.int64('How many items remain after this page, when the server can tell.', { proto: 4 }),
    }),
  },
  {
    name: `${META}.OwnerReference`,
    schema: s.object(
      'Identifies an owning object, which must be in the same namespace as the dependent or cluster-scoped.',
      {
        apiVersion: s.string('API version of the referent.', { default: '', proto: 5 }),
        kind: s.string('Kind of the referent.', { default: '', proto: 1 }),
        name: s.string('Name of the referent.', { default: '', proto: 3 }),
        uid: s.string('UID of the referent.', { default: '', proto: 4 }),
        controller: s.boolean('If true, this reference points to the managing controller.', { proto: 6 }),
        blockOwnerDeletion: s.boolean(
          'If true and the owner has the "foregroundDeletion" finalizer, the owner cannot be deleted from the key-value store until this reference is removed.',
          { proto: 7 },
        ),
      },
      { required: ['apiVersion', 'kind', 'name', 'uid'], mapType: 'atomic' },
    ),
  },
  {
    name: `${META}.ManagedFieldsEntry`,
    schema: s.object('A workflow (manager), the set of fields it manages, and the version and operation it used.', {
      manager: s.string('The identifier of the workflow managing these fields.', { proto: 1, omitEmpty: true }),
      operation: s.string('The kind of operation that created this entry: Apply or Update.', { proto: 2, omitEmpty: true }),
      apiVersion: s.string('The version of the resource this field set applies to.', { proto: 3, omitEmpty: true }),
      time: s.time('When these fields were last changed by this manager.', { proto: 4 }),
      fieldsType: s.string('The format of the fields field; the only one is FieldsV1.', { proto: 6, omitEmpty: true }),
      fieldsV1: s.ref(`${META}.FieldsV1`, 'The field set, in the FieldsV1 format.', { proto: 7 }),
      subresource: s.string('The subresource used to update the object, if any (for example "status").', { proto: 8, omitEmpty: true }),
    }),
  },
  {
    name: `${META}.LabelSelector`,
    schema: s.object(
      'A label query over a set of objects. Its requirements are ANDed; an empty selector matches all objects and a null one matches none.',
      {
        matchLabels: s.stringMap('Pairs of key and value; each is equivalent to a matchExpressions entry with operator In and that one value.', { proto: 1 }),
        matchExpressions: s.array('Label selector requirements.', s.ref(`${META}.LabelSelectorRequirement`, undefined, { default: {} }), {
          listType: 'atomic',
          proto: 2,
        }),
      },
      { mapType: 'atomic' },
    ),
  },
  {
    name: `${META}.FieldSelectorRequirement`,
    schema: s.object(
      'A field selector requirement: a field, an operator and values relating them.',
      {
        key: s.string('The field the requirement applies to.', { default: '', proto: 1 }),
        operator: s.string("The field's relation to the values: In, NotIn, Exists or DoesNotExist.", { default: '', proto: 2 }),
        values: s.array('String values. Non-empty for In and NotIn; empty for Exists and DoesNotExist.', s.string('', { default: '' }), {
          listType: 'atomic',
          proto: 3,
        }),
      },
      { required: ['key', 'operator'] },
    ),
  },
  {
    name: `${META}.LabelSelectorRequirement`,
    schema: s.object(
      'A selector requirement: a key, an operator and values relating them.',
      {
        key: s.string('The label key the selector applies to.', { default: '', proto: 1 }),
        operator: s.string("The key's relation to the values: In, NotIn, Exists or DoesNotExist.", { default: '', proto: 2 }),
        values: s.array(
          'String values. Non-empty for In and NotIn; empty for Exists and DoesNotExist.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 3 },
        ),
      },
      { required: ['key', 'operator'] },
    ),
  },
  {
    name: `${META}.Condition`,
    schema: s.object(
      'One aspect of the current state of a resource.',
      {
        type: s.string('The condition type, in CamelCase or foo.example.com/CamelCase.', { default: '', proto: 1 }),
        status: s.string('Status of the condition: True, False or Unknown.', { default: '', proto: 2 }),
        observedGeneration: s.int64('The .metadata.generation the condition was set from.', { proto: 3, omitEmpty: true }),
        lastTransitionTime: s.time('When the condition last changed from one status to another.', { proto: 4 }),
        reason: s.string('A programmatic identifier of the reason for the last transition, in CamelCase.', { default: '', proto: 5 }),
        message: s.string('A human-readable message about the transition.', { default: '', proto: 6 }),
      },
      { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
    ),
  },
  {
    name: `${META}.StatusCause`,
    schema: s.object('More information about a failure: a reason, a message and the field involved.', {
      reason: s.string('A machine-readable description of the cause of the error.', { proto: 1, omitEmpty: true }),
      message: s.string('A human-readable description of the cause of the error.', { proto: 2, omitEmpty: true }),
      field: s.string('The field of the resource that caused the error, e.g. "spec.containers[0].name".', { proto: 3, omitEmpty: true }),
    }),
  },
  {
    name: `${META}.StatusDetails`,
    schema: s.object('Extra data about a Status, set by the server.', {
      name: s.string('The name attribute of the resource the status is about, when it has one.', { proto: 1, omitEmpty: true }),
      group: s.string('The group of the resource the status is about.', { proto: 2, omitEmpty: true }),
      kind: s.string('The kind of the resource the status is about.', { proto: 3, omitEmpty: true }),
      uid: s.string('The UID of the resource the status is about.', { proto: 6, omitEmpty: true }),
      causes: s.array('More details about the error.', s.ref(`${META}.StatusCause`, undefined, { default: {} }), {
        listType: 'atomic',
        proto: 4,
      }),
      retryAfterSeconds: s.int32('Seconds to wait before retrying, when the operation may be retried.', { proto: 5, omitEmpty: true }),
    }),
  },
  {
    name: `${META}.Status`,
    schema: s.object('The return value of calls that do not return other objects.', {
      ...typeMeta(),
      metadata: s.listMeta(undefined, { proto: 1 }),
      status: s.string('Success or Failure.', { proto: 2, omitEmpty: true }),
      message: s.string('A human-readable description of the status of this operation.', { proto: 3, omitEmpty: true }),
      reason: s.string('A machine-readable description of why this operation is in the "Failure" status.', { proto: 4, omitEmpty: true }),
      details: s.ref(`${META}.StatusDetails`, 'Extended data associated with the reason.', { proto: 5 }),
      code: s.int32('The HTTP status code of this status.', { proto: 6, omitEmpty: true }),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'Status' }],
  },
  {
    name: `${META}.Preconditions`,
    schema: s.object('Conditions that must hold before an operation (a delete) is carried out.', {
      uid: s.string('The target object\'s UID.', { proto: 1 }),
      resourceVersion: s.string('The target object\'s resourceVersion.', { proto: 2 }),
    }),
  },
  {
    name: `${META}.DeleteOptions`,
    schema: s.object('Options of a delete request.', {
      ...typeMeta(),
      gracePeriodSeconds: s.int64(
        'Seconds the object gets to terminate before it is deleted; 0 means at once. Absent: the kind\'s default.',
        { proto: 1 },
      ),
      preconditions: s.ref(`${META}.Preconditions`, 'Must be fulfilled before a deletion is carried out; otherwise 409 Conflict.', { proto: 2 }),
      orphanDependents: s.boolean('Deprecated: use propagationPolicy. Whether dependents are orphaned.', { proto: 3 }),
      propagationPolicy: s.string(
        'Whether and how garbage collection is performed: Orphan (dependents are orphaned), Background (the owner is deleted now and dependents in the background) or Foreground (dependents are deleted first).',
        { proto: 4 },
      ),
      dryRun: s.array('When present, the request is not persisted. The only valid value is All.', s.string('', { default: '' }), {
        listType: 'atomic',
        proto: 5,
      }),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'DeleteOptions' }],
  },
];
