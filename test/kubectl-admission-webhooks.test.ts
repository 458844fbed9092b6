/**
 * Admission webhooks with the real kubectl against `kubelite up` in its own process, and an HTTPS
 * webhook in this one: a webhook's refusal reaches the user of `kubectl apply` with its message, its
 * warnings are printed as kubectl prints every API warning, and a mutating webhook's JSON patch is in
 * what kubectl reads back.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type UpCluster, kubectl, kubectlOk, startKubeliteUp } from './support/cli-process.js';
import { eventually } from './support/eventually.js';
import { makeTestCertificates } from './support/tls.js';

let cluster: UpCluster;
let kubeconfig: string;
let webhook: Server;

before(async () => {
  const certs = makeTestCertificates();
  webhook = createServer({ cert: certs.cert, key: certs.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: { uid: string; object: { data?: Record<string, string> } } };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (req.url?.startsWith('/mutate') === true) {
        // Labels every ConfigMap it sees; the apply sends none, so the path is /metadata/labels.
        const patch = [{ op: 'add', path: '/metadata/labels', value: { 'mutated-by': 'test-webhook' } }];
        const response = { uid: review.request.uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') };
        res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
        return;
      }
      const forbidden = review.request.object.data?.color === 'red';
      const response = forbidden
        ? { uid: review.request.uid, allowed: false, status: { code: 403, message: 'red is not allowed here' } }
        : { uid: review.request.uid, allowed: true, warnings: ['color was checked by the test webhook'] };
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const port = (webhook.address() as AddressInfo).port;
  cluster = await startKubeliteUp('kubelite-webhooks');
  kubeconfig = cluster.kubeconfig;
  const configuration = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: colors
webhooks:
- name: colors.example.com
  clientConfig:
    url: https://127.0.0.1:${port}/validate
    caBundle: ${certs.caBundle}
  rules:
  - operations: ["CREATE", "UPDATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["configmaps"]
  sideEffects: None
  admissionReviewVersions: ["v1"]
`;
  assert.match((await kubectlOk(kubeconfig, ['apply', '-f', '-'], configuration)).stdout, /validatingwebhookconfiguration.admissionregistration.k8s.io\/colors created/);
  const mutating = `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: labeller
webhooks:
- name: labeller.example.com
  clientConfig:
    url: https://127.0.0.1:${port}/mutate
    caBundle: ${certs.caBundle}
  rules:
  - operations: ["CREATE"]
    apiGroups: [""]
    apiVersions: ["v1"]
    resources: ["configmaps"]
  objectSelector:
    matchLabels: {}
  namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: labelled
  sideEffects: None
  admissionReviewVersions: ["v1"]
`;
  assert.match((await kubectlOk(kubeconfig, ['apply', '-f', '-'], mutating)).stdout, /mutatingwebhookconfiguration.admissionregistration.k8s.io\/labeller created/);
});

after(async () => {
  await cluster.stop();
  webhook.closeAllConnections();
  await new Promise<void>((resolve) => webhook.close(() => resolve()));
});

function configMap(name: string, color: string, namespace = 'default'): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  color: ${color}\n`;
}

describe('kubectl with admission webhooks', () => {
  it('lists the configuration with its number of webhooks', async () => {
    assert.match((await kubectlOk(kubeconfig, ['get', 'validatingwebhookconfigurations'])).stdout, /^NAME\s+WEBHOOKS\s+AGE\ncolors\s+1\s+\d+s\n$/);
  });

  it('prints the webhook\'s warning when an apply is allowed', async () => {
    const run = await eventually(async () => {
      const result = await kubectl(kubeconfig, ['apply', '-f', '-'], configMap('blue', 'blue'));
      return result.stderr.includes('Warning') ? result : undefined;
    }, 'the webhook to be called');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Warning: color was checked by the test webhook/);
  });

  it('shows the webhook\'s message when it denies an apply', async () => {
    const run = await kubectl(kubeconfig, ['apply', '-f', '-'], configMap('red', 'red'));
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /admission webhook "colors\.example\.com" denied the request: red is not allowed here/);
    const get = await kubectl(kubeconfig, ['get', 'configmap', 'red']);
    assert.match(get.stderr, /NotFound|not found/);
  });

  it('a mutating webhook’s patch is in the object kubectl reads back, in the namespaces its selector picks', async () => {
    await kubectlOk(kubeconfig, ['create', 'namespace', 'labelled']);
    await eventually(async () => {
      const result = await kubectl(kubeconfig, ['apply', '-f', '-'], configMap('green', 'green', 'labelled'));
      return result.code === 0 ? result : undefined;
    }, 'the apply in the labelled namespace');
    const labels = await eventually(async () => {
      const { stdout } = await kubectlOk(kubeconfig, ['get', 'configmap', 'green', '-n', 'labelled', '-o', 'jsonpath={.metadata.labels}']);
      return stdout.includes('mutated-by') ? stdout : undefined;
    }, 'the label');
    assert.deepEqual(JSON.parse(labels), { 'mutated-by': 'test-webhook' });
    // In the default namespace the selector does not match: nothing is added.
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'configmap', 'blue', '-o', 'jsonpath={.metadata.labels}']);
    assert.equal(stdout, '');
  });
});
