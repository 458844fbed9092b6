/**
 * SharedIndexInformer semantics (client-go tools/cache/shared_informer.go) over a scripted
 * ListerWatcher on a fake clock: what each handler is told for the initial list, watch events and
 * relists (tombstones, unchanged objects), late handlers and their hasSynced, per-handler resync,
 * the transform, a throwing handler, removal, and the Lister over the cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/fake-clock.js';
import { type Logger, silentLogger } from '../../util/logger.js';
import type { DeepReadonly, KubeObject, ObjectList } from '../object.js';
import type { ListOptions, WatchOptions } from '../resource-client.js';
import type { WatchEvent } from '../rest/watch-stream.js';
import { DeletedFinalStateUnknown } from './keys.js';
import type { ListerWatcher, WatchSource } from './reflector.js';
import { type ResourceEventHandler, SharedIndexInformer, type SharedIndexInformerOptions } from './shared-informer.js';

type Obj = KubeObject;

function obj(name: string, resourceVersion: string, namespace = 'ns'): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name, resourceVersion } };
}

function list(resourceVersion: string, items: Obj[]): ObjectList<Obj> {
  return { apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion }, items };
}

/** The 410 a watch reports when its resourceVersion is too old: the reflector relists. */
function expiredEvent(): WatchEvent<Obj> {
  const status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' };
  return { type: 'ERROR', object: status };
}

/** A watch the test pushes events into; it ends only when closed. */
class FakeWatch implements WatchSource<Obj> {
  closed = false;
  private readonly events: WatchEvent<Obj>[] = [];
  private wake: (() => void) | undefined;

  push(...events: WatchEvent<Obj>[]): void {
    this.events.push(...events);
    this.signal();
  }

  close(): void {
    this.closed = true;
    this.signal();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<Obj>> {
    for (;;) {
      if (this.closed) return;
      const event = this.events.shift();
      if (event !== undefined) {
        yield event;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Answers lists from a script (then the last reply again) and hands out watches the test drives. */
class FakeListerWatcher implements ListerWatcher<Obj> {
  lists = 0;
  readonly watches: FakeWatch[] = [];
  private readonly replies: ObjectList<Obj>[];

  constructor(...replies: ObjectList<Obj>[]) {
    this.replies = replies;
  }

  list(_options: ListOptions): Promise<ObjectList<Obj>> {
    this.lists++;
    const reply = this.replies.length > 1 ? this.replies.shift() : this.replies[0];
    return Promise.resolve(reply ?? list('1', []));
  }

  watch(_options: WatchOptions): Promise<WatchSource<Obj>> {
    const watch = new FakeWatch();
    this.watches.push(watch);
    return Promise.resolve(watch);
  }

  /** The newest watch. */
  get latest(): FakeWatch {
    const watch = this.watches[this.watches.length - 1];
    assert.ok(watch !== undefined, 'no watch was started');
    return watch;
  }
}

async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** An informer on a fake clock (random 0: the relist backoff is exactly 800 ms). */
function makeInformer(
  lw: FakeListerWatcher,
  options: Partial<Omit<SharedIndexInformerOptions<Obj>, 'listerWatcher' | 'clock'>> = {},
): { informer: SharedIndexInformer<Obj>; clock: FakeClock } {
  const clock = new FakeClock();
  // LIST, not the streaming list: the fake lister-watcher answers lists.
  const informer = new SharedIndexInformer<Obj>({ name: 'configmaps', listerWatcher: lw, clock, random: () => 0, logger: silentLogger, useWatchList: false, ...options });
  return { informer, clock };
}

/** Runs the informer and lets it settle; the returned function stops it and checks run() resolved. */
async function run(informer: SharedIndexInformer<Obj>): Promise<() => Promise<void>> {
  const controller = new AbortController();
  let done = false;
  const running = informer.run(controller.signal).then(() => {
    done = true;
  });
  await settle();
  return async () => {
    controller.abort();
    await settle();
    assert.equal(done, true, 'run() did not resolve after the abort');
    await running;
  };
}

const nameOf = (o: DeepReadonly<Obj> | DeletedFinalStateUnknown<DeepReadonly<Obj> | undefined>): string =>
  o instanceof DeletedFinalStateUnknown ? `tombstone ${o.key} ${o.obj?.metadata?.resourceVersion ?? '-'}` : `${o.metadata?.name ?? ''} ${o.metadata?.resourceVersion ?? ''}`;

/** A handler that writes each notification as a line. */
function recorder(): { handler: ResourceEventHandler<Obj>; events: string[] } {
  const events: string[] = [];
  return {
    events,
    handler: {
      onAdd: (o, initial) => events.push(`add ${nameOf(o)}${initial ? ' initial' : ''}`),
      onUpdate: (old, current) => events.push(`update ${nameOf(old)} -> ${nameOf(current)}`),
      onDelete: (o) => events.push(`delete ${nameOf(o)}`),
    },
  };
}

test('handlers get the initial list as adds with isInInitialList true, and later adds with false', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5'), obj('b', '6')]));
  const { informer } = makeInformer(lw);
  const { handler, events } = recorder();
  const registration = informer.addEventHandler(handler);
  assert.equal(registration.hasSynced(), false);
  const stop = await run(informer);
  assert.deepEqual(events, ['add a 5 initial', 'add b 6 initial']);
  assert.equal(informer.hasSynced(), true);
  assert.equal(registration.hasSynced(), true);

  lw.latest.push({ type: 'ADDED', object: obj('c', '11') });
  await settle();
  assert.deepEqual(events.slice(2), ['add c 11']);
  await stop();
});

test('onUpdate gets the cached old object and the new one', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5')]));
  const { informer } = makeInformer(lw);
  const updates: [DeepReadonly<Obj>, DeepReadonly<Obj>][] = [];
  informer.addEventHandler({ onUpdate: (old, current) => updates.push([old, current]) });
  const stop = await run(informer);
  const cached = informer.lister().namespace('ns').get('a');
  assert.equal(cached?.metadata?.resourceVersion, '5');

  const next = obj('a', '12');
  lw.latest.push({ type: 'MODIFIED', object: next });
  await settle();
  assert.equal(updates.length, 1);
  assert.equal(updates[0]?.[0], cached);
  assert.equal(updates[0]?.[1], next);
  assert.equal(informer.lister().namespace('ns').get('a'), next);
  await stop();
});

test('onDelete gets the deleted object for a DELETED event', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5'), obj('b', '6')]));
  const { informer } = makeInformer(lw);
  const { handler, events } = recorder();
  informer.addEventHandler(handler);
  const stop = await run(informer);
  lw.latest.push({ type: 'DELETED', object: obj('a', '13') });
  await settle();
  assert.deepEqual(events.slice(2), ['delete a 13']);
  assert.equal(informer.lister().namespace('ns').get('a'), undefined);
  await stop();
});

test('a relist that lacks an object delivers a DeletedFinalStateUnknown tombstone to onDelete', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5'), obj('b', '6')]), list('20', [obj('a', '5')]));
  const { informer, clock } = makeInformer(lw);
  const deletes: unknown[] = [];
  informer.addEventHandler({ onDelete: (o) => deletes.push(o) });
  const stop = await run(informer);
  lw.latest.push(expiredEvent());
  await settle();
  await clock.step(800);
  assert.equal(lw.lists, 2);
  assert.equal(deletes.length, 1);
  const tombstone = deletes[0];
  assert.ok(tombstone instanceof DeletedFinalStateUnknown, 'onDelete got a tombstone');
  assert.equal(tombstone.key, 'ns/b');
  assert.equal((tombstone.obj as Obj | undefined)?.metadata?.resourceVersion, '6');
  assert.deepEqual(
    informer.lister().list().map((o) => o.metadata?.name),
    ['a'],
  );
  await stop();
});

test('a relist where an object is unchanged does not notify handlers that are not resyncing', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5'), obj('b', '6')]), list('20', [obj('a', '5'), obj('b', '9')]));
  const { informer, clock } = makeInformer(lw);
  const { handler, events } = recorder();
  informer.addEventHandler(handler);
  const stop = await run(informer);
  lw.latest.push(expiredEvent());
  await settle();
  await clock.step(800);
  assert.equal(lw.lists, 2);
  assert.deepEqual(events.slice(2), ['update b 6 -> b 9']);
  await stop();
});

test('a handler added after sync gets every cached object as an add with isInInitialList true, and has synced only after', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5'), obj('b', '6')]));
  const { informer } = makeInformer(lw);
  const stop = await run(informer);
  assert.equal(informer.hasSynced(), true);

  const events: string[] = [];
  const syncedDuringAdds: boolean[] = [];
  const registration = informer.addEventHandler({
    onAdd: (o, initial) => {
      events.push(`add ${nameOf(o)}${initial ? ' initial' : ''}`);
      syncedDuringAdds.push(registration.hasSynced());
    },
  });
  assert.equal(registration.hasSynced(), false);
  await settle();
  assert.deepEqual(events.sort(), ['add a 5 initial', 'add b 6 initial']);
  assert.deepEqual(syncedDuringAdds, [false, false]);
  assert.equal(registration.hasSynced(), true);

  lw.latest.push({ type: 'ADDED', object: obj('c', '11') });
  await settle();
  assert.deepEqual(events.slice(2), ['add c 11']);
  await stop();
});

test('a resync sends onUpdate(obj, obj) to the handler with a resync period and not to one without, with no API traffic', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5'), obj('b', '6')]));
  const { informer, clock } = makeInformer(lw);
  const resynced: [DeepReadonly<Obj>, DeepReadonly<Obj>][] = [];
  informer.addEventHandler({ onUpdate: (old, current) => resynced.push([old, current]) }, { resyncPeriodMs: 10_000 });
  const { handler, events } = recorder();
  informer.addEventHandler(handler);
  const stop = await run(informer);
  assert.deepEqual(events, ['add a 5 initial', 'add b 6 initial']);

  await clock.step(9_999);
  assert.equal(resynced.length, 0);
  await clock.step(1);
  assert.deepEqual(
    resynced.map(([old]) => old.metadata?.name).sort(),
    ['a', 'b'],
  );
  for (const [old, current] of resynced) {
    assert.equal(old, current);
    assert.equal(old, informer.lister().namespace('ns').get(old.metadata?.name ?? ''));
  }
  assert.equal(events.length, 2, 'the handler without a resync period heard nothing');
  assert.equal(lw.lists, 1);
  assert.equal(lw.watches.length, 1);

  await clock.step(10_000);
  assert.equal(resynced.length, 4, 'resyncs repeat every period');
  await stop();
});

test('a handler added after start with a resync period is resynced on that period', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5')]));
  const { informer, clock } = makeInformer(lw);
  const stop = await run(informer);
  await clock.step(1_000);
  let resyncs = 0;
  informer.addEventHandler({ onUpdate: () => resyncs++ }, { resyncPeriodMs: 5_000 });
  await settle();
  await clock.step(4_999);
  assert.equal(resyncs, 0);
  await clock.step(1);
  assert.equal(resyncs, 1);
  await stop();
});

test(
  'a handler added after start with a shorter period than the check period is raised to it, and the others keep their schedule',
  async () => {
    const lw = new FakeListerWatcher(list('10', [obj('a', '5')]));
    const { informer, clock } = makeInformer(lw);
    let early = 0;
    informer.addEventHandler({ onUpdate: () => early++ }, { resyncPeriodMs: 10_000 });
    const stop = await run(informer);
    await clock.step(9_000);
    let late = 0;
    informer.addEventHandler({ onUpdate: () => late++ }, { resyncPeriodMs: 2_000 });
    await settle();
    await clock.step(1_000);
    assert.deepEqual({ early, late }, { early: 1, late: 0 }, 'at 10 s: the first handler is due, the new one (raised to 10 s) is not');
    await clock.step(2_000);
    assert.equal(late, 0, 'not resynced on its own 2 s period');
    await clock.step(8_000);
    assert.deepEqual({ early, late }, { early: 2, late: 1 }, 'at 20 s both are due');
    await stop();
  },
);

test('a transform set before run changes the cached objects; after start it throws', async () => {
  const managed = (name: string): Obj => ({ ...obj(name, '5'), metadata: { namespace: 'ns', name, resourceVersion: '5', managedFields: [{ manager: 'kubectl' }] } });
  const lw = new FakeListerWatcher(list('10', [managed('a')]));
  const { informer } = makeInformer(lw);
  informer.setTransform((o) => {
    const { managedFields: _dropped, ...metadata } = o.metadata ?? {};
    return { ...o, metadata: { ...metadata, labels: { transformed: 'yes' } } };
  });
  const added: DeepReadonly<Obj>[] = [];
  informer.addEventHandler({ onAdd: (o) => added.push(o) });
  const stop = await run(informer);
  const cached = informer.lister().namespace('ns').get('a');
  assert.equal(cached?.metadata?.managedFields, undefined);
  assert.deepEqual(cached?.metadata?.labels, { transformed: 'yes' });
  assert.equal(added[0], cached);

  lw.latest.push({ type: 'ADDED', object: managed('b') });
  await settle();
  assert.deepEqual(informer.lister().namespace('ns').get('b')?.metadata?.labels, { transformed: 'yes' });

  assert.throws(() => informer.setTransform((o) => o), /has already started/);
  assert.throws(() => informer.setWatchErrorHandler(() => undefined), /has already started/);
  await stop();
});

test('a handler that throws does not stop the other handlers or the informer', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5')]));
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
  const { informer } = makeInformer(lw, { logger });
  let thrown = 0;
  informer.addEventHandler({
    onAdd: () => {
      thrown++;
      throw new Error('handler bug');
    },
    onUpdate: () => {
      thrown++;
      throw new Error('handler bug');
    },
  });
  const { handler, events } = recorder();
  informer.addEventHandler(handler);
  const stop = await run(informer);
  lw.latest.push({ type: 'MODIFIED', object: obj('a', '6') }, { type: 'ADDED', object: obj('c', '7') });
  await settle();
  assert.deepEqual(events, ['add a 5 initial', 'update a 5 -> a 6', 'add c 7']);
  assert.equal(thrown, 3);
  assert.equal(warnings.length, 3);
  assert.match(warnings[0] ?? '', /handler bug/);
  assert.equal(informer.lister().namespace('ns').get('c')?.metadata?.resourceVersion, '7');
  await stop();
});

test('removeEventHandler stops delivery to that handler only', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5')]));
  const { informer } = makeInformer(lw);
  const removed = recorder();
  const kept = recorder();
  const registration = informer.addEventHandler(removed.handler);
  informer.addEventHandler(kept.handler);
  const stop = await run(informer);
  informer.removeEventHandler(registration);
  lw.latest.push({ type: 'ADDED', object: obj('c', '7') }, { type: 'DELETED', object: obj('a', '8') });
  await settle();
  assert.deepEqual(removed.events, ['add a 5 initial']);
  assert.deepEqual(kept.events, ['add a 5 initial', 'add c 7', 'delete a 8']);
  await stop();
});

test('the Lister reads the cache, by namespace and across namespaces', async () => {
  const lw = new FakeListerWatcher(list('10', [obj('a', '5'), obj('b', '6'), obj('c', '7', 'other')]));
  const { informer } = makeInformer(lw);
  const lister = informer.lister();
  assert.deepEqual(lister.list(), [], 'empty before the informer runs');
  const stop = await run(informer);
  assert.deepEqual(
    lister.list().map((o) => o.metadata?.name).sort(),
    ['a', 'b', 'c'],
  );
  assert.deepEqual(
    lister.namespace('ns').list().map((o) => o.metadata?.name).sort(),
    ['a', 'b'],
  );
  assert.equal(lister.namespace('other').get('c')?.metadata?.resourceVersion, '7');
  assert.equal(lister.namespace('ns').get('c'), undefined);

  lw.latest.push({ type: 'DELETED', object: obj('b', '8') }, { type: 'MODIFIED', object: obj('a', '9') });
  await settle();
  assert.equal(lister.namespace('ns').get('b'), undefined);
  assert.equal(lister.namespace('ns').get('a')?.metadata?.resourceVersion, '9');
  await stop();
});
