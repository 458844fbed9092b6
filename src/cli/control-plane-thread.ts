/**
 * @module
 * `kubelite up`'s control plane on threads of its own. The API server keeps the main thread; two
 * worker threads (control-plane-worker.ts) run the controller-manager with the scheduler, and the
 * simulated nodes. They reach the server through the same client as `kubelite controller-manager`,
 * `kubelite scheduler` and `kubelite nodes` do from other processes, but over a request channel (a
 * MessagePort, api/transport.ts) instead of HTTP, which cost both sides about 100 µs of CPU per
 * request. One process still runs it all, but on every core: run on one thread, server and
 * controllers took turns, and a large rollout was bound by the one core they shared.
 *
 * The workers log through this thread's logger (so lines keep their order with the server's), the
 * nodes' worker says when its nodes have registered, and both stop when asked, resolving
 * `runControlPlaneThread` once their parts have stopped.
 */
import { type MessagePort, Worker } from 'node:worker_threads';
import { type Logger, errorMessage } from '../util/logger.js';
import type { SchedulerConfig } from './scheduler-config.js';

export interface ControlPlaneThreadOptions {
  /** The thread's end of a request channel that the API server serves. */
  readonly port: MessagePort;
  /** The scheduler's configuration (plain data: it crosses to the thread as workerData). */
  readonly scheduler?: SchedulerConfig;
  /** What the thread runs: the controller-manager and the scheduler, or the simulated nodes. */
  readonly role: 'controllers' | 'nodes';
  readonly nodes: number;
  readonly nodeMonitorGracePeriodMs: number;
}

/** Messages from the worker. */
export type ControlPlaneMessage =
  | { readonly kind: 'log'; readonly level: keyof Logger; readonly message: string }
  | { readonly kind: 'nodes-ready' };

/** Messages to the worker. */
export type ControlPlaneCommand = { readonly kind: 'stop' };

const WORKER_URL = new URL('./control-plane-worker.js', import.meta.url);

/**
 * Runs the control plane in its worker threads until `signal` aborts; `onNodesReady` is called once
 * every simulated node has registered. If a thread fails (it throws, or exits unasked), the other is
 * stopped and the promise rejects with what happened: a control plane missing a part must not look
 * like a working one.
 */
export async function runControlPlaneThread(
  options: Omit<ControlPlaneThreadOptions, 'role' | 'port'>,
  connect: () => MessagePort,
  logger: Logger,
  onNodesReady: () => void,
  signal: AbortSignal,
): Promise<void> {
  const stopAll = new AbortController();
  const forward = (): void => stopAll.abort();
  signal.addEventListener('abort', forward, { once: true });
  const runs = (['controllers', 'nodes'] as const).map((role) =>
    runWorker({ ...options, role, port: connect() }, logger, onNodesReady, stopAll.signal).catch((error: unknown) => {
      stopAll.abort();
      throw error;
    }),
  );
  try {
    const results = await Promise.allSettled(runs);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

function runWorker(options: ControlPlaneThreadOptions, logger: Logger, onNodesReady: () => void, signal: AbortSignal): Promise<void> {
  const worker = new Worker(WORKER_URL, { workerData: options, transferList: [options.port] });
  const stop = (): void => worker.postMessage({ kind: 'stop' } satisfies ControlPlaneCommand);
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  worker.on('message', (message: ControlPlaneMessage) => {
    if (message.kind === 'log') logger[message.level](message.message);
    else onNodesReady();
  });
  let failure: Error | undefined;
  worker.on('error', (error) => {
    failure = error;
  });
  return new Promise((resolve, reject) => {
    worker.once('exit', (code) => {
      signal.removeEventListener('abort', stop);
      if (failure !== undefined) reject(new Error(`the ${options.role} thread failed: ${errorMessage(failure)}`));
      else if (!signal.aborted) reject(new Error(`the ${options.role} thread stopped unasked (exit code ${code})`));
      else resolve();
    });
  });
}
