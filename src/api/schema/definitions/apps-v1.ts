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
 */
function workloadCondition(owner: string, knownTypes: string, extra: Readonly<Record<string, Schema>>): ObjectSchema {
  return s.object(`One observation of an aspect of the ${owner}'s state at a point in time.`, {
    type: s.string(`The kind of condition. ${knownTypes}`, { default: '' }),
    status: s.string('Whether the condition holds: True, False or Unknown.', { default: '' }),
    ...extra,
    lastTransitionTime: s.time('When the condition last changed from one status to another.'),
    reason: s.string('A short machine-readable reason, in CamelCase, for the last transition.'),
    message: s.string('A human-readable explanation of the last transition.'),
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
        metadata: s.objectMeta(),
        spec: s.ref(`${APPS}.DeploymentSpec`, 'The desired state of the Deployment: how many Pods, from which template, and how to roll out changes.', {
          default: {},
        }),
        status: s.ref(`${APPS}.DeploymentStatus`, 'The most recently observed state of the Deployment, written by the deployment controller. Read-only.', {
          default: {},
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
        replicas: s.int32('How many Pods the Deployment should run. Leaving it unset (as opposed to 0) gets the default of 1.'),
        selector: s.ref(
          LABEL_SELECTOR,
          "Selects the Pods (and through them the ReplicaSets) this Deployment manages. Must match the template's labels, and cannot be changed after creation.",
        ),
        template: s.ref(
          POD_TEMPLATE_SPEC,
          'The Pod template new Pods are created from. Any change to it starts a new rollout. Its restartPolicy may only be Always.',
          { default: {} },
        ),
        strategy: s.ref(
          `${APPS}.DeploymentStrategy`,
          'How existing Pods are replaced by new ones when the template changes: RollingUpdate (the default) or Recreate.',
          { default: {}, patchStrategy: 'retainKeys' },
        ),
        minReadySeconds: s.int32(
          'Seconds a new Pod must stay ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
        ),
        revisionHistoryLimit: s.int32(
          'How many old ReplicaSets to keep so the Deployment can be rolled back. Leaving it unset (as opposed to 0) gets the default of 10.',
        ),
        paused: s.boolean('When true, changes to the template do not start a rollout until the Deployment is resumed.'),
        progressDeadlineSeconds: s.int32(
          'Seconds a rollout may go without progress before the controller reports it failed (condition Progressing with reason ProgressDeadlineExceeded). It is not counted while paused. Defaults to 600.',
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
      ),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateDeployment`, 'Parameters of a rolling update. Only allowed when type is RollingUpdate.'),
    }),
  },
  {
    name: `${APPS}.RollingUpdateDeployment`,
    schema: s.object('Limits on how far a rolling update may move away from the desired replica count.', {
      maxUnavailable: s.intOrString(
        'How many Pods may be unavailable during the update, as a number (5) or a percentage of the desired replicas (10%, rounded down). Cannot be 0 when maxSurge is 0. Defaults to 25%.',
      ),
      maxSurge: s.intOrString(
        'How many Pods may be created above the desired replicas during the update, as a number (5) or a percentage of the desired replicas (10%, rounded up). Cannot be 0 when maxUnavailable is 0. Defaults to 25%.',
      ),
    }),
  },
  {
    name: `${APPS}.DeploymentStatus`,
    schema: s.object('The most recently observed state of a Deployment.', {
      observedGeneration: s.int64('The metadata.generation of the Deployment that the controller last acted on.'),
      replicas: s.int32('Non-terminating Pods selected by this Deployment, of any template version.'),
      updatedReplicas: s.int32('Non-terminating Pods selected by this Deployment that run the current template.'),
      readyReplicas: s.int32('Non-terminating Pods selected by this Deployment whose Ready condition is true.'),
      availableReplicas: s.int32('Non-terminating Pods selected by this Deployment that have been ready for at least minReadySeconds.'),
      unavailableReplicas: s.int32(
        'Pods still missing for the Deployment to be fully available: Pods running but not yet available, plus Pods not yet created.',
      ),
      terminatingReplicas: s.int32(
        'Pods selected by this Deployment that are terminating: they have a deletionTimestamp but have not yet reached phase Succeeded or Failed. Beta.',
      ),
      conditions: s.array(
        "The latest observations of the Deployment's state, one per condition type.",
        s.ref(`${APPS}.DeploymentCondition`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      ),
      collisionCount: s.int32(
        'How many times the hash of the template collided with an existing ReplicaSet name; the controller mixes it in to name the newest ReplicaSet uniquely.',
      ),
    }),
  },
  {
    name: `${APPS}.DeploymentCondition`,
    schema: workloadCondition('Deployment', 'The controller sets Available, Progressing and ReplicaFailure.', {
      lastUpdateTime: s.time('When the condition was last updated, even if its status did not change.'),
    }),
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
        ),
        spec: s.ref(`${APPS}.ReplicaSetSpec`, 'The desired state of the ReplicaSet: how many Pods, which ones, and from which template.', {
          default: {},
        }),
        status: s.ref(`${APPS}.ReplicaSetStatus`, 'The most recently observed state of the ReplicaSet, written by its controller. Read-only.', {
          default: {},
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
        replicas: s.int32('How many Pods the ReplicaSet should run. Leaving it unset (as opposed to 0) gets the default of 1.'),
        minReadySeconds: s.int32(
          'Seconds a new Pod must stay ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
        ),
        selector: s.ref(LABEL_SELECTOR, "Selects the Pods this ReplicaSet counts and manages. Must match the template's labels."),
        template: s.ref(POD_TEMPLATE_SPEC, 'The Pod template used to create Pods when fewer than the desired replicas exist.', {
          default: {},
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
        replicas: s.int32('Non-terminating Pods the ReplicaSet currently has.', { default: 0 }),
        fullyLabeledReplicas: s.int32("Non-terminating Pods whose labels match all the labels of the ReplicaSet's Pod template."),
        readyReplicas: s.int32('Non-terminating Pods of this ReplicaSet whose Ready condition is true.'),
        availableReplicas: s.int32('Non-terminating Pods of this ReplicaSet that have been ready for at least minReadySeconds.'),
        terminatingReplicas: s.int32(
          'Pods of this ReplicaSet that are terminating: they have a deletionTimestamp but have not yet reached phase Succeeded or Failed. Beta.',
        ),
        observedGeneration: s.int64('The metadata.generation of the ReplicaSet that the controller last acted on.'),
        conditions: s.array(
          "The latest observations of the ReplicaSet's state, one per condition type.",
          s.ref(`${APPS}.ReplicaSetCondition`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
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
    ),
  },

  // StatefulSet
  {
    name: `${APPS}.StatefulSet`,
    schema: s.object(
      'A set of Pods with stable identities: each Pod keeps its ordinal name, its network identity (hostname and DNS name) and its own PersistentVolumeClaims across rescheduling.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(),
        spec: s.ref(`${APPS}.StatefulSetSpec`, 'The desired state of the StatefulSet: its Pods, their storage, and how they are created and updated.', {
          default: {},
        }),
        status: s.ref(
          `${APPS}.StatefulSetStatus`,
          'The most recently observed state of the StatefulSet, written by its controller; it may lag behind. Read-only.',
          { default: {} },
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
        replicas: s.int32('How many Pods (ordinals) the StatefulSet should run. Leaving it unset (as opposed to 0) gets the default of 1.'),
        selector: s.ref(LABEL_SELECTOR, "Selects the Pods this StatefulSet counts and manages. Must match the template's labels. Cannot be changed."),
        template: s.ref(
          POD_TEMPLATE_SPEC,
          'The template every Pod is created from; each Pod is named <statefulset name>-<ordinal>, e.g. web-3. Its restartPolicy may only be Always.',
          { default: {} },
        ),
        volumeClaimTemplates: s.array(
          'PersistentVolumeClaims created for each Pod, bound to its identity and kept across rescheduling. Each must be mounted (by name) by a container of the template, and takes precedence over a template volume of the same name.',
          s.ref(`${CORE}.PersistentVolumeClaim`, undefined, { default: {} }),
          { listType: 'atomic' },
        ),
        serviceName: s.string(
          'The headless Service that gives the Pods their network identity: each Pod gets a DNS name of the form <pod name>.<serviceName>.<namespace>.svc. The Service is not created by the StatefulSet.',
          { default: '' },
        ),
        podManagementPolicy: s.enum(
          'How Pods are created and deleted when scaling or replacing them. OrderedReady (the default) handles one ordinal at a time, in increasing order to scale up and decreasing order to scale down, waiting for each to be ready or gone; Parallel creates and deletes Pods all at once. Cannot be changed.',
          ['OrderedReady', 'Parallel'],
        ),
        updateStrategy: s.ref(
          `${APPS}.StatefulSetUpdateStrategy`,
          'How Pods are updated when the template changes: RollingUpdate (the default), OnDelete or Recreate.',
          { default: {} },
        ),
        revisionHistoryLimit: s.int32(
          'How many old ControllerRevisions (template versions) to keep for rollback. Defaults to 10.',
        ),
        minReadySeconds: s.int32(
          'Seconds a new Pod must stay ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
        ),
        persistentVolumeClaimRetentionPolicy: s.ref(
          `${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`,
          'Whether the PersistentVolumeClaims created from volumeClaimTemplates are deleted when the StatefulSet is deleted or scaled down. By default they are kept until deleted by hand.',
        ),
        ordinals: s.ref(
          `${APPS}.StatefulSetOrdinals`,
          'How replica ordinals are numbered. By default the first replica gets ordinal 0 and each further one the next integer.',
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
      ),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateStatefulSetStrategy`, 'Parameters of a rolling update. Only allowed when type is RollingUpdate.'),
    }),
  },
  {
    name: `${APPS}.RollingUpdateStatefulSetStrategy`,
    schema: s.object('Parameters of a StatefulSet rolling update.', {
      partition: s.int32(
        'Only Pods with an ordinal greater than or equal to this are updated; lower ordinals keep the old version even when recreated. Useful for canaries and phased rollouts. Defaults to 0 (all Pods).',
      ),
      maxUnavailable: s.intOrString(
        'How many Pods (ordinals 0 to replicas-1) may be unavailable during the update, as a number (5) or a percentage of the desired replicas (10%, rounded up). Cannot be 0. Defaults to 1. May have no effect with podManagementPolicy OrderedReady. Beta (MaxUnavailableStatefulSet gate).',
      ),
    }),
  },
  {
    name: `${APPS}.StatefulSetPersistentVolumeClaimRetentionPolicy`,
    schema: s.object('What happens to the PersistentVolumeClaims created from a StatefulSet\'s volumeClaimTemplates.', {
      whenDeleted: s.string(
        'What happens to the claims when the StatefulSet is deleted: Retain (the default) keeps them; Delete deletes them.',
      ),
      whenScaled: s.string(
        'What happens to the claims of Pods removed by scaling down: Retain (the default) keeps them; Delete deletes the claims of ordinals above the new replica count.',
      ),
    }),
  },
  {
    name: `${APPS}.StatefulSetOrdinals`,
    schema: s.object('How the replicas of a StatefulSet are numbered.', {
      start: s.int32(
        'The ordinal of the first replica: replicas get ordinals start to start+replicas-1 (e.g. 1 to number them from 1, or to move replicas progressively between StatefulSets). Defaults to 0.',
        { default: 0 },
      ),
    }),
  },
  {
    name: `${APPS}.StatefulSetStatus`,
    schema: s.object(
      'The most recently observed state of a StatefulSet.',
      {
        observedGeneration: s.int64('The metadata.generation of the StatefulSet that the controller last acted on.'),
        replicas: s.int32('Pods the StatefulSet controller has created.', { default: 0 }),
        readyReplicas: s.int32('Pods of this StatefulSet whose Ready condition is true.'),
        currentReplicas: s.int32('Pods created from the version named by currentRevision.'),
        updatedReplicas: s.int32('Pods created from the version named by updateRevision.'),
        currentRevision: s.string('The ControllerRevision that generated the Pods with ordinals 0 to currentReplicas-1, when set.'),
        updateRevision: s.string(
          'The ControllerRevision that generated the Pods with ordinals replicas-updatedReplicas to replicas-1: the version being rolled out.',
        ),
        collisionCount: s.int32(
          'How many times the hash of the template collided with an existing ControllerRevision name; the controller mixes it in to name the newest revision uniquely.',
        ),
        conditions: s.array(
          "The latest observations of the StatefulSet's state, one per condition type.",
          s.ref(`${APPS}.StatefulSetCondition`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
        ),
        availableReplicas: s.int32('Pods of this StatefulSet that have been ready for at least minReadySeconds.', { default: 0 }),
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
    ),
  },

  // DaemonSet
  {
    name: `${APPS}.DaemonSet`,
    schema: s.object(
      'Runs one copy of a Pod on every node, or on every node its template selects.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(),
        spec: s.ref(`${APPS}.DaemonSetSpec`, 'The desired state of the DaemonSet: its Pod template and how updates roll out.', { default: {} }),
        status: s.ref(
          `${APPS}.DaemonSetStatus`,
          'The most recently observed state of the DaemonSet, written by its controller; it may lag behind. Read-only.',
          { default: {} },
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
        selector: s.ref(LABEL_SELECTOR, "Selects the Pods this DaemonSet manages. Must match the template's labels. Cannot be changed."),
        template: s.ref(
          POD_TEMPLATE_SPEC,
          "The Pod created on each eligible node: every node matching the template's node selector and affinity, or every node when there is none. Its restartPolicy may only be Always.",
          { default: {} },
        ),
        updateStrategy: s.ref(
          `${APPS}.DaemonSetUpdateStrategy`,
          'How existing daemon Pods are replaced when the template changes: RollingUpdate (the default) or OnDelete.',
          { default: {} },
        ),
        minReadySeconds: s.int32(
          'Seconds a new daemon Pod must stay ready, with no container crashing, before it counts as available. Defaults to 0: available as soon as it is ready.',
        ),
        revisionHistoryLimit: s.int32(
          'How many old ControllerRevisions (template versions) to keep for rollback. Leaving it unset (as opposed to 0) gets the default of 10.',
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
      ),
      rollingUpdate: s.ref(`${APPS}.RollingUpdateDaemonSet`, 'Parameters of a rolling update. Only allowed when type is RollingUpdate.'),
    }),
  },
  {
    name: `${APPS}.RollingUpdateDaemonSet`,
    schema: s.object('Limits on a DaemonSet rolling update.', {
      maxUnavailable: s.intOrString(
        'How many daemon Pods may be unavailable at once during the update, as a number (5) or a percentage of the nodes that should run one (10%, rounded up). Cannot be 0 when maxSurge is 0. Defaults to 1.',
      ),
      maxSurge: s.intOrString(
        "How many nodes may run an updated Pod next to their old, still available one during the update, as a number or a percentage of the nodes that should run one (rounded up, at least 1). The old Pod is deleted once the new one is available. Cannot be 0 when maxUnavailable is 0. Defaults to 0 (the old Pod is stopped first).",
      ),
    }),
  },
  {
    name: `${APPS}.DaemonSetStatus`,
    schema: s.object(
      'The most recently observed state of a DaemonSet.',
      {
        currentNumberScheduled: s.int32('Nodes that should run the daemon Pod and run at least one.', { default: 0 }),
        numberMisscheduled: s.int32('Nodes that run the daemon Pod but should not.', { default: 0 }),
        desiredNumberScheduled: s.int32('Nodes that should run the daemon Pod, whether they already do or not.', { default: 0 }),
        numberReady: s.int32('Nodes that should run the daemon Pod and have at least one whose Ready condition is true.', { default: 0 }),
        observedGeneration: s.int64('The metadata.generation of the DaemonSet that the controller last acted on.'),
        updatedNumberScheduled: s.int32('Nodes that run a daemon Pod of the current template.'),
        numberAvailable: s.int32(
          'Nodes that should run the daemon Pod and have at least one that has been ready for at least minReadySeconds.',
        ),
        numberUnavailable: s.int32('Nodes that should run the daemon Pod and have none that is available.'),
        collisionCount: s.int32(
          'How many times the hash of the template collided with an existing ControllerRevision name; the controller mixes it in to name the newest revision uniquely.',
        ),
        conditions: s.array(
          "The latest observations of the DaemonSet's state, one per condition type.",
          s.ref(`${APPS}.DaemonSetCondition`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
        ),
      },
      { required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] },
    ),
  },
  {
    name: `${APPS}.DaemonSetCondition`,
    schema: workloadCondition('DaemonSet', 'No condition types are defined by the built-in controller yet.', {}),
  },

  // ControllerRevision
  {
    name: `${APPS}.ControllerRevision`,
    schema: s.object(
      'An immutable snapshot of state that a controller keeps for update and rollback; the DaemonSet and StatefulSet controllers store template versions this way. Its data cannot be changed once created, but it can be deleted. Meant for controllers rather than users.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(),
        data: s.any('The serialized state this revision holds, e.g. a patch of a Pod template. Any JSON object.'),
        revision: s.int64('The revision number of the state in data; higher numbers are newer.', { default: 0 }),
      },
      { required: ['data'] },
    ),
    gvk: [{ group: 'apps', version: 'v1', kind: 'ControllerRevision' }],
  },
];
