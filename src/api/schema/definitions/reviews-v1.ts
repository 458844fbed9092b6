/**
 * @module
 * Schemas of the reviews a client creates to ask about itself: authorization.k8s.io/v1
 * SelfSubjectAccessReview (`kubectl auth can-i`) and SelfSubjectRulesReview (`kubectl auth can-i
 * --list`), and authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`). k8s.io/api
 * authorization/v1 and authentication/v1 types.go; proto field numbers from their generated.proto.
 * UserInfo's `extra` (a map of string lists) is left out: kubelite authenticates no one, so no
 * user of it carries extra attributes.
 */
import { type Definition, s, typeMeta } from '../schema.js';

const AUTHZ = 'io.k8s.api.authorization.v1';
const AUTHN = 'io.k8s.api.authentication.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const strings = (description: string, proto: number): ReturnType<typeof s.array> => s.array(description, s.string(''), { listType: 'atomic', proto });

export const REVIEWS_V1: readonly Definition[] = [
  {
    name: `${AUTHZ}.SelfSubjectAccessReview`,
    schema: s.object(
      'Asks whether the user making the request may perform an action: a resource action or a non-resource URL, exactly one.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${AUTHZ}.SelfSubjectAccessReviewSpec`, 'The action asked about.', { default: {}, proto: 2 }),
        status: s.ref(`${AUTHZ}.SubjectAccessReviewStatus`, 'The answer, filled in by the server.', { default: {}, proto: 3 }),
      },
      { required: ['spec'] },
    ),
    gvk: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview' }],
  },
  {
    name: `${AUTHZ}.SelfSubjectAccessReviewSpec`,
    schema: s.object('The action asked about: exactly one of resourceAttributes and nonResourceAttributes.', {
      resourceAttributes: s.ref(`${AUTHZ}.ResourceAttributes`, 'An action on a resource.', { proto: 1 }),
      nonResourceAttributes: s.ref(`${AUTHZ}.NonResourceAttributes`, 'A request to a non-resource path.', { proto: 2 }),
    }),
  },
  {
    name: `${AUTHZ}.ResourceAttributes`,
    schema: s.object('An action on a resource: "" means all for the namespace and the name, "*" means all for the rest.', {
      namespace: s.string('The namespace; "" is every namespace.', { proto: 1, omitEmpty: true }),
      verb: s.string('The verb, e.g. get, list, watch, create, update, delete; "*" is every verb.', { proto: 2, omitEmpty: true }),
      group: s.string('The API group; "*" is every group.', { proto: 3, omitEmpty: true }),
      version: s.string('The API version; "*" is every version.', { proto: 4, omitEmpty: true }),
      resource: s.string('The resource; "*" is every resource.', { proto: 5, omitEmpty: true }),
      subresource: s.string('The subresource; "" is none.', { proto: 6, omitEmpty: true }),
      name: s.string('The name of the object; "" is every object.', { proto: 7, omitEmpty: true }),
      fieldSelector: s.ref(`${AUTHZ}.FieldSelectorAttributes`, 'A field selector the action is limited to (alpha).', { proto: 8 }),
      labelSelector: s.ref(`${AUTHZ}.LabelSelectorAttributes`, 'A label selector the action is limited to (alpha).', { proto: 9 }),
    }),
  },
  {
    name: `${AUTHZ}.FieldSelectorAttributes`,
    schema: s.object('A field selector limiting an action: raw, or as requirements, not both.', {
      rawSelector: s.string('The selector as a query parameter would carry it.', { proto: 1, omitEmpty: true }),
      requirements: s.array('The selector as requirements, all of which must hold.', s.ref(`${META}.FieldSelectorRequirement`), { listType: 'atomic', proto: 2 }),
    }),
  },
  {
    name: `${AUTHZ}.LabelSelectorAttributes`,
    schema: s.object('A label selector limiting an action: raw, or as requirements, not both.', {
      rawSelector: s.string('The selector as a query parameter would carry it.', { proto: 1, omitEmpty: true }),
      requirements: s.array('The selector as requirements, all of which must hold.', s.ref(`${META}.LabelSelectorRequirement`), { listType: 'atomic', proto: 2 }),
    }),
  },
  {
    name: `${AUTHZ}.NonResourceAttributes`,
    schema: s.object('A request to a path that is not a resource.', {
      path: s.string('The URL path.', { proto: 1, omitEmpty: true }),
      verb: s.string('The HTTP verb, in lower case.', { proto: 2, omitEmpty: true }),
    }),
  },
  {
    name: `${AUTHZ}.SubjectAccessReviewStatus`,
    schema: s.object(
      'Whether the action is allowed.',
      {
        allowed: s.boolean('True if the action would be allowed.', { default: false, proto: 1 }),
        denied: s.boolean('True if the action would be denied; neither means no opinion.', { proto: 4, omitEmpty: true }),
        reason: s.string('Why the action is allowed or denied.', { proto: 2, omitEmpty: true }),
        evaluationError: s.string('An error met while deciding, which may not have prevented an answer.', { proto: 3, omitEmpty: true }),
      },
      { required: ['allowed'] },
    ),
  },
  {
    name: `${AUTHZ}.SelfSubjectRulesReview`,
    schema: s.object(
      'Asks what the user making the request may do in a namespace; for user interfaces, not for authorization decisions.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${AUTHZ}.SelfSubjectRulesReviewSpec`, 'The namespace asked about.', { default: {}, proto: 2 }),
        status: s.ref(`${AUTHZ}.SubjectRulesReviewStatus`, 'The rules, filled in by the server.', { default: {}, proto: 3 }),
      },
      { required: ['spec'] },
    ),
    gvk: [{ group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview' }],
  },
  {
    name: `${AUTHZ}.SelfSubjectRulesReviewSpec`,
    schema: s.object('The namespace whose rules are asked for.', {
      namespace: s.string('The namespace.', { proto: 1, omitEmpty: true }),
    }),
  },
  {
    name: `${AUTHZ}.SubjectRulesReviewStatus`,
    schema: s.object(
      'What the user may do; additive, so a rule listed is granted even when the list is incomplete.',
      {
        resourceRules: s.array('Actions allowed on resources.', s.ref(`${AUTHZ}.ResourceRule`, undefined, { default: {} }), { listType: 'atomic', proto: 1 }),
        nonResourceRules: s.array('Actions allowed on non-resource URLs.', s.ref(`${AUTHZ}.NonResourceRule`, undefined, { default: {} }), { listType: 'atomic', proto: 2 }),
        incomplete: s.boolean('True when an authorizer could not list its rules.', { default: false, proto: 3 }),
        evaluationError: s.string('An error met while listing the rules.', { proto: 4, omitEmpty: true }),
      },
      { required: ['resourceRules', 'nonResourceRules', 'incomplete'] },
    ),
  },
  {
    name: `${AUTHZ}.ResourceRule`,
    schema: s.object(
      'Verbs allowed on resources of API groups, optionally by name; "*" means all.',
      {
        verbs: strings('The verbs.', 1),
        apiGroups: strings('The API groups.', 2),
        resources: strings('The resources ("*/foo" is subresource foo of every resource).', 3),
        resourceNames: strings('The names of the objects; empty is every object.', 4),
      },
      { required: ['verbs'] },
    ),
  },
  {
    name: `${AUTHZ}.NonResourceRule`,
    schema: s.object(
      'Verbs allowed on non-resource URLs; "*" means all.',
      {
        verbs: strings('The verbs.', 1),
        nonResourceURLs: strings('The URLs ("*" only as the final step).', 2),
      },
      { required: ['verbs'] },
    ),
  },
  {
    name: `${AUTHN}.SelfSubjectReview`,
    schema: s.object('Asks who the user making the request is, as the server authenticated it.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      status: s.ref(`${AUTHN}.SelfSubjectReviewStatus`, 'The user, filled in by the server.', { default: {}, proto: 2 }),
    }),
    gvk: [{ group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview' }],
  },
  {
    name: `${AUTHN}.SelfSubjectReviewStatus`,
    schema: s.object('The authenticated user.', {
      userInfo: s.ref(`${AUTHN}.UserInfo`, 'The user\'s attributes.', { default: {}, proto: 1 }),
    }),
  },
  {
    name: `${AUTHN}.UserInfo`,
    schema: s.object('A user as an authenticator sees it.', {
      username: s.string('The name that identifies the user.', { proto: 1, omitEmpty: true }),
      uid: s.string('An identifier that stays the same across the user\'s name changes.', { proto: 2, omitEmpty: true }),
      groups: strings('The groups the user belongs to.', 3),
    }),
  },
];
