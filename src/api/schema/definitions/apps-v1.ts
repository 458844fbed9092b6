/**
 * @module
 * Schemas of apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet and ControllerRevision, with
 * their specs, update strategies, statuses and conditions (k8s.io/api apps/v1/types.go).
 *
 * Required-ness follows upstream's OpenAPI generator: a field is required when it is marked
 * `+required`, optional when marked `+optional`, and otherwise required exactly when its JSON tag
 * lacks `omitempty`. That is why `spec` is required on the four workload kinds (marked `+required`)
 * while condition `type` and `status` are not (marked `+optional`). Defaults mirror the zero values
 * upstream's OpenAPI publishes: `{}` for non-pointer structs and list items, the zero value for
 * non-pointer scalars that are always serialized.
 */
import { type Definition, type ObjectSchema, type Schema, s, typeMeta } from '../schema.js';

const APPS = 'io.k8s.api.apps.v1';
const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const POD_TEMPLATE_SPEC = `${CORE}.PodTemplateSpec`;
const LABEL_SELECTOR = `${META}.LabelSelector`;

/**
 * The condition shape the apps controllers share (DeploymentCondition adds lastUpdateTime).
 * `owner` names the kind in prose; `knownTypes` lists the condition types its controller sets.
 * The protobuf numbers agree except lastTransitionTime's: 7 in DeploymentCondition (whose
 * lastUpdateTime took 6), 3 elsewhere.
 */
function workloadCondition(
  owner: string,
  knownTypes: string,
  extra: Readonly<Record<string, Schema>>,
  lastTransitionTimeProto: number,
): ObjectSchema {
  return s.object(`One observation of an aspect of the ${owner}'s state at a point in time.`, {
    type: s.string(`The kind of condition. ${knownTypes}`, { default: '', proto: 1 }),
    status: s.string('Whether the condition holds: True, False or Unknown.', { default: '', proto: 2 }),
    ...extra,
    lastTransitionTime: s.time('When the condition last changed from one status to another.', { proto: lastTransitionTimeProto }),
    reason: s.string('A short machine-readable reason, in CamelCase, for the last transition.', { proto: 4, omitEmpty: true }),
    message: s.string('A human-readable explanation of the last transition.', { proto: 5, omitEmpty: true }),
  });
}

export const APPS_V1: readonly Definition[] = [
  // Deployment
  {
    name: `${APPS}.Deployment`,
    schema: s.object(
      'Declarative updates for a set of identical Pods: the Deployment manages ReplicaSets, rolling from the old template to the new one at a controlled rate.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${APPS}.DeploymentSpec`, 'The desired state of the Deployment: how many Pods, from which template, and how to roll out changes.', {
          default: {},
          proto: 2,
        }),
        status: s.ref(`${APPS}.DeploymentStatus`, 'The most recently observed state of the Deployment, written by the deployment controller. Read-only.', {
          default: {},
          proto: 3,
        }),
      },
      { required: ['spec'] },
    ),
    gvk: [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
  },
  {
    name: `${APPS}.DeploymentSpec`,
    schema: s.object(
      'The desired behavior of a Deployment.',
      {
        replicas: s.int32('How many Pods the Deployment should run. Leaving it unset (as opposed to 0) gets the default of 1.', { proto: 1 }),
        selector: s.ref(
          LABEL_SELECTOR,
          "Selects the Pods (and through them the ReplicaSets) this Deployment manages. Must match the template's labels, and cannot be changed after creation.",
          { proto: 2 },
        ),
        template: s.ref(
          POD_TEMPLATE_SPEC,
          'The Pod template new Pods are created from. Any change to it starts a new rollout. Its restartPolicy may only be Always.',
          { default: {}, proto: 3 },
        ),
        strategy: s.ref(
          `${APPS}.DeploymentStrategy`,
          'How existing Pods are replaced by new ones when the template changes: RollingUpdate (the default) or Recreate.',
          { default: {}, patchStrategy: 'retainKeys', proto: 4 },
        ),
        minReadySeconds: s.int32(
          'Seconds a new Pod must stay ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
          { proto: 5, omitEmpty: true },
        ),
        revisionHistoryLimit: s.int32(
          'How many old ReplicaSets to keep so the Deployment can be rolled back. Leaving it unset (as opposed to 0) gets the default of 10.',
          { proto: 6 },
        ),
        paused: s.boolean('When true, changes to the template do not start a rollout until the Deployment is resumed.', { proto: 7, omitEmpty: true }),
        progressDeadlineSeconds: s.int32(
          'Seconds a rollout may go without progress before the controller reports it failed (condition Progressing with reason ProgressDeadlineExceeded). It is not counted while paused. Defaults to 600.',
          { proto: 9 },
        ),
      },
      { required: ['selector', 'template'] },
    ),
  },
  {
    name: `${APPS}.DeploymentStrategy`,
    schema: s.object('How a Deployment replaces its existing Pods with new ones.', {
      type: s.enum(
        'The replacement method. RollingUpdate (the default) scales the new ReplicaSet up while scaling old ones down; Recreate deletes all old Pods before creating new ones.',
        ['Recreate', 'RollingUpdate'],
        { proto: 1, omitEmpty: true },
      ),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateDeployment`, 'Parameters of a rolling update. Only allowed when type is RollingUpdate.', { proto: 2 }),
    }),
  },
  {
    name: `${APPS}.RollingUpdateDeployment`,
    schema: s.object('Limits on how far a rolling update may move away from the desired replica count.', {
      maxUnavailable: s.intOrString(
        'How many Pods may be unavailable during the update, as a number (5) or a percentage of the desired replicas (10%, rounded down). Cannot be 0 when maxSurge is 0. Defaults to 25%.',
        { proto: 1 },
      ),
      maxSurge: s.intOrString(
        'How many Pods may be created above the desired replicas during the update, as a number (5) or a percentage of the desired replicas (10%, rounded up). Cannot be 0 when maxUnavailable is 0. Defaults to 25%.',
        { proto: 2 },
      ),
    }),
  },
  {
    name: `${APPS}.DeploymentStatus`,
    schema: s.object('The most recently observed state of a Deployment.', {
      observedGeneration: s.int64('The metadata.generation of the Deployment that the controller last acted on.', { proto: 1, omitEmpty: true }),
      replicas: s.int32('Non-terminating Pods selected by this Deployment, of any template version.', { proto: 2, omitEmpty: true }),
      updatedReplicas: s.int32('Non-terminating Pods selected by this Deployment that run the current template.', { proto: 3, omitEmpty: true }),
      readyReplicas: s.int32('Non-terminating Pods selected by this Deployment whose Ready condition is true.', { proto: 7, omitEmpty: true }),
      availableReplicas: s.int32('Non-terminating Pods selected by this Deployment that have been ready for at least minReadySeconds.', { proto: 4, omitEmpty: true }),
      unavailableReplicas: s.int32(
        'Pods still missing for the Deployment to be fully available: Pods running but not yet available, plus Pods not yet created.',
        { proto: 5, omitEmpty: true },
      ),
      terminatingReplicas: s.int32(
        'Pods selected by this Deployment that are terminating: they have a deletionTimestamp but have not yet reached phase Succeeded or Failed. Beta.',
        { proto: 9 },
      ),
      conditions: s.array(
        "The latest observations of the Deployment's state, one per condition type.",
        s.ref(`${APPS}.DeploymentCondition`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 6 },
      ),
      collisionCount: s.int32(
        'How many times the hash of the template collided with an existing ReplicaSet name; the controller mixes it in to name the newest ReplicaSet uniquely.',
        { proto: 8 },
      ),
    }),
  },
  {
    name: `${APPS}.DeploymentCondition`,
    schema: workloadCondition(
      'Deployment',
      'The controller sets Available, Progressing and ReplicaFailure.',
      { lastUpdateTime: s.time('When the condition was last updated, even if its status did not change.', { proto: 6 }) },
      7,
    ),
  },

  // ReplicaSet
  {
    name: `${APPS}.ReplicaSet`,
    schema: s.object(
      'Keeps a given number of Pods from one template running at any time. Usually created and managed by a Deployment rather than directly.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(
          "Standard object's metadata. When its labels are empty they default to the labels of the Pods the ReplicaSet manages.",
          { proto: 1 },
        ),
        spec: s.ref(`${APPS}.ReplicaSetSpec`, 'The desired state of the ReplicaSet: how many Pods, which ones, and from which template.', {
          default: {},
          proto: 2,
        }),
        status: s.ref(`${APPS}.ReplicaSetStatus`, 'The most recently observed state of the ReplicaSet, written by its controller. Read-only.', {
          default: {},
          proto: 3,
        }),
      },
      { required: ['spec'] },
    ),
    gvk: [{ group: 'apps', version: 'v1', kind: 'ReplicaSet' }],
  },
  {
    name: `${APPS}.ReplicaSetSpec`,
    schema: s.object(
      'The desired behavior of a ReplicaSet.',
      {
        replicas: s.int32('How many Pods the ReplicaSet should run. Leaving it unset (as opposed to 0) gets the default of 1.', { proto: 1 }),
        minReadySeconds: s.int32(
          'Seconds a new Pod must stay ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
          { proto: 4, omitEmpty: true },
        ),
        selector: s.ref(LABEL_SELECTOR, "Selects the Pods this ReplicaSet counts and manages. Must match the template's labels.", { proto: 2 }),
        template: s.ref(POD_TEMPLATE_SPEC, 'The Pod template used to create Pods when fewer than the desired replicas exist.', {
          default: {},
          proto: 3,
        }),
      },
      { required: ['selector'] },
    ),
  },
  {
    name: `${APPS}.ReplicaSetStatus`,
    schema: s.object(
      'The most recently observed state of a ReplicaSet.',
      {
        replicas: s.int32('Non-terminating Pods the ReplicaSet currently has.', { default: 0, proto: 1 }),
        fullyLabeledReplicas: s.int32("Non-terminating Pods whose labels match all the labels of the ReplicaSet's Pod template.", { proto: 2, omitEmpty: true }),
        readyReplicas: s.int32('Non-terminating Pods of this ReplicaSet whose Ready condition is true.', { proto: 4, omitEmpty: true }),
        availableReplicas: s.int32('Non-terminating Pods of this ReplicaSet that have been ready for at least minReadySeconds.', { proto: 5, omitEmpty: true }),
        terminatingReplicas: s.int32(
          'Pods of this ReplicaSet that are terminating: they have a deletionTimestamp but have not yet reached phase Succeeded or Failed. Beta.',
          { proto: 7 },
        ),
        observedGeneration: s.int64('The metadata.generation of the ReplicaSet that the controller last acted on.', { proto: 3, omitEmpty: true }),
        conditions: s.array(
          "The latest observations of the ReplicaSet's state, one per condition type.",
          s.ref(`${APPS}.ReplicaSetCondition`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 6 },
        ),
      },
      { required: ['replicas'] },
    ),
  },
  {
    name: `${APPS}.ReplicaSetCondition`,
    schema: workloadCondition(
      'ReplicaSet',
      'The controller sets ReplicaFailure when it cannot create or delete a Pod (quota, limit ranges, admission, and the like).',
      {},
      3,
    ),
  },

  // StatefulSet
  {
    name: `${APPS}.StatefulSet`,
    schema: s.object(
      'A set of Pods with stable identities: each Pod keeps its ordinal name, its network identity (hostname and DNS name) and its own PersistentVolumeClaims across rescheduling.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${APPS}.StatefulSetSpec`, 'The desired state of the StatefulSet: its Pods, their storage, and how they are created and updated.', {
          default: {},
          proto: 2,
        }),
        status: s.ref(
          `${APPS}.StatefulSetStatus`,
          'The most recently observed state of the StatefulSet, written by its controller; it may lag behind. Read-only.',
          { default: {}, proto: 3 },
        ),
      },
      { required: ['spec'] },
    ),
    gvk: [{ group: 'apps', version: 'v1', kind: 'StatefulSet' }],
  },
  {
    name: `${APPS}.StatefulSetSpec`,
    schema: s.object(
      'The desired behavior of a StatefulSet.',
      {
        replicas: s.int32('How many Pods (ordinals) the StatefulSet should run. Leaving it unset (as opposed to 0) gets the default of 1.', { proto: 1 }),
        selector: s.ref(LABEL_SELECTOR, "Selects the Pods this StatefulSet counts and manages. Must match the template's labels. Cannot be changed.", { proto: 2 }),
        template: s.ref(
          POD_TEMPLATE_SPEC,
          'The template every Pod is created from; each Pod is named <statefulset name>-<ordinal>, e.g. web-3. Its restartPolicy may only be Always.',
          { default: {}, proto: 3 },
        ),
        volumeClaimTemplates: s.array(
          'PersistentVolumeClaims created for each Pod, bound to its identity and kept across rescheduling. Each must be mounted (by name) by a container of the template, and takes precedence over a template volume of the same name.',
          s.ref(`${CORE}.PersistentVolumeClaim`, undefined, { default: {} }),
          { listType: 'atomic', proto: 4 },
        ),
        serviceName: s.string(
          'The headless Service that gives the Pods their network identity: each Pod gets a DNS name of the form <pod name>.<serviceName>.<namespace>.svc. The Service is not created by the StatefulSet.',
          { default: '', proto: 5 },
        ),
        podManagementPolicy: s.enum(
          'How Pods are created and deleted when scaling or replacing them. OrderedReady (the default) handles one ordinal at a time, in increasing order to scale up and decreasing order to scale down, waiting for each to be ready or gone; Parallel creates and deletes Pods all at once. Cannot be changed.',
          ['OrderedReady', 'Parallel'],
          { proto: 6, omitEmpty: true },
        ),
        updateStrategy: s.ref(
          `${APPS}.StatefulSetUpdateStrategy`,
          'How Pods are updated when the template changes: RollingUpdate (the default), OnDelete or Recreate.',
          { default: {}, proto: 7 },
        ),
        revisionHistoryLimit: s.int32(
          'How many old ControllerRevisions (template versions) to keep for rollback. Defaults to 10.',
          { proto: 8 },
        ),
        minReadySeconds: s.int32(
          'Seconds a new Pod must stay ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
          { proto: 9, omitEmpty: true },
        ),
        persistentVolumeClaimRetentionPolicy: s.ref(
          `${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`,
          'Whether the PersistentVolumeClaims created from volumeClaimTemplates are deleted when the StatefulSet is deleted or scaled down. By default they are kept until deleted by hand.',
          { proto: 10 },
        ),
        ordinals: s.ref(
          `${APPS}.StatefulSetOrdinals`,
          'How replica ordinals are numbered. By default the first replica gets ordinal 0 and each further one the next integer.',
          { proto: 11 },
        ),
      },
      { required: ['selector', 'template'] },
    ),
  },
  {
    name: `${APPS}.StatefulSetUpdateStrategy`,
    schema: s.object('How the StatefulSet controller updates Pods after a change to the template.', {
      type: s.enum(
        'The update method. RollingUpdate (the default) replaces Pods one ordinal at a time, from the highest down. OnDelete only creates the new version when a Pod is deleted by hand. Recreate (alpha, StatefulSetRecreateStrategy gate) deletes every old Pod and waits for it to terminate before creating any new one.',
        ['OnDelete', 'Recreate', 'RollingUpdate'],
        { proto: 1, omitEmpty: true },
      ),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateStatefulSetStrategy`, 'Parameters of a rolling update. Only allowed when type is RollingUpdate.', { proto: 2 }),
    }),
  },
  {
    name: `${APPS}.RollingUpdateStatefulSetStrategy`,
    schema: s.object('Parameters of a StatefulSet rolling update.', {
      partition: s.int32(
        'Only Pods with an ordinal greater than or equal to this are updated; lower ordinals keep the old version even when recreated. Useful for canaries and phased rollouts. Defaults to 0 (all Pods).',
        { proto: 1 },
      ),
      maxUnavailable: s.intOrString(
        'How many Pods (ordinals 0 to replicas-1) may be unavailable during the update, as a number (5) or a percentage of the desired replicas (10%, rounded up). Cannot be 0. Defaults to 1. May have no effect with podManagementPolicy OrderedReady. Beta (MaxUnavailableStatefulSet gate).',
        { proto: 2 },
      ),
    }),
  },
  {
    name: `${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`,
    schema: s.object('What happens to the PersistentVolumeClaims created from a StatefulSet\'s volumeClaimTemplates.', {
      whenDeleted: s.string(
        'What happens to the claims when the StatefulSet is deleted: Retain (the default) keeps them; Delete deletes them.',
        { proto: 1, omitEmpty: true },
      ),
      whenScaled: s.string(
        'What happens to the claims of Pods removed by scaling down: Retain (the default) keeps them; Delete deletes the claims of ordinals above the new replica count.',
        { proto: 2, omitEmpty: true },
      ),
    }),
  },
  {
    name: `${APPS}.StatefulSetOrdinals`,
    schema: s.object('How the replicas of a StatefulSet are numbered.', {
      start: s.int32(
        'The ordinal of the first replica: replicas get ordinals start to start+replicas-1 (e.g. 1 to number them from 1, or to move replicas progressively between StatefulSets). Defaults to 0.',
        { default: 0, proto: 1 },
      ),
    }),
  },
  {
    name: `${APPS}.StatefulSetStatus`,
    schema: s.object(
      'The most recently observed state of a StatefulSet.',
      {
        observedGeneration: s.int64('The metadata.generation of the StatefulSet that the controller last acted on.', { proto: 1, omitEmpty: true }),
        replicas: s.int32('Pods the StatefulSet controller has created.', { default: 0, proto: 2 }),
        readyReplicas: s.int32('Pods of this StatefulSet whose Ready condition is true.', { proto: 3, omitEmpty: true }),
        currentReplicas: s.int32('Pods created from the version named by currentRevision.', { proto: 4, omitEmpty: true }),
        updatedReplicas: s.int32('Pods created from the version named by updateRevision.', { proto: 5, omitEmpty: true }),
        currentRevision: s.string('The ControllerRevision that generated the Pods with ordinals 0 to currentReplicas-1, when set.', { proto: 6, omitEmpty: true }),
        updateRevision: s.string(
          'The ControllerRevision that generated the Pods with ordinals replicas-updatedReplicas to replicas-1: the version being rolled out.',
          { proto: 7, omitEmpty: true },
        ),
        collisionCount: s.int32(
          'How many times the hash of the template collided with an existing ControllerRevision name; the controller mixes it in to name the newest revision uniquely.',
          { proto: 9 },
        ),
        conditions: s.array(
          "The latest observations of the StatefulSet's state, one per condition type.",
          s.ref(`${APPS}.StatefulSetCondition`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 10 },
        ),
        availableReplicas: s.int32('Pods of this StatefulSet that have been ready for at least minReadySeconds.', { default: 0, proto: 11 }),
      },
      { required: ['replicas'] },
    ),
  },
  {
    name: `${APPS}.StatefulSetCondition`,
    schema: workloadCondition(
      'StatefulSet',
      'The controller sets Progressing while an update is under way (alpha, with the StatefulSetRecreateStrategy gate).',
      {},
      3,
    ),
  },

  // DaemonSet
  {
    name: `${APPS}.DaemonSet`,
    schema: s.object(
      'Runs one copy of a Pod on every node, or on every node its template selects.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${APPS}.DaemonSetSpec`, 'The desired state of the DaemonSet: its Pod template and how updates roll out.', { default: {}, proto: 2 }),
        status: s.ref(
          `${APPS}.DaemonSetStatus`,
          'The most recently observed state of the DaemonSet, written by its controller; it may lag behind. Read-only.',
          { default: {}, proto: 3 },
        ),
      },
      { required: ['spec'] },
    ),
    gvk: [{ group: 'apps', version: 'v1', kind: 'DaemonSet' }],
  },
  {
    name: `${APPS}.DaemonSetSpec`,
    schema: s.object(
      'The desired behavior of a DaemonSet.',
      {
        selector: s.ref(LABEL_SELECTOR, "Selects the Pods this DaemonSet manages. Must match the template's labels. Cannot be changed.", { proto: 1 }),
        template: s.ref(
          POD_TEMPLATE_SPEC,
          "The Pod created on each eligible node: every node matching the template's node selector and affinity, or every node when there is none. Its restartPolicy may only be Always.",
          { default: {}, proto: 2 },
        ),
        updateStrategy: s.ref(
          `${APPS}.DaemonSetUpdateStrategy`,
          'How existing daemon Pods are replaced when the template changes: RollingUpdate (the default) or OnDelete.',
          { default: {}, proto: 3 },
        ),
        minReadySeconds: s.int32(
          'Seconds a new daemon Pod must stay ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
          { proto: 4, omitEmpty: true },
        ),
        revisionHistoryLimit: s.int32(
          'How many old ControllerRevisions (template versions) to keep for rollback. Leaving it unset (as opposed to 0) gets the default of 10.',
          { proto: 6 },
        ),
      },
      { required: ['selector', 'template'] },
    ),
  },
  {
    name: `${APPS}.DaemonSetUpdateStrategy`,
    schema: s.object('How a DaemonSet replaces its Pods after a change to the template.', {
      type: s.enum(
        'The update method. RollingUpdate (the default) replaces the daemon Pods node by node within the limits of rollingUpdate; OnDelete only creates the new version on a node when its old Pod is deleted.',
        ['OnDelete', 'RollingUpdate'],
        { proto: 1, omitEmpty: true },
      ),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateDaemonSet`, 'Parameters of a rolling update. Only allowed when type is RollingUpdate.', { proto: 2 }),
    }),
  },
  {
    name: `${APPS}.RollingUpdateDaemonSet`,
    schema: s.object('Limits on a DaemonSet rolling update.', {
      maxUnavailable: s.intOrString(
        'How many daemon Pods may be unavailable at once during the update, as a number (5) or a percentage of the nodes that should run one (10%, rounded up). Cannot be 0 when maxSurge is 0. Defaults to 1.',
        { proto: 1 },
      ),
      maxSurge: s.intOrString(
        "How many nodes may run an updated Pod next to their old, still available one during the update, as a number or a percentage of the nodes that should run one (rounded up, at least 1). The old Pod is deleted once the new one is available. Cannot be 0 when maxUnavailable is 0. Defaults to 0 (the old Pod is stopped first).",
        { proto: 2 },
      ),
    }),
  },
  {
    name: `${APPS}.DaemonSetStatus`,
    schema: s.object(
      'The most recently observed state of a DaemonSet.',
      {
        currentNumberScheduled: s.int32('Nodes that should run the daemon Pod and run at least one.', { default: 0, proto: 1 }),
        numberMisscheduled: s.int32('Nodes that run the daemon Pod but should not.', { default: 0, proto: 2 }),
        desiredNumberScheduled: s.int32('Nodes that should run the daemon Pod, whether they already do or not.', { default: 0, proto: 3 }),
        numberReady: s.int32('Nodes that should run the daemon Pod and have at least one whose Ready condition is true.', { default: 0, proto: 4 }),
        observedGeneration: s.int64('The metadata.generation of the DaemonSet that the controller last acted on.', { proto: 5, omitEmpty: true }),
        updatedNumberScheduled: s.int32('Nodes that run a daemon Pod of the current template.', { proto: 6, omitEmpty: true }),
        numberAvailable: s.int32(
          'Nodes that should run the daemon Pod and have at least one that has been ready for at least minReadySeconds.',
          { proto: 7, omitEmpty: true },
        ),
        numberUnavailable: s.int32('Nodes that should run the daemon Pod and have none that is available.', { proto: 8, omitEmpty: true }),
        collisionCount: s.int32(
          'How many times the hash of the template collided with an existing ControllerRevision name; the controller mixes it in to name the newest revision uniquely.',
          { proto: 9 },
        ),
        conditions: s.array(
          "The latest observations of the DaemonSet's state, one per condition type.",
          s.ref(`${APPS}.DaemonSetCondition`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 10 },
        ),
      },
      { required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] },
    ),
  },
  {
    name: `${APPS}.DaemonSetCondition`,
    schema: workloadCondition('DaemonSet', 'No condition types are defined by the built-in controller yet.', {}, 3),
  },

  // ControllerRevision
  {
    name: `${APPS}.ControllerRevision`,
    schema: s.object(
      'An immutable snapshot of state that a controller keeps for update and rollback; the DaemonSet and StatefulSet controllers store template versions this way. Its data cannot be changed once created, but it can be deleted. Meant for controllers rather than users.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        data: s.any('The serialized state this revision holds, e.g. a patch of a Pod template. Any JSON object.', { proto: 2 }),
        revision: s.int64('The revision number of the state in data; higher numbers are newer.', { default: 0, proto: 3 }),
      },
      { required: ['data'] },
    ),
    gvk: [{ group: 'apps', version: 'v1', kind: 'ControllerRevision' }],
  },
];
