/**
 * matchPolicy Equivalent against a real API server: a CRD serving v1 (storage) and v2 over one
 * storage, and webhooks and ValidatingAdmissionPolicies whose rules name only v1. Under Equivalent
 * (the default) they see writes through v2 in v1 — kind, resource and the object's apiVersion — with
 * requestKind/requestResource of the request; under Exact they do not see them at all. After
 * k8s.io/apiserver pkg/admission/plugin/webhook/generic/webhook.go (ShouldCallHook) and
 * pkg/admission/plugin/policy/matching/matching.go.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';
import { type TestWebhookServer, startWebhookServer } from './support/webhook-server.js';

type Review = { request: Record<string, unknown> & { uid: string; object: Record<string, unknown> | null } };

const REG = '/apis/admissionregistration.k8s.io/v1';
const V1 = '/apis/equiv.example.com/v1/namespaces/default/things';
const V2 = '/apis/equiv.example.com/v2/namespaces/default/things';

let api: RunningApi;
let webhook: TestWebhookServer;
/** Reviews received, by path. */
const received = new Map<string, Review[]>();

function serveWebhook(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Review;
    received.set(path, [...(received.get(path) ?? []), review]);
    // /label answers with a patch that adds a label; every path allows.
    const patch = path === '/label' ? [{ op: 'add', path: '/metadata/labels', value: { seen: String(review.request.object?.apiVersion ?? '') .replace('/', '_') } }] : undefined;
    const response = { uid: review.request.uid, allowed: true, ...(patch === undefined ? {} : { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') }) };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
  });
}

const v1Rule = { operations: ['CREATE'], apiGroups: ['equiv.example.com'], apiVersions: ['v1'], resources: ['things'] };

function thing(apiVersion: string, name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion, kind: 'Thing', metadata: { name }, spec };
}

async function inCache(path: string, name: string, present: boolean): Promise<void> {
  await eventually(async () => {
    const list = (await api.client.get(`${path}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
    return list.items.some((item) => item.metadata.name === name) === present ? true : undefined;
  }, `${name} ${present ? 'in' : 'gone from'} the cache`);
}

/** Creates a webhook configuration, runs `body`, then removes it. */
async function withWebhook(type: 'mutating' | 'validating', path: string, matchPolicy: string, body: () => Promise<void>): Promise<void> {
  const resource = `${type}webhookconfigurations`;
  const name = `${type}-${path.slice(1)}-${matchPolicy.toLowerCase()}`;
  const created = await api.client.post(`${REG}/${resource}`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: type === 'mutating' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks: [
      {
        name: `${name}.example.com`,
        clientConfig: { url: `${webhook.base}${path}`, caBundle: webhook.caBundle },
        rules: [v1Rule],
        matchPolicy,
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
      },
    ],
  });
  assert.equal(created.status, 201, created.text);
  await inCache(`${REG}/${resource}`, name, true);
  try {
    await body();
  } finally {
    await api.client.delete(`${REG}/${resource}/${name}`);
    await inCache(`${REG}/${resource}`, name, false);
  }
}

/** Creates a policy naming only v1 and its Deny binding, runs `body`, then removes both. */
async function withPolicy(matchPolicy: string, body: () => Promise<void>): Promise<void> {
  const name = `equiv-${matchPolicy.toLowerCase()}.example.com`;
  const policy = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name },
    spec: {
      matchConstraints: { resourceRules: [v1Rule], matchPolicy },
      validations: [
        {
          expression: "object.spec.size != 'XL'",
          messageExpression: "'seen as ' + object.apiVersion + ' ' + request.kind.version + ' requested as ' + request.requestKind.version + ' ' + request.requestResource.version",
        },
      ],
    },
  };
  const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `b-${name}` }, spec: { policyName: name, validationActions: ['Deny'] } };
  assert.equal((await api.client.post(`${REG}/validatingadmissionpolicies`, policy)).status, 201);
  assert.equal((await api.client.post(`${REG}/validatingadmissionpolicybindings`, binding)).status, 201);
  await inCache(`${REG}/validatingadmissionpolicies`, name, true);
  await inCache(`${REG}/validatingadmissionpolicybindings`, `b-${name}`, true);
  try {
    await body();
  } finally {
    await api.client.delete(`${REG}/validatingadmissionpolicybindings/b-${name}`);
    await api.client.delete(`${REG}/validatingadmissionpolicies/${name}`);
    await inCache(`${REG}/validatingadmissionpolicybindings`, `b-${name}`, false);
  }
}

before(async () => {
  webhook = await startWebhookServer(serveWebhook);
  api = await startApi('memory');
  const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'things.equiv.example.com' },
    spec: {
      group: 'equiv.example.com',
      names: { plural: 'things', singular: 'thing', kind: 'Thing', listKind: 'ThingList' },
      scope: 'Namespaced',
      versions: [
        { name: 'v1', served: true, storage: true, schema },
        { name: 'v2', served: true, storage: false, schema },
      ],
    },
  };
  const created = await api.client.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  assert.equal(created.status, 201, created.text);
  await eventually(async () => ((await api.client.get(V2)).status === 200 && (await api.client.get(V1)).status === 200 ? true : undefined), 'both versions served');
});

after(async () => {
  await api.close();
  await webhook.close();
});

describe('matchPolicy Equivalent for webhooks', () => {
  test('a validating webhook for v1 is called for a create through v2 with kind/resource v1, requestKind/requestResource v2 and a v1 object', async () => {
    await withWebhook('validating', '/validate', 'Equivalent', async () => {
      const created = await api.client.post(V2, thing('equiv.example.com/v2', 'via-v2'));
      assert.equal(created.status, 201, created.text);
      const review = received.get('/validate')?.at(-1);
      assert.ok(review !== undefined, 'the webhook was called');
      assert.deepEqual(review.request.kind, { group: 'equiv.example.com', version: 'v1', kind: 'Thing' });
      assert.deepEqual(review.request.resource, { group: 'equiv.example.com', version: 'v1', resource: 'things' });
      assert.deepEqual(review.request.requestKind, { group: 'equiv.example.com', version: 'v2', kind: 'Thing' });
      assert.deepEqual(review.request.requestResource, { group: 'equiv.example.com', version: 'v2', resource: 'things' });
      assert.equal(review.request.object?.apiVersion, 'equiv.example.com/v1');
      // The stored object is still the request's: read back through v2, it is a v2 object.
      assert.equal(((await api.client.get(`${V2}/via-v2`)).json as { apiVersion: string }).apiVersion, 'equiv.example.com/v2');
    });
  });

  test('a validating webhook for v1 sees a create through v1 with equal kind and requestKind', async () => {
    await withWebhook('validating', '/own', 'Equivalent', async () => {
      assert.equal((await api.client.post(V1, thing('equiv.example.com/v1', 'via-v1'))).status, 201);
      const review = received.get('/own')?.at(-1);
      assert.deepEqual(review?.request.requestKind, { group: 'equiv.example.com', version: 'v1', kind: 'Thing' });
      assert.deepEqual(review?.request.kind, review?.request.requestKind);
    });
  });

  test('a webhook for v1 with matchPolicy Exact is not called for a create through v2', async () => {
    await withWebhook('validating', '/exact', 'Exact', async () => {
      assert.equal((await api.client.post(V2, thing('equiv.example.com/v2', 'exact-v2'))).status, 201);
      assert.equal(received.get('/exact')?.length ?? 0, 0);
      // It is called for v1, so its silence above is the rule's doing.
      assert.equal((await api.client.post(V1, thing('equiv.example.com/v1', 'exact-v1'))).status, 201);
      assert.equal(received.get('/exact')?.length ?? 0, 1);
    });
  });

  test("a mutating webhook's patch to the v1 object is kept and the object is stored as the v2 request's", async () => {
    await withWebhook('mutating', '/label', 'Equivalent', async () => {
      const created = await api.client.post(V2, thing('equiv.example.com/v2', 'mutated'));
      assert.equal(created.status, 201, created.text);
      const object = created.json as { apiVersion: string; metadata: { labels?: Record<string, string> } };
      assert.equal(object.apiVersion, 'equiv.example.com/v2');
      assert.deepEqual(object.metadata.labels, { seen: 'equiv.example.com_v1' });
    });
  });
});

describe('matchPolicy Equivalent for ValidatingAdmissionPolicies', () => {
  test('a policy for v1 denies a create through v2, seeing the object and kind in v1', async () => {
    await withPolicy('Equivalent', async () => {
      const refused = await api.client.post(V2, thing('equiv.example.com/v2', 'xl', { size: 'XL' }));
      assert.equal(refused.status, 422, refused.text);
      assert.match((refused.json as { message: string }).message, /denied request: seen as equiv\.example\.com\/v1 v1 requested as v2 v2$/);
      assert.equal((await api.client.get(`${V2}/xl`)).status, 404);
      assert.equal((await api.client.post(V2, thing('equiv.example.com/v2', 'small', { size: 'S' }))).status, 201);
    });
  });

  test('a policy for v1 with matchPolicy Exact does not see a create through v2', async () => {
    await withPolicy('Exact', async () => {
      assert.equal((await api.client.post(V2, thing('equiv.example.com/v2', 'xl-exact', { size: 'XL' }))).status, 201);
      assert.equal((await api.client.post(V1, thing('equiv.example.com/v1', 'xl-exact-v1', { size: 'XL' }))).status, 422);
    });
  });
});
