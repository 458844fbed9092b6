/**
 * @module
 * The node lifecycle controller (upstream pkg/controller/nodelifecycle/node_lifecycle_controller.go,
 * with taint-based eviction from pkg/controller/tainteviction/taint_eviction.go). Every
 * `nodeMonitorPeriodMs` (5 s) `monitorNodeHealth` checks each node (./node-health.ts): a node whose
 * Ready heartbeat and kube-node-lease Lease have not moved for `nodeMonitorGracePeriodMs` gets Ready,
 * MemoryPressure, DiskPressure and PIDPressure set Unknown ("Kubelet stopped posting node status.")
 * and its pods marked not Ready. Then its taints follow its Ready condition (./taints.ts):
 * node.kubernetes.io/unreachable:NoExecute when Unknown, node.kubernetes.io/not-ready:NoExecute when
 * False, none when True (plus the NoSchedule taints of TaintNodesByCondition). Pods on a node with
 * NoExecute taints are evicted — deleted — at once or after their tolerationSeconds
 * (./taint-eviction.ts); their controllers replace them elsewhere.
 *
 * Not modelled: zone states and the eviction rate limiters (nodeEvictionRate,
 * secondaryNodeEvictionRate, unhealthyZoneThreshold): taints are written at once, for every node.
 *
 * The caller starts the informer factory (as kube-controller-manager does); `run` waits for the
 * caches, then runs the monitor loop until its signal aborts.
 */
import type { coordinationV1, coreV1 } from '../../api/types/index.js';
import { type SharedInformerFactory, waitForCacheSync } from '../../client/cache/informer-factory.js';
import { deletedObject } from '../../client/cache/keys.js';
import type { Lister } from '../../client/cache/listers.js';
import type { Indexer } from '../../client/cache/thread-safe-store.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import { EventRecorder } from '../../client/record/event-recorder.js';
import { type Clock, realClock } from '../../util/clock.js';
import { errorMessage, type Logger, stderrLogger } from '../../util/logger.js';
import { runPeriodically } from '../../util/periodic.js';
import { formatTime } from '../../api/time.js';
import { type NodeHealthData, tryUpdateNodeHealth } from './node-health.js';
import { TaintEviction } from './taint-eviction.js';
import { DEFAULT_TOLERATION_SECONDS, reconcileNodeTaints } from './taints.js';

type Node = coreV1.Node;
type Pod = coreV1.Pod;

/** The namespace of node heartbeat Leases (v1.NamespaceNodeLease). */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The index of pods by spec.nodeName (shared with the simulated kubelets' pod informer). */
export const POD_NODE_NAME_INDEX = 'spec.nodeName';

/** --node-monitor-period's default. */
export const DEFAULT_NODE_MONITOR_PERIOD_MS = 5_000;
/** --node-monitor-grace-period's default: 50 s since Kubernetes 1.32 (40 s before). */
export const DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** --node-startup-grace-period's default. */
export const DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS = 60_000;

/** The writes the controller makes; a test gives a recording one. */
export interface NodeLifecycleClient {
  /** Writes a node's status (conditions) through the status subresource. */
  updateNodeStatus(node: Node): Promise<Node>;
  /** Replaces a node's taints, guarded by `resourceVersion` (PatchNodeTaints). */
  patchNodeTaints(name: string, taints: coreV1.Taint[], resourceVersion: string | undefined): Promise<Node>;
  /** Writes a pod's status (MarkPodsNotReady). */
  updatePodStatus(pod: Pod): Promise<Pod>;
  /** Deletes a pod (the taint manager's eviction). */
  deletePod(namespace: string, name: string): Promise<void>;
}

/** The {@link NodeLifecycleClient} over a KubeClient. */
export function clientNodeLifecycle(client: KubeClient): NodeLifecycleClient {
  const nodes = client.typed('v1/Node');
  const pods = client.typed('v1/Pod');
  return {
    updateNodeStatus: (node) => nodes.updateStatus(node),
    patchNodeTaints: (name, taints, resourceVersion) =>
      nodes.patch(name, { metadata: resourceVersion === undefined ? {} : { resourceVersion }, spec: { taints } }, 'merge'),
    updatePodStatus: (pod) => pods.namespace(pod.metadata?.namespace ?? '').updateStatus(pod),
    deletePod: async (namespace, name) => {
      await pods.namespace(namespace).delete(name);
    },
  };
}

export interface NodeLifecycleControllerOptions {
  readonly client: KubeClient;
  /** Gives the Node, Lease and Pod informers; the caller starts it. */
  readonly informers: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How often node health is checked. @defaultValue {@link DEFAULT_NODE_MONITOR_PERIOD_MS} */
  readonly nodeMonitorPeriodMs?: number;
  /** Silence after which a node is Unknown. @defaultValue {@link DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS} */
  readonly nodeMonitorGracePeriodMs?: number;
  /** The same, for a node that never posted status. @defaultValue {@link DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS} */
  readonly nodeStartupGracePeriodMs?: number;
  /** tolerationSeconds assumed for a pod without not-ready/unreachable tolerations. @defaultValue 300 */
  readonly defaultTolerationSeconds?: number;
  /** How the controller writes. @defaultValue {@link clientNodeLifecycle} over `client` */
  readonly lifecycleClient?: NodeLifecycleClient;
}

export class NodeLifecycleController {
  readonly taintEviction: TaintEviction;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly writes: NodeLifecycleClient;
  private readonly recorder: EventRecorder | undefined;
  private readonly monitorPeriodMs: number;
  private readonly gracePeriodMs: number;
  private readonly startupGracePeriodMs: number;
  private readonly nodeLister: Lister<Node>;
  private readonly leaseLister: Lister<coordinationV1.Lease>;
  private readonly podIndexer: Indexer<Pod>;
  private readonly synced: (() => boolean)[];
  /** nodeHealthMap: what was last observed of each node, by name. */
  private readonly health = new Map<string, NodeHealthData>();
  /** Informer events drive eviction only once `run` has synced the caches. */
  private running = false;

  constructor(options: NodeLifecycleControllerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.monitorPeriodMs = options.nodeMonitorPeriodMs ?? DEFAULT_NODE_MONITOR_PERIOD_MS;
    this.gracePeriodMs = options.nodeMonitorGracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_PERIOD_MS;
    this.startupGracePeriodMs = options.nodeStartupGracePeriodMs ?? DEFAULT_NODE_STARTUP_GRACE_PERIOD_MS;
    const defaultTolerationSeconds = options.defaultTolerationSeconds ?? DEFAULT_TOLERATION_SECONDS;
    for (const [name, value] of Object.entries({ nodeMonitorPeriodMs: this.monitorPeriodMs, nodeMonitorGracePeriodMs: this.gracePeriodMs, nodeStartupGracePeriodMs: this.startupGracePeriodMs })) {
      if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`NodeLifecycleController: ${name} must be a positive number, not ${value}`);
    }
    if (!(defaultTolerationSeconds >= 0)) throw new RangeError(`NodeLifecycleController: defaultTolerationSeconds must be at least 0, not ${defaultTolerationSeconds}`);
    if (options.lifecycleClient === undefined) {
      this.recorder = new EventRecorder({ client: options.client, source: { component: 'node-controller' }, clock: this.clock, logger: this.logger });
    }
    this.writes = options.lifecycleClient ?? clientNodeLifecycle(options.client);

    const nodeInformer = options.informers.typed('v1/Node');
    const leaseInformer = options.informers.typed('coordination.k8s.io/v1/Lease');
    const podInformer = options.informers.typed('v1/Pod');
    if (podInformer.indexer.getIndexers()[POD_NODE_NAME_INDEX] === undefined) {
      podInformer.indexer.addIndexers({ [POD_NODE_NAME_INDEX]: (pod) => [pod.spec?.nodeName ?? ''] });
    }
    this.nodeLister = nodeInformer.lister();
    this.leaseLister = leaseInformer.lister();
    this.podIndexer = podInformer.indexer;
    this.taintEviction = new TaintEviction({
      clock: this.clock,
      logger: this.logger,
      defaultTolerationSeconds,
      getNode: (name) => this.nodeLister.get(name),
      podsOnNode: (name) => this.podsOnNode(name),
      evictor: {
        evictPod: async (pod) => {
          this.recorder?.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
          await this.writes.deletePod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
        },
      },
    });
    const nodeRegistration = nodeInformer.addEventHandler({
      onAdd: (node) => this.onNode(node),
      onUpdate: (_, node) => this.onNode(node),
      onDelete: (obj) => {
        const node = deletedObject(obj);
        if (node?.metadata?.name !== undefined) this.health.delete(node.metadata.name);
      },
    });
    const podRegistration = podInformer.addEventHandler({
      onAdd: (pod) => this.onPod(pod),
      onUpdate: (_, pod) => this.onPod(pod),
      onDelete: (obj) => {
        const pod = deletedObject(obj);
        if (pod !== undefined) this.taintEviction.podDeleted(pod);
      },
    });
    const leaseRegistration = leaseInformer.addEventHandler({});
    this.synced = [nodeRegistration.hasSynced, podRegistration.hasSynced, leaseRegistration.hasSynced];
  }

  /** Waits for the caches, then monitors node health until `signal` aborts; resolves once stopped. */
  async run(signal: AbortSignal): Promise<void> {
    if (await waitForCacheSync(signal, this.synced, this.clock)) {
      this.running = true;
      for (const node of this.nodeLister.list()) this.taintEviction.processNode(node.metadata?.name ?? '');
      await runPeriodically(() => this.monitorNodeHealth(), {
        clock: this.clock,
        intervalMs: this.monitorPeriodMs,
        signal,
        logger: this.logger,
        name: 'node-lifecycle: monitorNodeHealth',
        runFirst: true,
      });
    }
    this.running = false;
    await this.taintEviction.shutDown();
    await this.recorder?.flush();
  }

  /**
   * One pass over every node (monitorNodeHealth): marks silent nodes Unknown, marks their pods not
   * Ready, and brings each node's taints in line with its conditions. A node whose writes fail is
   * retried on the next pass; the first error is rethrown after all nodes were seen.
   */
  async monitorNodeHealth(): Promise<void> {
    const errors: unknown[] = [];
    for (const cached of this.nodeLister.list()) {
      try {
        await this.monitorNode(cached);
      } catch (error) {
        errors.push(error);
        this.logger.warn(`node-lifecycle: node ${cached.metadata?.name ?? ''}: ${errorMessage(error)}`);
      }
    }
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map(errorMessage).join('; '));
  }

  private async monitorNode(cached: DeepReadonly<Node>): Promise<void> {
    const name = cached.metadata?.name ?? '';
    const lease = this.leaseLister.namespace(NODE_LEASE_NAMESPACE).get(name);
    const now = this.clock.now();
    const result = tryUpdateNodeHealth(cached, lease, this.health.get(name), now, {
      nodeMonitorGracePeriodMs: this.gracePeriodMs,
      nodeStartupGracePeriodMs: this.startupGracePeriodMs,
    });
    let node: DeepReadonly<Node> = cached;
    if (result.update !== undefined) {
      node = await this.writes.updateNodeStatus(result.update);
      this.health.set(name, result.health);
      this.logger.info(`node-lifecycle: node ${name} stopped posting status; Ready is Unknown`);
    } else {
      this.health.set(name, result.health);
    }
    // Ready went from True to anything else: the node's pods are not ready any more.
    if (result.observedReady.status === 'True' && result.currentReady !== undefined && result.currentReady.status !== 'True') {
      this.recorder?.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      await this.markPodsNotReady(name);
    }
    const taints = reconcileNodeTaints(node, formatTime(now));
    if (taints !== undefined) {
      // Judge the pods against the taints just written; the informer's update will agree.
      const patched = await this.writes.patchNodeTaints(name, taints, node.metadata?.resourceVersion);
      this.taintEviction.processNode(name, patched);
    }
  }

  /** MarkPodsNotReady: sets the Ready condition of each pod on the node to False. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const now = formatTime(this.clock.now());
    const errors: unknown[] = [];
    for (const pod of this.podsOnNode(nodeName)) {
      const conditions = pod.status?.conditions ?? [];
      const index = conditions.findIndex((c) => c.type === 'Ready');
      if (index < 0 || conditions[index]?.status === 'False') continue;
      const updated = structuredClone(pod) as Pod;
      const list = updated.status?.conditions ?? [];
      const ready = list[index];
      if (ready === undefined) continue;
      list[index] = { ...ready, status: 'False', lastTransitionTime: now };
      try {
        await this.writes.updatePodStatus(updated);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  private podsOnNode(nodeName: string): DeepReadonly<Pod>[] {
    return nodeName === '' ? [] : this.podIndexer.byIndex(POD_NODE_NAME_INDEX, nodeName);
  }

  private onNode(node: DeepReadonly<Node>): void {
    if (this.running) this.taintEviction.processNode(node.metadata?.name ?? '');
  }

  private onPod(pod: DeepReadonly<Pod>): void {
    if (this.running) this.taintEviction.processPod(pod);
  }
}
