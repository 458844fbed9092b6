import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtInSchemas } from '../schema/definitions/index.js';
import { decodeKubernetesProtobuf, definitionsByKind } from './decode.js';
import {
  bool,
  bytes,
  concat,
  entry,
  envelope,
  intOrString,
  message,
  objectMeta,
  quantity,
  string,
  stringMap,
  time,
  varint,
} from './protobuf-testing.js';

const schemas = builtInSchemas();
const decode = (body: Uint8Array) => decodeKubernetesProtobuf(body, schemas, definitionsByKind(schemas));

/** A Container as Go writes it: every non-pointer scalar present, zero or not. */
function container(field: number, name: string, image: string, ...extra: Uint8Array[]): Uint8Array {
  return message(
    field,
    string(1, name),
    string(2, image),
    string(5, ''),
    ...extra,
    string(13, ''),
    string(14, ''),
    bool(16, false),
    bool(17, false),
    bool(18, false),
    string(20, ''),
  );
}

test('a Deployment decodes replicas, maxSurge "25%", its selector and a pod template with ports, env and resources', () => {
  const labels = { app: 'd' };
  const resources = message(8, entry(1, 'cpu', quantity(2, '500m')), entry(2, 'memory', quantity(2, '128Mi')));
  const port = message(6, string(1, ''), varint(2, 0), varint(3, 80), string(4, 'TCP'), string(5, ''));
  const env = message(7, string(1, 'MODE'), string(2, 'prod'));
  const template = message(3, objectMeta(1, { name: '', labels }), message(2, container(2, 'nginx', 'nginx', port, env, resources)));
  const strategy = message(4, string(1, 'RollingUpdate'), message(2, intOrString(1, 0), intOrString(2, '25%')));
  const spec = message(2, varint(1, 0), message(2, stringMap(1, labels)), template, strategy, varint(5, 0), bool(7, false));
  const raw = concat(objectMeta(1, { name: 'd', labels }), spec, message(3));
  assert.deepEqual(decode(envelope('apps/v1', 'Deployment', raw)), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', labels: { app: 'd' } },
    spec: {
      // A *int32 zero on the wire is kept; minReadySeconds and paused (non-pointer, omitempty) are not.
      replicas: 0,
      selector: { matchLabels: { app: 'd' } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [{ name: 'MODE', value: 'prod' }],
              resources: { limits: { cpu: '500m' }, requests: { memory: '128Mi' } },
            },
          ],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
    },
    status: {},
  });
});

test('a Pod decodes its creation time, an inlined VolumeSource and a Probe handler', () => {
  const created = new Date(Date.UTC(2026, 0, 2, 15, 4, 5));
  const meta = message(1, string(1, 'p'), string(3, 'default'), time(8, created));
  // Volume {name(1), volumeSource(2){configMap(19){localObjectReference(1){name(1)}, defaultMode(3)}}}
  const volume = message(1, string(1, 'config'), message(2, message(19, message(1, string(1, 'settings')), varint(3, 420))));
  // Probe {handler(1){httpGet(2){path(1), port(2), host(3), scheme(4)}}, periodSeconds(4), …}
  const httpGet = message(2, string(1, '/healthz'), intOrString(2, 'http'), string(3, ''), string(4, 'HTTP'));
  const probe = message(10, message(1, httpGet), varint(2, 0), varint(3, 1), varint(4, 10), varint(5, 1), varint(6, 3));
  const mount = message(9, string(1, 'config'), bool(2, true), string(3, '/etc/config'), string(4, ''));
  const spec = message(2, volume, container(2, 'app', 'busybox', mount, probe), string(3, 'Always'), string(6, 'ClusterFirst'), string(10, ''));
  const status = message(3, string(1, 'Pending'), time(7, undefined));
  const pod = decode(envelope('v1', 'Pod', concat(meta, spec, status)));
  assert.deepEqual(pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: '2026-01-02T15:04:05Z' },
    spec: {
      volumes: [{ name: 'config', configMap: { name: 'settings', defaultMode: 420 } }],
      containers: [
        {
          name: 'app',
          image: 'busybox',
          volumeMounts: [{ name: 'config', readOnly: true, mountPath: '/etc/config' }],
          livenessProbe: {
            httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
        },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
    },
    status: { phase: 'Pending' },
  });
});

test('an ephemeral container decodes the EphemeralContainerCommon fields it inlines', () => {
  const common = message(1, string(1, 'debugger'), string(2, 'busybox'), bool(16, true), bool(18, true));
  const ephemeral = message(34, common, string(2, 'app'));
  const pod = decode(envelope('v1', 'Pod', concat(objectMeta(1, { name: 'p' }), message(2, ephemeral))));
  assert.deepEqual(pod.spec, { ephemeralContainers: [{ name: 'debugger', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app' }] });
});

test('a Lease decodes MicroTime with six fractional digits', () => {
  const renew = message(4, varint(1, Date.UTC(2026, 0, 2, 15, 4, 5) / 1000), varint(2, 123_456_789));
  const spec = message(2, string(1, 'node-1'), varint(2, 40), renew, varint(5, 0));
  const lease = decode(envelope('coordination.k8s.io/v1', 'Lease', concat(objectMeta(1, { name: 'l' }), spec)));
  assert.deepEqual(lease.spec, { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-02T15:04:05.123456Z', leaseTransitions: 0 });
});

test('a ControllerRevision decodes its RawExtension data as the JSON it holds', () => {
  const data = message(2, bytes(1, new TextEncoder().encode('{"spec":{"template":{"metadata":{"labels":{"a":"b"}}}}}')));
  const revision = decode(envelope('apps/v1', 'ControllerRevision', concat(objectMeta(1, { name: 'r' }), data, varint(3, 2))));
  assert.deepEqual(revision, {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: 'r' },
    data: { spec: { template: { metadata: { labels: { a: 'b' } } } } },
    revision: 2,
  });
});

test('managedFields decode their FieldsV1 as JSON and their time as RFC 3339', () => {
  const fields = message(7, bytes(1, new TextEncoder().encode('{"f:data":{"f:a":{}}}')));
  const managed = message(17, string(1, 'kubectl'), string(2, 'Update'), string(3, 'v1'), time(4, new Date(Date.UTC(2026, 0, 1))), string(6, 'FieldsV1'), fields, string(8, ''));
  const configMap = decode(envelope('v1', 'ConfigMap', message(1, string(1, 'c'), managed)));
  assert.deepEqual(configMap.metadata, {
    name: 'c',
    managedFields: [
      { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
    ],
  });
});
