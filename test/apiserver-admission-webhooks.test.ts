/**
 * Admission webhooks against a real API server and a real HTTPS webhook in this process (its
 * certificate signed by a test CA that the configurations' caBundle names): refusals, JSON patches,
 * warnings, failure policies, timeouts, selectors, dry run, redirects, subresources and custom
 * resources, and the validation of the configurations themselves.
 */
import assert from 'node:assert/strict';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';
import { makeTestCertificates } from './support/tls.js';
import { type TestWebhookServer, configMap, startWebhookServer } from './support/webhook-server.js';

type Review = { request: Record<string, unknown> & { uid: string; operation: string; object: Record<string, unknown> | null; oldObject: Record<string, unknown> | null } };
type Reply = { allowed: boolean; status?: Record<string, unknown>; patch?: unknown[]; warnings?: string[] };

const REG = '/apis/admissionregistration.k8s.io/v1';
const CM = '/api/v1/namespaces/default/configmaps';

let api: RunningApi;
let webhook: TestWebhookServer;
let base: string;
let caBundle: string;
/** Reviews received, by path. */
const received = new Map<string, Review[]>();
/** What each path answers. */
const handlers = new Map<string, (review: Review, res: ServerResponse) => Reply | undefined>();

function labelsOf(object: Record<string, unknown> | null): Record<string, string> {
  const metadata = (object?.metadata ?? {}) as Record<string, unknown>;
  return (metadata.labels ?? {}) as Record<string, string>;
}

function serveWebhook(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Review;
    received.set(path, [...(received.get(path) ?? []), review]);
    const handler = handlers.get(path);
    const reply = handler?.(review, res);
    if (reply === undefined) return; // the handler answered (or never will)
    const { patch, ...rest } = reply;
    const response = {
      uid: review.request.uid,
      ...rest,
      ...(patch === undefined ? {} : { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') }),
    };
    const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
}

function hook(name: string, path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    clientConfig: { url: `${base}${path}`, caBundle },
    rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

type Kind = 'mutating' | 'validating';
const resourceOf = (kind: Kind): string => (kind === 'mutating' ? 'mutatingwebhookconfigurations' : 'validatingwebhookconfigurations');

/** Creates a configuration and waits until the server's cache (what the dispatcher reads) has it. */
async function configure(kind: Kind, name: string, webhooks: readonly Record<string, unknown>[]): Promise<void> {
  const created = await api.client.post(`${REG}/${resourceOf(kind)}`, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: kind === 'mutating' ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration',
    metadata: { name },
    webhooks,
  });
  assert.equal(created.status, 201, created.text);
  await eventually(async () => {
    const list = (await api.client.get(`${REG}/${resourceOf(kind)}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
    return list.items.some((item) => item.metadata.name === name) ? true : undefined;
  }, `${name} in the cache`);
}

async function unconfigure(kind: Kind, name: string): Promise<void> {
  await api.client.delete(`${REG}/${resourceOf(kind)}/${name}`);
  await eventually(async () => {
    const list = (await api.client.get(`${REG}/${resourceOf(kind)}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
    return list.items.some((item) => item.metadata.name === name) ? undefined : true;
  }, `${name} gone from the cache`);
}


before(async () => {
  webhook = await startWebhookServer(serveWebhook);
  ({ base, caBundle } = webhook);
  handlers.set('/allow', () => ({ allowed: true }));
  handlers.set('/deny-labelled', (review) =>
    labelsOf(review.request.object).deny === 'true'
      ? { allowed: false, status: { code: 403, message: 'configmaps labelled deny=true are not allowed' } }
      : { allowed: true },
  );
  handlers.set('/warn', () => ({ allowed: true, warnings: ['this configmap was checked by a test webhook'] }));
  handlers.set('/add-label', (review) => {
    const labels = labelsOf(review.request.object);
    if (labels.mutated === 'yes') return { allowed: true };
    const hasLabels = Object.keys(labels).length > 0 || ((review.request.object?.metadata ?? {}) as Record<string, unknown>).labels !== undefined;
    return { allowed: true, patch: hasLabels ? [{ op: 'add', path: '/metadata/labels/mutated', value: 'yes' }] : [{ op: 'add', path: '/metadata/labels', value: { mutated: 'yes' } }] };
  });
  handlers.set('/never', () => undefined);
  handlers.set('/redirect', (_review, res) => {
    res.writeHead(302, { Location: `${base}/allow` });
    res.end();
    return undefined;
  });
  handlers.set('/wrong-uid', () => ({ allowed: true, uid: 'not-the-request' } as Reply));
  api = await startApi('memory');
});

after(async () => {
  await api.close();
  await webhook.close();
});

describe('admission webhooks', () => {
  test('a validating webhook refuses a create with 403 and "admission webhook "<name>" denied the request: <message>"', async () => {
    await configure('validating', 'deny', [hook('deny.example.com', '/deny-labelled')]);
    try {
      const denied = await api.client.post(CM, configMap('refused', { deny: 'true' }));
      assert.equal(denied.status, 403, denied.text);
      const status = denied.json as { message: string; code: number; status: string };
      assert.equal(status.message, 'admission webhook "deny.example.com" denied the request: configmaps labelled deny=true are not allowed');
      assert.equal(status.status, 'Failure');
      assert.equal((await api.client.get(`${CM}/refused`)).status, 404);
      const allowed = await api.client.post(CM, configMap('accepted'));
      assert.equal(allowed.status, 201, allowed.text);
      const review = received.get('/deny-labelled')?.at(-1);
      assert.equal(review?.request.operation, 'CREATE');
      assert.deepEqual(review?.request.kind, { group: '', version: 'v1', kind: 'ConfigMap' });
      assert.deepEqual(review?.request.resource, { group: '', version: 'v1', resource: 'configmaps' });
      assert.equal(review?.request.namespace, 'default');
      assert.equal(review?.request.name, 'accepted');
      assert.equal(review?.request.dryRun, false);
      assert.deepEqual(review?.request.options, { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' });
      assert.equal((review?.request.userInfo as { username: string }).username, 'system:admin');
    } finally {
      await unconfigure('validating', 'deny');
    }
  });

  test('a mutating webhook\'s JSON patch is stored, and validating webhooks see the patched object', async () => {
    await configure('mutating', 'label', [hook('label.example.com', '/add-label')]);
    await configure('validating', 'after-mutation', [hook('seen.example.com', '/allow')]);
    try {
      const created = await api.client.post(CM, configMap('mutated'));
      assert.equal(created.status, 201, created.text);
      assert.equal(labelsOf(created.json as Record<string, unknown>).mutated, 'yes');
      const stored = (await api.client.get(`${CM}/mutated`)).json as Record<string, unknown>;
      assert.equal(labelsOf(stored).mutated, 'yes');
      assert.equal(labelsOf(received.get('/allow')?.at(-1)?.request.object ?? null).mutated, 'yes');
    } finally {
      await unconfigure('mutating', 'label');
      await unconfigure('validating', 'after-mutation');
    }
  });

  test('a patch request is sent to webhooks as an UPDATE of the patched object, with the stored one as oldObject', async () => {
    assert.equal((await api.client.post(CM, configMap('patched', { deny: 'false' }))).status, 201);
    await configure('validating', 'deny-update', [hook('deny-update.example.com', '/deny-labelled')]);
    try {
      const denied = await api.client.patch(`${CM}/patched`, { metadata: { labels: { deny: 'true' } } }, 'application/merge-patch+json');
      assert.equal(denied.status, 403, denied.text);
      const review = received.get('/deny-labelled')?.at(-1);
      assert.equal(review?.request.operation, 'UPDATE');
      assert.equal(labelsOf(review?.request.object ?? null).deny, 'true');
      assert.equal(labelsOf(review?.request.oldObject ?? null).deny, 'false');
      assert.deepEqual(review?.request.options, { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1' });
    } finally {
      await unconfigure('validating', 'deny-update');
    }
  });

  test('webhook warnings come back as Warning headers', async () => {
    await configure('validating', 'warn', [hook('warn.example.com', '/warn')]);
    try {
      const created = await api.client.post(CM, configMap('warned'));
      assert.equal(created.status, 201, created.text);
      assert.equal(created.headers.warning, '299 - "this configmap was checked by a test webhook"');
    } finally {
      await unconfigure('validating', 'warn');
    }
  });

  test('a validating webhook that allows a DELETE with a warning: the DELETE response carries it as a Warning header', async () => {
    assert.equal((await api.client.post(CM, configMap('warned-delete'))).status, 201);
    assert.equal((await api.client.post(CM, configMap('warned-collection', { batch: 'warned' }))).status, 201);
    await configure('validating', 'warn-delete', [hook('warn-delete.example.com', '/warn', { rules: [{ operations: ['DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }] })]);
    try {
      const deleted = await api.client.delete(`${CM}/warned-delete`);
      assert.equal(deleted.status, 200, deleted.text);
      assert.equal(deleted.headers.warning, '299 - "this configmap was checked by a test webhook"');
      const review = received.get('/warn')?.at(-1);
      assert.equal(review?.request.operation, 'DELETE');
      const collection = await api.client.delete(`${CM}?labelSelector=batch%3Dwarned`);
      assert.equal(collection.status, 200, collection.text);
      assert.equal(collection.headers.warning, '299 - "this configmap was checked by a test webhook"');
    } finally {
      await unconfigure('validating', 'warn-delete');
    }
  });

  test('an unreachable webhook fails the request with 500 under failurePolicy Fail and is skipped under Ignore', async () => {
    const dead = { clientConfig: { url: 'https://127.0.0.1:1/dead', caBundle } };
    await configure('validating', 'dead-fail', [{ ...hook('dead.example.com', '/x'), ...dead, failurePolicy: 'Fail' }]);
    try {
      const failed = await api.client.post(CM, configMap('dead-fail'));
      assert.equal(failed.status, 500, failed.text);
      const status = failed.json as { message: string; reason: string };
      assert.equal(status.reason, 'InternalError');
      assert.match(status.message, /^Internal error occurred: failed calling webhook "dead\.example\.com": failed to call webhook: Post "https:\/\/127\.0\.0\.1:1\/dead\?timeout=10s": /);
    } finally {
      await unconfigure('validating', 'dead-fail');
    }
    await configure('validating', 'dead-ignore', [{ ...hook('dead.example.com', '/x'), ...dead, failurePolicy: 'Ignore' }]);
    try {
      assert.equal((await api.client.post(CM, configMap('dead-ignore'))).status, 201);
    } finally {
      await unconfigure('validating', 'dead-ignore');
    }
  });

  test('a webhook that does not answer within timeoutSeconds fails the request', async () => {
    await configure('validating', 'slow', [hook('slow.example.com', '/never', { timeoutSeconds: 1 })]);
    try {
      const failed = await api.client.post(CM, configMap('slow'));
      assert.equal(failed.status, 500, failed.text);
      assert.match((failed.json as { message: string }).message, /failed calling webhook "slow\.example\.com": .*timeout=1s.*context deadline exceeded/);
    } finally {
      await unconfigure('validating', 'slow');
    }
  });

  test('a redirect from a webhook is never followed: the call fails', async () => {
    await configure('validating', 'redirect', [hook('redirect.example.com', '/redirect')]);
    try {
      const failed = await api.client.post(CM, configMap('redirected'));
      assert.equal(failed.status, 500, failed.text);
      assert.match((failed.json as { message: string }).message, /failed calling webhook "redirect\.example\.com": .*302/);
      assert.equal(received.get('/allow')?.some((review) => (review.request.name as string | undefined) === 'redirected') ?? false, false);
    } finally {
      await unconfigure('validating', 'redirect');
    }
  });

  test('a webhook whose certificate the caBundle does not sign cannot be called', async () => {
    const other = makeTestCertificates();
    await configure('validating', 'untrusted', [{ ...hook('untrusted.example.com', '/allow'), clientConfig: { url: `${base}/allow`, caBundle: other.caBundle } }]);
    try {
      const failed = await api.client.post(CM, configMap('untrusted'));
      assert.equal(failed.status, 500, failed.text);
      assert.match((failed.json as { message: string }).message, /failed calling webhook "untrusted\.example\.com"/);
    } finally {
      await unconfigure('validating', 'untrusted');
    }
  });

  test('namespaceSelector and objectSelector choose the requests a webhook sees', async () => {
    assert.equal((await api.client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'guarded', labels: { guard: 'on' } } })).status, 201);
    await configure('validating', 'selectors', [
      hook('ns.example.com', '/deny-labelled', { namespaceSelector: { matchLabels: { guard: 'on' } } }),
      hook('obj.example.com', '/deny-labelled', { objectSelector: { matchExpressions: [{ key: 'checked', operator: 'Exists' }] } }),
    ]);
    try {
      const inGuarded = await api.client.post('/api/v1/namespaces/guarded/configmaps', configMap('x', { deny: 'true' }));
      assert.equal(inGuarded.status, 403, inGuarded.text);
      assert.match((inGuarded.json as { message: string }).message, /"ns\.example\.com" denied/);
      assert.equal((await api.client.post(CM, configMap('unguarded', { deny: 'true' }))).status, 201);
      const checked = await api.client.post(CM, configMap('checked', { deny: 'true', checked: 'yes' }));
      assert.equal(checked.status, 403, checked.text);
      assert.match((checked.json as { message: string }).message, /"obj\.example\.com" denied/);
    } finally {
      await unconfigure('validating', 'selectors');
    }
  });

  test('a dry-run request reaches webhooks with dryRun true and stores nothing', async () => {
    await configure('validating', 'dry', [hook('dry.example.com', '/allow', { sideEffects: 'NoneOnDryRun' })]);
    try {
      const dry = await api.client.post(`${CM}?dryRun=All`, configMap('dry'));
      assert.equal(dry.status, 201, dry.text);
      const review = received.get('/allow')?.at(-1);
      assert.equal(review?.request.dryRun, true);
      assert.deepEqual(review?.request.options, { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', dryRun: ['All'] });
      assert.equal((await api.client.get(`${CM}/dry`)).status, 404);
    } finally {
      await unconfigure('validating', 'dry');
    }
  });

  test('DELETE is sent with the stored object as oldObject, and a refusal keeps the object', async () => {
    assert.equal((await api.client.post(CM, configMap('kept', { deny: 'true' }))).status, 201);
    const rule = { operations: ['DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] };
    handlers.set('/deny-delete', (review) =>
      labelsOf(review.request.oldObject).deny === 'true' ? { allowed: false, status: { message: 'kept on purpose' } } : { allowed: true },
    );
    await configure('validating', 'deny-delete', [hook('deny-delete.example.com', '/deny-delete', { rules: [rule] })]);
    try {
      const refused = await api.client.delete(`${CM}/kept`);
      assert.equal(refused.status, 403, refused.text);
      assert.equal((refused.json as { message: string }).message, 'admission webhook "deny-delete.example.com" denied the request: kept on purpose');
      const review = received.get('/deny-delete')?.at(-1);
      assert.equal(review?.request.operation, 'DELETE');
      assert.equal(review?.request.object, null);
      assert.equal((review?.request.options as { kind: string }).kind, 'DeleteOptions');
      assert.equal((await api.client.get(`${CM}/kept`)).status, 200);
    } finally {
      await unconfigure('validating', 'deny-delete');
    }
  });

  test('subresources match "<resource>/<sub>" rules: a scale write is reviewed as an autoscaling/v1 Scale', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    };
    assert.equal((await api.client.post('/apis/apps/v1/namespaces/default/deployments', deployment)).status, 201);
    const rule = { operations: ['UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments/scale'] };
    handlers.set('/cap-replicas', (review) => {
      const spec = ((review.request.object ?? {}).spec ?? {}) as { replicas?: number };
      return (spec.replicas ?? 0) > 5 ? { allowed: false, status: { message: 'at most 5 replicas' } } : { allowed: true };
    });
    await configure('validating', 'scale', [hook('scale.example.com', '/cap-replicas', { rules: [rule] })]);
    try {
      const refused = await api.client.patch('/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 9 } }, 'application/merge-patch+json');
      assert.equal(refused.status, 403, refused.text);
      const review = received.get('/cap-replicas')?.at(-1);
      assert.deepEqual(review?.request.kind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
      assert.deepEqual(review?.request.resource, { group: 'apps', version: 'v1', resource: 'deployments' });
      assert.equal(review?.request.subResource, 'scale');
      const scaled = await api.client.patch('/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 3 } }, 'application/merge-patch+json');
      assert.equal(scaled.status, 200, scaled.text);
      // A main-resource write does not match a subresource rule.
      const count = received.get('/cap-replicas')?.length ?? 0;
      assert.equal((await api.client.patch('/apis/apps/v1/namespaces/default/deployments/web', { metadata: { labels: { x: 'y' } } }, 'application/merge-patch+json')).status, 200);
      assert.equal(received.get('/cap-replicas')?.length ?? 0, count);
    } finally {
      await unconfigure('validating', 'scale');
    }
  });

  test('custom resources are matched by their group and plural', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    assert.equal((await api.client.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    const rule = { operations: ['CREATE'], apiGroups: ['example.com'], apiVersions: ['*'], resources: ['widgets'], scope: 'Namespaced' };
    await configure('validating', 'widgets', [hook('widgets.example.com', '/deny-labelled', { rules: [rule] })]);
    try {
      const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', labels: { deny: 'true' } } };
      const refused = await eventually(async () => {
        const response = await api.client.post('/apis/example.com/v1/namespaces/default/widgets', widget);
        return response.status === 404 ? undefined : response;
      }, 'widgets served');
      assert.equal(refused.status, 403, refused.text);
      assert.deepEqual(received.get('/deny-labelled')?.at(-1)?.request.kind, { group: 'example.com', version: 'v1', kind: 'Widget' });
    } finally {
      await unconfigure('validating', 'widgets');
    }
  });

  test('webhook configurations themselves are never sent to webhooks', async () => {
    const everything = { operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] };
    await configure('validating', 'deny-all', [{ ...hook('deny-all.example.com', '/x'), clientConfig: { url: 'https://127.0.0.1:1/dead', caBundle }, rules: [everything] }]);
    try {
      assert.equal((await api.client.post(CM, configMap('blocked'))).status, 500);
    } finally {
      // Removing the broken webhook works, since its own configuration is exempt.
      await unconfigure('validating', 'deny-all');
    }
    assert.equal((await api.client.post(CM, configMap('unblocked'))).status, 201);
  });

  test('a response for another request (wrong uid) is a failure to call the webhook', async () => {
    await configure('validating', 'wrong-uid', [hook('uid.example.com', '/wrong-uid')]);
    try {
      const failed = await api.client.post(CM, configMap('wrong-uid'));
      assert.equal(failed.status, 500, failed.text);
      assert.match((failed.json as { message: string }).message, /failed calling webhook "uid\.example\.com": received invalid webhook response: expected response\.uid=/);
    } finally {
      await unconfigure('validating', 'wrong-uid');
    }
  });
});

describe('webhook configurations', () => {
  test('are defaulted as upstream: failurePolicy Fail, matchPolicy Equivalent, selectors {}, timeout 10, reinvocation Never, scope *', async () => {
    const created = await api.client.post(`${REG}/mutatingwebhookconfigurations`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'defaults' },
      webhooks: [hook('defaults.example.com', '/allow', { rules: [{ operations: ['CREATE'], apiGroups: ['x.example.com'], apiVersions: ['v1'], resources: ['things'] }] })],
    });
    assert.equal(created.status, 201, created.text);
    const [webhookObject] = (created.json as { webhooks: Record<string, unknown>[] }).webhooks;
    assert.equal(webhookObject?.failurePolicy, 'Fail');
    assert.equal(webhookObject?.matchPolicy, 'Equivalent');
    assert.deepEqual(webhookObject?.namespaceSelector, {});
    assert.deepEqual(webhookObject?.objectSelector, {});
    assert.equal(webhookObject?.timeoutSeconds, 10);
    assert.equal(webhookObject?.reinvocationPolicy, 'Never');
    assert.equal((webhookObject?.rules as { scope: string }[])[0]?.scope, '*');
    const table = await api.client.get(`${REG}/mutatingwebhookconfigurations`, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    const columns = (table.json as { columnDefinitions: { name: string }[] }).columnDefinitions.map((column) => column.name);
    assert.deepEqual(columns, ['Name', 'Webhooks', 'Age']);
    await api.client.delete(`${REG}/mutatingwebhookconfigurations/defaults`);
  });

  test('are validated as upstream: https URL, sideEffects, admissionReviewVersions, timeout, unique names, rule wildcards', async () => {
    const invalid = await api.client.post(`${REG}/validatingwebhookconfigurations`, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'invalid' },
      webhooks: [
        {
          name: 'a.example.com',
          clientConfig: { url: 'http://127.0.0.1/x' },
          rules: [{ operations: ['*', 'CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['*/*', 'pods'] }],
          sideEffects: 'Some',
          admissionReviewVersions: ['v1beta1'],
          timeoutSeconds: 31,
        },
        { name: 'a.example.com', clientConfig: {}, sideEffects: 'None', admissionReviewVersions: ['v1'] },
      ],
    });
    assert.equal(invalid.status, 422, invalid.text);
    const causes = (invalid.json as { details: { causes: { field: string; message: string }[] } }).details.causes;
    const byField = new Map(causes.map((cause) => [cause.field, cause.message]));
    assert.match(byField.get('webhooks[0].clientConfig.url') ?? '', /'https' is the only allowed URL scheme/);
    assert.match(byField.get('webhooks[0].sideEffects') ?? '', /Unsupported value: "Some": supported values: "None", "NoneOnDryRun"/);
    assert.match(byField.get('webhooks[0].admissionReviewVersions') ?? '', /must include at least one of v1/);
    assert.match(byField.get('webhooks[0].timeoutSeconds') ?? '', /the timeout value must be between 1 and 30 seconds/);
    assert.match(byField.get('webhooks[0].rules[0].operations') ?? '', /if '\*' is present, must not specify other operations/);
    assert.match(byField.get('webhooks[0].rules[0].resources') ?? '', /if '\*\/\*' is present, must not specify other resources/);
    assert.match(byField.get('webhooks[1].name') ?? '', /Duplicate value: "a.example.com"/);
    assert.match(byField.get('webhooks[1].clientConfig') ?? '', /exactly one of url or service is required/);
  });
});
