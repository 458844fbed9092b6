/**
 * @module
 * Simulated kubelets: one NodeSimulator runs N nodes — thousands in one process — as kwok does
 * (kubernetes-sigs/kwok pkg/kwok/controllers: node controller, node lease controller, pod
 * controller). Each node registers a Node (pkg/kubelet/kubelet_node_status.go registerWithAPIServer:
 * create, or adopt the Node that already exists), keeps its Lease in kube-node-lease renewed
 * (./node-lease.ts), posts its status on change or every nodeStatusReportFrequency, and has its pods
 * driven through the stages by one shared {@link PodRunner}.
 *
 * Scale: all node work — registrations, lease renewals, status posts — goes through one delaying work
 * queue served by `maxConcurrentWrites` workers, so the writes in flight are bounded whatever the
 * node count; the first renewal of node i is offset by i/N of the renew interval, so renewals are
 * spread evenly instead of arriving together; and one Node informer plus one pods informer serve
 * every node (those of the controllers, when they run on the same thread and share their factory).
 *
 * Failure injection: `stopHeartbeat(node)` makes a node go silent (no Lease renewals, no status
 * posts), as a dead kubelet; the node lifecycle controller then marks it NotReady. `resumeHeartbeat`
 * brings it back. A user does the same from kubectl with the annotation `kubelite.dev/heartbeat:
 * stopped` on the Node (`kubectl annotate node kubelite-node-1 kubelite.dev/heartbeat=stopped`):
 * while it is set the node is silent; removing it (`kubelite.dev/heartbeat-`) resumes. The
 * annotation acts on its changes only, so it and the methods can be mixed. The node's pods keep
 * their stages either way: only the heartbeats stop. Pods fail through stages (see
 * ./default-stages.ts, the crash-loop stage).
 */
import type { coordinationV1, coreV1 } from '../api/types/index.js';
import { SharedInformerFactory } from '../client/cache/informer-factory.js';
import type { SharedIndexInformer } from '../client/cache/shared-informer.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import type { KubeClient } from '../client/kube-client.js';
import { EventRecorder } from '../client/record/event-recorder.js';
import { RateLimitingQueue } from '../client/workqueue/rate-limiting-queue.js';
import { ItemExponentialFailureRateLimiter } from '../client/workqueue/rate-limiters.js';
import { type Clock, realClock } from '../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../util/logger.js';
import { defaultPodStages } from './default-stages.js';
import { formatCidr, nthHost, nthSubnet, parseCidr, subnetCount } from './ip-allocator.js';
import {
  HEARTBEAT_ANNOTATION,
  type NodeResources,
  type NodeSpecOptions,
  buildNode,
  heartbeatStoppedByAnnotation,
  isNodeReady,
  nodeStatus,
  refreshedConditions,
} from './node-object.js';
import {
  NODE_LEASE_DURATION_SECONDS,
  NODE_LEASE_NAMESPACE,
  NODE_LEASE_RENEW_JITTER,
  NODE_STATUS_REPORT_FREQUENCY_MS,
  buildNodeLease,
  jittered,
  renewIntervalMs,
  renewedNodeLease,
} from './node-lease.js';
import { PodRunner } from './pod-runner.js';
import type { Stage } from './stages.js';

export interface NodeSimulatorOptions {
  readonly client: KubeClient;
  /** How many nodes to run. */
  readonly count: number;
  /** Node i is named `${namePrefix}${i}`. @defaultValue 'kubelite-node-' */
  readonly namePrefix?: string;
  /** @defaultValue { cpu: '32', memory: '256Gi', pods: '110' } */
  readonly capacity?: NodeResources;
  /** @defaultValue capacity */
  readonly allocatable?: NodeResources;
  /** Node i is in zone `zones[i % zones.length]`. @defaultValue ['zone-a', 'zone-b', 'zone-c'] */
  readonly zones?: readonly string[];
  /** @defaultValue 'kubelite' */
  readonly region?: string;
  /** Extra labels on every node. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Node pod CIDRs are carved from it. @defaultValue '10.244.0.0/16' (256 nodes of /24; widen it for more) */
  readonly clusterCIDR?: string;
  /** @defaultValue 24 */
  readonly nodeCIDRMaskSize?: number;
  /** Node i's InternalIP is host i+1 of this range. @defaultValue '172.18.0.0/16' */
  readonly nodeIPRange?: string;
  readonly stages?: readonly Stage[];
  /** @defaultValue 40 */
  readonly leaseDurationSeconds?: number;
  /** @defaultValue 0.25 × the lease duration (10 s) */
  readonly leaseRenewIntervalMs?: number;
  /** @defaultValue 5 minutes */
  readonly statusReportFrequencyMs?: number;
  /** Workers for node writes (registrations, renewals, status): the bound on them in flight. @defaultValue 32 */
  readonly maxConcurrentWrites?: number;
  /** Workers for pod writes. @defaultValue 16 */
  readonly podWorkers?: number;
  /**
   * An informer factory shared with the controllers of the same thread: the nodes and pods they
   * cache serve the simulator too (see PodRunnerOptions.informers). Unset, it has its own.
   */
  readonly informers?: SharedInformerFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly random?: () => number;
}

interface SimulatedNode {
  readonly index: number;
  readonly spec: NodeSpecOptions;
  uid: string | undefined;
  /** The Lease as last written (upstream's latestLease), the base of the next renewal. */
  lease: coordinationV1.Lease | undefined;
  registered: boolean;
  heartbeating: boolean;
  /** Whether the Node's heartbeat annotation said stopped when last seen. */
  stoppedByAnnotation: boolean;
}

type WorkKind = 'register' | 'lease' | 'status';

export class NodeSimulator {
  readonly nodeNames: readonly string[];
  readonly podRunner: PodRunner;
  private readonly client: KubeClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private readonly nodes = new Map<string, SimulatedNode>();
  private readonly queue: RateLimitingQueue<string>;
  private readonly factory: SharedInformerFactory;
  private readonly nodeInformer: SharedIndexInformer<coreV1.Node>;
  private readonly leaseDurationSeconds: number;
  private readonly renewMs: number;
  private readonly statusMs: number;
  private readonly workers: number;
  /** Stops the event recorder's retries once `run` has finished. */
  private readonly stopEvents = new AbortController();

  constructor(options: NodeSimulatorOptions) {
    const { count } = options;
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`NodeSimulator: count must be a non-negative integer, not ${count}`);
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.random = options.random ?? Math.random;
    this.leaseDurationSeconds = positive('leaseDurationSeconds', options.leaseDurationSeconds ?? NODE_LEASE_DURATION_SECONDS);
    this.renewMs = positive('leaseRenewIntervalMs', options.leaseRenewIntervalMs ?? renewIntervalMs(this.leaseDurationSeconds));
    this.statusMs = positive('statusReportFrequencyMs', options.statusReportFrequencyMs ?? NODE_STATUS_REPORT_FREQUENCY_MS);
    this.workers = positive('maxConcurrentWrites', options.maxConcurrentWrites ?? 32);
    const cluster = parseCidr(options.clusterCIDR ?? '10.244.0.0/16');
    const maskSize = options.nodeCIDRMaskSize ?? 24;
    if (!Number.isInteger(maskSize) || maskSize > 30) throw new RangeError(`NodeSimulator: nodeCIDRMaskSize must be an integer up to 30, not ${maskSize}`);
    if (count > subnetCount(cluster, maskSize)) {
      throw new RangeError(`NodeSimulator: clusterCIDR ${formatCidr(cluster)} holds ${subnetCount(cluster, maskSize)} /${maskSize} pod ranges, too few for ${count} nodes; give a wider clusterCIDR (such as 10.0.0.0/8)`);
    }
    const nodeIPs = parseCidr(options.nodeIPRange ?? '172.18.0.0/16');
    if (count > 2 ** (32 - nodeIPs.prefix) - 2) throw new RangeError(`NodeSimulator: nodeIPRange ${formatCidr(nodeIPs)} is too small for ${count} nodes`);
    const zones = options.zones ?? ['zone-a', 'zone-b', 'zone-c'];
    const prefix = options.namePrefix ?? 'kubelite-node-';
    const capacity = options.capacity ?? { cpu: '32', memory: '256Gi', pods: '110' };
    for (let index = 0; index < count; index++) {
      const name = `${prefix}${index}`;
      const zone = zones.length === 0 ? undefined : zones[index % zones.length];
      const spec: NodeSpecOptions = {
        name,
        podCIDR: formatCidr(nthSubnet(cluster, maskSize, index)),
        internalIP: nthHost(nodeIPs, index),
        capacity,
        region: options.region ?? 'kubelite',
        ...(options.allocatable === undefined ? {} : { allocatable: options.allocatable }),
        ...(zone === undefined ? {} : { zone }),
        ...(options.labels === undefined ? {} : { labels: options.labels }),
      };
      this.nodes.set(name, { index, spec, uid: undefined, lease: undefined, registered: false, heartbeating: true, stoppedByAnnotation: false });
    }
    this.nodeNames = [...this.nodes.keys()];
    this.queue = new RateLimitingQueue<string>({ name: 'simulated-nodes', clock: this.clock, rateLimiter: new ItemExponentialFailureRateLimiter<string>(500, 30_000) });
    const recorder = new EventRecorder({ client: this.client, source: { component: 'kubelet' }, clock: this.clock, logger: this.logger, signal: this.stopEvents.signal });
    this.podRunner = new PodRunner({
      client: this.client,
      stages: options.stages ?? defaultPodStages(),
      clock: this.clock,
      logger: this.logger,
      random: this.random,
      recorder,
      ...(options.podWorkers === undefined ? {} : { workers: options.podWorkers }),
      ...(options.informers === undefined ? {} : { informers: options.informers }),
    });
    this.factory = options.informers ?? new SharedInformerFactory(this.client, { clock: this.clock, logger: this.logger });
    this.nodeInformer = this.factory.typed('v1/Node');
    // A kubelet re-posts its status when what is stored differs from what it reports (the node
    // lifecycle controller set Ready Unknown while it was silent): kubelet_node_status.go.
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.observeHeartbeatAnnotation(node),
      onUpdate: (_, node) => {
        this.observeHeartbeatAnnotation(node);
        const state = this.nodes.get(node.metadata?.name ?? '');
        if (state?.registered === true && state.heartbeating && !isNodeReady(node)) this.queue.add(item('status', state.spec.name));
      },
    });
  }

  /** Stops a node's heartbeats: no more Lease renewals or status posts, as if its kubelet died. */
  stopHeartbeat(nodeName: string): void {
    this.mustGet(nodeName).heartbeating = false;
  }

  /** Resumes a stopped node's heartbeats: it renews its Lease and posts its status at once. */
  resumeHeartbeat(nodeName: string): void {
    const node = this.mustGet(nodeName);
    if (node.heartbeating) return;
    node.heartbeating = true;
    if (!node.registered) return;
    this.queue.add(item('lease', nodeName));
    this.queue.add(item('status', nodeName));
  }

  /**
   * Follows the Node's {@link HEARTBEAT_ANNOTATION}: stops the heartbeats when it turns to stopped,
   * resumes them when it turns to anything else or goes.
   */
  private observeHeartbeatAnnotation(node: { readonly metadata?: { readonly name?: string; readonly annotations?: Readonly<Record<string, string>> } }): void {
    const name = node.metadata?.name ?? '';
    const state = this.nodes.get(name);
    const stopped = heartbeatStoppedByAnnotation(node);
    if (state === undefined || state.stoppedByAnnotation === stopped) return;
    state.stoppedByAnnotation = stopped;
    this.logger.info(`simulated node ${name}: heartbeats ${stopped ? 'stopped' : 'resumed'} (annotation ${HEARTBEAT_ANNOTATION})`);
    if (stopped) this.stopHeartbeat(name);
    else this.resumeHeartbeat(name);
  }

  isHeartbeating(nodeName: string): boolean {
    return this.mustGet(nodeName).heartbeating;
  }

  /** Nodes registered so far. */
  get registeredCount(): number {
    let n = 0;
    for (const node of this.nodes.values()) if (node.registered) n++;
    return n;
  }

  /** Registers every node and keeps them alive until `signal` aborts; resolves once all work stopped. */
  async run(signal: AbortSignal): Promise<void> {
    this.factory.start(signal);
    const runner = this.podRunner.run(signal);
    const onAbort = (): void => this.queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    for (const name of this.nodeNames) this.queue.add(item('register', name));
    await Promise.all(Array.from({ length: this.workers }, () => this.worker()));
    await runner;
    await this.factory.shutdown();
    this.stopEvents.abort();
    signal.removeEventListener('abort', onAbort);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      const [kind, name] = parseItem(next.item);
      const node = this.nodes.get(name);
      try {
        if (node !== undefined) await this.work(kind, node);
        this.queue.forget(next.item);
      } catch (error) {
        this.logger.warn(`simulated node ${name}: ${kind} failed (will retry): ${errorMessage(error)}`);
        this.queue.addRateLimited(next.item);
      } finally {
        this.queue.done(next.item);
      }
    }
  }

  private async work(kind: WorkKind, node: SimulatedNode): Promise<void> {
    const name = node.spec.name;
    switch (kind) {
      case 'register': {
        await this.register(node);
        // Spread: node i renews first at i/N of the interval, and reports status at (i+1)/N of its period.
        const count = Math.max(1, this.nodes.size);
        this.queue.addAfter(item('lease', name), (this.renewMs * node.index) / count);
        this.queue.addAfter(item('status', name), (this.statusMs * (node.index + 1)) / count);
        return;
      }
      case 'lease':
        if (!node.heartbeating) return;
        await this.renewLease(node);
        this.queue.addAfter(item('lease', name), jittered(this.renewMs, NODE_LEASE_RENEW_JITTER, this.random));
        return;
      case 'status':
        if (!node.heartbeating) return;
        await this.postStatus(node);
        this.queue.addAfter(item('status', name), jittered(this.statusMs, NODE_LEASE_RENEW_JITTER, this.random));
        return;
      default: {
        const never: never = kind;
        throw new Error(`unknown work ${String(never)}`);
      }
    }
  }

  /** registerWithAPIServer: create the Node, or adopt the one that exists (keeping its pod CIDR). */
  private async register(node: SimulatedNode): Promise<void> {
    const nodes = this.client.typed('v1/Node');
    let stored: coreV1.Node;
    try {
      stored = await nodes.create(buildNode(node.spec, this.clock.now()));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      stored = await nodes.get(node.spec.name);
      // A Node adopted with the heartbeat annotation set stays silent from the start.
      this.observeHeartbeatAnnotation(stored);
      if (node.heartbeating) await this.postStatus(node, stored);
    }
    node.uid = stored.metadata?.uid;
    const podCIDR = stored.spec?.podCIDR !== undefined && stored.spec.podCIDR !== '' ? stored.spec.podCIDR : node.spec.podCIDR;
    const hostIP = stored.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? node.spec.internalIP;
    this.podRunner.addNode({ name: node.spec.name, podCIDR, hostIP });
    node.registered = true;
    if (node.heartbeating) await this.renewLease(node);
  }

  /** One lease-controller sync: renew the latest Lease, or read or create it when that fails. */
  private async renewLease(node: SimulatedNode): Promise<void> {
    const name = node.spec.name;
    const leases = this.client.typed('coordination.k8s.io/v1/Lease').namespace(NODE_LEASE_NAMESPACE);
    const now = this.clock.now();
    if (node.lease !== undefined) {
      try {
        node.lease = await leases.update(renewedNodeLease(node.lease, name, node.uid, now, this.leaseDurationSeconds));
        return;
      } catch (error) {
        if (!isConflict(error) && !isNotFound(error)) throw error;
        node.lease = undefined;
      }
    }
    try {
      node.lease = await leases.create(buildNodeLease(name, node.uid, now, this.leaseDurationSeconds));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const current = await leases.get(name);
      node.lease = await leases.update(renewedNodeLease(current, name, node.uid, now, this.leaseDurationSeconds));
    }
  }

  /** Posts the node's status: conditions with fresh heartbeats, capacity, addresses, node info. */
  private async postStatus(node: SimulatedNode, stored?: coreV1.Node): Promise<void> {
    const current = stored ?? this.nodeInformer.indexer.getByKey(node.spec.name);
    const status = nodeStatus(node.spec, this.clock.now(), true);
    const conditions = refreshedConditions(status.conditions ?? [], current?.status?.conditions);
    await this.client.typed('v1/Node').patch(node.spec.name, { status: { ...status, conditions } }, 'merge', { subresource: 'status', fieldManager: 'kubelet' });
  }

  private mustGet(nodeName: string): SimulatedNode {
    const node = this.nodes.get(nodeName);
    if (node === undefined) throw new RangeError(`${nodeName} is not a node of this simulator`);
    return node;
  }
}

function item(kind: WorkKind, name: string): string {
  return `${kind}/${name}`;
}

function parseItem(value: string): [WorkKind, string] {
  const slash = value.indexOf('/');
  return [value.slice(0, slash) as WorkKind, value.slice(slash + 1)];
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`NodeSimulator: ${name} must be a positive number, not ${value}`);
  return value;
}
