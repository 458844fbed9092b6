/**
 * @module
 * apiextensions.k8s.io/v1 CustomResourceDefinitions: cluster-scoped, with a status subresource and a
 * generation. Defaults follow pkg/apis/apiextensions/v1/defaults.go (singular = lower-case kind,
 * listKind = kind + "List", conversion strategy None); the strategy follows
 * pkg/registry/customresourcedefinition/strategy.go (a new CRD starts with its storage version in
 * status.storedVersions, and every later storage version is added to it); validation is in
 * crd-validation.ts. The accepted names and conditions upstream's controllers write are computed
 * here before the CRD is stored (crd-status.ts). Deleting a CRD marks it Terminating and adds the
 * customresourcecleanup finalizer: the API server stops serving its custom resources, deletes them,
 * and then removes the finalizer (src/apiserver/crd/crd-serving.ts). `kubectl get crd` shows NAME
 * CREATED AT, upstream's default table.
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { storagePrefix } from '../registry/registry.js';
import type { HookContext } from '../registry/resource-definition.js';
import { defineResource } from './define.js';
import { CRD_GROUP, CRD_RESOURCE, CUSTOM_RESOURCE_CLEANUP_FINALIZER, setCondition, stringAt, stringsAt, storageVersionOf } from './crd-model.js';
import { claimedNames, updateCrdStatus } from './crd-status.js';
import { validateCrd, validateCrdStatus, validateCrdUpdate } from './crd-validation.js';
import { ensureObject } from './pod-json.js';

export const CUSTOM_RESOURCE_DEFINITIONS = defineResource({
  group: CRD_GROUP,
  version: 'v1',
  kind: 'CustomResourceDefinition',
  resource: CRD_RESOURCE,
  namespaced: false,
  schema: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  statusSubresource: true,
  tracksGeneration: true,
  strategy: {
    defaults: defaultCrd,
    prepareForCreate: (object) => addStoredVersion(object),
    prepareForUpdate: (object, _old, context) => {
      if (context.subresource !== 'status') addStoredVersion(object);
    },
    validate: (object) => validateCrd(object),
    validateUpdate: (object, old, context) => (context.subresource === 'status' ? validateCrdStatus(object) : validateCrdUpdate(object, old)),
    beforeCreate: async (object, context) => {
      updateCrdStatus(object, claimedNames(object, context.served(), otherCrds(context)), context.now);
      return undefined;
    },
    beforeUpdate: async (object, _old, context) => {
      // The names are reconsidered whenever the CRD is written, except by its /status writers.
      if (context.subresource === undefined) updateCrdStatus(object, claimedNames(object, context.served(), otherCrds(context)), context.now);
      return undefined;
    },
    finalizersOnDelete: () => [CUSTOM_RESOURCE_CLEANUP_FINALIZER],
    markDeleting: (object, context) =>
      setCondition(
        object,
        {
          type: 'Terminating',
          status: 'True',
          reason: 'InstanceDeletionPending',
          message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
        },
        context.now,
      ),
  },
});

/** SetDefaults_CustomResourceDefinition(Spec), and the zero values Go prints for served and storage. */
function defaultCrd(object: JsonObject): void {
  const spec = ensureObject(object, 'spec');
  const names = ensureObject(spec, 'names');
  const kind = stringAt(names, 'kind');
  if (stringAt(names, 'singular') === '' && kind !== '') names.singular = kind.toLowerCase();
  if (stringAt(names, 'listKind') === '' && kind !== '') names.listKind = `${kind}List`;
  if (!isJsonObject(spec.conversion)) spec.conversion = { strategy: 'None' };
  const service = isJsonObject(spec.conversion.webhook) && isJsonObject(spec.conversion.webhook.clientConfig) ? spec.conversion.webhook.clientConfig.service : undefined;
  if (isJsonObject(service) && service.port === undefined) service.port = 443;
  for (const version of Array.isArray(spec.versions) ? spec.versions : []) {
    if (!isJsonObject(version)) continue;
    if (typeof version.served !== 'boolean') version.served = false;
    if (typeof version.storage !== 'boolean') version.storage = false;
  }
}

/** The storage version joins status.storedVersions (objects may be persisted in it from now on). */
function addStoredVersion(object: JsonObject): void {
  const storage = storageVersionOf(object);
  if (storage === undefined) return;
  const status = ensureObject(object, 'status');
  const stored = stringsAt(status, 'storedVersions');
  if (!stored.includes(storage)) status.storedVersions = [...stored, storage];
}

/** The other CRDs, as this server's watch cache holds them (upstream's naming controller uses its lister). */
function otherCrds(context: HookContext): JsonObject[] {
  const crds = context.lookup(CRD_GROUP, 'v1', CRD_RESOURCE);
  if (crds === undefined) return [];
  return crds.cache.listPage(storagePrefix(crds.definition), {}, 0).items.map((item) => item.object);
}
