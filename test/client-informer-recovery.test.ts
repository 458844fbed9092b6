/**
 * Informer recovery (reliability.md §6 item 14) against a real kubelite API server on a real store.
 * A SharedIndexInformer of ConfigMaps reaches the server over HTTP through a TCP fault proxy
 * (support/tcp-proxy.ts); a second client, straight to the server, makes the changes and takes the
 * fresh lists to compare with. Each test injects one fault — a server restart, a connection that
 * silently stops carrying packets, an RST, a resourceVersion compacted away, a delete and re-create
 * during an outage, a relist that fails, a long outage — and then checks that the informer
 * recovered:
 *
 * - its cache equals a fresh list (namespace/name → uid and resourceVersion);
 * - every object deleted meanwhile reached the handler as a delete, or a tombstone
 *   (DeletedFinalStateUnknown) when only a relist could tell;
 * - no resourceVersion went backwards: per object, and every add or update after the outage is
 *   newer than anything seen before it (kubelite's resourceVersions are integers);
 * - an update never changes an object's uid (a re-created object is a delete and an add);
 * - it still works: one more change is delivered.
 *
 * Backoffs are short (50 ms → 1 s) except in the test of the default backoff, which counts attempts
 * rather than timing them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BuiltInKindTypes } from '../src/api/types/index.js';
import type { BackoffOptions } from '../src/client/cache/backoff.js';
import { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import { DeletedFinalStateUnknown } from '../src/client/cache/keys.js';
import type { ResourceEventHandler, SharedIndexInformer } from '../src/client/cache/shared-informer.js';
import { ApiError } from '../src/client/errors.js';
import { KubeClient } from '../src/client/kube-client.js';
import type { DeepReadonly } from '../src/client/object.js';
import type { ResourceClient } from '../src/client/resource-client.js';
import type { RestClientOptions } from '../src/client/rest/rest-client.js';
import { WatchIdleError } from '../src/client/rest/watch-stream.js';
import type { ApiServerOptions } from '../src/apiserver/server.js';
import { silentLogger } from '../src/util/logger.js';
import { type Backend, type RunningApi, startApi } from './support/api-harness.js';
import { TcpProxy } from './support/tcp-proxy.js';

type ConfigMap = BuiltInKindTypes['v1/ConfigMap'];

const NAMESPACE = 'default';
/** Short backoffs keep the tests fast; one test uses the default (800 ms → 30 s). */
const FAST_BACKOFF: BackoffOptions = { initialMs: 50, maxMs: 1000 };
/** Enough writes to push an old resourceVersion out of a watch cache of capacity 20 (it keeps 20–40 events). */
const WINDOW_CAPACITY = 20;
const WRITES_PAST_WINDOW = 45;

async function until(condition: () => boolean | Promise<boolean>, what: string, capMs = 20_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

function keyOf(object: DeepReadonly<ConfigMap>): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

function rvOf(object: DeepReadonly<ConfigMap>): number {
  const rv = Number(object.metadata?.resourceVersion);
  assert.ok(Number.isSafeInteger(rv), `resourceVersion ${String(object.metadata?.resourceVersion)} is an integer`);
  return rv;
}

/** One notification as the handler saw it. */
interface Notice {
  readonly type: 'add' | 'update' | 'delete';
  readonly key: string;
  readonly uid: string;
  readonly rv: number;
  readonly tombstone: boolean;
}

/** Where the notifications stood when an outage began. */
interface Mark {
  readonly index: number;
  readonly maxRv: number;
}

/** Records every notification and what in them breaks the rules in the module doc. */
class Recorder {
  readonly notices: Notice[] = [];
  readonly problems: string[] = [];
  private readonly lastRv = new Map<string, number>();
  private maxRv = 0;
  private lastSyncRv = 0;

  readonly handler: ResourceEventHandler<ConfigMap> = {
    onAdd: (object) => this.record('add', object, false),
    onUpdate: (oldObject, newObject) => {
      if (oldObject.metadata?.uid !== newObject.metadata?.uid) {
        this.problems.push(`update of ${keyOf(newObject)} changed its uid ${String(oldObject.metadata?.uid)} → ${String(newObject.metadata?.uid)}`);
      }
      this.record('update', newObject, false);
    },
    onDelete: (object) => {
      if (object instanceof DeletedFinalStateUnknown) {
        if (object.obj === undefined) this.problems.push(`tombstone for ${object.key} without a last known state`);
        else this.record('delete', object.obj, true);
      } else {
        this.record('delete', object, false);
      }
    },
  };

  constructor(private readonly syncRv: () => string) {}

  mark(): Mark {
    return { index: this.notices.length, maxRv: this.maxRv };
  }

  /** Notifications for `key` since `mark`, as `type uid` strings. */
  since(mark: Mark, key: string): string[] {
    return this.notices.slice(mark.index).filter((n) => n.key === key).map((n) => `${n.type} ${n.uid}`);
  }

  deletesOf(key: string, uid: string): Notice[] {
    return this.notices.filter((n) => n.type === 'delete' && n.key === key && n.uid === uid);
  }

  sawAdd(key: string, uid: string): boolean {
    return this.notices.some((n) => n.type === 'add' && n.key === key && n.uid === uid);
  }

  /** Adds and updates after `mark` are newer than anything delivered before it. */
  newerSince(mark: Mark): string[] {
    return this.notices
      .slice(mark.index)
      .filter((n) => n.type !== 'delete' && n.rv <= mark.maxRv)
      .map((n) => `${n.type} ${n.key} at ${n.rv} after ${mark.maxRv} was seen`);
  }

  private record(type: Notice['type'], object: DeepReadonly<ConfigMap>, tombstone: boolean): void {
    const key = keyOf(object);
    const rv = rvOf(object);
    const previous = this.lastRv.get(key) ?? 0;
    if (rv < previous) this.problems.push(`${type} of ${key} at ${rv} after ${previous}`);
    this.lastRv.set(key, Math.max(rv, previous));
    this.maxRv = Math.max(this.maxRv, rv);
    const syncRv = Number(this.syncRv());
    if (syncRv < this.lastSyncRv) this.problems.push(`the informer's resourceVersion went from ${this.lastSyncRv} back to ${syncRv}`);
    this.lastSyncRv = Math.max(this.lastSyncRv, syncRv);
    this.notices.push({ type, key, uid: object.metadata?.uid ?? '', rv, tombstone });
  }
}

interface Env {
  readonly api: RunningApi;
  readonly proxy: TcpProxy;
  readonly informer: SharedIndexInformer<ConfigMap>;
  readonly recorder: Recorder;
  /** Every failure the reflector reported (its watch error handler). */
  readonly errors: unknown[];
  /** ConfigMaps in NAMESPACE through the direct client of the server as it is now (a restart moves its port). */
  configMaps(): ResourceClient<ConfigMap>;
  close(): Promise<void>;
}

interface EnvOptions {
  readonly backend?: Backend;
  readonly watchCache?: ApiServerOptions['watchCache'];
  /** Options of the informer's client. */
  readonly client?: RestClientOptions;
  /** The informer's backoff; `default` leaves client-go's (800 ms → 30 s, jitter 1). */
  readonly backoff?: BackoffOptions | 'default';
  /** The informer reads the state by streaming list (the default) or, with false, by LIST. */
  readonly useWatchList?: boolean;
}

/** A server with cm-0 … cm-4, and a synced informer reaching it through the proxy. */
async function startEnv(options: EnvOptions = {}): Promise<Env> {
  const api = await startApi(options.backend ?? 'memory', { watchCache: { bookmarkIntervalMs: 500, ...options.watchCache } });
  const proxy = await TcpProxy.start({
    target: () => {
      const url = new URL(api.url);
      return { host: url.hostname, port: Number(url.port) };
    },
  });
  const directClients: KubeClient[] = [];
  let direct: { readonly url: string; readonly client: KubeClient } | undefined;
  const configMaps = (): ResourceClient<ConfigMap> => {
    if (direct?.url !== api.url) {
      direct = { url: api.url, client: new KubeClient({ server: api.url }) };
      directClients.push(direct.client);
    }
    return direct.client.typed('v1/ConfigMap').namespace(NAMESPACE);
  };
  for (let i = 0; i < 5; i++) await configMaps().create({ metadata: { name: `cm-${i}` }, data: { v: '0' } });

  const informerClient = new KubeClient({ server: proxy.url }, options.client ?? {});
  const backoff = options.backoff ?? FAST_BACKOFF;
  const factory = new SharedInformerFactory(informerClient, {
    namespace: NAMESPACE,
    logger: silentLogger,
    ...(backoff === 'default' ? {} : { backoff }),
    ...(options.useWatchList === undefined ? {} : { useWatchList: options.useWatchList }),
  });
  const informer = factory.typed('v1/ConfigMap');
  const errors: unknown[] = [];
  informer.setWatchErrorHandler((error) => errors.push(error));
  const recorder = new Recorder(() => informer.lastSyncResourceVersion());
  const registration = informer.addEventHandler(recorder.handler);
  const controller = new AbortController();
  const env: Env = {
    api,
    proxy,
    informer,
    recorder,
    errors,
    configMaps,
    async close() {
      controller.abort();
      await proxy.close();
      await factory.shutdown();
      informerClient.close();
      for (const client of directClients) client.close();
      await api.close();
    },
  };
  factory.start(controller.signal);
  try {
    await until(() => registration.hasSynced(), 'the informer to sync');
    assert.equal(recorder.notices.length, 5);
  } catch (error) {
    await env.close();
    throw error;
  }
  return env;
}

async function withEnv(options: EnvOptions, body: (env: Env) => Promise<void>): Promise<void> {
  const env = await startEnv(options);
  try {
    await body(env);
  } finally {
    await env.close();
  }
}

/** Cuts the informer off: its connections are reset and new ones refused until `heal()`. */
function cutOff(env: Env): void {
  env.proxy.refuse(true);
  env.proxy.reset();
}

/** The uid the informer has cached for `name`. */
function cachedUid(env: Env, name: string): string {
  const uid = env.informer.indexer.getByKey(`${NAMESPACE}/${name}`)?.metadata?.uid;
  assert.ok(uid !== undefined, `${name} is cached`);
  return uid;
}

/** Writes to one ConfigMap until the events since any earlier resourceVersion overflow the window. */
async function churn(env: Env): Promise<void> {
  await env.configMaps().create({ metadata: { name: 'churn' }, data: { i: '0' } });
  for (let i = 1; i <= WRITES_PAST_WINDOW; i++) await env.configMaps().patch('churn', { data: { i: String(i) } }, 'merge');
}

type State = Record<string, string>;

function stateOf(items: readonly DeepReadonly<ConfigMap>[]): State {
  const state: State = {};
  for (const item of [...items].sort((a, b) => keyOf(a).localeCompare(keyOf(b)))) {
    state[keyOf(item)] = `${item.metadata?.uid ?? ''}@${item.metadata?.resourceVersion ?? ''}`;
  }
  return state;
}

interface Deleted {
  readonly key: string;
  readonly uid: string;
}

/** The checks every scenario ends with (see the module doc). */
async function assertRecovered(env: Env, mark: Mark, deleted: readonly Deleted[]): Promise<void> {
  let fresh: State = {};
  let listRv = 0;
  await until(async () => {
    const list = await env.configMaps().list();
    fresh = stateOf(list.items);
    listRv = Number(list.metadata?.resourceVersion);
    return JSON.stringify(stateOf(env.informer.indexer.list())) === JSON.stringify(fresh);
  }, 'the informer cache to equal a fresh list');
  assert.deepEqual(stateOf(env.informer.indexer.list()), fresh);
  assert.ok(listRv >= mark.maxRv, `the server's resourceVersion ${listRv} is not behind what the informer saw (${mark.maxRv})`);
  for (const { key, uid } of deleted) {
    await until(() => env.recorder.deletesOf(key, uid).length > 0, `the delete of ${key} (uid ${uid}) to be delivered`);
  }
  assert.deepEqual(env.recorder.problems, []);
  assert.deepEqual(env.recorder.newerSince(mark), []);
  const probe = await env.configMaps().create({ metadata: { name: `probe-${env.recorder.notices.length}` } });
  const probeKey = keyOf(probe);
  await until(() => env.recorder.sawAdd(probeKey, probe.metadata?.uid ?? ''), 'a change made after recovery to be delivered');
  assert.deepEqual(env.recorder.problems, []);
}

for (const backend of ['memory', 'sqlite'] as const) {
  describe(`informer recovery over the ${backend} backend`, () => {
    test('an informer watching through a server restart converges on the restarted server, and no resourceVersion goes back', () =>
      withEnv({ backend }, async (env) => {
        const mark = env.recorder.mark();
        const gone: Deleted = { key: `${NAMESPACE}/cm-1`, uid: cachedUid(env, 'cm-1') };
        // The watch is up when the server goes away; until heal, the informer cannot reconnect.
        env.proxy.refuse(true);
        await env.api.restart();
        await env.configMaps().patch('cm-0', { data: { v: '1' } }, 'merge');
        await env.configMaps().delete('cm-1');
        await env.configMaps().create({ metadata: { name: 'new-0' } });
        await until(() => env.proxy.stats.refused > 0, 'the informer to try to reconnect');
        env.proxy.heal();
        await assertRecovered(env, mark, [gone]);
      }));

    test('an informer whose resourceVersion is compacted away while it is cut off relists, and the deletions it missed arrive as tombstones', () =>
      withEnv({ backend, watchCache: { capacity: WINDOW_CAPACITY } }, async (env) => {
        const mark = env.recorder.mark();
        const relists = env.informer.stats.relists;
        const gone: Deleted[] = ['cm-1', 'cm-2'].map((name) => ({ key: `${NAMESPACE}/${name}`, uid: cachedUid(env, name) }));
        cutOff(env);
        await env.configMaps().delete('cm-1');
        await env.configMaps().delete('cm-2');
        await env.configMaps().patch('cm-3', { data: { v: '1' } }, 'merge');
        await churn(env);
        await env.api.store.compact(await env.api.store.currentRevision());
        env.proxy.heal();
        await assertRecovered(env, mark, gone);
        assert.ok(env.informer.stats.relists > relists, 'the informer relisted');
        for (const { key, uid } of gone) {
          assert.ok(env.recorder.deletesOf(key, uid).every((n) => n.tombstone), `${key} is reported by a tombstone: only the relist could tell`);
        }
      }));
  });
}

describe('informer recovery from network faults (memory backend)', () => {
  test('an informer whose connections silently stop carrying packets notices by its watch idle timeout and resumes from its last resourceVersion', () =>
    withEnv({ client: { watchIdleTimeoutMs: 1500 } }, async (env) => {
      const mark = env.recorder.mark();
      const relists = env.informer.stats.relists;
      const gone: Deleted = { key: `${NAMESPACE}/cm-2`, uid: cachedUid(env, 'cm-2') };
      env.proxy.blackhole();
      const errorsBefore = env.errors.length;
      await env.configMaps().patch('cm-0', { data: { v: '1' } }, 'merge');
      await env.configMaps().delete('cm-2');
      await env.configMaps().create({ metadata: { name: 'new-0' } });
      // First the watch goes quiet; then the watch started again gets no answer at all: each is given
      // up after the idle timeout, so neither can hang the informer until TCP gives up.
      await until(() => env.errors.slice(errorsBefore).filter((e) => e instanceof WatchIdleError).length >= 2, 'the informer to give up twice on a silent connection');
      env.proxy.heal();
      await assertRecovered(env, mark, [gone]);
      assert.equal(env.informer.stats.relists, relists, 'the informer resumed its watch rather than relisting');
    }));

  test('an informer whose connection is reset resumes its watch from its last resourceVersion and misses nothing', () =>
    withEnv({}, async (env) => {
      const mark = env.recorder.mark();
      const relists = env.informer.stats.relists;
      const gone: Deleted = { key: `${NAMESPACE}/cm-3`, uid: cachedUid(env, 'cm-3') };
      cutOff(env);
      await env.configMaps().patch('cm-0', { data: { v: '1' } }, 'merge');
      await env.configMaps().delete('cm-3');
      await env.configMaps().create({ metadata: { name: 'new-0' } });
      await until(() => env.proxy.stats.refused > 0, 'the informer to try to reconnect');
      env.proxy.heal();
      await assertRecovered(env, mark, [gone]);
      assert.equal(env.informer.stats.relists, relists, 'the informer resumed its watch rather than relisting');
    }));

  for (const path of ['a resumed watch', 'a relist'] as const) {
    test(`an object deleted and re-created under the same name during an outage reaches handlers as a delete then an add with the new uid, through ${path}`, () =>
      withEnv(path === 'a relist' ? { watchCache: { capacity: WINDOW_CAPACITY } } : {}, async (env) => {
        const mark = env.recorder.mark();
        const relists = env.informer.stats.relists;
        const key = `${NAMESPACE}/cm-0`;
        const oldUid = cachedUid(env, 'cm-0');
        cutOff(env);
        await env.configMaps().delete('cm-0');
        const recreated = await env.configMaps().create({ metadata: { name: 'cm-0' }, data: { v: 'again' } });
        const newUid = recreated.metadata?.uid ?? '';
        assert.notEqual(newUid, oldUid);
        if (path === 'a relist') await churn(env);
        env.proxy.heal();
        await assertRecovered(env, mark, [{ key, uid: oldUid }]);
        assert.deepEqual(env.recorder.since(mark, key), [`delete ${oldUid}`, `add ${newUid}`]);
        if (path === 'a relist') assert.ok(env.informer.stats.relists > relists, 'the informer relisted');
        else assert.equal(env.informer.stats.relists, relists, 'the informer resumed its watch');
      }));
  }

  test('a relist that fails once is retried, and the informer converges', () =>
    // No retries inside the REST client: the failed LIST reaches the Reflector, whose retry is under test.
    // LIST, not the streaming list: the proxy fails a LIST, and the Reflector's retry of it is under test.
    withEnv({ watchCache: { capacity: WINDOW_CAPACITY }, client: { maxRetries: 0 }, useWatchList: false }, async (env) => {
      const mark = env.recorder.mark();
      const lists = env.informer.stats.lists;
      const gone: Deleted = { key: `${NAMESPACE}/cm-1`, uid: cachedUid(env, 'cm-1') };
      cutOff(env);
      await env.configMaps().delete('cm-1');
      await churn(env);
      env.proxy.failNextList();
      env.proxy.heal();
      await assertRecovered(env, mark, [gone]);
      assert.equal(env.proxy.stats.failedLists, 1, 'the proxy failed one LIST');
      assert.ok(env.errors.some((e) => e instanceof ApiError && e.code === 500), 'the reflector saw the failed LIST');
      assert.ok(env.informer.stats.lists >= lists + 2, 'the informer listed again after the failure');
    }));

  test('an informer with the default backoff makes only a handful of attempts against an unreachable server', () =>
    withEnv({ backoff: 'default' }, async (env) => {
      const mark = env.recorder.mark();
      const gone: Deleted = { key: `${NAMESPACE}/cm-4`, uid: cachedUid(env, 'cm-4') };
      const before = { refused: env.proxy.stats.refused, attempts: env.informer.stats.lists + env.informer.stats.watches };
      cutOff(env);
      await env.configMaps().patch('cm-0', { data: { v: '1' } }, 'merge');
      await env.configMaps().delete('cm-4');
      // The outage lasts 3 s; a client without backoff would try hundreds of times.
      await sleep(3000);
      await until(() => env.proxy.stats.refused > before.refused, 'the informer to try at least once');
      const refused = env.proxy.stats.refused - before.refused;
      const attempts = env.informer.stats.lists + env.informer.stats.watches - before.attempts;
      assert.ok(refused <= 6, `${refused} connections in a 3 s outage`);
      assert.ok(attempts <= 6, `${attempts} lists and watches in a 3 s outage`);
      env.proxy.heal();
      await assertRecovered(env, mark, [gone]);
    }));
});
