/**
 * @module
 * The scheduler cache (pkg/scheduler/backend/cache/cache.go): a NodeInfo per node, kept up to date
 * incrementally from the informers' node and bound-pod events and from the scheduler's own
 * decisions, so that scheduling one pod never re-reads every pod.
 *
 * A pod's lifecycle here: `assumePod` when the scheduler picks its node (its resources count at once,
 * so the next pod sees them without waiting for the binding's round trip); `finishBinding` when the
 * binding request is sent (from then the assumption expires after `ttlMs` unless confirmed);
 * `addPod` when the informer shows the pod bound (confirms it, possibly on another node); `forgetPod`
 * when binding fails. Invariant: a pod key is in `podStates` iff it is in the `pods` of exactly the
 * NodeInfo named by its state's nodeName (a NodeInfo without a Node object can hold pods whose node
 * has not been seen yet, or is gone).
 *
 * Nodes are also kept in an array (`nodeNames`) so the scheduler can walk them round-robin from any
 * offset, as upstream's nodeTree; removal swaps with the last, O(1).
 */
import type { Clock } from '../../util/clock.js';
import { NodeInfo, type PodInfo, newPodInfo, podKey } from './node-info.js';
import type { Node, Pod } from './resources.js';

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
  /** When an assumed pod whose binding was sent stops counting, ms since the epoch. */
  deadline: number | undefined;
}

export interface SchedulerCacheOptions {
  readonly clock: Clock;
  /** How long an assumed pod whose binding finished counts before the informer confirms it. @defaultValue 30000 */
  readonly ttlMs?: number;
}

export class SchedulerCache {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly nodeInfos = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  /** Keys of the assumed pods in `podStates`, so expiry does not walk every pod. */
  private readonly assumed = new Set<string>();
  /** Names of the NodeInfos holding pods with required anti-affinity (what InterPodAffinity's prefilter visits). */
  private readonly withAntiAffinity = new Set<string>();
  /** Names of the nodes that have a Node object, for round-robin walks; `nodeIndex` is each one's position. */
  private readonly names: string[] = [];
  /** The NodeInfo of each of `names`, at the same position: a walk over the nodes needs no lookups. */
  private readonly infos: NodeInfo[] = [];
  private readonly nodeIndex = new Map<string, number>();

  constructor(options: SchedulerCacheOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  /** Node names with a Node object, in a stable order for round-robin walks. */
  get nodeNames(): readonly string[] {
    return this.names;
  }

  get nodeCount(): number {
    return this.names.length;
  }

  nodeInfo(name: string): NodeInfo | undefined {
    const info = this.nodeInfos.get(name);
    return info?.node === undefined ? undefined : info;
  }

  /** The NodeInfo of `nodeNames[index]`. */
  nodeInfoAt(index: number): NodeInfo | undefined {
    return this.infos[index];
  }

  /** NodeInfos with a Node object holding pods with required anti-affinity. */
  *nodesWithRequiredAntiAffinity(): IterableIterator<NodeInfo> {
    for (const name of this.withAntiAffinity) {
      const info = this.nodeInfo(name);
      if (info !== undefined) yield info;
    }
  }

  /** Every NodeInfo with a Node object. */
  *nodeInfoList(): IterableIterator<NodeInfo> {
    for (const name of this.names) {
      const info = this.nodeInfos.get(name);
      if (info !== undefined) yield info;
    }
  }

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    let info = this.nodeInfos.get(name);
    if (info === undefined) {
      info = new NodeInfo();
      this.nodeInfos.set(name, info);
    }
    info.setNode(node);
    if (!this.nodeIndex.has(name)) {
      this.nodeIndex.set(name, this.names.length);
      this.names.push(name);
      this.infos.push(info);
    }
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(name: string): void {
    const info = this.nodeInfos.get(name);
    if (info === undefined) return;
    // Pods still bound to a deleted node keep their NodeInfo until they go (upstream does the same).
    if (info.pods.size === 0) this.nodeInfos.delete(name);
    else info.node = undefined;
    const index = this.nodeIndex.get(name);
    if (index === undefined) return;
    const last = this.names.pop();
    const lastInfo = this.infos.pop();
    if (last !== undefined && lastInfo !== undefined && last !== name) {
      this.names[index] = last;
      this.infos[index] = lastInfo;
      this.nodeIndex.set(last, index);
    }
    this.nodeIndex.delete(name);
  }

  /** The pod, with spec.nodeName set to its chosen node, counts on that node from now. */
  assumePod(pod: Pod): void {
    const key = podKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key} is in the cache, so can't be assumed`);
    this.place(key, newPodInfo(pod), true);
  }

  /** The binding has been sent: the assumption now expires unless the informer confirms it. */
  finishBinding(pod: Pod): void {
    const state = this.podStates.get(podKey(pod));
    if (state?.assumed === true) state.deadline = this.clock.now() + this.ttlMs;
  }

  /** The binding failed: the pod no longer counts. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (state?.assumed !== true) return;
    this.unplace(key, state);
  }

  isAssumed(pod: Pod): boolean {
    return this.podStates.get(podKey(pod))?.assumed === true;
  }

  /** The informer shows a bound pod: confirms an assumption, or adds it. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (state !== undefined) this.unplace(key, state);
    this.place(key, newPodInfo(pod), false);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (state !== undefined) this.unplace(key, state);
  }

  /** Drops assumed pods whose binding finished more than ttlMs ago and were never confirmed. */
  cleanupAssumedPods(): number {
    const now = this.clock.now();
    let expired = 0;
    for (const key of this.assumed) {
      const state = this.podStates.get(key);
      if (state?.assumed === true && state.deadline !== undefined && state.deadline <= now) {
        this.unplace(key, state);
        expired++;
      }
    }
    return expired;
  }

  /** Pods counted, assumed included. */
  get podCount(): number {
    return this.podStates.size;
  }

  private place(key: string, info: PodInfo, assumed: boolean): void {
    const nodeName = info.pod.spec?.nodeName ?? '';
    let nodeInfo = this.nodeInfos.get(nodeName);
    if (nodeInfo === undefined) {
      nodeInfo = new NodeInfo();
      this.nodeInfos.set(nodeName, nodeInfo);
    }
    nodeInfo.addPod(info);
    if (nodeInfo.podsWithRequiredAntiAffinity.size > 0) this.withAntiAffinity.add(nodeName);
    this.podStates.set(key, { info, nodeName, assumed, deadline: undefined });
    if (assumed) this.assumed.add(key);
  }

  private unplace(key: string, state: PodState): void {
    const nodeInfo = this.nodeInfos.get(state.nodeName);
    nodeInfo?.removePod(key);
    if (nodeInfo === undefined || nodeInfo.podsWithRequiredAntiAffinity.size === 0) this.withAntiAffinity.delete(state.nodeName);
    if (nodeInfo !== undefined && nodeInfo.node === undefined && nodeInfo.pods.size === 0) this.nodeInfos.delete(state.nodeName);
    this.podStates.delete(key);
    this.assumed.delete(key);
  }
}
