import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { realClock } from '../../util/clock.js';
import { silentLogger } from '../../util/logger.js';
import { CONFIG_MAPS } from '../resources/configmaps.js';
import { WatchCache } from '../watch-cache/watch-cache.js';
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
