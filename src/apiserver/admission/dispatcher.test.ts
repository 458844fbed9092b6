import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import type { AdmissionAttributes } from './attributes.js';
import { createAttributes } from './attributes-testing.js';
import { WebhookDispatcher, type WebhookSource } from './dispatcher.js';
import { rejection, verifyResponse } from './review.js';
import { resourceMatches, ruleMatches } from './rules.js';
import { type WebhookTransport, httpsTransportFor } from './webhook-client.js';

function attrs(overrides: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return createAttributes(overrides);
}

function config(name: string, hooks: JsonObject[]): JsonObject {
  return { metadata: { name }, webhooks: hooks };
}

function hook(name: string, extra: JsonObject = {}): JsonObject {
  return {
    name,
    clientConfig: { url: `https://hooks.test/${name}` },
    rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

function source(mutating: JsonObject[], validating: JsonObject[] = []): WebhookSource {
  return { hasAny: () => true, mutating: () => mutating, validating: () => validating, namespaceLabels: () => Promise.resolve({}) };
}

/** A transport answering with `reply(name, request)` and recording the names called, in order. */
function transport(calls: string[], reply: (name: string, request: JsonObject) => JsonObject): WebhookTransport {
  return (clientConfig, review) => {
    const name = (clientConfig.url ?? '').split('/').at(-1) ?? '';
    calls.push(name);
    const request = (JSON.parse(review) as { request: JsonObject }).request;
    return Promise.resolve({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: request.uid, ...reply(name, request) } });
  };
}

const patch = (ops: unknown[]): JsonObject => ({ allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') });

describe('rule matching', () => {
  test('"*" matches main resources only, "pods/*" matches pods and its subresources, "*/status" any status', () => {
    assert.equal(resourceMatches(['*'], 'pods', ''), true);
    assert.equal(resourceMatches(['*'], 'pods', 'status'), false);
    assert.equal(resourceMatches(['pods/*'], 'pods', 'status'), true);
    assert.equal(resourceMatches(['pods/*'], 'pods', ''), true);
    assert.equal(resourceMatches(['*/status'], 'deployments', 'status'), true);
    assert.equal(resourceMatches(['*/status'], 'deployments', 'scale'), false);
    assert.equal(resourceMatches(['*/*'], 'deployments', 'scale'), true);
    assert.equal(resourceMatches(['pods'], 'pods', 'status'), false);
  });

  test('scope Cluster matches cluster-scoped objects and namespaces; Namespaced the rest', () => {
    const rule = { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['*'], scope: 'Cluster' };
    assert.equal(ruleMatches(rule, attrs({ namespace: '' , resource: 'nodes' })), true);
    assert.equal(ruleMatches(rule, attrs({ namespace: 'ns1', resource: 'namespaces' })), true);
    assert.equal(ruleMatches(rule, attrs()), false);
    assert.equal(ruleMatches({ ...rule, scope: 'Namespaced' }, attrs()), true);
    assert.equal(ruleMatches({ ...rule, scope: 'Namespaced' }, attrs({ namespace: 'ns1', resource: 'namespaces' })), false);
    assert.equal(ruleMatches({ ...rule, operations: ['UPDATE'] }, attrs()), false);
  });
});

describe('admission reviews', () => {
  test('a refusal keeps the webhook\'s code when it is 400 or more and defaults to 403', () => {
    assert.equal(rejection('a.example.com', { message: 'no' }).code, 403);
    assert.equal(rejection('a.example.com', { code: 200, message: 'no' }).code, 403);
    assert.equal(rejection('a.example.com', { code: 422, message: 'no' }).code, 422);
    assert.equal(rejection('a.example.com', {}).message, 'admission webhook "a.example.com" denied the request without explanation');
    assert.equal(rejection('a.example.com', { message: 'no' }).toStatus().reason, undefined);
  });

  test('a validating webhook may not return a patch', () => {
    const body = { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u', ...patch([]) } };
    assert.throws(() => verifyResponse('u', false, body), /validating webhooks may not return patches/);
    assert.equal(verifyResponse('u', true, body).allowed, true);
  });
});

describe('the webhook dispatcher', () => {
  test('mutating webhooks run in order, each seeing the previous one\'s patch', async () => {
    const calls: string[] = [];
    const seen: string[] = [];
    const dispatcher = new WebhookDispatcher({
      source: source([config('a', [hook('first'), hook('second')])]),
      transport: transport(calls, (name, request) => {
        seen.push(JSON.stringify(((request.object as JsonObject).metadata as JsonObject).labels));
        return patch([{ op: 'add', path: `/metadata/labels/${name}`, value: 'yes' }]);
      }),
    });
    const outcome = await dispatcher.admit(attrs());
    assert.deepEqual(calls, ['first', 'second']);
    assert.deepEqual(seen, ['{}', '{"first":"yes"}']);
    assert.deepEqual((outcome.object?.metadata as JsonObject).labels, { first: 'yes', second: 'yes' });
  });

  test('an IfNeeded webhook runs again once when a later webhook changed the object', async () => {
    const calls: string[] = [];
    const dispatcher = new WebhookDispatcher({
      source: source([config('a', [hook('again', { reinvocationPolicy: 'IfNeeded' }), hook('changer'), hook('once')])]),
      transport: transport(calls, (name) => (name === 'changer' ? patch([{ op: 'add', path: '/metadata/labels/x', value: '1' }]) : { allowed: true })),
    });
    await dispatcher.admit(attrs());
    assert.deepEqual(calls, ['again', 'changer', 'once', 'again']);
  });

  test('no webhook is reinvoked when nothing changed after it', async () => {
    const calls: string[] = [];
    const dispatcher = new WebhookDispatcher({
      source: source([config('a', [hook('changer'), hook('after', { reinvocationPolicy: 'IfNeeded' })])]),
      transport: transport(calls, (name) => (name === 'changer' ? patch([{ op: 'add', path: '/metadata/labels/x', value: '1' }]) : { allowed: true })),
    });
    await dispatcher.admit(attrs());
    assert.deepEqual(calls, ['changer', 'after']);
  });

  test('a dry-run request is refused with 400 by a webhook whose sideEffects are not None or NoneOnDryRun', async () => {
    const dispatcher = new WebhookDispatcher({ source: source([], [config('v', [hook('effects', { sideEffects: 'Some' })])]), transport: transport([], () => ({ allowed: true })) });
    await assert.rejects(dispatcher.validate(attrs({ dryRun: true })), (error: Error & { code?: number }) => {
      assert.equal(error.message, 'admission webhook "effects" does not support dry run');
      assert.equal(error.code, 400);
      return true;
    });
    await dispatcher.validate(attrs());
  });

  test('validating webhooks are all called and the first refusal in order wins; warnings of all are kept', async () => {
    const calls: string[] = [];
    const dispatcher = new WebhookDispatcher({
      source: source([], [config('v', [hook('ok', {}), hook('no1'), hook('no2')])]),
      transport: transport(calls, (name) =>
        name === 'ok' ? { allowed: true, warnings: ['careful'] } : { allowed: false, status: { message: name } },
      ),
    });
    await assert.rejects(dispatcher.validate(attrs()), /admission webhook "no1" denied the request: no1/);
    assert.deepEqual([...calls].sort(), ['no1', 'no2', 'ok']);
  });

  test('matchConditions without a CEL evaluator fail the webhook, under its failurePolicy', async () => {
    const conditions = { matchConditions: [{ name: 'c', expression: 'true' }] };
    const failing = new WebhookDispatcher({ source: source([], [config('v', [hook('cel', conditions)])]), transport: transport([], () => ({ allowed: true })) });
    await assert.rejects(failing.validate(attrs()), /failed calling webhook "cel": matchConditions cannot be evaluated \(no CEL evaluator is configured\)/);
    const calls: string[] = [];
    const ignoring = new WebhookDispatcher({
      source: source([], [config('v', [hook('cel', { ...conditions, failurePolicy: 'Ignore' })])]),
      transport: transport(calls, () => ({ allowed: true })),
    });
    await ignoring.validate(attrs());
    assert.deepEqual(calls, []);
  });

  test('a service webhook whose Service cannot be resolved fails, named by its service URL, under its failurePolicy', async () => {
    const service = { clientConfig: { service: { namespace: 'ns', name: 'hook', path: '/check' } } };
    const resolveService = (): { error: string } => ({ error: 'no endpoints available for service "hook"' });
    const failing = new WebhookDispatcher({ source: source([], [config('v', [hook('svc', service)])]), transport: httpsTransportFor({ resolveService }) });
    await assert.rejects(
      failing.validate(attrs()),
      /failed calling webhook "svc": failed to call webhook: Post "https:\/\/hook\.ns\.svc:443\/check\?timeout=10s": no endpoints available for service "hook"$/,
    );
    const ignoring = new WebhookDispatcher({ source: source([], [config('v', [hook('svc', { ...service, failurePolicy: 'Ignore' })])]), transport: httpsTransportFor({ resolveService }) });
    assert.deepEqual(await ignoring.validate(attrs()), []);
  });

  test('without a service resolver, a service webhook fails at call time with a clear reason', async () => {
    const dispatcher = new WebhookDispatcher({ source: source([], [config('v', [hook('svc', { clientConfig: { service: { namespace: 'ns', name: 'hook' } } })])]) });
    await assert.rejects(dispatcher.validate(attrs()), /failed calling webhook "svc": failed to call webhook: Post "https:\/\/hook\.ns\.svc:443\/\?timeout=10s": no service resolver/);
  });

  test('the webhook configurations are exempt from webhooks', async () => {
    const calls: string[] = [];
    const dispatcher = new WebhookDispatcher({ source: source([], [config('v', [hook('all', { rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'] }] })])]), transport: transport(calls, () => ({ allowed: false })) });
    await dispatcher.validate(attrs({ group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations', namespace: '' }));
    assert.deepEqual(calls, []);
  });
});
