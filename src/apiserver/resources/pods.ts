/**
 * @module
 * core/v1 Pods. A new pod is defaulted (pod-defaults.ts), given the admission defaults every real
 * cluster adds — the not-ready and unreachable NoExecute tolerations of 300 s
 * (plugin/pkg/admission/defaulttolerationseconds) and the priority and preemption policy of its
 * PriorityClass (pod-priority.ts, plugin/pkg/admission/priority) — and starts Pending with its QoS
 * class. Updates may change little (pod-validation.ts); the kubelet writes status through
 * /status, the scheduler binds through /binding, and /eviction deletes a pod when its disruption
 * budget allows (pod-subresources.ts); /log tells what a simulated container did, and /exec, /attach
 * and /portforward say why they cannot be (pod-log.ts). Deletion is graceful once a pod is on a node.
 *
 * Follows pkg/registry/core/pod/strategy.go (PrepareForCreate, PrepareForUpdate, the status
 * strategy, WarningsOnCreate, ToSelectableFields, CheckGracefulDelete).
 */
import type { JsonObject } from '../../api/json.js';
import { isDNS1123Label } from '../../api/validation/names.js';
import { formatTime } from '../../api/time.js';
import type { Strategy } from '../registry/resource-definition.js';
import { defineResource } from './define.js';
import { DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, defaultPod } from './pod-defaults.js';
import { ensureObject, metaOf, numberAt, objectsAt, present, specOf, statusOf, stringAt } from './pod-json.js';
import { POD_PRINTER } from './pod-printer.js';
import { admitPodPriorityHook } from './pod-priority.js';
import { computePodQOS } from './pod-qos.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './pod-validation.js';

/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;
const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

export const POD_STRATEGY: Strategy = {
  defaults: (pod, context) => {
    // A status or binding write keeps the stored spec and metadata, defaulted when they were
    // written; pod defaults touch nothing else.
    if (context?.subresource === 'status' || context?.subresource === 'binding') return;
    defaultPod(pod);
    const spec = ensureObject(pod, 'spec');
    addDefaultTolerations(spec);
  },
  prepareForCreate: (pod, context) => {
    pod.status = { phase: 'Pending', qosClass: computePodQOS(pod) };
    // A gated pod says why it is not being scheduled.
    if (objectsAt(specOf(pod), 'schedulingGates').length > 0) {
      setPodCondition(
        ensureObject(pod, 'status'),
        { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
        context.now,
      );
    }
  },
  prepareForUpdate: (pod, old, context) => {
    switch (context.subresource) {
      case 'status': {
        // The QoS class is fixed at creation; old kubelets dropped it from their writes.
        const status = ensureObject(pod, 'status');
        if (stringAt(status, 'qosClass') === '' && stringAt(statusOf(old), 'qosClass') !== '') status.qosClass = stringAt(statusOf(old), 'qosClass');
        break;
      }
      case 'binding':
        // assignPod: binding a pod records that it is scheduled.
        if (stringAt(specOf(old), 'nodeName') === '' && stringAt(specOf(pod), 'nodeName') !== '') {
          setPodCondition(ensureObject(pod, 'status'), { type: 'PodScheduled', status: 'True' }, context.now);
        }
        break;
      default:
        break;
    }
  },
  validate: (pod) => validatePod(pod),
  validateUpdate: (pod, old, context) => {
    switch (context.subresource) {
      case 'status':
        return validatePodStatusUpdate(pod, old);
      case 'binding':
        // Upstream's binding writes storage directly, around the pod strategy; the handler checks it.
        return [];
      default:
        return validatePodUpdate(pod, old);
    }
  },
  warnings: (pod, old) => {
    if (old !== undefined) return [];
    const messages = isDNS1123Label(stringAt(metaOf(pod), 'name'));
    if (messages.length === 0) return [];
    return [`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${messages.join(' ')}]`];
  },
  selectableFields: podSelectableFields,
  gracePeriodSeconds: podGracePeriodSeconds,
  admit: admitPodPriorityHook,
};

export const PODS = defineResource({
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: 'pods',
  namespaced: true,
  schema: 'io.k8s.api.core.v1.Pod',
  shortNames: ['po'],
  categories: ['all'],
  statusSubresource: true,
  tracksGeneration: false,
  extraSubresources: ['binding', 'eviction', 'log', 'exec', 'attach', 'portforward'],
  strategy: POD_STRATEGY,
  table: POD_PRINTER,
});

/**
 * ToSelectableFields: every field a pod can be selected by, for any pod (an empty object lists
 * them all, with empty values), as `kubectl get pods --field-selector` uses them.
 */
export function podSelectableFields(pod: JsonObject): Record<string, string> {
  const meta = metaOf(pod);
  const spec = specOf(pod);
  const status = statusOf(pod);
  const firstIP = stringAt(objectsAt(status, 'podIPs')[0] ?? {}, 'ip');
  return {
    'metadata.name': stringAt(meta, 'name'),
    'metadata.namespace': stringAt(meta, 'namespace'),
    'spec.nodeName': stringAt(spec, 'nodeName'),
    'spec.restartPolicy': stringAt(spec, 'restartPolicy'),
    'spec.schedulerName': stringAt(spec, 'schedulerName'),
    'spec.serviceAccountName': stringAt(spec, 'serviceAccountName'),
    'spec.hostNetwork': spec.hostNetwork === true ? 'true' : 'false',
    'status.phase': stringAt(status, 'phase'),
    // A v1 pod with only status.podIP converts to podIPs [podIP].
    'status.podIP': firstIP !== '' ? firstIP : stringAt(status, 'podIP'),
    'status.nominatedNodeName': stringAt(status, 'nominatedNodeName'),
  };
}

/**
 * CheckGracefulDelete: a pod no node runs (unscheduled, or already finished) goes at once;
 * otherwise after the requested grace period or the pod's own. A negative period becomes 1.
 */
export function podGracePeriodSeconds(pod: JsonObject, requested: number | undefined): number {
  const spec = specOf(pod);
  // Stored pods always have terminationGracePeriodSeconds (defaulted), so the fallback is a formality.
  let period = requested ?? numberAt(spec, 'terminationGracePeriodSeconds') ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  const phase = stringAt(statusOf(pod), 'phase');
  if (stringAt(spec, 'nodeName') === '' || phase === 'Succeeded' || phase === 'Failed') period = 0;
  return period < 0 ? 1 : period;
}

/** DefaultTolerationSeconds admission: tolerate a not-ready or unreachable node for 5 minutes. */
function addDefaultTolerations(spec: JsonObject): void {
  const tolerations = objectsAt(spec, 'tolerations');
  const tolerates = (taint: string): boolean =>
    tolerations.some((t) => {
      const key = stringAt(t, 'key');
      const effect = stringAt(t, 'effect');
      return (key === taint || key === '') && (effect === 'NoExecute' || effect === '');
    });
  const added = [NOT_READY_TAINT, UNREACHABLE_TAINT]
    .filter((taint) => !tolerates(taint))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS }));
  if (added.length === 0) return;
  const existing = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  spec.tolerations = [...existing, ...added];
}

/** A pod condition to set: type and status, with the optional reason and message. */
export interface PodConditionUpdate {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
}

/**
 * podutil.UpdatePodCondition: replaces (or adds) the condition of that type; its transition time
 * moves only when its status changes.
 */
export function setPodCondition(status: JsonObject, update: PodConditionUpdate, now: number): void {
  const conditions = objectsAt(status, 'conditions');
  const index = conditions.findIndex((c) => stringAt(c, 'type') === update.type);
  const previous = conditions[index];
  const transition = previous !== undefined && stringAt(previous, 'status') === update.status ? previous.lastTransitionTime ?? null : formatTime(now);
  const condition: JsonObject = {
    type: update.type,
    status: update.status,
    lastProbeTime: null,
    lastTransitionTime: transition,
    ...(update.reason === undefined ? {} : { reason: update.reason }),
    ...(update.message === undefined ? {} : { message: update.message }),
  };
  if (index === -1) conditions.push(condition);
  else conditions[index] = condition;
  status.conditions = conditions;
}
