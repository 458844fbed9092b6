/**
 * @module
 * admissionregistration.k8s.io/v1 MutatingWebhookConfigurations and
 * ValidatingWebhookConfigurations: cluster-scoped lists of admission webhooks that the API server's
 * dispatcher (src/apiserver/admission) reads from their watch caches. Defaults and validation are
 * in webhook-configuration-validation.ts; `kubectl get` shows NAME WEBHOOKS AGE, as upstream's
 * printers (pkg/printers/internalversion printMutatingWebhook / printValidatingWebhook).
 */
import type { JsonObject } from '../../api/json.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { age } from '../table.js';
import type { WebhookType } from '../admission/webhook.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { defaultWebhooks, validateWebhookConfiguration } from './webhook-configuration-validation.js';

export const ADMISSION_REGISTRATION_GROUP = 'admissionregistration.k8s.io';
export const MUTATING_WEBHOOK_CONFIGURATIONS_RESOURCE = 'mutatingwebhookconfigurations';
export const VALIDATING_WEBHOOK_CONFIGURATIONS_RESOURCE = 'validatingwebhookconfigurations';

function define(kind: string, resource: string, type: WebhookType): ResourceDefinition {
  return defineResource({
    group: ADMISSION_REGISTRATION_GROUP,
    version: 'v1',
    kind,
    resource,
    namespaced: false,
    schema: `io.k8s.api.admissionregistration.v1.${kind}`,
    categories: ['api-extensions'],
    tracksGeneration: true,
    strategy: {
      defaults: (object) => defaultWebhooks(object, type),
      validate: (object) => validateWebhookConfiguration(object, type),
      validateUpdate: (object) => validateWebhookConfiguration(object, type),
      selectableFields: () => ({}),
    },
    table: {
      columns: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
        { name: 'Webhooks', type: 'integer', description: 'Webhooks indicates the number of webhooks registered in this configuration.', priority: 0 },
        { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
      ],
      cells: (object, now) => [nameOf(object), webhookCount(object), age(object, now)],
    },
  });
}

function webhookCount(object: JsonObject): number {
  return Array.isArray(object.webhooks) ? object.webhooks.length : 0;
}

export const MUTATING_WEBHOOK_CONFIGURATIONS = define('MutatingWebhookConfiguration', MUTATING_WEBHOOK_CONFIGURATIONS_RESOURCE, 'mutating');
export const VALIDATING_WEBHOOK_CONFIGURATIONS = define('ValidatingWebhookConfiguration', VALIDATING_WEBHOOK_CONFIGURATIONS_RESOURCE, 'validating');
