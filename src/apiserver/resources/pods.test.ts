import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type JsonObject, cloneJson } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { computePodQOS } from './pod-qos.js';
import { PODS, POD_STRATEGY, podGracePeriodSeconds, podSelectableFields } from './pods.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const create: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const at = (subresource: string): RequestContext => ({ subresource, dryRun: false, now: NOW });

function created(spec: JsonObject = {}): JsonObject {
  const pod: JsonObject = { metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx' }], ...spec } };
  POD_STRATEGY.defaults?.(pod);
  POD_STRATEGY.prepareForCreate?.(pod, create);
  return pod;
}

const withResources = (...resources: JsonObject[]): JsonObject => ({
  spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })) },
});

test('pods are served as core/v1 pods with the po short name, status, binding, eviction, log, exec, attach and portforward', () => {
  assert.equal(PODS.kind, 'Pod');
  assert.equal(PODS.resource, 'pods');
  assert.deepEqual(PODS.shortNames, ['po']);
  assert.deepEqual(PODS.categories, ['all']);
  assert.equal(PODS.statusSubresource, true);
  assert.equal(PODS.tracksGeneration, false);
  assert.deepEqual(PODS.extraSubresources, ['binding', 'eviction', 'log', 'exec', 'attach', 'portforward']);
});

test('a new pod gets the default tolerations, and starts Pending with its QoS class', () => {
  const pod = created();
  const spec = pod.spec as JsonObject;
  assert.deepEqual(spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  assert.equal(spec.enableServiceLinks, true);
  assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
  assert.deepEqual(POD_STRATEGY.validate?.(pod, create), []);
});

test('a pod that already tolerates a taint keeps its own toleration for it', () => {
  const pod = created({ tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 }] });
  assert.deepEqual((pod.spec as JsonObject).tolerations, [
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 6000 },
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  const everything = created({ tolerations: [{ operator: 'Exists' }] });
  assert.deepEqual((everything.spec as JsonObject).tolerations, [{ operator: 'Exists' }]);
});

test('pods resolve their priority in admission, not in defaults (pod-priority.ts)', () => {
  assert.equal(typeof POD_STRATEGY.admit, 'function');
  assert.equal((created({ priorityClassName: 'system-node-critical' }).spec as JsonObject).priority, undefined);
});

test('a gated pod is created with the SchedulingGated condition', () => {
  const pod = created({ schedulingGates: [{ name: 'example.com/quota' }] });
  assert.deepEqual((pod.status as JsonObject).conditions, [
    {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: '2025-01-01T12:00:00Z',
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    },
  ]);
});

test('the QoS class is BestEffort, Burstable or Guaranteed as requests and limits say', () => {
  assert.equal(computePodQOS(withResources({})), 'BestEffort');
  assert.equal(computePodQOS(withResources({ requests: { cpu: '100m' } })), 'Burstable');
  assert.equal(computePodQOS(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } })), 'Guaranteed');
  assert.equal(computePodQOS(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })), 'Guaranteed');
  assert.equal(computePodQOS(withResources({ limits: { cpu: '1', memory: '1Gi' } }, {})), 'Burstable');
  assert.equal(computePodQOS(withResources({ requests: { 'example.com/gpu': '1' } })), 'BestEffort');
  // A pod's limits become its requests when defaulted, so limits alone make it Guaranteed.
  assert.equal((created({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }).status as JsonObject).qosClass, 'Guaranteed');
});

test('a pod not on a node, or finished, is deleted at once; otherwise after its grace period', () => {
  assert.equal(podGracePeriodSeconds(created(), undefined), 0);
  const scheduled = created({ nodeName: 'node-1' });
  assert.equal(podGracePeriodSeconds(scheduled, undefined), 30);
  assert.equal(podGracePeriodSeconds(scheduled, 5), 5);
  assert.equal(podGracePeriodSeconds(scheduled, 0), 0);
  assert.equal(podGracePeriodSeconds(created({ nodeName: 'node-1', terminationGracePeriodSeconds: 120 }), undefined), 120);
  assert.equal(podGracePeriodSeconds(created({ nodeName: 'node-1', terminationGracePeriodSeconds: -3 }), undefined), 1);
  for (const phase of ['Succeeded', 'Failed']) {
    const done = cloneJson(scheduled);
    done.status = { phase };
    assert.equal(podGracePeriodSeconds(done, 30), 0);
  }
  assert.equal(podGracePeriodSeconds({ spec: { nodeName: 'node-1' } }, undefined), 30);
});

test('selectable fields are listed for any object, and read from the pod', () => {
  assert.deepEqual(Object.keys(podSelectableFields({})).sort(), [
    'metadata.name',
    'metadata.namespace',
    'spec.hostNetwork',
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.nominatedNodeName',
    'status.phase',
    'status.podIP',
  ]);
  assert.equal(podSelectableFields({}).hostNetwork, undefined);
  assert.equal(podSelectableFields({})['spec.hostNetwork'], 'false');
  const pod = created({ nodeName: 'node-1', hostNetwork: true, serviceAccountName: 'builder' });
  pod.status = { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.2' }], nominatedNodeName: 'node-2' };
  assert.deepEqual(podSelectableFields(pod), {
    'metadata.name': 'web',
    'metadata.namespace': 'default',
    'spec.nodeName': 'node-1',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'builder',
    'spec.hostNetwork': 'true',
    'status.phase': 'Running',
    'status.podIP': '10.0.0.2',
    'status.nominatedNodeName': 'node-2',
  });
  assert.equal(PODS.strategy.selectableFields, podSelectableFields);
});

test('a pod name that is not a DNS label gets upstream hostname warning', () => {
  const pod = created();
  (pod.metadata as JsonObject).name = 'web.v1';
  assert.deepEqual(POD_STRATEGY.warnings?.(pod, undefined), [
    "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
  ]);
  assert.deepEqual(POD_STRATEGY.warnings?.(pod, pod), []);
});

test('a binding write records PodScheduled and skips the pod update rules', () => {
  const old = created();
  const bound = cloneJson(old);
  (bound.spec as JsonObject).nodeName = 'node-1';
  POD_STRATEGY.prepareForUpdate?.(bound, old, at('binding'));
  assert.deepEqual((bound.status as JsonObject).conditions, [
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-01T12:00:00Z' },
  ]);
  assert.deepEqual(POD_STRATEGY.validateUpdate?.(bound, old, at('binding')), []);
  // Through the main resource the same change is refused.
  assert.equal(POD_STRATEGY.validateUpdate?.(bound, old, create)[0]?.field, 'spec');
});

test('binding replaces an earlier PodScheduled condition, clearing its reason', () => {
  const old = created({ schedulingGates: [] });
  (old.status as JsonObject).conditions = [
    { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available', lastProbeTime: null, lastTransitionTime: '2024-12-31T00:00:00Z' },
  ];
  const bound = cloneJson(old);
  (bound.spec as JsonObject).nodeName = 'node-1';
  POD_STRATEGY.prepareForUpdate?.(bound, old, at('binding'));
  assert.deepEqual((bound.status as JsonObject).conditions, [
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-01-01T12:00:00Z' },
  ]);
});

test('a status write keeps the QoS class and is validated as a status update', () => {
  const old = created();
  const next = cloneJson(old);
  next.status = { phase: 'Running' };
  POD_STRATEGY.prepareForUpdate?.(next, old, at('status'));
  assert.deepEqual(next.status, { phase: 'Running', qosClass: 'BestEffort' });
  assert.deepEqual(POD_STRATEGY.validateUpdate?.(next, old, at('status')), []);
  next.status = { phase: 'Running', qosClass: 'Guaranteed' };
  assert.deepEqual(
    POD_STRATEGY.validateUpdate?.(next, old, at('status'))?.map((e) => e.field),
    ['status.qosClass'],
  );
});
