/**
 * Admission webhooks that answer oddly, against a real API server and a real HTTPS webhook: a
 * refusal code no HTTP response can carry, warnings outside Latin-1 or by the thousand, malformed
 * Status details, and patches that change an object's kind or try to change a deleted object. The
 * server must answer each as upstream does, and keep serving.
 */
import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';
import { type TestWebhookServer, configMap, startWebhookServer } from './support/webhook-server.js';

const REG = '/apis/admissionregistration.k8s.io/v1';
const CM = '/api/v1/namespaces/default/configmaps';

let api: RunningApi;
let webhook: TestWebhookServer;
let base: string;
let caBundle: string;
/** What each path answers: the AdmissionReview response fields besides uid. */
const answers = new Map<string, Record<string, unknown>>();

function serveWebhook(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: { uid: string } };
    const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, ...(answers.get(path) ?? { allowed: true }) } });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
}

const patch = (ops: unknown[]): Record<string, unknown> => ({ allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') });

type Kind = 'mutating' | 'validating';
const resourceOf = (kind: Kind): string => (kind === 'mutating' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations');

/** Configures one webhook at `path` for configmaps and waits until the server's cache has it. */
async function configure(kind: Kind, path: string, operations: readonly string[] = ['CREATE', 'UPDATE']): Promise<string> {
  const name = `${path.slice(1)}.example.com`;
  const created = await api.client.post(`${REG}/${resourceOf(kind)}`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: kind === 'mutating' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration',
    metadata: { name: path.slice(1) },
    webhooks: [
      {
        name,
        clientConfig: { url: `${base}${path}`, caBundle },
        rules: [{ operations, apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  });
  assert.equal(created.status, 201, created.text);
  await eventually(async () => {
    const list = (await api.client.get(`${REG}/${resourceOf(kind)}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
    return list.items.some((item) => item.metadata.name === path.slice(1)) ? true : undefined;
  }, `${name} in the cache`);
  return name;
}

async function unconfigure(kind: Kind, path: string): Promise<void> {
  await api.client.delete(`${REG}/${resourceOf(kind)}/${path.slice(1)}`);
  await eventually(async () => {
    const list = (await api.client.get(`${REG}/${resourceOf(kind)}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
    return list.items.some((item) => item.metadata.name === path.slice(1)) ? undefined : true;
  }, `${path} gone from the cache`);
}


/** The Warning header values as the UTF-8 text the server sent. */
function warningsOf(headers: Record<string, string | string[] | undefined>): string {
  const value = headers.warning;
  const joined = Array.isArray(value) ? value.join(', ') : (value ?? '');
  return Buffer.from(joined, 'latin1').toString('utf8');
}

before(async () => {
  webhook = await startWebhookServer(serveWebhook);
  ({ base, caBundle } = webhook);
  api = await startApi('memory');
});

after(async () => {
  await api.close();
  await webhook.close();
});

describe('webhook answers the server must survive', () => {
  test('a refusal with code 1000 is answered 403, and the server keeps serving', async () => {
    answers.set('/deny-1000', { allowed: false, status: { code: 1000, message: 'odd code' } });
    await configure('validating', '/deny-1000');
    try {
      const denied = await api.client.post(CM, configMap('odd-code'));
      assert.equal(denied.status, 403, denied.text);
      assert.equal((denied.json as { message: string }).message, 'admission webhook "deny-1000.example.com" denied the request: odd code');
    } finally {
      await unconfigure('validating', '/deny-1000');
    }
    assert.equal((await api.client.post(CM, configMap('after-odd-code'))).status, 201);
  });

  test('warnings outside Latin-1 come back as UTF-8 Warning headers on a write that is stored', async () => {
    answers.set('/warn-utf8', { allowed: true, warnings: ['costs 5 €', 'checked ✓', 'checked ✓'] });
    await configure('validating', '/warn-utf8');
    try {
      const created = await api.client.post(CM, configMap('euro'));
      assert.equal(created.status, 201, created.text);
      assert.equal(warningsOf(created.headers), '299 - "costs 5 €", 299 - "checked ✓"');
    } finally {
      await unconfigure('validating', '/warn-utf8');
    }
  });

  test('2,000 warnings of 1 kB are truncated to a few kilobytes, and the write succeeds', async () => {
    answers.set('/warn-flood', { allowed: true, warnings: Array.from({ length: 2000 }, (_, i) => `${i} ${'w'.repeat(1000)}`) });
    await configure('validating', '/warn-flood');
    try {
      const created = await api.client.post(CM, configMap('flooded'));
      assert.equal(created.status, 201, created.text);
      const warnings = warningsOf(created.headers);
      assert.ok(warnings.length < 8 * 1024, `${warnings.length} bytes of warnings`);
      assert.match(warnings, /^299 - "0 w{254}", 299 - "1 w{254}"/);
    } finally {
      await unconfigure('validating', '/warn-flood');
    }
  });

  test('a refusal whose Status details are malformed fails the call with 500', async () => {
    answers.set('/bad-details', { allowed: false, status: { message: 'no', details: { name: 5, causes: 'x' } } });
    await configure('validating', '/bad-details');
    try {
      const failed = await api.client.post(CM, configMap('bad-details'));
      assert.equal(failed.status, 500, failed.text);
      assert.match((failed.json as { message: string }).message, /failed calling webhook "bad-details\.example\.com": failed to call webhook: json: cannot unmarshal number into Go struct field StatusDetails/);
    } finally {
      await unconfigure('validating', '/bad-details');
    }
  });

  test('a mutating patch that changes a ConfigMap into a Secret is a 500, and nothing is stored', async () => {
    answers.set('/to-secret', patch([{ op: 'replace', path: '/kind', value: 'Secret' }]));
    await configure('mutating', '/to-secret');
    try {
      const failed = await api.client.post(CM, configMap('not-a-secret'));
      assert.equal(failed.status, 500, failed.text);
      assert.match((failed.json as { message: string }).message, /admission webhook "to-secret\.example\.com" attempted to change the object's apiVersion\/kind/);
      assert.equal((await api.client.get(`${CM}/not-a-secret`)).status, 404);
      assert.equal((await api.client.get('/api/v1/namespaces/default/secrets/not-a-secret')).status, 404);
    } finally {
      await unconfigure('mutating', '/to-secret');
    }
  });

  test('a mutating patch on a DELETE is a 500 "attempted to modify the object", and the object stays', async () => {
    assert.equal((await api.client.post(CM, configMap('kept'))).status, 201);
    answers.set('/patch-delete', patch([{ op: 'add', path: '/metadata/labels', value: { x: 'y' } }]));
    await configure('mutating', '/patch-delete', ['DELETE']);
    try {
      const failed = await api.client.delete(`${CM}/kept`);
      assert.equal(failed.status, 500, failed.text);
      assert.equal(
        (failed.json as { message: string }).message,
        'Internal error occurred: admission webhook "patch-delete.example.com" attempted to modify the object, which is not supported for this operation',
      );
      assert.equal((await api.client.get(`${CM}/kept`)).status, 200);
    } finally {
      await unconfigure('mutating', '/patch-delete');
    }
  });
});

describe('the API server\'s request handler', () => {
  test('a failure while sending an error response drops the connection instead of escaping', async () => {
    // A front server hands each request to the API server with a response that refuses to be written.
    const front = createHttpServer((req, res) => {
      res.writeHead = (): never => {
        throw new RangeError('Invalid status code: 1000');
      };
      api.server.handle(req, res);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const port = (front.address() as AddressInfo).port;
      const outcome = await new Promise<string>((resolve) => {
        httpRequest({ host: '127.0.0.1', port, path: '/version' }, (res) => resolve(`answered ${res.statusCode ?? 0}`))
          .on('error', (error) => resolve(`dropped: ${error.message}`))
          .end();
      });
      assert.match(outcome, /^dropped: /);
      assert.equal((await api.client.get('/version')).status, 200);
    } finally {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });
});
