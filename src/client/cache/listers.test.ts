import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nothingLabelSelector, parseLabelSelector } from '../../api/labels.js';
import type { DeepReadonly, KubeObject } from '../object.js';
import { Lister, type ListerSource } from './listers.js';
import { Indexer, type Indexers } from './thread-safe-store.js';

function obj(namespace: string, name: string, labels?: Record<string, string>): KubeObject {
  return { metadata: { namespace, name, ...(labels !== undefined ? { labels } : {}) } };
}

const names = (objs: readonly DeepReadonly<KubeObject>[]): string[] => objs.map((o) => o.metadata?.name ?? '').sort();

function fixture(): Lister<KubeObject> {
  const indexer = new Indexer<KubeObject>();
  indexer.add(obj('a', 'web-1', { app: 'web', tier: 'front' }));
  indexer.add(obj('a', 'db-1', { app: 'db' }));
  indexer.add(obj('b', 'web-2', { app: 'web' }));
  indexer.add(obj('b', 'plain'));
  indexer.add(obj('', 'node-1', { app: 'web' }));
  return new Lister(indexer);
}

test('list without a selector returns every cached object', () => {
  assert.deepEqual(names(fixture().list()), ['db-1', 'node-1', 'plain', 'web-1', 'web-2']);
});

test('list with a selector returns only objects whose labels match', () => {
  const lister = fixture();
  assert.deepEqual(names(lister.list(parseLabelSelector('app=web'))), ['node-1', 'web-1', 'web-2']);
  assert.deepEqual(names(lister.list(parseLabelSelector('app in (web,db),!tier'))), ['db-1', 'node-1', 'web-2']);
  assert.deepEqual(names(lister.list(parseLabelSelector(''))).length, 5);
  assert.deepEqual(lister.list(nothingLabelSelector), []);
});

test('a namespace lister lists only its namespace, filtered by the selector', () => {
  const lister = fixture();
  assert.deepEqual(names(lister.namespace('a').list()), ['db-1', 'web-1']);
  assert.deepEqual(names(lister.namespace('b').list(parseLabelSelector('app=web'))), ['web-2']);
  assert.deepEqual(lister.namespace('empty').list(), []);
  assert.deepEqual(names(lister.namespace('').list(parseLabelSelector('app=web'))), ['node-1', 'web-1', 'web-2']);
});

test('get finds cluster-scoped objects by name and namespaced ones through their namespace', () => {
  const lister = fixture();
  assert.equal(lister.get('node-1')?.metadata?.name, 'node-1');
  assert.equal(lister.get('web-1'), undefined, 'a namespaced object is not found by bare name');
  assert.equal(lister.namespace('a').get('web-1')?.metadata?.namespace, 'a');
  assert.equal(lister.namespace('b').get('web-1'), undefined);
  assert.equal(lister.namespace('a').get('missing'), undefined);
  assert.equal(lister.namespace('').get('node-1')?.metadata?.name, 'node-1');
});

test('a namespace lister reads through the namespace index rather than scanning', () => {
  const indexer = new Indexer<KubeObject>();
  indexer.add(obj('a', 'x'));
  indexer.add(obj('b', 'y'));
  let scans = 0;
  const source: ListerSource<KubeObject> = {
    list: () => {
      scans++;
      return indexer.list();
    },
    getByKey: (key) => indexer.getByKey(key),
    byIndex: (name, value) => indexer.byIndex(name, value),
    getIndexers: () => indexer.getIndexers(),
  };
  assert.deepEqual(names(new Lister(source).namespace('a').list()), ['x']);
  assert.equal(scans, 0);
});

test('a namespace lister over a source without a namespace index falls back to a scan', () => {
  const indexer = new Indexer<KubeObject>();
  indexer.add(obj('a', 'x'));
  indexer.add(obj('b', 'y'));
  const source: ListerSource<KubeObject> = {
    list: () => indexer.list(),
    getByKey: (key) => indexer.getByKey(key),
    byIndex: () => assert.fail('no index to read'),
    getIndexers: (): Indexers<KubeObject> => ({}),
  };
  assert.deepEqual(names(new Lister(source).namespace('b').list()), ['y']);
});
