/**
 * @module
 * Schemas of admissionregistration.k8s.io/v1 MutatingWebhookConfiguration and
 * ValidatingWebhookConfiguration, ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
 * (k8s.io/api admissionregistration/v1 types.go). Protobuf field numbers follow the Go tags, so
 * kubectl's protobuf bodies decode.
 */
import { type Definition, type Schema, s, typeMeta } from '../schema.js';

const GROUP = 'io.k8s.api.admissionregistration.v1';
const API_GROUP = 'admissionregistration.k8s.io';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

function webhookProperties(mutating: boolean): Record<string, Schema> {
  return {
    name: s.string('The webhook\'s name, a fully qualified domain name unique within its configuration.', { proto: 1 }),
    clientConfig: s.ref(`${GROUP}.WebhookClientConfig`, 'How to reach the webhook.', { proto: 2 }),
    rules: s.array('The operations on resources the webhook is called for.', s.ref(`${GROUP}.RuleWithOperations`), { listType: 'atomic', proto: 3 }),
    failurePolicy: s.enum('What an error calling the webhook does: Fail (the default) refuses the request, Ignore skips the webhook.', ['Fail', 'Ignore'], { proto: 4 }),
    matchPolicy: s.enum('How rules match requests made in another version of the resource: Exact or Equivalent (the default).', ['Equivalent', 'Exact'], { proto: 9 }),
    namespaceSelector: s.ref(`${META}.LabelSelector`, 'The namespaces whose objects the webhook is called for, by their labels. Default: every namespace.', { proto: 5 }),
    objectSelector: s.ref(`${META}.LabelSelector`, 'The objects the webhook is called for, by their labels (new or old object). Default: every object.', { proto: mutating ? 11 : 10 }),
    sideEffects: s.enum('Whether calling the webhook has effects outside the request: None or NoneOnDryRun.', ['None', 'NoneOnDryRun', 'Some', 'Unknown'], { proto: 6 }),
    timeoutSeconds: s.int32('How long to wait for the webhook, 1 to 30 seconds. Default 10.', { proto: 7 }),
    admissionReviewVersions: s.array('The AdmissionReview versions the webhook accepts, in order of preference; must include v1.', s.string(''), { listType: 'atomic', proto: 8 }),
    ...(mutating
      ? { reinvocationPolicy: s.enum('Never (the default), or IfNeeded: call the webhook again when a later one changed the object.', ['IfNeeded', 'Never'], { proto: 10 }) }
      : {}),
    matchConditions: s.array('CEL conditions a request must all meet to be sent to the webhook.', s.ref(`${GROUP}.MatchCondition`), {
      listType: 'map',
      listMapKeys: ['name'],
      patchMergeKey: 'name',
      patchStrategy: 'merge',
      proto: mutating ? 12 : 11,
    }),
  };
}

export const ADMISSION_REGISTRATION_V1: readonly Definition[] = [
  {
    name: `${GROUP}.MutatingWebhookConfiguration`,
    schema: s.object('Webhooks that may change and refuse objects before they are stored.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      webhooks: s.array('The webhooks, called in order.', s.ref(`${GROUP}.MutatingWebhook`), { patchMergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'], proto: 2 }),
    }),
    gvk: [{ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration' }],
  },
  {
    name: `${GROUP}.ValidatingWebhookConfiguration`,
    schema: s.object('Webhooks that may refuse objects before they are stored.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      webhooks: s.array('The webhooks, called in parallel.', s.ref(`${GROUP}.ValidatingWebhook`), { patchMergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'], proto: 2 }),
    }),
    gvk: [{ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration' }],
  },
  {
    name: `${GROUP}.MutatingWebhookConfigurationList`,
    schema: s.object('A list of MutatingWebhookConfigurations.', {
      ...typeMeta(),
      metadata: s.listMeta(undefined, { proto: 1 }),
      items: s.array('The configurations.', s.ref(`${GROUP}.MutatingWebhookConfiguration`), { proto: 2 }),
    }, { required: ['items'] }),
    gvk: [{ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfigurationList' }],
  },
  {
    name: `${GROUP}.ValidatingWebhookConfigurationList`,
    schema: s.object('A list of ValidatingWebhookConfigurations.', {
      ...typeMeta(),
      metadata: s.listMeta(undefined, { proto: 1 }),
      items: s.array('The configurations.', s.ref(`${GROUP}.ValidatingWebhookConfiguration`), { proto: 2 }),
    }, { required: ['items'] }),
    gvk: [{ group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfigurationList' }],
  },
  {
    name: `${GROUP}.MutatingWebhook`,
    schema: s.object('One mutating admission webhook and the requests it is called for.', webhookProperties(true), {
      required: ['name', 'clientConfig', 'sideEffects', 'admissionReviewVersions'],
    }),
  },
  {
    name: `${GROUP}.ValidatingWebhook`,
    schema: s.object('One validating admission webhook and the requests it is called for.', webhookProperties(false), {
      required: ['name', 'clientConfig', 'sideEffects', 'admissionReviewVersions'],
    }),
  },
  {
    name: `${GROUP}.WebhookClientConfig`,
    schema: s.object('How to connect to a webhook: a URL, or a Service (not reachable in kubelite).', {
      url: s.string('The https URL of the webhook; no user information, query or fragment.', { proto: 3 }),
      service: s.ref(`${GROUP}.ServiceReference`, 'A Service in front of the webhook.', { proto: 1 }),
      caBundle: s.string('PEM CA bundle, base64, that the webhook\'s serving certificate must chain to; default: the system roots.', { format: 'byte', proto: 2 }),
    }),
  },
  {
    name: `${GROUP}.ServiceReference`,
    schema: s.object('A Service that serves a webhook.', {
      namespace: s.string('The Service\'s namespace.', { default: '', proto: 1 }),
      name: s.string('The Service\'s name.', { default: '', proto: 2 }),
      path: s.string('The URL path requests are sent to.', { proto: 3 }),
      port: s.int32('The Service port; default 443.', { proto: 4 }),
    }, { required: ['namespace', 'name'] }),
  },
  {
    name: `${GROUP}.RuleWithOperations`,
    schema: s.object('Operations on API groups, versions and resources.', {
      operations: s.array('CREATE, UPDATE, DELETE, CONNECT, or * for all.', s.string(''), { listType: 'atomic', proto: 1 }),
      apiGroups: s.array('The API groups; * is all.', s.string(''), { listType: 'atomic', proto: 1 }),
      apiVersions: s.array('The API versions; * is all.', s.string(''), { listType: 'atomic', proto: 2 }),
      resources: s.array('Resources and subresources: pods, pods/status, pods/*, */scale, *, */*.', s.string(''), { listType: 'atomic', proto: 3 }),
      scope: s.enum('Cluster, Namespaced, or * (the default).', ['*', 'Cluster', 'Namespaced'], { proto: 4 }),
    }, { inlinedProto: { field: 2, properties: ['apiGroups', 'apiVersions', 'resources', 'scope'] } }),
  },
  {
    name: `${GROUP}.MatchCondition`,
    schema: s.object('A CEL expression a request must meet to be sent to the webhook.', {
      name: s.string('The condition\'s name, unique within the webhook.', { default: '', proto: 1 }),
      expression: s.string('A CEL expression over object, oldObject, request and authorizer that evaluates to a bool.', { default: '', proto: 2 }),
    }, { required: ['name', 'expression'] }),
  },
  ...policyDefinitions(),
];

/** ValidatingAdmissionPolicy, its binding and the types they share. */
function policyDefinitions(): Definition[] {
  const list = (kind: string, description: string): Definition => ({
    name: `${GROUP}.${kind}List`,
    schema: s.object(description, {
      ...typeMeta(),
      metadata: s.listMeta(undefined, { proto: 1 }),
      items: s.array('The items.', s.ref(`${GROUP}.${kind}`), { proto: 2 }),
    }, { required: ['items'] }),
    gvk: [{ group: API_GROUP, version: 'v1', kind: `${kind}List` }],
  });
  return [
    {
      name: `${GROUP}.ValidatingAdmissionPolicy`,
      schema: s.object('CEL validations that refuse (or warn about) requests, without a webhook; bindings apply it.', {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${GROUP}.ValidatingAdmissionPolicySpec`, 'What the policy matches and checks.', { proto: 2 }),
        status: s.ref(`${GROUP}.ValidatingAdmissionPolicyStatus`, 'What the server observed of the policy.', { proto: 3 }),
      }),
      gvk: [{ group: API_GROUP, version: 'v1', kind: 'ValidatingAdmissionPolicy' }],
    },
    list('ValidatingAdmissionPolicy', 'A list of ValidatingAdmissionPolicies.'),
    {
      name: `${GROUP}.ValidatingAdmissionPolicySpec`,
      schema: s.object('A policy\'s matching, parameters and CEL validations.', {
        paramKind: s.ref(`${GROUP}.ParamKind`, 'The kind of the resources that parameterize the policy (params).', { proto: 1 }),
        matchConstraints: s.ref(`${GROUP}.MatchResources`, 'The requests the policy may apply to; resourceRules is required.', { proto: 2 }),
        validations: s.array('CEL expressions that must all be true.', s.ref(`${GROUP}.Validation`), { listType: 'atomic', proto: 3 }),
        failurePolicy: s.enum('What an error evaluating the policy does: Fail (the default) refuses the request, Ignore admits it.', ['Fail', 'Ignore'], { proto: 4 }),
        auditAnnotations: s.array('Audit annotations (not evaluated by kubelite).', s.ref(`${GROUP}.AuditAnnotation`), { listType: 'atomic', proto: 5 }),
        matchConditions: s.array('CEL conditions a request must all meet to be validated.', s.ref(`${GROUP}.MatchCondition`), {
          listType: 'map',
          listMapKeys: ['name'],
          patchMergeKey: 'name',
          patchStrategy: 'merge',
          proto: 6,
        }),
        variables: s.array('Named CEL expressions, available to the others as variables.<name>.', s.ref(`${GROUP}.Variable`), { listType: 'atomic', proto: 7 }),
      }),
    },
    {
      name: `${GROUP}.ValidatingAdmissionPolicyStatus`,
      schema: s.object('What the server observed of a policy.', {
        observedGeneration: s.int64('The generation the status describes.', { proto: 1 }),
        typeChecking: s.ref(`${GROUP}.TypeChecking`, 'Type-checking warnings (not computed by kubelite).', { proto: 2 }),
        conditions: s.array('The policy\'s conditions.', s.ref('io.k8s.apimachinery.pkg.apis.meta.v1.Condition'), { listType: 'map', listMapKeys: ['type'], proto: 3 }),
      }),
    },
    {
      name: `${GROUP}.TypeChecking`,
      schema: s.object('Type-checking results of a policy.', {
        expressionWarnings: s.array('Warnings about expressions.', s.ref(`${GROUP}.ExpressionWarning`), { listType: 'atomic', proto: 1 }),
      }),
    },
    {
      name: `${GROUP}.ExpressionWarning`,
      schema: s.object('A type-checking warning about one expression.', {
        fieldRef: s.string('The path of the expression.', { default: '', proto: 2 }),
        warning: s.string('The warning.', { default: '', proto: 3 }),
      }, { required: ['fieldRef', 'warning'] }),
    },
    {
      name: `${GROUP}.ParamKind`,
      schema: s.object('A group version and kind.', {
        apiVersion: s.string('The API version of the params, group/version.', { proto: 1 }),
        kind: s.string('The kind of the params.', { proto: 2 }),
      }, { mapType: 'atomic' }),
    },
    {
      name: `${GROUP}.MatchResources`,
      schema: s.object('Requests selected by resource rules and namespace and object labels.', {
        namespaceSelector: s.ref(`${META}.LabelSelector`, 'The namespaces whose objects are selected, by their labels. Default: every namespace.', { proto: 1 }),
        objectSelector: s.ref(`${META}.LabelSelector`, 'The objects selected, by their labels. Default: every object.', { proto: 2 }),
        resourceRules: s.array('The operations on resources selected.', s.ref(`${GROUP}.NamedRuleWithOperations`), { listType: 'atomic', proto: 3 }),
        excludeResourceRules: s.array('The operations on resources never selected.', s.ref(`${GROUP}.NamedRuleWithOperations`), { listType: 'atomic', proto: 4 }),
        matchPolicy: s.enum('How rules match requests made in another version of the resource: Exact or Equivalent (the default).', ['Equivalent', 'Exact'], { proto: 7 }),
      }, { mapType: 'atomic' }),
    },
    {
      name: `${GROUP}.NamedRuleWithOperations`,
      // Protobuf nests the rule twice: RuleWithOperations (field 2), in it Rule (field 2).
      schema: s.object('Operations on API groups, versions and resources, optionally of named objects only.', {
        resourceNames: s.array('The names of the objects selected; empty selects all.', s.string(''), { listType: 'atomic', proto: 1 }),
        operations: s.array('CREATE, UPDATE, DELETE, CONNECT, or * for all.', s.string(''), { listType: 'atomic', proto: 1 }),
        apiGroups: s.array('The API groups; * is all.', s.string(''), { listType: 'atomic', proto: 1 }),
        apiVersions: s.array('The API versions; * is all.', s.string(''), { listType: 'atomic', proto: 2 }),
        resources: s.array('Resources and subresources: pods, pods/status, pods/*, */scale, *, */*.', s.string(''), { listType: 'atomic', proto: 3 }),
        scope: s.enum('Cluster, Namespaced, or * (the default).', ['*', 'Cluster', 'Namespaced'], { proto: 4 }),
      }, {
        mapType: 'atomic',
        inlinedProto: { field: 2, properties: ['operations', 'apiGroups', 'apiVersions', 'resources', 'scope'], inlinedProto: { field: 2, properties: ['apiGroups', 'apiVersions', 'resources', 'scope'] } },
      }),
    },
    {
      name: `${GROUP}.Validation`,
      schema: s.object('A CEL expression a request must meet.', {
        expression: s.string('A CEL expression over object, oldObject, request, params, namespaceObject and variables that evaluates to a bool.', { default: '', proto: 1 }),
        message: s.string('The message of a refusal.', { proto: 2 }),
        reason: s.string('The reason of a refusal: Unauthorized, Forbidden, Invalid (the default) or RequestEntityTooLarge.', { proto: 3 }),
        messageExpression: s.string('A CEL expression that evaluates to the message of a refusal.', { proto: 4 }),
      }, { required: ['expression'] }),
    },
    {
      name: `${GROUP}.AuditAnnotation`,
      schema: s.object('An audit annotation a policy adds.', {
        key: s.string('The annotation key.', { default: '', proto: 1 }),
        valueExpression: s.string('A CEL expression that evaluates to the value.', { default: '', proto: 2 }),
      }, { required: ['key', 'valueExpression'] }),
    },
    {
      name: `${GROUP}.Variable`,
      schema: s.object('A named CEL expression.', {
        name: s.string('The variable\'s name, a CEL identifier.', { default: '', proto: 1 }),
        expression: s.string('The CEL expression whose value the variable is.', { default: '', proto: 2 }),
      }, { required: ['name', 'expression'], mapType: 'atomic' }),
    },
    {
      name: `${GROUP}.ValidatingAdmissionPolicyBinding`,
      schema: s.object('Applies a ValidatingAdmissionPolicy, with params, to some of the requests it matches.', {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        spec: s.ref(`${GROUP}.ValidatingAdmissionPolicyBindingSpec`, 'The policy, params, resources and actions.', { proto: 2 }),
      }),
      gvk: [{ group: API_GROUP, version: 'v1', kind: 'ValidatingAdmissionPolicyBinding' }],
    },
    list('ValidatingAdmissionPolicyBinding', 'A list of ValidatingAdmissionPolicyBindings.'),
    {
      name: `${GROUP}.ValidatingAdmissionPolicyBindingSpec`,
      schema: s.object('What a binding applies.', {
        policyName: s.string('The ValidatingAdmissionPolicy applied.', { proto: 1 }),
        paramRef: s.ref(`${GROUP}.ParamRef`, 'The params of the policy.', { proto: 2 }),
        matchResources: s.ref(`${GROUP}.MatchResources`, 'Narrows the requests the policy applies to.', { proto: 3 }),
        validationActions: s.array('What a failed validation does: Deny, Warn, Audit (not both Deny and Warn).', s.string(''), { listType: 'set', proto: 4 }),
      }),
    },
    {
      name: `${GROUP}.ParamRef`,
      schema: s.object('The params of a binding: one object by name, or those a selector selects.', {
        name: s.string('The name of the param object.', { proto: 1 }),
        namespace: s.string('The namespace of the params (namespaced kinds); default: the request\'s.', { proto: 2 }),
        selector: s.ref(`${META}.LabelSelector`, 'Selects the param objects by their labels.', { proto: 3 }),
        parameterNotFoundAction: s.enum('What no params found does: Allow, or Deny (subject to the failurePolicy).', ['Allow', 'Deny'], { proto: 4 }),
      }, { mapType: 'atomic' }),
    },
  ];
}
