/**
 * Webhooks' CEL matchConditions against a real API server and a real HTTPS webhook in this process:
 * a webhook is called only when all its conditions are true; a condition that cannot be evaluated
 * fails the request under failurePolicy Fail and skips the webhook under Ignore; conditions that do
 * not compile (or use the undeclared `authorizer`) are refused when the configuration is written.
 */
import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';
import { type TestWebhookServer, configMap, startWebhookServer } from './support/webhook-server.js';

const CONFIGS = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const CM = '/api/v1/namespaces/default/configmaps';

let api: RunningApi;
let webhook: TestWebhookServer;
let base: string;
let caBundle: string;
/** Names of the ConfigMaps the webhook was asked about. */
const reviewed: string[] = [];

/** Refuses every ConfigMap it is asked about, so being called is visible as a 403. */
function serveWebhook(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: { uid: string; name?: string } };
    reviewed.push(review.request.name ?? '');
    const response = { uid: review.request.uid, allowed: false, status: { code: 403, message: 'called' } };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
  });
}

function configuration(name: string, matchConditions: readonly Record<string, string>[], failurePolicy = 'Fail'): Record<string, unknown> {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks: [
      {
        name: `${name}.example.com`,
        clientConfig: { url: `${base}/validate`, caBundle },
        rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        failurePolicy,
        matchConditions,
      },
    ],
  };
}

async function withConfiguration(config: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
  const name = (config.metadata as { name: string }).name;
  const created = await api.client.post(CONFIGS, config);
  assert.equal(created.status, 201, created.text);
  const present = async (want: boolean): Promise<void> => {
    await eventually(async () => {
      const list = (await api.client.get(`${CONFIGS}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
      return list.items.some((item) => item.metadata.name === name) === want ? true : undefined;
    }, `${name} ${want ? 'in' : 'gone from'} the cache`);
  };
  await present(true);
  try {
    await body();
  } finally {
    await api.client.delete(`${CONFIGS}/${name}`);
    await present(false);
  }
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

describe('webhook matchConditions', () => {
  test('a webhook is called only when all its conditions are true', async () => {
    const conditions = [
      { name: 'labelled', expression: "has(object.metadata.labels) && has(object.metadata.labels.check) && object.metadata.labels.check == 'yes'" },
      { name: 'not-dry-run', expression: '!request.dryRun' },
      { name: 'create', expression: "request.operation == 'CREATE' && request.resource.resource == 'configmaps'" },
    ];
    await withConfiguration(configuration('conditions', conditions), async () => {
      const unchecked = await api.client.post(CM, configMap('unchecked'));
      assert.equal(unchecked.status, 201, unchecked.text);
      const dryRun = await api.client.post(`${CM}?dryRun=All`, configMap('checked-dry', { check: 'yes' }));
      assert.equal(dryRun.status, 201, dryRun.text);
      const checked = await api.client.post(CM, configMap('checked', { check: 'yes' }));
      assert.equal(checked.status, 403, checked.text);
      assert.equal((checked.json as { message: string }).message, 'admission webhook "conditions.example.com" denied the request: called');
      assert.deepEqual(reviewed.filter((name) => name.startsWith('checked') || name === 'unchecked'), ['checked']);
    });
  });

  test('a condition that fails to evaluate refuses the request under failurePolicy Fail and skips the webhook under Ignore', async () => {
    const erring = [{ name: 'erring', expression: 'object.data.missing == "x"' }];
    await withConfiguration(configuration('erring-fail', erring), async () => {
      const refused = await api.client.post(CM, configMap('erring-fail'));
      assert.equal(refused.status, 500, refused.text);
      assert.equal(
        (refused.json as { message: string }).message,
        `Internal error occurred: failed calling webhook "erring-fail.example.com": failed to evaluate match conditions: expression 'object.data.missing == "x"' resulted in error: no such key: missing`,
      );
    });
    await withConfiguration(configuration('erring-ignore', erring, 'Ignore'), async () => {
      const created = await api.client.post(CM, configMap('erring-ignore'));
      assert.equal(created.status, 201, created.text);
      assert.ok(!reviewed.includes('erring-ignore'));
    });
  });

  test('a false condition wins over a condition that fails to evaluate', async () => {
    const conditions = [
      { name: 'erring', expression: 'object.data.missing == "x"' },
      { name: 'never', expression: 'false' },
    ];
    await withConfiguration(configuration('false-wins', conditions), async () => {
      assert.equal((await api.client.post(CM, configMap('false-wins'))).status, 201);
    });
  });

  test('conditions that do not compile, or that use authorizer, are refused with 422 naming the expression', async () => {
    const refused = await api.client.post(
      CONFIGS,
      configuration('bad-conditions', [
        { name: 'syntax', expression: 'object.metadata.name ==' },
        { name: 'not-bool', expression: 'object.metadata.name' },
        { name: 'authz', expression: "authorizer.group('').resource('pods').check('get').allowed()" },
      ]),
    );
    assert.equal(refused.status, 422, refused.text);
    const causes = (refused.json as { details: { causes: { field: string; message: string }[] } }).details.causes;
    const byField = new Map(causes.map((c) => [c.field, c.message]));
    assert.match(byField.get('webhooks[0].matchConditions[0].expression') ?? '', /compilation failed: ERROR: <input>:1:/);
    assert.match(byField.get('webhooks[0].matchConditions[1].expression') ?? '', /must evaluate to bool/);
    assert.match(byField.get('webhooks[0].matchConditions[2].expression') ?? '', /undeclared reference to 'authorizer'/);
  });
});
