/**
 * @module
 * Taint-based eviction (upstream pkg/controller/tainteviction/taint_eviction.go, processPodOnNode and
 * its TimedWorkerQueue): for each pod bound to a node with NoExecute taints,
 * - a pod that does not tolerate every NoExecute taint is deleted at once;
 * - a pod that tolerates them all is deleted after the shortest tolerationSeconds of the tolerations
 *   used, counted from when this controller first scheduled the eviction;
 * - a pod whose used tolerations set no tolerationSeconds stays forever.
 * Removing the taints (the node is Ready again) or the pod going away cancels a scheduled eviction.
 *
 * Pods lacking the not-ready/unreachable tolerations that the DefaultTolerationSeconds admission
 * plugin adds are judged as if they had them, with `defaultTolerationSeconds` (see ./taints.ts).
 *
 * Invariant: `scheduled` holds one timed worker per pod key; a worker removes itself when it ends,
 * unless it was replaced. Eviction is a delete, as upstream's taint manager does.
 */
import type { coreV1 } from '../../api/types/index.js';
import { isNotFound } from '../../client/errors.js';
import type { DeepReadonly } from '../../client/object.js';
import type { Clock } from '../../util/clock.js';
import { errorMessage, type Logger } from '../../util/logger.js';
import { getMatchingTolerations, getMinTolerationTimeMs, noExecuteTaints, withDefaultTolerations } from './taints.js';

type Pod = DeepReadonly<coreV1.Pod>;
type Node = DeepReadonly<coreV1.Node>;

/** How an eviction is carried out: a delete of the pod (NotFound counts as done). */
export interface PodEvictor {
  evictPod(pod: Pod): Promise<void>;
}

/** The decision for one pod against its node's NoExecute taints. */
export type EvictionDecision =
  | { readonly kind: 'keep' }
  | { readonly kind: 'evict-now' }
  | { readonly kind: 'evict-after'; readonly delayMs: number };

/** processPodOnNode's decision, without the scheduling: pure. */
export function evictionDecision(pod: Pod, node: Node | undefined, defaultTolerationSeconds: number): EvictionDecision {
  const taints = node === undefined ? [] : noExecuteTaints(node);
  if (taints.length === 0) return { kind: 'keep' };
  const tolerations = withDefaultTolerations(pod.spec?.tolerations, defaultTolerationSeconds);
  const { allTolerated, used } = getMatchingTolerations(taints, tolerations);
  if (!allTolerated) return { kind: 'evict-now' };
  const delayMs = getMinTolerationTimeMs(used);
  if (delayMs < 0) return { kind: 'keep' };
  return delayMs === 0 ? { kind: 'evict-now' } : { kind: 'evict-after', delayMs };
}

export interface TaintEvictionOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly evictor: PodEvictor;
  readonly defaultTolerationSeconds: number;
  /** The node a pod is bound to, from the cache. */
  readonly getNode: (name: string) => Node | undefined;
  /** The pods bound to a node, from the cache. */
  readonly podsOnNode: (nodeName: string) => readonly Pod[];
  /** Attempts of a failing delete before giving up (upstream retries 5 times). @defaultValue 5 */
  readonly retries?: number;
}

interface TimedWorker {
  readonly createdAt: number;
  readonly fireAt: number;
  readonly cancel: AbortController;
}

export class TaintEviction {
  private readonly scheduled = new Map<string, TimedWorker>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retries: number;

  constructor(private readonly options: TaintEvictionOptions) {
    this.retries = options.retries ?? 5;
  }

  /** Pod keys with an eviction scheduled or under way. */
  get scheduledKeys(): string[] {
    return [...this.scheduled.keys()];
  }

  /** When the eviction of pod `key` is due (ms since the epoch), if one is scheduled. */
  dueAt(key: string): number | undefined {
    return this.scheduled.get(key)?.fireAt;
  }

  /** Re-judges every pod on `nodeName` (handleNodeUpdate), against `node` when given, else the cache's. */
  processNode(nodeName: string, node: Node | undefined = this.options.getNode(nodeName)): void {
    for (const pod of this.options.podsOnNode(nodeName)) this.judge(pod, node);
  }

  /** Re-judges one pod (handlePodUpdate). */
  processPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName ?? '';
    if (nodeName === '' || pod.metadata?.deletionTimestamp !== undefined) {
      this.cancel(podKey(pod));
      return;
    }
    this.judge(pod, this.options.getNode(nodeName));
  }

  /** The pod is gone: forget its eviction. */
  podDeleted(pod: Pod): void {
    this.cancel(podKey(pod));
  }

  /** Cancels every scheduled eviction and waits for deletes under way to end. */
  async shutDown(): Promise<void> {
    for (const key of [...this.scheduled.keys()]) this.cancel(key);
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private judge(pod: Pod, node: Node | undefined): void {
    const key = podKey(pod);
    if (pod.metadata?.deletionTimestamp !== undefined) {
      this.cancel(key);
      return;
    }
    const decision = evictionDecision(pod, node, this.options.defaultTolerationSeconds);
    const now = this.options.clock.now();
    switch (decision.kind) {
      case 'keep':
        this.cancel(key);
        return;
      case 'evict-now':
        this.schedule(pod, now, now);
        return;
      case 'evict-after': {
        // The toleration runs from when the eviction was first scheduled, not from this event.
        const existing = this.scheduled.get(key);
        const createdAt = existing?.createdAt ?? now;
        this.schedule(pod, createdAt, createdAt + decision.delayMs);
        return;
      }
      default: {
        const never: never = decision;
        throw new Error(`unknown decision ${JSON.stringify(never)}`);
      }
    }
  }

  private schedule(pod: Pod, createdAt: number, fireAt: number): void {
    const key = podKey(pod);
    const existing = this.scheduled.get(key);
    if (existing !== undefined) {
      if (existing.fireAt <= fireAt) return; // already due no later
      this.cancel(key);
    }
    const worker: TimedWorker = { createdAt, fireAt, cancel: new AbortController() };
    this.scheduled.set(key, worker);
    const run = this.fire(key, pod, worker).finally(() => {
      this.inFlight.delete(run);
      if (this.scheduled.get(key) === worker) this.scheduled.delete(key);
    });
    this.inFlight.add(run);
  }

  private cancel(key: string): void {
    const worker = this.scheduled.get(key);
    if (worker === undefined) return;
    worker.cancel.abort();
    this.scheduled.delete(key);
  }

  private async fire(key: string, pod: Pod, worker: TimedWorker): Promise<void> {
    const { clock, logger, evictor } = this.options;
    const signal = worker.cancel.signal;
    const wait = worker.fireAt - clock.now();
    if (wait > 0) await clock.sleep(wait, signal);
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await evictor.evictPod(pod);
        logger.info(`node-lifecycle: evicted pod ${key} from tainted node ${pod.spec?.nodeName ?? ''}`);
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (attempt >= this.retries) {
          logger.warn(`node-lifecycle: evicting pod ${key} failed ${attempt} times, giving up: ${errorMessage(error)}`);
          return;
        }
        await clock.sleep(10 * attempt, signal);
      }
    }
  }
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
