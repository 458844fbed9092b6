/**
 * @module
 * Conformance: watch — events after a revision with previous values, prefixes, future and compacted
 * starts, bookmarks that never run ahead of events, and slow consumers cut off without harm to others.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ChangeEvent } from '../interface.js';
import { type StoreFactory, delay, withStore } from './conformance-support.js';
import { changes, describe, readUntil, untilChanges, untilRevision } from './watch-reader.js';
import { validateStream } from './watch-validators.js';

export function registerWatchTests(makeStore: StoreFactory): void {
  it('delivers every change after the start revision, in order, with previous values', () =>
    withStore(makeStore, async (store) => {
      const start = (await store.create('/registry/pods/default/before', 'old')).modRevision;
      const watch = store.watch('/registry/pods/default', start);
      const a = await store.create('/registry/pods/default/a', 'a1');
      const a2 = await store.update('/registry/pods/default/a', 'a2');
      const gone = await store.delete('/registry/pods/default/a');
      const recording = await readUntil(watch, untilChanges(3));
      watch.close();
      const events = changes(recording.events);
      assert.deepEqual(events, [
        { type: 'ADDED', revision: a.modRevision, kv: a },
        { type: 'MODIFIED', revision: a2.modRevision, kv: a2, prev: a },
        { type: 'DELETED', revision: gone.revision, key: '/registry/pods/default/a', prev: a2 },
      ] satisfies ChangeEvent[]);
    }));

  it('replays history from a past revision, then continues live without a gap', () =>
    withStore(makeStore, async (store) => {
      const start = await store.currentRevision();
      const written: number[] = [];
      for (let i = 0; i < 25; i++) written.push((await store.create(`/registry/cm/ns/k${i}`, `v${i}`)).modRevision);
      const watch = store.watch('/registry/cm/ns', start);
      const first = await readUntil(watch, untilChanges(25));
      for (let i = 25; i < 30; i++) written.push((await store.create(`/registry/cm/ns/k${i}`, `v${i}`)).modRevision);
      const all = await readUntil(watch, untilChanges(30), { recording: first });
      watch.close();
      assert.deepEqual(
        changes(all.events).map((e) => e.revision),
        written,
      );
      assert.deepEqual(validateStream({ name: 'w', from: start, prefix: '/registry/cm/ns/', batches: all.batches }), []);
    }));

  it('a watch sees only its directory: ns1 never sees ns10', () =>
    withStore(makeStore, async (store) => {
      const start = await store.currentRevision();
      const watch = store.watch('/registry/pods/ns1', start);
      await store.create('/registry/pods/ns10/a', 'x');
      await store.create('/registry/pods/ns1x', 'x');
      const mine = await store.create('/registry/pods/ns1/a', 'x');
      const recording = await readUntil(watch, untilRevision(mine.modRevision));
      watch.close();
      assert.deepEqual(changes(recording.events).map(describe), [`ADDED /registry/pods/ns1/a@${mine.modRevision}`]);
    }));

  it('a watch from a future revision delivers only changes after it', () =>
    withStore(makeStore, async (store) => {
      const now = await store.currentRevision();
      const watch = store.watch('/registry/cm/ns', now + 2);
      const written = [];
      for (let i = 0; i < 4; i++) written.push(await store.create(`/registry/cm/ns/k${i}`, 'v'));
      const last = written[written.length - 1]!;
      const recording = await readUntil(watch, untilRevision(last.modRevision));
      watch.close();
      assert.ok(
        changes(recording.events).every((e) => e.revision > now + 2),
        `events ${changes(recording.events).map(describe).join(', ')} are all after ${now + 2}`,
      );
      assert.ok(changes(recording.events).length >= 1);
    }));

  it('a watch from a compacted revision fails with Compacted', () =>
    withStore(makeStore, async (store) => {
      const first = await store.create('/registry/cm/ns/a', 'v1');
      await store.update('/registry/cm/ns/a', 'v2');
      await store.update('/registry/cm/ns/a', 'v3');
      await store.compact(await store.currentRevision());
      const watch = store.watch('/registry/cm/ns', first.modRevision);
      const recording = await readUntil(watch, () => false);
      assert.equal((recording.error as { code?: string } | undefined)?.code, 'Compacted', String(recording.error));
    }));

  it('ends when its signal aborts or it is closed', () =>
    withStore(makeStore, async (store) => {
      const controller = new AbortController();
      const watch = store.watch('/registry/cm/ns', await store.currentRevision(), { signal: controller.signal });
      const reading = readUntil(watch, () => false);
      await delay(20);
      controller.abort();
      const recording = await reading;
      assert.equal(recording.ended, true);
      const closed = store.watch('/registry/cm/ns', await store.currentRevision());
      closed.close();
      assert.equal((await readUntil(closed, () => false)).ended, true);
    }));

  it('open watches end when the store closes, and a watch on a closed store fails with Unavailable', async () => {
    const store = await makeStore();
    const watch = store.watch('/registry/cm/ns', await store.currentRevision());
    const reading = readUntil(watch, () => false);
    await delay(20);
    await store.close();
    assert.equal((await reading).ended, true);
    const late = await readUntil(store.watch('/registry/cm/ns', 0), () => false);
    assert.equal((late.error as { code?: string } | undefined)?.code, 'Unavailable', String(late.error));
  });

  it('bookmarks arrive when asked for and never run ahead of delivered events', () =>
    withStore(makeStore, async (store) => {
      const start = await store.currentRevision();
      const watch = store.watch('/registry/cm/ns', start, { progressNotify: true });
      let last = 0;
      for (let i = 0; i < 5; i++) last = (await store.create(`/registry/cm/ns/k${i}`, 'v')).modRevision;
      await store.create('/registry/other/ns/x', 'elsewhere');
      const target = await store.currentRevision();
      watch.requestProgress();
      const recording = await readUntil(
        watch,
        (r) => r.events.some((e) => e.type === 'BOOKMARK' && e.revision >= target),
        { timeoutMs: 15_000, what: `a bookmark at ${target} or later` },
      );
      watch.close();
      const bookmarkAt = recording.events.findIndex((e) => e.type === 'BOOKMARK' && e.revision >= last);
      const before = changes(recording.events.slice(0, bookmarkAt));
      assert.equal(before.length, 5, 'all five changes precede the first bookmark at or after them');
      assert.deepEqual(validateStream({ name: 'w', from: start, prefix: '/registry/cm/ns/', batches: recording.batches }), []);
    }));

  it('a consumer that stops reading is cut off with Overflow, others are unaffected, and it can resume', () =>
    withStore(makeStore, async (store) => {
      const start = await store.currentRevision();
      const slow = store.watch('/registry/cm/ns', start, { maxQueuedEvents: 10 });
      const fast = store.watch('/registry/cm/ns', start);
      const slowFirst = await Promise.all([
        readUntil(slow, untilChanges(1)),
        store.create('/registry/cm/ns/first', 'v'),
      ]);
      const written = [];
      for (let i = 0; i < 60; i++) written.push(await store.create(`/registry/cm/ns/k${i}`, `v${i}`));
      const last = written[written.length - 1]!.modRevision;
      const fastRecording = await readUntil(fast, untilRevision(last));
      fast.close();
      assert.equal(changes(fastRecording.events).length, 61, 'the reading watcher got everything');
      await delay(300); // let the slow watcher's events arrive (etcd delivers each watch on its own stream)
      const slowRecording = await readUntil(slow, untilRevision(last), { recording: slowFirst[0] });
      assert.equal((slowRecording.error as { code?: string } | undefined)?.code, 'Overflow', String(slowRecording.error));
      const resumeFrom = changes(slowRecording.events).at(-1)?.revision ?? start;
      const resumed = store.watch('/registry/cm/ns', resumeFrom);
      const rest = await readUntil(resumed, untilRevision(last));
      resumed.close();
      const delivered = [...changes(slowRecording.events), ...changes(rest.events)].map((e) => e.revision);
      assert.deepEqual(delivered, changes(fastRecording.events).map((e) => e.revision), 'resuming loses nothing');
    }));
}
