/**
 * @module
 * The `api` suite's watch figure: deliveries/s to 1,000 HTTP watch streams on the pods of one
 * namespace, against a bare node:http server holding 1,000 chunked responses and writing the same
 * event lines to each.
 *
 * Each round, for each variant in turn, the load worker opens the 1,000 streams (kubelite: from the
 * current resourceVersion, so no initial events); then the server process writes pods — kubelite:
 * straight to the store, 64 writers, so the figure is the fan-out and not the HTTP create path; the
 * anchor: pre-built lines. The clock runs from the first write (taken in the server process) to the
 * moment the worker has counted every event on every stream (taken in the worker; both on
 * CLOCK_MONOTONIC). deliveries/s = 1,000 × writes ÷ that time. A warm-up of writes first makes every
 * stream flow before the clock starts.
 *
 * Batching is matched: kubelite hands each watcher one batch per group commit, so the anchor writes
 * its lines in chunks of the mean writes-per-commit kubelite made in the same round, each chunk
 * built once and shared, waiting for a response to drain whenever its socket is full as kubelite
 * does.
 */
import { isJsonObject, type JsonObject } from '../src/api/json.js';
import { PODS_PATH } from './api-pods.js';
import { type Host, type Run, formatCpu, perSecond, until, withCpu } from './api-run.js';
import { median } from './measure.js';
import { type Figure, versus } from './report.js';

export const WATCHERS = 1000;
/** Concurrent store writers for kubelite's writes (as in the storage suite). */
const WRITERS = 64;
/** Long enough for a slow variant to drain, short enough that a lost event fails the run rather than hangs it. */
const DRAIN_TIMEOUT_MS = 60_000;
/** The anchor's event lines carry revisions of about kubelite's length. */
const ANCHOR_FIRST_REVISION = 100_000;

export async function watchFigures(run: Run, template: JsonObject): Promise<Figure[]> {
  const { plan, worker, log } = run;
  const host = await run.processes.host('watch');
  try {
    const { port } = await host.call('startKubelite', { path: `${run.dir}/watch.db` });
    const anchor = await host.call('startWatchAnchor');
    const rates = { kubelite: [] as number[], anchor: [] as number[] };
    // Server CPU time per delivery, ns: a view that holds when the worker is what limits a rate.
    const cpu = { kubelite: [] as number[], anchor: [] as number[] };
    const perDelivery = (serverMs: number): number => (serverMs * 1e6) / (WATCHERS * plan.watchEvents);
    for (let round = 1; round <= plan.rounds; round++) {
      // kubelite
      const rv = await currentResourceVersion(run, port);
      await openWatches(run, host, port, `${PODS_PATH}?watch=true&resourceVersion=${rv}`);
      await deliver(run, plan.watchWarmupEvents, () =>
        host.call('writePods', { template, prefix: `warm-${round}-`, count: plan.watchWarmupEvents, writers: WRITERS }),
      );
      const timed = await withCpu(run, host, () =>
        deliver(run, plan.watchWarmupEvents + plan.watchEvents, () =>
          host.call('writePods', { template, prefix: `w-${round}-`, count: plan.watchEvents, writers: WRITERS }),
        ),
      );
      const { written, atMs } = timed.result;
      if (written.writes !== plan.watchEvents) throw new Error(`the store made ${written.writes} writes, not ${plan.watchEvents}`);
      rates.kubelite.push(deliveriesPerSecond(plan.watchEvents, atMs - written.startMs));
      cpu.kubelite.push(perDelivery(timed.cpu.serverMs));
      const batch = Math.max(1, Math.round(written.writes / Math.max(1, written.commits)));
      await closeWatches(run, host);

      // anchor
      await openWatches(run, host, anchor.port, '/watch');
      const anchorWrite = (prefix: string, count: number) => () =>
        host.call('anchorWatchWrite', { template, prefix, count, batch, firstRevision: ANCHOR_FIRST_REVISION });
      await deliver(run, plan.watchWarmupEvents, anchorWrite(`warm-${round}-`, plan.watchWarmupEvents));
      const anchorTimed = await withCpu(run, host, () =>
        deliver(run, plan.watchWarmupEvents + plan.watchEvents, anchorWrite(`w-${round}-`, plan.watchEvents)),
      );
      rates.anchor.push(deliveriesPerSecond(plan.watchEvents, anchorTimed.result.atMs - anchorTimed.result.written.startMs));
      cpu.anchor.push(perDelivery(anchorTimed.cpu.serverMs));
      await closeWatches(run, host);
      log(
        `watch, round ${round}: kubelite ${perSecond(last(rates.kubelite))} (${formatCpu(timed.cpu)}, ${Math.round(last(cpu.kubelite))} ns per delivery, ` +
          `${batch} events per commit), anchor ${perSecond(last(rates.anchor))} (${formatCpu(anchorTimed.cpu)}, ${Math.round(last(cpu.anchor))} ns per delivery)`,
      );
    }
    const anchorFigure = {
      name: `bare node:http, ${WATCHERS.toLocaleString('en-US')} chunked responses, same lines and batches`,
      value: median(rates.anchor),
    };
    return [
      versus(
        `watch deliveries/s, ${WATCHERS.toLocaleString('en-US')} watchers, ${plan.watchEvents.toLocaleString('en-US')} pod writes`,
        'events/s',
        median(rates.kubelite),
        anchorFigure,
        0.6,
      ),
      versus('watch, server CPU per delivery', 'ns', median(cpu.kubelite), { ...anchorFigure, value: median(cpu.anchor) }),
    ];
  } finally {
    await run.processes.stop(host);
  }
}

/** Arms the worker's count of `perStream` lines on every stream, runs `write`, and waits for the count. */
async function deliver<W>(run: Run, perStream: number, write: () => Promise<W>): Promise<{ readonly written: W; readonly atMs: number }> {
  await run.worker.call('armDeliveries', { perStream });
  const [written, delivered] = await Promise.all([write(), run.worker.call('awaitDeliveries', { timeoutMs: DRAIN_TIMEOUT_MS })]);
  // Not a timing assertion: every stream got every event, no more and no fewer.
  if (delivered.fewest !== perStream || delivered.most !== perStream) {
    throw new Error(`watch streams got ${delivered.fewest}–${delivered.most} events each, not ${perStream}`);
  }
  return { written, atMs: delivered.atMs };
}

async function openWatches(run: Run, host: Host, port: number, path: string): Promise<void> {
  await run.worker.call('openWatches', { port, path, count: WATCHERS });
  // The response headers come after the server has registered the watch, so this holds at once.
  const open = await host.call('watcherCount');
  if (open !== WATCHERS) throw new Error(`the server holds ${open} watches, not ${WATCHERS}`);
}

/** Closes the worker's streams and waits until the server has let go of every one. */
async function closeWatches(run: Run, host: Host): Promise<void> {
  await run.worker.call('closeWatches');
  await until(async () => (await host.call('watcherCount')) === 0, 'the server to close every watch');
}

async function currentResourceVersion(run: Run, port: number): Promise<string> {
  const response = await run.worker.call('request', { port, path: `${PODS_PATH}?limit=1` });
  const body: unknown = JSON.parse(response.body);
  const metadata = isJsonObject(body) ? body.metadata : undefined;
  const rv = isJsonObject(metadata) ? metadata.resourceVersion : undefined;
  if (response.status !== 200 || typeof rv !== 'string') throw new Error(`list pods: HTTP ${response.status}, no resourceVersion`);
  return rv;
}

function deliveriesPerSecond(writes: number, ms: number): number {
  return (WATCHERS * writes) / (ms / 1000);
}

function last(values: readonly number[]): number {
  return values[values.length - 1] ?? Number.NaN;
}
