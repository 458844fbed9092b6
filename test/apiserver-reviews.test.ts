/**
 * The self reviews over HTTP against a real API server: answered 201 and never stored, with
 * kube-apiserver's routing (405 for another method on the collection, 404 for every other path), its
 * 422 for an invalid review and its 400 for a rules review without a namespace; and admission sees
 * them, as a ValidatingAdmissionPolicy that refuses every access review shows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';

const AUTHZ = '/apis/authorization.k8s.io/v1';
const ACCESS = `${AUTHZ}/selfsubjectaccessreviews`;
const RULES = `${AUTHZ}/selfsubjectrulesreviews`;
const WHOAMI = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const REG = '/apis/admissionregistration.k8s.io/v1';

const access = (spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec });

describe('self reviews over HTTP', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi('memory');
  });
  after(() => api.close());

  it('an access review is allowed, and a rules review lists every verb on everything, each a new object', async () => {
    const allowed = await api.client.post(ACCESS, access({ resourceAttributes: { verb: 'delete', resource: 'nodes' } }));
    assert.equal(allowed.status, 201, allowed.text);
    assert.deepEqual((allowed.json as { status: unknown }).status, { allowed: true });
    const rules = await api.client.post(RULES, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } });
    assert.equal(rules.status, 201, rules.text);
    assert.deepEqual(rules.json, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: {},
      spec: {},
      status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false },
    });
    const whoami = await api.client.post(WHOAMI, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    assert.equal(whoami.status, 201, whoami.text);
    assert.deepEqual((whoami.json as { status: unknown }).status, { userInfo: { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] } });
  });

  it('an invalid review is a 422 naming no object; a rules review without a namespace is a 400', async () => {
    const invalid = await api.client.post(ACCESS, access({}));
    assert.equal(invalid.status, 422);
    assert.equal(
      (invalid.json as { message: string }).message,
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    const both = await api.client.post(ACCESS, access({ resourceAttributes: { verb: 'get', fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'In', values: ['b'] }] } } }));
    assert.equal(both.status, 422);
    assert.match((both.json as { message: string }).message, /spec\.resourceAttributes\.fieldSelector\.rawSelector: Invalid value: "a=b": may not specified at the same time as requirements/);
    const noNamespace = await api.client.post(RULES, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} });
    assert.equal(noNamespace.status, 400);
    assert.equal((noNamespace.json as { message: string }).message, 'no namespace on request');
  });

  it('only POST to the collection is routed: another method there is 405, every other path 404', async () => {
    const listed = await api.client.get(ACCESS);
    assert.equal(listed.status, 405);
    assert.equal((listed.json as { reason: string }).reason, 'MethodNotAllowed');
    assert.equal((await api.client.get(`${ACCESS}?watch=1`)).status, 405);
    assert.equal((await api.client.get(`${ACCESS}/x`)).status, 404);
    assert.equal((await api.client.post(`${AUTHZ}/watch/selfsubjectaccessreviews`, access({ resourceAttributes: { verb: 'get' } }))).status, 404);
    assert.equal((await api.client.post(`${AUTHZ}/namespaces/default/selfsubjectaccessreviews`, access({ resourceAttributes: { verb: 'get' } }))).status, 404);
  });

  it('admission sees a review: a policy that refuses every access review refuses it', async () => {
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'no-reviews.example.com' },
      spec: {
        matchConstraints: { resourceRules: [{ operations: ['CREATE'], apiGroups: ['authorization.k8s.io'], apiVersions: ['v1'], resources: ['selfsubjectaccessreviews'] }] },
        validations: [{ expression: 'false', message: 'no reviews here' }],
      },
    };
    assert.equal((await api.client.post(`${REG}/validatingadmissionpolicies`, policy)).status, 201);
    const binding = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'no-reviews' }, spec: { policyName: 'no-reviews.example.com', validationActions: ['Deny'] } };
    assert.equal((await api.client.post(`${REG}/validatingadmissionpolicybindings`, binding)).status, 201);
    const refused = await eventually(async () => {
      const answer = await api.client.post(ACCESS, access({ resourceAttributes: { verb: 'get' } }));
      return answer.status === 201 ? undefined : answer;
    }, 'the policy to refuse access reviews');
    // A validation without a reason denies as Invalid, 422.
    assert.equal(refused.status, 422, refused.text);
    assert.match((refused.json as { message: string }).message, /no reviews here/);
  });
});
