/**
 * @module
 * Tests of how the dispatcher treats what webhooks answer (review.ts, review-decode.ts,
 * dispatcher.ts): refusal codes an HTTP response can carry, strictly decoded Status details,
 * patches on DELETE and patches that change the object's apiVersion/kind.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import { type AdmissionAttributes, writeOptions } from './attributes.js';
import { createAttributes } from './attributes-testing.js';
import { WebhookDispatcher, type WebhookSource } from './dispatcher.js';
import { rejection, verifyResponse } from './review.js';
import type { WebhookTransport } from './webhook-client.js';

const CONFIG_MAP: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } };

function attrs(overrides: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return createAttributes({ object: CONFIG_MAP, ...overrides });
}

const HOOK = {
  name: 'hook.example.com',
  clientConfig: { url: 'https://hooks.test/x' },
  rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }],
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
};

function dispatcher(kind: 'mutating' | 'validating', response: JsonObject, hook: JsonObject = {}): WebhookDispatcher {
  const config = [{ metadata: { name: 'c' }, webhooks: [{ ...HOOK, ...hook }] }];
  const source: WebhookSource = {
    hasAny: () => true,
    mutating: () => (kind === 'mutating' ? config : []),
    validating: () => (kind === 'validating' ? config : []),
    namespaceLabels: () => Promise.resolve({}),
  };
  const transport: WebhookTransport = (_config, review) => {
    const uid = (JSON.parse(review) as { request: { uid: string } }).request.uid;
    return Promise.resolve({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, ...response } });
  };
  return new WebhookDispatcher({ source, transport });
}

const patch = (ops: unknown[]): JsonObject => ({ allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') });

function statusError(code: number, pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof StatusError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('webhook refusals', () => {
  test('a refusal code outside 400–599 becomes 403, so the response can be written', () => {
    for (const code of [1000, 600, 99, 200, 399, 450.5, -1]) assert.equal(rejection('a', { code, message: 'no' }).code, 403, `code ${code}`);
    for (const code of [400, 422, 429, 500, 599]) assert.equal(rejection('a', { code, message: 'no' }).code, code);
  });

  test('a refusal carries the webhook\'s details when they have Status details\' shape', () => {
    const body = {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u', allowed: false, status: { code: 422, message: 'bad', details: { name: 'c', kind: 'configmaps', causes: [{ field: 'data.a', message: 'no' }], extra: 1 } } },
    };
    const verdict = verifyResponse('u', false, body);
    assert.equal(verdict.allowed, false);
    if (verdict.allowed) return;
    assert.deepEqual(rejection('a', verdict.status).toStatus().details, { name: 'c', kind: 'configmaps', causes: [{ field: 'data.a', message: 'no' }] });
  });

  test('Status details of the wrong shape fail the call, as a response that does not decode', async () => {
    const malformed: JsonObject[] = [
      { name: 5 },
      { causes: 'x' },
      { causes: [{ message: 1 }] },
      { causes: [7] },
      { retryAfterSeconds: 'soon' },
    ];
    for (const details of malformed) {
      await assert.rejects(
        dispatcher('validating', { allowed: false, status: { message: 'no', details } }).validate(attrs()),
        statusError(500, /^Internal error occurred: failed calling webhook "hook\.example\.com": failed to call webhook: json: cannot unmarshal /),
        JSON.stringify(details),
      );
    }
    await assert.rejects(
      dispatcher('validating', { allowed: false, status: { message: 'no', details: { name: 5 } } }).validate(attrs()),
      /json: cannot unmarshal number into Go struct field StatusDetails\.response\.status\.details\.name of type string/,
    );
    // Under failurePolicy Ignore, the malformed answer is skipped like any failed call.
    assert.deepEqual(await dispatcher('validating', { allowed: false, status: { details: { name: 5 } } }, { failurePolicy: 'Ignore' }).validate(attrs()), []);
  });

  test('warnings that are not strings fail the call', async () => {
    await assert.rejects(dispatcher('validating', { allowed: true, warnings: ['ok', 3] }).validate(attrs()), /failed calling webhook "hook\.example\.com": failed to call webhook: json: cannot unmarshal number/);
  });
});

describe('mutating webhook patches', () => {
  test('a non-empty patch on a DELETE is a 500: the webhook attempted to modify the object', async () => {
    const deleting = attrs({ operation: 'DELETE', object: undefined, oldObject: CONFIG_MAP, options: writeOptions('DELETE', false) });
    await assert.rejects(
      dispatcher('mutating', patch([{ op: 'add', path: '/metadata/labels', value: {} }])).admit(deleting),
      statusError(500, /^Internal error occurred: admission webhook "hook\.example\.com" attempted to modify the object, which is not supported for this operation$/),
    );
    const empty = await dispatcher('mutating', patch([])).admit(deleting);
    assert.equal(empty.object, undefined);
  });

  test('a patch that changes the object\'s kind or apiVersion is a 500, and nothing is admitted', async () => {
    for (const op of [
      { op: 'replace', path: '/kind', value: 'Secret' },
      { op: 'replace', path: '/apiVersion', value: 'v2' },
      { op: 'remove', path: '/kind' },
    ]) {
      await assert.rejects(
        dispatcher('mutating', patch([op])).admit(attrs()),
        statusError(500, /admission webhook "hook\.example\.com" attempted to change the object's apiVersion\/kind from "v1, Kind=ConfigMap" to /),
        JSON.stringify(op),
      );
    }
    const relabelled = await dispatcher('mutating', patch([{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }])).admit(attrs());
    assert.deepEqual(relabelled.object?.metadata, { name: 'c', labels: { a: 'b' } });
  });
});
