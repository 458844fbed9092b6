/**
 * @module
 * The `client` suite's informer process: a child of its own per informer and round, so its RSS,
 * heap and CPU time are that informer's alone (the server and the writer are other processes). It
 * loads one informer implementation — kubelite's (client-informer-kubelite.ts) or
 * @kubernetes/client-node's (client-informer-client-node.ts), never both, so neither library's code
 * counts in the other's memory — and serves the suite's calls over IPC (rpc.ts):
 *
 * 1. `load`: imports the implementation; its memory after a full GC is the baseline.
 * 2. `sync`: starts the informer on the pods of one namespace and resolves when its handler has been
 *    told of every pod the server holds (and, for kubelite, `hasSynced()` holds): time to sync.
 * 3. `memory`: RSS and heap used after a full GC (`--expose-gc`).
 * 4. `armUpdates` / `awaitUpdates`: from arming to the handler's `count`th update notification, the
 *    CPU time this process used (user + system) and the moment the last one arrived.
 *
 * The handlers only count, so the figures are the informers' own cost: decoding the watch stream,
 * the cache, and handing each event to a handler.
 */
import { withTimeout } from './measure.js';
import { memoryNow, type MemoryReading } from './peak-memory.js';
import { monotonicMs, serveRpc } from './rpc.js';

/** `bare` is the floor informer; `receive` the same with its watch lines counted, never parsed. */
export type Variant = 'kubelite' | 'client-node' | 'bare' | 'receive';

/** What an informer reports to the measuring code; its handler calls these. */
export interface InformerEvents {
  added(): void;
  updated(): void;
  deleted(): void;
  /** A list or watch failed: the run fails rather than waits for its timeout. */
  failed(error: unknown): void;
}

/** A started informer, as the measuring code sees it. */
export interface InformerUnderTest {
  /** The implementation's own "synced" signal, checked once every add has been delivered. */
  synced(): boolean;
  /** Objects in its cache (a check, not timed). */
  cached(): number;
  stop(): Promise<void>;
}

export type StartInformer = (target: { readonly server: string; readonly namespace: string }, events: InformerEvents) => InformerUnderTest;

export interface SyncResult {
  /** From starting the informer until its handler had every pod as an add and it reported synced. */
  readonly ms: number;
  readonly adds: number;
  readonly cached: number;
}

export interface UpdatesResult {
  /** CPU time (user + system) from arming until the `count`th update notification. */
  readonly cpuMs: number;
  /** monotonicMs() when the `count`th update notification reached the handler. */
  readonly atMs: number;
  readonly updates: number;
}

export interface InformerChildApi {
  /** Imports the implementation; memory after a full GC, before the informer exists. */
  load(arg: { readonly variant: Variant }): Promise<MemoryReading>;
  sync(arg: { readonly server: string; readonly namespace: string; readonly expected: number; readonly timeoutMs: number }): Promise<SyncResult>;
  memory(arg: { readonly gc: boolean }): Promise<MemoryReading>;
  /** From now, count update notifications; resolves at once (the writer starts after it). */
  armUpdates(arg: { readonly count: number }): Promise<void>;
  awaitUpdates(arg: { readonly timeoutMs: number }): Promise<UpdatesResult>;
}

/** A one-shot wait that the handler completes and `failed` rejects. */
interface Waiter {
  readonly target: number;
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

function waiter(target: number): Waiter {
  let resolve = (): void => undefined;
  let reject = (_error: Error): void => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { target, promise, resolve, reject };
}

class InformerChild implements InformerChildApi {
  private start: StartInformer | undefined;
  private informer: InformerUnderTest | undefined;
  private adds = 0;
  private updates = 0;
  private deletes = 0;
  private failure: Error | undefined;
  private stopping = false;
  /** Waits for the initial adds; the check runs in the handler, so the moment is exact. */
  private syncWait: Waiter | undefined;
  /** performance.now() when the sync completed. */
  private syncedAt = Number.NaN;
  private updateWait: (Waiter & { readonly cpu0: NodeJS.CpuUsage }) | undefined;
  private updatesDone: UpdatesResult | undefined;

  private readonly events: InformerEvents = {
    added: () => {
      this.adds++;
      this.checkSynced();
    },
    updated: () => {
      this.updates++;
      const wait = this.updateWait;
      if (wait === undefined || this.updatesDone !== undefined || this.updates < wait.target) return;
      // Read here, in the handler, so nothing after the last notification is charged.
      const cpu = process.cpuUsage(wait.cpu0);
      this.updatesDone = { cpuMs: (cpu.user + cpu.system) / 1000, atMs: monotonicMs(), updates: this.updates };
      wait.resolve();
    },
    deleted: () => {
      this.deletes++;
    },
    failed: (error) => {
      if (this.stopping) return;
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.syncWait?.reject(this.failure);
      this.updateWait?.reject(this.failure);
    },
  };

  async load({ variant }: { readonly variant: Variant }): Promise<MemoryReading> {
    if (this.start !== undefined) throw new Error('an implementation is already loaded');
    this.start =
      variant === 'kubelite'
        ? (await import('./client-informer-kubelite.js')).startKubeliteInformer
        : variant === 'client-node'
          ? (await import('./client-informer-client-node.js')).startClientNodeInformer
          : variant === 'bare'
            ? (await import('./client-informer-bare.js')).startBareInformer
            : await receiveOnly();
    return memoryNow(true);
  }

  async sync(arg: { readonly server: string; readonly namespace: string; readonly expected: number; readonly timeoutMs: number }): Promise<SyncResult> {
    const start = this.start;
    if (start === undefined) throw new Error('load first');
    if (this.informer !== undefined) throw new Error('the informer has already started');
    const wait = waiter(arg.expected);
    this.syncWait = wait;
    const begin = performance.now();
    this.informer = start({ server: arg.server, namespace: arg.namespace }, this.events);
    await withTimeout(wait.promise, arg.timeoutMs, `${arg.expected} adds`).catch((error: unknown) => {
      throw new Error(`${describe(error)} (got ${this.adds})`);
    });
    const syncedAt = this.syncedAt;
    // Not timing assertions: the informer holds every pod and was told of each exactly once.
    const cached = this.informer.cached();
    if (this.adds !== arg.expected || cached !== arg.expected || this.deletes !== 0) {
      throw new Error(`after sync: ${this.adds} adds, ${this.deletes} deletes, ${cached} cached; expected ${arg.expected} adds and cached`);
    }
    return { ms: syncedAt - begin, adds: this.adds, cached };
  }

  async memory({ gc }: { readonly gc: boolean }): Promise<MemoryReading> {
    return memoryNow(gc);
  }

  async armUpdates({ count }: { readonly count: number }): Promise<void> {
    if (this.informer === undefined) throw new Error('sync first');
    this.updates = 0;
    this.updatesDone = undefined;
    this.updateWait = { ...waiter(count), cpu0: process.cpuUsage() };
  }

  async awaitUpdates({ timeoutMs }: { readonly timeoutMs: number }): Promise<UpdatesResult> {
    const wait = this.updateWait;
    if (wait === undefined) throw new Error('armUpdates first');
    await withTimeout(wait.promise, timeoutMs, `${wait.target} update notifications`).catch((error: unknown) => {
      throw new Error(`${describe(error)} (got ${this.updates})`);
    });
    const done = this.updatesDone;
    if (done === undefined) throw new Error('updates resolved without a result');
    // Give a duplicate a moment to show up: exactly `target` writes were made.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (this.updates !== wait.target) throw new Error(`${this.updates} update notifications for ${wait.target} writes`);
    return done;
  }

  /** On each add: once every pod has been added, the first moment the informer also reports synced. */
  private checkSynced(): void {
    const wait = this.syncWait;
    const informer = this.informer;
    if (wait === undefined || informer === undefined || this.adds < wait.target || !Number.isNaN(this.syncedAt)) return;
    const done = (): void => {
      this.syncedAt = performance.now();
      wait.resolve();
    };
    if (informer.synced()) {
      done();
      return;
    }
    // kubelite's informer is synced by the time it delivers the last add, so this is a fallback.
    const poll = (): void => {
      if (informer.synced()) done();
      else setImmediate(poll);
    };
    setImmediate(poll);
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    await this.informer?.stop();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Only as a child process: the suite imports this module for its types.
if (process.send !== undefined && process.argv[1]?.endsWith('client-informer.js') === true) {
  const child = new InformerChild();
  serveRpc<InformerChildApi>(child, () => child.shutdown());
}

/** The bare informer that counts its watch lines without parsing them: the transport's floor. */
async function receiveOnly(): Promise<StartInformer> {
  const { startBareInformer } = await import('./client-informer-bare.js');
  return (target, events) => startBareInformer(target, events, { parse: false });
}
