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
import type { StoreFinder } from './cache-source.js';
import type { ParamStore } from './policy-params.js';
import type { PolicySource } from './policy-plugin.js';
import type { ParamKind } from './policy.js';

const GROUP = 'admissionregistration.k8s.io';

export function cachePolicySource(storeOf: StoreFinder, served: () => readonly ResourceDefinition[]): PolicySource {
  let bindingsCache: WatchCache | undefined;
  const objects = (resource: string): readonly JsonObject[] => {
    const store = storeOf(GROUP, 'v1', resource);
    if (store === undefined || store.cache.size === 0) return [];
    return store.cache.listPage(storagePrefix(store.definition), {}, 0).items.map((item) => item.object);
  };
  return {
    hasAny: () => {
      bindingsCache ??= storeOf(GROUP, 'v1', 'validatingadmissionpolicybindings')?.cache;
      return (bindingsCache?.size ?? 0) > 0;
    },
    policies: () => objects('validatingadmissionpolicies'),
    bindings: () => objects('validatingadmissionpolicybindings'),
    namespace: async (name: string): Promise<JsonObject | undefined> => {
      const namespaces = storeOf('', 'v1', 'namespaces');
      if (namespaces === undefined) return undefined;
      const cached = namespaces.cache.get(namespaces.key('', name));
      if (cached !== undefined) return cached.object;
      try {
        return (await namespaces.getLatest('', name)).object;
      } catch {
        return undefined;
      }
    },
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
