/**
 * @module
 * What the scheduler writes, behind a narrow interface so that unit tests can record it
 * (STYLE.md rule 4): the binding (POST pods/<name>/binding with a v1 Binding naming the node — the
 * DefaultBinder plugin, pkg/scheduler/framework/plugins/defaultbinder) and the PodScheduled=False
 * condition of a pod that could not be scheduled (schedule_one.go updatePod, via a strategic merge
 * patch of the status, keyed by condition type).
 */
import type { coreV1 } from '../../api/types/index.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { Pod } from './resources.js';

export interface PodScheduledCondition {
  readonly status: 'False';
  readonly reason: 'Unschedulable' | 'SchedulerError';
  readonly message: string;
}

export interface PodWriter {
  bind(pod: Pod, nodeName: string): Promise<void>;
  setPodScheduledCondition(pod: Pod, condition: PodScheduledCondition, now: string): Promise<void>;
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
    const namespace = pod.metadata?.namespace ?? '';
    await this.client.typed('v1/Pod').namespace(namespace).createSubresource(pod.metadata?.name ?? '', 'binding', bindingFor(pod, nodeName));
  }

  async setPodScheduledCondition(pod: Pod, condition: PodScheduledCondition, now: string): Promise<void> {
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    // Nothing to write when the condition already says this (upstream's updatePod skips it too).
    if (current?.status === condition.status && current.reason === condition.reason && current.message === condition.message) return;
    const patch = {
      status: {
        conditions: [{ type: 'PodScheduled', status: condition.status, reason: condition.reason, message: condition.message, lastProbeTime: null, lastTransitionTime: current?.status === condition.status ? current.lastTransitionTime : now }],
      },
    };
    await this.client.typed('v1/Pod').namespace(pod.metadata?.namespace ?? '').patch(pod.metadata?.name ?? '', patch, 'strategic', { subresource: 'status' });
  }
}
