/**
 * @module
 * PodControl: how controllers write pods (upstream pkg/controller/controller_utils.go
 * PodControlInterface, RealPodControl, GetPodFromTemplate). Controllers take this narrow interface so
 * unit tests can record what a sync did; {@link RealPodControl} writes through a KubeClient and
 * records the upstream events (SuccessfulCreate, FailedCreate, SuccessfulDelete, FailedDelete).
 */
import { type JsonObject, cloneJson } from '../../api/json.js';
import type { coreV1 } from '../../api/types/index.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/record/event-recorder.js';
import { errorMessage } from '../../util/logger.js';

type Pod = coreV1.Pod;
type PodTemplateSpec = DeepReadonly<coreV1.PodTemplateSpec>;

/** The pod writes a controller makes. */
export interface PodControl {
  /**
   * Creates one pod from `template` in `namespace`, named `<owner name>-<random>` and controlled by
   * `controllerRef`. Rejects when the API refuses it.
   */
  createPods(namespace: string, template: PodTemplateSpec, owner: DeepReadonly<KubeObject>, controllerRef: OwnerReference): Promise<void>;
  /** Deletes the pod `name`; rejects with the API's error (NotFound included). */
  deletePod(namespace: string, name: string, owner: DeepReadonly<KubeObject>): Promise<void>;
  /** Applies a strategic merge patch to the pod `name`. */
  patchPod(namespace: string, name: string, patch: object): Promise<void>;
}

/** The generateName of a controller's pods: `<controller name>-` (getPodsPrefix). */
export function podsPrefix(controllerName: string): string {
  return `${controllerName}-`;
}

/**
 * The pod a template describes (GetPodFromTemplate): the template's labels, annotations, finalizers
 * and spec, a generateName from the owner's name and, when given, the controller reference.
 */
export function getPodFromTemplate(template: PodTemplateSpec, owner: DeepReadonly<KubeObject>, controllerRef: OwnerReference | undefined): Pod {
  const meta = template.metadata;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podsPrefix(owner.metadata?.name ?? ''),
      ...(meta?.labels === undefined ? {} : { labels: { ...meta.labels } }),
      ...(meta?.annotations === undefined ? {} : { annotations: { ...meta.annotations } }),
      ...(meta?.finalizers === undefined ? {} : { finalizers: [...meta.finalizers] }),
      ...(controllerRef === undefined ? {} : { ownerReferences: [{ ...controllerRef }] }),
    },
    // A template from a cache is plain JSON: copied as such, four times faster than structuredClone,
    // once for every pod a controller creates.
    spec: cloneJson((template.spec ?? { containers: [] }) as unknown as JsonObject) as unknown as coreV1.PodSpec,
  };
  return pod;
}

/** Writes pods through the API, as upstream's RealPodControl. */
export class RealPodControl implements PodControl {
  constructor(
    private readonly client: KubeClient,
    private readonly recorder?: EventRecorder,
  ) {}

  async createPods(namespace: string, template: PodTemplateSpec, owner: DeepReadonly<KubeObject>, controllerRef: OwnerReference): Promise<void> {
    if (controllerRef.controller !== true) throw new Error('controllerRef.controller must be true');
    const pod = getPodFromTemplate(template, owner, controllerRef);
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.client.typed('v1/Pod').namespace(namespace).create(pod);
      this.recorder?.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
    } catch (error) {
      this.recorder?.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(error)}`);
      throw error;
    }
  }

  async deletePod(namespace: string, name: string, owner: DeepReadonly<KubeObject>): Promise<void> {
    try {
      await this.client.typed('v1/Pod').namespace(namespace).delete(name);
      this.recorder?.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    } catch (error) {
      // A pod already gone is what the caller wanted; upstream records no event for it.
      if (!isNotFound(error)) this.recorder?.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(error)}`);
      throw error;
    }
  }

  async patchPod(namespace: string, name: string, patch: object): Promise<void> {
    await this.client.typed('v1/Pod').namespace(namespace).patch(name, patch, 'strategic');
  }
}
