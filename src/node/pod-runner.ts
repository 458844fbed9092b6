/**
 * @module
 * Runs the pods of every simulated node through the stages: the part of the kubelet that syncs pods
 * (pkg/kubelet/pod_workers.go, status_manager.go), the way kwok's pod controller does
 * (pkg/kwok/controllers/pod_controller.go) — one shared pods informer for all nodes, indexed by
 * spec.nodeName (never one watch per node), a delaying work queue as the timer queue on the injected
 * clock, and a fixed number of workers, which bounds the writes in flight.
 *
 * Per pod: an event enqueues its key; a worker picks the stage that applies, plans when it fires
 * (delay and jitter) and sleeps on the queue until then; at that time, if the pod still matches,
 * it writes the stage's status through a merge patch of pods/status (carrying the resourceVersion it
 * read, so a stale write conflicts and is retried against the newer pod) or deletes the pod.
 *
 * Invariants: a stage is applied at most once per resourceVersion of a pod (so a write that the
 * cache has not seen yet is never repeated); a pod holds an address of its node's pod CIDR from
 * pod-ready until it finishes (Succeeded or Failed) or goes away.
 */
import type { JsonObject } from '../api/json.js';
import type { coreV1 } from '../api/types/index.js';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import { DeletedFinalStateUnknown } from '../client/cache/keys.js';
import type { SharedIndexInformer } from '../client/cache/shared-informer.js';
import { isNotFound } from '../client/errors.js';
import type { KubeClient } from '../client/kube-client.js';
import type { EventRecorder } from '../client/record/event-recorder.js';
import { RateLimitingQueue } from '../client/workqueue/rate-limiting-queue.js';
import { ItemExponentialFailureRateLimiter } from '../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../util/logger.js';
import { PodIPAllocator } from './ip-allocator.js';
import { type PodView, chooseStage, stageAction, stageDelayMs } from './stage-engine.js';
import { selectorMatches } from './stage-selector.js';
import { type CompiledStage, type Stage, compileStages } from './stages.js';

/** The name of the index of pods by spec.nodeName. */
export const NODE_NAME_INDEX = 'spec.nodeName';

/**
 * The writes a simulated kubelet makes to pods (the narrow slice of the client it needs, upstream's
 * status manager and pod deletion): a real one over the client, a recording one in tests.
 */
export interface PodWriter {
  /** A merge patch of pods/status. */
  patchStatus(namespace: string, name: string, patch: JsonObject): Promise<void>;
  /** Deletes the pod for good (grace period 0), if it still has this uid. */
  deleteNow(namespace: string, name: string, uid: string): Promise<void>;
}

/** The {@link PodWriter} over a client. */
export function clientPodWriter(client: KubeClient): PodWriter {
  const pods = client.typed('v1/Pod');
  return {
    async patchStatus(namespace, name, patch) {
      // The informer brings the patched pod; the answer's copy is not decoded.
      await pods.namespace(namespace).patchUnread(name, patch, 'merge', { subresource: 'status', fieldManager: 'kubelite-node' });
    },
    async deleteNow(namespace, name, uid) {
      await pods.namespace(namespace).delete(name, { gracePeriodSeconds: 0, preconditions: { uid } });
    },
  };
}

export interface PodRunnerOptions {
  readonly client: KubeClient;
  /** @defaultValue {@link clientPodWriter} of `client` */
  readonly writer?: PodWriter;
  readonly stages: readonly Stage[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly random?: () => number;
  /** Workers applying stages: the bound on pod writes in flight. @defaultValue 16 */
  readonly workers?: number;
  /** Where stage events go; without one, stage events are dropped. */
  readonly recorder?: EventRecorder;
  /**
   * An informer factory shared with the controllers of the same thread (`kubelite up`): its pods
   * informer, which holds every pod, serves the runner too, so each pod is decoded and cached once
   * for all of them, and the runner passes over the pods not bound to its nodes. Unset, the runner
   * has a factory of its own whose one watch carries bound pods only, as a kubelet's does.
   */
  readonly informers?: SharedInformerFactory;
}

/** A node whose pods this runner drives. */
export interface RunnerNode {
  readonly name: string;
  readonly podCIDR: string;
  readonly hostIP: string;
}

interface ManagedNode extends RunnerNode {
  readonly allocator: PodIPAllocator;
}

/** What the runner remembers of one pod, by key. */
interface PodState {
  readonly uid: string;
  readonly nodeName: string;
  plan: { readonly stage: CompiledStage; readonly dueAt: number } | undefined;
  /** The resourceVersion a stage was last applied to. */
  applied: string | undefined;
}

export class PodRunner {
  readonly informer: SharedIndexInformer<coreV1.Pod>;
  private readonly factory: SharedInformerFactory;
  private readonly writer: PodWriter;
  private readonly stages: readonly CompiledStage[];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly workers: number;
  private readonly recorder: EventRecorder | undefined;
  private readonly queue: RateLimitingQueue<string>;
  private readonly nodes = new Map<string, ManagedNode>();
  private readonly pods = new Map<string, PodState>();

  constructor(options: PodRunnerOptions) {
    this.writer = options.writer ?? clientPodWriter(options.client);
    this.stages = compileStages(options.stages);
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
    this.workers = options.workers ?? 16;
    if (!Number.isInteger(this.workers) || this.workers < 1) throw new RangeError('PodRunner: workers must be a positive integer');
    this.recorder = options.recorder;
    this.queue = new RateLimitingQueue<string>({
      name: 'simulated-pods',
      clock: this.clock,
      rateLimiter: new ItemExponentialFailureRateLimiter<string>(200, 30_000),
    });
    // Only bound pods concern a kubelet; on a factory of its own, the server filters the rest out of
    // the one watch.
    this.factory =
      options.informers ?? new SharedInformerFactory(options.client, { fieldSelector: 'spec.nodeName!=', clock: this.clock, logger: this.logger });
    this.informer = this.factory.typed('v1/Pod');
    // A shared informer may be indexed by node already (the node lifecycle controller's index: same
    // name, same function).
    if (this.informer.indexer.getIndexers()[NODE_NAME_INDEX] === undefined) {
      this.informer.indexer.addIndexers({ [NODE_NAME_INDEX]: (pod) => [pod.spec?.nodeName ?? ''] });
    }
    this.informer.addEventHandler({
      onAdd: (pod) => this.observe(pod),
      onUpdate: (_, pod) => this.observe(pod),
      onDelete: (pod) => this.forget(pod instanceof DeletedFinalStateUnknown ? pod.key : keyOf(pod)),
    });
  }

  /** Starts driving the pods of `node` (those cached already are picked up now). */
  addNode(node: RunnerNode): void {
    const managed: ManagedNode = { ...node, allocator: new PodIPAllocator(node.podCIDR) };
    this.nodes.set(node.name, managed);
    for (const pod of this.informer.indexer.byIndex(NODE_NAME_INDEX, node.name)) this.observe(pod);
  }

  /** The pod IPs a node's allocator has free (for tests and metrics). */
  freeAddresses(nodeName: string): number | undefined {
    return this.nodes.get(nodeName)?.allocator.free;
  }

  /** Runs the informer and the workers until `signal` aborts; resolves once all have stopped. */
  async run(signal: AbortSignal): Promise<void> {
    this.factory.start(signal);
    const onAbort = (): void => this.queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const workers = Array.from({ length: this.workers }, () => this.worker());
    await Promise.all(workers);
    await this.factory.shutdown();
    signal.removeEventListener('abort', onAbort);
  }

  hasSynced(): boolean {
    return this.informer.hasSynced();
  }

  private observe(pod: PodView): void {
    const nodeName = pod.spec?.nodeName ?? '';
    const node = this.nodes.get(nodeName);
    if (node === undefined) return;
    const key = keyOf(pod);
    const uid = pod.metadata?.uid ?? '';
    const known = this.pods.get(key);
    if (known !== undefined && known.uid !== uid) this.forget(key);
    if (!this.pods.has(key)) this.pods.set(key, { uid, nodeName, plan: undefined, applied: undefined });
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') node.allocator.release(uid);
    else if (pod.status?.podIP !== undefined && pod.status.podIP !== '' && !node.allocator.reserve(uid, pod.status.podIP)) {
      this.logger.warn(`pod ${key} on node ${nodeName} has IP ${pod.status.podIP}, outside the node's free pod range ${node.podCIDR}`);
    }
    this.queue.add(key);
  }

  private forget(key: string): void {
    const state = this.pods.get(key);
    if (state === undefined) return;
    this.nodes.get(state.nodeName)?.allocator.release(state.uid);
    this.pods.delete(key);
    this.queue.forget(key);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      try {
        await this.sync(next.item);
      } catch (error) {
        this.logger.warn(`simulated kubelet: pod ${next.item}: ${errorMessage(error)} (will retry)`);
        this.queue.addRateLimited(next.item);
      } finally {
        this.queue.done(next.item);
      }
    }
  }

  /**
   * One pass over one pod: plan the stage that applies (and come back when it is due), or apply it
   * when it is due. Workers call it per queued key; tests call it directly against a filled cache.
   */
  async sync(key: string): Promise<void> {
    const pod = this.informer.indexer.getByKey(key);
    const state = this.pods.get(key);
    if (pod === undefined || state === undefined || state.uid !== (pod.metadata?.uid ?? '')) return;
    const node = this.nodes.get(state.nodeName);
    if (node === undefined) return;
    const resourceVersion = pod.metadata?.resourceVersion;
    if (state.applied !== undefined && state.applied === resourceVersion) return;
    const now = this.clock.now();
    let plan = state.plan;
    if (plan === undefined || !selectorMatches(plan.stage.selector, pod)) {
      const stage = chooseStage(this.stages, pod, this.random);
      plan = stage === undefined ? undefined : { stage, dueAt: now + stageDelayMs(stage, pod, now, this.random) };
      state.plan = plan;
    }
    if (plan === undefined) return;
    if (plan.dueAt > now) {
      this.queue.addAfter(key, plan.dueAt - now);
      return;
    }
    await this.apply(plan.stage, pod, node);
    state.plan = undefined;
    state.applied = resourceVersion;
    this.queue.forget(key);
  }

  private async apply(compiled: CompiledStage, pod: PodView, node: ManagedNode): Promise<void> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid ?? '';
    let podIP: string | undefined;
    if (compiled.needsPodIP) {
      podIP = pod.status?.podIP !== undefined && pod.status.podIP !== '' ? pod.status.podIP : node.allocator.allocate(uid);
      if (podIP === undefined) throw new Error(`node ${node.name} has no free pod IP in ${node.podCIDR}`);
    }
    const action = stageAction(compiled, pod, { now: this.clock.now(), nodeName: node.name, hostIP: node.hostIP, ...(podIP === undefined ? {} : { podIP }) });
    try {
      if (action.delete) await this.writer.deleteNow(namespace, name, uid);
      else if (action.statusPatch !== undefined) await this.writer.patchStatus(namespace, name, action.statusPatch);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (action.event !== undefined && this.recorder !== undefined) {
      // The recorder refers to the pod by kind, apiVersion and metadata, which is all this gives it.
      this.recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata ?? {} }, action.event.type, action.event.reason, action.event.message);
    }
  }
}

function keyOf(pod: { readonly metadata?: { readonly namespace?: string; readonly name?: string } }): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
