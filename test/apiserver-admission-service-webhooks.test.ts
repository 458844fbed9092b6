/**
 * Admission webhooks named by clientConfig.service, against a real API server and a real HTTPS
 * webhook on this machine: the way one develops a webhook against a cluster from a laptop — a
 * Service without a selector and an Endpoints object (or EndpointSlice) pointing at the local
 * process. Endpoints may not name a loopback address (upstream's ValidateNonSpecialIP), so the
 * webhook listens on an address of one of the machine's other interfaces. The
 * server routes to a ready endpoint (kube-apiserver's --enable-aggregator-routing) and checks the
 * certificate against `<service>.<namespace>.svc`; resolution failures go through failurePolicy with
 * upstream's words.
 */
import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';
import { type TestWebhookServer, configMap, startWebhookServer } from './support/webhook-server.js';

interface Review {
  readonly request: { readonly uid: string; readonly name?: string; readonly object: { metadata?: { labels?: Record<string, string> } } | null };
}

/** What the webhook received: the path, the Host header and the review. */
interface Received {
  readonly path: string;
  readonly host: string | undefined;
  readonly review: Review;
}

const REG = '/apis/admissionregistration.k8s.io/v1';
const CM = '/api/v1/namespaces/default/configmaps';
/** Services whose DNS names the webhook's certificate carries. */
const TRUSTED = ['admission', 'sliced', 'empty'];

/**
 * An address of this machine that Endpoints accept: IPv4, neither loopback nor link-local. Without
 * one (a machine with loopback only) the suite is skipped: nothing else would route to the webhook.
 */
const hostIp = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal && !address.address.startsWith('169.254.'))?.address;

let api: RunningApi;
let webhook: TestWebhookServer;
let port: number;
let caBundle: string;
const received: Received[] = [];

function serveWebhook(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Review;
    received.push({ path, host: req.headers.host, review });
    const labels = review.request.object?.metadata?.labels ?? {};
    const response =
      path === '/deny-labelled' && labels.deny === 'true'
        ? { uid: review.request.uid, allowed: false, status: { code: 403, message: 'configmaps labelled deny=true are not allowed' } }
        : path === '/add-label' && labels.mutated !== 'yes'
          ? { uid: review.request.uid, allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify([{ op: 'add', path: '/metadata/labels', value: { ...labels, mutated: 'yes' } }])).toString('base64') }
          : { uid: review.request.uid, allowed: true };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
  });
}

async function created(path: string, object: Record<string, unknown>): Promise<void> {
  const response = await api.client.post(path, object);
  assert.equal(response.status, 201, response.text);
}

/** Waits until a list served from the watch cache (resourceVersion=0) shows the object. */
async function cached(collection: string, name: string): Promise<void> {
  await eventually(async () => {
    const list = (await api.client.get(`${collection}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
    return list.items.some((item) => item.metadata.name === name) ? true : undefined;
  }, `${name} in the cache of ${collection}`);
}

/** A Service without a selector: nothing but its Endpoints (or slices) says where it is. */
async function selectorlessService(name: string): Promise<void> {
  await created('/api/v1/namespaces/default/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { ports: [{ name: 'https', port: 443, targetPort: 9443 }] },
  });
  await cached('/api/v1/namespaces/default/services', name);
}

async function localEndpoints(name: string): Promise<void> {
  await created('/api/v1/namespaces/default/endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name },
    subsets: [{ addresses: [{ ip: hostIp ?? '' }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  });
  await cached('/api/v1/namespaces/default/endpoints', name);
}

function serviceHook(name: string, service: string, path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    clientConfig: { service: { namespace: 'default', name: service, path }, caBundle },
    rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

type Kind = 'mutating' | 'validating';
const resourceOf = (kind: Kind): string => (kind === 'mutating' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations');

/** Runs `body` with one configuration in the server's cache, and removes it afterwards. */
async function withConfiguration(kind: Kind, hook: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
  const name = String(hook.name);
  await created(`${REG}/${resourceOf(kind)}`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: kind === 'mutating' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks: [hook],
  });
  await cached(`${REG}/${resourceOf(kind)}`, name);
  try {
    await body();
  } finally {
    await api.client.delete(`${REG}/${resourceOf(kind)}/${name}`);
    await eventually(async () => {
      const list = (await api.client.get(`${REG}/${resourceOf(kind)}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
      return list.items.some((item) => item.metadata.name === name) ? undefined : true;
    }, `${name} gone from the cache`);
  }
}


function messageOf(response: { json: unknown }): string {
  return (response.json as { message: string }).message;
}

before(async () => {
  if (hostIp === undefined) return;
  webhook = await startWebhookServer(serveWebhook, { host: hostIp, dnsNames: TRUSTED.map((name) => `${name}.default.svc`) });
  ({ port, caBundle } = webhook);
  api = await startApi('memory');
  await selectorlessService('admission');
  await localEndpoints('admission');
});

after(async () => {
  if (hostIp === undefined) return;
  await api.close();
  await webhook.close();
});

const skip = hostIp === undefined ? 'this machine has no non-loopback IPv4 address for Endpoints to point at' : false;

describe('admission webhooks reached through clientConfig.service', { skip }, () => {
  test('a validating webhook behind a selector-less Service and Endpoints at this machine\'s address refuses and allows', async () => {
    await withConfiguration('validating', serviceHook('svc-deny.example.com', 'admission', '/deny-labelled'), async () => {
      const denied = await api.client.post(CM, configMap('svc-refused', { deny: 'true' }));
      assert.equal(denied.status, 403, denied.text);
      assert.equal(messageOf(denied), 'admission webhook "svc-deny.example.com" denied the request: configmaps labelled deny=true are not allowed');
      const allowed = await api.client.post(CM, configMap('svc-accepted'));
      assert.equal(allowed.status, 201, allowed.text);
      const last = received.at(-1);
      assert.equal(last?.path, '/deny-labelled');
      assert.equal(last?.review.request.name, 'svc-accepted');
      assert.equal(last?.host, 'admission.default.svc:443');
    });
  });

  test('a mutating webhook behind a Service patches the object that is stored', async () => {
    await withConfiguration('mutating', serviceHook('svc-label.example.com', 'admission', '/add-label'), async () => {
      const response = await api.client.post(CM, configMap('svc-mutated'));
      assert.equal(response.status, 201, response.text);
      const stored = (await api.client.get(`${CM}/svc-mutated`)).json as { metadata: { labels?: Record<string, string> } };
      assert.equal(stored.metadata.labels?.mutated, 'yes');
    });
  });

  test('a Service whose EndpointSlice points at this machine is reached too', async () => {
    await selectorlessService('sliced');
    await created('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'sliced-local', labels: { 'kubernetes.io/service-name': 'sliced' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [hostIp ?? ''], conditions: { ready: true } }],
      ports: [{ name: 'https', port, protocol: 'TCP' }],
    });
    await cached('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', 'sliced-local');
    await withConfiguration('validating', serviceHook('svc-sliced.example.com', 'sliced', '/deny-labelled'), async () => {
      const denied = await api.client.post(CM, configMap('sliced-refused', { deny: 'true' }));
      assert.equal(denied.status, 403, denied.text);
      assert.equal(received.at(-1)?.host, 'sliced.default.svc:443');
    });
  });

  test('a Service without endpoints fails the request under failurePolicy Fail, in upstream\'s words, and is skipped under Ignore', async () => {
    await selectorlessService('empty');
    await withConfiguration('validating', serviceHook('svc-empty.example.com', 'empty', '/deny-labelled', { failurePolicy: 'Fail' }), async () => {
      const failed = await api.client.post(CM, configMap('empty-fail'));
      assert.equal(failed.status, 500, failed.text);
      assert.equal(
        messageOf(failed),
        'Internal error occurred: failed calling webhook "svc-empty.example.com": failed to call webhook: Post "https://empty.default.svc:443/deny-labelled?timeout=10s": no endpoints available for service "empty"',
      );
    });
    await withConfiguration('validating', serviceHook('svc-empty.example.com', 'empty', '/deny-labelled', { failurePolicy: 'Ignore' }), async () => {
      const allowed = await api.client.post(CM, configMap('empty-ignore', { deny: 'true' }));
      assert.equal(allowed.status, 201, allowed.text);
    });
  });

  test('a Service that does not exist, or lacks the webhook\'s port, fails the call with the reason', async () => {
    await withConfiguration('validating', serviceHook('svc-missing.example.com', 'missing', '/deny-labelled'), async () => {
      const failed = await api.client.post(CM, configMap('missing-service'));
      assert.equal(failed.status, 500, failed.text);
      assert.match(messageOf(failed), /failed calling webhook "svc-missing\.example\.com": failed to call webhook: Post "https:\/\/missing\.default\.svc:443\/deny-labelled\?timeout=10s": service "missing" not found$/);
    });
    const otherPort = { ...serviceHook('svc-port.example.com', 'admission', '/deny-labelled'), clientConfig: { service: { namespace: 'default', name: 'admission', path: '/deny-labelled', port: 8443 }, caBundle } };
    await withConfiguration('validating', otherPort, async () => {
      const failed = await api.client.post(CM, configMap('missing-port'));
      assert.equal(failed.status, 500, failed.text);
      assert.match(messageOf(failed), /Post "https:\/\/admission\.default\.svc:8443\/deny-labelled\?timeout=10s": no service port 8443 found for service "admission"$/);
    });
  });

  test('a webhook whose certificate is not valid for <service>.<namespace>.svc is refused, though the caBundle signs it', async () => {
    await selectorlessService('impostor');
    await localEndpoints('impostor');
    const before = received.length;
    await withConfiguration('validating', serviceHook('svc-impostor.example.com', 'impostor', '/deny-labelled'), async () => {
      const failed = await api.client.post(CM, configMap('impostor'));
      assert.equal(failed.status, 500, failed.text);
      assert.match(messageOf(failed), /failed calling webhook "svc-impostor\.example\.com": failed to call webhook: Post "https:\/\/impostor\.default\.svc:443\/deny-labelled\?timeout=10s": .*impostor\.default\.svc/);
    });
    assert.equal(received.length, before, 'the webhook never received the review');
  });
});
