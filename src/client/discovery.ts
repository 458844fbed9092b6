/**
 * @module
 * Discovery and the RESTMapper. The discovery client reads what a server serves — `/api`, `/apis`
 * and each group version's APIResourceList (the legacy, unaggregated documents every server has) —
 * and the mapper answers the two questions clients ask of it: which resource serves this kind
 * (`apps/v1` `Deployment` → `deployments`, namespaced), and which resource a user means by a name,
 * plural, singular or short (`deploy`, `deployments.apps`, `deployments.v1.apps`), as kubectl's
 * resource arguments do. Like client-go's DeferredDiscoveryRESTMapper, a miss rediscovers once, so
 * a CRD installed after start is found.
 */
import { isJsonObject, type JsonObject } from '../api/json.js';
import type { ResourceRef } from './resource-client.js';
import type { RestClient } from './rest/rest-client.js';

export interface DiscoveredResource extends ResourceRef {
  readonly kind: string;
  readonly singularName: string;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
  readonly categories: readonly string[];
  /** The group's preferred version serves it. */
  readonly preferred: boolean;
}

export class DiscoveryClient {
  constructor(private readonly rest: RestClient) {}

  /** `/version`. */
  serverVersion(): Promise<JsonObject> {
    return this.rest.request<JsonObject>({ method: 'GET', path: '/version' });
  }

  /** Every resource of every served group version (subresources left out). */
  async serverResources(signal?: AbortSignal): Promise<DiscoveredResource[]> {
    const request = <T>(path: string): Promise<T> => this.rest.request<T>({ method: 'GET', path, ...(signal === undefined ? {} : { signal }) });
    const [core, groups] = await Promise.all([request<JsonObject>('/api'), request<JsonObject>('/apis')]);
    const versions: { group: string; version: string; path: string; preferred: boolean }[] = [];
    for (const version of strings(core.versions)) versions.push({ group: '', version, path: `/api/${version}`, preferred: version === 'v1' });
    for (const group of objects(groups.groups)) {
      const name = typeof group.name === 'string' ? group.name : '';
      const preferred = isJsonObject(group.preferredVersion) ? group.preferredVersion.version : undefined;
      for (const entry of objects(group.versions)) {
        const version = typeof entry.version === 'string' ? entry.version : '';
        versions.push({ group: name, version, path: `/apis/${name}/${version}`, preferred: version === preferred });
      }
    }
    const lists = await Promise.all(versions.map(async (gv) => ({ gv, list: await request<JsonObject>(gv.path) })));
    const resources: DiscoveredResource[] = [];
    for (const { gv, list } of lists) {
      for (const entry of objects(list.resources)) {
        const resource = typeof entry.name === 'string' ? entry.name : '';
        if (resource === '' || resource.includes('/')) continue;
        resources.push({
          group: gv.group,
          version: gv.version,
          resource,
          namespaced: entry.namespaced === true,
          kind: typeof entry.kind === 'string' ? entry.kind : '',
          singularName: typeof entry.singularName === 'string' && entry.singularName !== '' ? entry.singularName : resource.replace(/s$/, ''),
          shortNames: strings(entry.shortNames),
          verbs: strings(entry.verbs),
          categories: strings(entry.categories),
          preferred: gv.preferred,
        });
      }
    }
    return resources;
  }
}

export class NoMatchError extends Error {
  override readonly name = 'NoMatchError';
}

export class RestMapper {
  private resources: Promise<DiscoveredResource[]> | undefined;

  constructor(private readonly discovery: DiscoveryClient) {}

  /** Forgets what was discovered; the next question asks the server again. */
  reset(): void {
    this.resources = undefined;
  }

  /** The resource serving `kind` in `apiVersion` (`v1`, `apps/v1`). */
  mappingFor(apiVersion: string, kind: string): Promise<DiscoveredResource> {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    return this.find(
      (r) => r.group === group && r.version === version && r.kind === kind,
      () => `no resource serves kind "${kind}" in version "${apiVersion}"; is its CRD installed?`,
    );
  }

  /**
   * The resource a user names: `pods`, `pod`, `po`, `deployments.apps`, `deploy.apps`,
   * `deployments.v1.apps`. Without a group, the core group wins, then the first group in discovery
   * order; within a group, the preferred version.
   */
  resourceFor(name: string): Promise<DiscoveredResource> {
    const lower = name.toLowerCase();
    const parts = lower.split('.');
    const head = parts[0] ?? '';
    const matchesName = (r: DiscoveredResource): boolean => r.resource === head || r.singularName === head || r.shortNames.includes(head) || r.kind.toLowerCase() === head;
    const candidates: ((r: DiscoveredResource) => boolean)[] = [(r) => matchesName(r) && r.group === '' && parts.length === 1];
    if (parts.length >= 3) {
      const version = parts[1] ?? '';
      const group = parts.slice(2).join('.');
      candidates.push((r) => matchesName(r) && r.version === version && r.group === group);
    }
    if (parts.length >= 2) candidates.push((r) => matchesName(r) && r.group === parts.slice(1).join('.'));
    if (parts.length === 1) candidates.push(matchesName);
    return this.find(
      (r) => candidates.some((c) => c(r)),
      () => `the server doesn't have a resource type "${name}"`,
      (matches) => candidates.map((c) => matches.filter(c)).find((m) => m.length > 0) ?? [],
    );
  }

  /** Every resource discovered (cached). */
  all(): Promise<DiscoveredResource[]> {
    this.resources ??= this.discovery.serverResources().catch((error: unknown) => {
      this.resources = undefined;
      throw error;
    });
    return this.resources;
  }

  private async find(
    predicate: (r: DiscoveredResource) => boolean,
    message: () => string,
    rank: (matches: DiscoveredResource[]) => DiscoveredResource[] = (m) => m,
  ): Promise<DiscoveredResource> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const ranked = rank((await this.all()).filter(predicate));
      const best = ranked.find((r) => r.preferred) ?? ranked[0];
      if (best !== undefined) return best;
      this.reset();
    }
    throw new NoMatchError(message());
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}
