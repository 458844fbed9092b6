/**
 * @module
 * How the StatefulSet controller writes pods (upstream pkg/controller/statefulset/stateful_pod_control.go
 * StatefulPodControl): it creates pods under their stable names — unlike {@link PodControl}, which
 * generates names — and deletes them, recording upstream's events. The narrow interface lets unit
 * tests record what a sync did.
 */
import type { appsV1, coreV1 } from '../../api/types/index.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly } from '../../client/object.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { errorMessage } from '../../util/logger.js';
import type { PodControl } from '../controller-utils/pod-control.js';

type StatefulSet = appsV1.StatefulSet;
type Pod = coreV1.Pod;

export interface StatefulPodControl extends Pick<PodControl, 'patchPod'> {
  /** Creates `pod` (already named, labelled and owned). Rejects with the API's error. */
  createStatefulPod(set: DeepReadonly<StatefulSet>, pod: Pod): Promise<void>;
  /** Deletes `pod`; rejects with the API's error (NotFound included). */
  deleteStatefulPod(set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod>): Promise<void>;
}

export class RealStatefulPodControl implements StatefulPodControl {
  constructor(
    private readonly client: KubeClient,
    private readonly recorder?: EventRecorder,
  ) {}

  async createStatefulPod(set: DeepReadonly<StatefulSet>, pod: Pod): Promise<void> {
    const what = `Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''}`;
    try {
      await this.client.typed('v1/Pod').namespace(set.metadata?.namespace ?? '').create(pod);
      this.recorder?.event(set, 'Normal', 'SuccessfulCreate', `create ${what} successful`);
    } catch (error) {
      this.recorder?.event(set, 'Warning', 'FailedCreate', `create ${what} failed error: ${errorMessage(error)}`);
      throw error;
    }
  }

  async deleteStatefulPod(set: DeepReadonly<StatefulSet>, pod: DeepReadonly<Pod>): Promise<void> {
    const what = `Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''}`;
    try {
      await this.client.typed('v1/Pod').namespace(set.metadata?.namespace ?? '').delete(pod.metadata?.name ?? '');
      this.recorder?.event(set, 'Normal', 'SuccessfulDelete', `delete ${what} successful`);
    } catch (error) {
      this.recorder?.event(set, 'Warning', 'FailedDelete', `delete ${what} failed error: ${errorMessage(error)}`);
      throw error;
    }
  }

  async patchPod(namespace: string, name: string, patch: object): Promise<void> {
    await this.client.typed('v1/Pod').namespace(namespace).patch(name, patch, 'strategic');
  }
}
