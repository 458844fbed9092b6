import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { realClock } from '../../util/clock.js';
import { silentLogger } from '../../util/logger.js';
import { CONFIG_MAPS } from '../resources/configmaps.js';
import { WatchCache } from '../watch-cache/watch-cache.js';
import { builtInSchemas } from '../../api/schema/definitions/index.js';
import { type PatchType, applyPatch } from '../patch/index.js';
import { GenericStore } from './generic-store.js';
import { storageKey, storagePrefix } from './registry.js';
import type { RequestContext } from './resource-definition.js';

const WRITE: RequestContext = { subresource: undefined, dryRun: false, now: Date.parse('2026-11-25T12:00:00Z') };

function setUp(): { store: MemoryStore; cache: WatchCache; configMaps: GenericStore } {
  const store = new MemoryStore({ compaction: false });
  const cache = new WatchCache({ store, prefix: storagePrefix(CONFIG_MAPS), fieldsOf: () => ({}), clock: realClock, logger: silentLogger });
  const configMaps = new GenericStore({ definition: CONFIG_MAPS, store, cache, namespaceGate: async () => {}, lookup: () => undefined, now: () => WRITE.now });
  return { store, cache, configMaps };
}

const configMap = (data: JsonObject): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });

test('a consistent get is served from the watch cache only when it has seen every committed write', async () => {
  const { store, cache, configMaps } = setUp();
  try {
    await configMaps.create('default', configMap({ a: '1' }), WRITE);
    // The cache has not started: it is behind storage, so the read goes to storage.
    assert.equal(cache.revision, 0);
    assert.deepEqual((await configMaps.getConsistent('default', 'c')).object.data, { a: '1' });

    await cache.start();
    await cache.consistentRevision();
    const served = await configMaps.getConsistent('default', 'c');
    assert.equal(served, cache.get(storageKey(CONFIG_MAPS, 'default', 'c')), 'a current cache serves its own object');
    await assert.rejects(configMaps.getConsistent('default', 'missing'), { reason: 'NotFound' });
  } finally {
    await cache.close();
    await store.close();
  }
});

test("a write's event is cached from the object written, as parsing the stored text would cache it", async () => {
  const { store, cache, configMaps } = setUp();
  try {
    await cache.start();
    const created = await configMaps.create('default', configMap({ a: '1' }), WRITE);
    await cache.consistentRevision();
    const key = storageKey(CONFIG_MAPS, 'default', 'c');
    const afterCreate = cache.get(key);
    assert.ok(afterCreate !== undefined);
    assert.equal(JSON.stringify(afterCreate.object), afterCreate.json, 'the object is what the served JSON says, in its order');
    assert.equal(afterCreate.json, created.json, 'the served JSON is the write answer');
    // The writer's result is its own at the top and in metadata: changing them leaves the cache alone.
    metadataOf(created.object).resourceVersion = 'changed';
    assert.equal(metadataOf(afterCreate.object).resourceVersion, String(afterCreate.revision));

    const updated = await configMaps.update('default', 'c', { ...configMap({ a: '2' }), metadata: { name: 'c', resourceVersion: String(afterCreate.revision) } }, WRITE);
    await cache.consistentRevision();
    const afterUpdate = cache.get(key);
    assert.ok(afterUpdate !== undefined);
    assert.equal(JSON.stringify(afterUpdate.object), afterUpdate.json);
    assert.equal(afterUpdate.json, updated.json);
    assert.deepEqual(afterUpdate.object.data, { a: '2' });
  } finally {
    await cache.close();
    await store.close();
  }
});

function metadataOf(object: JsonObject): JsonObject {
  const { metadata } = object;
  assert.ok(typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata));
  return metadata;
}

const PATCHES: readonly { readonly type: PatchType; readonly body: JsonValue }[] = [
  { type: 'merge', body: { data: { a: '2', b: '3' } } },
  {
    type: 'json',
    body: [
      { op: 'test', path: '/data/a', value: '1' },
      { op: 'copy', from: '/data/a', path: '/data/b' },
      { op: 'move', from: '/data/a', path: '/data/c' },
      { op: 'add', path: '/data/a', value: '2' },
    ],
  },
  { type: 'strategic', body: { data: { a: '2', b: '3' }, metadata: { $retainKeys: ['name', 'namespace'] } } },
];

for (const { type, body } of PATCHES) {
  test(`a ${type} patch applied to the cached object itself (copies) leaves that object as it was`, async () => {
    const { store, cache, configMaps } = setUp();
    try {
      await cache.start();
      await configMaps.create('default', { ...configMap({ a: '1' }), metadata: { name: 'c', labels: { keep: 'me' } } }, WRITE);
      await cache.consistentRevision();
      const before = cache.get(storageKey(CONFIG_MAPS, 'default', 'c'));
      assert.ok(before !== undefined);
      const json = before.json;
      const schema = { schema: { type: 'ref', ref: CONFIG_MAPS.schema } as const, schemas: builtInSchemas() };
      const patched = await configMaps.patch('default', 'c', WRITE, (current) => applyPatch(type, current, body, schema), { copies: true });
      assert.notDeepEqual(patched.object.data, { a: '1' });
      assert.equal(JSON.stringify(before.object), json, 'the old version in the cache is unchanged');
      assert.deepEqual(before.object.data, { a: '1' });
    } finally {
      await cache.close();
      await store.close();
    }
  });
}
