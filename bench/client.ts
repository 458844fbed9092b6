/**
 * @module
 * The `client` suite: kubelite's SharedIndexInformer against @kubernetes/client-node's informer, on
 * one kubelite API server holding 100,000 pods (10,000 with `--quick`), in the same run; and
 * kubelite's work queue against a plain array (client-workqueue.ts).
 *
 * Processes: the server runs in a process of its own (api-host.ts, SQLite in a temporary
 * directory); every informer runs in a fresh process of its own (client-informer.ts), so its RSS and
 * CPU time are its own; this process loads the pods and writes the updates.
 *
 * Each round, each informer in turn (the order alternating from round to round):
 * 1. starts in a fresh process and lists and watches the pods of the namespace: **time to sync** runs
 *    from starting it until its handler has been told of every pod (and, for kubelite, hasSynced());
 * 2. **RSS after sync**, and heap used, after a full GC;
 * 3. after 2 s idle, this process merge-patches 10,000 pods through the API (32 in flight) while the
 *    informer watches: **CPU for 10,000 updates** is the informer process's CPU time (user + system,
 *    all its threads, so GC too) from just before the first patch until its handler has had the
 *    10,000th update notification.
 *
 * The two informers take turns rather than run at the same time. The machine has 2 cores, shared by
 * the server, this writer and the informers: run together, the two would compete for a core while
 * syncing, and whichever finished first would hand the other the core — time to sync would measure
 * the contention. Alone with the server, each sees the same server, data and update stream
 * (the same 10,000 pods patched the same way, at the pace the server serves patches), and the
 * alternation spreads any drift of the machine over both.
 *
 * Two floors follow the pair each round (client-informer-bare.ts): a bare informer (JSON.parse into
 * a Map, nothing else), and the same receiving the updates without parsing them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JsonObject, isJsonObject } from '../src/api/json.js';
import { NAMESPACE, PODS_PATH, podManifest } from './api-pods.js';
import { type Host, Processes } from './api-run.js';
import type { InformerChildApi, Variant } from './client-informer.js';
import { patchPods, send } from './client-writer.js';
import { type QueuePlan, workQueueFigures } from './client-workqueue.js';
import { median } from './measure.js';
import type { MemoryReading } from './peak-memory.js';
import { type Figure, type Suite, versus } from './report.js';
import { ChildRpc, monotonicMs } from './rpc.js';

interface Plan {
  readonly pods: number;
  readonly updates: number;
  /** Rounds of both informers (odd, so the median is a measured round). */
  readonly rounds: number;
  readonly queue: QueuePlan;
}

/** About 3 min 15 s on the recording machine. */
const FULL: Plan = { pods: 100_000, updates: 10_000, rounds: 5, queue: { sizes: [10_000, 100_000], rounds: 5 } };
/** About 50 s: a smoke check. */
const QUICK: Plan = { pods: 10_000, updates: 10_000, rounds: 1, queue: { sizes: [10_000, 100_000], rounds: 3 } };

/** Store writers loading the pods (as the api suite's). */
const LOAD_WRITERS = 64;
/** Patches in flight while the informers watch. */
const PATCH_CLIENTS = 32;
const PREFIX = 'pod-';
/** The target, as the greatest acceptable ratio kubelite ÷ client-node for time and memory. */
const TARGET = 0.5;
const SYNC_TIMEOUT_MS = 600_000;
const UPDATES_TIMEOUT_MS = 300_000;
/** Idle time between the memory reading and the updates. */
const SETTLE_MS = 2000;
const MiB = 2 ** 20;

/** Set to a directory to have every informer process write a V8 CPU profile there. */
export const CLIENT_CPU_PROFILE_ENV = 'KUBELITE_BENCH_CLIENT_CPU_PROF';

const INFORMER_PATH = fileURLToPath(new URL('./client-informer.js', import.meta.url));

/** What one informer did in one round. */
interface Round {
  readonly syncMs: number;
  /** After a full GC, before the informer existed (the library loaded). */
  readonly baseline: MemoryReading;
  /** After a full GC, once synced. */
  readonly synced: MemoryReading;
  readonly updateCpuMs: number;
  /** From the first patch sent to the last update notification handled. */
  readonly updateWallMs: number;
  /** CPU time the server spent while this informer synced: its list and watch. */
  readonly serverSyncCpuMs: number;
}

type Informer = ChildRpc<InformerChildApi>;

export const clientSuite: Suite = async ({ quick, log }) => {
  const plan = quick ? QUICK : FULL;
  // First, while no other process of the suite is running.
  const queue = await workQueueFigures(plan.queue, log);

  const dir = mkdtempSync(join(tmpdir(), 'kubelite-bench-client-'));
  const processes = new Processes();
  const informers = new Set<Informer>();
  // Ctrl-C would skip the finally below: kill the children and delete the files first.
  const onSignal = (signal: NodeJS.Signals): void => {
    processes.killAll();
    for (const informer of informers) informer.kill();
    rmSync(dir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const host = await processes.host('client');
    const { port } = await host.call('startKubelite', { path: join(dir, 'client.db') });
    await loadPods(host, port, plan, log);
    // Every pod patched once before the first round: the first informer lists pods of the same size as
    // the rest, and the server's patch path is warm.
    await patchPods(port, { prefix: PREFIX, count: plan.updates, value: 'warm-up', clients: PATCH_CLIENTS });

    const rounds: Record<Variant, Round[]> = { kubelite: [], 'client-node': [], bare: [], receive: [] };
    for (let round = 1; round <= plan.rounds; round++) {
      // The floors (bare, then receive-only) go last each round; the two under comparison alternate.
      const floors: readonly Variant[] = ['bare', 'receive'];
      const order: readonly Variant[] = round % 2 === 1 ? ['kubelite', 'client-node', ...floors] : ['client-node', 'kubelite', ...floors];
      for (const variant of order) {
        const result = await informerRound({ host, port, plan, informers, variant, round });
        rounds[variant].push(result);
        log(
          `informer, round ${round}, ${variant}: synced in ${ms(result.syncMs)} ms (server CPU ${ms(result.serverSyncCpuMs)} ms), ` +
            `RSS ${mib(result.baseline.rss)} → ${mib(result.synced.rss)} MiB, heap used ${mib(result.baseline.heapUsed)} → ${mib(result.synced.heapUsed)} MiB; ` +
            `${plan.updates.toLocaleString('en-US')} updates: ${ms(result.updateCpuMs)} ms CPU over ${ms(result.updateWallMs)} ms`,
        );
      }
    }
    const figures = [...informerFigures(plan, rounds), ...floorFigures(plan, rounds)];
    for (const figure of figures.slice(0, 3)) {
      const ratio = figure.value / (figure.anchorValue ?? Number.NaN);
      log(`target ≤ ${TARGET}× client-node: ${figure.name}: ${ratio.toFixed(2)}× ${ratio <= TARGET ? 'met' : 'NOT met'}`);
    }
    return [...figures, ...queue];
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await Promise.all([...informers].map((informer) => informer.stop()));
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Creates one pod through the API, so the pods written straight to the store are the object the
 * API returns (defaults, tolerations, status; about 1.4 KB as JSON), then deletes it and writes
 * `plan.pods` copies under other names: the server's watch cache holds exactly that many.
 */
async function loadPods(host: Host, port: number, plan: Plan, log: (line: string) => void): Promise<void> {
  const created = await send(false, port, 'POST', PODS_PATH, JSON.stringify(podManifest('template')));
  const template: unknown = JSON.parse(created.body);
  if (created.status !== 201 || !isJsonObject(template)) throw new Error(`create pod template: HTTP ${created.status}: ${created.body}`);
  const deleted = await send(false, port, 'DELETE', `${PODS_PATH}/template`);
  if (deleted.status !== 200) throw new Error(`delete pod template: HTTP ${deleted.status}: ${deleted.body}`);
  log(`loading ${plan.pods.toLocaleString('en-US')} pods of ${Buffer.byteLength(created.body).toLocaleString('en-US')} bytes into the server's store`);
  const written = await host.call('writePods', { template: template as JsonObject, prefix: PREFIX, count: plan.pods, writers: LOAD_WRITERS });
  if (written.writes !== plan.pods) throw new Error(`the store made ${written.writes} writes, not ${plan.pods}`);
}

async function informerRound(arg: {
  readonly host: Host;
  readonly port: number;
  readonly plan: Plan;
  readonly informers: Set<Informer>;
  readonly variant: Variant;
  readonly round: number;
}): Promise<Round> {
  const { host, port, plan, informers, variant, round } = arg;
  const profileDir = process.env[CLIENT_CPU_PROFILE_ENV];
  const profile =
    profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=client-${variant}-${round}.cpuprofile`];
  // --expose-gc: memory readings after a full GC count only what is live.
  const informer = await ChildRpc.start<InformerChildApi>(`${variant} informer`, INFORMER_PATH, ['--expose-gc', ...profile]);
  informers.add(informer);
  try {
    const baseline = await informer.call('load', { variant });
    const serverCpu0 = await host.call('cpuMs');
    const sync = await informer.call('sync', { server: `http://127.0.0.1:${port}`, namespace: NAMESPACE, expected: plan.pods, timeoutMs: SYNC_TIMEOUT_MS });
    const serverSyncCpuMs = (await host.call('cpuMs')) - serverCpu0;
    const synced = await informer.call('memory', { gc: true });
    // The sync leaves garbage that V8 frees in the background (sweeping, returning pages) for a
    // while; that is the sync's cost, not the updates', so it is given time to finish first.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await informer.call('armUpdates', { count: plan.updates });
    const writeStart = monotonicMs();
    const [, updates] = await Promise.all([
      patchPods(port, { prefix: PREFIX, count: plan.updates, value: `round-${round}-${variant}`, clients: PATCH_CLIENTS }),
      informer.call('awaitUpdates', { timeoutMs: UPDATES_TIMEOUT_MS }),
    ]);
    return { syncMs: sync.ms, baseline, synced, updateCpuMs: updates.cpuMs, updateWallMs: updates.atMs - writeStart, serverSyncCpuMs };
  } finally {
    await informer.stop();
    informers.delete(informer);
  }
}

function informerFigures(plan: Plan, rounds: Record<Variant, readonly Round[]>): Figure[] {
  const anchorName = `@kubernetes/client-node ${clientNodeVersion()} makeInformer`;
  const both = (name: string, unit: string, pick: (round: Round) => number): Figure =>
    versus(name, unit, median(rounds.kubelite.map(pick)), { name: anchorName, value: median(rounds['client-node'].map(pick)) });
  const n = plan.pods.toLocaleString('en-US');
  const u = plan.updates.toLocaleString('en-US');
  return [
    both(`informer time to sync (${n} pods)`, 'ms', (r) => r.syncMs),
    both(`informer RSS after sync (${n} pods)`, 'MiB', (r) => r.synced.rss / MiB),
    both(`informer CPU for ${u} updates`, 'ms', (r) => r.updateCpuMs),
    both(`informer heap used after sync (${n} pods)`, 'MiB', (r) => r.synced.heapUsed / MiB),
    both('informer RSS before start (library loaded)', 'MiB', (r) => r.baseline.rss / MiB),
    both(`informer wall time for ${u} updates (server-bound)`, 'ms', (r) => r.updateWallMs),
    both(`server CPU while the informer synced`, 'ms', (r) => r.serverSyncCpuMs),
  ];
}

/**
 * The floors beside the anchor, in the same rounds: the bare informer (bench/client-informer-bare.ts:
 * LIST, one watch, JSON.parse, a Map) against client-node — where it is near 1×, no Node.js informer
 * over JSON can be much cheaper than client-node, whatever its machinery — and the same informer
 * receiving the updates without parsing them, the cost of the watch stream itself over node:http,
 * which no informer of any encoding can go below.
 */
function floorFigures(plan: Plan, rounds: Record<Variant, readonly Round[]>): Figure[] {
  const anchorName = `@kubernetes/client-node ${clientNodeVersion()} makeInformer`;
  const floor = (name: string, unit: string, pick: (round: Round) => number): Figure =>
    versus(name, unit, median(rounds.bare.map(pick)), { name: anchorName, value: median(rounds['client-node'].map(pick)) });
  const n = plan.pods.toLocaleString('en-US');
  const u = plan.updates.toLocaleString('en-US');
  return [
    floor(`floor: bare node:http informer, time to sync (${n} pods)`, 'ms', (r) => r.syncMs),
    floor(`floor: bare node:http informer, RSS after sync (${n} pods)`, 'MiB', (r) => r.synced.rss / MiB),
    floor(`floor: bare node:http informer, CPU for ${u} updates`, 'ms', (r) => r.updateCpuMs),
    versus(`floor: receiving the ${u} updates over node:http, unparsed`, 'ms', median(rounds.receive.map((r) => r.updateCpuMs)), {
      name: anchorName,
      value: median(rounds['client-node'].map((r) => r.updateCpuMs)),
    }),
  ];
}

/** The installed @kubernetes/client-node's version, for the anchor's name. */
function clientNodeVersion(): string {
  const path = createRequire(import.meta.url).resolve('@kubernetes/client-node/package.json');
  const manifest: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return isJsonObject(manifest) && typeof manifest.version === 'string' ? manifest.version : 'unknown version';
}

function ms(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function mib(bytes: number): string {
  return (bytes / MiB).toFixed(0);
}
