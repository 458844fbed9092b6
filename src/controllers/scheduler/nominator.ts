/**
 * @module
 * The pod nominator (pkg/scheduler/backend/queue/nominator.go): which pending pods are nominated to
 * which node — status.nominatedNodeName, set when preemption made room for them there. While a pod
 * waits for its victims to go, filtering other pods counts it on its nominated node if it has at
 * least their priority, so the room it was given is not taken by a less important pod first
 * (schedule-pod.ts, filter.ts).
 *
 * Fed from the informer (pending pods of this scheduler carrying status.nominatedNodeName) and from
 * the scheduler's own nominations, which it records at once rather than waiting for its status
 * patch to come back. Invariant: a pod key is in `nodeOf` iff it is in the `byNode` entry of exactly
 * that node. Every operation is O(1) apart from listing a node's nominated pods.
 */
import { type PodInfo, newPodInfo, podKey } from './node-info.js';
import type { Pod } from './resources.js';

export class PodNominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  /** Pods nominated anywhere. */
  get size(): number {
    return this.nodeOf.size;
  }

  /**
   * Nominates the pod to `nodeName`, or to its status.nominatedNodeName when `nodeName` is undefined;
   * an empty name drops any nomination (AddNominatedPod with ModeOverride).
   */
  addNominatedPod(pod: Pod, nodeName?: string): void {
    const key = podKey(pod);
    this.deleteKey(key);
    const node = nodeName ?? pod.status?.nominatedNodeName ?? '';
    if (node === '') return;
    let pods = this.byNode.get(node);
    if (pods === undefined) {
      pods = new Map();
      this.byNode.set(node, pods);
    }
    pods.set(key, newPodInfo(pod));
    this.nodeOf.set(key, node);
  }

  /**
   * A pending pod changed (UpdateNominatedPod). An update that carries no nomination while the old
   * object had none either is one written before the scheduler's own nomination reached the API
   * server: the nomination made in memory stays.
   */
  updateNominatedPod(oldPod: Pod, pod: Pod): void {
    const key = podKey(pod);
    let node = pod.status?.nominatedNodeName ?? '';
    if (node === '' && (oldPod.status?.nominatedNodeName ?? '') === '') node = this.nodeOf.get(key) ?? '';
    this.addNominatedPod(pod, node);
  }

  deleteNominatedPodIfExists(pod: Pod): void {
    // Called for every pod scheduled: with nothing nominated, not even its key is made.
    if (this.nodeOf.size > 0) this.deleteKey(podKey(pod));
  }

  nominatedNodeName(pod: Pod): string | undefined {
    return this.nodeOf.size === 0 ? undefined : this.nodeOf.get(podKey(pod));
  }

  /** The pods nominated to the node (NominatedPodsForNode). */
  nominatedPodsForNode(nodeName: string): Iterable<PodInfo> {
    return this.byNode.get(nodeName)?.values() ?? [];
  }

  private deleteKey(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const pods = this.byNode.get(node);
    pods?.delete(key);
    if (pods?.size === 0) this.byNode.delete(node);
  }
}
