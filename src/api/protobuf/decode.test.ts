import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtInSchemas } from '../schema/definitions/index.js';
import { s } from '../schema/schema.js';
import { SchemaSet } from '../schema/schema-set.js';
import { decodeKubernetesProtobuf, definitionsByKind } from './decode.js';
import {
  bool,
  bytes,
  concat,
  entry,
  envelope,
  intOrString,
  message,
  objectMeta,
  packed,
  string,
  stringMap,
  time,
  varint,
} from './protobuf-testing.js';
import { ProtobufError } from './wire.js';

const schemas = builtInSchemas();
const decode = (body: Uint8Array) => decodeKubernetesProtobuf(body, schemas, definitionsByKind(schemas));

test('a ConfigMap from kubectl create configmap decodes to the JSON kubectl would have sent', () => {
  const raw = concat(objectMeta(1, { name: 'c' }), stringMap(2, { a: '1', b: '' }));
  assert.deepEqual(decode(envelope('v1', 'ConfigMap', raw)), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c' },
    data: { a: '1', b: '' },
  });
});

test('a Secret keeps its []byte data as base64 and its stringData as text', () => {
  const raw = concat(
    objectMeta(1, { name: 's', namespace: 'default', labels: { app: 'x' } }),
    entry(2, 'p', bytes(2, Uint8Array.of(0x71))),
    entry(2, 'bin', bytes(2, Uint8Array.of(0xff, 0x00, 0xfe))),
    stringMap(4, { plain: 'text' }),
    string(3, 'Opaque'),
    bool(5, false),
  );
  assert.deepEqual(decode(envelope('v1', 'Secret', raw)), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'default', labels: { app: 'x' } },
    // immutable is a *bool: false on the wire is kept.
    immutable: false,
    data: { p: 'cQ==', bin: '/wD+' },
    stringData: { plain: 'text' },
    type: 'Opaque',
  });
});

test('a Service keeps an int targetPort and drops the zero nodePort and empty strings', () => {
  const port = message(1, string(1, ''), string(2, 'TCP'), varint(3, 80), intOrString(4, 8080), varint(5, 0));
  const spec = message(
    2,
    port,
    stringMap(2, { app: 'web' }),
    string(3, ''),
    string(4, 'ClusterIP'),
    string(7, ''),
    string(8, ''),
    string(10, ''),
    string(11, ''),
    varint(12, 0),
    bool(13, false),
  );
  const status = message(3, message(1));
  const raw = concat(objectMeta(1, { name: 'web' }), spec, status);
  assert.deepEqual(decode(envelope('v1', 'Service', raw)), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web' },
    spec: { ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' },
    status: { loadBalancer: {} },
  });
});

test('a v1 Binding decodes its target ObjectReference', () => {
  const target = message(2, string(1, 'Node'), string(2, ''), string(3, 'node-1'), string(4, ''), string(5, 'v1'), string(6, ''), string(7, ''));
  const raw = concat(objectMeta(1, { name: 'p', namespace: 'default' }), target);
  assert.deepEqual(decode(envelope('v1', 'Binding', raw)), {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'p', namespace: 'default' },
    target: { kind: 'Node', name: 'node-1', apiVersion: 'v1' },
  });
});

test('a ValidatingAdmissionPolicy decodes a resource rule whose Go structs nest twice (RuleWithOperations, then Rule)', () => {
  const rule = message(2, string(1, 'CREATE'), message(2, string(1, 'apps'), string(2, 'v1'), string(3, 'deployments'), string(4, 'Namespaced')));
  const namedRule = message(3, string(1, 'web'), rule);
  const spec = message(2, message(2, namedRule), string(4, 'Fail'));
  const raw = concat(objectMeta(1, { name: 'replicas' }), spec);
  assert.deepEqual(decode(envelope('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', raw)), {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'replicas' },
    spec: {
      matchConstraints: {
        resourceRules: [{ resourceNames: ['web'], operations: ['CREATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'], scope: 'Namespaced' }],
      },
      failurePolicy: 'Fail',
    },
  });
});

test('a policy/v1 Eviction decodes its DeleteOptions, keeping a zero grace period', () => {
  const options = message(2, varint(1, 0), message(2, string(1, 'uid-1')), string(4, 'Background'));
  const raw = concat(objectMeta(1, { name: 'p', namespace: 'default' }), options);
  assert.deepEqual(decode(envelope('policy/v1', 'Eviction', raw)), {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: 'p', namespace: 'default' },
    deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid: 'uid-1' }, propagationPolicy: 'Background' },
  });
});

test('unknown field numbers are skipped, whatever their wire type', () => {
  const raw = concat(objectMeta(1, { name: 'c' }), varint(99, 1), string(100, 'x'), message(101, varint(1, 1)), stringMap(2, { a: '1' }));
  assert.deepEqual(decode(envelope('v1', 'ConfigMap', raw)), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } });
});

test('repeated numbers are accepted packed and unpacked, and repeated strings accumulate', () => {
  const securityContext = (groups: Uint8Array) => message(14, groups);
  const spec = (groups: Uint8Array) =>
    message(2, message(2, string(1, 'app'), string(2, 'nginx')), securityContext(groups), string(3, 'Always'), varint(5, 30));
  const unpacked = concat(varint(4, 1000), varint(4, 2000));
  const packedGroups = packed(4, [1000, 2000]);
  for (const groups of [unpacked, packedGroups]) {
    const pod = decode(envelope('v1', 'Pod', concat(objectMeta(1, { name: 'p' }), spec(groups))));
    assert.deepEqual(pod.spec, {
      containers: [{ name: 'app', image: 'nginx' }],
      restartPolicy: 'Always',
      activeDeadlineSeconds: 30,
      securityContext: { supplementalGroups: [1000, 2000] },
    });
  }
  const finalizers = concat(string(14, 'a'), string(14, 'b'));
  const configMap = decode(envelope('v1', 'ConfigMap', message(1, string(1, 'c'), finalizers)));
  assert.deepEqual(configMap.metadata, { name: 'c', finalizers: ['a', 'b'] });
});

test('a message field sent twice merges, as Go decodes it; a scalar sent twice keeps the last', () => {
  const raw = concat(message(1, string(1, 'first'), stringMap(11, { a: '1' })), message(1, string(1, 'second'), stringMap(11, { b: '2' })));
  assert.deepEqual(decode(envelope('v1', 'ConfigMap', raw)).metadata, { name: 'second', labels: { a: '1', b: '2' } });
});

test('a map key named __proto__ is an ordinary key', () => {
  const decoded = decode(envelope('v1', 'ConfigMap', concat(objectMeta(1, { name: 'c' }), entry(2, '__proto__', string(2, 'x')))));
  const data = decoded.data as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.deepEqual(Object.keys(data), ['__proto__']);
});

test('a map entry without a value holds the zero value', () => {
  const raw = concat(objectMeta(1, { name: 'c' }), message(2, string(1, 'empty')));
  assert.deepEqual(decode(envelope('v1', 'ConfigMap', raw)).data, { empty: '' });
});

test('an envelope without the k8s\\0 prefix, or with nothing after it, is refused', () => {
  assert.throws(() => decode(new TextEncoder().encode('{"kind":"ConfigMap"}')), /expected prefix/);
  assert.throws(() => decode(Uint8Array.of(0x6b, 0x38, 0x73, 0x00)), /empty body/);
});

test('a kind the schemas do not describe is refused', () => {
  assert.throws(() => decode(envelope('v1', 'Frobnicator', new Uint8Array(0))), /no kind "Frobnicator" is registered for version "v1"/);
});

test('a field whose wire type does not fit its schema is refused', () => {
  // metadata.name (1) sent as a varint.
  assert.throws(() => decode(envelope('v1', 'ConfigMap', message(1, varint(1, 5)))), /name: wrong wire type 0, expected 2/);
});

test('a truncated object is refused', () => {
  const whole = envelope('v1', 'ConfigMap', concat(objectMeta(1, { name: 'c' }), stringMap(2, { a: '1' })));
  for (const cut of [whole.length - 1, whole.length - 5, 20]) {
    assert.throws(() => decode(whole.subarray(0, cut)), ProtobufError);
  }
});

test('an envelope with a content encoding is refused', () => {
  const body = concat(envelope('v1', 'ConfigMap', new Uint8Array(0)), string(3, 'gzip'));
  assert.throws(() => decode(body), /content encoding "gzip"/);
});

test('nesting deeper than 1000 levels is refused without overflowing the stack', () => {
  const recursive = new SchemaSet([
    { name: 'test.Tree', schema: s.object('A tree.', { child: s.ref('test.Tree', 'A subtree.', { proto: 1 }), leaf: s.string('A leaf.', { proto: 2 }) }), gvk: [{ group: 'test', version: 'v1', kind: 'Tree' }] },
  ]);
  const nest = (levels: number): Uint8Array => {
    let raw = string(2, 'bottom');
    for (let i = 0; i < levels; i++) raw = message(1, raw);
    return envelope('test/v1', 'Tree', raw);
  };
  const lookup = definitionsByKind(recursive);
  const shallow = decodeKubernetesProtobuf(nest(3), recursive, lookup);
  assert.deepEqual(shallow, { apiVersion: 'test/v1', kind: 'Tree', child: { child: { child: { leaf: 'bottom' } } } });
  assert.doesNotThrow(() => decodeKubernetesProtobuf(nest(998), recursive, lookup));
  assert.throws(() => decodeKubernetesProtobuf(nest(1000), recursive, lookup), /exceeded max depth of 1000/);
  assert.throws(() => decodeKubernetesProtobuf(nest(5000), recursive, lookup), /exceeded max depth of 1000/);
});

test('a zero metav1.Time is left out and a set one is RFC 3339 at seconds precision', () => {
  const created = new Date(Date.UTC(2026, 0, 2, 15, 4, 5));
  const meta = message(1, string(1, 'c'), time(8, created), time(9, undefined));
  assert.deepEqual(decode(envelope('v1', 'ConfigMap', meta)).metadata, { name: 'c', creationTimestamp: '2026-01-02T15:04:05Z' });
  // Nanos in a Time are dropped, as Time.Unmarshal drops them.
  const withNanos = message(1, string(1, 'c'), message(8, varint(1, created.getTime() / 1000), varint(2, 999_999_999)));
  assert.deepEqual(decode(envelope('v1', 'ConfigMap', withNanos)).metadata, { name: 'c', creationTimestamp: '2026-01-02T15:04:05Z' });
});
