import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeepReadonly, KubeObject } from '../object.js';
import { DeletedFinalStateUnknown } from './keys.js';
import { Indexer, NAMESPACE_INDEX, metaNamespaceIndexFunc, type IndexFunc } from './thread-safe-store.js';

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
}

function pod(namespace: string, name: string, extra: { labels?: Record<string, string>; node?: string; owners?: string[] } = {}): Pod {
  return {
    metadata: {
      namespace,
      name,
      ...(extra.labels !== undefined ? { labels: extra.labels } : {}),
      ...(extra.owners !== undefined
        ? { ownerReferences: extra.owners.map((uid) => ({ apiVersion: 'v1', kind: 'X', name: uid, uid })) }
        : {}),
    },
    ...(extra.node !== undefined ? { spec: { nodeName: extra.node } } : {}),
  };
}

const byApp: IndexFunc<Pod> = (p) => {
  const app = p.metadata?.labels?.['app'];
  return app === undefined ? [] : [app];
};
const byOwner: IndexFunc<Pod> = (p) => (p.metadata?.ownerReferences ?? []).map((o) => o.uid);
const byNode: IndexFunc<Pod> = (p) => [p.spec?.nodeName ?? ''];

const names = (objs: readonly DeepReadonly<Pod>[]): string[] => objs.map((o) => o.metadata?.name ?? '').sort();

test('added objects are found by key, by object and in list', () => {
  const store = new Indexer<Pod>();
  const a = pod('ns', 'a');
  store.add(a);
  store.add(pod('', 'cluster'));
  assert.equal(store.getByKey('ns/a'), a);
  assert.equal(store.get(pod('ns', 'a')), a);
  assert.equal(store.getByKey('ns/missing'), undefined);
  assert.deepEqual(store.listKeys().sort(), ['cluster', 'ns/a']);
  assert.deepEqual(names(store.list()), ['a', 'cluster']);
  assert.equal(store.size, 2);
});

test('the namespace index is built in and files cluster-scoped objects under the empty namespace', () => {
  const store = new Indexer<Pod>();
  store.add(pod('a', 'p1'));
  store.add(pod('a', 'p2'));
  store.add(pod('b', 'p3'));
  store.add(pod('', 'n1'));
  assert.deepEqual(names(store.byIndex(NAMESPACE_INDEX, 'a')), ['p1', 'p2']);
  assert.deepEqual(names(store.byIndex(NAMESPACE_INDEX, '')), ['n1']);
  assert.deepEqual(store.listIndexFuncValues(NAMESPACE_INDEX).sort(), ['', 'a', 'b']);
  assert.deepEqual(metaNamespaceIndexFunc({ metadata: { namespace: 'x' } }), ['x']);
});

test('an update moves the object from its old index value to its new one', () => {
  const store = new Indexer<Pod>({ indexers: { app: byApp, node: byNode } });
  store.add(pod('ns', 'p', { labels: { app: 'web' }, node: 'n1' }));
  store.add(pod('ns', 'q', { labels: { app: 'web' }, node: 'n1' }));
  store.update(pod('ns', 'p', { labels: { app: 'db' }, node: 'n1' }));
  assert.deepEqual(names(store.byIndex('app', 'web')), ['q']);
  assert.deepEqual(names(store.byIndex('app', 'db')), ['p']);
  assert.deepEqual(names(store.byIndex('node', 'n1')), ['p', 'q']);
  store.update(pod('ns', 'q', { labels: { app: 'db' }, node: 'n2' }));
  assert.deepEqual(store.listIndexFuncValues('app'), ['db'], 'a value left with no objects is dropped');
  assert.deepEqual(names(store.byIndex('node', 'n2')), ['q']);
});

test('an update that drops the indexed label takes the object out of that index', () => {
  const store = new Indexer<Pod>({ indexers: { app: byApp } });
  store.add(pod('ns', 'p', { labels: { app: 'web' } }));
  store.update(pod('ns', 'p'));
  assert.deepEqual(store.byIndex('app', 'web'), []);
  assert.deepEqual(store.listIndexFuncValues('app'), []);
});

test('a delete removes the object from every index, by object or by tombstone', () => {
  const store = new Indexer<Pod>({ indexers: { app: byApp } });
  store.add(pod('ns', 'p', { labels: { app: 'web' } }));
  store.add(pod('ns', 'q', { labels: { app: 'web' } }));
  store.delete(pod('ns', 'p'));
  assert.deepEqual(names(store.byIndex('app', 'web')), ['q']);
  store.delete(new DeletedFinalStateUnknown('ns/q', undefined));
  assert.equal(store.size, 0);
  assert.deepEqual(store.listIndexFuncValues('app'), []);
  assert.deepEqual(store.listIndexFuncValues(NAMESPACE_INDEX), []);
  store.delete(pod('ns', 'absent'));
  assert.equal(store.size, 0);
});

test('a multi-valued index files an object under each owner uid', () => {
  const store = new Indexer<Pod>({ indexers: { owner: byOwner } });
  store.add(pod('ns', 'p', { owners: ['u1', 'u2'] }));
  store.add(pod('ns', 'q', { owners: ['u2'] }));
  store.add(pod('ns', 'r'));
  assert.deepEqual(names(store.byIndex('owner', 'u1')), ['p']);
  assert.deepEqual(names(store.byIndex('owner', 'u2')), ['p', 'q']);
  assert.deepEqual(store.indexKeys('owner', 'u2').sort(), ['ns/p', 'ns/q']);
  assert.deepEqual(store.indexKeys('owner', 'nobody'), []);
  assert.deepEqual(store.listIndexFuncValues('owner').sort(), ['u1', 'u2']);
});

test('index returns each object sharing any of the given object\'s values once', () => {
  const store = new Indexer<Pod>({ indexers: { owner: byOwner } });
  store.add(pod('ns', 'p', { owners: ['u1', 'u2'] }));
  store.add(pod('ns', 'q', { owners: ['u2', 'u3'] }));
  store.add(pod('ns', 'r', { owners: ['u4'] }));
  assert.deepEqual(names(store.index('owner', pod('x', 'probe', { owners: ['u1', 'u3'] }))), ['p', 'q']);
  assert.deepEqual(names(store.index('owner', pod('x', 'probe', { owners: ['u2'] }))), ['p', 'q']);
  assert.deepEqual(names(store.index(NAMESPACE_INDEX, pod('ns', 'any'))), ['p', 'q', 'r']);
});

test('lookups in an unknown index throw, and listing its values gives none', () => {
  const store = new Indexer<Pod>();
  assert.throws(() => store.byIndex('nope', 'x'), /Index with name nope does not exist/);
  assert.throws(() => store.indexKeys('nope', 'x'), /does not exist/);
  assert.throws(() => store.index('nope', pod('a', 'b')), /does not exist/);
  assert.deepEqual(store.listIndexFuncValues('nope'), []);
});

test('indexers can be added while the store is empty, and not after it holds objects', () => {
  const store = new Indexer<Pod>();
  store.addIndexers({ app: byApp });
  assert.deepEqual(Object.keys(store.getIndexers()).sort(), ['app', NAMESPACE_INDEX]);
  store.add(pod('ns', 'p', { labels: { app: 'web' } }));
  assert.deepEqual(names(store.byIndex('app', 'web')), ['p']);
  assert.throws(() => store.addIndexers({ node: byNode }), /cannot add indexers to running index/);
  assert.equal(store.getIndexers()['node'], undefined);
});

test('adding an indexer under a name in use is a conflict and adds nothing', () => {
  const store = new Indexer<Pod>({ indexers: { app: byApp } });
  assert.throws(() => store.addIndexers({ node: byNode, app: byApp }), /indexer conflict: app/);
  assert.equal(store.getIndexers()['node'], undefined);
});

test('replace swaps the contents, rebuilds the indexes and records the resourceVersion', () => {
  const store = new Indexer<Pod>({ indexers: { app: byApp } });
  assert.equal(store.lastSyncResourceVersion(), '');
  store.add(pod('ns', 'old', { labels: { app: 'web' } }));
  store.replace([pod('ns', 'new', { labels: { app: 'web' } }), pod('other', 'x', { labels: { app: 'db' } })], '42');
  assert.deepEqual(store.listKeys().sort(), ['ns/new', 'other/x']);
  assert.deepEqual(names(store.byIndex('app', 'web')), ['new']);
  assert.deepEqual(store.listIndexFuncValues('app').sort(), ['db', 'web']);
  assert.deepEqual(store.listIndexFuncValues(NAMESPACE_INDEX).sort(), ['ns', 'other']);
  assert.equal(store.lastSyncResourceVersion(), '42');
  store.update(pod('ns', 'new', { labels: { app: 'db' } }));
  assert.deepEqual(names(store.byIndex('app', 'db')), ['new', 'x'], 'indexes keep working incrementally after a replace');
});

test('an index function that throws leaves the store as it was', () => {
  const picky: IndexFunc<Pod> = (p) => {
    if (p.metadata?.labels?.['bad'] !== undefined) throw new Error('cannot index');
    return byApp(p);
  };
  const store = new Indexer<Pod>({ indexers: { app: picky } });
  const p = pod('ns', 'p', { labels: { app: 'web' } });
  store.add(p);
  assert.throws(() => store.update(pod('ns', 'p', { labels: { app: 'db', bad: 'y' } })), /cannot index/);
  assert.equal(store.getByKey('ns/p'), p);
  assert.deepEqual(names(store.byIndex('app', 'web')), ['p']);
  assert.throws(() => store.replace([pod('ns', 'q', { labels: { bad: 'y' } })], '9'), /cannot index/);
  assert.deepEqual(store.listKeys(), ['ns/p']);
  assert.equal(store.lastSyncResourceVersion(), '');
});

test('a custom key function keys the store', () => {
  const store = new Indexer<Pod>({ keyFunc: (p) => p.metadata?.uid ?? '' });
  store.add({ metadata: { namespace: 'ns', name: 'p', uid: 'u-1' } });
  assert.equal(store.getByKey('u-1')?.metadata?.name, 'p');
  assert.equal(store.getByKey('ns/p'), undefined);
});

test('the store hands back the very object it was given, without copying', () => {
  const store = new Indexer<Pod>();
  const p = pod('ns', 'p');
  store.add(p);
  assert.equal(store.list()[0], p);
  assert.equal(store.byIndex(NAMESPACE_INDEX, 'ns')[0], p);
});
