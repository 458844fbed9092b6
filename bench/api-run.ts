/**
 * @module
 * What the parts of the `api` suite share: the plan (how long each part runs), the child processes
 * (one load worker for the run, a fresh server host per part), and the CPU bookkeeping that shows
 * which side of a figure was the bottleneck. With 2 cores, the server process and the load worker
 * each have one; a figure only says something about the server when the worker had time to spare.
 */
import { fileURLToPath } from 'node:url';
import type { ApiHostApi } from './api-host.js';
import type { LoadResult, LoadWorkerApi } from './load-worker.js';
import { ChildRpc, type RpcApi } from './rpc.js';

export interface Plan {
  /** Alternations of compared variants (odd, so the median is a measured round). */
  readonly rounds: number;
  /**
   * Load on kubelite before its first round, discarded. A fresh server process needs seconds of
   * load before V8 has optimized its request path: GETs climb from about 3,000/s in the first
   * second to a steady 10,000–15,000/s after about 5 s on the recording machine.
   */
  readonly jitWarmupMs: number;
  /** Discarded load before each round of a variant that starts fresh (a new store, new connections). */
  readonly warmupMs: number;
  /** One variant's GET load, per round. */
  readonly getMs: number;
  /** One variant's create load, per round. */
  readonly createMs: number;
  /** Timed pod writes each watcher must receive, per variant and round. */
  readonly watchEvents: number;
  /** Writes before the timed ones, per variant and round (every stream flowing, code hot). */
  readonly watchWarmupEvents: number;
  /** One list variant's sampling per round: at least this long... */
  readonly listMs: number;
  /** ...and at least this many lists (unless that takes over 5 × listMs). */
  readonly listMinSamples: number;
}

/** About 2 min 15 s on the recording machine. */
export const FULL: Plan = {
  rounds: 7,
  jitWarmupMs: 5000,
  warmupMs: 500,
  getMs: 2000,
  createMs: 2000,
  watchEvents: 1000,
  watchWarmupEvents: 128,
  listMs: 1500,
  listMinSamples: 10,
};

/** About 25 s: a smoke check. */
export const QUICK: Plan = {
  rounds: 3,
  jitWarmupMs: 2000,
  warmupMs: 200,
  getMs: 500,
  createMs: 500,
  watchEvents: 200,
  watchWarmupEvents: 64,
  listMs: 300,
  listMinSamples: 3,
};

export type Host = ChildRpc<ApiHostApi>;
export type Worker = ChildRpc<LoadWorkerApi>;

/** The compiled child modules sit beside this one (dist/bench/). */
const HOST_PATH = fileURLToPath(new URL('./api-host.js', import.meta.url));
const WORKER_PATH = fileURLToPath(new URL('./load-worker.js', import.meta.url));

/**
 * Set to a directory to have every server host write a V8 CPU profile there
 * (`api-<part>.cpuprofile`): the server side of each part, without the load worker.
 */
export const CPU_PROFILE_ENV = 'KUBELITE_BENCH_CPU_PROF';

/** The child processes of one run; `stopAll` in a finally, `killAll` from a signal handler. */
export class Processes {
  private readonly children = new Set<{ stop(): Promise<void>; kill(): void }>();

  async worker(): Promise<Worker> {
    return this.track(await ChildRpc.start<LoadWorkerApi>('load worker', WORKER_PATH));
  }

  /** A fresh server host for one part of the suite. */
  async host(part: string): Promise<Host> {
    const profileDir = process.env[CPU_PROFILE_ENV];
    const profile = profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=api-${part}.cpuprofile`];
    // --expose-gc: memory readings after a full GC count only what is live.
    return this.track(await ChildRpc.start<ApiHostApi>(`server host (${part})`, HOST_PATH, ['--expose-gc', ...profile]));
  }

  /** Stops a host when its part is done. */
  async stop(child: Host | Worker): Promise<void> {
    await child.stop();
    this.children.delete(child);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => child.stop()));
    this.children.clear();
  }

  killAll(): void {
    for (const child of this.children) child.kill();
  }

  private track<T extends RpcApi<T>>(child: ChildRpc<T>): ChildRpc<T> {
    this.children.add(child);
    return child;
  }
}

export interface Run {
  readonly plan: Plan;
  /** A temporary directory for this run's SQLite files, deleted afterwards. */
  readonly dir: string;
  readonly processes: Processes;
  readonly worker: Worker;
  readonly log: (line: string) => void;
}

/**
 * The CPU time each process used during a measurement, and its share of a core (CPU time ÷ wall
 * time: 1 is one core all the time). The server's CPU time per operation is a second view of a
 * comparison that stays meaningful when the load worker, not the server, is what limits a rate.
 */
export interface CpuShare {
  readonly serverMs: number;
  readonly workerMs: number;
  readonly server: number;
  readonly worker: number;
}

/** Runs `measure` and reports the share of a core the host and the worker used meanwhile. */
export async function withCpu<T>(run: Run, host: Host, measure: () => Promise<T>): Promise<{ readonly result: T; readonly cpu: CpuShare }> {
  const [server0, worker0] = await Promise.all([host.call('cpuMs'), run.worker.call('cpuMs')]);
  const start = performance.now();
  const result = await measure();
  const wall = performance.now() - start;
  const [server1, worker1] = await Promise.all([host.call('cpuMs'), run.worker.call('cpuMs')]);
  const serverMs = server1 - server0;
  const workerMs = worker1 - worker0;
  return { result, cpu: { serverMs, workerMs, server: serverMs / wall, worker: workerMs / wall } };
}

export function formatCpu(cpu: CpuShare): string {
  return `server ${Math.round(cpu.server * 100)}% / worker ${Math.round(cpu.worker * 100)}% CPU`;
}

/** A rate for progress lines. */
export function perSecond(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')}/s`;
}

/** Resolves when `condition` holds, polling; throws after `timeoutMs` (a benchmark must not hang). */
export async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A load measured with the CPU each process spent on it. */
export interface Measured {
  readonly result: LoadResult;
  readonly cpu: CpuShare;
}

/** Server CPU time per request, µs: what a request costs the server, whatever limited the rate. */
export function cpuPerRequest(m: Measured): number {
  return (m.cpu.serverMs * 1000) / m.result.requests;
}
