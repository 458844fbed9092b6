/**
 * @module
 * `kubelite up`'s control plane on a thread of its own. The API server keeps the main thread; one
 * worker thread (control-plane-worker.ts) runs the controller-manager, the scheduler and the
 * simulated nodes over one informer factory, so every pod and node is decoded and cached once for
 * all of them. They reach the server through the same client as `kubelite controller-manager`,
 * `kubelite scheduler` and `kubelite nodes` do from other processes, but over a request channel (a
 * MessagePort, api/transport.ts) instead of HTTP, which cost both sides about 100 µs of CPU per
 * request. One process still runs it all, on two busy threads: on one thread, server and controllers
 * took turns, and a large rollout was bound by the one core they shared. The nodes had a third
 * thread of their own until measured against this layout: on two cores the third isolate cost a
 * tenth more CPU per pod (its own pod cache, decoding and compiled code) and gained nothing, and on
 * more cores the server's thread, as busy as this one, still sets the pace.
 *
 * The worker logs through this thread's logger (so lines keep their order with the server's), says
 * when its nodes have registered, and stops when asked, resolving `runControlPlaneThread` once its
 * parts have stopped.
 */
import { type MessagePort, Worker } from 'node:worker_threads';
import { type Logger, errorMessage } from '../util/logger.js';
import type { Stage } from '../node/stages.js';
import type { SchedulerConfig } from './scheduler-config.js';

export interface ControlPlaneThreadOptions {
  /** The thread's end of a request channel that the API server serves. */
  readonly port: MessagePort;
  /** The scheduler's configuration (plain data: it crosses to the thread as workerData). */
  readonly scheduler?: SchedulerConfig;
  /** How many simulated nodes to run. */
  readonly nodes: number;
  /** Their pod stages (plain data too). @defaultValue defaultPodStages() */
  readonly stages?: readonly Stage[];
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
 * Runs the control plane in its worker thread until `signal` aborts; `onNodesReady` is called once
 * every simulated node has registered. If the thread fails (it throws, or exits unasked), the promise
 * rejects with what happened: a control plane missing a part must not look like a working one.
 */
export function runControlPlaneThread(options: ControlPlaneThreadOptions, logger: Logger, onNodesReady: () => void, signal: AbortSignal): Promise<void> {
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
      if (failure !== undefined) reject(new Error(`the control plane thread failed: ${errorMessage(failure)}`));
      else if (!signal.aborted) reject(new Error(`the control plane thread stopped unasked (exit code ${code})`));
      else resolve();
    });
  });
}
