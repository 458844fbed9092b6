/**
 * @module
 * The reviews a client creates to ask about itself, answered and never stored: authorization.k8s.io
 * SelfSubjectAccessReviews (`kubectl auth can-i`) and SelfSubjectRulesReviews (`kubectl auth can-i
 * --list`), and authentication.k8s.io SelfSubjectReviews (`kubectl auth whoami`).
 *
 * kubelite authenticates no one and allows every request, so the answers are kube-apiserver's with
 * the AlwaysAllow authorizer (k8s.io/apiserver pkg/authorization/authorizerfactory builtin.go):
 * every action is allowed, and the rules are `*` on every resource and every non-resource URL. The
 * user is the one admission sees, system:admin in the group system:masters.
 *
 * Checks: pkg/apis/authorization/validation ValidateSelfSubjectAccessReview (exactly one of the
 * resource and non-resource attributes; a field or label selector raw or as requirements, whose
 * requirements are not checked further; empty metadata), and the registries'
 * (pkg/registry/authorization/selfsubjectrulesreview: a namespace is required). Admission sees the
 * reviews as creates (GenericStore.review).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, getObject, isJsonObject } from '../../api/json.js';
import { badRequest } from '../../api/status.js';
import { formatTime } from '../../api/time.js';
import { ADMIN_USER } from '../admission/attributes.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { defineResource } from './define.js';
import { semanticEqual } from './pod-validation-status.js';

export const SELF_SUBJECT_ACCESS_REVIEWS: ResourceDefinition = defineResource({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  resource: 'selfsubjectaccessreviews',
  namespaced: false,
  schema: 'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
  strategy: { validate: validateSelfSubjectAccessReview },
  review: (object) => ({ ...object, metadata: {}, status: { allowed: true } }),
});

export const SELF_SUBJECT_RULES_REVIEWS: ResourceDefinition = defineResource({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  resource: 'selfsubjectrulesreviews',
  namespaced: false,
  schema: 'io.k8s.api.authorization.v1.SelfSubjectRulesReview',
  // pkg/registry/authorization/selfsubjectrulesreview: a new object holding only the status.
  review: (object) => {
    const namespace = getObject(object, 'spec')?.namespace;
    if (typeof namespace !== 'string' || namespace === '') throw badRequest('no namespace on request');
    return {
      apiVersion: object.apiVersion ?? 'authorization.k8s.io/v1',
      kind: 'SelfSubjectRulesReview',
      metadata: {},
      spec: {},
      status: {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      },
    };
  },
});

export const SELF_SUBJECT_REVIEWS: ResourceDefinition = defineResource({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  resource: 'selfsubjectreviews',
  namespaced: false,
  schema: 'io.k8s.api.authentication.v1.SelfSubjectReview',
  // pkg/registry/authentication/selfsubjectreview: a new object, stamped now, with the user.
  review: (object, _namespace, context) => ({
    apiVersion: object.apiVersion ?? 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
    metadata: { creationTimestamp: formatTime(context.now) },
    status: { userInfo: structuredClone(ADMIN_USER) },
  }),
});

/** ValidateSelfSubjectAccessReview. */
function validateSelfSubjectAccessReview(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = getObject(object, 'spec') ?? {};
  const resource = getObject(spec, 'resourceAttributes');
  const nonResource = isJsonObject(spec.nonResourceAttributes);
  if (resource !== undefined && nonResource) errors.push(fieldErrors.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  if (resource === undefined && !nonResource) errors.push(fieldErrors.invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  if (resource !== undefined) {
    for (const key of ['fieldSelector', 'labelSelector']) {
      const selector = getObject(resource, key);
      if (selector !== undefined) errors.push(...validateSelectorAttributes(selector, `spec.resourceAttributes.${key}`));
    }
  }
  const metadata = getObject(object, 'metadata') ?? {};
  const withoutManagedFields = { ...metadata };
  delete withoutManagedFields.managedFields;
  if (!semanticEqual(withoutManagedFields, {})) errors.push(fieldErrors.invalid('metadata', metadata, 'must be empty'));
  return errors;
}

/**
 * validateResourceAttributes' check of a field or label selector: raw or as requirements, not both
 * nor neither. The requirements themselves are not checked here.
 */
function validateSelectorAttributes(selector: JsonObject, at: string): FieldError[] {
  const raw = typeof selector.rawSelector === 'string' && selector.rawSelector !== '';
  const requirements = Array.isArray(selector.requirements) && selector.requirements.length > 0;
  if (raw && requirements) return [fieldErrors.invalid(`${at}.rawSelector`, selector.rawSelector, 'may not specified at the same time as requirements')];
  if (!raw && !requirements) return [fieldErrors.required(`${at}.requirements`, `when ${at} is specified, requirements or rawSelector is required`)];
  return [];
}
