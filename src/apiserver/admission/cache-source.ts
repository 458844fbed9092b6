/**
 * @module
 * The dispatcher's {@link WebhookSource} over the API server's own watch caches: the two webhook
 * configuration resources and namespaces. Like upstream's configuration manager
 * (pkg/admission/configuration/*_manager.go) it reads from informer-style caches, never storage, so
 * a write with no webhook configured pays one size check per cache.
 *
 * Also the {@link ServiceLookup} that resolves webhooks' clientConfig.service, over the Services,
 * EndpointSlices and Endpoints caches (upstream's resolver reads informers' listers the same way).
 */
import type { JsonObject } from '../../api/json.js';
import type { Labels } from '../../api/labels.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { storagePrefix } from '../registry/registry.js';
import type { ObjectFilter } from '../watch-cache/cache-event.js';
import type { WatchCache } from '../watch-cache/watch-cache.js';
import type { WebhookSource } from './dispatcher.js';
import { registryEquivalents } from './equivalent.js';
import { labelsOf } from '../registry/object-meta.js';
import { SERVICE_NAME_LABEL, type ServiceLookup } from './service-resolver.js';

/** The group of the admission configuration kinds (webhook configurations, policies, bindings). */
export const ADMISSION_GROUP = 'admissionregistration.k8s.io';

/** Finds a served resource's store (the server's storeOf). */
export type StoreFinder = (group: string, version: string, resource: string) => GenericStore | undefined;

/** Every cached object of an admissionregistration.k8s.io/v1 resource, in key (name) order. */
export function cachedConfigurations(storeOf: StoreFinder, resource: string): readonly JsonObject[] {
  const store = storeOf(ADMISSION_GROUP, 'v1', resource);
  if (store === undefined || store.cache.size === 0) return [];
  return store.cache.listPage(storagePrefix(store.definition), {}, 0).items.map((item) => item.object);
}

/**
 * A namespace from the cache or, when the cache lacks it (created a moment ago, perhaps: the cache
 * may lag storage), from storage — upstream's live lookup; undefined when it does not exist.
 */
export async function namespaceNamed(storeOf: StoreFinder, name: string): Promise<JsonObject | undefined> {
  const namespaces = storeOf('', 'v1', 'namespaces');
  if (namespaces === undefined) return undefined;
  const cached = namespaces.cache.get(namespaces.key('', name));
  if (cached !== undefined) return cached.object;
  try {
    return (await namespaces.getLatest('', name)).object;
  } catch {
    return undefined;
  }
}

/**
 * `served` (the server's registry) gives the equivalent versions of custom resources for
 * matchPolicy Equivalent; without it, requests have no equivalent versions.
 */
export function cacheWebhookSource(storeOf: StoreFinder, served?: () => readonly ResourceDefinition[]): WebhookSource {
  // Resolved once found (built-in resources are never unserved); looked up again while missing.
  const found = new Map<string, WatchCache>();
  const cacheOf = (resource: string): WatchCache | undefined => {
    const known = found.get(resource);
    if (known !== undefined) return known;
    const cache = storeOf(ADMISSION_GROUP, 'v1', resource)?.cache;
    if (cache !== undefined) found.set(resource, cache);
    return cache;
  };
  return {
    hasAny: () => (cacheOf('mutatingwebhookconfigurations')?.size ?? 0) > 0 || (cacheOf('validatingwebhookconfigurations')?.size ?? 0) > 0,
    mutating: () => cachedConfigurations(storeOf, 'mutatingwebhookconfigurations'),
    validating: () => cachedConfigurations(storeOf, 'validatingwebhookconfigurations'),
    namespaceLabels: async (name: string): Promise<Labels | undefined> => {
      const namespace = await namespaceNamed(storeOf, name);
      return namespace === undefined ? undefined : labelsOf(namespace);
    },
    ...(served === undefined ? {} : { equivalents: registryEquivalents(served) }),
  };
}

/** Services, EndpointSlices and Endpoints as their watch caches hold them. */
export function cacheServiceLookup(storeOf: StoreFinder): ServiceLookup {
  const one = (store: GenericStore | undefined, namespace: string, name: string): JsonObject | undefined =>
    store?.cache.get(store.key(namespace, name))?.object;
  return {
    service: (namespace, name) => one(storeOf('', 'v1', 'services'), namespace, name),
    endpoints: (namespace, name) => one(storeOf('', 'v1', 'endpoints'), namespace, name),
    endpointSlices: (namespace, service) => {
      const store = storeOf('discovery.k8s.io', 'v1', 'endpointslices');
      if (store === undefined || store.cache.size === 0) return [];
      const filter: ObjectFilter = { namespace, matches: (object) => object.labels[SERVICE_NAME_LABEL] === service };
      return store.cache.listPage(`${storagePrefix(store.definition)}${namespace}/`, filter, 0).items.map((item) => item.object);
    },
  };
}
