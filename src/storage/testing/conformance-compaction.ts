/**
 * @module
 * Conformance: compaction — history at and below the compacted revision is gone (Compacted), the
 * latest version of every key is kept, and a watch opened exactly at the compacted revision still
 * sees every later change, deletes included (etcd-io/etcd#18089, #19179).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type StoreFactory, rejectsWith, withStore } from './conformance-support.js';
import { changes, describe, readUntil, untilRevision } from './watch-reader.js';

export function registerCompactionTests(makeStore: StoreFactory): void {
  it('reads below the compacted revision fail with Compacted and the latest versions remain', () =>
    withStore(makeStore, async (store) => {
      const old = await store.create('/registry/cm/ns/old', 'untouched since');
      const a1 = await store.create('/registry/cm/ns/a', 'a1');
      const a2 = await store.update('/registry/cm/ns/a', 'a2');
      await store.create('/registry/cm/ns/gone', 'x');
      await store.delete('/registry/cm/ns/gone');
      const at = await store.currentRevision();
      await store.compact(at);
      await rejectsWith(store.get('/registry/cm/ns/a', { revision: a1.modRevision }), 'Compacted');
      await rejectsWith(store.list('/registry/cm/ns', { revision: a1.modRevision }), 'Compacted');
      assert.deepEqual(await store.get('/registry/cm/ns/a', { revision: at }), a2);
      assert.deepEqual(await store.get('/registry/cm/ns/old'), old);
      assert.equal(await store.get('/registry/cm/ns/gone'), undefined);
      assert.deepEqual(
        (await store.list('/registry/cm/ns', { revision: at })).items.map((kv) => kv.key),
        ['/registry/cm/ns/a', '/registry/cm/ns/old'],
      );
      const a3 = await store.update('/registry/cm/ns/a', 'a3');
      assert.deepEqual(await store.get('/registry/cm/ns/a', { revision: at }), a2, 'the version at the compacted revision stays readable');
      assert.deepEqual(await store.get('/registry/cm/ns/a'), a3);
    }));

  it('compacting to a future revision fails with FutureRevision; compacting again to an older one does nothing', () =>
    withStore(makeStore, async (store) => {
      const a = await store.create('/registry/cm/ns/a', 'v');
      await store.update('/registry/cm/ns/a', 'v2');
      const current = await store.currentRevision();
      await rejectsWith(store.compact(current + 1000), 'FutureRevision');
      await store.compact(current);
      await store.compact(a.modRevision);
      assert.equal((await store.get('/registry/cm/ns/a'))?.value, 'v2');
    }));

  it('a watch opened at the compacted revision sees every later change, deletes included', () =>
    withStore(makeStore, async (store) => {
      await store.create('/registry/cm/ns/a', 'a');
      await store.create('/registry/cm/ns/b', 'b');
      await store.update('/registry/cm/ns/b', 'b2');
      const at = await store.currentRevision();
      await store.compact(at);
      const watch = store.watch('/registry/cm/ns', at);
      const deleted = await store.delete('/registry/cm/ns/a');
      const changed = await store.update('/registry/cm/ns/b', 'b3');
      const recording = await readUntil(watch, untilRevision(changed.modRevision));
      watch.close();
      assert.deepEqual(changes(recording.events).map(describe), [
        `DELETED /registry/cm/ns/a@${deleted.revision}`,
        `MODIFIED /registry/cm/ns/b@${changed.modRevision}`,
      ]);
      const events = changes(recording.events);
      assert.equal(events[0]?.type === 'DELETED' ? events[0].prev.value : undefined, 'a');
      assert.equal(events[1]?.type === 'MODIFIED' ? events[1].prev.value : undefined, 'b2');
    }));
}
