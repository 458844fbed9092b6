import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiscoveredResource } from '../../client/discovery.js';
import { deletableResources } from './monitors.js';
import { ReferenceCache } from './reference-cache.js';

function resource(group: string, name: string, verbs: string[], preferred = true): DiscoveredResource {
  return { group, version: 'v1', resource: name, namespaced: true, kind: name, singularName: name, shortNames: [], verbs, categories: [], preferred };
}

test('the collector monitors preferred resources that support list, watch and delete, except events', () => {
  const all = ['create', 'delete', 'get', 'list', 'watch'];
  const picked = deletableResources([
    resource('', 'configmaps', all),
    resource('', 'events', all),
    resource('events.k8s.io', 'events', all),
    resource('', 'bindings', ['create']),
    resource('example.com', 'widgets', all),
    resource('example.com', 'widgets-old', all, false),
    resource('', 'componentstatuses', ['get', 'list']),
  ]);
  assert.deepEqual(picked.map((r) => `${r.resource}.${r.group}`), ['configmaps.', 'widgets.example.com']);
});

test('the absent-owner cache forgets the least recently used identity first', () => {
  const cache = new ReferenceCache(2);
  const id = (uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, namespace: 'ns' });
  cache.add(id('a'));
  cache.add(id('b'));
  assert.equal(cache.has(id('a')), true);
  cache.add(id('c'));
  assert.equal(cache.has(id('b')), false);
  assert.equal(cache.has(id('a')), true);
  assert.equal(cache.has(id('c')), true);
});
