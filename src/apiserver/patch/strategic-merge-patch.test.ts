/**
 * Strategic merge patch against small pod- and deployment-like schemas modelled on k8s.io/api
 * (containers, env and volumes merged by name, ports by containerPort, tolerations atomic, finalizers
 * a merged set, a retainKeys strategy). Most list cases are upstream's own (apimachinery
 * strategicpatch/patch_test.go, the raw "current + three-way patch → result" cases, which compare
 * order exactly), restated in these types; the rest trace upstream's algorithm by hand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { type Definition, type Schema, s } from '../../api/schema/schema.js';
import { SchemaSet } from '../../api/schema/schema-set.js';
import { StatusError } from '../../api/status.js';
import { GENERIC_INVALID_MESSAGE } from './patch-errors.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

const T = 'test.v1';
const ref = (name: string, options: Parameters<typeof s.ref>[2] = {}): Schema => s.ref(`${T}.${name}`, undefined, options);
const str = s.string('');

const DEFINITIONS: readonly Definition[] = [
  { name: `${T}.Pod`, schema: s.object('', { kind: str, metadata: ref('ObjectMeta'), spec: ref('PodSpec'), status: ref('PodStatus') }) },
  {
    name: `${T}.ObjectMeta`,
    schema: s.object('', {
      name: str,
      labels: s.stringMap(''),
      annotations: s.stringMap(''),
      finalizers: s.array('', str, { patchStrategy: 'merge', listType: 'set' }),
      ownerReferences: s.array('', ref('OwnerReference'), { patchStrategy: 'merge', patchMergeKey: 'uid' }),
    }),
  },
  { name: `${T}.OwnerReference`, schema: s.object('', { uid: str, kind: str, name: str }) },
  {
    name: `${T}.PodSpec`,
    schema: s.object('', {
      containers: s.array('', ref('Container'), { patchStrategy: 'merge', patchMergeKey: 'name' }),
      initContainers: s.array('', ref('Container'), { patchStrategy: 'merge', patchMergeKey: 'name' }),
      volumes: s.array('', ref('Volume'), { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' }),
      tolerations: s.array('', ref('Toleration'), { listType: 'atomic' }),
      nodeSelector: s.stringMap(''),
      // patchStrategy replace, as upstream's RawExtension fields in its tests
      runtimeConfig: s.object('', { mode: str, level: str }, { patchStrategy: 'replace' }),
      extra: s.any(''),
      devices: s.map('', ref('Device')),
      matrix: s.array('', s.array('', str), { patchStrategy: 'merge' }),
    }),
  },
  {
    name: `${T}.Container`,
    schema: s.object('', {
      name: str,
      image: str,
      imagePullPolicy: str,
      args: s.array('', str),
      env: s.array('', ref('EnvVar'), { patchStrategy: 'merge', patchMergeKey: 'name' }),
      ports: s.array('', ref('ContainerPort'), { patchStrategy: 'merge', patchMergeKey: 'containerPort' }),
      resources: s.object('', { limits: s.stringMap(''), requests: s.stringMap('') }),
    }),
  },
  { name: `${T}.EnvVar`, schema: s.object('', { name: str, value: str, valueFrom: s.object('', { fieldRef: s.object('', { fieldPath: str }) }) }) },
  { name: `${T}.ContainerPort`, schema: s.object('', { containerPort: s.int32(''), name: str, protocol: str }) },
  {
    name: `${T}.Volume`,
    schema: s.object('', {
      name: str,
      configMap: s.object('', { name: str }),
      secret: s.object('', { secretName: str }),
      emptyDir: s.object('', { medium: str }),
    }),
  },
  { name: `${T}.Toleration`, schema: s.object('', { key: str, operator: str, value: str, effect: str }) },
  { name: `${T}.Device`, schema: s.object('', { driver: str, attributes: s.stringMap('') }) },
  {
    name: `${T}.PodStatus`,
    schema: s.object('', {
      conditions: s.array('', ref('PodCondition'), { patchStrategy: 'merge', patchMergeKey: 'type' }),
    }),
  },
  { name: `${T}.PodCondition`, schema: s.object('', { type: str, status: str, reason: str }) },
  {
    name: `${T}.Deployment`,
    schema: s.object('', {
      metadata: ref('ObjectMeta'),
      spec: s.object('', {
        replicas: s.int32(''),
        strategy: ref('DeploymentStrategy', { patchStrategy: 'retainKeys' }),
        template: s.object('', { metadata: ref('ObjectMeta'), spec: ref('PodSpec') }),
      }),
    }),
  },
  {
    name: `${T}.DeploymentStrategy`,
    schema: s.object('', {
      type: str,
      rollingUpdate: s.object('', { maxSurge: s.intOrString(''), maxUnavailable: s.intOrString('') }),
    }),
  },
  // A self-nesting kind, to nest merged lists arbitrarily deep.
  {
    name: `${T}.Tree`,
    schema: s.object('', { name: str, leaf: str, children: s.array('', ref('Tree'), { patchStrategy: 'merge', patchMergeKey: 'name' }) }),
  },
];

const schemas = new SchemaSet(DEFINITIONS);

function patchPod(original: JsonObject, patch: JsonObject): JsonObject {
  return applyStrategicMergePatch(original, patch, ref('Pod'), schemas);
}

function patchDeployment(original: JsonObject, patch: JsonObject): JsonObject {
  return applyStrategicMergePatch(original, patch, ref('Deployment'), schemas);
}

/** `spec.containers` of a pod whose containers are `items`. */
const withContainers = (items: JsonValue[]): JsonObject => ({ spec: { containers: items } });
const containersOf = (pod: JsonObject): JsonValue => (pod.spec as JsonObject).containers as JsonValue;
const withFinalizers = (items: JsonValue[]): JsonObject => ({ metadata: { finalizers: items } });
const finalizersOf = (pod: JsonObject): JsonValue => (pod.metadata as JsonObject).finalizers as JsonValue;

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof StatusError, `expected a StatusError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the patch to fail');
}

test('the test schemas are consistent', () => {
  assert.deepEqual(schemas.check(), []);
});

describe('maps', () => {
  test('maps merge recursively and a null value deletes the key', () => {
    const original: JsonObject = { metadata: { name: 'web', labels: { app: 'web', tier: 'front' } } };
    const result = patchPod(original, { metadata: { labels: { tier: null, env: 'prod' }, annotations: { note: 'x' } } });
    assert.deepEqual(result, { metadata: { name: 'web', labels: { app: 'web', env: 'prod' }, annotations: { note: 'x' } } });
  });

  test('a map carrying $patch: replace becomes the rest of the patch map', () => {
    const original: JsonObject = { metadata: { labels: { app: 'web', tier: 'front' } } };
    assert.deepEqual(patchPod(original, { metadata: { labels: { $patch: 'replace', other: 'a' } } }), {
      metadata: { labels: { other: 'a' } },
    });
  });

  test('a map carrying $patch: delete becomes empty', () => {
    const original: JsonObject = { spec: { nodeSelector: { disk: 'ssd', zone: 'a' } } };
    assert.deepEqual(patchPod(original, { spec: { nodeSelector: { $patch: 'delete' } } }), { spec: { nodeSelector: {} } });
  });

  test('$patch: replace on the whole object replaces it', () => {
    assert.deepEqual(patchPod({ kind: 'Pod', metadata: { name: 'a' } }, { $patch: 'replace', kind: 'Pod' }), { kind: 'Pod' });
  });

  test('a field with patchStrategy replace takes the patch value as sent', () => {
    const original: JsonObject = { spec: { runtimeConfig: { mode: 'a', level: '1' } } };
    assert.deepEqual(patchPod(original, { spec: { runtimeConfig: { mode: 'b' } } }), { spec: { runtimeConfig: { mode: 'b' } } });
  });

  test('a new value is stored without its null members and without maps that carry $patch', () => {
    const result = patchPod({ spec: {} }, { spec: { extra: { a: null, b: { $patch: 'delete', x: 1 }, c: [{ d: null, e: 1 }] } } });
    assert.deepEqual(result, { spec: { extra: { c: [{ e: 1 }] } } });
    assert.deepEqual(patchPod({ spec: {} }, { spec: { nodeSelector: { $patch: 'replace', a: 'b' } } }), { spec: {} });
  });

  test('a value of another type replaces the original one', () => {
    const result = patchPod({ spec: { extra: [1, 2] } }, { spec: { extra: { a: 1, b: null } } });
    assert.deepEqual(result, { spec: { extra: { a: 1 } } });
  });

  test('an unknown $patch value is a 500 naming the map as Go prints it', () => {
    const error = statusOf(() => patchPod({ metadata: { labels: { x: 'y' } } }, { metadata: { labels: { $patch: 'bogus', b: '1', a: 2 } } }));
    assert.equal(error.code, 500);
    assert.equal(error.message, 'unknown patch type: bogus in map: map[$patch:bogus a:2 b:1]');
  });

  test('$patch: merge on a map is refused like any unknown directive', () => {
    const error = statusOf(() => patchPod({ metadata: { labels: { x: 'y' } } }, { metadata: { labels: { $patch: 'merge' } } }));
    assert.equal(error.message, 'unknown patch type: merge in map: map[$patch:merge]');
  });
});

describe('lists merged by key', () => {
  test('a patch item merges into the item with its key, and order follows the live list around it', () => {
    const original = withContainers([{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }]);
    const result = patchPod(original, withContainers([{ name: 'b', image: 'b:2' }, { name: 'c', image: 'c:1' }]));
    assert.deepEqual(containersOf(result), [
      { name: 'a', image: 'a:1' },
      { name: 'b', image: 'b:2' },
      { name: 'c', image: 'c:1' },
    ]);
  });

  test('new items go before the server-only items when the patch names no existing item, as upstream orders them', () => {
    const original = withContainers([{ name: 'a' }, { name: 'b' }]);
    assert.deepEqual(containersOf(patchPod(original, withContainers([{ name: 'c' }]))), [{ name: 'c' }, { name: 'a' }, { name: 'b' }]);
  });

  test('the order of the patch list wins over the live order for the items it names', () => {
    const original = withContainers([{ name: '1' }, { name: '2', image: 'b' }, { name: '3' }]);
    const patch = withContainers([
      { name: '3', image: 'c' },
      { name: '1', image: 'a' },
      { name: '2', imagePullPolicy: 'x' },
    ]);
    assert.deepEqual(containersOf(patchPod(original, patch)), [
      { name: '3', image: 'c' },
      { name: '1', image: 'a' },
      { name: '2', image: 'b', imagePullPolicy: 'x' },
    ]);
    const partial = withContainers([
      { name: '3', image: 'c' },
      { name: '1', image: 'a' },
    ]);
    assert.deepEqual(containersOf(patchPod(original, partial)), [
      { name: '2', image: 'b' },
      { name: '3', image: 'c' },
      { name: '1', image: 'a' },
    ]);
  });

  test('$patch: delete removes every item with the key, duplicates included', () => {
    const original = withContainers([{ name: '1' }, { name: '1' }, { name: '2', image: 'a' }, { name: '3' }, { name: '3' }]);
    const patch = withContainers([
      { name: '1', $patch: 'delete' },
      { name: '3', $patch: 'delete' },
    ]);
    assert.deepEqual(containersOf(patchPod(original, patch)), [{ name: '2', image: 'a' }]);
    assert.deepEqual(containersOf(patchPod(original, withContainers([{ name: 'x', $patch: 'delete' }]))), containersOf(original));
  });

  test('a $patch: replace item makes the other patch items the whole list', () => {
    const original = withContainers([{ name: 'a' }, { name: 'b' }]);
    assert.deepEqual(containersOf(patchPod(original, withContainers([{ $patch: 'replace' }, { name: 'c' }]))), [{ name: 'c' }]);
    assert.deepEqual(containersOf(patchPod(original, withContainers([{ $patch: 'replace' }]))), []);
  });

  test('$patch: merge in a list is refused with upstream message', () => {
    const error = statusOf(() => patchPod(withContainers([{ name: 'a' }]), withContainers([{ $patch: 'merge' }])));
    assert.equal(error.code, 500);
    assert.equal(error.message, 'merging lists cannot yet be specified in the patch');
  });

  test('a patch item without the merge key is a 500 with upstream message', () => {
    const error = statusOf(() => patchPod(withContainers([{ name: '1', image: 'a' }]), withContainers([{ image: 'b' }])));
    assert.equal(error.code, 500);
    assert.equal(error.reason, 'Unknown');
    assert.equal(error.message, 'map: map[image:b] does not contain declared merge key: name');
    const deletion = statusOf(() => patchPod(withContainers([{ name: '1' }]), withContainers([{ $patch: 'delete' }])));
    assert.equal(deletion.message, 'map: map[$patch:delete] does not contain declared merge key: name');
  });

  test('ports merge by their numeric containerPort', () => {
    const original = withContainers([{ name: 'web', ports: [{ containerPort: 80, name: 'http' }] }]);
    const patch = withContainers([{ name: 'web', ports: [{ containerPort: 443, name: 'https' }, { containerPort: 80, protocol: 'TCP' }] }]);
    assert.deepEqual(containersOf(patchPod(original, patch)), [
      {
        name: 'web',
        ports: [
          { containerPort: 443, name: 'https' },
          { containerPort: 80, name: 'http', protocol: 'TCP' },
        ],
      },
    ]);
  });

  test('env merges by name inside the container it belongs to', () => {
    const original = withContainers([
      { name: 'web', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
      { name: 'side', env: [{ name: 'A', value: 'side' }] },
    ]);
    const patch = withContainers([{ name: 'web', env: [{ name: 'B', value: null, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }]);
    assert.deepEqual(containersOf(patchPod(original, patch)), [
      { name: 'web', env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] },
      { name: 'side', env: [{ name: 'A', value: 'side' }] },
    ]);
  });

  test('status conditions merge by type and keep their order', () => {
    const original: JsonObject = { status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } };
    const result = patchPod(original, { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Up' }] } });
    assert.deepEqual(result, {
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Up' }, { type: 'Initialized', status: 'True' }] },
    });
  });
});

describe('lists of scalars', () => {
  test('a merged list of scalars is a set union', () => {
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '2']), withFinalizers(['2', '3']))), ['1', '2', '3']);
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['a', 'b']), withFinalizers(['c']))), ['c', 'a', 'b']);
  });

  test('the order of the patch wins for the values it names', () => {
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '2', '3']), withFinalizers(['3', '1', '2']))), ['3', '1', '2']);
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '2', '3']), withFinalizers(['3', '1']))), ['2', '3', '1']);
  });

  test('$deleteFromPrimitiveList removes values from merged and from replaced lists', () => {
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '2', '3']), { metadata: { '$deleteFromPrimitiveList/finalizers': ['2'] } })), [
      '1',
      '3',
    ]);
    const pod = withContainers([{ name: 'web', args: ['-a', '-b', '-c'] }]);
    const patch = withContainers([{ name: 'web', '$deleteFromPrimitiveList/args': ['-b'] }]);
    assert.deepEqual(containersOf(patchPod(pod, patch)), [{ name: 'web', args: ['-a', '-c'] }]);
  });

  test('$deleteFromPrimitiveList of a missing value or list changes and adds nothing', () => {
    assert.deepEqual(patchPod(withFinalizers(['1', '2']), { metadata: { '$deleteFromPrimitiveList/finalizers': ['3'] } }), withFinalizers(['1', '2']));
    assert.deepEqual(patchPod({ metadata: { name: 'a' } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['3'] } }), {
      metadata: { name: 'a' },
    });
    assert.deepEqual(patchPod(withFinalizers([]), { metadata: { '$deleteFromPrimitiveList/finalizers': ['3'] } }), withFinalizers([]));
  });

  test('a malformed $deleteFromPrimitiveList key is 400 with the sentinel message', () => {
    const error = statusOf(() => patchPod(withFinalizers(['1']), { metadata: { '$deleteFromPrimitiveListX/finalizers': ['1'] } }));
    assert.equal(error.code, 400);
    assert.equal(error.message, 'invalid patch format of primitive list');
  });
});

describe('lists without a merge strategy', () => {
  test('tolerations and args are replaced whole', () => {
    const original: JsonObject = {
      spec: { tolerations: [{ key: 'a', operator: 'Exists' }], containers: [{ name: 'web', args: ['-a', '-b'] }] },
    };
    const patch: JsonObject = { spec: { tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'web', args: ['-c'] }] } };
    assert.deepEqual(patchPod(original, patch), {
      spec: { tolerations: [{ key: 'b', operator: 'Exists' }], containers: [{ name: 'web', args: ['-c'] }] },
    });
  });
});

describe('$setElementOrder', () => {
  test('new items take their place from $setElementOrder around the live items', () => {
    const current = withContainers([{ name: '1', imagePullPolicy: 'a' }, { name: '2', image: '2', imagePullPolicy: 'b' }]);
    const patch: JsonObject = {
      spec: {
        '$setElementOrder/containers': [{ name: '4' }, { name: '1' }, { name: '2' }, { name: '3' }],
        containers: [{ name: '4', image: '4' }, { name: '3', image: '3' }],
      },
    };
    assert.deepEqual(containersOf(patchPod(current, patch)), [
      { name: '4', image: '4' },
      { name: '1', imagePullPolicy: 'a' },
      { name: '2', image: '2', imagePullPolicy: 'b' },
      { name: '3', image: '3' },
    ]);
  });

  test('an item is added and another deleted with the order preserved', () => {
    const current = withContainers([{ name: '1', imagePullPolicy: 'a' }, { name: '2', image: '2', imagePullPolicy: 'b' }, { name: '3', image: '3' }]);
    const patch: JsonObject = {
      spec: {
        '$setElementOrder/containers': [{ name: '4' }, { name: '2' }, { name: '1' }],
        containers: [{ name: '4', image: '4' }, { name: '3', $patch: 'delete' }],
      },
    };
    assert.deepEqual(containersOf(patchPod(current, patch)), [
      { name: '4', image: '4' },
      { name: '2', image: '2', imagePullPolicy: 'b' },
      { name: '1', imagePullPolicy: 'a' },
    ]);
  });

  test('server-only items stay next to the items they follow in the live list', () => {
    const names = (pod: JsonObject): JsonValue => (containersOf(pod) as JsonObject[]).map((c) => c.name as JsonValue);
    const reorder = (live: string[], order: string[]): JsonValue =>
      names(patchPod(withContainers(live.map((name) => ({ name }))), { spec: { '$setElementOrder/containers': order.map((name) => ({ name })) } }));
    assert.deepEqual(reorder(['1', '3', '4', '2', '9'], ['4', '2', '3', '1']), ['4', '2', '3', '1', '9']);
    assert.deepEqual(reorder(['1', '2', '9', '3', '4'], ['2', '1', '4', '3']), ['2', '1', '9', '4', '3']);
    assert.deepEqual(reorder(['1', '2', '7', '9', '8', '3', '4'], ['2', '1', '4', '3']), ['2', '1', '7', '9', '8', '4', '3']);
  });

  test('a $setElementOrder naming an item the list lacks orders the rest', () => {
    const patch: JsonObject = {
      spec: {
        '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }],
        containers: [{ name: '3', image: '3' }, { name: '1', image: '1' }],
      },
    };
    assert.deepEqual(containersOf(patchPod(withContainers([{ name: '1' }, { name: '3' }]), patch)), [
      { name: '3', image: '3' },
      { name: '1', image: '1' },
    ]);
    const scalars = { metadata: { '$setElementOrder/finalizers': ['3', '2', '1'] } };
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '3']), scalars)), ['3', '1']);
  });

  test('a patch list out of $setElementOrder order is a 500', () => {
    const patch: JsonObject = {
      spec: {
        '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }],
        containers: [{ name: '3', image: '3' }, { name: '1', image: '1' }],
      },
    };
    const error = statusOf(() => patchPod(withContainers([{ name: '1' }, { name: '3' }, { name: '2' }]), patch));
    assert.equal(error.code, 500);
    assert.match(error.message, /^The order in patch list:\n\[map\[image:3 name:3\] map\[image:1 name:1\]\]\n doesn't match \$setElementOrder list:/);
  });

  test('a patch item missing from the live list comes before it, when the live list has the patch items elsewhere', () => {
    const current: JsonObject = { spec: { containers: [{ name: 'hello2' }] } };
    const patch: JsonObject = {
      spec: { '$setElementOrder/containers': [{ name: 'hello' }, { name: 'doesntexist' }], containers: [{ name: 'hello' }] },
    };
    assert.deepEqual(containersOf(patchPod(current, patch)), [{ name: 'hello' }, { name: 'hello2' }]);
  });

  test('scalars are added, deleted and ordered by the directives together', () => {
    const added = { metadata: { '$setElementOrder/finalizers': ['3', '1', '2'], finalizers: ['3'] } };
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '4', '2']), added)), ['3', '1', '4', '2']);
    const deleted = { metadata: { '$setElementOrder/finalizers': ['1', '2'], '$deleteFromPrimitiveList/finalizers': ['3'] } };
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '2', '3', '4']), deleted)), ['1', '2', '4']);
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '2', '3', '3', '4']), deleted)), ['1', '2', '4']);
    const both = { metadata: { '$setElementOrder/finalizers': ['1', '2', '4'], '$deleteFromPrimitiveList/finalizers': ['3'] } };
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '2', '3', '4']), both)), ['1', '2', '4']);
  });

  test('duplicates in the live list are kept together where the first one sorts', () => {
    const current = withContainers([{ name: '1' }, { name: '2', image: 'dup1' }, { name: '3' }, { name: '2', image: 'dup2' }, { name: '4' }]);
    const order = { '$setElementOrder/containers': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }, { name: '2' }] };
    assert.deepEqual(containersOf(patchPod(current, { spec: order })), [
      { name: '2', image: 'dup1' },
      { name: '2', image: 'dup2' },
      { name: '1' },
      { name: '4' },
      { name: '3' },
    ]);
    const scalars = { metadata: { '$setElementOrder/finalizers': ['2', '1', '4', '3', '2'] } };
    assert.deepEqual(finalizersOf(patchPod(withFinalizers(['1', '2', '3', '2', '4']), scalars)), ['2', '2', '1', '4', '3']);
  });

  test('two lists are reordered independently, one of them with a deletion', () => {
    const current: JsonObject = {
      spec: {
        containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }],
        initContainers: [{ name: 'c', image: 'c' }, { name: 'd', image: 'd' }],
      },
    };
    const patch: JsonObject = {
      spec: {
        '$setElementOrder/containers': [{ name: 'b' }],
        '$setElementOrder/initContainers': [{ name: 'd' }, { name: 'c' }],
        containers: [{ $patch: 'delete', name: 'a' }],
      },
    };
    assert.deepEqual(patchPod(current, patch), {
      spec: { containers: [{ name: 'b', image: 'b' }], initContainers: [{ name: 'd', image: 'd' }, { name: 'c', image: 'c' }] },
    });
  });

  test('deleting one container and adding another orders a trailing sidecar as Go slice reuse does', () => {
    // Upstream deletes in place and appends into the freed slot of the live list it then sorts
    // against, so the sidecar ends up before the new container (not after it).
    const current = withContainers([{ name: 'a' }, { name: 'b' }, { name: 'sidecar' }]);
    const patch: JsonObject = {
      spec: {
        '$setElementOrder/containers': [{ name: 'b' }, { name: 'new' }],
        containers: [{ name: 'new', image: 'x' }, { name: 'a', $patch: 'delete' }],
      },
    };
    assert.deepEqual(containersOf(patchPod(current, patch)), [{ name: 'b' }, { name: 'sidecar' }, { name: 'new', image: 'x' }]);
  });

  test('an empty or null list in the original counts as absent, as upstream typed objects omit it', () => {
    const order = { '$setElementOrder/finalizers': ['a'] };
    assert.deepEqual(patchPod(withFinalizers([]), { metadata: order }), withFinalizers([]));
    assert.deepEqual(patchPod({ metadata: { finalizers: null } }, { metadata: order }), { metadata: { finalizers: null } });
    assert.deepEqual(patchPod(withFinalizers([]), { metadata: { ...order, finalizers: ['a'] } }), withFinalizers(['a']));
    // An empty original map is missing too, and a new map carrying $patch is dropped.
    assert.deepEqual(patchPod({ spec: { nodeSelector: {} } }, { spec: { nodeSelector: { $patch: 'replace', a: 'b' } } }), { spec: {} });
  });

  test('a malformed $setElementOrder is refused: 400 for the key, 500 for a non-list value', () => {
    const badKey = statusOf(() => patchPod(withFinalizers(['a']), { metadata: { '$setElementOrderX/finalizers': ['a'] } }));
    assert.equal(badKey.code, 400);
    assert.equal(badKey.message, 'invalid patch format of setElementOrder list');
    const notList = statusOf(() => patchPod(withFinalizers(['a']), { metadata: { '$setElementOrder/finalizers': 'a' } }));
    assert.equal(notList.code, 500);
    assert.equal(notList.message, 'expected a []interface {}, but received a string');
    const notListField = statusOf(() => patchPod({}, { '$setElementOrder/metadata': [] }));
    assert.equal(notListField.message, 'expected slice or array type, but got: struct');
  });
});

describe('$retainKeys', () => {
  const rolling: JsonObject = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } };

  test('keys of the original that $retainKeys does not list are cleared', () => {
    const result = patchDeployment(rolling, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(result, { spec: { strategy: { type: 'Recreate' } } });
  });

  test('a listed key with a null value is deleted, and unlisted nulls are allowed', () => {
    const result = patchDeployment(rolling, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null } } });
    assert.deepEqual(result, { spec: { strategy: { type: 'RollingUpdate' } } });
  });

  test('without the directive a retainKeys field merges as usual', () => {
    const result = patchDeployment(rolling, { spec: { strategy: { rollingUpdate: { maxSurge: 2 } } } });
    assert.deepEqual(result, { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } } } });
  });

  test('$retainKeys inside a merged volume clears its other sources', () => {
    const current: JsonObject = { spec: { volumes: [{ name: 'bar' }, { name: 'foo', configMap: { name: 'a' }, emptyDir: {} }] } };
    const patch: JsonObject = {
      spec: {
        '$setElementOrder/volumes': [{ name: 'bar' }, { name: 'foo' }],
        volumes: [{ $retainKeys: ['name', 'configMap'], name: 'foo' }],
      },
    };
    assert.deepEqual(patchPod(current, patch), { spec: { volumes: [{ name: 'bar' }, { name: 'foo', configMap: { name: 'a' } }] } });
  });

  test('a patch key missing from $retainKeys, or a $retainKeys that is not a list, is 400', () => {
    const missing = statusOf(() => patchDeployment(rolling, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }));
    assert.equal(missing.code, 400);
    assert.equal(missing.message, 'invalid patch format of retainKeys');
    const notList = statusOf(() => patchDeployment(rolling, { spec: { strategy: { $retainKeys: 'type' } } }));
    assert.equal(notList.code, 400);
  });
});

describe('fields the schema does not describe', () => {
  test('an any field merges like a JSON merge patch: maps merge, lists are replaced, null deletes', () => {
    const original: JsonObject = { spec: { extra: { a: { x: 1, y: 2 }, list: [1, 2], gone: true } } };
    const result = patchPod(original, { spec: { extra: { a: { y: 3 }, list: [3], gone: null } } });
    assert.deepEqual(result, { spec: { extra: { a: { x: 1, y: 3 }, list: [3] } } });
  });

  test('an unknown field merges its maps and replaces its lists', () => {
    const original: JsonObject = { spec: { unknown: { a: [1], b: { c: 1 } } } };
    assert.deepEqual(patchPod(original, { spec: { unknown: { a: [2], b: { d: 2 } } } }), {
      spec: { unknown: { a: [2], b: { c: 1, d: 2 } } },
    });
  });

  test('values of a map of objects cannot merge, and fail as upstream does for Go maps', () => {
    const original: JsonObject = { spec: { devices: { gpu: { driver: 'a' } } } };
    assert.deepEqual(patchPod(original, { spec: { devices: { tpu: { driver: 'b' } } } }), {
      spec: { devices: { gpu: { driver: 'a' }, tpu: { driver: 'b' } } },
    });
    const error = statusOf(() => patchPod(original, { spec: { devices: { gpu: { driver: 'b' } } } }));
    assert.equal(error.code, 500);
    assert.equal(error.message, 'merging an object in json but data type is not struct, instead is: map');
  });
});

describe('malformed lists', () => {
  test('items of different types in a merged list are a 500 listing both lists', () => {
    const error = statusOf(() => patchPod(withFinalizers(['a']), withFinalizers([1])));
    assert.equal(error.code, 500);
    assert.equal(error.message, 'list element types are not identical: [[a] [1]]');
  });

  test('a list of lists in a merged list is 422 with the generic message', () => {
    const error = statusOf(() => patchPod(withFinalizers([['a']]), withFinalizers([['b']])));
    assert.equal(error.code, 422);
    assert.equal(error.message, GENERIC_INVALID_MESSAGE);
    assert.equal(statusOf(() => patchPod({ spec: { matrix: [['a']] } }, { spec: { matrix: [['b']] } })).message, 'unexpected slice of slice');
  });

  test('maps used as merge key values, which make Go panic, answer 500', () => {
    const error = statusOf(() => patchPod(withContainers([{ name: { a: 1 } }]), withContainers([{ name: { a: 1 }, image: 'x' }])));
    assert.equal(error.code, 500);
    assert.equal(error.reason, 'InternalError');
  });
});

describe('a kubectl apply three-way patch', () => {
  test('updates an image, reorders env, drops a port and switches strategy as Kubernetes does', () => {
    const current: JsonObject = {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx:1.25',
                env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
                ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
              },
              { name: 'istio-proxy', image: 'proxy' },
            ],
          },
        },
      },
    };
    const patch: JsonObject = {
      spec: {
        replicas: 3,
        strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              {
                name: 'web',
                image: 'nginx:1.26',
                '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
                env: [{ name: 'C', value: '3' }, { name: 'B', $patch: 'delete' }],
                '$setElementOrder/ports': [{ containerPort: 80 }],
                ports: [{ containerPort: 443, $patch: 'delete' }],
              },
            ],
          },
        },
      },
    };
    assert.deepEqual(patchDeployment(current, patch), {
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx:1.26',
                env: [{ name: 'C', value: '3' }, { name: 'A', value: '1' }],
                ports: [{ containerPort: 80, protocol: 'TCP' }],
              },
              { name: 'istio-proxy', image: 'proxy' },
            ],
          },
        },
      },
    });
  });
});

describe('safety', () => {
  test('neither the original nor the patch is changed', () => {
    const original = withContainers([{ name: 'a', env: [{ name: 'X', value: '1' }] }, { name: 'b' }, { name: 'c' }]);
    const patch: JsonObject = {
      spec: {
        '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }],
        containers: [{ name: 'b', $patch: 'delete' }, { name: 'a', env: [{ name: 'Y', value: null }] }],
      },
    };
    const snapshot = structuredClone({ original, patch });
    patchPod(original, patch);
    assert.deepEqual({ original, patch }, snapshot);
  });

  test('__proto__ and other Object.prototype names are plain keys', () => {
    const patch = JSON.parse('{"metadata": {"labels": {"__proto__": "x", "constructor": "y"}}, "spec": {"__proto__": {"polluted": 1}}}') as JsonObject;
    const result = patchPod({ metadata: { labels: { toString: 'z' } }, spec: {} }, patch);
    const labels = (result.metadata as JsonObject).labels as JsonObject;
    assert.ok(Object.hasOwn(labels, '__proto__'));
    assert.deepEqual(Object.keys(labels).sort(), ['__proto__', 'constructor', 'toString']);
    assert.equal(Object.getPrototypeOf(result.spec), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('thousands of nested merged maps and lists merge without overflowing the stack', () => {
    const maps = (depth: number, leaf: JsonObject): JsonObject => {
      let value: JsonObject = leaf;
      for (let i = 0; i < depth; i++) value = { n: value };
      return value;
    };
    const merged = patchPod({ spec: { extra: maps(9_000, { a: 1 }) } }, { spec: { extra: maps(9_000, { b: 2 }) } });
    let inner: JsonValue = (merged.spec as JsonObject).extra as JsonValue;
    for (let i = 0; i < 9_000; i++) inner = (inner as JsonObject).n as JsonValue;
    assert.deepEqual(inner, { a: 1, b: 2 });

    const tree = (depth: number, leaf: string): JsonObject => {
      let value: JsonObject = { name: 'x', leaf };
      for (let i = 0; i < depth; i++) value = { name: 'x', children: [value] };
      return value;
    };
    let node: JsonValue = applyStrategicMergePatch(tree(4_000, 'old'), tree(4_000, 'new'), ref('Tree'), schemas);
    for (let i = 0; i < 4_000; i++) node = ((node as JsonObject).children as JsonValue[])[0] as JsonValue;
    assert.deepEqual(node, { name: 'x', leaf: 'new' });
  });

  test('a patch nested deeper than 10,000 levels is 400 before any merging', () => {
    let deep: JsonValue = {};
    for (let i = 0; i < 10_000; i++) deep = { n: deep };
    const error = statusOf(() => patchPod({}, { spec: { extra: deep } }));
    assert.equal(error.code, 400);
    assert.equal(error.message, 'invalid JSON patch');
  });
});
