/**
 * @module
 * core/v1 ServiceAccounts: identities for pods. Only metadata is validated (ValidateServiceAccount);
 * references to secrets keep nothing but the secret's name, on create and on update
 * (pkg/registry/core/serviceaccount/strategy.go cleanSecretReferences). `kubectl get sa` shows NAME
 * SECRETS AGE (printers.go printServiceAccount).
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';

export const SERVICE_ACCOUNTS = defineResource({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  namespaced: true,
  schema: 'io.k8s.api.core.v1.ServiceAccount',
  shortNames: ['sa'],
  strategy: {
    prepareForCreate: (object) => cleanSecretReferences(object),
    prepareForUpdate: (object) => cleanSecretReferences(object),
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Secrets', type: 'string', description: 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    ],
    cells: (object, now) => [nameOf(object), Array.isArray(object.secrets) ? object.secrets.length : 0, age(object, now)],
  },
});

/** Each secret reference becomes `{name}`: the other fields of an ObjectReference mean nothing here. */
function cleanSecretReferences(object: JsonObject): void {
  if (!Array.isArray(object.secrets)) return;
  object.secrets = object.secrets.map((ref) => (isJsonObject(ref) && typeof ref.name === 'string' && ref.name !== '' ? { name: ref.name } : {}));
}
