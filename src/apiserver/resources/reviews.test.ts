/**
 * Unit tests of the self reviews (reviews.ts): kube-apiserver's answers under the AlwaysAllow
 * authorizer, and the checks of a SelfSubjectAccessReview and a SelfSubjectRulesReview.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { SELF_SUBJECT_ACCESS_REVIEWS, SELF_SUBJECT_REVIEWS, SELF_SUBJECT_RULES_REVIEWS } from './reviews.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };

const access = (spec: JsonObject, metadata: JsonObject = {}): JsonObject => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata, spec });
const errors = (object: JsonObject): string[] => (SELF_SUBJECT_ACCESS_REVIEWS.strategy.validate?.(object, CTX) ?? []).map(formatFieldError);

describe('self reviews', () => {
  test('a SelfSubjectAccessReview is allowed, whatever it asks', () => {
    const asked = access({ resourceAttributes: { verb: 'delete', resource: 'nodes' } });
    assert.deepEqual(errors(asked), []);
    assert.deepEqual(SELF_SUBJECT_ACCESS_REVIEWS.review?.(asked, '', CTX), { ...asked, status: { allowed: true } });
  });

  test('a SelfSubjectAccessReview asks about a resource or a non-resource URL, exactly one, with empty metadata', () => {
    assert.deepEqual(errors(access({})), ['spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified']);
    assert.deepEqual(errors(access({ resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/healthz', verb: 'get' } })), [
      'spec.nonResourceAttributes: Invalid value: {"path":"/healthz","verb":"get"}: cannot be specified in combination with resourceAttributes',
    ]);
    assert.deepEqual(errors(access({ nonResourceAttributes: { path: '/healthz', verb: 'get' } }, { name: 'x' })), ['metadata: Invalid value: {"name":"x"}: must be empty']);
    assert.deepEqual(errors(access({ nonResourceAttributes: { path: '/healthz', verb: 'get' } }, { name: '', labels: {}, finalizers: [] })), [], 'zero values count as empty');
  });

  test('a selector of the resource attributes is raw or requirements, not both nor neither', () => {
    assert.deepEqual(errors(access({ resourceAttributes: { verb: 'list', labelSelector: {} } })), [
      'spec.resourceAttributes.labelSelector.requirements: Required value: when spec.resourceAttributes.labelSelector is specified, requirements or rawSelector is required',
    ]);
    assert.deepEqual(errors(access({ resourceAttributes: { verb: 'list', fieldSelector: { rawSelector: 'spec.nodeName=n1' } } })), []);
  });

  test('a SelfSubjectRulesReview lists every verb on everything, and needs a namespace', () => {
    const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } };
    assert.deepEqual(SELF_SUBJECT_RULES_REVIEWS.review?.(review, '', CTX), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: {},
      spec: {},
      status: {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      },
    });
    assert.throws(
      () => SELF_SUBJECT_RULES_REVIEWS.review?.({ ...review, spec: {} }, '', CTX),
      (error: unknown) => error instanceof StatusError && error.code === 400 && error.message === 'no namespace on request',
    );
  });

  test('a SelfSubjectReview names the user admission sees, stamped with the time', () => {
    assert.deepEqual(SELF_SUBJECT_REVIEWS.review?.({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, '', CTX), {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: { creationTimestamp: '2026-11-26T12:00:00Z' },
      status: { userInfo: { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] } },
    });
  });
});
