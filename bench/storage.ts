/**
 * @module
 * The `storage` suite: the three store backends, measured side by side in one run with raw
 * better-sqlite3 and the raw etcd3 client (storage-anchors.ts), on pod-like JSON values of about
 * 2.9 KB (`podValue`).
 *
 * - Creates/s: the SQLite store with 1 and with 64 concurrent writers against one INSERT per
 *   transaction (target: 64 writers ≥ 3× the raw rate, which only group commit can give); the etcd
 *   store with 64 in flight against raw etcd3 puts with 64 in flight (target ≥ 0.9×), and, to show
 *   where a gap comes from, against the raw client sending the store's own create transaction.
 * - Get and list-of-1,000 latency, p50 and p99, per backend, against a raw read where there is one.
 * - Watch deliveries/s to 100 watchers of one prefix, per backend (no anchor).
 *
 * Variants that are compared run alternately, round after round, so drift (the disk, GC, etcd's
 * growing database) falls on each alike; a figure is the median round (a rate, or a percentile of
 * that round's latencies). SQLite files live in a fresh directory under os.tmpdir() and are deleted; etcd is a fresh
 * member on loopback, stopped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../src/storage/interface.js';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { openEtcdStore } from '../src/storage/etcd/etcd-store.js';
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { findEtcdBinary, startEtcdCluster } from '../src/testing/etcd-server.js';
import { silentLogger } from '../src/util/logger.js';
import { type Operation, latencies, median, percentile, throughput } from './measure.js';
import { pod, podKey } from './pods.js';
import { type Figure, type Suite, versus } from './report.js';
import { type ReadAnchor, RawEtcd, RawSqlite } from './storage-anchors.js';
import { watchDeliveries } from './storage-watch.js';

/** How long each part runs. The full run stays under about 3 minutes, the quick one under 40 s. */
interface Plan {
  /** Alternations of compared variants (an odd number, so a median is a measured round). */
  readonly rounds: number;
  /** Discarded warm-up before each measurement. */
  readonly warmupMs: number;
  /** One variant's write-throughput measurement, per round. */
  readonly writeMs: number;
  /** One variant's latency sampling, per round: at least this long... */
  readonly readMs: number;
  /** ...and at least this many samples, unless that takes over 5 × readMs. */
  readonly minSamples: number;
  /** Writing while the watchers read. */
  readonly watchMs: number;
  /** Writes to a fresh etcd before its first measurement. */
  readonly etcdWarmupMs: number;
}

const FULL: Plan = {
  rounds: 5,
  warmupMs: 300,
  writeMs: 2000,
  readMs: 600,
  minSamples: 100,
  watchMs: 2000,
  etcdWarmupMs: 3000,
};
const QUICK: Plan = {
  rounds: 3,
  warmupMs: 100,
  writeMs: 500,
  readMs: 250,
  minSamples: 20,
  watchMs: 700,
  etcdWarmupMs: 1500,
};

/** Concurrent writers (or etcd requests in flight) for the write figures. */
const WRITERS = 64;
/** Keys under the listed prefix; gets read these keys too. */
const LIST_SIZE = 1000;
const READ_PREFIX = '/registry/pods/bench-read/';
const CREATE_PREFIX = '/registry/pods/bench-create/';

/** The suite's stores log nothing: a benchmark's output is its table. */
const QUIET = { logger: silentLogger, compaction: false } as const;

export const storageSuite: Suite = async ({ quick, log }) => {
  const plan = quick ? QUICK : FULL;
  const dir = mkdtempSync(join(tmpdir(), 'kubelite-bench-'));
  try {
    return [...(await memoryFigures(plan, log)), ...(await sqliteFigures(plan, dir, log)), ...(await etcdFigures(plan, log))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

type Log = (line: string) => void;

async function memoryFigures(plan: Plan, log: Log): Promise<Figure[]> {
  const store = new MemoryStore(QUIET);
  try {
    log('memory: reads');
    const reads = await readFigures('memory', store, undefined, plan);
    log('memory: watch');
    return [...reads, await watchDeliveries('memory', store, { ...plan, writers: WRITERS })];
  } finally {
    await store.close();
  }
}

async function sqliteFigures(plan: Plan, dir: string, log: Log): Promise<Figure[]> {
  const rates = { raw: [] as number[], one: [] as number[], many: [] as number[] };
  for (let round = 1; round <= plan.rounds; round++) {
    rates.raw.push(await rawSqliteCreates(dir, plan));
    rates.one.push(await sqliteStoreCreates(dir, plan, 1));
    rates.many.push(await sqliteStoreCreates(dir, plan, WRITERS));
    log(`sqlite creates, round ${round}: raw ${rate(rates.raw)}, store 1 writer ${rate(rates.one)}, ${WRITERS} ${rate(rates.many)}`);
  }
  const anchor = { name: 'raw better-sqlite3, 1 INSERT per transaction', value: median(rates.raw) };
  const figures = [
    versus('sqlite creates/s, 1 writer', 'creates/s', median(rates.one), anchor),
    versus(`sqlite creates/s, ${WRITERS} writers`, 'creates/s', median(rates.many), anchor, 3),
  ];

  const store = await openSqliteStore(join(dir, 'reads.db'), QUIET);
  const raw = new RawSqlite(join(dir, 'reads-raw.db'));
  try {
    for (let i = 0; i < LIST_SIZE; i++) raw.insert(podKey(READ_PREFIX, i), pod(i));
    log('sqlite: reads');
    figures.push(...(await readFigures('sqlite', store, raw, plan)));
    log('sqlite: watch');
    figures.push(await watchDeliveries('sqlite', store, { ...plan, writers: WRITERS }));
    return figures;
  } finally {
    raw.close();
    await store.close();
  }
}

/** Inserts/s of raw better-sqlite3 on a fresh file. It is synchronous: one writer is all it can have. */
function rawSqliteCreates(dir: string, plan: Plan): Promise<number> {
  return inFreshFile(dir, async (path) => {
    const raw = new RawSqlite(path);
    try {
      const insert = (i: number): void => raw.insert(podKey(CREATE_PREFIX, i), pod(i));
      return await throughput(insert, { durationMs: plan.writeMs, warmupMs: plan.warmupMs, concurrency: 1 });
    } finally {
      raw.close();
    }
  });
}

/** Creates/s of the SQLite store on a fresh file with `writers` concurrent writers. */
function sqliteStoreCreates(dir: string, plan: Plan, writers: number): Promise<number> {
  return inFreshFile(dir, async (path) => {
    const store = await openSqliteStore(path, QUIET);
    try {
      const options = { durationMs: plan.writeMs, warmupMs: plan.warmupMs, concurrency: writers };
      return await throughput(creates(store, CREATE_PREFIX), options);
    } finally {
      await store.close();
    }
  });
}

async function etcdFigures(plan: Plan, log: Log): Promise<Figure[]> {
  const cluster = await startEtcdCluster({ binary: findEtcdBinary({ install: true }) });
  log(`etcd: serving at ${cluster.endpoints.join(',')}`);
  const raw = new RawEtcd(cluster.endpoints);
  try {
    const store = await openEtcdStore({ ...QUIET, endpoints: cluster.endpoints });
    try {
      const rates = { put: [] as number[], txn: [] as number[], store: [] as number[] };
      const write = { durationMs: plan.writeMs, warmupMs: plan.warmupMs, concurrency: WRITERS };
      // A fresh etcd runs at a third of its speed for its first seconds of writes (its database file
      // grows in steps); whichever variant ran first would pay for that.
      await throughput((i) => raw.put(podKey('/warmup/', i), pod(i)), { ...write, durationMs: plan.etcdWarmupMs });
      for (let round = 1; round <= plan.rounds; round++) {
        // A prefix per round and variant: a create of a key that exists would fail.
        const prefix = `${CREATE_PREFIX}${round}/`;
        rates.put.push(await throughput((i) => raw.put(podKey(`/put${prefix}`, i), pod(i)), write));
        rates.txn.push(await throughput((i) => raw.create(podKey(`/txn${prefix}`, i), pod(i)), write));
        rates.store.push(await throughput(creates(store, prefix), write));
        log(`etcd creates, round ${round}: raw put ${rate(rates.put)}, raw txn ${rate(rates.txn)}, store ${rate(rates.store)}`);
      }
      const name = `etcd creates/s, ${WRITERS} in flight`;
      const value = median(rates.store);
      const put = { name: `raw etcd3 client puts, ${WRITERS} in flight`, value: median(rates.put) };
      const txn = { name: `raw etcd3 txn create (mod_revision = 0), ${WRITERS} in flight`, value: median(rates.txn) };
      const figures = [versus(name, 'creates/s', value, put, 0.9), versus(`${name} (same txn)`, 'creates/s', value, txn)];
      log('etcd: reads');
      figures.push(...(await readFigures('etcd', store, raw, plan)));
      log('etcd: watch');
      figures.push(await watchDeliveries('etcd', store, { ...plan, writers: WRITERS }));
      return figures;
    } finally {
      await store.close();
    }
  } finally {
    raw.close();
    await cluster.stop();
  }
}

/**
 * Get and list latency of `store` (and of `anchor`, reading an equal copy of the data or, for etcd,
 * the very same keys), after filling the read prefix with LIST_SIZE values.
 */
async function readFigures(backend: string, store: Store, anchor: ReadAnchor | undefined, plan: Plan): Promise<Figure[]> {
  await fill(store);
  // Not a timing assertion: a check that store and anchor read the same data, so the comparison holds.
  const listed = (await store.list(READ_PREFIX)).items.length;
  const anchorListed = anchor === undefined ? LIST_SIZE : await anchor.count(READ_PREFIX);
  if (listed !== LIST_SIZE || anchorListed !== LIST_SIZE) {
    throw new Error(`${backend}: the read prefix holds ${listed} keys (anchor ${anchorListed}), not ${LIST_SIZE}`);
  }
  // Every variant reads the same key sequence; 7919 is prime, so the stride visits every key.
  const key = (i: number): string => podKey(READ_PREFIX, (i * 7919) % LIST_SIZE);
  const gets = await compareLatencies(plan, (i) => store.get(key(i)), anchor && ((i) => anchor.get(key(i))));
  const lists = await compareLatencies(plan, () => store.list(READ_PREFIX), anchor && (() => anchor.list(READ_PREFIX)));
  const figures: Figure[] = [];
  for (const [what, samples, unit, scale] of [
    ['get', gets, 'µs', 1000],
    [`list ${LIST_SIZE.toLocaleString('en-US')}`, lists, 'ms', 1],
  ] as const) {
    for (const p of [50, 99]) {
      const name = `${backend} ${what} p${p}`;
      const value = roundPercentile(samples.store, p) * scale;
      figures.push(
        samples.anchor === undefined || anchor === undefined
          ? { name, value, unit }
          : versus(name, unit, value, { name: anchor.name, value: roundPercentile(samples.anchor, p) * scale }),
      );
    }
  }
  return figures;
}

/**
 * Latency samples of `store` and `anchor`, one round each, alternating, after a warm-up of each. Each
 * round is kept apart: a figure is the median of the rounds' percentiles, so one disturbed round (a
 * neighbour on the machine, a major GC) does not decide a p99.
 */
async function compareLatencies(
  plan: Plan,
  store: Operation,
  anchor: Operation | undefined,
): Promise<{ readonly store: number[][]; readonly anchor: number[][] | undefined }> {
  await latencies(store, { durationMs: plan.warmupMs });
  if (anchor !== undefined) await latencies(anchor, { durationMs: plan.warmupMs });
  const sampling = { durationMs: plan.readMs, minSamples: plan.minSamples };
  const storeRounds: number[][] = [];
  const anchorRounds: number[][] = [];
  for (let round = 0; round < plan.rounds; round++) {
    storeRounds.push(await latencies(store, sampling));
    if (anchor !== undefined) anchorRounds.push(await latencies(anchor, sampling));
  }
  return { store: storeRounds, anchor: anchor === undefined ? undefined : anchorRounds };
}

/** The median over rounds of each round's `p`th percentile. */
function roundPercentile(rounds: readonly (readonly number[])[], p: number): number {
  return median(rounds.map((samples) => percentile(samples, p)));
}

/** Creates LIST_SIZE keys under the read prefix, WRITERS at a time. */
async function fill(store: Store): Promise<void> {
  let next = 0;
  const loop = async (): Promise<void> => {
    for (let i = next++; i < LIST_SIZE; i = next++) await store.create(podKey(READ_PREFIX, i), pod(i));
  };
  await Promise.all(Array.from({ length: WRITERS }, loop));
}

/** An operation that creates the i-th pod under `prefix`. */
function creates(store: Store, prefix: string): Operation {
  return (i) => store.create(podKey(prefix, i), pod(i));
}

/** Runs `body` on a new SQLite file in `dir`, then deletes the file with its -wal and -shm. */
async function inFreshFile<T>(dir: string, body: (path: string) => Promise<T>): Promise<T> {
  const fileDir = mkdtempSync(join(dir, 'db-'));
  try {
    return await body(join(fileDir, 'bench.db'));
  } finally {
    rmSync(fileDir, { recursive: true, force: true });
  }
}

/** The latest round's rate, for progress lines. */
function rate(rounds: readonly number[]): string {
  return `${Math.round(rounds[rounds.length - 1] ?? 0)}/s`;
}
