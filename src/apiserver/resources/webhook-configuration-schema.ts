/**
 * @module
 * Schemas of admissionregistration.k8s.io/v1 MutatingWebhookConfiguration and
 * ValidatingWebhookConfiguration (k8s.io/api admissionregistration/v1 types.go). They live beside
 * the resources rather than in src/api/schema/definitions, and the API server adds them to its
 * schema set. Protobuf field numbers follow the Go tags, so kubectl's protobuf bodies decode.
 */
import { type Definition, type Schema, s, typeMeta } from '../../api/schema/schema.js';

const GROUP = 'io.k8s.api.admissionregistration.v1';
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
];
