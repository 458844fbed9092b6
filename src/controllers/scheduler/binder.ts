/**
 * @module
 * What the scheduler writes, behind a narrow interface so that unit tests can record it
 * (STYLE.md rule 4): the binding (POST pods/<name>/binding with a v1 Binding naming the node — the
 * DefaultBinder plugin, pkg/scheduler/framework/plugins/defaultbinder) and the PodScheduled=False
 * condition of a pod that could not be scheduled (schedule_one.go updatePod, via a strategic merge
 * patch of the status, keyed by condition type), with status.nominatedNodeName in the same patch
 * when preemption nominated the pod or voided its nomination; and preemption's writes
 * (preemption.go PreemptPod and clearNominatedNodeName): the victim's DisruptionTarget condition,
 * its graceful deletion, and clearing the nomination of less important pods. A victim already gone
 * is not an error.
 */
import type { coreV1 } from '../../api/types/index.js';
import { isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import { REASON_PREEMPTION_BY_SCHEDULER } from './preemption.js';
import type { Pod } from './resources.js';

export interface PodScheduledCondition {
  readonly status: 'False';
  readonly reason: 'Unschedulable' | 'SchedulerError';
  readonly message: string;
}

export interface PodWriter {
  bind(pod: Pod, nodeName: string): Promise<void>;
  /** `nominatedNodeName`: set status.nominatedNodeName too ('' clears it), given only when it differs from the pod's; undefined leaves it. */
  setPodScheduledCondition(pod: Pod, condition: PodScheduledCondition, now: string, nominatedNodeName?: string): Promise<void>;
  /** Clears (nodeName '') or sets status.nominatedNodeName alone. */
  setNominatedNodeName(pod: Pod, nodeName: string): Promise<void>;
  /** Adds the DisruptionTarget=True condition with reason PreemptionByScheduler and `message`. */
  setDisruptionTarget(pod: Pod, message: string, now: string): Promise<void>;
  /** Deletes the pod gracefully (its own grace period), only if it still has its uid. */
  deletePod(pod: Pod): Promise<void>;
}

/** The Binding body upstream's DefaultBinder posts. */
export function bindingFor(pod: Pod, nodeName: string): coreV1.Binding {
  return {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '', ...(pod.metadata?.uid === undefined ? {} : { uid: pod.metadata.uid }) },
    target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
  };
}

export class KubePodWriter implements PodWriter {
  constructor(private readonly client: KubeClient) {}

  async bind(pod: Pod, nodeName: string): Promise<void> {
    await this.pods(pod).createSubresource(pod.metadata?.name ?? '', 'binding', bindingFor(pod, nodeName));
  }

  async setPodScheduledCondition(pod: Pod, condition: PodScheduledCondition, now: string, nominatedNodeName?: string): Promise<void> {
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    // The scheduler passes a nomination only when it changes it (scheduler.ts handleFailure).
    const nominationChanges = nominatedNodeName !== undefined;
    // Nothing to write when the condition already says this (upstream's updatePod skips it too).
    if (!nominationChanges && current?.status === condition.status && current.reason === condition.reason && current.message === condition.message) return;
    const patch = {
      status: {
        conditions: [{ type: 'PodScheduled', status: condition.status, reason: condition.reason, message: condition.message, lastProbeTime: null, lastTransitionTime: current?.status === condition.status ? current.lastTransitionTime : now }],
        ...(nominationChanges ? { nominatedNodeName: nominatedNodeName === '' ? null : nominatedNodeName } : {}),
      },
    };
    await this.pods(pod).patch(pod.metadata?.name ?? '', patch, 'strategic', { subresource: 'status' });
  }

  async setNominatedNodeName(pod: Pod, nodeName: string): Promise<void> {
    if ((pod.status?.nominatedNodeName ?? '') === nodeName) return;
    await this.pods(pod).patch(pod.metadata?.name ?? '', { status: { nominatedNodeName: nodeName === '' ? null : nodeName } }, 'strategic', { subresource: 'status' });
  }

  async setDisruptionTarget(pod: Pod, message: string, now: string): Promise<void> {
    const current = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    if (current?.status === 'True' && current.reason === REASON_PREEMPTION_BY_SCHEDULER && current.message === message) return;
    const condition = { type: 'DisruptionTarget', status: 'True', reason: REASON_PREEMPTION_BY_SCHEDULER, message, lastTransitionTime: current?.status === 'True' ? current.lastTransitionTime : now };
    try {
      await this.pods(pod).patch(pod.metadata?.name ?? '', { status: { conditions: [condition] } }, 'strategic', { subresource: 'status' });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async deletePod(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid;
    try {
      await this.pods(pod).delete(pod.metadata?.name ?? '', uid === undefined ? {} : { preconditions: { uid } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private pods(pod: Pod) {
    return this.client.typed('v1/Pod').namespace(pod.metadata?.namespace ?? '');
  }
}
