import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { DeletedFinalStateUnknown } from './keys.js';
import { DeltaFIFO, type Delta, type DeltaType } from './delta-fifo.js';
import { Indexer } from './thread-safe-store.js';

interface Obj extends KubeObject {
  value?: number;
}

function obj(name: string, value = 0, namespace = 'ns'): Obj {
  return { metadata: { namespace, name }, value };
}

interface PopRecord {
  key: string;
  deltas: readonly Delta<Obj>[];
  isInInitialList: boolean;
}

/** Pops one key and records what process saw. */
async function popRecord(fifo: DeltaFIFO<Obj>): Promise<PopRecord | undefined> {
  let record: PopRecord | undefined;
  const popped = await fifo.pop((key, deltas, isInInitialList) => {
    record = { key, deltas, isInInitialList };
  });
  if (popped !== undefined) assert.equal(popped.key, record?.key);
  return record;
}

const types = (deltas: readonly Delta<Obj>[]): DeltaType[] => deltas.map((d) => d.type);
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('an added object pops as one Added delta under its key', async () => {
  const fifo = new DeltaFIFO<Obj>();
  const a = obj('a');
  fifo.add(a);
  const popped = await popRecord(fifo);
  assert.equal(popped?.key, 'ns/a');
  assert.deepEqual(popped?.deltas, [{ type: 'Added', object: a }]);
  assert.equal(fifo.length, 0);
});

test('keys pop in order of first arrival, each with all its deltas oldest first', async () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.add(obj('a', 1));
  fifo.add(obj('b', 1));
  fifo.update(obj('a', 2));
  fifo.add(obj('c', 1));
  fifo.update(obj('b', 2));
  fifo.update(obj('a', 3));
  assert.deepEqual(fifo.listKeys(), ['ns/a', 'ns/b', 'ns/c']);
  assert.equal(fifo.length, 3);
  const first = await popRecord(fifo);
  assert.equal(first?.key, 'ns/a');
  assert.deepEqual(types(first?.deltas ?? []), ['Added', 'Updated', 'Updated']);
  assert.deepEqual(
    first?.deltas.map((d) => (d.object instanceof DeletedFinalStateUnknown ? -1 : d.object.value)),
    [1, 2, 3],
  );
  assert.equal((await popRecord(fifo))?.key, 'ns/b');
  fifo.add(obj('a', 4));
  assert.equal((await popRecord(fifo))?.key, 'ns/c');
  assert.equal((await popRecord(fifo))?.key, 'ns/a', 'a popped key that returns goes to the back');
});

test('two consecutive Deleted deltas collapse into one', async () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.add(obj('a'));
  const gone = obj('a', 9);
  fifo.delete(gone);
  fifo.delete(obj('a', 10));
  const popped = await popRecord(fifo);
  assert.deepEqual(types(popped?.deltas ?? []), ['Added', 'Deleted']);
  assert.equal(popped?.deltas[1]?.object, gone, 'the older real deletion is kept');
});

test('a real deletion replaces a queued tombstone, and a later tombstone does not replace it', async () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.add(obj('a'));
  const tombstone = new DeletedFinalStateUnknown<Obj>('ns/a', obj('a', 1));
  fifo.delete(tombstone);
  const real = obj('a', 2);
  fifo.delete(real);
  fifo.delete(new DeletedFinalStateUnknown<Obj>('ns/a', obj('a', 3)));
  const popped = await popRecord(fifo);
  assert.deepEqual(types(popped?.deltas ?? []), ['Added', 'Deleted']);
  assert.equal(popped?.deltas[1]?.object, real);
});

test('deleting a key that is neither queued nor known is dropped as already reported', () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.delete(obj('ghost'));
  assert.equal(fifo.length, 0);

  const known = new Indexer<Obj>();
  known.add(obj('k'));
  const withKnown = new DeltaFIFO<Obj>({ knownObjects: known });
  withKnown.delete(obj('ghost'));
  withKnown.delete(obj('k'));
  assert.deepEqual(withKnown.listKeys(), ['ns/k']);
});

test('replace emits Replaced for each listed object by default, and Sync when Replaced is off', async () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.replace([obj('a'), obj('b')], '1');
  assert.deepEqual(types((await popRecord(fifo))?.deltas ?? []), ['Replaced']);
  assert.deepEqual(types((await popRecord(fifo))?.deltas ?? []), ['Replaced']);

  const legacy = new DeltaFIFO<Obj>({ emitDeltaTypeReplaced: false });
  legacy.replace([obj('a')], '1');
  assert.deepEqual(types((await popRecord(legacy))?.deltas ?? []), ['Sync']);
});

test('replace emits a DeletedFinalStateUnknown tombstone for an object missing from the new list', async () => {
  const known = new Indexer<Obj>();
  const stale = obj('gone', 7);
  known.add(stale);
  known.add(obj('kept', 1));
  const fifo = new DeltaFIFO<Obj>({ knownObjects: known });
  fifo.replace([obj('kept', 2)], '5');
  assert.deepEqual(fifo.listKeys(), ['ns/kept', 'ns/gone']);
  await popRecord(fifo);
  const popped = await popRecord(fifo);
  assert.equal(popped?.key, 'ns/gone');
  const delta = popped?.deltas[0];
  assert.equal(delta?.type, 'Deleted');
  assert.ok(delta?.object instanceof DeletedFinalStateUnknown);
  assert.equal(delta.object.key, 'ns/gone');
  assert.equal(delta.object.obj, stale);
});

test('replace without knownObjects tombstones queued keys missing from the list with their newest object', async () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.add(obj('a', 1));
  const newest = obj('a', 2);
  fifo.update(newest);
  fifo.add(obj('b'));
  fifo.replace([obj('b')], '3');
  const popped = await popRecord(fifo);
  assert.deepEqual(types(popped?.deltas ?? []), ['Added', 'Updated', 'Deleted']);
  const tombstone = popped?.deltas[2]?.object;
  assert.ok(tombstone instanceof DeletedFinalStateUnknown);
  assert.equal(tombstone.obj, newest);
  assert.deepEqual(types((await popRecord(fifo))?.deltas ?? []), ['Added', 'Replaced']);
});

test('replace also tombstones queued keys missing from the list when knownObjects is set', async () => {
  const fifo = new DeltaFIFO<Obj>({ knownObjects: new Indexer<Obj>() });
  fifo.add(obj('queued'));
  fifo.replace([], '1');
  const popped = await popRecord(fifo);
  assert.deepEqual(types(popped?.deltas ?? []), ['Added', 'Deleted']);
});

test('replace adds nothing to a key whose newest delta is already a Deleted', async () => {
  const known = new Indexer<Obj>();
  known.add(obj('a'));
  const fifo = new DeltaFIFO<Obj>({ knownObjects: known });
  const real = obj('a', 3);
  fifo.delete(real);
  fifo.replace([], '2');
  const popped = await popRecord(fifo);
  assert.deepEqual(popped?.deltas, [{ type: 'Deleted', object: real }]);
  assert.equal(fifo.length, 0);

  const queuedTombstone = new DeletedFinalStateUnknown<Obj>('ns/a', obj('a', 4));
  fifo.delete(queuedTombstone);
  fifo.replace([], '3');
  const again = await popRecord(fifo);
  assert.equal(again?.deltas.length, 1);
  assert.equal(again?.deltas[0]?.object, queuedTombstone, 'the queued tombstone is not replaced by a new one');
});

test('resync queues a Sync for each known object with nothing queued', async () => {
  const known = new Indexer<Obj>();
  const a = obj('a');
  known.add(a);
  known.add(obj('b'));
  const fifo = new DeltaFIFO<Obj>({ knownObjects: known });
  fifo.update(obj('b', 5));
  fifo.resync();
  assert.deepEqual(fifo.listKeys(), ['ns/b', 'ns/a']);
  assert.deepEqual(types((await popRecord(fifo))?.deltas ?? []), ['Updated']);
  assert.deepEqual((await popRecord(fifo))?.deltas, [{ type: 'Sync', object: a }]);
  new DeltaFIFO<Obj>().resync();
});

test('a pop waits for an item and resolves when one is added', async () => {
  const fifo = new DeltaFIFO<Obj>();
  let done = false;
  const pending = popRecord(fifo).then((r) => {
    done = true;
    return r;
  });
  await tick();
  assert.equal(done, false);
  fifo.add(obj('late'));
  assert.equal((await pending)?.key, 'ns/late');
});

test('close releases a waiting pop with undefined, and queued items still pop after close', async () => {
  const fifo = new DeltaFIFO<Obj>();
  const waiting = fifo.pop(() => undefined);
  await tick();
  fifo.close();
  assert.equal(await waiting, undefined);
  assert.equal(fifo.isClosed, true);

  const draining = new DeltaFIFO<Obj>();
  draining.add(obj('a'));
  draining.close();
  assert.equal((await popRecord(draining))?.key, 'ns/a');
  assert.equal(await draining.pop(() => assert.fail('nothing to process')), undefined);
});

test('hasSynced turns true once every item of the first replace has been popped', async () => {
  const fifo = new DeltaFIFO<Obj>();
  assert.equal(fifo.hasSynced(), false);
  fifo.replace([obj('a'), obj('b')], '1');
  assert.equal(fifo.hasSynced(), false);
  fifo.add(obj('c'));
  assert.equal((await popRecord(fifo))?.isInInitialList, true);
  assert.equal(fifo.hasSynced(), false);
  assert.equal((await popRecord(fifo))?.isInInitialList, true);
  assert.equal(fifo.hasSynced(), true);
  assert.equal((await popRecord(fifo))?.isInInitialList, false);
  fifo.replace([], '2');
  assert.equal(fifo.hasSynced(), true, 'only the first replace counts');
});

test('hasSynced counts the tombstones of the first replace as part of it', async () => {
  const known = new Indexer<Obj>();
  known.add(obj('gone'));
  const fifo = new DeltaFIFO<Obj>({ knownObjects: known });
  fifo.replace([obj('a')], '1');
  await popRecord(fifo);
  assert.equal(fifo.hasSynced(), false);
  await popRecord(fifo);
  assert.equal(fifo.hasSynced(), true);
});

test('an add before any replace makes the FIFO synced at once', () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.add(obj('a'));
  assert.equal(fifo.hasSynced(), true);
});

test('transform runs on each queued object but not on tombstones or resynced known objects', async () => {
  const seen: string[] = [];
  const known = new Indexer<Obj>();
  known.add(obj('known'));
  const fifo = new DeltaFIFO<Obj>({
    knownObjects: known,
    transform: (o) => {
      seen.push(o.metadata?.name ?? '');
      return { ...o, value: 100 };
    },
  });
  fifo.add(obj('a'));
  fifo.replace([obj('a'), obj('b')], '1');
  fifo.delete(obj('b'));
  fifo.resync();
  assert.deepEqual(seen, ['a', 'a', 'b', 'b']);
  const a = await popRecord(fifo);
  assert.deepEqual(
    a?.deltas.map((d) => (d.object instanceof DeletedFinalStateUnknown ? 'tombstone' : d.object.value)),
    [100, 100],
  );
  await popRecord(fifo);
  const k = await popRecord(fifo);
  assert.equal(k?.key, 'ns/known');
  const tombstone = k?.deltas[0]?.object;
  assert.ok(tombstone instanceof DeletedFinalStateUnknown);
  assert.equal(tombstone.obj.value, 0, 'the tombstone carries the known object untransformed');
});

test('an error thrown by process rejects the pop and the item is not requeued', async () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.add(obj('a'));
  fifo.add(obj('b'));
  await assert.rejects(
    fifo.pop(() => {
      throw new Error('handler failed');
    }),
    /handler failed/,
  );
  assert.deepEqual(fifo.listKeys(), ['ns/b']);
  assert.equal((await popRecord(fifo))?.key, 'ns/b');
});

test('concurrent pops run one at a time: the next starts after the previous process settles', async () => {
  const fifo = new DeltaFIFO<Obj>();
  fifo.add(obj('a'));
  fifo.add(obj('b'));
  const log: string[] = [];
  const slow = async (key: string): Promise<void> => {
    log.push(`start ${key}`);
    await tick();
    log.push(`end ${key}`);
  };
  await Promise.all([fifo.pop(slow), fifo.pop(slow)]);
  assert.deepEqual(log, ['start ns/a', 'end ns/a', 'start ns/b', 'end ns/b']);
});

test('100,000 adds, a relist and pops take linear time', async () => {
  const n = 100_000;
  const known = new Indexer<Obj>();
  const fifo = new DeltaFIFO<Obj>({ knownObjects: known });
  const started = performance.now();
  const objects = Array.from({ length: n }, (_, i) => obj(`p${i}`, i));
  fifo.replace(objects, '1');
  for (let i = 0; i < n; i += 2) fifo.update(obj(`p${i}`, -i));
  let pops = 0;
  while (fifo.length > 0) {
    await fifo.pop((_key, deltas) => {
      const newest = deltas[deltas.length - 1]?.object;
      if (newest !== undefined && !(newest instanceof DeletedFinalStateUnknown)) known.update(newest);
    });
    pops++;
  }
  fifo.replace(objects.slice(n / 2), '2');
  assert.equal(fifo.length, n, 'half relisted, half tombstoned');
  const elapsed = performance.now() - started;
  assert.equal(pops, n);
  assert.ok(elapsed < 5_000, `took ${Math.round(elapsed)} ms`);
});
