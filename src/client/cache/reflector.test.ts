/**
 * The Reflector's ListAndWatch protocol (client-go tools/cache/reflector.go) against a scripted
 * ListerWatcher on a fake clock: which resourceVersion each list and watch asks for, when it relists
 * (410) and when it only watches again, paging, the backoff between failures, the streaming list and
 * its fallback, and stopping on the AbortSignal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { ApiError } from '../errors.js';
import type { KubeObject, ObjectList } from '../object.js';
import type { ListOptions, WatchOptions } from '../resource-client.js';
import type { WatchEvent } from '../rest/watch-stream.js';
import { type ListerWatcher, Reflector, type ReflectorOptions, type ReflectorStore, type WatchSource } from './reflector.js';

interface Obj extends KubeObject {
  data?: Record<string, string>;
}

function obj(name: string, resourceVersion: string): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'ns', name, resourceVersion } };
}

function list(resourceVersion: string, items: Obj[] = [], continueToken?: string): ObjectList<Obj> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMapList',
    metadata: { resourceVersion, ...(continueToken === undefined ? {} : { continue: continueToken }) },
    items,
  };
}

const added = (object: Obj): WatchEvent<Obj> => ({ type: 'ADDED', object });
const modified = (object: Obj): WatchEvent<Obj> => ({ type: 'MODIFIED', object });
const deleted = (object: Obj): WatchEvent<Obj> => ({ type: 'DELETED', object });

function bookmark(resourceVersion: string, initialEventsEnd = false): WatchEvent<Obj> {
  return {
    type: 'BOOKMARK',
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { resourceVersion, ...(initialEventsEnd ? { annotations: { 'k8s.io/initial-events-end': 'true' } } : {}) },
    },
  };
}

/** An ERROR event carrying a Status, as the API server sends it. */
function statusEvent(code: number, reason: string): WatchEvent<Obj> {
  const status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code, reason, message: `${reason} (${code})` };
  return { type: 'ERROR', object: status };
}

const expired = (): ApiError => new ApiError(410, 'Expired', 'too old resource version');

type Item = { readonly kind: 'event'; readonly event: WatchEvent<Obj> } | { readonly kind: 'end' } | { readonly kind: 'fail'; readonly error: unknown };

/**
 * A watch the test drives: events pushed are read in order; `end` finishes it as a server would,
 * `fail` breaks it. Like a real source it stops when closed — but it ignores the signal in its
 * options, so only the reflector's own `close` ends it.
 */
class FakeWatch implements WatchSource<Obj> {
  closed = false;
  private readonly items: Item[] = [];
  private wake: (() => void) | undefined;

  constructor(readonly options: WatchOptions) {}

  push(...events: WatchEvent<Obj>[]): void {
    for (const event of events) this.items.push({ kind: 'event', event });
    this.signal();
  }

  end(): void {
    this.items.push({ kind: 'end' });
    this.signal();
  }

  fail(error: unknown): void {
    this.items.push({ kind: 'fail', error });
    this.signal();
  }

  close(): void {
    this.closed = true;
    this.signal();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<Obj>> {
    for (;;) {
      if (this.closed) return;
      const item = this.items.shift();
      if (item === undefined) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      if (item.kind === 'end') return;
      if (item.kind === 'fail') throw item.error;
      yield item.event;
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** What a list call answers: a list, a rejection, or nothing until the call's signal aborts. */
type ListReply = ObjectList<Obj> | Error | 'hang';

/** Options as the server would see them (the signal is the client's own business). */
function seen<O extends ListOptions>(options: O): Omit<O, 'signal'> {
  const { signal: _signal, ...rest } = options;
  return rest;
}

class FakeListerWatcher implements ListerWatcher<Obj> {
  readonly lists: Omit<ListOptions, 'signal'>[] = [];
  /** Every watch() call, including those that were rejected. */
  readonly watchCalls: Omit<WatchOptions, 'signal'>[] = [];
  /** The watches handed out, in order. */
  readonly watches: FakeWatch[] = [];
  private readonly listReplies: ListReply[] = [];
  private readonly watchFailures: unknown[] = [];
  /** Answered once the scripted replies run out. */
  defaultList: ObjectList<Obj> = list('1');

  replyToList(...replies: ListReply[]): void {
    this.listReplies.push(...replies);
  }

  failNextWatch(error: unknown): void {
    this.watchFailures.push(error);
  }

  /** The newest watch handed out. */
  get latest(): FakeWatch {
    const watch = this.watches[this.watches.length - 1];
    assert.ok(watch !== undefined, 'no watch was started');
    return watch;
  }

  list(options: ListOptions): Promise<ObjectList<Obj>> {
    this.lists.push(seen(options));
    const reply = this.listReplies.shift() ?? this.defaultList;
    if (reply === 'hang') {
      return new Promise((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    }
    return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply);
  }

  watch(options: WatchOptions): Promise<WatchSource<Obj>> {
    this.watchCalls.push(seen(options));
    if (this.watchFailures.length > 0) return Promise.reject(this.watchFailures.shift());
    const watch = new FakeWatch(options);
    this.watches.push(watch);
    return Promise.resolve(watch);
  }
}

type StoreOp =
  | { readonly op: 'add' | 'update' | 'delete'; readonly name: string; readonly rv: string }
  | { readonly op: 'replace'; readonly names: readonly string[]; readonly rv: string };

class RecordingStore implements ReflectorStore<Obj> {
  readonly ops: StoreOp[] = [];
  add(object: Obj): void {
    this.ops.push({ op: 'add', name: object.metadata?.name ?? '', rv: object.metadata?.resourceVersion ?? '' });
  }
  update(object: Obj): void {
    this.ops.push({ op: 'update', name: object.metadata?.name ?? '', rv: object.metadata?.resourceVersion ?? '' });
  }
  delete(object: Obj): void {
    this.ops.push({ op: 'delete', name: object.metadata?.name ?? '', rv: object.metadata?.resourceVersion ?? '' });
  }
  replace(objects: Obj[], resourceVersion: string): void {
    this.ops.push({ op: 'replace', names: objects.map((o) => o.metadata?.name ?? ''), rv: resourceVersion });
  }
}

/** Lets pending promise jobs and immediates run. */
async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Whether `promise` settles within a few event-loop turns. */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await settle();
  return done;
}

interface Harness {
  readonly lw: FakeListerWatcher;
  readonly store: RecordingStore;
  readonly clock: FakeClock;
  readonly reflector: Reflector<Obj>;
  readonly errors: unknown[];
  readonly controller: AbortController;
  readonly running: Promise<void>;
  /** Aborts and checks that run() resolves soon. */
  stop(): Promise<void>;
}

type Overrides = Partial<Omit<ReflectorOptions<Obj>, 'listerWatcher' | 'store' | 'clock'>>;

/**
 * Starts a reflector (random 0: backoffs are exactly 800, 1600, 3200 … ms) and lets it settle. It
 * lists with LIST unless a test asks for the streaming list (the default of a real reflector).
 */
async function start(lw: FakeListerWatcher, overrides: Overrides = {}): Promise<Harness> {
  const store = new RecordingStore();
  const clock = new FakeClock();
  const errors: unknown[] = [];
  const reflector = new Reflector<Obj>({
    name: 'configmaps',
    listerWatcher: lw,
    store,
    clock,
    random: () => 0,
    logger: silentLogger,
    onError: (error) => errors.push(error),
    useWatchList: false,
    ...overrides,
  });
  const controller = new AbortController();
  const running = reflector.run(controller.signal);
  await settle();
  return {
    lw,
    store,
    clock,
    reflector,
    errors,
    controller,
    running,
    async stop() {
      controller.abort();
      assert.equal(await settlesSoon(running), true, 'run() did not resolve after the abort');
    },
  };
}

test('the first list asks for resourceVersion "0" and the watch starts from its resourceVersion with bookmarks and a 5 to 10 minute timeout', async () => {
  for (const random of [0, 0.5, 0.9999]) {
    const lw = new FakeListerWatcher();
    lw.replyToList(list('10', [obj('a', '5')]));
    const h = await start(lw, { random: () => random });
    assert.deepEqual(lw.lists, [{ resourceVersion: '0', limit: 500 }]);
    assert.deepEqual(h.store.ops, [{ op: 'replace', names: ['a'], rv: '10' }]);
    assert.equal(h.reflector.lastSyncResourceVersion(), '10');
    assert.equal(lw.watchCalls.length, 1);
    const watch = lw.watchCalls[0];
    assert.equal(watch?.resourceVersion, '10');
    assert.equal(watch?.allowWatchBookmarks, true);
    assert.equal(watch?.sendInitialEvents, undefined);
    const timeout = watch?.timeoutSeconds ?? -1;
    assert.ok(timeout >= 300 && timeout < 600, `timeoutSeconds ${timeout} with random ${random}`);
    await h.stop();
  }
});

test('each watch event advances the resourceVersion and the next watch resumes from the last one, a bookmark included', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10', [obj('a', '5')]));
  const h = await start(lw);
  lw.latest.push(added(obj('b', '11')), modified(obj('b', '12')), deleted(obj('a', '13')));
  await settle();
  assert.equal(h.reflector.lastSyncResourceVersion(), '13');
  lw.latest.push(bookmark('20'));
  await settle();
  assert.equal(h.reflector.lastSyncResourceVersion(), '20');
  assert.deepEqual(h.store.ops.slice(1), [
    { op: 'add', name: 'b', rv: '11' },
    { op: 'update', name: 'b', rv: '12' },
    { op: 'delete', name: 'a', rv: '13' },
  ]);

  lw.latest.end();
  await settle();
  assert.deepEqual(
    lw.watchCalls.map((w) => w.resourceVersion),
    ['10', '20'],
  );
  assert.equal(lw.lists.length, 1);
  await h.stop();
});

test('a watch the server ends is started again from the last resourceVersion, without a relist or a backoff', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10', [obj('a', '5')]));
  const h = await start(lw);
  // Quiet for a while, then the server's timeout ends it: a normal end, not a "very short watch".
  await h.clock.step(5000);
  lw.latest.end();
  await settle();
  assert.equal(lw.watchCalls.length, 2);
  assert.equal(lw.watchCalls[1]?.resourceVersion, '10');
  assert.equal(lw.lists.length, 1);
  assert.deepEqual(h.store.ops, [{ op: 'replace', names: ['a'], rv: '10' }]);
  assert.deepEqual(h.errors, []);
  await h.stop();
});

test('an ERROR event with a 410 Status relists from the last resourceVersion seen, not "0"', async () => {
  for (const reason of ['Expired', 'Gone']) {
    const lw = new FakeListerWatcher();
    lw.replyToList(list('10', [obj('a', '5')]), list('40', [obj('b', '40')]));
    const h = await start(lw);
    lw.latest.push(added(obj('b', '11')), statusEvent(410, reason));
    await settle();
    await h.clock.step(800);
    assert.deepEqual(lw.lists, [{ resourceVersion: '0', limit: 500 }, { resourceVersion: '11' }], reason);
    assert.deepEqual(h.store.ops.at(-1), { op: 'replace', names: ['b'], rv: '40' });
    assert.equal(lw.watchCalls.at(-1)?.resourceVersion, '40');
    await h.stop();
  }
});

test('a watch() rejected with 410 relists from the last resourceVersion seen', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10', [obj('a', '5')]));
  const h = await start(lw);
  lw.latest.push(added(obj('b', '11')));
  await settle();
  lw.failNextWatch(expired());
  lw.latest.end();
  await settle();
  assert.equal(lw.watchCalls.length, 2);
  await h.clock.step(800);
  assert.deepEqual(lw.lists, [{ resourceVersion: '0', limit: 500 }, { resourceVersion: '11' }]);
  await h.stop();
});

test('a list refused with 410 for the last resourceVersion is retried at once as a consistent read (RV "")', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10', [obj('a', '5')]), expired(), list('30', [obj('a', '30')]));
  const h = await start(lw);
  lw.latest.push(statusEvent(410, 'Expired'));
  await settle();
  await h.clock.step(800);
  assert.deepEqual(lw.lists, [{ resourceVersion: '0', limit: 500 }, { resourceVersion: '10' }, { resourceVersion: '', limit: 500 }]);
  assert.deepEqual(h.store.ops, [
    { op: 'replace', names: ['a'], rv: '10' },
    { op: 'replace', names: ['a'], rv: '30' },
  ]);
  assert.equal(lw.watchCalls.at(-1)?.resourceVersion, '30');

  // Once a list has succeeded, the next relist asks for the last resourceVersion again.
  lw.replyToList(list('50'));
  lw.latest.push(statusEvent(410, 'Expired'));
  await settle();
  await h.clock.step(1600);
  assert.deepEqual(lw.lists.at(-1), { resourceVersion: '30' });
  await h.stop();
});

test('paging follows continue tokens and replaces the store once with every item', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(
    list('10', [obj('a', '1'), obj('b', '2')], 'c1'),
    list('10', [obj('c', '3'), obj('d', '4')], 'c2'),
    list('10', [obj('e', '5')]),
  );
  const h = await start(lw, { pageSize: 2 });
  assert.deepEqual(lw.lists, [
    { resourceVersion: '0', limit: 2 },
    { continue: 'c1', limit: 2 },
    { continue: 'c2', limit: 2 },
  ]);
  assert.deepEqual(h.store.ops, [{ op: 'replace', names: ['a', 'b', 'c', 'd', 'e'], rv: '10' }]);
  assert.equal(lw.watchCalls[0]?.resourceVersion, '10');
  await h.stop();
});

test('a failed list is retried after the backoff, and not before', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(new Error('connect ECONNREFUSED'), list('10', [obj('a', '5')]));
  const h = await start(lw);
  assert.equal(lw.lists.length, 1);
  assert.equal(h.errors.length, 1);
  assert.equal(lw.watchCalls.length, 0);
  await h.clock.step(799);
  assert.equal(lw.lists.length, 1);
  await h.clock.step(1);
  assert.equal(lw.lists.length, 2);
  assert.deepEqual(h.store.ops, [{ op: 'replace', names: ['a'], rv: '10' }]);
  assert.equal(lw.watchCalls.length, 1);
  await h.stop();
});

test('consecutive list failures back off 800, 1600 then 3200 ms', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(new Error('down'), new Error('down'), new Error('down'), list('10'));
  const h = await start(lw);
  const counts: number[] = [lw.lists.length];
  for (const wait of [800, 1600, 3200]) {
    await h.clock.step(wait - 1);
    counts.push(lw.lists.length);
    await h.clock.step(1);
    counts.push(lw.lists.length);
  }
  assert.deepEqual(counts, [1, 1, 2, 2, 3, 3, 4]);
  assert.equal(h.errors.length, 3);
  assert.equal(lw.watchCalls.length, 1);
  await h.stop();
});

test('a watch that ends at once without events is an error: the reflector backs off before listing again', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10'), list('20'));
  const h = await start(lw);
  lw.latest.end();
  await settle();
  assert.equal(h.errors.length, 1);
  assert.match(String(h.errors[0]), /very short watch/);
  assert.equal(lw.watchCalls.length, 1);
  assert.equal(lw.lists.length, 1);
  await h.clock.step(799);
  assert.equal(lw.watchCalls.length, 1);
  assert.equal(lw.lists.length, 1);
  await h.clock.step(1);
  assert.equal(lw.lists.length, 2);
  assert.equal(lw.watchCalls.at(-1)?.resourceVersion, '20');
  await h.stop();
});

test('an ERROR event other than 410 backs off, then watches again from the last resourceVersion without a relist', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10'));
  const h = await start(lw);
  lw.latest.push(added(obj('b', '11')), statusEvent(500, 'InternalError'));
  await settle();
  assert.equal(h.errors.length, 1);
  await h.clock.step(799);
  assert.equal(lw.watchCalls.length, 1);
  await h.clock.step(1);
  assert.deepEqual(
    lw.watchCalls.map((w) => w.resourceVersion),
    ['10', '11'],
  );
  assert.equal(lw.lists.length, 1);
  await h.stop();
});

test('a watch that cannot connect is retried from the last resourceVersion after a backoff, without a relist', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10'));
  lw.failNextWatch(new Error('connect ECONNREFUSED'));
  const h = await start(lw);
  assert.equal(lw.watchCalls.length, 1);
  assert.equal(h.errors.length, 1);
  await h.clock.step(799);
  assert.equal(lw.watchCalls.length, 1);
  await h.clock.step(1);
  assert.deepEqual(
    lw.watchCalls.map((w) => w.resourceVersion),
    ['10', '10'],
  );
  assert.equal(lw.lists.length, 1);
  await h.stop();
});

test('a streaming list replaces the store once with its ADDED events at the initial-events-end bookmark, then goes on watching', async () => {
  const lw = new FakeListerWatcher();
  const h = await start(lw, { useWatchList: true });
  assert.equal(lw.lists.length, 0);
  assert.equal(lw.watchCalls.length, 1);
  const first = lw.watchCalls[0];
  assert.equal(first?.sendInitialEvents, true);
  assert.equal(first?.resourceVersionMatch, 'NotOlderThan');
  assert.equal(first?.allowWatchBookmarks, true);
  assert.equal(first?.resourceVersion, '');

  lw.latest.push(added(obj('a', '5')), added(obj('b', '7')));
  await settle();
  assert.deepEqual(h.store.ops, [], 'nothing reaches the store before the initial events end');
  lw.latest.push(bookmark('9', true));
  await settle();
  assert.deepEqual(h.store.ops, [{ op: 'replace', names: ['a', 'b'], rv: '9' }]);
  assert.equal(h.reflector.lastSyncResourceVersion(), '9');

  lw.latest.push(modified(obj('a', '10')));
  await settle();
  assert.deepEqual(h.store.ops.at(-1), { op: 'update', name: 'a', rv: '10' });
  assert.equal(h.reflector.lastSyncResourceVersion(), '10');
  assert.equal(lw.watchCalls.length, 1);
  assert.equal(lw.lists.length, 0);
  await h.stop();
});

test('a streaming list that breaks before its initial events end falls back to a regular list', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10', [obj('x', '10')]));
  const h = await start(lw, { useWatchList: true });
  const streaming = lw.latest;
  streaming.push(added(obj('a', '5')));
  streaming.fail(new Error('connection reset'));
  await settle();
  assert.equal(streaming.closed, true);
  assert.deepEqual(lw.lists, [{ resourceVersion: '0', limit: 500 }]);
  assert.deepEqual(h.store.ops, [{ op: 'replace', names: ['x'], rv: '10' }]);
  assert.equal(lw.watchCalls.length, 2);
  assert.equal(lw.watchCalls[1]?.sendInitialEvents, undefined);
  assert.equal(lw.watchCalls[1]?.resourceVersion, '10');
  await h.stop();
});

test('a streaming list the server refuses falls back to a regular list', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10', [obj('x', '10')]));
  lw.failNextWatch(new ApiError(400, 'BadRequest', 'sendInitialEvents is not supported'));
  const h = await start(lw, { useWatchList: true });
  assert.deepEqual(lw.lists, [{ resourceVersion: '0', limit: 500 }]);
  assert.deepEqual(h.store.ops, [{ op: 'replace', names: ['x'], rv: '10' }]);
  assert.equal(lw.watchCalls.at(-1)?.resourceVersion, '10');
  await h.stop();
});

test('run resolves soon after the signal aborts while sleeping in a backoff', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(new Error('down'));
  const h = await start(lw);
  assert.equal(h.clock.waiting, 1);
  await h.stop();
  assert.equal(h.clock.waiting, 0);
  assert.equal(lw.lists.length, 1);
});

test('run resolves soon after the signal aborts while a watch is open, and closes the watch', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10'));
  const h = await start(lw);
  const watch = lw.latest;
  assert.equal(watch.closed, false);
  await h.stop();
  assert.equal(watch.closed, true);
  assert.deepEqual(h.errors, []);
  assert.equal(lw.lists.length, 1);
  assert.equal(lw.watchCalls.length, 1);
});

test('run resolves soon after the signal aborts during a list, without reporting an error', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList('hang');
  const h = await start(lw);
  await h.stop();
  assert.deepEqual(h.errors, []);
  assert.equal(lw.watchCalls.length, 0);
});

test(
  'run resolves soon after the signal aborts while a streaming list waits for its initial events',
  async () => {
    const lw = new FakeListerWatcher();
    const h = await start(lw, { useWatchList: true });
    const watch = lw.latest;
    watch.push(added(obj('a', '5')));
    await settle();
    await h.stop();
    assert.equal(watch.closed, true);
    assert.equal(lw.lists.length, 0);
  },
);

test('a streaming list that gets a plain bookmark before the initial events end falls back to a regular list', async () => {
  const lw = new FakeListerWatcher();
  lw.replyToList(list('10', [obj('x', '10')]));
  const h = await start(lw, { useWatchList: true });
  const streaming = lw.latest;
  // An older server ignores sendInitialEvents: no initial state, just its periodic bookmarks.
  streaming.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '5' } } });
  await settle();
  assert.equal(streaming.closed, true);
  assert.deepEqual(lw.lists, [{ resourceVersion: '0', limit: 500 }]);
  assert.deepEqual(h.store.ops, [{ op: 'replace', names: ['x'], rv: '10' }]);
  await h.stop();
});
