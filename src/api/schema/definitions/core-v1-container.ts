/**
 * @module
 * Schemas of core/v1 containers and everything inside one — ports, environment, resources, volume
 * mounts, probes, lifecycle hooks, security contexts — and of container status (k8s.io/api
 * core/v1/types.go). As in upstream's OpenAPI, EphemeralContainer inlines the fields of
 * EphemeralContainerCommon and Probe those of ProbeHandler; neither has a definition of its own.
 * Volumes and object references are in core-v1-volume.ts.
 */
import { type Definition, type Schema, s } from '../schema.js';

const CORE = 'io.k8s.api.core.v1';

/** Stop signals a container may be given (the Signal enum), sorted as upstream's OpenAPI lists them. */
const SIGNALS: readonly string[] = [
  'SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCLD', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT',
  'SIGIO', 'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPOLL', 'SIGPROF', 'SIGPWR', 'SIGQUIT', 'SIGRTMAX',
  'SIGRTMAX-1', 'SIGRTMAX-10', 'SIGRTMAX-11', 'SIGRTMAX-12', 'SIGRTMAX-13', 'SIGRTMAX-14', 'SIGRTMAX-2',
  'SIGRTMAX-3', 'SIGRTMAX-4', 'SIGRTMAX-5', 'SIGRTMAX-6', 'SIGRTMAX-7', 'SIGRTMAX-8', 'SIGRTMAX-9',
  'SIGRTMIN', 'SIGRTMIN+1', 'SIGRTMIN+10', 'SIGRTMIN+11', 'SIGRTMIN+12', 'SIGRTMIN+13', 'SIGRTMIN+14',
  'SIGRTMIN+15', 'SIGRTMIN+2', 'SIGRTMIN+3', 'SIGRTMIN+4', 'SIGRTMIN+5', 'SIGRTMIN+6', 'SIGRTMIN+7',
  'SIGRTMIN+8', 'SIGRTMIN+9', 'SIGSEGV', 'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1', 'SIGUSR2', 'SIGVTALRM', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ',
];

/**
 * The fields of a Container. An EphemeralContainer has the same ones (EphemeralContainerCommon, with
 * the same protobuf numbers inside its embedded message), described for its use.
 */
const CONTAINER_PROPERTIES: Readonly<Record<string, Schema>> = {
  name: s.string('Name of the container, a DNS label unique among all containers of the pod. Cannot be updated.', { default: '', proto: 1 }),
  image: s.string('The container image to run. Optional here so that higher-level workload controllers can default or override it.', { proto: 2, omitEmpty: true }),
  command: s.array(
    "The entrypoint, as an array (not run in a shell). When unset, the image's ENTRYPOINT is used. $(VAR_NAME) references are expanded from the container's environment; $$ escapes a $. Cannot be updated.",
    s.string('', { default: '' }),
    { listType: 'atomic', proto: 3 },
  ),
  args: s.array(
    "Arguments to the entrypoint. When unset, the image's CMD is used. $(VAR_NAME) references are expanded from the container's environment; $$ escapes a $. Cannot be updated.",
    s.string('', { default: '' }),
    { listType: 'atomic', proto: 4 },
  ),
  workingDir: s.string(
    "The container's working directory. When unset, the runtime's default (possibly set by the image) is used. Cannot be updated.",
    { proto: 5, omitEmpty: true },
  ),
  ports: s.array(
    'Network ports the container exposes. Listing a port is informational: a process listening on 0.0.0.0 is reachable whether or not it is listed. Cannot be updated.',
    s.ref(`${CORE}.ContainerPort`, undefined, { default: {} }),
    { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'], proto: 6 },
  ),
  envFrom: s.array(
    'Sources whose keys all become environment variables. When a key appears in several sources the last one wins, and a variable in env overrides them all. Cannot be updated.',
    s.ref(`${CORE}.EnvFromSource`, undefined, { default: {} }),
    { listType: 'atomic', proto: 19 },
  ),
  env: s.array(
    'Environment variables to set in the container. Cannot be updated.',
    s.ref(`${CORE}.EnvVar`, undefined, { default: {} }),
    { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 7 },
  ),
  resources: s.ref(`${CORE}.ResourceRequirements`, 'Compute resources (requests and limits) the container needs.', { default: {}, proto: 8 }),
  resizePolicy: s.array(
    'How each resource of the container is resized in place: whether a change needs a restart. Not allowed on ephemeral containers.',
    s.ref(`${CORE}.ContainerResizePolicy`, undefined, { default: {} }),
    { listType: 'atomic', proto: 23 },
  ),
  restartPolicy: s.string(
    "Restart behaviour of this container, overriding the pod's restartPolicy: Always, OnFailure or Never. On an init container, Always makes it a sidecar that keeps running alongside the regular containers and is stopped after them.",
    { proto: 24 },
  ),
  restartPolicyRules: s.array(
    "Rules checked in order when the container exits; the first that matches decides the action, and when none matches the container's restartPolicy applies. At most 20 rules; restartPolicy must be set explicitly when rules are given.",
    s.ref(`${CORE}.ContainerRestartRule`, undefined, { default: {} }),
    { listType: 'atomic', proto: 25 },
  ),
  volumeMounts: s.array(
    "Pod volumes to mount into the container's filesystem. Cannot be updated.",
    s.ref(`${CORE}.VolumeMount`, undefined, { default: {} }),
    { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'], proto: 9 },
  ),
  volumeDevices: s.array(
    'Raw block devices (from persistent volume claims) to map into the container.',
    s.ref(`${CORE}.VolumeDevice`, undefined, { default: {} }),
    { patchStrategy: 'merge', patchMergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'], proto: 21 },
  ),
  livenessProbe: s.ref(
    `${CORE}.Probe`,
    'Periodic check of whether the container is alive; the container is restarted when it fails. Cannot be updated.',
    { proto: 10 },
  ),
  readinessProbe: s.ref(
    `${CORE}.Probe`,
    'Periodic check of whether the container is ready to serve; while it fails, the pod is removed from service endpoints. Cannot be updated.',
    { proto: 11 },
  ),
  startupProbe: s.ref(
    `${CORE}.Probe`,
    'Check that the container has started. Until it succeeds no other probe runs; when it fails the container is restarted, as for a failed liveness probe. Useful for slow-starting containers. Cannot be updated.',
    { proto: 22 },
  ),
  lifecycle: s.ref(
    `${CORE}.Lifecycle`,
    'Actions the kubelet takes on container lifecycle events (after start, before stop). Cannot be updated.',
    { proto: 12 },
  ),
  terminationMessagePath: s.string(
    "Path, inside the container, of the file whose contents become the container's termination message. Truncated to 4096 bytes (12 KiB across all containers). Defaults to /dev/termination-log. Cannot be updated.",
    { proto: 13, omitEmpty: true },
  ),
  terminationMessagePolicy: s.enum(
    'Where the termination message comes from: File (the terminationMessagePath file) or FallbackToLogsOnError (the tail of the log, at most 2048 bytes or 80 lines, when the file is empty and the container failed). Defaults to File. Cannot be updated.',
    ['FallbackToLogsOnError', 'File'],
    { proto: 20, omitEmpty: true },
  ),
  imagePullPolicy: s.enum(
    'When to pull the image: Always, Never or IfNotPresent. Defaults to Always for the :latest tag (or no tag) and IfNotPresent otherwise. Cannot be updated.',
    ['Always', 'IfNotPresent', 'Never'],
    { proto: 14, omitEmpty: true },
  ),
  securityContext: s.ref(
    `${CORE}.SecurityContext`,
    "Security options for the container. Fields set here override the same fields of the pod's securityContext.",
    { proto: 15 },
  ),
  stdin: s.boolean('Whether to allocate a stdin buffer for the container; when false, reads from stdin get EOF. Defaults to false.', { proto: 16, omitEmpty: true }),
  stdinOnce: s.boolean(
    'Whether the runtime closes stdin after the first attach session disconnects (it stays closed until the container restarts). When false, stdin stays open across attaches and never sends EOF. Defaults to false.',
    { proto: 17, omitEmpty: true },
  ),
  tty: s.boolean('Whether to allocate a TTY for the container; requires stdin to be true. Defaults to false.', { proto: 18, omitEmpty: true }),
};

/** How an ephemeral container's fields are described where they differ from a container's. */
const EPHEMERAL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  name: 'Name of the ephemeral container, a DNS label unique among all containers, init containers and ephemeral containers of the pod.',
  image: 'The container image to run.',
  ports: 'Not allowed for ephemeral containers.',
  resources: 'Not allowed for ephemeral containers: they use resources already allocated to the pod.',
  resizePolicy: "Resize policy of the container's resources; not meaningful for ephemeral containers.",
  restartPolicy: 'Not allowed for ephemeral containers.',
  restartPolicyRules: 'Not allowed for ephemeral containers.',
  volumeMounts: "Pod volumes to mount into the container's filesystem. Subpath mounts are not allowed for ephemeral containers. Cannot be updated.",
  livenessProbe: 'Not allowed for ephemeral containers.',
  readinessProbe: 'Not allowed for ephemeral containers.',
  startupProbe: 'Not allowed for ephemeral containers.',
  lifecycle: 'Not allowed for ephemeral containers.',
  securityContext: "Security options for the ephemeral container. Fields set here override the same fields of the pod's securityContext.",
};

/** `properties` with the given descriptions in place of theirs. */
function describedAs(properties: Readonly<Record<string, Schema>>, descriptions: Readonly<Record<string, string>>): Record<string, Schema> {
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => {
      const description = descriptions[name];
      return [name, description === undefined ? schema : { ...schema, description }];
    }),
  );
}

export const CORE_V1_CONTAINER: readonly Definition[] = [
  {
    name: `${CORE}.Container`,
    schema: s.object(
      'An application container to run in a pod.',
      CONTAINER_PROPERTIES,
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.ContainerPort`,
    schema: s.object(
      'A network port of a single container.',
      {
        name: s.string('A name for the port (an IANA_SVC_NAME, unique within the pod) by which services can refer to it.', { proto: 1, omitEmpty: true }),
        hostPort: s.int32(
          "Port to expose on the host's network (1-65535). With hostNetwork it must equal containerPort. Most containers do not need it.",
          { proto: 2, omitEmpty: true },
        ),
        containerPort: s.int32("Port number to expose on the pod's IP address (1-65535).", { default: 0, proto: 3 }),
        protocol: s.enum('Protocol of the port: TCP, UDP or SCTP. Defaults to TCP.', ['SCTP', 'TCP', 'UDP'], { default: 'TCP', proto: 4, omitEmpty: true }),
        hostIP: s.string('Host IP address to bind the host port to.', { proto: 5, omitEmpty: true }),
      },
      { required: ['containerPort'] },
    ),
  },
  {
    name: `${CORE}.EnvFromSource`,
    schema: s.object(
      'A ConfigMap or Secret whose entries all become environment variables.',
      {
        prefix: s.string("Text prepended to every variable name taken from the source. Any printable ASCII characters except '='.", { proto: 1, omitEmpty: true }),
        configMapRef: s.ref(`${CORE}.ConfigMapEnvSource`, 'The ConfigMap to take variables from.', { proto: 2 }),
        secretRef: s.ref(`${CORE}.SecretEnvSource`, 'The Secret to take variables from.', { proto: 3 }),
      },
    ),
  },
  {
    name: `${CORE}.ConfigMapEnvSource`,
    schema: s.object(
      'A ConfigMap whose data entries become environment variables (binaryData entries are not used).',
      {
        name: s.string("Name of the ConfigMap, in the pod's namespace.", { default: '', proto: 1, omitEmpty: true }),
        optional: s.boolean('Whether the ConfigMap may be missing; when false, the container does not start without it.', { proto: 2 }),
      },
      { inlinedProto: { field: 1, properties: ['name'] } },
    ),
  },
  {
    name: `${CORE}.SecretEnvSource`,
    schema: s.object(
      'A Secret whose data entries become environment variables.',
      {
        name: s.string("Name of the Secret, in the pod's namespace.", { default: '', proto: 1, omitEmpty: true }),
        optional: s.boolean('Whether the Secret may be missing; when false, the container does not start without it.', { proto: 2 }),
      },
      { inlinedProto: { field: 1, properties: ['name'] } },
    ),
  },
  {
    name: `${CORE}.EnvVar`,
    schema: s.object(
      'An environment variable to set in a container.',
      {
        name: s.string("Name of the variable. Any printable ASCII characters except '='.", { default: '', proto: 1 }),
        value: s.string(
          'Literal value of the variable. $(VAR_NAME) references to earlier variables and service variables are expanded; $$ escapes a $. Defaults to the empty string.',
          { proto: 2, omitEmpty: true },
        ),
        valueFrom: s.ref(`${CORE}.EnvVarSource`, 'Where to take the value from, when value is empty.', { proto: 3 }),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.EnvVarSource`,
    schema: s.object(
      'A source for the value of an environment variable; exactly one field is set.',
      {
        fieldRef: s.ref(
          `${CORE}.ObjectFieldSelector`,
          "A field of the pod: metadata.name, metadata.namespace, metadata.uid, metadata.labels['KEY'], metadata.annotations['KEY'], spec.nodeName, spec.serviceAccountName, status.hostIP(s) or status.podIP(s).",
          { proto: 1 },
        ),
        resourceFieldRef: s.ref(
          `${CORE}.ResourceFieldSelector`,
          'A resource limit or request of the container (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage).',
          { proto: 2 },
        ),
        configMapKeyRef: s.ref(`${CORE}.ConfigMapKeySelector`, "A key of a ConfigMap in the pod's namespace.", { proto: 3 }),
        secretKeyRef: s.ref(`${CORE}.SecretKeySelector`, "A key of a Secret in the pod's namespace.", { proto: 4 }),
        fileKeyRef: s.ref(`${CORE}.FileKeySelector`, "A key of an env file in one of the pod's volumes. Needs the EnvFiles feature gate.", { proto: 5 }),
      },
    ),
  },
  {
    name: `${CORE}.ObjectFieldSelector`,
    schema: s.object(
      'Selects a field of an object, in a given API version.',
      {
        apiVersion: s.string('The API version the field path is written in. Defaults to v1.', { proto: 1, omitEmpty: true }),
        fieldPath: s.string('Path of the field to select, e.g. metadata.name.', { default: '', proto: 2 }),
      },
      { required: ['fieldPath'], mapType: 'atomic' },
    ),
  },
  {
    name: `${CORE}.ResourceFieldSelector`,
    schema: s.object(
      'Selects a resource (limit or request) of a container and the unit to express it in.',
      {
        containerName: s.string(
          'Name of the container; required in volumes, optional for environment variables (where it defaults to the current container).',
          { proto: 1, omitEmpty: true },
        ),
        resource: s.string('The resource to select, e.g. limits.cpu or requests.memory.', { default: '', proto: 2 }),
        divisor: s.quantity('The unit the value is divided by before it is exposed (e.g. 1m, 1Mi). Defaults to 1.', { proto: 3 }),
      },
      { required: ['resource'], mapType: 'atomic' },
    ),
  },
  {
    name: `${CORE}.ConfigMapKeySelector`,
    schema: s.object(
      'Selects one key of a ConfigMap.',
      {
        name: s.string("Name of the ConfigMap, in the pod's namespace.", { default: '', proto: 1, omitEmpty: true }),
        key: s.string("The key to select in the ConfigMap's data.", { default: '', proto: 2 }),
        optional: s.boolean('Whether the ConfigMap or the key may be missing.', { proto: 3 }),
      },
      { required: ['key'], mapType: 'atomic', inlinedProto: { field: 1, properties: ['name'] } },
    ),
  },
  {
    name: `${CORE}.SecretKeySelector`,
    schema: s.object(
      'Selects one key of a Secret.',
      {
        name: s.string("Name of the Secret, in the pod's namespace.", { default: '', proto: 1, omitEmpty: true }),
        key: s.string('The key to select in the Secret; must be a valid secret key.', { default: '', proto: 2 }),
        optional: s.boolean('Whether the Secret or the key may be missing.', { proto: 3 }),
      },
      { required: ['key'], mapType: 'atomic', inlinedProto: { field: 1, properties: ['name'] } },
    ),
  },
  {
    name: `${CORE}.FileKeySelector`,
    schema: s.object(
      'Selects one key of an env file (KEY=VALUE lines) stored in a volume of the pod.',
      {
        volumeName: s.string('Name of the volume mount that holds the env file.', { default: '', proto: 1 }),
        path: s.string("Path of the env file within the volume; relative, and must not contain or start with '..'.", { default: '', proto: 2 }),
        key: s.string(
          "The key to read from the env file. Any printable ASCII characters except '='; a key that is not valid keeps the pod from starting.",
          { default: '', proto: 3 },
        ),
        optional: s.boolean(
          'Whether the file or key may be missing. When true and it is missing, the variable is simply not set; when false, the pod fails to start. Defaults to false.',
          { default: false, proto: 4 },
        ),
      },
      { required: ['volumeName', 'path', 'key'], mapType: 'atomic' },
    ),
  },
  {
    name: `${CORE}.ResourceRequirements`,
    schema: s.object(
      'The compute resources a container (or the whole pod) requests and is limited to.',
      {
        limits: s.map(
          'The most of each resource that may be used, by resource name (cpu, memory, hugepages-…, extended resources).',
          s.quantity(''),
          { proto: 1 },
        ),
        requests: s.map(
          'The least of each resource that is needed, used for scheduling. When omitted for a resource, it defaults to the limit if one is set. Requests may not exceed limits.',
          s.quantity(''),
          { proto: 2 },
        ),
        claims: s.array(
          'Names of entries of spec.resourceClaims this container uses (dynamic resource allocation). Only for containers; immutable.',
          s.ref(`${CORE}.ResourceClaim`, undefined, { default: {} }),
          { listType: 'map', listMapKeys: ['name'], proto: 3 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.ResourceClaim`,
    schema: s.object(
      "Names one entry of the pod's spec.resourceClaims that a container uses.",
      {
        name: s.string('Name of an entry of pod.spec.resourceClaims; its resources become available in the container.', { default: '', proto: 1 }),
        request: s.string(
          'Name of a single request in the referenced claim. When empty, everything allocated for the claim is made available.',
          { proto: 2, omitEmpty: true },
        ),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.ContainerResizePolicy`,
    schema: s.object(
      'How one resource of a container is resized in place.',
      {
        resourceName: s.string('The resource the policy is for: cpu or memory.', { default: '', proto: 1 }),
        restartPolicy: s.string(
          'What happens when the resource is resized: NotRequired (resize the running container) or RestartContainer. Defaults to NotRequired.',
          { default: '', proto: 2 },
        ),
      },
      { required: ['resourceName', 'restartPolicy'] },
    ),
  },
  {
    name: `${CORE}.ContainerRestartRule`,
    schema: s.object(
      'A rule for what to do when a container exits with certain conditions.',
      {
        action: s.string(
          'The action to take when the rule matches: Restart (restart this container) or RestartAllContainers (restart every container of the pod; alpha).',
          { proto: 1, omitEmpty: true },
        ),
        exitCodes: s.ref(`${CORE}.ContainerRestartRuleOnExitCodes`, "The condition on the container's exit code.", { proto: 2 }),
      },
      { required: ['action'] },
    ),
  },
  {
    name: `${CORE}.ContainerRestartRuleOnExitCodes`,
    schema: s.object(
      "A condition on a container's exit code.",
      {
        operator: s.string('How the exit code relates to values: In (it is one of them) or NotIn (it is none of them).', { proto: 1, omitEmpty: true }),
        values: s.array('The exit codes to compare with; at most 255.', s.int32('', { default: 0 }), { listType: 'set', proto: 2 }),
      },
      { required: ['operator'] },
    ),
  },
  {
    name: `${CORE}.VolumeMount`,
    schema: s.object(
      'Mounts a pod volume into a container.',
      {
        name: s.string('Name of the pod volume to mount.', { default: '', proto: 1 }),
        readOnly: s.boolean('Mount the volume read-only when true; read-write otherwise. Defaults to false.', { proto: 2, omitEmpty: true }),
        recursiveReadOnly: s.string(
          'Whether a read-only mount is also read-only in its submounts: Disabled, IfPossible (when the runtime supports it) or Enabled (fail the pod when unsupported). Only with readOnly; IfPossible and Enabled need mountPropagation None. Unset means Disabled.',
          { proto: 7 },
        ),
        mountPath: s.string('Path inside the container where the volume is mounted.', { default: '', proto: 3 }),
        subPath: s.string('Path within the volume to mount instead of its root. Defaults to the empty string (the root).', { proto: 4, omitEmpty: true }),
        mountPropagation: s.enum(
          'How mounts propagate between the host and the container: None, HostToContainer or Bidirectional. Defaults to None.',
          ['Bidirectional', 'HostToContainer', 'None'],
          { proto: 5 },
        ),
        subPathExpr: s.string(
          "Like subPath, but $(VAR_NAME) references are expanded from the container's environment. Defaults to the empty string; cannot be combined with subPath.",
          { proto: 6, omitEmpty: true },
        ),
        bindMountOptions: s.array(
          'Extra bind mount options for this mount: noexec, nodev and/or nosuid. Linux only; not for image volumes. Alpha, behind the VolumeBindMountOptions feature gate.',
          s.string('', { default: '' }),
          { listType: 'set', proto: 8 },
        ),
      },
      { required: ['name', 'mountPath'] },
    ),
  },
  {
    name: `${CORE}.VolumeDevice`,
    schema: s.object(
      'Maps a raw block device from a persistent volume claim into a container.',
      {
        name: s.string('Name of the pod volume, which must be a persistentVolumeClaim volume.', { default: '', proto: 1 }),
        devicePath: s.string('Path inside the container where the device appears.', { default: '', proto: 2 }),
      },
      { required: ['name', 'devicePath'] },
    ),
  },
  {
    name: `${CORE}.Probe`,
    schema: s.object(
      'A health check of a container: an action (exec, httpGet, tcpSocket or grpc) and when and how often to run it.',
      {
        exec: s.ref(`${CORE}.ExecAction`, 'Run a command in the container; exit status 0 means healthy.', { proto: 1 }),
        httpGet: s.ref(`${CORE}.HTTPGetAction`, 'Send an HTTP GET request; a status from 200 to 399 means healthy.', { proto: 2 }),
        tcpSocket: s.ref(`${CORE}.TCPSocketAction`, 'Open a TCP connection; success means healthy.', { proto: 3 }),
        grpc: s.ref(`${CORE}.GRPCAction`, 'Call the gRPC health checking service.', { proto: 4 }),
        initialDelaySeconds: s.int32('Seconds after the container starts before probes begin.', { proto: 2, omitEmpty: true }),
        timeoutSeconds: s.int32('Seconds after which a probe attempt times out. Defaults to 1; the minimum is 1.', { proto: 3, omitEmpty: true }),
        periodSeconds: s.int32('Seconds between probes. Defaults to 10; the minimum is 1.', { proto: 4, omitEmpty: true }),
        successThreshold: s.int32(
          'Consecutive successes needed, after a failure, to count as healthy. Defaults to 1, and must be 1 for liveness and startup probes.',
          { proto: 5, omitEmpty: true },
        ),
        failureThreshold: s.int32('Consecutive failures needed, after a success, to count as failed. Defaults to 3; the minimum is 1.', { proto: 6, omitEmpty: true }),
        terminationGracePeriodSeconds: s.int64(
          "Grace period, in seconds, for stopping the container after this probe fails; overrides the pod's terminationGracePeriodSeconds, which applies when unset. Must be at least 1.",
          { proto: 7 },
        ),
      },
      { inlinedProto: { field: 1, properties: ['exec', 'httpGet', 'tcpSocket', 'grpc'] } },
    ),
  },
  {
    name: `${CORE}.ExecAction`,
    schema: s.object(
      'Runs a command inside the container.',
      {
        command: s.array(
          'The command and its arguments, run directly (not in a shell) with / as the working directory. Exit status 0 means success.',
          s.string('', { default: '' }),
          { listType: 'atomic', proto: 1 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.HTTPGetAction`,
    schema: s.object(
      'An HTTP GET request.',
      {
        path: s.string('Path to request on the HTTP server.', { proto: 1, omitEmpty: true }),
        port: s.intOrString('The port to connect to: a number (1-65535) or the name of a container port.', { proto: 2 }),
        host: s.string('Host name to connect to. Defaults to the pod IP; setting a Host header in httpHeaders is usually what you want.', { proto: 3, omitEmpty: true }),
        scheme: s.enum('Scheme to connect with: HTTP or HTTPS. Defaults to HTTP.', ['HTTP', 'HTTPS'], { proto: 4, omitEmpty: true }),
        httpHeaders: s.array(
          'Extra headers to send; a header may be repeated.',
          s.ref(`${CORE}.HTTPHeader`, undefined, { default: {} }),
          { listType: 'atomic', proto: 5 },
        ),
        protocol: s.enum('Wire protocol of the connection: HTTP1 or HTTP2 (cleartext HTTP/2). Unset means HTTP/1.1.', ['HTTP1', 'HTTP2'], { proto: 6 }),
      },
      { required: ['port'] },
    ),
  },
  {
    name: `${CORE}.HTTPHeader`,
    schema: s.object(
      'A header sent with an HTTP probe.',
      {
        name: s.string('The header name; names differing only in case are the same header.', { default: '', proto: 1 }),
        value: s.string('The header value.', { default: '', proto: 2 }),
      },
      { required: ['name', 'value'] },
    ),
  },
  {
    name: `${CORE}.TCPSocketAction`,
    schema: s.object(
      'Opens a TCP connection.',
      {
        port: s.intOrString('The port to connect to: a number (1-65535) or the name of a container port.', { proto: 1 }),
        host: s.string('Host name to connect to. Defaults to the pod IP.', { proto: 2, omitEmpty: true }),
      },
      { required: ['port'] },
    ),
  },
  {
    name: `${CORE}.GRPCAction`,
    schema: s.object(
      'A call to the standard gRPC health checking service.',
      {
        port: s.int32('Port of the gRPC service (1-65535).', { default: 0, proto: 1 }),
        service: s.string(
          'Service name to put in the HealthCheckRequest. When empty, the server reports its overall health.',
          { default: '', proto: 2 },
        ),
        mode: s.enum(
          'How to connect: Plaintext (no TLS) or TLS (without certificate verification). Unset means a plaintext connection.',
          ['Plaintext', 'TLS'],
          { proto: 3 },
        ),
      },
      { required: ['port'] },
    ),
  },
  {
    name: `${CORE}.Lifecycle`,
    schema: s.object(
      'Actions taken on container lifecycle events. While a postStart or preStop hook runs, other management of the container waits for it.',
      {
        postStart: s.ref(
          `${CORE}.LifecycleHandler`,
          'Run right after the container is created. If it fails, the container is killed and restarted according to its restart policy.',
          { proto: 1 },
        ),
        preStop: s.ref(
          `${CORE}.LifecycleHandler`,
          "Run right before the container is stopped by an API request or a management event (a failed probe, preemption, …), but not when it crashes. The pod's termination grace period keeps counting while it runs.",
          { proto: 2 },
        ),
        stopSignal: s.enum(
          "The signal sent to stop the container. When unset, the container runtime's default applies. Only for pods with spec.os.name set.",
          SIGNALS,
          { proto: 3 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.LifecycleHandler`,
    schema: s.object(
      'The action of a lifecycle hook; exactly one field is set (tcpSocket is accepted but not supported).',
      {
        exec: s.ref(`${CORE}.ExecAction`, 'Run a command in the container.', { proto: 1 }),
        httpGet: s.ref(`${CORE}.HTTPGetAction`, 'Send an HTTP GET request.', { proto: 2 }),
        tcpSocket: s.ref(
          `${CORE}.TCPSocketAction`,
          'Deprecated and unsupported: kept for compatibility and not validated; a hook using it fails at run time.',
          { proto: 3 },
        ),
        sleep: s.ref(`${CORE}.SleepAction`, 'Sleep for a while.', { proto: 4 }),
      },
    ),
  },
  {
    name: `${CORE}.SleepAction`,
    schema: s.object(
      'Sleeps for a number of seconds.',
      {
        seconds: s.int64('How many seconds to sleep.', { default: 0, proto: 1 }),
      },
      { required: ['seconds'] },
    ),
  },
  {
    name: `${CORE}.SecurityContext`,
    schema: s.object(
      "Security settings of a container. Where a field also exists in the pod's securityContext, the container's value wins.",
      {
        capabilities: s.ref(
          `${CORE}.Capabilities`,
          "POSIX capabilities to add and drop. Defaults to the runtime's default set. Not for Windows pods.",
          { proto: 1 },
        ),
        privileged: s.boolean(
          'Run the container privileged, with access essentially equal to root on the host. Defaults to false. Not for Windows pods.',
          { proto: 2 },
        ),
        seLinuxOptions: s.ref(
          `${CORE}.SELinuxOptions`,
          'SELinux context of the container. When unset, the runtime assigns a random one. Not for Windows pods.',
          { proto: 3 },
        ),
        windowsOptions: s.ref(
          `${CORE}.WindowsSecurityContextOptions`,
          "Windows-specific settings. When unset, the pod's are used. Not for Linux pods.",
          { proto: 10 },
        ),
        runAsUser: s.int64("UID the container process runs as. Defaults to the image's user. Not for Windows pods.", { proto: 4 }),
        runAsGroup: s.int64("GID the container process runs as. Defaults to the runtime's default. Not for Windows pods.", { proto: 8 }),
        runAsNonRoot: s.boolean('When true, the kubelet refuses to start the container if it would run as UID 0.', { proto: 5 }),
        readOnlyRootFilesystem: s.boolean("Mount the container's root filesystem read-only. Defaults to false. Not for Windows pods.", { proto: 6 }),
        allowPrivilegeEscalation: s.boolean(
          'Whether a process may gain more privileges than its parent (controls the no_new_privs flag). Always true when the container is privileged or has CAP_SYS_ADMIN. Not for Windows pods.',
          { proto: 7 },
        ),
        procMount: s.enum(
          "Which /proc mount to use: Default (the runtime's masked and read-only paths) or Unmasked. Not for Windows pods.",
          ['Default', 'Unmasked'],
          { proto: 9 },
        ),
        seccompProfile: s.ref(`${CORE}.SeccompProfile`, "Seccomp profile of the container, overriding the pod's. Not for Windows pods.", { proto: 11 }),
        appArmorProfile: s.ref(`${CORE}.AppArmorProfile`, "AppArmor profile of the container, overriding the pod's. Not for Windows pods.", { proto: 12 }),
      },
    ),
  },
  {
    name: `${CORE}.Capabilities`,
    schema: s.object(
      'POSIX capabilities to add to and remove from a container.',
      {
        add: s.array('Capabilities to add, e.g. NET_ADMIN.', s.string('', { default: '' }), { listType: 'atomic', proto: 1 }),
        drop: s.array('Capabilities to remove, e.g. ALL.', s.string('', { default: '' }), { listType: 'atomic', proto: 2 }),
      },
    ),
  },
  {
    name: `${CORE}.SELinuxOptions`,
    schema: s.object(
      'SELinux labels to apply to a container.',
      {
        user: s.string('SELinux user label.', { proto: 1, omitEmpty: true }),
        role: s.string('SELinux role label.', { proto: 2, omitEmpty: true }),
        type: s.string('SELinux type label.', { proto: 3, omitEmpty: true }),
        level: s.string('SELinux level label.', { proto: 4, omitEmpty: true }),
      },
    ),
  },
  {
    name: `${CORE}.WindowsSecurityContextOptions`,
    schema: s.object(
      'Windows-specific security settings and credentials.',
      {
        gmsaCredentialSpecName: s.string('Name of the GMSA credential spec to use.', { proto: 1 }),
        gmsaCredentialSpec: s.string(
          'The contents of the GMSA credential spec named by gmsaCredentialSpecName, filled in by the GMSA admission webhook.',
          { proto: 2 },
        ),
        runAsUserName: s.string("Windows user name the container process runs as. Defaults to the image's user.", { proto: 3 }),
        hostProcess: s.boolean(
          'Run the container as a Windows HostProcess container. All containers of a pod must agree, and hostNetwork must then be true.',
          { proto: 4 },
        ),
      },
    ),
  },
  {
    name: `${CORE}.SeccompProfile`,
    schema: s.object(
      'A seccomp profile for a pod or container.',
      {
        type: s.enum(
          "Which profile to apply: Localhost (a file on the node), RuntimeDefault (the runtime's default) or Unconfined (none).",
          ['Localhost', 'RuntimeDefault', 'Unconfined'],
          { default: '', proto: 1 },
        ),
        localhostProfile: s.string(
          "Path of the profile file on the node, relative to the kubelet's seccomp profile directory. Required when type is Localhost and not allowed otherwise.",
          { proto: 2 },
        ),
      },
      { required: ['type'] },
    ),
  },
  {
    name: `${CORE}.AppArmorProfile`,
    schema: s.object(
      'An AppArmor profile for a pod or container.',
      {
        type: s.enum(
          "Which profile to apply: Localhost (a profile loaded on the node), RuntimeDefault (the runtime's default) or Unconfined (none).",
          ['Localhost', 'RuntimeDefault', 'Unconfined'],
          { default: '', proto: 1 },
        ),
        localhostProfile: s.string('Name of the profile loaded on the node. Required when type is Localhost and not allowed otherwise.', { proto: 2 }),
      },
      { required: ['type'] },
    ),
  },
  {
    name: `${CORE}.EphemeralContainer`,
    schema: s.object(
      "A temporary container added to a running pod for user-initiated work such as debugging. It has no resource or scheduling guarantees, is never restarted, and is added through the pod's ephemeralcontainers subresource; most container fields that affect scheduling or lifecycle are not allowed.",
      {
        ...describedAs(CONTAINER_PROPERTIES, EPHEMERAL_DESCRIPTIONS),
        targetContainerName: s.string(
          'Name of a container of the pod whose namespaces (IPC, PID, …) this ephemeral container joins. When unset, it uses the namespaces configured in the pod spec. Needs runtime support; without it the result is undefined.',
          { proto: 2, omitEmpty: true },
        ),
      },
      {
        required: ['name'],
        inlinedProto: {
          field: 1,
          properties: [
            'name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resources',
            'resizePolicy', 'restartPolicy', 'restartPolicyRules', 'volumeMounts', 'volumeDevices',
            'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath',
            'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty',
          ],
        },
      },
    ),
  },
  {
    name: `${CORE}.ContainerStatus`,
    schema: s.object(
      'The observed state of one container.',
      {
        name: s.string('Name of the container, as in the pod spec.', { default: '', proto: 1 }),
        state: s.ref(`${CORE}.ContainerState`, 'The current state of the container.', { default: {}, proto: 2 }),
        lastState: s.ref(
          `${CORE}.ContainerState`,
          'The previous termination of the container, to help debug crashes and restarts. Empty while the container is running and has never restarted.',
          { default: {}, proto: 3 },
        ),
        ready: s.boolean(
          'Whether the container passes its readiness probe; without a readiness probe, true once the container has started.',
          { default: false, proto: 4 },
        ),
        restartCount: s.int32(
          'How many times the container has been restarted. Never negative; may reset to 0 if the node loses its state.',
          { default: 0, proto: 5 },
        ),
        image: s.string("The image the container runs; it may differ from the spec's once the runtime resolved it.", { default: '', proto: 6 }),
        imageID: s.string("ID of the container's image, as resolved by the runtime.", { default: '', proto: 7 }),
        containerID: s.string('ID of the container, as <runtime>://<id> (e.g. containerd://…).', { proto: 8, omitEmpty: true }),
        started: s.boolean(
          'Whether the container has finished its postStart hook and passed its startup probe. False again after a restart. Null means false.',
          { proto: 9 },
        ),
        allocatedResources: s.map(
          'Resources the node allocated to the container: its requests, set when the pod is admitted or a resize is accepted.',
          s.quantity(''),
          { proto: 10 },
        ),
        resources: s.ref(
          `${CORE}.ResourceRequirements`,
          'The requests and limits actually applied to the running container, after start or a successful resize.',
          { proto: 11 },
        ),
        volumeMounts: s.array(
          "Status of the container's volume mounts.",
          s.ref(`${CORE}.VolumeMountStatus`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'], proto: 12 },
        ),
        user: s.ref(`${CORE}.ContainerUser`, "The user identity the container's first process started with.", { proto: 13 }),
        allocatedResourcesStatus: s.array(
          'Health of the resources (devices) allocated to the container.',
          s.ref(`${CORE}.ResourceStatus`, undefined, { default: {} }),
          { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], proto: 14 },
        ),
        stopSignal: s.enum('The signal that is actually used to stop the container.', SIGNALS, { proto: 15 }),
      },
      { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] },
    ),
  },
  {
    name: `${CORE}.ContainerState`,
    schema: s.object(
      'The state of a container: at most one field is set, and none means waiting.',
      {
        waiting: s.ref(`${CORE}.ContainerStateWaiting`, 'Set while the container is waiting to run.', { proto: 1 }),
        running: s.ref(`${CORE}.ContainerStateRunning`, 'Set while the container is running.', { proto: 2 }),
        terminated: s.ref(`${CORE}.ContainerStateTerminated`, 'Set once the container has terminated.', { proto: 3 }),
      },
    ),
  },
  {
    name: `${CORE}.ContainerStateWaiting`,
    schema: s.object(
      'A container that is waiting to run.',
      {
        reason: s.string('A brief reason why the container is not running yet, e.g. ContainerCreating or CrashLoopBackOff.', { proto: 1, omitEmpty: true }),
        message: s.string('A message about why the container is not running yet.', { proto: 2, omitEmpty: true }),
      },
    ),
  },
  {
    name: `${CORE}.ContainerStateRunning`,
    schema: s.object(
      'A running container.',
      {
        startedAt: s.time('When the container was last (re)started.', { proto: 1 }),
      },
    ),
  },
  {
    name: `${CORE}.ContainerStateTerminated`,
    schema: s.object(
      'A terminated container.',
      {
        exitCode: s.int32("Exit status of the container's last run.", { default: 0, proto: 1 }),
        signal: s.int32('Signal that ended the last run, if any.', { proto: 2, omitEmpty: true }),
        reason: s.string('A brief reason for the termination, e.g. Completed, Error or OOMKilled.', { proto: 3, omitEmpty: true }),
        message: s.string('A message about the termination.', { proto: 4, omitEmpty: true }),
        startedAt: s.time('When the last run started.', { proto: 5 }),
        finishedAt: s.time('When the container last terminated.', { proto: 6 }),
        containerID: s.string('ID of the container, as <runtime>://<id>.', { proto: 7, omitEmpty: true }),
      },
      { required: ['exitCode'] },
    ),
  },
  {
    name: `${CORE}.VolumeMountStatus`,
    schema: s.object(
      'The status of one volume mount of a container.',
      {
        name: s.string('Name of the volume mount.', { default: '', proto: 1 }),
        mountPath: s.string('Mount path of the volume mount.', { default: '', proto: 2 }),
        readOnly: s.boolean('Whether the mount is read-only.', { proto: 3, omitEmpty: true }),
        recursiveReadOnly: s.string(
          'Whether the mount is recursively read-only: Disabled or Enabled (IfPossible is resolved to one of them), or unset for read-write mounts.',
          { proto: 4 },
        ),
        volumeStatus: s.ref(`${CORE}.VolumeStatus`, 'Status specific to the type of the mounted volume.', { proto: 5 }),
      },
      { required: ['name', 'mountPath'] },
    ),
  },
  {
    name: `${CORE}.VolumeStatus`,
    schema: s.object(
      'Status of a mounted volume that depends on its type; at most one field is set.',
      {
        image: s.ref(`${CORE}.ImageVolumeStatus`, 'Status of an image volume (an OCI image or artifact mounted from the node).', { proto: 1 }),
      },
    ),
  },
  {
    name: `${CORE}.ImageVolumeStatus`,
    schema: s.object(
      'Status of an image volume.',
      {
        imageRef: s.string('Digest of the image the volume was made from, like the imageID of a container status; at most 256 characters.', { proto: 1, omitEmpty: true }),
      },
      { required: ['imageRef'] },
    ),
  },
  {
    name: `${CORE}.ContainerUser`,
    schema: s.object(
      "The user identity a container's first process started with.",
      {
        linux: s.ref(`${CORE}.LinuxContainerUser`, 'The identity on Linux. The process may change it later if privileged enough.', { proto: 1 }),
      },
    ),
  },
  {
    name: `${CORE}.LinuxContainerUser`,
    schema: s.object(
      'A Linux user identity.',
      {
        uid: s.int64('Primary UID.', { default: 0, proto: 1 }),
        gid: s.int64('Primary GID.', { default: 0, proto: 2 }),
        supplementalGroups: s.array('Supplemental group IDs.', s.int64('', { default: 0 }), { listType: 'atomic', proto: 3 }),
      },
      { required: ['uid', 'gid'] },
    ),
  },
  {
    name: `${CORE}.ResourceStatus`,
    schema: s.object(
      'Health of one resource allocated to a pod or container.',
      {
        name: s.string(
          'Name of the resource: a resource name from the pod spec, or for dynamic resource allocation claim:<claim> or claim:<claim>/<request>. Unique within the pod.',
          { default: '', proto: 1 },
        ),
        resources: s.array(
          'Health of each device backing the resource, by resource ID.',
          s.ref(`${CORE}.ResourceHealth`, undefined, { default: {} }),
          { listType: 'map', listMapKeys: ['resourceID'], proto: 2 },
        ),
      },
      { required: ['name'] },
    ),
  },
  {
    name: `${CORE}.ResourceHealth`,
    schema: s.object(
      'The latest known health of one device.',
      {
        resourceID: s.string('Identifies the device; unique on the node for the lifetime of the pod.', { default: '', proto: 1 }),
        health: s.string('Health of the device: Healthy, Unhealthy or Unknown.', { proto: 2, omitEmpty: true }),
        message: s.string('A human-readable detail about the health (e.g. an error count), when the plugin reports one.', { proto: 6 }),
      },
      { required: ['resourceID'] },
    ),
  },
];
