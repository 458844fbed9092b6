import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { defaultPod, defaultPodSpec, defaultPodTemplateSpec, imagePullPolicyFor } from './pod-defaults.js';

const minimalPod = (): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'nginx', namespace: 'default' },
  spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
});

test('a minimal pod gets exactly the defaults a real API server sets', () => {
  const pod = minimalPod();
  defaultPod(pod);
  assert.deepEqual(pod.spec, {
    containers: [
      {
        name: 'nginx',
        image: 'nginx',
        imagePullPolicy: 'Always',
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  });
});

test('a pod template gets the spec defaults but not the pod-only ones', () => {
  const template: JsonObject = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
  defaultPodTemplateSpec(template);
  assert.deepEqual(template.spec, {
    containers: [
      { name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  });
});

test('a template without a spec gets a defaulted one, as Go fills its struct', () => {
  const template: JsonObject = {};
  defaultPodTemplateSpec(template);
  assert.equal((template.spec as JsonObject).restartPolicy, 'Always');
});

test('imagePullPolicy is Always only for the latest tag or no tag and no digest', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['docker.io/library/nginx', 'Always'],
    ['registry.example.com:5000/team/app', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    [`nginx@sha256:${'a'.repeat(64)}`, 'IfNotPresent'],
    [`nginx:latest@sha256:${'a'.repeat(64)}`, 'Always'],
    ['Nginx', 'IfNotPresent'],
    ['', 'IfNotPresent'],
  ];
  for (const [image, policy] of cases) assert.equal(imagePullPolicyFor(image), policy, image);
});

test('values the client set are kept, zero included', () => {
  const pod: JsonObject = {
    spec: {
      restartPolicy: 'Never',
      dnsPolicy: 'Default',
      terminationGracePeriodSeconds: 0,
      enableServiceLinks: false,
      schedulerName: 'mine',
      containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError' }],
    },
  };
  defaultPod(pod);
  const spec = pod.spec as JsonObject;
  assert.equal(spec.restartPolicy, 'Never');
  assert.equal(spec.dnsPolicy, 'Default');
  assert.equal(spec.terminationGracePeriodSeconds, 0);
  assert.equal(spec.enableServiceLinks, false);
  assert.equal(spec.schedulerName, 'mine');
  const [container] = spec.containers as JsonObject[];
  assert.equal(container?.imagePullPolicy, 'Never');
  assert.equal(container?.terminationMessagePolicy, 'FallbackToLogsOnError');
});

test('ports get protocol TCP and probes get their timings, path and scheme', () => {
  const spec: JsonObject = {
    containers: [
      {
        name: 'c',
        image: 'app:1',
        ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
        livenessProbe: { httpGet: { port: 80 } },
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 0, failureThreshold: 5 },
        startupProbe: { grpc: { port: 9000 } },
        lifecycle: { preStop: { httpGet: { port: 80, path: '/stop' } } },
      },
    ],
  };
  defaultPodSpec(spec);
  const [c] = spec.containers as JsonObject[];
  assert.deepEqual(c?.ports, [
    { containerPort: 80, protocol: 'TCP' },
    { containerPort: 53, protocol: 'UDP' },
  ]);
  assert.deepEqual(c?.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(c?.readinessProbe, { tcpSocket: { port: 80 }, periodSeconds: 10, failureThreshold: 5, timeoutSeconds: 1, successThreshold: 1 });
  assert.deepEqual((c?.startupProbe as JsonObject).grpc, { port: 9000, service: '' });
  assert.deepEqual(c?.lifecycle, { preStop: { httpGet: { port: 80, path: '/stop', scheme: 'HTTP' } } });
});

test('volume sources get their default modes and a sourceless volume becomes an emptyDir', () => {
  const spec: JsonObject = {
    containers: [{ name: 'c', image: 'app:1' }],
    volumes: [
      { name: 'scratch' },
      { name: 'secret', secret: { secretName: 's' } },
      { name: 'config', configMap: { name: 'cm', defaultMode: 0o400 } },
      { name: 'host', hostPath: { path: '/var/log' } },
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
      { name: 'claim', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
    ],
  };
  defaultPodSpec(spec);
  assert.deepEqual(spec.volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'secret', secret: { secretName: 's', defaultMode: 420 } },
    { name: 'config', configMap: { name: 'cm', defaultMode: 0o400 } },
    { name: 'host', hostPath: { path: '/var/log', type: '' } },
    { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels', apiVersion: 'v1' } }], defaultMode: 420 } },
    { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }], defaultMode: 420 } },
    {
      name: 'claim',
      ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' } } },
    },
  ]);
});

test('env fieldRefs get apiVersion v1', () => {
  const spec: JsonObject = { containers: [{ name: 'c', image: 'app:1', env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] }] };
  defaultPodSpec(spec);
  const [c] = spec.containers as JsonObject[];
  assert.deepEqual(c?.env, [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }]);
});

test('a pod copies limits into missing requests; a template does not', () => {
  const resources = (): JsonObject => ({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } });
  const pod: JsonObject = { spec: { containers: [{ name: 'c', image: 'app:1', resources: resources() }] } };
  defaultPod(pod);
  const [c] = (pod.spec as JsonObject).containers as JsonObject[];
  assert.deepEqual(c?.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
  const template: JsonObject = { spec: { containers: [{ name: 'c', image: 'app:1', resources: resources() }] } };
  defaultPodTemplateSpec(template);
  const [t] = (template.spec as JsonObject).containers as JsonObject[];
  assert.deepEqual(t?.resources, resources());
});

test('quantities are rounded up to milli-units and printed canonically, as strings', () => {
  const spec: JsonObject = {
    containers: [{ name: 'c', image: 'app:1', resources: { requests: { cpu: '0.0001', memory: '1Gi' }, limits: { cpu: '0.5', 'ephemeral-storage': 2 } } }],
  };
  defaultPodSpec(spec);
  const [c] = spec.containers as JsonObject[];
  assert.deepEqual(c?.resources, { requests: { cpu: '1m', memory: '1Gi' }, limits: { cpu: '500m', 'ephemeral-storage': '2' } });
});

test('with hostNetwork every container port is also a host port', () => {
  const pod: JsonObject = { spec: { hostNetwork: true, containers: [{ name: 'c', image: 'app:1', ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] }] } };
  defaultPod(pod);
  const [c] = (pod.spec as JsonObject).containers as JsonObject[];
  assert.deepEqual(c?.ports, [
    { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
    { containerPort: 9090, hostPort: 9090, protocol: 'TCP' },
  ]);
});

test('init and ephemeral containers get the container defaults too', () => {
  const spec: JsonObject = {
    containers: [{ name: 'c', image: 'app:1' }],
    initContainers: [{ name: 'init', image: 'busybox:1.36' }],
    ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
  };
  defaultPodSpec(spec);
  const [init] = spec.initContainers as JsonObject[];
  const [debug] = spec.ephemeralContainers as JsonObject[];
  assert.equal(init?.imagePullPolicy, 'IfNotPresent');
  assert.equal(init?.terminationMessagePath, '/dev/termination-log');
  assert.equal(debug?.imagePullPolicy, 'Always');
  assert.equal(debug?.terminationMessagePolicy, 'File');
});
