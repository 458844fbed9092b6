/**
 * @module
 * Schemas of core/v1 Pod, PodTemplate and Binding, with the pod spec (scheduling, security, DNS,
 * resource claims) and the pod status (k8s.io/api core/v1/types.go). Containers and their status
 * are in core-v1-container.ts, whose definitions this list includes; volumes and object references
 * are in core-v1-volume.ts.
 */
import { type Definition, s, typeMeta } from '../schema.js';
import { CORE_V1_CONTAINER } from './core-v1-container.js';

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const CORE_V1_POD: readonly Definition[] = [
  ...CORE_V1_CONTAINER,
  {
    name: `${CORE}.Pod`,
    schema: s.object(
      'A group of containers that run together on one node, sharing network and storage. Created by clients and scheduled onto nodes.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${CORE}.PodSpec`, 'The desired behavior of the pod.', { default: {}, proto: 2 }),
        status: s.ref(
          `${CORE}.PodStatus`,
          'The most recently observed status of the pod, set by the system; may lag behind reality. Read-only.',
          { default: {}, proto: 3 },
        ),
      },
    ),
    gvk: [{ group: '', version: 'v1', kind: 'Pod' }],
  },
  {
    name: `${CORE}.PodSpec`,
    schema: s.object(
      'The desired behavior of a pod.',
      {
        volumes: s.array(
          "Volumes the pod's containers can mount.",
          s.ref(`${CORE}.Volume`, undefined, { default: {} }),
          { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 1 },
        ),
        initContainers: s.array(
          'Containers run one after another, each to completion, before the regular containers start. A failing init container fails the pod according to its restartPolicy. Init containers (other than sidecars, restartPolicy Always) may not have lifecycle hooks or probes. Names must be unique across all containers. Cannot be updated.',
          s.ref(`${CORE}.Container`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 20 },
        ),
        containers: s.array(
          'The containers of the pod; at least one. Containers cannot be added or removed. Cannot be updated.',
          s.ref(`${CORE}.Container`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 2 },
        ),
        ephemeralContainers: s.array(
          "Ephemeral containers, e.g. for debugging, run in the existing pod. They cannot be set when the pod is created or changed through an update of the pod; add them through the pod's ephemeralcontainers subresource.",
          s.ref(`${CORE}.EphemeralContainer`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 34 },
        ),
        restartPolicy: s.enum(
          'Restart policy of all containers of the pod: Always, OnFailure or Never (some controllers allow only some of these). Defaults to Always.',
          ['Always', 'Never', 'OnFailure'],
          { proto: 3, omitEmpty: true },
        ),
        terminationGracePeriodSeconds: s.int64(
          'Seconds the pod gets to shut down after its processes are sent a termination signal, before they are killed. 0 means kill at once. A delete request may lower it. Defaults to 30.',
          { proto: 4 },
        ),
        activeDeadlineSeconds: s.int64(
          "Seconds, counted from the pod's start time, that the pod may be active on the node before the system marks it failed and kills its containers. A positive integer.",
          { proto: 5 },
        ),
        dnsPolicy: s.enum(
          "How DNS is configured for the pod: ClusterFirst, ClusterFirstWithHostNet (needed for cluster DNS with hostNetwork), Default (inherit the node's) or None (only dnsConfig). Defaults to ClusterFirst.",
          ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
          { proto: 6, omitEmpty: true },
        ),
        nodeSelector: s.stringMap('Labels a node must have for the pod to be scheduled onto it.', { mapType: 'atomic', proto: 7 }),
        serviceAccountName: s.string('Name of the ServiceAccount the pod runs as.', { proto: 8, omitEmpty: true }),
        serviceAccount: s.string('Deprecated alias of serviceAccountName.', { proto: 9, omitEmpty: true }),
        automountServiceAccountToken: s.boolean(
          "Whether a service account token is mounted into the pod automatically. Overrides the ServiceAccount's setting.",
          { proto: 21 },
        ),
        nodeName: s.string(
          "The node the pod runs on. When empty the scheduler picks one; once set, that node's kubelet runs the pod. Setting it directly bypasses the scheduler, so prefer nodeSelector or affinity to ask for a node.",
          { proto: 10, omitEmpty: true },
        ),
        hostNetwork: s.boolean(
          "Use the host's network namespace. Then hostPort of every port must equal its containerPort (and defaults to it). Defaults to false.",
          { proto: 11, omitEmpty: true },
        ),
        hostPID: s.boolean("Use the host's PID namespace. Defaults to false.", { proto: 12, omitEmpty: true }),
        hostIPC: s.boolean("Use the host's IPC namespace. Defaults to false.", { proto: 13, omitEmpty: true }),
        shareProcessNamespace: s.boolean(
          "Share one PID namespace among all containers of the pod, so they can see and signal each other's processes (and the first process of a container is not PID 1). Cannot be combined with hostPID. Defaults to false.",
          { proto: 27 },
        ),
        securityContext: s.ref(
          `${CORE}.PodSecurityContext`,
          "Pod-level security settings, and defaults for the containers' security settings.",
          { proto: 14 },
        ),
        imagePullSecrets: s.array(
          "Secrets in the pod's namespace holding credentials for pulling the pod's images.",
          s.ref(`${CORE}.LocalObjectReference`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 15 },
        ),
        hostname: s.string("The pod's hostname. When unset, a system-defined value (the pod name) is used.", { proto: 16, omitEmpty: true }),
        subdomain: s.string(
          "When set, the pod's fully qualified hostname is <hostname>.<subdomain>.<namespace>.svc.<cluster domain>; otherwise it has no domain name.",
          { proto: 17, omitEmpty: true },
        ),
        affinity: s.ref(`${CORE}.Affinity`, 'Scheduling constraints: node affinity, and affinity and anti-affinity to other pods.', { proto: 18 }),
        schedulerName: s.string('Name of the scheduler that places the pod. Defaults to the default scheduler.', { proto: 19, omitEmpty: true }),
        tolerations: s.array(
          'Taints of nodes that the pod tolerates.',
          s.ref(`${CORE}.Toleration`, undefined, { default: {} }),
          { listType: 'atomic', proto: 22 },
        ),
        hostAliases: s.array(
          "Extra entries (IP address and hostnames) for the pod's hosts file.",
          s.ref(`${CORE}.HostAlias`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'], proto: 23 },
        ),
        priorityClassName: s.string(
          'Name of the PriorityClass giving the pod its priority. system-node-critical and system-cluster-critical are built in and highest; any other name must exist as a PriorityClass. When unset, the default priority (or zero) applies.',
          { proto: 24, omitEmpty: true },
        ),
        priority: s.int32(
          'The priority value, filled in from priorityClassName by the Priority admission controller (which then forbids setting it). Higher means more important.',
          { proto: 25 },
        ),
        dnsConfig: s.ref(`${CORE}.PodDNSConfig`, 'DNS settings merged into those generated according to dnsPolicy.', { proto: 26 }),
        readinessGates: s.array(
          'Extra pod conditions that must all be True, besides all containers being ready, for the pod to be ready.',
          s.ref(`${CORE}.PodReadinessGate`, undefined, { default: {} }),
          { listType: 'atomic', proto: 28 },
        ),
        runtimeClassName: s.string(
          'Name of the RuntimeClass (node.k8s.io) to run the pod with. The pod does not run if it does not exist. When unset or empty, the default runtime handler is used.',
          { proto: 29 },
        ),
        enableServiceLinks: s.boolean(
          'Whether environment variables describing services (in the style of Docker links) are injected into the containers. Defaults to true.',
          { proto: 30 },
        ),
        preemptionPolicy: s.enum(
          'Whether the pod may preempt lower-priority pods: PreemptLowerPriority or Never. Filled in from the PriorityClass by admission. Defaults to PreemptLowerPriority.',
          ['Never', 'PreemptLowerPriority'],
          { proto: 31 },
        ),
        overhead: s.map(
          "Resources used by the pod's sandbox on top of its containers', set at admission from the RuntimeClass (create requests that set it are rejected). Treated as zero when unset.",
          s.quantity(''),
          { proto: 32 },
        ),
        topologySpreadConstraints: s.array(
          'How pods are spread across topology domains (zones, nodes, …); the scheduler honors all of them.',
          s.ref(`${CORE}.TopologySpreadConstraint`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'topologyKey', listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'], proto: 33 },
        ),
        setHostnameAsFQDN: s.boolean(
          "Set the pod's hostname to its fully qualified domain name rather than the short name (in the kernel hostname on Linux, in the registry on Windows). No effect when the pod has no FQDN. Defaults to false.",
          { proto: 35 },
        ),
        os: s.ref(
          `${CORE}.PodOS`,
          "The operating system of the pod's containers. When set, fields that do not apply to that OS must be unset: e.g. windowsOptions for linux; hostPID, hostIPC, hostUsers, resources, seLinuxOptions, seccompProfile, appArmorProfile, fsGroup, sysctls, runAsUser and similar settings for windows.",
          { proto: 36 },
        ),
        hostUsers: s.boolean(
          "Use the host's user namespace. Defaults to true; false runs the pod in a new user namespace, so root in a container is not root on the host.",
          { proto: 37 },
        ),
        schedulingGates: s.array(
          'Gates that keep the pod from being scheduled while any remain (the pod is SchedulingGated). They can only be set at creation and then only removed.',
          s.ref(`${CORE}.PodSchedulingGate`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 38 },
        ),
        resourceClaims: s.array(
          'ResourceClaims (dynamic resource allocation) that must be allocated and reserved before the pod may start; containers use them by name. Immutable.',
          s.ref(`${CORE}.PodResourceClaim`, undefined, { default: {} }),
          { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 39 },
        ),
        resources: s.ref(
          `${CORE}.ResourceRequirements`,
          'Total resources (cpu, memory, hugepages-*) requested by and limited for all containers of the pod together, shared among them. Resource claims are not supported here.',
          { proto: 40 },
        ),
        hostnameOverride: s.string(
          'An explicit hostname for the pod, overriding hostname and subdomain (DNS records are unaffected). A DNS subdomain of at most 64 characters; needs setHostnameAsFQDN unset or false and hostNetwork false.',
          { proto: 41 },
        ),
        schedulingGroup: s.ref(
          `${CORE}.PodSchedulingGroup`,
          'The scheduling group (e.g. a PodGroup) the pod belongs to, whose group scheduling policies the scheduler applies. The group need not exist when the pod is created. Immutable.',
          { proto: 43 },
        ),
        evictionResponders: s.array(
          'Responders that handle evictions of the pod requested through EvictionRequests, tried in priority order; each must report progress regularly or the next takes over. At most 10. Not allowed when schedulingGroup is set. Can only be set at creation.',
          s.ref(`${CORE}.EvictionResponder`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 44 },
        ),
      },
      { required: ['containers'] },
    ),
  },
  {
    name: `${CORE}.PodTemplate`,
    schema: s.object(
      'A template for creating copies of a pod.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        template: s.ref(`${CORE}.PodTemplateSpec`, 'The pod this template creates.', { default: {}, proto: 2 }),
      },
    ),
    gvk: [{ group: '', version: 'v1', kind: 'PodTemplate' }],
  },
  {
    name: `${CORE}.PodTemplateSpec`,
    schema: s.object(
      'The metadata and spec a pod gets when it is created from a template.',
      {
        metadata: s.objectMeta('Metadata of the pods created from the template (labels, annotations, …).', { proto: 1 }),
        spec: s.ref(`${CORE}.PodSpec`, 'The desired behavior of the pods created from the template.', { default: {}, proto: 2 }),
      },
    ),
  },
  {
    name: `${CORE}.Binding`,
    schema: s.object(
      'Binds one object to another, e.g. a pod to the node a scheduler chose. Created through the pods/binding subresource.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        target: s.ref(`${CORE}.ObjectReference`, 'The object to bind to (for a pod, the Node).', { default: {}, proto: 2 }),
      },
      { required: ['target'] },
    ),
    gvk: [{ group: '', version: 'v1', kind: 'Binding' }],
  },
  {
    name: `${CORE}.PodSecurityContext`,
    schema: s.object(
      "Pod-level security settings. Some also exist in each container's securityContext, where the container's value wins.",
      {
        seLinuxOptions: s.ref(
          `${CORE}.SELinuxOptions`,
          'SELinux context of all containers. When unset, the runtime assigns a random one per container. Not for Windows pods.',
          { proto: 1 },
        ),
        windowsOptions: s.ref(`${CORE}.WindowsSecurityContextOptions`, 'Windows-specific settings for all containers. Not for Linux pods.', { proto: 8 }),
        runAsUser: s.int64("UID the containers' processes run as. Defaults to the image's user. Not for Windows pods.", { proto: 2 }),
        runAsGroup: s.int64("GID the containers' processes run as. Defaults to the runtime's default. Not for Windows pods.", { proto: 6 }),
        runAsNonRoot: s.boolean('When true, the kubelet refuses to start any container that would run as UID 0.', { proto: 3 }),
        supplementalGroups: s.array(
          'Extra groups for the first process of each container, besides its primary GID and fsGroup. Whether groups from the image are kept as well depends on supplementalGroupsPolicy. Not for Windows pods.',
          s.int64('', { default: 0 }),
          { listType: 'atomic', proto: 4 },
        ),
        supplementalGroupsPolicy: s.enum(
          'How the supplemental groups of the first process of each container are computed: Merge (add to the groups the image defines) or Strict (only those given here). Defaults to Merge. Not for Windows pods.',
          ['Merge', 'Strict'],
          { proto: 12 },
        ),
        fsGroup: s.int64(
          'A group for all containers that also owns volumes that support it: the kubelet makes this GID own the volume, sets the setgid bit and grants the group read-write. When unset, volume ownership is left alone. Not for Windows pods.',
          { proto: 5 },
        ),
        sysctls: s.array(
          'Namespaced kernel parameters to set for the pod. Pods whose sysctls the runtime does not support may fail to start. Not for Windows pods.',
          s.ref(`${CORE}.Sysctl`, undefined, { default: {} }),
          { listType: 'atomic', proto: 7 },
        ),
        fsGroupChangePolicy: s.enum(
          'When volume ownership and permissions are changed to match fsGroup: OnRootMismatch (only when the root of the volume does not match) or Always. Defaults to Always. Not for Windows pods.',
          ['Always', 'OnRootMismatch'],
          { proto: 9 },
        ),
        seccompProfile: s.ref(`${CORE}.SeccompProfile`, 'Seccomp profile of all containers. Not for Windows pods.', { proto: 10 }),
        appArmorProfile: s.ref(`${CORE}.AppArmorProfile`, 'AppArmor profile of all containers. Not for Windows pods.', { proto: 11 }),
        seLinuxChangePolicy: s.string(
          "How the SELinux label is applied to the pod's volumes: MountOption (mount eligible volumes with -o context; fast, but pods sharing a volume need the same label) or Recursive (relabel every file). Defaults to MountOption. Not for Windows pods.",
          { proto: 13 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.Sysctl`,
    schema: s.object(
      'A kernel parameter to set.',
      {
        name: s.string('Name of the parameter, e.g. net.core.somaxconn.', { default: '', proto: 1 }),
        value: s.string('Value to set.', { default: '', proto: 2 }),
      },
      { required: ['name', 'value'] },
    ),
  },
  {
    name: `${CORE}.Affinity`,
    schema: s.object(
      'Affinity scheduling rules of a pod.',
      {
        nodeAffinity: s.ref(`${CORE}.NodeAffinity`, 'Rules about which nodes the pod may or prefers to run on.', { proto: 1 }),
        podAffinity: s.ref(`${CORE}.PodAffinity`, 'Rules for placing the pod near other pods (same node, zone, …).', { proto: 2 }),
        podAntiAffinity: s.ref(`${CORE}.PodAntiAffinity`, 'Rules for keeping the pod away from other pods (different node, zone, …).', { proto: 3 }),
      },
    ),
  },
  {
    name: `${CORE}.NodeAffinity`,
    schema: s.object(
      'Rules about which nodes a pod may or prefers to run on.',
      {
        requiredDuringSchedulingIgnoredDuringExecution: s.ref(
          `${CORE}.NodeSelector`,
          'Nodes the pod must be scheduled onto. If a node stops matching later, the pod may or may not be evicted.',
          { proto: 1 },
        ),
        preferredDuringSchedulingIgnoredDuringExecution: s.array(
          'Weighted preferences: the scheduler favours nodes with the highest total weight of matching terms, but may pick a node matching none.',
          s.ref(`${CORE}.PreferredSchedulingTerm`, undefined, { default: {} }),
          { listType: 'atomic', proto: 2 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.NodeSelector`,
    schema: s.object(
      'A set of node selector terms, ORed: a node matches if it matches any term.',
      {
        nodeSelectorTerms: s.array(
          'The terms, ORed.',
          s.ref(`${CORE}.NodeSelectorTerm`, undefined, { default: {} }),
          { listType: 'atomic', proto: 1 },
        ),
      },
      { required: ['nodeSelectorTerms'], mapType: 'atomic' },
    ),
  },
  {
    name: `${CORE}.NodeSelectorTerm`,
    schema: s.object(
      "Requirements on a node's labels and fields, ANDed. A null or empty term matches no nodes.",
      {
        matchExpressions: s.array(
          "Requirements on the node's labels.",
          s.ref(`${CORE}.NodeSelectorRequirement`, undefined, { default: {} }),
          { listType: 'atomic', proto: 1 },
        ),
        matchFields: s.array(
          "Requirements on the node's fields (such as metadata.name).",
          s.ref(`${CORE}.NodeSelectorRequirement`, undefined, { default: {} }),
          { listType: 'atomic', proto: 2 },
        ),
      },
      { mapType: 'atomic' },
    ),
  },
  {
    name: `${CORE}.NodeSelectorRequirement`,
    schema: s.object(
      'A requirement relating a key to values by an operator.',
      {
        key: s.string('The label key (or field name) the requirement applies to.', { default: '', proto: 1 }),
        operator: s.enum(
          'How the key relates to the values: In, NotIn, Exists, DoesNotExist, Gt or Lt.',
          ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
          { default: '', proto: 2 },
        ),
        values: s.array(
          'The values: non-empty for In and NotIn, empty for Exists and DoesNotExist, a single integer for Gt and Lt.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 3 },
        ),
      },
      { required: ['key', 'operator'] },
    ),
  },
  {
    name: `${CORE}.PreferredSchedulingTerm`,
    schema: s.object(
      'A node selector term with a weight. An empty term matches every node with weight 0; a null one matches none.',
      {
        weight: s.int32('Weight of the term, from 1 to 100.', { default: 0, proto: 1 }),
        preference: s.ref(`${CORE}.NodeSelectorTerm`, 'The node selector term.', { default: {}, proto: 2 }),
      },
      { required: ['weight', 'preference'] },
    ),
  },
  {
    name: `${CORE}.PodAffinity`,
    schema: s.object(
      'Rules for placing a pod near other pods.',
      {
        requiredDuringSchedulingIgnoredDuringExecution: s.array(
          'Terms that must all hold for a node to be chosen. If they stop holding later, the pod may or may not be evicted.',
          s.ref(`${CORE}.PodAffinityTerm`, undefined, { default: {} }),
          { listType: 'atomic', proto: 1 },
        ),
        preferredDuringSchedulingIgnoredDuringExecution: s.array(
          'Weighted preferences: the scheduler favours nodes with the highest total weight of terms that hold, but may pick a node where none does.',
          s.ref(`${CORE}.WeightedPodAffinityTerm`, undefined, { default: {} }),
          { listType: 'atomic', proto: 2 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.PodAntiAffinity`,
    schema: s.object(
      'Rules for keeping a pod away from other pods.',
      {
        requiredDuringSchedulingIgnoredDuringExecution: s.array(
          'Terms that must all hold (no matching pods in the topology domain) for a node to be chosen. If they stop holding later, the pod may or may not be evicted.',
          s.ref(`${CORE}.PodAffinityTerm`, undefined, { default: {} }),
          { listType: 'atomic', proto: 1 },
        ),
        preferredDuringSchedulingIgnoredDuringExecution: s.array(
          'Weighted preferences: the scheduler avoids nodes with matching pods, weighing each term, but may still pick such a node.',
          s.ref(`${CORE}.WeightedPodAffinityTerm`, undefined, { default: {} }),
          { listType: 'atomic', proto: 2 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.PodAffinityTerm`,
    schema: s.object(
      'A set of pods (selected by labels, in some namespaces) and a topology key: the pod is placed in (or kept out of) the topology domain where such pods run.',
      {
        labelSelector: s.ref(`${META}.LabelSelector`, 'Selects the pods the term is about. Null matches no pods.', { proto: 1 }),
        namespaces: s.array(
          "Namespaces whose pods the term applies to, in addition to those namespaceSelector selects. Empty with a null namespaceSelector means the pod's own namespace.",
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 2 },
        ),
        topologyKey: s.string(
          'A node label key defining the topology domain (e.g. kubernetes.io/hostname, topology.kubernetes.io/zone): nodes with the same value of this label are in the same domain. Must not be empty.',
          { default: '', proto: 3 },
        ),
        namespaceSelector: s.ref(
          `${META}.LabelSelector`,
          "Selects namespaces whose pods the term applies to, in addition to those listed in namespaces. An empty selector selects all namespaces; null, with no namespaces, means the pod's own namespace.",
          { proto: 4 },
        ),
        matchLabelKeys: s.array(
          'Label keys whose values are taken from the incoming pod and added to labelSelector as key in (value). Keys missing on the pod are ignored. Requires labelSelector, and a key may not also appear in it.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 5 },
        ),
        mismatchLabelKeys: s.array(
          'Label keys whose values are taken from the incoming pod and added to labelSelector as key notin (value). Keys missing on the pod are ignored. Requires labelSelector, and a key may not also appear in it.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 6 },
        ),
      },
      { required: ['topologyKey'] },
    ),
  },
  {
    name: `${CORE}.WeightedPodAffinityTerm`,
    schema: s.object(
      'A pod affinity term with a weight; weights of matching terms are summed per node to find the preferred nodes.',
      {
        weight: s.int32('Weight of the term, from 1 to 100.', { default: 0, proto: 1 }),
        podAffinityTerm: s.ref(`${CORE}.PodAffinityTerm`, 'The pod affinity term.', { default: {}, proto: 2 }),
      },
      { required: ['weight', 'podAffinityTerm'] },
    ),
  },
  {
    name: `${CORE}.Toleration`,
    schema: s.object(
      'Lets a pod tolerate node taints that match key, value and effect under the operator.',
      {
        key: s.string('The taint key to match. Empty matches all keys, and then operator must be Exists.', { proto: 1, omitEmpty: true }),
        operator: s.enum(
          'How the key relates to the value: Equal, Exists (any value), or Lt / Gt (numeric comparison, behind a feature gate). Defaults to Equal.',
          ['Equal', 'Exists', 'Gt', 'Lt'],
          { proto: 2, omitEmpty: true },
        ),
        value: s.string('The taint value to match; empty when the operator is Exists.', { proto: 3, omitEmpty: true }),
        effect: s.enum(
          'The taint effect to match: NoSchedule, PreferNoSchedule or NoExecute. Empty matches all effects.',
          ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
          { proto: 4, omitEmpty: true },
        ),
        tolerationSeconds: s.int64(
          'For a NoExecute taint, how long the pod stays bound after the taint appears before it is evicted. Unset means forever; zero or negative means evict at once. Ignored for other effects.',
          { proto: 5 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.HostAlias`,
    schema: s.object(
      "An entry of the pod's hosts file: an IP address and its hostnames.",
      {
        ip: s.string('The IP address.', { default: '', proto: 1 }),
        hostnames: s.array('Hostnames for the IP address.', s.string('', { default: '' }), { listType: 'atomic', proto: 2 }),
      },
      { required: ['ip'] },
    ),
  },
  {
    name: `${CORE}.PodDNSConfig`,
    schema: s.object(
      'DNS settings of a pod, merged with those generated according to dnsPolicy.',
      {
        nameservers: s.array(
          'DNS server IP addresses, added to those from dnsPolicy (duplicates removed).',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 1 },
        ),
        searches: s.array(
          'DNS search domains, added to those from dnsPolicy (duplicates removed).',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 2 },
        ),
        options: s.array(
          'Resolver options, merged with those from dnsPolicy; options given here win.',
          s.ref(`${CORE}.PodDNSConfigOption`, undefined, { default: {} }),
          { listType: 'atomic', proto: 3 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.PodDNSConfigOption`,
    schema: s.object(
      'A DNS resolver option.',
      {
        name: s.string('Name of the option, e.g. ndots. Required.', { proto: 1, omitEmpty: true }),
        value: s.string('Value of the option, if it takes one.', { proto: 2 }),
      },
    ),
  },
  {
    name: `${CORE}.PodReadinessGate`,
    schema: s.object(
      'A pod condition that must be True for the pod to be ready.',
      {
        conditionType: s.string("Type of a condition in the pod's status.conditions.", { default: '', proto: 1 }),
      },
      { required: ['conditionType'] },
    ),
  },
  {
    name: `${CORE}.TopologySpreadConstraint`,
    schema: s.object(
      'How matching pods are spread across the domains of a topology.',
      {
        maxSkew: s.int32(
          'How unevenly matching pods may be spread: with DoNotSchedule, the largest allowed difference between the number of matching pods in a domain and the global minimum; with ScheduleAnyway, a preference for domains that reduce the skew. At least 1.',
          { default: 0, proto: 1 },
        ),
        topologyKey: s.string(
          'A node label key; nodes with the same value of it form one domain (e.g. kubernetes.io/hostname for nodes, topology.kubernetes.io/zone for zones).',
          { default: '', proto: 2 },
        ),
        whenUnsatisfiable: s.enum(
          'What to do with a pod that cannot satisfy the constraint: DoNotSchedule (leave it pending; the default) or ScheduleAnyway (schedule it, preferring placements that reduce the skew).',
          ['DoNotSchedule', 'ScheduleAnyway'],
          { default: '', proto: 3 },
        ),
        labelSelector: s.ref(`${META}.LabelSelector`, 'Selects the pods counted in each domain.', { proto: 4 }),
        minDomains: s.int32(
          'Minimum number of eligible domains. While fewer exist, the global minimum is taken as 0, which limits how many pods go to the existing domains. Unset behaves as 1. Only with whenUnsatisfiable DoNotSchedule.',
          { proto: 5 },
        ),
        nodeAffinityPolicy: s.enum(
          "Whether the pod's nodeAffinity and nodeSelector limit the nodes counted in the skew: Honor (only matching nodes count) or Ignore (all nodes count). Unset means Honor.",
          ['Honor', 'Ignore'],
          { proto: 6 },
        ),
        nodeTaintsPolicy: s.enum(
          'Whether node taints limit the nodes counted in the skew: Honor (only untainted nodes and nodes whose taints the pod tolerates count) or Ignore (all nodes count). Unset means Ignore.',
          ['Honor', 'Ignore'],
          { proto: 7 },
        ),
        matchLabelKeys: s.array(
          'Label keys whose values are taken from the incoming pod and ANDed with labelSelector to pick the pods counted. Keys missing on the pod are ignored. Requires labelSelector, and a key may not also appear in it.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 8 },
        ),
      },
      { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
    ),
  },
  {
    name: `${CORE}.PodOS`,
    schema: s.object(
      'The operating system of a pod.',
      {
        name: s.string('Name of the operating system: linux or windows (more may come; treat unknown values as unset).', { default: '', proto: 1 }),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.PodSchedulingGate`,
    schema: s.object(
      'A gate that keeps a pod from being scheduled while it is present.',
      {
        name: s.string("Name of the gate, unique among the pod's gates.", { default: '', proto: 1 }),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.PodResourceClaim`,
    schema: s.object(
      'Names one ResourceClaim for the pod: an existing claim, or a template from which a claim is made for the pod. Containers refer to it by this name.',
      {
        name: s.string('Name of the claim within the pod, a DNS label.', { default: '', proto: 1 }),
        resourceClaimName: s.string(
          "Name of an existing ResourceClaim in the pod's namespace. Exactly one of resourceClaimName and resourceClaimTemplateName is set.",
          { proto: 3 },
        ),
        resourceClaimTemplateName: s.string(
          "Name of a ResourceClaimTemplate in the pod's namespace from which a claim is created for the pod (and deleted with it; its name is recorded in status.resourceClaimStatuses). For a pod in a PodGroup with a matching group claim, the group's claim is used instead. Immutable. Exactly one of resourceClaimName and resourceClaimTemplateName is set.",
          { proto: 4 },
        ),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.PodSchedulingGroup`,
    schema: s.object(
      'The scheduling group a pod belongs to; exactly one field is set.',
      {
        podGroupName: s.string("Name of the PodGroup object (in the pod's namespace) the pod belongs to; a DNS subdomain.", { proto: 1 }),
      },
    ),
  },
  {
    name: `${CORE}.EvictionResponder`,
    schema: s.object(
      'A responder that handles requested evictions of a pod.',
      {
        name: s.string(
          "Identifies the responder: a domain-prefixed key such as acme.io/foo, unique among the pod's responders. *.k8s.io and *.kubernetes.io are reserved.",
          { default: '', proto: 1 },
        ),
        priority: s.int32(
          "Order in which responders are tried, highest first (ties broken by name), from 0 to 100000; 0-999 is reserved for *.k8s.io responders. The pod's managing controller should use 10000.",
          { proto: 2 },
        ),
      },
      { required: ['name', 'priority'], mapType: 'atomic' },
    ),
  },
  {
    name: `${CORE}.PodStatus`,
    schema: s.object(
      'The observed state of a pod. It may lag behind the actual state, e.g. when the node cannot reach the control plane.',
      {
        observedGeneration: s.int64('The metadata.generation this status was computed from.', { proto: 17, omitEmpty: true }),
        phase: s.enum(
          'A high-level summary of where the pod is in its lifecycle: Pending (accepted, but not all containers have started; includes scheduling and image pulls), Running (bound to a node, all containers created, at least one running or starting), Succeeded (all containers terminated successfully and will not restart), Failed (all containers terminated, at least one in failure) or Unknown (the state could not be obtained).',
          ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
          { proto: 1, omitEmpty: true },
        ),
        conditions: s.array(
          'Current conditions of the pod (PodScheduled, Initialized, ContainersReady, Ready, …).',
          s.ref(`${CORE}.PodCondition`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 2 },
        ),
        message: s.string('A human-readable message about why the pod is in this state.', { proto: 3, omitEmpty: true }),
        reason: s.string("A brief CamelCase reason for the pod's state, e.g. Evicted.", { proto: 4, omitEmpty: true }),
        nominatedNodeName: s.string(
          'The node this pod preempted other pods on and expects to run on once they are gone. Not a guarantee: the pod may be scheduled elsewhere.',
          { proto: 11, omitEmpty: true },
        ),
        hostIP: s.string('Primary IP address of the node the pod is assigned to. Empty until the pod starts.', { proto: 5, omitEmpty: true }),
        hostIPs: s.array(
          'IP addresses of the node the pod is assigned to; the first equals hostIP. Empty until the pod starts.',
          s.ref(`${CORE}.HostIP`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic', proto: 16 },
        ),
        podIP: s.string('Primary IP address of the pod, routable at least within the cluster. Empty until allocated.', { proto: 6, omitEmpty: true }),
        podIPs: s.array(
          'IP addresses of the pod, at most one per family (IPv4, IPv6); the first equals podIP. Empty until allocated.',
          s.ref(`${CORE}.PodIP`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'], proto: 12 },
        ),
        startTime: s.time('When the kubelet acknowledged the pod, before pulling its images.', { proto: 7 }),
        initContainerStatuses: s.array(
          'Status of each init container: at most one entry per container.',
          s.ref(`${CORE}.ContainerStatus`, undefined, { default: {} }),
          { listType: 'atomic', proto: 10 },
        ),
        containerStatuses: s.array(
          'Status of each regular container: at most one entry per container.',
          s.ref(`${CORE}.ContainerStatus`, undefined, { default: {} }),
          { listType: 'atomic', proto: 8 },
        ),
        qosClass: s.enum(
          'Quality of service class the pod gets from its resource requests and limits: Guaranteed, Burstable or BestEffort.',
          ['BestEffort', 'Burstable', 'Guaranteed'],
          { proto: 9, omitEmpty: true },
        ),
        ephemeralContainerStatuses: s.array(
          'Status of each ephemeral container that has run in the pod.',
          s.ref(`${CORE}.ContainerStatus`, undefined, { default: {} }),
          { listType: 'atomic', proto: 13 },
        ),
        resize: s.string(
          'Deprecated, replaced by the PodResizePending and PodResizeInProgress conditions: status of an in-place resize of the containers (InProgress, Deferred or Infeasible); empty when none is pending.',
          { proto: 14, omitEmpty: true },
        ),
        resourceClaimStatuses: s.array(
          "Names of the ResourceClaims generated for the pod's resource claims.",
          s.ref(`${CORE}.PodResourceClaimStatus`, undefined, { default: {} }),
          { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 15 },
        ),
        extendedResourceClaimStatus: s.ref(
          `${CORE}.PodExtendedResourceClaimStatus`,
          'The ResourceClaim the scheduler generated for extended resources backed by dynamic resource allocation.',
          { proto: 18 },
        ),
        allocatedResources: s.map(
          'Total requests the node allocated to the pod: the pod-level requests when set, otherwise the sum over its containers.',
          s.quantity(''),
          { proto: 19 },
        ),
        resources: s.ref(`${CORE}.ResourceRequirements`, 'The pod-level requests and limits actually applied, when spec.resources is set.', { proto: 20 }),
        nodeAllocatableResourceClaimStatuses: s.array(
          'Node-allocatable resources (cpu, memory, hugepages, …; not extended resources) allocated to the pod through dynamic resource allocation claims.',
          s.ref(`${CORE}.NodeAllocatableResourceClaimStatus`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'resourceClaimName', listType: 'map', listMapKeys: ['resourceClaimName'], proto: 21 },
        ),
        volumeHealth: s.array(
          "Health of each of the pod's volumes, reported by the kubelet of its node.",
          s.ref(`${CORE}.PodVolumeHealth`, undefined, { default: {} }),
          { listType: 'map', listMapKeys: ['name'], proto: 22 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.PodCondition`,
    schema: s.object(
      'One aspect of the state of a pod.',
      {
        type: s.string(
          'Type of the condition, e.g. PodScheduled, Initialized, ContainersReady, Ready, PodReadyToStartContainers, DisruptionTarget, PodResizePending or PodResizeInProgress.',
          { default: '', proto: 1 },
        ),
        observedGeneration: s.int64('The metadata.generation this condition was set from.', { proto: 7, omitEmpty: true }),
        status: s.string('Status of the condition: True, False or Unknown.', { default: '', proto: 2 }),
        lastProbeTime: s.time('When the condition was last probed.', { proto: 3 }),
        lastTransitionTime: s.time('When the condition last changed status.', { proto: 4 }),
        reason: s.string("A one-word CamelCase reason for the condition's last transition.", { proto: 5, omitEmpty: true }),
        message: s.string('A human-readable message about the last transition.', { proto: 6, omitEmpty: true }),
      },
      { required: ['type', 'status'] },
    ),
  },
  {
    name: `${CORE}.HostIP`,
    schema: s.object(
      'An IP address of the node a pod runs on.',
      {
        ip: s.string('The IP address.', { default: '', proto: 1 }),
      },
      { required: ['ip'] },
    ),
  },
  {
    name: `${CORE}.PodIP`,
    schema: s.object(
      'An IP address allocated to a pod.',
      {
        ip: s.string('The IP address.', { default: '', proto: 1 }),
      },
      { required: ['ip'] },
    ),
  },
  {
    name: `${CORE}.PodResourceClaimStatus`,
    schema: s.object(
      "The ResourceClaim generated for one of the pod's resource claims.",
      {
        name: s.string('Name of the entry of spec.resourceClaims this is about.', { default: '', proto: 1 }),
        resourceClaimName: s.string(
          "Name of the ResourceClaim generated for the pod (or for its PodGroup), in the pod's namespace. Unset when no claim had to be generated.",
          { proto: 2 },
        ),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.PodExtendedResourceClaimStatus`,
    schema: s.object(
      'The ResourceClaim the scheduler generated for extended resources backed by dynamic resource allocation.',
      {
        requestMappings: s.array(
          'Which request of the claim serves which extended resource of which container.',
          s.ref(`${CORE}.ContainerExtendedResourceRequest`, undefined, { default: {} }),
          { listType: 'atomic', proto: 1 },
        ),
        resourceClaimName: s.string("Name of the generated ResourceClaim, in the pod's namespace.", { default: '', proto: 2 }),
      },
      { required: ['requestMappings', 'resourceClaimName'] },
    ),
  },
  {
    name: `${CORE}.ContainerExtendedResourceRequest`,
    schema: s.object(
      'Maps an extended resource of a container to a request of the generated ResourceClaim.',
      {
        containerName: s.string('Name of the container.', { default: '', proto: 1 }),
        resourceName: s.string('Name of the extended resource in the container.', { default: '', proto: 2 }),
        requestName: s.string('Name of the request in the generated ResourceClaim.', { default: '', proto: 3 }),
      },
      { required: ['containerName', 'resourceName', 'requestName'] },
    ),
  },
  {
    name: `${CORE}.NodeAllocatableResourceClaimStatus`,
    schema: s.object(
      'Node-allocatable resources allocated through one dynamic resource allocation claim.',
      {
        resourceClaimName: s.string('The claim, as the pod refers to it, that led to this allocation.', { default: '', proto: 1 }),
        containers: s.array('Names of the containers that use the claim.', s.string('', { default: '' }), { listType: 'set', proto: 2 }),
        mapping: s.array(
          'Resources allocated through devices with a mapping, used by the kubelet for pod and container cgroups.',
          s.ref(`${CORE}.NodeAllocatableMappedResources`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 4 },
        ),
        overhead: s.array(
          'Overhead resources allocated through devices, used by the kubelet for pod and container cgroups.',
          s.ref(`${CORE}.NodeAllocatableOverheadResources`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 5 },
        ),
      },
      { required: ['resourceClaimName'] },
    ),
  },
  {
    name: `${CORE}.NodeAllocatableMappedResources`,
    schema: s.object(
      'A node-allocatable resource allocated through a claim.',
      {
        name: s.string('Name of the resource, e.g. cpu or memory.', { default: '', proto: 1 }),
        quantity: s.quantity(
          "Amount allocated for the claim and shared by the containers using it; the kubelet adds it to the pod cgroup's requests and limits and to each such container's limits.",
          { proto: 2 },
        ),
      },
      { required: ['name', 'quantity'] },
    ),
  },
  {
    name: `${CORE}.NodeAllocatableOverheadResources`,
    schema: s.object(
      'Overhead of a node-allocatable resource allocated through a claim. At least one of perPod and perContainer is set.',
      {
        name: s.string('Name of the resource, e.g. cpu or memory.', { default: '', proto: 1 }),
        perPod: s.quantity(
          'Fixed overhead for the pod, counted once in the pod cgroup and added to the limit of each container using the claim.',
          { proto: 2 },
        ),
        perContainer: s.quantity(
          'Overhead for each container using the claim; the total is perPod plus perContainer times the number of such containers.',
          { proto: 3 },
        ),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.PodVolumeHealth`,
    schema: s.object(
      "Health of one of a pod's volumes, reported through the kubelet by the CSI node plugin.",
      {
        name: s.string('Name of the volume in spec.volumes.', { default: '', proto: 1 }),
        healthConditions: s.array(
          'Adverse conditions reported for the volume on this node; at most 16.',
          s.ref(`${CORE}.VolumeHealthCondition`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'status', listType: 'map', listMapKeys: ['status', 'reason'], proto: 2 },
        ),
        lastTransitionTime: s.time('When the current set of conditions first appeared.', { proto: 3 }),
      },
      { required: ['name'] },
    ),
  },
];
