/**
 * @module
 * Conformance: single-key reads and writes — create, get, update and delete with their guards, the
 * revision rules, no-op updates, size and key limits, TTLs and guaranteed update.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_VALUE_BYTES } from '../errors.js';
import { guaranteedUpdate } from '../guaranteed-update.js';
import { type StoreFactory, eventually, rejectsWith, withStore } from './conformance-support.js';
import { changes, readUntil, untilChanges } from './watch-reader.js';

export function registerCrudTests(makeStore: StoreFactory): void {
  it('create stores the value at a new revision that get returns', () =>
    withStore(makeStore, async (store) => {
      const before = await store.currentRevision();
      const created = await store.create('/registry/pods/default/a', 'v1');
      assert.ok(created.modRevision > before, 'the create revision is above the previous current revision');
      assert.equal(created.createRevision, created.modRevision);
      assert.deepEqual(await store.get('/registry/pods/default/a'), created);
      assert.ok((await store.currentRevision()) >= created.modRevision);
    }));

  it('get of a missing key is undefined', () =>
    withStore(makeStore, async (store) => {
      assert.equal(await store.get('/registry/pods/default/missing'), undefined);
    }));

  it('create of an existing key fails with KeyExists and changes nothing', () =>
    withStore(makeStore, async (store) => {
      const created = await store.create('/registry/pods/default/a', 'v1');
      await rejectsWith(store.create('/registry/pods/default/a', 'v2'), 'KeyExists');
      assert.deepEqual(await store.get('/registry/pods/default/a'), created);
    }));

  it('update with the current revision stores a new version and keeps createRevision', () =>
    withStore(makeStore, async (store) => {
      const created = await store.create('/registry/pods/default/a', 'v1');
      const updated = await store.update('/registry/pods/default/a', 'v2', { expectedRevision: created.modRevision });
      assert.ok(updated.modRevision > created.modRevision);
      assert.equal(updated.createRevision, created.createRevision);
      assert.equal(updated.value, 'v2');
      assert.deepEqual(await store.get('/registry/pods/default/a'), updated);
    }));

  it('update with a stale revision fails with Conflict carrying the current value', () =>
    withStore(makeStore, async (store) => {
      const created = await store.create('/registry/pods/default/a', 'v1');
      const updated = await store.update('/registry/pods/default/a', 'v2');
      const error = await rejectsWith(
        store.update('/registry/pods/default/a', 'v3', { expectedRevision: created.modRevision }),
        'Conflict',
      );
      assert.deepEqual(error.current, updated);
      assert.equal((await store.get('/registry/pods/default/a'))?.value, 'v2');
    }));

  it('update of a missing key fails with KeyNotFound', () =>
    withStore(makeStore, async (store) => {
      await rejectsWith(store.update('/registry/pods/default/missing', 'v'), 'KeyNotFound');
      await rejectsWith(store.update('/registry/pods/default/missing', 'v', { expectedRevision: 1 }), 'KeyNotFound');
    }));

  it('an update that changes nothing keeps the revision and emits no event', () =>
    withStore(makeStore, async (store) => {
      const created = await store.create('/registry/pods/default/a', 'same');
      const watch = store.watch('/registry/pods/default', created.modRevision);
      const again = await store.update('/registry/pods/default/a', 'same', { expectedRevision: created.modRevision });
      assert.deepEqual(again, created);
      const sentinel = await store.create('/registry/pods/default/sentinel', 'x');
      const recording = await readUntil(watch, untilChanges(1));
      watch.close();
      assert.deepEqual(
        changes(recording.events).map((e) => e.revision),
        [sentinel.modRevision],
        'the first event after the no-op update is the sentinel',
      );
    }));

  it('delete removes the key and returns what was deleted at a new revision', () =>
    withStore(makeStore, async (store) => {
      const created = await store.create('/registry/pods/default/a', 'v1');
      const deleted = await store.delete('/registry/pods/default/a', { expectedRevision: created.modRevision });
      assert.deepEqual(deleted.prev, created);
      assert.ok(deleted.revision > created.modRevision);
      assert.equal(await store.get('/registry/pods/default/a'), undefined);
      await rejectsWith(store.delete('/registry/pods/default/a'), 'KeyNotFound');
    }));

  it('delete with a stale revision fails with Conflict and keeps the key', () =>
    withStore(makeStore, async (store) => {
      const created = await store.create('/registry/pods/default/a', 'v1');
      const updated = await store.update('/registry/pods/default/a', 'v2');
      const error = await rejectsWith(
        store.delete('/registry/pods/default/a', { expectedRevision: created.modRevision }),
        'Conflict',
      );
      assert.deepEqual(error.current, updated);
      assert.deepEqual(await store.get('/registry/pods/default/a'), updated);
    }));

  it('revisions strictly increase across keys and are never reused after delete and re-create', () =>
    withStore(makeStore, async (store) => {
      const seen: number[] = [];
      const a = await store.create('/registry/pods/default/a', '1');
      seen.push(a.modRevision);
      seen.push((await store.create('/registry/pods/default/b', '1')).modRevision);
      seen.push((await store.update('/registry/pods/default/a', '2')).modRevision);
      seen.push((await store.delete('/registry/pods/default/a')).revision);
      const again = await store.create('/registry/pods/default/a', '3');
      seen.push(again.modRevision);
      for (let i = 1; i < seen.length; i++) assert.ok((seen[i] ?? 0) > (seen[i - 1] ?? 0), `revisions ${seen.join(', ')}`);
      assert.ok(again.createRevision > a.createRevision, 'a re-created key has a new createRevision');
    }));

  it('get at a past revision returns the value as it was then', () =>
    withStore(makeStore, async (store) => {
      const before = await store.currentRevision();
      const v1 = await store.create('/registry/pods/default/a', 'v1');
      const v2 = await store.update('/registry/pods/default/a', 'v2');
      const gone = await store.delete('/registry/pods/default/a');
      await store.create('/registry/pods/default/other', 'x');
      if (before > 0) assert.equal(await store.get('/registry/pods/default/a', { revision: before }), undefined);
      assert.deepEqual(await store.get('/registry/pods/default/a', { revision: v1.modRevision }), v1);
      assert.deepEqual(await store.get('/registry/pods/default/a', { revision: v2.modRevision }), v2);
      assert.deepEqual(await store.get('/registry/pods/default/a', { revision: gone.revision - 1 }), v2);
      assert.equal(await store.get('/registry/pods/default/a', { revision: gone.revision }), undefined);
    }));

  it('get at a future revision fails with FutureRevision', () =>
    withStore(makeStore, async (store) => {
      await store.create('/registry/pods/default/a', 'v1');
      const current = await store.currentRevision();
      await rejectsWith(store.get('/registry/pods/default/a', { revision: current + 1000 }), 'FutureRevision');
    }));

  it('values up to 1.5 MiB are stored intact and larger ones fail with TooLarge', () =>
    withStore(makeStore, async (store) => {
      const big = 'é'.repeat(512 * 1024); // 1 MiB of UTF-8 in 512 Ki characters
      const created = await store.create('/registry/configmaps/default/big', 'small at first');
      const grown = await store.update('/registry/configmaps/default/big', big, { expectedRevision: created.modRevision });
      assert.equal((await store.get('/registry/configmaps/default/big'))?.value, big);
      assert.deepEqual(await store.update('/registry/configmaps/default/big', big), grown, 'the same large value is a no-op');
      await rejectsWith(store.update('/registry/configmaps/default/big', `${big}!`, { expectedRevision: created.modRevision }), 'Conflict');
      await rejectsWith(store.create('/registry/configmaps/default/huge', 'x'.repeat(MAX_VALUE_BYTES + 1)), 'TooLarge');
      await rejectsWith(store.update('/registry/configmaps/default/big', 'x'.repeat(MAX_VALUE_BYTES + 1)), 'TooLarge');
      assert.equal(await store.get('/registry/configmaps/default/huge'), undefined);
      assert.equal((await store.get('/registry/configmaps/default/big'))?.value, big);
    }));

  it('malformed keys fail with InvalidArgument', () =>
    withStore(makeStore, async (store) => {
      for (const key of ['', 'registry/pods/a', '/registry/pods/', '/', '/registry/a\0b', `/registry/${'\ud800'}`]) {
        await rejectsWith(store.create(key, 'v'), 'InvalidArgument');
        await rejectsWith(store.get(key), 'InvalidArgument');
      }
    }));

  it('a key with a TTL is deleted when it expires, with its own revision and event', () =>
    withStore(makeStore, async (store) => {
      const created = await store.create('/registry/events/default/e1', 'event', { ttlSeconds: 1 });
      const kept = await store.create('/registry/events/default/e2', 'event', { ttlSeconds: 1 });
      await store.update('/registry/events/default/e2', 'event, made permanent');
      const watch = store.watch('/registry/events/default', created.modRevision);
      const recording = await readUntil(watch, (r) => changes(r.events).some((e) => e.type === 'DELETED'), {
        timeoutMs: 20_000,
      });
      watch.close();
      const deleted = changes(recording.events).find((e) => e.type === 'DELETED');
      assert.ok(deleted !== undefined && deleted.type === 'DELETED');
      assert.equal(deleted.key, '/registry/events/default/e1');
      assert.ok(deleted.revision > kept.modRevision);
      assert.equal(await store.get('/registry/events/default/e1'), undefined);
      assert.equal((await store.get('/registry/events/default/e2'))?.value, 'event, made permanent');
    }));

  it('guaranteedUpdate applies every concurrent read-modify-write exactly once', () =>
    withStore(makeStore, async (store) => {
      await store.create('/registry/counters/default/c', '0');
      const workers = 8;
      const increments = 10;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          for (let i = 0; i < increments; i++) {
            await guaranteedUpdate(store, '/registry/counters/default/c', (current) => String(Number(current?.value) + 1));
          }
        }),
      );
      assert.equal((await store.get('/registry/counters/default/c'))?.value, String(workers * increments));
    }));

  it('guaranteedUpdate creates a missing key only with ignoreNotFound', () =>
    withStore(makeStore, async (store) => {
      await rejectsWith(guaranteedUpdate(store, '/registry/counters/default/n', () => '1'), 'KeyNotFound');
      const created = await guaranteedUpdate(store, '/registry/counters/default/n', (c) => (c === undefined ? '1' : 'x'), {
        ignoreNotFound: true,
      });
      assert.equal(created?.value, '1');
      const unchanged = await guaranteedUpdate(store, '/registry/counters/default/n', () => undefined);
      assert.deepEqual(unchanged, created);
    }));

  it('writes after close fail with Unavailable', async () => {
    const store = await makeStore();
    await store.close();
    await rejectsWith(store.create('/registry/pods/default/late', 'v'), 'Unavailable');
  });

  it('concurrent creates of one key: exactly one succeeds', () =>
    withStore(makeStore, async (store) => {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => store.create('/registry/pods/default/race', `v${i}`)),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      await eventually(async () => (await store.get('/registry/pods/default/race')) !== undefined, 'the winner');
    }));
}
