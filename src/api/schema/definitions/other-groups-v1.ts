/**
 * @module
 * Schemas of the v1 kinds of smaller groups: coordination.k8s.io Lease, events.k8s.io Event,
 * discovery.k8s.io EndpointSlice, policy PodDisruptionBudget and Eviction, and the autoscaling Scale
 * subresource (k8s.io/api coordination/v1, events/v1, discovery/v1, policy/v1, autoscaling/v1).
 */
import { type Definition, s, typeMeta } from '../schema.js';

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const COORDINATION = 'io.k8s.api.coordination.v1';
const EVENTS = 'io.k8s.api.events.v1';
const DISCOVERY = 'io.k8s.api.discovery.v1';
const POLICY = 'io.k8s.api.policy.v1';
const AUTOSCALING = 'io.k8s.api.autoscaling.v1';

const COORDINATION_V1: readonly Definition[] = [
  {
    name: `${COORDINATION}.Lease`,
    schema: s.object('A lease: a record of who holds a lock and until when, used for leader election and node heartbeats.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(`${COORDINATION}.LeaseSpec`, 'The state of the lease.', { default: {}, proto: 2 }),
    }),
    gvk: [{ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }],
  },
  {
    name: `${COORDINATION}.LeaseSpec`,
    schema: s.object('The state of a lease.', {
      holderIdentity: s.string(
        'Who holds the lease now; with coordinated leader election, the name of the elected LeaseCandidate.',
        { proto: 1 },
      ),
      leaseDurationSeconds: s.int32(
        'How long, in seconds after the last renewTime, other candidates must wait before they may take the lease.',
        { proto: 2 },
      ),
      acquireTime: s.microTime('When the current holder acquired the lease.', { proto: 3 }),
      renewTime: s.microTime('When the current holder last renewed the lease.', { proto: 4 }),
      leaseTransitions: s.int32('How many times the lease has passed from one holder to another.', { proto: 5 }),
      strategy: s.string(
        'How coordinated leader election picks the holder; the only strategy is OldestEmulationVersion. Unset means the lease is not coordinated. Alpha, behind the CoordinatedLeaderElection feature gate.',
        { proto: 6 },
      ),
      preferredHolder: s.string(
        'A better holder the current holder is asked to give the lease up to; only with strategy. Behind the CoordinatedLeaderElection feature gate.',
        { proto: 7 },
      ),
    }),
  },
];

const EVENTS_V1: readonly Definition[] = [
  {
    name: `${EVENTS}.Event`,
    schema: s.object(
      'A report of something that happened in the cluster, usually a change of state. Events are kept for a limited time and are informative, best-effort data.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        eventTime: s.microTime('When the event was first observed. Required.', { proto: 2 }),
        series: s.ref(`${EVENTS}.EventSeries`, 'The series this event belongs to; absent for a one-off event.', { proto: 3 }),
        reportingController: s.string(
          'The controller that emitted the event, e.g. kubernetes.io/kubelet. Must be set on new events.',
          { proto: 4, omitEmpty: true },
        ),
        reportingInstance: s.string(
          'The instance of that controller, e.g. kubelet-xyzf. Must be set on new events; at most 128 characters.',
          { proto: 5, omitEmpty: true },
        ),
        action: s.string(
          'What was done, or failed, about the regarding object; machine-readable. Must be set on new events; at most 128 characters.',
          { proto: 6, omitEmpty: true },
        ),
        reason: s.string(
          'Why the action was taken; human-readable. Must be set on new events; at most 128 characters.',
          { proto: 7, omitEmpty: true },
        ),
        regarding: s.ref(`${CORE}.ObjectReference`, 'The object the event is about, usually one the reporting controller manages.', {
          default: {},
          proto: 8,
        }),
        related: s.ref(
          `${CORE}.ObjectReference`,
          'A secondary object, for more complex actions (for example one the regarding object created or deleted).',
          { proto: 9 },
        ),
        note: s.string('A human-readable description of the status of the operation, at most 1 kB.', { proto: 10, omitEmpty: true }),
        type: s.string('The type of the event: Normal or Warning; more may be added. Must be set on new events.', { proto: 11, omitEmpty: true }),
        deprecatedSource: s.ref(`${CORE}.EventSource`, 'Deprecated: the source field of core/v1 events, kept for compatibility.', {
          default: {},
          proto: 12,
        }),
        deprecatedFirstTimestamp: s.time('Deprecated: the firstTimestamp field of core/v1 events, kept for compatibility.', { proto: 13 }),
        deprecatedLastTimestamp: s.time('Deprecated: the lastTimestamp field of core/v1 events, kept for compatibility.', { proto: 14 }),
        deprecatedCount: s.int32('Deprecated: the count field of core/v1 events, kept for compatibility.', { proto: 15, omitEmpty: true }),
      },
      { required: ['eventTime'] },
    ),
    gvk: [{ group: 'events.k8s.io', version: 'v1', kind: 'Event' }],
  },
  {
    name: `${EVENTS}.EventSeries`,
    schema: s.object(
      'A run of repeated occurrences of the same event; reporters decide how often to update it (on heartbeats).',
      {
        count: s.int32('How many times the event has occurred in the series, up to the last heartbeat.', { default: 0, proto: 1 }),
        lastObservedTime: s.microTime('When the last occurrence before the last heartbeat was observed.', { proto: 2 }),
      },
      { required: ['count', 'lastObservedTime'] },
    ),
  },
];

const DISCOVERY_V1: readonly Definition[] = [
  {
    name: `${DISCOVERY}.EndpointSlice`,
    schema: s.object(
      'A subset of the endpoints of a service; a service\'s slices carry the label kubernetes.io/service-name, and together they list all its endpoints.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        addressType: s.enum(
          'The kind of every address in the slice: IPv4, IPv6 or FQDN (deprecated, with no defined meaning). Cannot change after creation.',
          ['FQDN', 'IPv4', 'IPv6'],
          { default: '', proto: 4 },
        ),
        endpoints: s.array('The endpoints in the slice, at most 1000.', s.ref(`${DISCOVERY}.Endpoint`, undefined, { default: {} }), {
          listType: 'atomic',
          proto: 2,
        }),
        ports: s.array(
          'The ports every endpoint in the slice exposes, at most 100, each with a unique name. May be empty for slices not made for a service.',
          s.ref(`${DISCOVERY}.EndpointPort`, undefined, { default: {} }),
          { listType: 'atomic', proto: 3 },
        ),
      },
      { required: ['addressType'] },
    ),
    gvk: [{ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' }],
  },
  {
    name: `${DISCOVERY}.Endpoint`,
    schema: s.object(
      'One backend of a service.',
      {
        addresses: s.array(
          'The addresses of the endpoint, of the slice\'s addressType (IPs in canonical form): 1 to 100 of them, though consumers use only the first.',
          s.string('', { default: '' }),
          { listType: 'set', proto: 1 },
        ),
        conditions: s.ref(`${DISCOVERY}.EndpointConditions`, 'The current state of the endpoint.', { default: {}, proto: 2 }),
        hostname: s.string(
          'A hostname for the endpoint, a lowercase DNS label; endpoints with the same hostname are interchangeable.',
          { proto: 3 },
        ),
        targetRef: s.ref(`${CORE}.ObjectReference`, 'The object (usually a pod) behind the endpoint.', { proto: 4 }),
        deprecatedTopology: s.stringMap(
          'Deprecated topology data from v1beta1; writes through v1 are ignored. Use zone and nodeName instead.',
          { proto: 5 },
        ),
        nodeName: s.string('The node the endpoint runs on.', { proto: 6 }),
        zone: s.string('The zone the endpoint is in.', { proto: 7 }),
        hints: s.ref(`${DISCOVERY}.EndpointHints`, 'Hints about who should consume the endpoint.', { proto: 8 }),
      },
      { required: ['addresses'] },
    ),
  },
  {
    name: `${DISCOVERY}.EndpointConditions`,
    schema: s.object('The state of an endpoint.', {
      ready: s.boolean(
        'Whether the endpoint should take traffic: usually serving and not terminating. Unset means true.',
        { proto: 1 },
      ),
      serving: s.boolean(
        'Whether the endpoint can take traffic, whatever its termination state; for pods, the Ready condition. Unset means true.',
        { proto: 2 },
      ),
      terminating: s.boolean('Whether the endpoint is terminating. Unset means false.', { proto: 3 }),
    }),
  },
  {
    name: `${DISCOVERY}.EndpointHints`,
    schema: s.object('Hints about how an endpoint should be consumed by topology-aware routing.', {
      forZones: s.array(
        'The zones that should consume the endpoint, at most 8.',
        s.ref(`${DISCOVERY}.ForZone`, undefined, { default: {} }),
        { listType: 'atomic', proto: 1 },
      ),
      forNodes: s.array(
        'The nodes that should consume the endpoint, at most 8.',
        s.ref(`${DISCOVERY}.ForNode`, undefined, { default: {} }),
        { listType: 'atomic', proto: 2 },
      ),
    }),
  },
  {
    name: `${DISCOVERY}.ForZone`,
    schema: s.object('A zone that should consume an endpoint.', { name: s.string('The name of the zone.', { default: '', proto: 1 }) }, {
      required: ['name'],
    }),
  },
  {
    name: `${DISCOVERY}.ForNode`,
    schema: s.object('A node that should consume an endpoint.', { name: s.string('The name of the node.', { default: '', proto: 1 }) }, {
      required: ['name'],
    }),
  },
  {
    name: `${DISCOVERY}.EndpointPort`,
    schema: s.object(
      'A port of the endpoints of a slice.',
      {
        name: s.string(
          'The name of the port, unique in the slice: empty or a DNS label. For a service\'s slice, the name of the service port. Defaults to the empty string.',
          { proto: 1 },
        ),
        protocol: s.enum('The IP protocol: TCP, UDP or SCTP. Defaults to TCP.', ['SCTP', 'TCP', 'UDP'], { proto: 2 }),
        port: s.int32(
          'The port number on the endpoints; for a service\'s slice, the service\'s target port. May be unset for other slices.',
          { proto: 3 },
        ),
        appProtocol: s.string(
          'A hint about the application protocol on this port, in label syntax: an IANA service name (e.g. "http"), a Kubernetes-defined prefixed name ("kubernetes.io/h2c", "kubernetes.io/ws", "kubernetes.io/wss"), or an implementation-defined prefixed name such as "example.com/proto".',
          { proto: 4 },
        ),
      },
      { mapType: 'atomic' },
    ),
  },
];

const POLICY_V1: readonly Definition[] = [
  {
    name: `${POLICY}.PodDisruptionBudget`,
    schema: s.object('A limit on how many pods of a set may be down at once through voluntary disruptions (evictions).', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(`${POLICY}.PodDisruptionBudgetSpec`, 'The desired budget.', { default: {}, proto: 2 }),
      status: s.ref(`${POLICY}.PodDisruptionBudgetStatus`, 'The observed state of the budget.', { default: {}, proto: 3 }),
    }),
    gvk: [{ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' }],
  },
  {
    name: `${POLICY}.PodDisruptionBudgetSpec`,
    schema: s.object('What a disruption budget allows.', {
      minAvailable: s.intOrString(
        'An eviction is allowed only if at least this many selected pods (a number or a percentage such as "100%") stay available afterwards.',
        { proto: 1 },
      ),
      selector: s.ref(
        `${META}.LabelSelector`,
        'The pods the budget covers. A null selector matches none; an empty one matches every pod in the namespace.',
        { patchStrategy: 'replace', proto: 2 },
      ),
      maxUnavailable: s.intOrString(
        'An eviction is allowed only if at most this many selected pods (a number or a percentage) are unavailable afterwards. Mutually exclusive with minAvailable.',
        { proto: 3 },
      ),
      unhealthyPodEvictionPolicy: s.enum(
        'When running but not yet healthy (not Ready) pods may be evicted: IfHealthyBudget (only while the application is not disrupted; the default) or AlwaysAllow (regardless of the budget).',
        ['AlwaysAllow', 'IfHealthyBudget'],
        { proto: 4 },
      ),
    }),
  },
  {
    name: `${POLICY}.PodDisruptionBudgetStatus`,
    schema: s.object('The observed state of a disruption budget; it may lag behind the cluster.', {
      observedGeneration: s.int64(
        'The generation of the budget this status was computed from; the other fields are valid only when it equals metadata.generation.',
        { proto: 1, omitEmpty: true },
      ),
      disruptedPods: s.map(
        'Pods whose eviction the API server has processed but the disruption controller has not yet seen deleted, by pod name, with the time of the eviction. Entries expire after a while.',
        s.time(''),
        { proto: 2 },
      ),
      disruptionsAllowed: s.int32('How many pod disruptions are allowed right now.', { default: 0, proto: 3 }),
      currentHealthy: s.int32('How many selected pods are healthy now.', { default: 0, proto: 4 }),
      desiredHealthy: s.int32('The minimum number of healthy pods the budget requires.', { default: 0, proto: 5 }),
      expectedPods: s.int32('How many pods the budget counts in total.', { default: 0, proto: 6 }),
      conditions: s.array(
        'The latest observations of the budget\'s state. The disruption controller sets DisruptionAllowed, with reason SyncFailed, InsufficientPods or SufficientPods.',
        s.ref(`${META}.Condition`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 7 },
      ),
    }),
  },
  {
    name: `${POLICY}.Eviction`,
    schema: s.object(
      'A request to evict a pod from its node, subject to disruption budgets; created by POSTing to the pod\'s eviction subresource.',
      {
        ...typeMeta(),
        metadata: s.objectMeta('Identifies the pod to evict.', { proto: 1 }),
        deleteOptions: s.ref(`${META}.DeleteOptions`, 'Options for deleting the pod.', { proto: 2 }),
      },
    ),
    gvk: [{ group: 'policy', version: 'v1', kind: 'Eviction' }],
  },
];

const AUTOSCALING_V1: readonly Definition[] = [
  {
    name: `${AUTOSCALING}.Scale`,
    schema: s.object('The scale subresource of a scalable kind: its desired and observed replica counts.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(`${AUTOSCALING}.ScaleSpec`, 'The desired scale.', { default: {}, proto: 2 }),
      status: s.ref(`${AUTOSCALING}.ScaleStatus`, 'The observed scale. Read-only.', { default: {}, proto: 3 }),
    }),
    gvk: [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
  },
  {
    name: `${AUTOSCALING}.ScaleSpec`,
    schema: s.object('The desired scale.', {
      replicas: s.int32('The desired number of replicas. Defaults to 0.', { default: 0, proto: 1, omitEmpty: true }),
    }),
  },
  {
    name: `${AUTOSCALING}.ScaleStatus`,
    schema: s.object(
      'The observed scale.',
      {
        replicas: s.int32('The number of replicas observed.', { default: 0, proto: 1 }),
        selector: s.string(
          'The label selector of the pods counted in replicas, in the string form of label query parameters (e.g. "app=web,tier in (a,b)").',
          { proto: 2, omitEmpty: true },
        ),
      },
      { required: ['replicas'] },
    ),
  },
];

export const OTHER_GROUPS_V1: readonly Definition[] = [
  ...COORDINATION_V1,
  ...EVENTS_V1,
  ...DISCOVERY_V1,
  ...POLICY_V1,
  ...AUTOSCALING_V1,
];
