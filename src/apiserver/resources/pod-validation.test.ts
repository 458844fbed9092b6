import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FieldError, formatFieldError } from '../../api/field-errors.js';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { defaultPod, defaultPodTemplateSpec } from './pod-defaults.js';
import { validatePod, validatePodSpec, validatePodStatusUpdate, validatePodTemplateSpec, validatePodUpdate } from './pod-validation.js';

const printed = (errors: readonly FieldError[]): string[] => errors.map(formatFieldError);

/** A defaulted pod named web (as the store validates it), after `change` edits its spec. */
function pod(change: (spec: JsonObject) => void = () => undefined): JsonObject {
  const spec: JsonObject = { containers: [{ name: 'web', image: 'nginx:1.27' }] };
  change(spec);
  const result: JsonObject = { metadata: { name: 'web', namespace: 'default' }, spec };
  defaultPod(result);
  return result;
}

const errorsOf = (change: (spec: JsonObject) => void): string[] => printed(validatePod(pod(change)));
const container = (spec: JsonObject, index = 0): JsonObject => (spec.containers as JsonObject[])[index] as JsonObject;
const DNS_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

test('a defaulted minimal pod is valid', () => {
  assert.deepEqual(printed(validatePod(pod())), []);
});

test('a pod needs at least one container', () => {
  assert.deepEqual(errorsOf((spec) => (spec.containers = [])), ['spec.containers: Required value']);
});

test('container names are DNS labels and images are required', () => {
  assert.deepEqual(
    errorsOf((spec) => (spec.containers = [{ name: 'Web_1' }])),
    [`spec.containers[0].name: Invalid value: "Web_1": ${DNS_LABEL_MSG}`, 'spec.containers[0].image: Required value'],
  );
});

test('container names are unique across containers and init containers', () => {
  assert.deepEqual(
    errorsOf((spec) => {
      spec.containers = [{ name: 'web', image: 'a:1' }, { name: 'web', image: 'b:1' }];
      spec.initContainers = [{ name: 'web', image: 'c:1' }];
    }),
    ['spec.containers[1].name: Duplicate value: "web"', 'spec.initContainers[0].name: Duplicate value: "web"'],
  );
});

test('ports need a number in range, a known protocol and a unique IANA name', () => {
  assert.deepEqual(
    errorsOf((spec) => {
      container(spec).ports = [
        { name: 'http', containerPort: 0 },
        { name: 'http', containerPort: 70000, protocol: 'HTTP' },
        { name: 'Metrics', containerPort: 9090 },
      ];
    }),
    [
      'spec.containers[0].ports[0].containerPort: Required value',
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
      'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[2].name: Invalid value: "Metrics": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ],
  );
});

test('env var names are printable ASCII without "=", and a value excludes valueFrom', () => {
  assert.deepEqual(
    errorsOf((spec) => {
      container(spec).env = [
        { name: '' },
        { name: 'A=B', value: 'x' },
        { name: 'NODE', value: 'x', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'BAD', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } },
      ];
    }),
    [
      'spec.containers[0].env[0].name: Required value',
      "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
      'spec.containers[0].env[2].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
      'spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Invalid value: "spec.containers": error converting fieldPath: field label not supported: spec.containers',
    ],
  );
});

test('resource requests may not exceed limits', () => {
  assert.deepEqual(
    errorsOf((spec) => (container(spec).resources = { limits: { cpu: '1' }, requests: { cpu: '2', memory: '-1' } })),
    [
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
    ],
  );
});

test('extended resources are whole numbers with requests equal to limits', () => {
  assert.deepEqual(
    errorsOf((spec) => (container(spec).resources = { limits: { 'example.com/gpu': '2' }, requests: { 'example.com/gpu': '1', gpu: '1' } })),
    [
      'spec.containers[0].resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ],
  );
});

test('restartPolicy and dnsPolicy must be known values', () => {
  assert.deepEqual(
    errorsOf((spec) => {
      spec.restartPolicy = 'Sometimes';
      spec.dnsPolicy = 'Custom';
    }),
    [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      'spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
  );
});

test('volumes have unique DNS-label names and exactly one source', () => {
  assert.deepEqual(
    errorsOf((spec) => {
      spec.volumes = [
        { name: 'data', emptyDir: {}, configMap: { name: 'cm' } },
        { name: 'Data', secret: {} },
        { name: 'cfg', configMap: { name: 'cm' } },
        { name: 'cfg', emptyDir: {} },
      ];
    }),
    [
      'spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type',
      'spec.volumes[1].secret.secretName: Required value',
      `spec.volumes[1].name: Invalid value: "Data": ${DNS_LABEL_MSG}`,
      'spec.volumes[3].name: Duplicate value: "cfg"',
    ],
  );
});

test('volume mounts name existing volumes, with unique mount paths and relative subpaths', () => {
  assert.deepEqual(
    errorsOf((spec) => {
      spec.volumes = [{ name: 'cache', emptyDir: {} }];
      container(spec).volumeMounts = [
        { name: 'data', mountPath: '/data' },
        { name: 'cache', mountPath: 'relative/is/fine' },
        { name: 'cache', mountPath: 'relative/is/fine', subPath: '/etc' },
      ];
    }),
    [
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
      'spec.containers[0].volumeMounts[2].mountPath: Invalid value: "relative/is/fine": must be unique',
      'spec.containers[0].volumeMounts.subPath: Invalid value: "/etc": must be a relative path',
    ],
  );
});

test('probes need one handler, and liveness probes a success threshold of 1', () => {
  assert.deepEqual(
    errorsOf((spec) => {
      container(spec).livenessProbe = { successThreshold: 2, exec: { command: ['true'] } };
      container(spec).readinessProbe = { periodSeconds: 5 };
      container(spec).startupProbe = { exec: { command: ['true'] }, httpGet: { port: 'http' } };
    }),
    [
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
      'spec.containers[0].startupProbe.httpGet: Forbidden: may not specify more than 1 handler type',
    ],
  );
});

test('tolerations follow the operator and effect rules', () => {
  assert.deepEqual(
    errorsOf((spec) => {
      spec.tolerations = [
        { operator: 'Equal', value: 'x' },
        { key: 'gpu', operator: 'Exists', value: 'yes' },
        { key: 'gpu', operator: 'Like' },
        { key: 'gpu', effect: 'NoSchedule', tolerationSeconds: 10 },
        { key: 'gpu', effect: 'Sometimes' },
      ];
    }),
    [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      "spec.tolerations[1].operator: Invalid value: \"yes\": value must be empty when `operator` is 'Exists'",
      'spec.tolerations[2].operator: Unsupported value: "Like": supported values: "Equal", "Exists"',
      "spec.tolerations[3].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
      'spec.tolerations[4].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
  );
});

test('nodeSelector entries are labels and affinity terms are well formed', () => {
  const errors = errorsOf((spec) => {
    spec.nodeSelector = { 'disk type': 'ssd' };
    spec.affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } } }] },
    };
  });
  assert.equal(errors.length, 5);
  assert.match(errors[0] ?? '', /^spec\.nodeSelector: Invalid value: "disk type": name part must consist of alphanumeric characters/);
  assert.equal(errors[1], 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term');
  assert.equal(errors[2], 'spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty');
  assert.match(errors[3] ?? '', /topologyKey: Invalid value: "": name part must be non-empty$/);
});

test('terminationGracePeriodSeconds must be set (defaulting sets it)', () => {
  const spec: JsonObject = { containers: [{ name: 'c', image: 'a:1', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' };
  assert.deepEqual(printed(validatePodSpec(spec, 'spec')), ['spec.terminationGracePeriodSeconds: Required value']);
});

test('a pod may not be created with ephemeral containers', () => {
  assert.deepEqual(
    errorsOf((spec) => (spec.ephemeralContainers = [{ name: 'debug', image: 'busybox', targetContainerName: 'web' }])),
    ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
  );
});

test('a template is validated at its path, with its labels under <path>.labels', () => {
  const template: JsonObject = { metadata: { labels: { app: '-web' } }, spec: { containers: [{ name: 'web' }] } };
  defaultPodTemplateSpec(template);
  const errors = printed(validatePodTemplateSpec(template, 'spec.template'));
  assert.equal(errors.length, 2);
  assert.match(errors[0] ?? '', /^spec\.template\.labels: Invalid value: "-web": a valid label must be an empty string/);
  assert.equal(errors[1], 'spec.template.spec.containers[0].image: Required value');
});

test('an update may change images, lower activeDeadlineSeconds and add tolerations', () => {
  const old = pod((spec) => (spec.activeDeadlineSeconds = 600));
  const next = cloneJson(old);
  const spec = next.spec as JsonObject;
  container(spec).image = 'nginx:1.28';
  spec.activeDeadlineSeconds = 300;
  spec.tolerations = [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }];
  assert.deepEqual(printed(validatePodUpdate(next, old)), []);
});

test('an update of any other spec field is forbidden with upstream message', () => {
  const old = pod((spec) => (container(spec).ports = [{ containerPort: 80 }]));
  const next = cloneJson(old);
  (container(next.spec as JsonObject).ports as JsonObject[])[0] = { containerPort: 8080, protocol: 'TCP' };
  const [error, ...rest] = validatePodUpdate(next, old);
  assert.equal(rest.length, 0);
  assert.equal(error?.type, 'FieldValueForbidden');
  assert.equal(error?.field, 'spec');
  assert.equal(
    error?.detail?.split('\n')[0],
    'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  );
  assert.match(error?.detail ?? '', /- spec\.containers\[0\]\.ports\[0\]\.containerPort: 80\n\+ spec\.containers\[0\]\.ports\[0\]\.containerPort: 8080/);
});

test('an update may not add containers, raise the deadline or drop tolerations', () => {
  const old = pod((spec) => {
    spec.activeDeadlineSeconds = 60;
    spec.tolerations = [{ key: 'gpu', operator: 'Exists' }];
  });
  const added = cloneJson(old);
  (added.spec as JsonObject).containers = [...((added.spec as JsonObject).containers as JsonObject[]), { name: 'more', image: 'x:1' }];
  assert.deepEqual(printed(validatePodUpdate(added, old)).slice(-1), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
  const raised = cloneJson(old);
  (raised.spec as JsonObject).activeDeadlineSeconds = 120;
  assert.deepEqual(printed(validatePodUpdate(raised, old)), ['spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value']);
  const dropped = cloneJson(old);
  (dropped.spec as JsonObject).tolerations = [];
  assert.deepEqual(printed(validatePodUpdate(dropped, old)), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
});

test('a negative grace period may be raised to 1, and only to 1', () => {
  const old = pod((spec) => (spec.terminationGracePeriodSeconds = -5));
  const next = cloneJson(old);
  (next.spec as JsonObject).terminationGracePeriodSeconds = 1;
  assert.deepEqual(printed(validatePodUpdate(next, old)), []);
  (next.spec as JsonObject).terminationGracePeriodSeconds = 2;
  assert.equal(validatePodUpdate(next, old)[0]?.field, 'spec');
});

test('a status update keeps the QoS class and terminated containers of a pod that does not restart', () => {
  const old = pod((spec) => (spec.restartPolicy = 'Never'));
  old.status = { phase: 'Running', qosClass: 'BestEffort', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 0 } } }] };
  const next = cloneJson(old);
  next.status = {
    phase: 'Running',
    qosClass: 'Guaranteed',
    conditions: [{ type: 'bad condition', status: 'True' }],
    containerStatuses: [{ name: 'web', state: { running: {} } }],
    podIPs: [{ ip: '10.0.0.300' }],
  };
  const errors = printed(validatePodStatusUpdate(next, old));
  assert.equal(errors.length, 4);
  assert.match(errors[0] ?? '', /^metadata\.conditions\[0\]\.Type: Invalid value: "bad condition": name part must consist/);
  assert.equal(errors[1], 'status.qosClass: Invalid value: "Guaranteed": field is immutable');
  assert.equal(errors[2], 'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state');
  assert.equal(errors[3], 'status.podIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
});
