/**
 * The TypeScript types in src/api/types are generated from the schemas by
 * scripts/generate-api-types.ts. These tests regenerate them in memory and compare with the
 * checked-in files, so a schema change without a regeneration fails here; and they use the types,
 * so a generator change that breaks typed objects — or their assignability to the client's
 * KubeObject — fails to compile.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TYPES_DIR, findRepoRoot, generateApiTypes, isGenerated } from '../scripts/generate-api-types.js';
import { BUILT_IN_KINDS, type BuiltInKindTypes, type appsV1, type coreV1, type metaV1 } from '../src/api/types/index.js';
import type { KubeObject, ObjectMeta as ClientObjectMeta } from '../src/client/object.js';

const STALE = 'the generated API types match the schemas; run node dist/scripts/generate-api-types.js';

test('the generated API types match the schemas', () => {
  const root = findRepoRoot();
  const generated = generateApiTypes();
  for (const [path, text] of generated) {
    const target = join(root, path);
    assert.ok(existsSync(target), `${path} is missing: ${STALE}`);
    assert.equal(readFileSync(target, 'utf8'), text, `${path} differs: ${STALE}`);
  }
  const stale = readdirSync(join(root, TYPES_DIR))
    .map((name) => `${TYPES_DIR}/${name}`)
    .filter((path) => !generated.has(path) && isGenerated(readFileSync(join(root, path), 'utf8')));
  assert.deepEqual(stale, [], `generated files no schema produces any more: ${STALE}`);
});

test('generating the API types twice gives the same text', () => {
  assert.deepEqual([...generateApiTypes()], [...generateApiTypes()]);
});

test('every served kind has a type under its apiVersion/Kind', () => {
  const keys: Record<keyof BuiltInKindTypes, true> = {
    'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': true,
    'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': true,
    'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': true,
    'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': true,
    'apiextensions.k8s.io/v1/CustomResourceDefinition': true,
    'authentication.k8s.io/v1/SelfSubjectReview': true,
    'authorization.k8s.io/v1/SelfSubjectAccessReview': true,
    'authorization.k8s.io/v1/SelfSubjectRulesReview': true,
    'apps/v1/ControllerRevision': true,
    'apps/v1/DaemonSet': true,
    'apps/v1/Deployment': true,
    'apps/v1/ReplicaSet': true,
    'apps/v1/StatefulSet': true,
    'metrics.k8s.io/v1beta1/NodeMetrics': true,
    'metrics.k8s.io/v1beta1/PodMetrics': true,
    'batch/v1/CronJob': true,
    'batch/v1/Job': true,
    'coordination.k8s.io/v1/Lease': true,
    'discovery.k8s.io/v1/EndpointSlice': true,
    'events.k8s.io/v1/Event': true,
    'networking.k8s.io/v1/Ingress': true,
    'networking.k8s.io/v1/IngressClass': true,
    'networking.k8s.io/v1/NetworkPolicy': true,
    'policy/v1/PodDisruptionBudget': true,
    'rbac.authorization.k8s.io/v1/ClusterRole': true,
    'rbac.authorization.k8s.io/v1/ClusterRoleBinding': true,
    'rbac.authorization.k8s.io/v1/Role': true,
    'rbac.authorization.k8s.io/v1/RoleBinding': true,
    'scheduling.k8s.io/v1/PriorityClass': true,
    'storage.k8s.io/v1/StorageClass': true,
    'v1/ConfigMap': true,
    'v1/Endpoints': true,
    'v1/Event': true,
    'v1/Namespace': true,
    'v1/Node': true,
    'v1/PersistentVolume': true,
    'v1/PersistentVolumeClaim': true,
    'v1/Pod': true,
    'v1/Secret': true,
    'v1/Service': true,
    'v1/ServiceAccount': true,
  };
  const served = BUILT_IN_KINDS.map((k) => `${k.group === '' ? k.version : `${k.group}/${k.version}`}/${k.kind}`).sort();
  assert.deepEqual(served, Object.keys(keys).sort());
  const pods = BUILT_IN_KINDS.find((k) => k.group === '' && k.kind === 'Pod');
  assert.deepEqual(pods, {
    group: '',
    version: 'v1',
    kind: 'Pod',
    resource: 'pods',
    namespaced: true,
    shortNames: ['po'],
    subresources: ['attach', 'binding', 'eviction', 'exec', 'log', 'portforward', 'status'],
  });
});

// Compile-time checks: each kind is a KubeObject, and generated ObjectMeta is the client's.
type NotKubeObjects = { [K in keyof BuiltInKindTypes]: BuiltInKindTypes[K] extends KubeObject ? never : K }[keyof BuiltInKindTypes];
const everyKindIsAKubeObject: [NotKubeObjects] extends [never] ? true : false = true;
const metaIsClientMeta: metaV1.ObjectMeta extends ClientObjectMeta ? true : false = true;

test('typed objects compile against the generated types', () => {
  const pod: coreV1.Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      restartPolicy: 'Always',
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 'http' } },
        },
      ],
    },
  };
  const deployment: appsV1.Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    },
  };
  const asKubeObject: KubeObject = pod;
  // @ts-expect-error a container needs a name
  const nameless: coreV1.Container = { image: 'nginx' };
  // @ts-expect-error a Pod's kind is 'Pod'
  const wrongKind: coreV1.Pod = { kind: 'Deployment' };
  // @ts-expect-error restartPolicy is one of Always, OnFailure and Never
  const badPolicy: coreV1.PodSpec = { containers: [], restartPolicy: 'Sometimes' };

  assert.equal(pod.spec?.containers[0]?.name, 'nginx');
  assert.equal(deployment.spec?.template.spec?.containers.length, 1);
  assert.equal(asKubeObject.metadata?.name, 'web');
  assert.deepEqual([nameless.image, wrongKind.kind, badPolicy.restartPolicy], ['nginx', 'Deployment', 'Sometimes']);
  assert.ok(everyKindIsAKubeObject && metaIsClientMeta);
});
