/**
 * @module
 * Conformance under load: concurrent writers doing random creates, updates and deletes while several
 * watchers (whole prefix, one namespace, one started late, one stopped and resumed) record what they
 * see. The recordings must pass etcd's watch validators — ordered, unique, atomic, bookmarkable,
 * reliable, resumable, consistent across watchers — and every acknowledged write must appear in them.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isStorageError } from '../errors.js';
import { type Store, type Watch, eventKey } from '../interface.js';
import { type StoreFactory, delay, withStore } from './conformance-support.js';
import { seededRandom } from './random.js';
import { type WatchRecording, changes, readUntil, untilChanges } from './watch-reader.js';
import { type AcknowledgedWrite, type WatcherRecord, validateWatchers } from './watch-validators.js';

const NAMESPACES = 4;
const KEYS_PER_NAMESPACE = 10;
const WRITERS = 8;
const OPS_PER_WRITER = 60;

export function registerLoadTests(makeStore: StoreFactory): void {
  it('watchers of concurrent writers pass the watch validators and see every acknowledged write', () =>
    withStore(makeStore, async (store) => {
      const start = await store.currentRevision();
      const acknowledged: AcknowledgedWrite[] = [];
      const records: WatcherRecord[] = [];
      const allWritten = (async () => {
        await Promise.all(Array.from({ length: WRITERS }, (_, w) => runWriter(store, w, acknowledged)));
        for (const key of SENTINELS) {
          const kv = await store.create(key, 'end');
          acknowledged.push({ type: 'ADDED', key, revision: kv.modRevision, value: kv.value });
        }
      })();

      const follow = async (name: string, prefix: string, from: number, watch: Watch): Promise<void> => {
        const recording = await readUntil(watch, untilSentinels(prefix), { timeoutMs: 60_000, what: name });
        watch.close();
        if (recording.error !== undefined) throw recording.error;
        records.push({ name, prefix, from, batches: recording.batches });
      };

      const everything = follow('all', '/registry/load/', start, store.watch('/registry/load', start, { progressNotify: true }));
      const ns0 = follow('ns0', '/registry/load/ns0/', start, store.watch('/registry/load/ns0', start));
      const late = (async () => {
        // Start from a revision in the middle of the run, whether or not the writers are done by then.
        while (acknowledged.length < (WRITERS * OPS_PER_WRITER) / 8) await delay(5);
        const from = Math.max(...acknowledged.slice(0, (WRITERS * OPS_PER_WRITER) / 8).map((w) => w.revision));
        await follow('ns1, started late', '/registry/load/ns1/', from, store.watch('/registry/load/ns1', from));
      })();
      const resumed = (async () => {
        const first = store.watch('/registry/load', start);
        const part = await readUntil(first, untilChanges(40), { timeoutMs: 60_000, what: 'resumable, first part' });
        first.close();
        const through = changes(part.events).at(-1)?.revision ?? start;
        records.push({ name: 'resumable, first part', prefix: '/registry/load/', from: start, batches: part.batches, through });
        await follow('resumable, second part', '/registry/load/', through, store.watch('/registry/load', through));
      })();

      await Promise.all([allWritten, everything, ns0, late, resumed]);
      const finalRevision = Math.max(...acknowledged.map((w) => w.revision));
      const violations = validateWatchers(records, finalRevision, acknowledged);
      assert.deepEqual(violations, [], violations.slice(0, 20).join('\n'));
      assert.ok(acknowledged.length > WRITERS * 10, `enough writes were acknowledged (${acknowledged.length})`);
    }));
}

/** Written last, one per namespace: a watcher is done when it has seen those under its prefix. */
const SENTINELS = Array.from({ length: NAMESPACES }, (_, ns) => `/registry/load/ns${ns}/zz-sentinel`);

function untilSentinels(prefix: string): (recording: WatchRecording) => boolean {
  const wanted = SENTINELS.filter((key) => key.startsWith(prefix));
  return (recording) => {
    const seen = new Set(changes(recording.events).map(eventKey));
    return wanted.every((key) => seen.has(key));
  };
}

/** One writer: random creates, conditional and blind updates, and deletes over a shared key space. */
async function runWriter(store: Store, writer: number, acknowledged: AcknowledgedWrite[]): Promise<void> {
  const random = seededRandom(writer + 1);
  for (let i = 0; i < OPS_PER_WRITER; i++) {
    const key = `/registry/load/ns${Math.floor(random() * NAMESPACES)}/k${Math.floor(random() * KEYS_PER_NAMESPACE)}`;
    const value = `w${writer}-op${i}`;
    const roll = random();
    try {
      if (roll < 0.4) {
        const kv = await store.create(key, value);
        acknowledged.push({ type: 'ADDED', key, revision: kv.modRevision, value });
      } else if (roll < 0.8) {
        const current = await store.get(key);
        const expected = roll < 0.6 && current !== undefined ? { expectedRevision: current.modRevision } : {};
        const kv = await store.update(key, value, expected);
        acknowledged.push({ type: 'MODIFIED', key, revision: kv.modRevision, value });
      } else {
        const result = await store.delete(key);
        acknowledged.push({ type: 'DELETED', key, revision: result.revision });
      }
    } catch (error) {
      if (!isStorageError(error) || !['KeyExists', 'KeyNotFound', 'Conflict'].includes(error.code)) throw error;
    }
  }
}
