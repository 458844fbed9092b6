/**
 * @module
 * The policy plugin's {@link PolicySource} over the API server's own watch caches: policies,
 * bindings, namespaces and any served resource as params (upstream reads params through an informer
 * per paramKind, pkg/admission/plugin/policy/generic/policy_source.go). A write with no binding
 * stored pays one size check.
 */
import type { JsonObject } from '../../api/json.js';
import type { LabelSelector } from '../../api/labels.js';
import { storagePrefix } from '../registry/registry.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import type { WatchCache } from '../watch-cache/watch-cache.js';
import { ADMISSION_GROUP, type StoreFinder, cachedConfigurations, namespaceNamed } from './cache-source.js';
import { registryEquivalents } from './equivalent.js';
import type { ParamStore } from './policy-params.js';
import type { PolicySource } from './policy-plugin.js';
import type { ParamKind } from './policy.js';

export function cachePolicySource(storeOf: StoreFinder, served: () => readonly ResourceDefinition[]): PolicySource {
  let bindingsCache: WatchCache | undefined;
  return {
    hasAny: () => {
      bindingsCache ??= storeOf(ADMISSION_GROUP, 'v1', 'validatingadmissionpolicybindings')?.cache;
      return (bindingsCache?.size ?? 0) > 0;
    },
    policies: () => cachedConfigurations(storeOf, 'validatingadmissionpolicies'),
    bindings: () => cachedConfigurations(storeOf, 'validatingadmissionpolicybindings'),
    namespace: (name: string): Promise<JsonObject | undefined> => namespaceNamed(storeOf, name),
    equivalents: registryEquivalents(served),
    paramStore: (kind: ParamKind): ParamStore | undefined => {
      const definition = served().find((d) => d.group === kind.group && d.version === kind.version && d.kind === kind.kind);
      const store = definition === undefined ? undefined : storeOf(definition.group, definition.version, definition.resource);
      if (definition === undefined || store === undefined) return undefined;
      const prefix = storagePrefix(definition);
      return {
        namespaced: definition.namespaced,
        get: (namespace, name) => store.cache.get(store.key(namespace, name))?.object,
        list: (namespace: string, selector: LabelSelector) =>
          store.cache
            .listPage(definition.namespaced ? `${prefix}${namespace}/` : prefix, { matches: (object) => selector.matches(object.labels) }, 0)
            .items.map((item) => item.object),
      };
    },
  };
}
