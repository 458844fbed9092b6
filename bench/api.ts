/**
 * @module
 * The `api` suite: kubelite's API server over HTTP, on SQLite, with load from a separate process
 * (load-worker.ts) and the server in a process of its own (api-host.ts), each figure measured side
 * by side with its anchor in the same run, the variants taking turns round after round.
 *
 * - GET of one pod: requests/s and latency with 16 keep-alive clients, against a bare node:http
 *   server answering with the same bytes and headers (target ≥ 0.6×).
 * - Durable creates/s over HTTP with 64 clients, beside raw better-sqlite3's per-commit rate,
 *   measured here as the storage suite measures it (and quoted from its results file).
 * - Watch fan-out to 1,000 watchers (api-watch.ts, target ≥ 0.6×).
 * - LIST of 10,000 pods as JSON and as Table, and the server's memory (api-list.ts).
 *
 * Upstream's API call latency SLOs are the floor, checked at the end (see `checkSlos`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JsonObject, isJsonObject } from '../src/api/json.js';
import { listFigures } from './api-list.js';
import { PODS_PATH, manifestTemplate, podManifest } from './api-pods.js';
import { FULL, type Measured, cpuPerRequest, Processes, QUICK, type Run, formatCpu, perSecond, withCpu } from './api-run.js';
import { watchFigures } from './api-watch.js';
import type { LoadResult, LoadSpec } from './load-worker.js';
import { median } from './measure.js';
import { type Figure, type Suite, versus } from './report.js';

/** Keep-alive clients for the GET figure. */
const GET_CLIENTS = 16;
/** Concurrent clients for the create figure. */
const CREATE_CLIENTS = 64;
const RAW_ANCHOR = 'raw better-sqlite3, 1 INSERT per transaction';

/** The storage suite's results, for the raw per-commit figure it recorded. */
const STORAGE_RESULTS = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../../bench/results/storage.json' : './results/storage.json', import.meta.url),
);

export const apiSuite: Suite = async ({ quick, log }) => {
  const plan = quick ? QUICK : FULL;
  const dir = mkdtempSync(join(tmpdir(), 'kubelite-bench-api-'));
  const processes = new Processes();
  // Ctrl-C would skip the finally below: kill the children and delete the files first.
  const onSignal = (signal: NodeJS.Signals): void => {
    processes.killAll();
    rmSync(dir, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const run: Run = { plan, dir, processes, worker: await processes.worker(), log };
    const get = await getFigures(run);
    const creates = await createFigures(run);
    log('watch: 1,000 watchers');
    const watch = await watchFigures(run, get.template);
    const list = await listFigures(run, get.template);
    checkSlos(log, [
      { what: 'GET pod (single object)', p99: get.worstP99, ceilingMs: 1000 },
      { what: 'POST pod (single object, mutating)', p99: creates.worstP99, ceilingMs: 1000 },
      { what: 'LIST pods in a namespace, JSON', p99: list.worstP99.json, ceilingMs: 5000 },
      { what: 'LIST pods in a namespace, Table', p99: list.worstP99.table, ceilingMs: 5000 },
    ]);
    return [...get.figures, ...creates.figures, ...watch, ...list.figures];
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
};


interface GetOutcome {
  readonly figures: Figure[];
  /** The pod as the API returned it: the model for every pod written straight to the store. */
  readonly template: JsonObject;
  readonly worstP99: number;
}

async function getFigures(run: Run): Promise<GetOutcome> {
  const { plan, worker, log } = run;
  const host = await run.processes.host('get');
  try {
    const { port } = await host.call('startKubelite', { path: join(run.dir, 'get.db') });
    const path = `${PODS_PATH}/p`;
    const created = await worker.call('request', { port, path: PODS_PATH, method: 'POST', body: JSON.stringify(podManifest('p')) });
    if (created.status !== 201) throw new Error(`create pod p: HTTP ${created.status}: ${created.body}`);
    const got = await worker.call('request', { port, path });
    const template: unknown = JSON.parse(got.body);
    if (got.status !== 200 || !isJsonObject(template)) throw new Error(`get pod p: HTTP ${got.status}`);
    const headers = { 'Content-Type': got.headers['content-type'] ?? '', 'Cache-Control': got.headers['cache-control'] ?? '' };
    const anchor = await host.call('startGetAnchor', { body: got.body, headers });
    // Not a timing assertion: the anchor answers with kubelite's very bytes and headers.
    const answered = await worker.call('request', { port: anchor.port, path });
    for (const name of ['content-type', 'content-length', 'cache-control', 'keep-alive']) {
      if (answered.headers[name] !== got.headers[name]) throw new Error(`the GET anchor's ${name} differs from kubelite's`);
    }
    if (answered.body !== got.body) throw new Error("the GET anchor's body differs from kubelite's");
    log(`get: pod of ${Buffer.byteLength(got.body).toLocaleString('en-US')} bytes`);

    const spec = (target: number, durationMs: number): LoadSpec => ({ port: target, path, expectStatus: 200, concurrency: GET_CLIENTS, durationMs });
    // The anchor's request path is node:http's own, which kubelite's warm-up has already warmed.
    await worker.call('load', spec(port, plan.jitWarmupMs));
    await worker.call('load', spec(anchor.port, plan.warmupMs));
    const rounds = { kubelite: [] as Measured[], anchor: [] as Measured[] };
    for (let round = 1; round <= plan.rounds; round++) {
      const k = await withCpu(run, host, () => worker.call('load', spec(port, plan.getMs)));
      const a = await withCpu(run, host, () => worker.call('load', spec(anchor.port, plan.getMs)));
      rounds.kubelite.push(k);
      rounds.anchor.push(a);
      log(
        `get, round ${round}: kubelite ${perSecond(k.result.perSecond)} (${formatCpu(k.cpu)}, ${cpuPerRequest(k).toFixed(0)} µs per request), ` +
          `anchor ${perSecond(a.result.perSecond)} (${formatCpu(a.cpu)}, ${cpuPerRequest(a).toFixed(0)} µs per request)`,
      );
    }
    const anchorName = 'bare node:http, same bytes and headers';
    const both = (name: string, unit: string, pick: (m: Measured) => number, minRatio?: number): Figure =>
      versus(name, unit, median(rounds.kubelite.map(pick)), { name: anchorName, value: median(rounds.anchor.map(pick)) }, minRatio);
    const figures = [
      both(`GET pod requests/s, ${GET_CLIENTS} keep-alive clients`, 'requests/s', (m) => m.result.perSecond, 0.6),
      both('GET pod p50', 'ms', (m) => m.result.p50),
      both('GET pod p99', 'ms', (m) => m.result.p99),
      both('GET pod, server CPU per request', 'µs', cpuPerRequest),
    ];
    return { figures, template, worstP99: Math.max(...rounds.kubelite.map((m) => m.result.p99)) };
  } finally {
    await run.processes.stop(host);
  }
}

/**
 * Creates/s over HTTP: each round a fresh SQLite file and ApiServer take 64 clients POSTing pods
 * with unique names (a warm-up, then the timed load); then raw better-sqlite3 inserts on a fresh
 * file for as long, in the same server process.
 */
async function createFigures(run: Run): Promise<{ readonly figures: Figure[]; readonly worstP99: number }> {
  const { plan, worker, log } = run;
  const host = await run.processes.host('creates');
  try {
    const body = manifestTemplate();
    const spec = (port: number, namePrefix: string, durationMs: number): LoadSpec => ({
      port,
      path: PODS_PATH,
      method: 'POST',
      body: { ...body, namePrefix },
      expectStatus: 201,
      concurrency: CREATE_CLIENTS,
      durationMs,
    });
    // JIT warm-up on a server of its own, so every round starts from an empty store alike.
    const warm = await host.call('startKubelite', { path: join(run.dir, 'creates-warmup.db') });
    await worker.call('load', spec(warm.port, 'jit-', plan.jitWarmupMs));
    await host.call('stopKubelite', { deleteFiles: true });
    const rounds = { kubelite: [] as LoadResult[], raw: [] as number[], batch: [] as number[] };
    for (let round = 1; round <= plan.rounds; round++) {
      const { port } = await host.call('startKubelite', { path: join(run.dir, `creates-${round}.db`) });
      await worker.call('load', spec(port, 'warm-', plan.warmupMs));
      const before = await host.call('storeStats');
      const k = await withCpu(run, host, () => worker.call('load', spec(port, 'c-', plan.createMs)));
      const after = await host.call('storeStats');
      await host.call('stopKubelite', { deleteFiles: true });
      const raw = await host.call('rawCreates', { dir: run.dir, durationMs: plan.createMs, warmupMs: plan.warmupMs });
      rounds.kubelite.push(k.result);
      rounds.raw.push(raw);
      rounds.batch.push((after.writes - before.writes) / Math.max(1, after.commits - before.commits));
      log(
        `creates, round ${round}: kubelite ${perSecond(k.result.perSecond)} (${formatCpu(k.cpu)}, ${cpuPerRequest(k).toFixed(0)} µs per create, ` +
          `${last(rounds.batch).toFixed(1)} writes per commit), raw ${perSecond(raw)}`,
      );
    }
    const name = `HTTP creates/s, ${CREATE_CLIENTS} clients (SQLite, acknowledged after the WAL sync)`;
    const value = median(rounds.kubelite.map((r) => r.perSecond));
    const figures: Figure[] = [versus(name, 'creates/s', value, { name: `${RAW_ANCHOR} (this run)`, value: median(rounds.raw) })];
    const recorded = recordedRawRate();
    if (recorded !== undefined) {
      figures.push({ name: `${RAW_ANCHOR}, quoted from storage.json (${recorded.date})`, value: recorded.value, unit: 'creates/s' });
    }
    figures.push(
      { name: 'POST pod (create) p50', value: median(rounds.kubelite.map((r) => r.p50)), unit: 'ms' },
      { name: 'POST pod (create) p99', value: median(rounds.kubelite.map((r) => r.p99)), unit: 'ms' },
    );
    return { figures, worstP99: Math.max(...rounds.kubelite.map((r) => r.p99)) };
  } finally {
    await run.processes.stop(host);
  }
}

/** The raw per-commit rate the storage suite last recorded, if its results file is there. */
function recordedRawRate(): { readonly value: number; readonly date: string } | undefined {
  if (!existsSync(STORAGE_RESULTS)) return undefined;
  const report: unknown = JSON.parse(readFileSync(STORAGE_RESULTS, 'utf8'));
  if (!isJsonObject(report) || !Array.isArray(report.results)) return undefined;
  for (const result of report.results) {
    if (isJsonObject(result) && typeof result.anchor === 'string' && result.anchor.startsWith('raw better-sqlite3') && typeof result.anchorValue === 'number') {
      return { value: result.anchorValue, date: typeof report.date === 'string' ? report.date.slice(0, 10) : 'undated' };
    }
  }
  return undefined;
}

interface SloCheck {
  readonly what: string;
  /** The worst round's p99, in ms. */
  readonly p99: number;
  readonly ceilingMs: number;
}

/**
 * Upstream's API call latency SLOs (kubernetes/community sig-scalability/slos/api_call_latency.md):
 * p99 ≤ 1 s for single-object calls, mutating or not, and ≤ 5 s for lists of one namespace. Upstream
 * measures from the server receiving the request to its last byte sent; this suite measures at the
 * client, which includes that, and checks each figure's worst round rather than a median.
 */
function checkSlos(log: (line: string) => void, checks: readonly SloCheck[]): void {
  log('upstream SLOs (api_call_latency.md), p99 of the worst round, measured at the client:');
  for (const { what, p99, ceilingMs } of checks) {
    log(`  ${what}: p99 ${p99.toFixed(p99 < 10 ? 2 : 0)} ms ≤ ${ceilingMs / 1000} s: ${p99 <= ceilingMs ? 'met' : 'NOT met'}`);
  }
}

function last(values: readonly number[]): number {
  return values[values.length - 1] ?? Number.NaN;
}
