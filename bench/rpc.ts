/**
 * @module
 * Typed calls from the `api` suite to its child processes (the server host and the load worker)
 * over the child-process IPC channel. The suite calls `child.call('method', arg)`; the child
 * answers from an object of async methods (`serveRpc`). Arguments and results are plain JSON.
 * `monotonicMs()` is the clock for times compared between processes.
 *
 * Children never outlive the suite: a child exits when its channel to the parent closes (the
 * parent died or was killed), and `stop()` asks it to shut down cleanly — which is also what lets
 * `--cpu-prof` write its profile — before killing it.
 */
import { type ChildProcess, fork } from 'node:child_process';

/** What a child serves: methods taking at most one JSON argument and answering with JSON. */
export type RpcApi<T> = { readonly [K in keyof T]: (arg: never) => Promise<unknown> };

interface CallMessage {
  readonly kind: 'call';
  readonly id: number;
  readonly method: string;
  readonly arg: unknown;
}

interface ReplyMessage {
  readonly kind: 'reply';
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/**
 * CLOCK_MONOTONIC in ms. Unlike `performance.now()`, whose origin is each process's start, it reads
 * the same in every process on the machine, so a time taken in one process can be subtracted from
 * a time taken in another.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** How long a child may take to shut down before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

/** A child process serving `T`, from the parent's side. */
export class ChildRpc<T extends RpcApi<T>> {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly exited: Promise<void>;
  private exitCode: number | null | undefined;

  private constructor(
    private readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        const reason = new Error(`${name} exited (${signal ?? `code ${String(code)}`}) with a call pending`);
        for (const { reject } of this.pending.values()) reject(reason);
        this.pending.clear();
        resolve();
      });
    });
    child.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${name}: ${message.error}`));
      else waiter.resolve(message.result);
    });
  }

  /** Forks `modulePath` and resolves once it serves calls. */
  static async start<T extends RpcApi<T>>(name: string, modulePath: string, execArgv: readonly string[] = []): Promise<ChildRpc<T>> {
    const child = fork(modulePath, [], { execArgv: [...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const rpc = new ChildRpc<T>(name, child);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: unknown): void => {
        if (message === 'ready') {
          child.off('message', onMessage);
          resolve();
        }
      };
      child.on('message', onMessage);
      child.once('exit', () => reject(new Error(`${name} exited before it was ready`)));
    });
    return rpc;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Calls `method` in the child. */
  call<K extends keyof T & string>(method: K, ...arg: Parameters<T[K]>): ReturnType<T[K]> {
    const id = this.nextId++;
    const message: CallMessage = { kind: 'call', id, method, arg: arg[0] };
    const reply = new Promise<unknown>((resolve, reject) => {
      if (this.exitCode !== undefined) {
        reject(new Error(`${this.name} has exited`));
        return;
      }
      this.pending.set(id, { resolve, reject });
      this.child.send(message);
    });
    // The child answers with what its method returned (serveRpc runs the same T), sent as JSON.
    return reply as ReturnType<T[K]>;
  }

  /** Asks the child to shut down and waits for it to exit; kills it if it does not in time. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    if (this.child.connected) this.child.send('shutdown');
    const timer = setTimeout(() => this.kill(), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the child at once (a signal handler's last resort; synchronous). */
  kill(): void {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
  }
}

/**
 * Serves `api` to the parent: runs each call and sends back its result or error message. On
 * 'shutdown', runs `shutdown` and exits; if the parent goes away, exits at once.
 */
export function serveRpc<T extends RpcApi<T>>(api: T, shutdown: () => Promise<void>): void {
  const send = (reply: ReplyMessage): void => {
    process.send?.(reply);
  };
  process.on('message', (message: unknown) => {
    if (message === 'shutdown') {
      shutdown().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`shutdown failed: ${describe(error)}\n`);
          process.exit(1);
        },
      );
      return;
    }
    if (!isCall(message)) return;
    const method: unknown = Reflect.get(api, message.method);
    if (typeof method !== 'function') {
      send({ kind: 'reply', id: message.id, error: `no method ${message.method}` });
      return;
    }
    // The parent's ChildRpc<T> type-checked the argument against this very method.
    const handler = method as (arg: unknown) => Promise<unknown>;
    handler.call(api, message.arg).then(
      (result) => send({ kind: 'reply', id: message.id, result }),
      (error: unknown) => send({ kind: 'reply', id: message.id, error: describe(error) }),
    );
  });
  process.on('disconnect', () => process.exit(1));
  process.send?.('ready');
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function isCall(message: unknown): message is CallMessage {
  return typeof message === 'object' && message !== null && Reflect.get(message, 'kind') === 'call';
}

function isReply(message: unknown): message is ReplyMessage {
  return typeof message === 'object' && message !== null && Reflect.get(message, 'kind') === 'reply';
}
