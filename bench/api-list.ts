/**
 * @module
 * The `api` suite's list figures: LIST of the 10,000 pods of one namespace, as JSON and as a Table
 * (what `kubectl get pods` asks for), and what serving them costs the server process in memory.
 *
 * The pods are written straight to a SQLite file by the suite (over HTTP they would take most of
 * the run), as copies of the pod created through the API. Each server process below opens that file
 * and serves it with a fresh ApiServer, whose watch cache lists the 10,000 pods at start.
 *
 * - Memory: a fresh server process per list format. Its memory is read after a full GC with the
 *   ApiServer constructed (caches empty) and again once it has started (cache filled); then its
 *   peak RSS and heap used over one list (peak-memory.ts). A fresh process, because RSS rarely
 *   shrinks: in a process that had served other lists, the "peak" would be the pages those left.
 * - Latency: another fresh server process; the load worker lists one request at a time, latency to
 *   the last byte of the body, the two formats taking turns round after round.
 */
import { join } from 'node:path';
import { type JsonObject, isJsonObject } from '../src/api/json.js';
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { silentLogger } from '../src/util/logger.js';
import { PODS_PATH, podStorageKey, storedPod } from './api-pods.js';
import { type Run, formatCpu, withCpu } from './api-run.js';
import type { SequentialResult, Target } from './load-worker.js';
import { median } from './measure.js';
import type { MemoryReading } from './peak-memory.js';
import type { Figure } from './report.js';

export const LIST_PODS = 10_000;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const FILL_WRITERS = 64;
const MiB = 2 ** 20;

export interface ListOutcome {
  readonly figures: Figure[];
  /** The worst round's p99 per format, for the SLO check. */
  readonly worstP99: { readonly json: number; readonly table: number };
}

/** A list format: the headers that ask for it. */
type Format = 'JSON' | 'Table';
const HEADERS: Readonly<Record<Format, Readonly<Record<string, string>>>> = { JSON: {}, Table: { Accept: TABLE_ACCEPT } };

export async function listFigures(run: Run, template: JsonObject): Promise<ListOutcome> {
  const path = join(run.dir, 'list.db');
  run.log(`list: writing ${LIST_PODS.toLocaleString('en-US')} pods to the store`);
  await fill(path, template);
  const table = await memoryOfOneList(run, path, 'Table');
  const json = await memoryOfOneList(run, path, 'JSON');
  const latency = await listLatencies(run, path);
  const n = LIST_PODS.toLocaleString('en-US');
  const memory = (what: string, reading: MemoryReading): Figure[] => [
    { name: `server RSS, ${what}`, value: reading.rss / MiB, unit: 'MiB' },
    { name: `server heap used, ${what}`, value: reading.heapUsed / MiB, unit: 'MiB' },
  ];
  return {
    figures: [
      ...latency.figures,
      ...memory('ApiServer constructed, cache empty (after GC)', table.before),
      ...memory(`cache filled with ${n} pods (after GC)`, table.after),
      ...memory('peak during one Table list', table.peak),
      ...memory('peak during one JSON list', json.peak),
    ],
    worstP99: latency.worstP99,
  };
}

/** Memory of a fresh server process: before and after its cache fills, and its peak over one list. */
async function memoryOfOneList(
  run: Run,
  path: string,
  format: Format,
): Promise<{ readonly before: MemoryReading; readonly after: MemoryReading; readonly peak: MemoryReading }> {
  const host = await run.processes.host(`list-memory-${format.toLowerCase()}`);
  try {
    await host.call('openStore', { path });
    await host.call('createServer');
    const before = await host.call('memory', { gc: true });
    const { port } = await host.call('startServer');
    const after = await host.call('memory', { gc: true });
    await host.call('startPeakMemory', { gc: true });
    await run.worker.call('sequential', { port, path: PODS_PATH, headers: HEADERS[format], expectStatus: 200, durationMs: 0, minSamples: 0, count: 1 });
    const peak = await host.call('stopPeakMemory');
    run.log(
      `list: server memory (${format}): RSS ${mib(before.rss)} → ${mib(after.rss)} MiB as the cache fills, ${mib(peak.rss)} MiB at peak; ` +
        `heap used ${mib(before.heapUsed)} → ${mib(after.heapUsed)} MiB, ${mib(peak.heapUsed)} MiB at peak`,
    );
    return { before, after, peak };
  } finally {
    await run.processes.stop(host);
  }
}

async function listLatencies(run: Run, path: string): Promise<{ readonly figures: Figure[]; readonly worstP99: ListOutcome['worstP99'] }> {
  const { plan, log } = run;
  const host = await run.processes.host('list');
  try {
    await host.call('openStore', { path });
    await host.call('createServer');
    const { port } = await host.call('startServer');
    await checkLists(run, port);
    const target = (format: Format): Target & { readonly expectStatus: number } => ({ port, path: PODS_PATH, headers: HEADERS[format], expectStatus: 200 });
    const sampling = { durationMs: plan.listMs, minSamples: plan.listMinSamples };
    await run.worker.call('sequential', { ...target('JSON'), durationMs: plan.warmupMs, minSamples: 1 });
    await run.worker.call('sequential', { ...target('Table'), durationMs: plan.warmupMs, minSamples: 1 });
    const results: Record<Format, SequentialResult[]> = { JSON: [], Table: [] };
    for (let round = 1; round <= plan.rounds; round++) {
      const j = await withCpu(run, host, () => run.worker.call('sequential', { ...target('JSON'), ...sampling }));
      const t = await withCpu(run, host, () => run.worker.call('sequential', { ...target('Table'), ...sampling }));
      results.JSON.push(j.result);
      results.Table.push(t.result);
      log(`list, round ${round}: JSON p50 ${ms(j.result.p50)} ms (${formatCpu(j.cpu)}), Table p50 ${ms(t.result.p50)} ms (${formatCpu(t.cpu)})`);
    }
    const n = LIST_PODS.toLocaleString('en-US');
    const figures = (['JSON', 'Table'] as const).flatMap((format): Figure[] => [
      { name: `LIST ${n} pods (${format}) p50`, value: median(results[format].map((r) => r.p50)), unit: 'ms' },
      { name: `LIST ${n} pods (${format}) p99`, value: median(results[format].map((r) => r.p99)), unit: 'ms' },
    ]);
    const worst = (format: Format): number => Math.max(...results[format].map((r) => r.p99));
    return { figures, worstP99: { json: worst('JSON'), table: worst('Table') } };
  } finally {
    await run.processes.stop(host);
  }
}

/** Writes LIST_PODS copies of `template` to a new SQLite file, FILL_WRITERS at a time. */
async function fill(path: string, template: JsonObject): Promise<void> {
  const store = await openSqliteStore(path, { logger: silentLogger, compaction: false });
  try {
    let next = 0;
    const writer = async (): Promise<void> => {
      for (let i = next++; i < LIST_PODS; i = next++) await store.create(podStorageKey(`l-${i}`), storedPod(template, `l-${i}`));
    };
    await Promise.all(Array.from({ length: FILL_WRITERS }, writer));
  } finally {
    await store.close();
  }
}

/** Not a timing assertion: both formats return all the pods, so both figures are about 10,000. */
async function checkLists(run: Run, port: number): Promise<void> {
  const count = async (format: Format, field: 'items' | 'rows'): Promise<number> => {
    const response = await run.worker.call('request', { port, path: PODS_PATH, headers: HEADERS[format] });
    const body: unknown = JSON.parse(response.body);
    const list = isJsonObject(body) ? body[field] : undefined;
    if (response.status !== 200 || !Array.isArray(list)) throw new Error(`list pods (${format}): HTTP ${response.status}`);
    return list.length;
  };
  const items = await count('JSON', 'items');
  const rows = await count('Table', 'rows');
  if (items !== LIST_PODS || rows !== LIST_PODS) throw new Error(`lists return ${items} items and ${rows} rows, not ${LIST_PODS}`);
}

function mib(bytes: number): string {
  return (bytes / MiB).toFixed(0);
}

function ms(value: number): string {
  return value.toFixed(value < 10 ? 2 : 0);
}
