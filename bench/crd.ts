/**
 * @module
 * The `crd` suite: what custom resources cost (issue 6's benchmark).
 *
 * - Creates/s of a custom resource whose CRD has a 20-property schema and 3 CEL rules
 *   (crd-objects.ts), with 64 clients over HTTP, against ConfigMaps of the same body size created
 *   by the same clients on the same server in the same round — the ratio is what structural-schema
 *   validation, defaulting, pruning and the CEL rules cost. The server runs in a process of its own
 *   (api-host.ts) and the load in another (load-worker.ts), as in the `api` suite. With SQLite the
 *   WAL sync can set the rate and hide the validation, so the server's CPU time per create is
 *   reported for both variants too, and the suite runs once on SQLite and once on memory storage.
 * - Time from `startTestCluster` (kubelite/testing, with the CRD) to the first completed reconcile
 *   of a custom resource by a Manager's controller, each sample in a fresh process
 *   (crd-first-reconcile.ts), the import time apart. The issue's goal: well under a second. No
 *   anchor: envtest's etcd and kube-apiserver binaries are not on the recording machine.
 *
 * Before anything is timed, probes check that validation is live (an enum, each CEL rule, a
 * default, pruning): a figure of a server that skipped validation would say nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isJsonObject } from '../src/api/json.js';
import type { FirstReconcileSample } from './crd-first-reconcile.js';
import {
  CONFIGMAPS_PATH,
  CRDS_PATH,
  WIDGETS_PATH,
  bodyBytes,
  bodyTemplate,
  configMapManifest,
  crdManifest,
  probes,
  widgetManifest,
} from './crd-objects.js';
import { FULL, type Measured, cpuPerRequest, Processes, QUICK, type Run, type Worker, formatCpu, perSecond, until, withCpu } from './api-run.js';
import type { LoadSpec } from './load-worker.js';
import { median } from './measure.js';
import { type Figure, type Suite, versus } from './report.js';

/** Concurrent clients for the create figures, as in the `api` suite. */
const CREATE_CLIENTS = 64;
/** The goal for the start of a test cluster through the first reconcile: well under a second. */
const FIRST_RECONCILE_TARGET_MS = 1000;
const FIRST_RECONCILE_PATH = fileURLToPath(new URL('./crd-first-reconcile.js', import.meta.url));

type Storage = 'sqlite' | 'memory';
const STORAGE_LABEL: Readonly<Record<Storage, string>> = { sqlite: 'SQLite', memory: 'memory storage' };

export const crdSuite: Suite = async ({ quick, log }) => {
  const plan = quick ? QUICK : FULL;
  const dir = mkdtempSync(join(tmpdir(), 'kubelite-bench-crd-'));
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
    log(`bodies: custom resource ${bodyBytes(widgetManifest('c-0'))} bytes, ConfigMap ${bodyBytes(configMapManifest('c-0'))} bytes`);
    const sqlite = await createFigures(run, 'sqlite');
    const memory = await createFigures(run, 'memory');
    await processes.stop(run.worker);
    const start = await firstReconcileFigures(plan.rounds, log);
    return [...sqlite, ...memory, ...start];
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
};


type Variant = 'cr' | 'cm';

/**
 * Each round: a fresh server (and store), the CRD installed and served, a short warm-up of both
 * variants, then each variant's timed load in turn — the order alternating from round to round, so
 * neither always meets the fuller store or the hotter code.
 */
async function createFigures(run: Run, storage: Storage): Promise<Figure[]> {
  const { plan, worker, log } = run;
  const host = await run.processes.host(`crd-${storage}`);
  try {
    const templates = { cr: bodyTemplate(widgetManifest), cm: bodyTemplate(configMapManifest) };
    const spec = (variant: Variant, port: number, namePrefix: string, durationMs: number): LoadSpec => ({
      port,
      path: variant === 'cr' ? WIDGETS_PATH : CONFIGMAPS_PATH,
      method: 'POST',
      body: { ...templates[variant], namePrefix },
      expectStatus: 201,
      concurrency: CREATE_CLIENTS,
      durationMs,
    });
    const serve = async (label: string): Promise<number> => {
      const { port } = storage === 'sqlite' ? await host.call('startKubelite', { path: join(run.dir, `crd-${label}.db`) }) : await host.call('startKubeliteInMemory');
      await installCrd(worker, port);
      return port;
    };

    // JIT warm-up on a server of its own, so every round starts from an empty store alike.
    const warm = await serve('warmup');
    await checkValidationIsLive(worker, warm, log);
    await worker.call('load', spec('cr', warm, 'jit-', plan.jitWarmupMs / 2));
    await worker.call('load', spec('cm', warm, 'jit-', plan.jitWarmupMs / 2));
    await host.call('stopKubelite', { deleteFiles: true });

    const rounds: Record<Variant, Measured[]> = { cr: [], cm: [] };
    for (let round = 1; round <= plan.rounds; round++) {
      const port = await serve(`round-${round}`);
      const order: Variant[] = round % 2 === 1 ? ['cr', 'cm'] : ['cm', 'cr'];
      for (const variant of order) await worker.call('load', spec(variant, port, 'warm-', plan.warmupMs));
      for (const variant of order) rounds[variant].push(await withCpu(run, host, () => worker.call('load', spec(variant, port, 'c-', plan.createMs))));
      await host.call('stopKubelite', { deleteFiles: true });
      const cr = last(rounds.cr);
      const cm = last(rounds.cm);
      log(
        `crd creates (${STORAGE_LABEL[storage]}), round ${round}: custom resources ${perSecond(cr.result.perSecond)} (${formatCpu(cr.cpu)}, ` +
          `${cpuPerRequest(cr).toFixed(0)} µs per create), ConfigMaps ${perSecond(cm.result.perSecond)} (${formatCpu(cm.cpu)}, ${cpuPerRequest(cm).toFixed(0)} µs per create)`,
      );
    }

    const where = `${CREATE_CLIENTS} clients, ${STORAGE_LABEL[storage]}`;
    const both = (name: string, unit: string, anchorName: string, pick: (m: Measured) => number): Figure =>
      versus(name, unit, median(rounds.cr.map(pick)), { name: anchorName, value: median(rounds.cm.map(pick)) });
    const extra = rounds.cr.map((cr, i) => cpuPerRequest(cr) - cpuPerRequest(rounds.cm[i] ?? cr));
    return [
      both(`custom resource creates/s (20-property schema, 3 CEL rules), ${where}`, 'creates/s', 'ConfigMap creates/s, same run', (m) => m.result.perSecond),
      both(`custom resource create, server CPU per create, ${where}`, 'µs', 'ConfigMap create, server CPU per create, same run', cpuPerRequest),
      both(`custom resource create p99, ${where}`, 'ms', 'ConfigMap create p99, same run', (m) => m.result.p99),
      { name: `server CPU a custom resource costs over a ConfigMap, ${STORAGE_LABEL[storage]} (median of rounds)`, value: median(extra), unit: 'µs per create' },
    ];
  } finally {
    await run.processes.stop(host);
  }
}

/** Creates the suite's CRD and waits until its resource answers a list. */
async function installCrd(worker: Worker, port: number): Promise<void> {
  const created = await worker.call('request', { port, path: CRDS_PATH, method: 'POST', body: JSON.stringify(crdManifest()) });
  if (created.status !== 201) throw new Error(`create CRD: HTTP ${created.status}: ${created.body}`);
  await until(async () => (await worker.call('request', { port, path: WIDGETS_PATH })).status === 200, 'the CRD to be served');
}

/**
 * Posts one object per check the measured creates pay for and fails the run unless each is
 * answered as upstream would: a create that skips validation would make the ratio meaningless.
 */
async function checkValidationIsLive(worker: Worker, port: number, log: (line: string) => void): Promise<void> {
  const failed: string[] = [];
  for (const probe of probes()) {
    const response = await worker.call('request', { port, path: WIDGETS_PATH, method: 'POST', body: JSON.stringify(probe.body) });
    const body: unknown = response.status === 201 ? JSON.parse(response.body) : undefined;
    const ok = response.status === probe.expect.status && (probe.expect.status === 422 || (isJsonObject(body) && probe.expect.check(body)));
    if (!ok) failed.push(`${probe.what} (HTTP ${response.status})`);
  }
  if (failed.length > 0) throw new Error(`validation of custom resources is not live, so the figures would not measure it: ${failed.join('; ')}`);
  log(`crd: validation is live (${probes().map((probe) => probe.what).join(', ')})`);
}

/** Medians of `samples` fresh processes, one after another. */
async function firstReconcileFigures(samples: number, log: (line: string) => void): Promise<Figure[]> {
  const taken: FirstReconcileSample[] = [];
  for (let i = 1; i <= samples; i++) {
    const sample = await firstReconcileSample();
    taken.push(sample);
    log(
      `first reconcile, process ${i}: ${sample.firstReconcileMs.toFixed(0)} ms from startTestCluster (cluster ${sample.clusterStartMs.toFixed(0)} ms), ` +
        `import ${sample.importMs.toFixed(0)} ms, Node start ${sample.nodeStartMs.toFixed(0)} ms`,
    );
  }
  const of = (pick: (sample: FirstReconcileSample) => number): number => median(taken.map(pick));
  const per = `median of ${samples} fresh processes`;
  return [
    {
      name: `kubelite/testing: startTestCluster with the CRD → first reconcile completed (${per})`,
      value: of((s) => s.firstReconcileMs),
      unit: 'ms',
      atMost: FIRST_RECONCILE_TARGET_MS,
    },
    { name: 'of which startTestCluster with the CRD, until served', value: of((s) => s.clusterStartMs), unit: 'ms' },
    { name: 'importing kubelite/testing and kubelite/runtime (before the above)', value: of((s) => s.importMs), unit: 'ms' },
    { name: 'import + start → first reconcile completed', value: of((s) => s.importMs + s.firstReconcileMs), unit: 'ms' },
    { name: "Node's own start, process start → first line of the test (for scale)", value: of((s) => s.nodeStartMs), unit: 'ms' },
  ];
}

const execFileAsync = promisify(execFile);

async function firstReconcileSample(): Promise<FirstReconcileSample> {
  const { stdout } = await execFileAsync(process.execPath, [FIRST_RECONCILE_PATH], { timeout: 60_000 });
  const line = stdout.trim().split('\n').pop() ?? '';
  const parsed: unknown = JSON.parse(line);
  const fields = ['nodeStartMs', 'importMs', 'clusterStartMs', 'firstReconcileMs'] as const;
  if (!isJsonObject(parsed) || !fields.every((field) => typeof parsed[field] === 'number')) {
    throw new Error(`crd-first-reconcile printed an unexpected line: ${line}`);
  }
  return {
    nodeStartMs: Number(parsed.nodeStartMs),
    importMs: Number(parsed.importMs),
    clusterStartMs: Number(parsed.clusterStartMs),
    firstReconcileMs: Number(parsed.firstReconcileMs),
  };
}

function last<T>(values: readonly T[]): T {
  const value = values[values.length - 1];
  if (value === undefined) throw new Error('no rounds yet');
  return value;
}
