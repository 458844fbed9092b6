/**
 * @module
 * The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go PriorityQueue): three places
 * a pending pod can wait.
 *
 * - activeQ: pods to try now, highest spec.priority first, then the longest waiting.
 * - backoffQ: pods that failed recently, each until its backoff ends — 1 s after the first attempt,
 *   doubling per attempt up to 10 s — ordered by when that is; moved to activeQ by a flush every
 *   second.
 * - unschedulablePods: pods no node fitted. They wait for a cluster event that could make them fit
 *   (`moveAllToActiveOrBackoffQueue`, upstream's MoveAllToActiveOrBackoffQueue: a node added or
 *   changed, a bound pod deleted, …) and go back to activeQ, or backoffQ if still backing off. A pod
 *   waits there 5 min at most: a flush every 30 s moves the ones that waited longer.
 *
 * Invariant: a pod key is in at most one of the three. A pod that fails while a move request
 * happened during its scheduling cycle goes to backoffQ, not unschedulablePods, so the event that
 * might have helped it is not lost (upstream's moveRequestCycle).
 */
import type { Clock } from '../../util/clock.js';
import { KeyedHeap } from './heap.js';
import { podKey } from './node-info.js';
import type { Pod } from './resources.js';

export interface QueuedPodInfo {
  pod: Pod;
  readonly key: string;
  /** When the pod was last added to a queue, ms since the epoch. */
  timestamp: number;
  /** When the pod was first added, for the activeQ order. */
  readonly initialTimestamp: number;
  /** Scheduling attempts so far (pops). */
  attempts: number;
  /** The plugins that rejected the pod in its last attempt; empty after an error. */
  unschedulablePlugins: Set<string>;
}

/** Cluster changes that can make unschedulable pods schedulable (framework.ClusterEvent). */
export type ClusterEvent = 'NodeAdd' | 'NodeUpdate' | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete' | 'VolumeChange' | 'UnschedulableTimeout';

/**
 * The plugins whose rejection an event may undo (each plugin's EventsToRegister, coarsely): a bound
 * pod appearing only helps pods rejected for pod (anti-)affinity or spreading.
 */
const EVENT_INTEREST: Record<ClusterEvent, ReadonlySet<string> | 'all'> = {
  NodeAdd: 'all',
  NodeUpdate: 'all',
  AssignedPodDelete: 'all',
  AssignedPodAdd: new Set(['InterPodAffinity', 'PodTopologySpread']),
  AssignedPodUpdate: new Set(['InterPodAffinity', 'PodTopologySpread', 'NodeResourcesFit']),
  // A claim or StorageClass added or changed (PersistentVolumeClaim and StorageClass events).
  VolumeChange: new Set(['VolumeBinding']),
  UnschedulableTimeout: 'all',
};

export interface SchedulingQueueOptions {
  readonly clock: Clock;
  /** @defaultValue 1000 (podInitialBackoffSeconds) */
  readonly initialBackoffMs?: number;
  /** @defaultValue 10000 (podMaxBackoffSeconds) */
  readonly maxBackoffMs?: number;
  /** @defaultValue 300000 (podMaxInUnschedulablePodsDuration) */
  readonly maxInUnschedulableMs?: number;
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>((p) => p.key, activeLess);
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private waiters: ((info: QueuedPodInfo | undefined) => void)[] = [];
  private closed = false;
  /** Incremented by each pop. */
  private cycle = 0;
  /** The cycle in which the last move request happened. */
  private moveRequestCycle = -1;

  constructor(options: SchedulingQueueOptions) {
    this.clock = options.clock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = options.maxInUnschedulableMs ?? 300_000;
    if (this.initialBackoffMs <= 0 || this.maxBackoffMs < this.initialBackoffMs) throw new RangeError('SchedulingQueue: need 0 < initialBackoffMs <= maxBackoffMs');
    this.backoffQ = new KeyedHeap<QueuedPodInfo>((p) => p.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** The cycle of the last pop: what `addUnschedulableIfNotPresent` is told. */
  get schedulingCycle(): number {
    return this.cycle;
  }

  /** Sizes of the three queues, for tests and metrics. */
  get pending(): { readonly active: number; readonly backoff: number; readonly unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  /** Where a pod waits, if anywhere. */
  whereIs(pod: Pod): 'active' | 'backoff' | 'unschedulable' | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    return undefined;
  }

  /** A new pending pod: to activeQ. */
  add(pod: Pod): void {
    const key = podKey(pod);
    const now = this.clock.now();
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
    const existing = this.activeQ.get(key);
    this.pushActive(existing === undefined ? { pod, key, timestamp: now, initialTimestamp: now, attempts: 0, unschedulablePlugins: new Set() } : { ...existing, pod });
  }

  /** A pending pod changed. One waiting as unschedulable is retried if its spec or labels changed. */
  update(oldPod: Pod, pod: Pod): void {
    const key = podKey(pod);
    const active = this.activeQ.get(key);
    if (active !== undefined) {
      active.pod = pod;
      this.activeQ.addOrUpdate(active);
      return;
    }
    const backoff = this.backoffQ.get(key);
    if (backoff !== undefined) {
      backoff.pod = pod;
      return;
    }
    const waiting = this.unschedulable.get(key);
    if (waiting !== undefined) {
      waiting.pod = pod;
      if (schedulingPropertiesChanged(oldPod, pod)) {
        this.unschedulable.delete(key);
        if (this.isBackingOff(waiting)) this.backoffQ.addOrUpdate(waiting);
        else this.pushActive(waiting);
      }
      return;
    }
    this.add(pod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /**
   * The next pod to schedule, waiting for one; undefined once closed. The pod leaves the queue: the
   * scheduler hands it back with `addUnschedulableIfNotPresent` if it fails.
   */
  pop(): Promise<QueuedPodInfo | undefined> {
    const info = this.popNow();
    if (info !== undefined || this.closed) return Promise.resolve(info);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next pod if one is active now, without waiting. */
  popNow(): QueuedPodInfo | undefined {
    const info = this.activeQ.pop();
    if (info === undefined) return undefined;
    info.attempts++;
    this.cycle++;
    return info;
  }

  /**
   * Hands back a pod whose attempt in `podSchedulingCycle` failed: rejected by `plugins` (then it
   * waits as unschedulable), or by an error (empty `plugins`: it backs off).
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo, plugins: ReadonlySet<string>, podSchedulingCycle: number): void {
    if (this.activeQ.has(info.key) || this.backoffQ.has(info.key) || this.unschedulable.has(info.key)) return;
    info.timestamp = this.clock.now();
    info.unschedulablePlugins = new Set(plugins);
    if (plugins.size === 0 || this.moveRequestCycle >= podSchedulingCycle) this.backoffQ.addOrUpdate(info);
    else this.unschedulable.set(info.key, info);
  }

  /** A cluster event: pods it may help leave unschedulablePods for activeQ or backoffQ. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent): void {
    const interest = EVENT_INTEREST[event];
    for (const [key, info] of this.unschedulable) {
      if (interest !== 'all' && ![...info.unschedulablePlugins].some((p) => interest.has(p))) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info);
      else this.pushActive(info);
    }
    this.moveRequestCycle = this.cycle;
  }

  /** Moves pods whose backoff has ended to activeQ (run every second). */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (let head = this.backoffQ.peek(); head !== undefined && this.backoffExpiry(head) <= now; head = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(head);
    }
  }

  /** Moves pods unschedulable for longer than maxInUnschedulableMs (run every 30 s). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    for (const [key, info] of this.unschedulable) {
      if (now - info.timestamp <= this.maxInUnschedulableMs) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info);
      else this.pushActive(info);
    }
  }

  /** The backoff after `attempts` attempts: initial, doubled per further attempt, capped. */
  backoffDuration(attempts: number): number {
    let duration = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      duration *= 2;
      if (duration >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return duration;
  }

  /** Runs the periodic flushes until `signal` aborts, then closes the queue (pops resolve undefined). */
  async run(signal: AbortSignal): Promise<void> {
    const backoff = (async () => {
      while (!signal.aborted) {
        await this.clock.sleep(1000, signal);
        if (!signal.aborted) this.flushBackoffQCompleted();
      }
    })();
    const leftover = (async () => {
      while (!signal.aborted) {
        await this.clock.sleep(30_000, signal);
        if (!signal.aborted) this.flushUnschedulablePodsLeftover();
      }
    })();
    await Promise.all([backoff, leftover]);
    this.close();
  }

  close(): void {
    this.closed = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake(undefined);
  }

  private pushActive(info: QueuedPodInfo): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined && this.activeQ.size === 0) {
      info.attempts++;
      this.cycle++;
      waiter(info);
      return;
    }
    this.activeQ.addOrUpdate(info);
  }

  private backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDuration(info.attempts);
  }

  private isBackingOff(info: QueuedPodInfo): boolean {
    return this.backoffExpiry(info) > this.clock.now();
  }
}

/** PrioritySort's Less: higher spec.priority first, then earlier. */
function activeLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.pod.spec?.priority ?? 0;
  const pb = b.pod.spec?.priority ?? 0;
  if (pa !== pb) return pa > pb;
  return a.initialTimestamp < b.initialTimestamp;
}

/** isPodUpdated: anything but resourceVersion, generation, managedFields and status changed. */
function schedulingPropertiesChanged(oldPod: Pod, pod: Pod): boolean {
  const strip = (p: Pod): string => {
    const { resourceVersion: _rv, generation: _g, managedFields: _m, ...meta } = p.metadata ?? {};
    return JSON.stringify({ meta, spec: p.spec });
  };
  return strip(oldPod) !== strip(pod);
}
