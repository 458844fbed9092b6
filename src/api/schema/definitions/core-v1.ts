/**
 * @module
 * Schemas of the core/v1 kinds other than pods and volumes: Namespace, Node, Service, Endpoints,
 * ConfigMap, Secret, ServiceAccount and the core Event, with the types they reach
 * (k8s.io/api core/v1/types.go). Pod, container and volume types live in core-v1-pod.ts and
 * core-v1-volume.ts and are referenced here by name.
 */
import { type Definition, s, typeMeta } from '../schema.js';

const CORE = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** The Protocol enum (core/v1 Protocol). */
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

const APP_PROTOCOL =
  'A hint about the application protocol on this port, in label syntax: an IANA service name (e.g. "http"), a Kubernetes-defined prefixed name ("kubernetes.io/h2c", "kubernetes.io/ws", "kubernetes.io/wss"), or an implementation-defined prefixed name such as "example.com/proto".';

/** One string item of a list of strings. */
const stringItem = () => s.string('', { default: '' });

const NAMESPACE: readonly Definition[] = [
  {
    name: `${CORE}.Namespace`,
    schema: s.object('A scope for the names of namespaced objects.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(`${CORE}.NamespaceSpec`, 'The desired behaviour of the namespace.', { default: {}, proto: 2 }),
      status: s.ref(`${CORE}.NamespaceStatus`, 'The observed state of the namespace, set by the system.', { default: {}, proto: 3 }),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'Namespace' }],
  },
  {
    name: `${CORE}.NamespaceSpec`,
    schema: s.object('What a namespace is created with.', {
      finalizers: s.array(
        'Opaque values that must all be removed before the namespace is removed from storage; the built-in one is "kubernetes", cleared once the namespace\'s content is deleted.',
        stringItem(),
        { listType: 'atomic', proto: 1 },
      ),
    }),
  },
  {
    name: `${CORE}.NamespaceStatus`,
    schema: s.object('The observed state of a namespace.', {
      phase: s.enum(
        'The lifecycle phase: Active while the namespace is usable, Terminating while it and its content are being deleted.',
        ['Active', 'Terminating'],
        { proto: 1, omitEmpty: true },
      ),
      conditions: s.array(
        'The latest observations of the namespace\'s state, one per condition type.',
        s.ref(`${CORE}.NamespaceCondition`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 2 },
      ),
    }),
  },
  {
    name: `${CORE}.NamespaceCondition`,
    schema: s.object(
      'One aspect of a namespace\'s state, reported mostly while it is being deleted.',
      {
        type: s.string(
          'The condition type, e.g. NamespaceDeletionDiscoveryFailure, NamespaceDeletionContentFailure, NamespaceDeletionGroupVersionParsingFailure, NamespaceContentRemaining or NamespaceFinalizersRemaining.',
          { default: '', proto: 1 },
        ),
        status: s.string('Whether the condition holds: True, False or Unknown.', { default: '', proto: 2 }),
        lastTransitionTime: s.time('When the condition last changed from one status to another.', { proto: 4 }),
        reason: s.string('A one-word CamelCase reason for the last transition.', { proto: 5, omitEmpty: true }),
        message: s.string('A human-readable explanation of the last transition.', { proto: 6, omitEmpty: true }),
      },
      { required: ['type', 'status'] },
    ),
  },
];

const NODE: readonly Definition[] = [
  {
    name: `${CORE}.Node`,
    schema: s.object('A worker machine in the cluster, registered by its kubelet or by an administrator.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      spec: s.ref(`${CORE}.NodeSpec`, 'The desired configuration of the node.', { default: {}, proto: 2 }),
      status: s.ref(`${CORE}.NodeStatus`, 'The observed state of the node, reported by its kubelet.', { default: {}, proto: 3 }),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'Node' }],
  },
  {
    name: `${CORE}.NodeSpec`,
    schema: s.object('What a node is created with.', {
      podCIDR: s.string('The IP range assigned to the node for its pods.', { proto: 1, omitEmpty: true }),
      podCIDRs: s.array(
        'The IP ranges assigned to the node for its pods, at most one per IP family; when set, the first must equal podCIDR.',
        stringItem(),
        { patchStrategy: 'merge', listType: 'set', proto: 7 },
      ),
      providerID: s.string('The ID the cloud provider gives the node, as <ProviderName>://<ProviderSpecificNodeID>.', { proto: 3, omitEmpty: true }),
      unschedulable: s.boolean('When true, the scheduler places no new pods on the node (cordoned). Default false.', { proto: 4, omitEmpty: true }),
      taints: s.array(
        'Taints on the node: pods that do not tolerate them are kept off (or evicted, for NoExecute).',
        s.ref(`${CORE}.Taint`, undefined, { default: {} }),
        { listType: 'atomic', proto: 5 },
      ),
      configSource: s.ref(
        `${CORE}.NodeConfigSource`,
        'Deprecated and unused: where the dynamic kubelet configuration feature (now removed) took the node\'s configuration from.',
        { proto: 6 },
      ),
      externalID: s.string('Deprecated and not set by all kubelets: an external identifier of the node.', { proto: 2, omitEmpty: true }),
      podPreemptionPolicy: s.ref(
        `${CORE}.NodePodPreemptionPolicy`,
        'Node-level preemption behaviour for the pods on this node (alpha, behind the InPlacePodVerticalScalingSchedulerPreemption feature gate).',
        { proto: 8 },
      ),
    }),
  },
  {
    name: `${CORE}.NodePodPreemptionPolicy`,
    schema: s.object('Node-level rules for preempting pods on a node.', {
      disableResizePreemption: s.array(
        'Owners (autoscalers, operators, administrators) that asked to turn off preemption caused by in-place pod resizes on this node; while the list is non-empty, such preemption is off.',
        stringItem(),
        { listType: 'set', proto: 1 },
      ),
    }),
  },
  {
    name: `${CORE}.Taint`,
    schema: s.object(
      'A mark on a node that repels pods which do not tolerate it.',
      {
        key: s.string('The taint key.', { default: '', proto: 1 }),
        value: s.string('The value paired with the key.', { proto: 2, omitEmpty: true }),
        effect: s.enum(
          'What happens to pods that do not tolerate the taint: NoSchedule (not scheduled here), PreferNoSchedule (avoided when possible) or NoExecute (also evicted if already running).',
          ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
          { default: '', proto: 3 },
        ),
        timeAdded: s.time('When the taint was added (set for NoExecute taints).', { proto: 4 }),
      },
      { required: ['key', 'effect'] },
    ),
  },
  {
    name: `${CORE}.NodeConfigSource`,
    schema: s.object('Deprecated: a source of node configuration, of which exactly one field is set.', {
      configMap: s.ref(`${CORE}.ConfigMapNodeConfigSource`, 'A ConfigMap holding the node\'s configuration.', { proto: 2 }),
    }),
  },
  {
    name: `${CORE}.ConfigMapNodeConfigSource`,
    schema: s.object(
      'Deprecated: a ConfigMap used as the configuration source of a node.',
      {
        namespace: s.string('The namespace of the ConfigMap. Always required.', { default: '', proto: 1 }),
        name: s.string('The name of the ConfigMap. Always required.', { default: '', proto: 2 }),
        uid: s.string('The UID of the ConfigMap: not allowed in the node spec, required in the node status.', { proto: 3, omitEmpty: true }),
        resourceVersion: s.string(
          'The resourceVersion of the ConfigMap: not allowed in the node spec, required in the node status.',
          { proto: 4, omitEmpty: true },
        ),
        kubeletConfigKey: s.string('The key of the ConfigMap that holds the KubeletConfiguration. Always required.', {
          default: '',
          proto: 5,
        }),
      },
      { required: ['namespace', 'name', 'kubeletConfigKey'] },
    ),
  },
  {
    name: `${CORE}.NodeStatus`,
    schema: s.object('The observed state of a node.', {
      capacity: s.map('The total amount of each resource the node has (cpu, memory, pods, …).', s.quantity(''), { proto: 1 }),
      allocatable: s.map(
        'The amount of each resource available to pods, after system reservations. Defaults to capacity.',
        s.quantity(''),
        { proto: 2 },
      ),
      phase: s.enum('Deprecated and never set: the lifecycle phase of the node.', ['Pending', 'Running', 'Terminated'], { proto: 3, omitEmpty: true }),
      conditions: s.array(
        'The latest observations of the node\'s state, one per condition type (Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable, …).',
        s.ref(`${CORE}.NodeCondition`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 4 },
      ),
      addresses: s.array(
        'The addresses the node can be reached at. Declared mergeable by type, but types are not unique enough to merge safely: patch it by replacing the whole list.',
        s.ref(`${CORE}.NodeAddress`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 5 },
      ),
      daemonEndpoints: s.ref(`${CORE}.NodeDaemonEndpoints`, 'The ports daemons on the node listen on.', { default: {}, proto: 6 }),
      nodeInfo: s.ref(`${CORE}.NodeSystemInfo`, 'Identifiers and versions reported by the node.', { default: {}, proto: 7 }),
      images: s.array('The container images present on the node.', s.ref(`${CORE}.ContainerImage`, undefined, { default: {} }), {
        listType: 'atomic',
        proto: 8,
      }),
      volumesInUse: s.array('The attachable volumes the node has mounted.', stringItem(), { listType: 'atomic', proto: 9 }),
      volumesAttached: s.array(
        'The volumes attached to the node.',
        s.ref(`${CORE}.AttachedVolume`, undefined, { default: {} }),
        { listType: 'atomic', proto: 10 },
      ),
      config: s.ref(`${CORE}.NodeConfigStatus`, 'Deprecated: the status of the configuration assigned through dynamic kubelet configuration.', { proto: 11 }),
      runtimeHandlers: s.array(
        'The container runtime handlers available on the node.',
        s.ref(`${CORE}.NodeRuntimeHandler`, undefined, { default: {} }),
        { listType: 'atomic', proto: 12 },
      ),
      features: s.ref(`${CORE}.NodeFeatures`, 'Features the node\'s container runtime (CRI) implements.', { proto: 13 }),
      declaredFeatures: s.array(
        'Features tied to feature gates that the node declares it has (behind the NodeDeclaredFeatures feature gate).',
        stringItem(),
        { listType: 'atomic', proto: 14 },
      ),
    }),
  },
  {
    name: `${CORE}.NodeCondition`,
    schema: s.object(
      'One aspect of a node\'s state.',
      {
        type: s.string(
          'The condition type, e.g. Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable; providers may add others.',
          { default: '', proto: 1 },
        ),
        status: s.string('Whether the condition holds: True, False or Unknown.', { default: '', proto: 2 }),
        lastHeartbeatTime: s.time('When the condition was last reported, changed or not.', { proto: 3 }),
        lastTransitionTime: s.time('When the condition last changed from one status to another.', { proto: 4 }),
        reason: s.string('A short machine-readable reason for the last transition.', { proto: 5, omitEmpty: true }),
        message: s.string('A human-readable explanation of the last transition.', { proto: 6, omitEmpty: true }),
      },
      { required: ['type', 'status'] },
    ),
  },
  {
    name: `${CORE}.NodeAddress`,
    schema: s.object(
      'One address of a node.',
      {
        type: s.string('The kind of address: Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', { default: '', proto: 1 }),
        address: s.string('The address itself.', { default: '', proto: 2 }),
      },
      { required: ['type', 'address'] },
    ),
  },
  {
    name: `${CORE}.NodeDaemonEndpoints`,
    schema: s.object('The ports that daemons on a node listen on.', {
      kubeletEndpoint: s.ref(`${CORE}.DaemonEndpoint`, 'Where the kubelet listens.', { default: {}, proto: 1 }),
    }),
  },
  {
    name: `${CORE}.DaemonEndpoint`,
    schema: s.object(
      'The port one daemon listens on.',
      {
        // Capitalised on the wire: an early release lacked the JSON tag, so Go's field name stuck.
        Port: s.int32('The port number.', { default: 0, proto: 1 }),
      },
      { required: ['Port'] },
    ),
  },
  {
    name: `${CORE}.NodeSystemInfo`,
    schema: s.object(
      'Identifiers and versions a node reports about itself.',
      {
        machineID: s.string('The machine ID (see machine-id(5)); the preferred way to tell machines apart.', { default: '', proto: 1 }),
        systemUUID: s.string('The system UUID reported by the hardware; prefer machineID to identify the machine.', {
          default: '',
          proto: 2,
        }),
        bootID: s.string('The ID of the current boot.', { default: '', proto: 3 }),
        kernelVersion: s.string('The kernel version, as `uname -r` prints it.', { default: '', proto: 4 }),
        osImage: s.string('The operating system image, from /etc/os-release.', { default: '', proto: 5 }),
        containerRuntimeVersion: s.string('The container runtime and its version, e.g. containerd://1.7.2.', { default: '', proto: 6 }),
        kubeletVersion: s.string('The kubelet version.', { default: '', proto: 7 }),
        kubeProxyVersion: s.string('Deprecated: the kube-proxy version.', { default: '', proto: 8 }),
        operatingSystem: s.string('The operating system, e.g. linux or windows.', { default: '', proto: 9 }),
        architecture: s.string('The CPU architecture, e.g. amd64 or arm64.', { default: '', proto: 10 }),
        swap: s.ref(`${CORE}.NodeSwapStatus`, 'Swap memory on the node.', { proto: 11 }),
      },
      {
        required: [
          'machineID',
          'systemUUID',
          'bootID',
          'kernelVersion',
          'osImage',
          'containerRuntimeVersion',
          'kubeletVersion',
          'kubeProxyVersion',
          'operatingSystem',
          'architecture',
        ],
      },
    ),
  },
  {
    name: `${CORE}.NodeSwapStatus`,
    schema: s.object('Swap memory on a node.', {
      capacity: s.int64('The total swap memory, in bytes.', { proto: 1 }),
    }),
  },
  {
    name: `${CORE}.ContainerImage`,
    schema: s.object('A container image present on a node.', {
      names: s.array('The names the image is known by, e.g. registry.example/app:v1 and its digest form.', stringItem(), {
        listType: 'atomic',
        proto: 1,
      }),
      sizeBytes: s.int64('The size of the image, in bytes.', { proto: 2, omitEmpty: true }),
    }),
  },
  {
    name: `${CORE}.AttachedVolume`,
    schema: s.object(
      'A volume attached to a node.',
      {
        name: s.string('The unique name of the attached volume.', { default: '', proto: 1 }),
        devicePath: s.string('The device path where the volume is expected to appear.', { default: '', proto: 2 }),
      },
      { required: ['name', 'devicePath'] },
    ),
  },
  {
    name: `${CORE}.NodeConfigStatus`,
    schema: s.object('Deprecated: the status of the configuration assigned through spec.configSource.', {
      assigned: s.ref(`${CORE}.NodeConfigSource`, 'The checkpointed configuration the node will try to use.', { proto: 1 }),
      active: s.ref(`${CORE}.NodeConfigSource`, 'The checkpointed configuration the node is using now.', { proto: 2 }),
      lastKnownGood: s.ref(
        `${CORE}.NodeConfigSource`,
        'The checkpointed configuration the node falls back to when the assigned one fails.',
        { proto: 3 },
      ),
      error: s.string('A human-readable description of a problem applying the assigned configuration; empty when there is none.', { proto: 4, omitEmpty: true }),
    }),
  },
  {
    name: `${CORE}.NodeRuntimeHandler`,
    schema: s.object('A container runtime handler available on a node.', {
      name: s.string('The handler name; empty for the default handler.', { default: '', proto: 1 }),
      features: s.ref(`${CORE}.NodeRuntimeHandlerFeatures`, 'Features the handler supports.', { proto: 2 }),
    }),
  },
  {
    name: `${CORE}.NodeRuntimeHandlerFeatures`,
    schema: s.object('Features a runtime handler supports.', {
      recursiveReadOnlyMounts: s.boolean('True if the handler supports recursive read-only mounts.', { proto: 1 }),
      userNamespaces: s.boolean('True if the handler supports user namespaces, volumes included.', { proto: 2 }),
    }),
  },
  {
    name: `${CORE}.NodeFeatures`,
    schema: s.object('Features the node\'s CRI implementation has, whatever the runtime handler.', {
      supplementalGroupsPolicy: s.boolean('True if the runtime supports supplementalGroupsPolicy and the container user fields.', { proto: 1 }),
    }),
  },
];

const SERVICE: readonly Definition[] = [
  {
    name: `${CORE}.Service`,
    schema: s.object(
      'A named, stable network endpoint in front of a set of pods (chosen by a selector) or an external name.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${CORE}.ServiceSpec`, 'The desired behaviour of the service.', { default: {}, proto: 2 }),
        status: s.ref(`${CORE}.ServiceStatus`, 'The observed state of the service, set by the system.', { default: {}, proto: 3 }),
      },
    ),
    gvk: [{ group: '', version: 'v1', kind: 'Service' }],
  },
  {
    name: `${CORE}.ServiceSpec`,
    schema: s.object('What a user asks of a service.', {
      ports: s.array(
        'The ports the service exposes; each is identified by its port and protocol.',
        s.ref(`${CORE}.ServicePort`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'], proto: 1 },
      ),
      selector: s.stringMap(
        'Labels the backing pods must have. Without a selector the service\'s endpoints are managed by someone else. Ignored for type ExternalName.',
        { mapType: 'atomic', proto: 2 },
      ),
      clusterIP: s.string(
        'The virtual IP of the service, normally allocated by the system. "None" makes a headless service (no virtual IP). Can only change together with a change to or from type ExternalName.',
        { proto: 3, omitEmpty: true },
      ),
      clusterIPs: s.array(
        'The virtual IPs of the service, at most one per IP family; the first equals clusterIP. Initialised from clusterIP when not given.',
        stringItem(),
        { listType: 'atomic', proto: 18 },
      ),
      type: s.enum(
        'How the service is exposed: ClusterIP (a cluster-internal virtual IP, the default), NodePort (also a port on every node), LoadBalancer (also an external load balancer) or ExternalName (a DNS alias of externalName).',
        ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
        { proto: 4, omitEmpty: true },
      ),
      externalIPs: s.array(
        'Extra IPs, not managed by Kubernetes, on which nodes also accept traffic for the service.',
        stringItem(),
        { listType: 'atomic', proto: 5 },
      ),
      sessionAffinity: s.enum(
        'Whether connections from one client keep going to the same pod: ClientIP or None. Defaults to None.',
        ['ClientIP', 'None'],
        { proto: 7, omitEmpty: true },
      ),
      loadBalancerIP: s.string(
        'Deprecated: an IP to request for a LoadBalancer service, honoured only by some providers and not dual-stack aware.',
        { proto: 8, omitEmpty: true },
      ),
      loadBalancerSourceRanges: s.array(
        'Client CIDRs the cloud load balancer admits, where the provider supports it.',
        stringItem(),
        { listType: 'atomic', proto: 9 },
      ),
      externalName: s.string(
        'The DNS name the service is an alias (CNAME) of; requires type ExternalName and must be a lowercase RFC 1123 hostname.',
        { proto: 10, omitEmpty: true },
      ),
      externalTrafficPolicy: s.enum(
        'How traffic arriving on external addresses (node ports, external IPs, load balancer IPs) is routed: Cluster (to all endpoints, the default) or Local (only to endpoints on the receiving node, keeping the client source IP).',
        ['Cluster', 'Local'],
        { proto: 11, omitEmpty: true },
      ),
      healthCheckNodePort: s.int32(
        'The node port load balancers probe to find nodes with local endpoints; used for type LoadBalancer with externalTrafficPolicy Local and allocated when not given.',
        { proto: 12, omitEmpty: true },
      ),
      publishNotReadyAddresses: s.boolean(
        'When true, endpoints are published whether their pods are ready or not (typical for a StatefulSet\'s headless service).',
        { proto: 13, omitEmpty: true },
      ),
      sessionAffinityConfig: s.ref(`${CORE}.SessionAffinityConfig`, 'Settings of session affinity.', { proto: 14 }),
      ipFamilies: s.array(
        'The IP families (IPv4, IPv6) of the service, at most two and matching clusterIPs; usually set by the system from ipFamilyPolicy.',
        s.enum('', ['', 'IPv4', 'IPv6'], { default: '' }),
        { listType: 'atomic', proto: 19 },
      ),
      ipFamilyPolicy: s.enum(
        'How many IP families the service gets: SingleStack (the default), PreferDualStack (two when the cluster supports it) or RequireDualStack (two, or fail).',
        ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
        { proto: 17 },
      ),
      allocateLoadBalancerNodePorts: s.boolean(
        'Whether node ports are allocated for a LoadBalancer service. Defaults to true; only for type LoadBalancer.',
        { proto: 20 },
      ),
      loadBalancerClass: s.string(
        'The load balancer implementation that handles this LoadBalancer service, as a label-style name (e.g. example.com/internal-vip); unset means the default implementation. Cannot change once set.',
        { proto: 21 },
      ),
      internalTrafficPolicy: s.enum(
        'How traffic to the cluster IP is routed: Cluster (to all endpoints, the default) or Local (only to endpoints on the client\'s node).',
        ['Cluster', 'Local'],
        { proto: 22 },
      ),
      trafficDistribution: s.string(
        'A preference for how traffic is spread over endpoints, e.g. PreferSameZone, PreferSameNode or PreferClose (the old name of PreferSameZone). Implementations treat it as a hint.',
        { proto: 23 },
      ),
    }),
  },
  {
    name: `${CORE}.ServicePort`,
    schema: s.object(
      'One port a service exposes.',
      {
        name: s.string(
          'The name of the port, a DNS label unique within the service; matches the name of the corresponding endpoint port. Optional when the service has one port.',
          { proto: 1, omitEmpty: true },
        ),
        protocol: s.enum('The IP protocol: TCP, UDP or SCTP. Defaults to TCP.', PROTOCOLS, { default: 'TCP', proto: 2, omitEmpty: true }),
        appProtocol: s.string(APP_PROTOCOL, { proto: 6 }),
        port: s.int32('The port the service listens on.', { default: 0, proto: 3 }),
        targetPort: s.intOrString(
          'The port on the pods traffic is sent to: a number (1-65535) or the name of a container port. Defaults to port.',
          { proto: 4 },
        ),
        nodePort: s.int32(
          'The port opened on every node for NodePort and LoadBalancer services; allocated by the system when not given.',
          { proto: 5, omitEmpty: true },
        ),
      },
      { required: ['port'] },
    ),
  },
  {
    name: `${CORE}.SessionAffinityConfig`,
    schema: s.object('Settings of session affinity.', {
      clientIP: s.ref(`${CORE}.ClientIPConfig`, 'Settings of affinity by client IP.', { proto: 1 }),
    }),
  },
  {
    name: `${CORE}.ClientIPConfig`,
    schema: s.object('Settings of session affinity by client IP.', {
      timeoutSeconds: s.int32('How long, in seconds, a client sticks to the same pod: above 0 and at most 86400. Defaults to 10800 (3 hours).', { proto: 1 }),
    }),
  },
  {
    name: `${CORE}.ServiceStatus`,
    schema: s.object('The observed state of a service.', {
      loadBalancer: s.ref(`${CORE}.LoadBalancerStatus`, 'The state of the load balancer, if there is one.', { default: {}, proto: 1 }),
      conditions: s.array(
        'The latest observations of the service\'s state, one per condition type.',
        s.ref(`${META}.Condition`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'], proto: 2 },
      ),
    }),
  },
  {
    name: `${CORE}.LoadBalancerStatus`,
    schema: s.object('The state of a load balancer.', {
      ingress: s.array(
        'The points where traffic for the service enters the load balancer.',
        s.ref(`${CORE}.LoadBalancerIngress`, undefined, { default: {} }),
        { listType: 'atomic', proto: 1 },
      ),
    }),
  },
  {
    name: `${CORE}.LoadBalancerIngress`,
    schema: s.object('An entry point of a load balancer.', {
      ip: s.string('The IP of the entry point, for IP-based load balancers.', { proto: 1, omitEmpty: true }),
      hostname: s.string('The DNS name of the entry point, for DNS-based load balancers.', { proto: 2, omitEmpty: true }),
      ipMode: s.string(
        'How traffic to ip reaches the backends: VIP (delivered with the load balancer\'s IP as destination) or Proxy (delivered to a node or pod address). Only with ip.',
        { proto: 3 },
      ),
      ports: s.array(
        'The state of each service port on this entry point; when present, every port of the service has an entry.',
        s.ref(`${CORE}.PortStatus`, undefined, { default: {} }),
        { listType: 'atomic', proto: 4 },
      ),
    }),
  },
  {
    name: `${CORE}.PortStatus`,
    schema: s.object(
      'Whether a service port could be set up.',
      {
        port: s.int32('The number of the service port.', { default: 0, proto: 1 }),
        protocol: s.enum('The protocol of the service port: TCP, UDP or SCTP.', PROTOCOLS, { default: '', proto: 2 }),
        error: s.string(
          'The problem with the port, if any: a CamelCase built-in value or a provider-specific one of the form example.com/CamelCase.',
          { proto: 3 },
        ),
      },
      { required: ['port', 'protocol'] },
    ),
  },
];

const ENDPOINTS: readonly Definition[] = [
  {
    name: `${CORE}.Endpoints`,
    schema: s.object(
      'Deprecated in favour of discovery.k8s.io EndpointSlice: the addresses and ports that implement a service.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        subsets: s.array(
          'Groups of addresses sharing a set of ports; the endpoints are the union over all subsets.',
          s.ref(`${CORE}.EndpointSubset`, undefined, { default: {} }),
          { listType: 'atomic', proto: 2 },
        ),
      },
    ),
    gvk: [{ group: '', version: 'v1', kind: 'Endpoints' }],
  },
  {
    name: `${CORE}.EndpointSubset`,
    schema: s.object('Addresses that share ports: every address serves every port.', {
      addresses: s.array(
        'Addresses that are ready to take traffic.',
        s.ref(`${CORE}.EndpointAddress`, undefined, { default: {} }),
        { listType: 'atomic', proto: 1 },
      ),
      notReadyAddresses: s.array(
        'Addresses that serve the ports but are not ready yet (starting, or failing their probes).',
        s.ref(`${CORE}.EndpointAddress`, undefined, { default: {} }),
        { listType: 'atomic', proto: 2 },
      ),
      ports: s.array('The ports served on these addresses.', s.ref(`${CORE}.EndpointPort`, undefined, { default: {} }), {
        listType: 'atomic',
        proto: 3,
      }),
    }),
  },
  {
    name: `${CORE}.EndpointAddress`,
    schema: s.object(
      'One IP address of an endpoint.',
      {
        ip: s.string('The IP; not a loopback, link-local or link-local multicast address.', { default: '', proto: 1 }),
        hostname: s.string('The hostname of the endpoint.', { proto: 3, omitEmpty: true }),
        nodeName: s.string('The node the endpoint runs on.', { proto: 4 }),
        targetRef: s.ref(`${CORE}.ObjectReference`, 'The object (usually a pod) behind the endpoint.', { proto: 2 }),
      },
      { required: ['ip'], mapType: 'atomic' },
    ),
  },
  {
    name: `${CORE}.EndpointPort`,
    schema: s.object(
      'One port of an endpoint.',
      {
        name: s.string('The name of the port, matching the name of the service port. Optional when there is one port.', { proto: 1, omitEmpty: true }),
        port: s.int32('The port number.', { default: 0, proto: 2 }),
        protocol: s.enum('The IP protocol: TCP, UDP or SCTP. Defaults to TCP.', PROTOCOLS, { proto: 3, omitEmpty: true }),
        appProtocol: s.string(APP_PROTOCOL, { proto: 4 }),
      },
      { required: ['port'], mapType: 'atomic' },
    ),
  },
];

const CONFIG: readonly Definition[] = [
  {
    name: `${CORE}.ConfigMap`,
    schema: s.object('Non-secret configuration data for pods to use.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      immutable: s.boolean('When true, data and binaryData can no longer be changed, only metadata. Unset by default.', { proto: 4 }),
      data: s.stringMap(
        'UTF-8 configuration data. Keys consist of alphanumerics, "-", "_" and "."; they may not also appear in binaryData.',
        { proto: 2 },
      ),
      binaryData: s.map(
        'Binary configuration data, base64-encoded in JSON. Keys consist of alphanumerics, "-", "_" and "."; they may not also appear in data.',
        s.string('', { format: 'byte' }),
        { proto: 3 },
      ),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'ConfigMap' }],
  },
  {
    name: `${CORE}.Secret`,
    schema: s.object('Sensitive data of some type; the values of data total less than 1 MiB.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      immutable: s.boolean('When true, the data can no longer be changed, only metadata. Unset by default.', { proto: 5 }),
      data: s.map(
        'The secret data, each value base64-encoded in JSON. Keys consist of alphanumerics, "-", "_" and ".".',
        s.string('', { format: 'byte' }),
        { proto: 2 },
      ),
      stringData: s.stringMap(
        'Write-only convenience: plain-string values merged into data on write (overwriting), never returned on read.',
        { proto: 4 },
      ),
      type: s.string(
        'What the secret holds, for programmatic handling: Opaque (the default), kubernetes.io/service-account-token, kubernetes.io/dockercfg, kubernetes.io/dockerconfigjson, kubernetes.io/basic-auth, kubernetes.io/ssh-auth, kubernetes.io/tls, bootstrap.kubernetes.io/token, or a custom type.',
        { proto: 3, omitEmpty: true },
      ),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'Secret' }],
  },
  {
    name: `${CORE}.ServiceAccount`,
    schema: s.object('An identity for processes in pods, with the secrets they may use.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      secrets: s.array(
        'Secrets in the same namespace that pods using this account may use; only enforced when the account has the deprecated kubernetes.io/enforce-mountable-secrets annotation. Not the way to get API tokens: use the TokenRequest API.',
        s.ref(`${CORE}.ObjectReference`, undefined, { default: {} }),
        { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 2 },
      ),
      imagePullSecrets: s.array(
        'Secrets in the same namespace used to pull the images of pods that use this account; only the kubelet reads them.',
        s.ref(`${CORE}.LocalObjectReference`, undefined, { default: {} }),
        { listType: 'atomic', proto: 3 },
      ),
      automountServiceAccountToken: s.boolean(
        'Whether pods using this account get an API token mounted automatically; a pod can override it.',
        { proto: 4 },
      ),
    }),
    gvk: [{ group: '', version: 'v1', kind: 'ServiceAccount' }],
  },
];

const EVENT: readonly Definition[] = [
  {
    name: `${CORE}.Event`,
    schema: s.object(
      'A report of something that happened in the cluster. Events are kept for a limited time and are informative, best-effort data.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        involvedObject: s.ref(`${CORE}.ObjectReference`, 'The object the event is about.', { default: {}, proto: 2 }),
        reason: s.string('A short machine-readable reason for the object\'s transition, in CamelCase.', { proto: 3, omitEmpty: true }),
        message: s.string('A human-readable description of what happened.', { proto: 4, omitEmpty: true }),
        source: s.ref(`${CORE}.EventSource`, 'The component that reported the event.', { default: {}, proto: 5 }),
        firstTimestamp: s.time('When the event was first recorded.', { proto: 6 }),
        lastTimestamp: s.time('When the latest occurrence of the event was recorded.', { proto: 7 }),
        count: s.int32('How many times the event has occurred.', { proto: 8, omitEmpty: true }),
        type: s.string('The type of the event: Normal or Warning; more may be added.', { proto: 9, omitEmpty: true }),
        eventTime: s.microTime('When the event was first observed, with microseconds.', { proto: 10 }),
        series: s.ref(`${CORE}.EventSeries`, 'The series this event belongs to; absent for a one-off event.', { proto: 11 }),
        action: s.string('The action taken, or that failed, on the involved object.', { proto: 12, omitEmpty: true }),
        related: s.ref(`${CORE}.ObjectReference`, 'A secondary object involved, for more complex actions.', { proto: 13 }),
        reportingComponent: s.string('The controller that emitted the event, e.g. kubernetes.io/kubelet.', { default: '', proto: 14 }),
        reportingInstance: s.string('The instance of that controller, e.g. kubelet-xyzf.', { default: '', proto: 15 }),
      },
      { required: ['metadata', 'involvedObject'] },
    ),
    gvk: [{ group: '', version: 'v1', kind: 'Event' }],
  },
  {
    name: `${CORE}.EventSource`,
    schema: s.object('Where an event came from.', {
      component: s.string('The component that generated the event.', { proto: 1, omitEmpty: true }),
      host: s.string('The node the event was generated on.', { proto: 2, omitEmpty: true }),
    }),
  },
  {
    name: `${CORE}.EventSeries`,
    schema: s.object('A run of repeated occurrences of the same event.', {
      count: s.int32('How many times the event has occurred in the series, up to the last heartbeat.', { proto: 1, omitEmpty: true }),
      lastObservedTime: s.microTime('When the last occurrence was observed.', { proto: 2 }),
    }),
  },
];

export const CORE_V1: readonly Definition[] = [...NAMESPACE, ...NODE, ...SERVICE, ...ENDPOINTS, ...CONFIG, ...EVENT];
