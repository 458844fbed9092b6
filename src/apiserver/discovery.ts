/**
 * @module
 * Discovery, derived from the resource registry: legacy (/api, /apis, /apis/<group>,
 * /api/v1 and /apis/<group>/<version>) and aggregated v2 (an APIGroupDiscoveryList in one response,
 * which kubectl asks for first). kubectl resolves every resource name through it: plurals, singular
 * names, short names, categories (`kubectl get all`), verbs and subresources (`kubectl scale` needs
 * the scale entry). Aggregated responses carry an ETag, answer 304 to a matching If-None-Match and
 * echo the negotiated Content-Type (staging/src/k8s.io/apiserver/pkg/endpoints/discovery/aggregated).
 */
import { createHash } from 'node:crypto';
import type { ServerRequest, ServerReply } from './http/exchange.js';
import { type GroupVersion, apiVersionOf } from '../api/gvk.js';
import type { JsonObject } from '../api/json.js';
import { negotiateDiscoveryOutput } from './http/negotiation.js';
import { sendObject } from './http/respond.js';
import type { ResourceRegistry } from './registry/registry.js';
import type { ResourceDefinition } from './registry/resource-definition.js';

const RESOURCE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];
const REVIEW_VERBS = ['create'];
const COMPUTED_VERBS = ['get', 'list'];

/** Verbs and response kinds of the special subresources. */
const EXTRA_SUBRESOURCES: Readonly<Record<string, { readonly verbs: readonly string[]; readonly kind?: { group: string; version: string; kind: string } }>> = {
  binding: { verbs: ['create'], kind: { group: '', version: 'v1', kind: 'Binding' } },
  eviction: { verbs: ['create'], kind: { group: 'policy', version: 'v1', kind: 'Eviction' } },
  finalize: { verbs: ['update'] },
  log: { verbs: ['get'] },
  exec: { verbs: ['create', 'get'], kind: { group: '', version: 'v1', kind: 'PodExecOptions' } },
  attach: { verbs: ['create', 'get'], kind: { group: '', version: 'v1', kind: 'PodAttachOptions' } },
  portforward: { verbs: ['create', 'get'], kind: { group: '', version: 'v1', kind: 'PodPortForwardOptions' } },
};

export class Discovery {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly serverAddress: () => string,
  ) {}

  /** Serves a discovery path; false when `path` is not one. */
  serve(path: string, request: ServerRequest, response: ServerReply): boolean {
    // Every request passes here first: the resource paths, deeper than every discovery document, leave
    // before the path is split.
    if (deeperThan(path, 3)) return false;
    const parts = path.split('/').filter((p) => p !== '');
    if (parts[0] === 'api' && parts.length === 1) {
      this.serveRoot('api', request, response);
      return true;
    }
    if (parts[0] === 'apis' && parts.length === 1) {
      this.serveRoot('apis', request, response);
      return true;
    }
    if (parts[0] === 'api' && parts.length === 2) return this.serveResourceList({ group: '', version: parts[1] as string }, response);
    if (parts[0] === 'apis' && parts.length === 2) return this.serveGroup(parts[1] as string, response);
    if (parts[0] === 'apis' && parts.length === 3) {
      return this.serveResourceList({ group: parts[1] as string, version: parts[2] as string }, response);
    }
    return false;
  }

  private serveRoot(root: 'api' | 'apis', request: ServerRequest, response: ServerReply): void {
    const output = negotiateDiscoveryOutput(request.headers.accept);
    if (output.kind === 'aggregated') {
      const body = JSON.stringify(this.aggregated(root, output.version));
      const etag = `"${createHash('sha512').update(body).digest('hex').slice(0, 64)}"`;
      const contentType = `application/json;g=apidiscovery.k8s.io;v=${output.version};as=APIGroupDiscoveryList`;
      const headers = { 'Content-Type': contentType, ETag: etag, Vary: 'Accept', 'Cache-Control': 'no-cache, private' };
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, headers);
        response.end();
        return;
      }
      response.writeHead(200, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
      response.end(body);
      return;
    }
    if (root === 'api') {
      sendObject(response, 200, {
        kind: 'APIVersions',
        versions: this.registry.groupVersions().filter((gv) => gv.group === '').map((gv) => gv.version),
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress() }],
      });
      return;
    }
    sendObject(response, 200, {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.groups().map((group) => this.apiGroup(group)),
    });
  }

  private serveGroup(group: string, response: ServerReply): boolean {
    if (!this.groups().includes(group)) return false;
    sendObject(response, 200, { kind: 'APIGroup', apiVersion: 'v1', ...this.apiGroup(group) });
    return true;
  }

  private serveResourceList(gv: GroupVersion, response: ServerReply): boolean {
    const definitions = this.registry.resourcesOf(gv);
    if (definitions.length === 0) return false;
    sendObject(response, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: apiVersionOf(gv),
      resources: definitions.flatMap((d) => legacyResources(d)),
    });
    return true;
  }

  /** The non-core groups, in registration order. */
  private groups(): string[] {
    return [...new Set(this.registry.groupVersions().map((gv) => gv.group).filter((g) => g !== ''))];
  }

  private apiGroup(group: string): JsonObject {
    const versions = this.registry
      .groupVersions()
      .filter((gv) => gv.group === group)
      .map((gv) => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
    return { name: group, versions, preferredVersion: versions[0] ?? {} };
  }

  private aggregated(root: 'api' | 'apis', version: 'v2' | 'v2beta1'): JsonObject {
    const groups = root === 'api' ? [''] : this.groups();
    return {
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${version}`,
      metadata: {},
      items: groups.map((group) => ({
        metadata: group === '' ? {} : { name: group },
        versions: this.registry
          .groupVersions()
          .filter((gv) => gv.group === group)
          .map((gv) => ({
            version: gv.version,
            resources: this.registry.resourcesOf(gv).map(aggregatedResource),
            freshness: 'Current',
          })),
      })),
    };
  }
}

/**
 * A review (SelfSubjectAccessReview, …) is only ever created, a computed resource (metrics) only
 * read; other resources take every verb.
 */
function verbsOf(definition: ResourceDefinition): string[] {
  if (definition.review !== undefined) return REVIEW_VERBS;
  return definition.computed === undefined ? RESOURCE_VERBS : COMPUTED_VERBS;
}

function legacyResources(definition: ResourceDefinition): JsonObject[] {
  const main: JsonObject = {
    name: definition.resource,
    singularName: definition.singular,
    namespaced: definition.namespaced,
    kind: definition.kind,
    verbs: verbsOf(definition),
    ...(definition.shortNames.length > 0 ? { shortNames: [...definition.shortNames] } : {}),
    ...(definition.categories.length > 0 ? { categories: [...definition.categories] } : {}),
  };
  return [
    main,
    ...subresourcesOf(definition).map((sub) => ({
      name: `${definition.resource}/${sub.name}`,
      singularName: '',
      namespaced: definition.namespaced,
      ...(sub.kind.group === definition.group && sub.kind.version === definition.version ? {} : { group: sub.kind.group, version: sub.kind.version }),
      kind: sub.kind.kind,
      verbs: [...sub.verbs],
    })),
  ];
}

function aggregatedResource(definition: ResourceDefinition): JsonObject {
  return {
    resource: definition.resource,
    responseKind: { group: definition.group, version: definition.version, kind: definition.kind },
    scope: definition.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: definition.singular,
    verbs: verbsOf(definition),
    ...(definition.shortNames.length > 0 ? { shortNames: [...definition.shortNames] } : {}),
    ...(definition.categories.length > 0 ? { categories: [...definition.categories] } : {}),
    subresources: subresourcesOf(definition).map((sub) => ({
      subresource: sub.name,
      responseKind: sub.kind,
      verbs: [...sub.verbs],
    })),
  };
}

interface SubresourceEntry {
  readonly name: string;
  readonly kind: { group: string; version: string; kind: string };
  readonly verbs: readonly string[];
}

function subresourcesOf(definition: ResourceDefinition): SubresourceEntry[] {
  const own = { group: definition.group, version: definition.version, kind: definition.kind };
  const entries: SubresourceEntry[] = [];
  if (definition.statusSubresource) entries.push({ name: 'status', kind: own, verbs: SUBRESOURCE_VERBS });
  if (definition.scale !== undefined) {
    entries.push({ name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: SUBRESOURCE_VERBS });
  }
  for (const name of definition.extraSubresources ?? []) {
    const extra = EXTRA_SUBRESOURCES[name];
    entries.push({ name, kind: extra?.kind ?? own, verbs: extra?.verbs ?? SUBRESOURCE_VERBS });
  }
  return entries;
}

/** Whether `path` has more than `depth` non-empty segments, counted without splitting it. */
function deeperThan(path: string, depth: number): boolean {
  let segments = 0;
  for (let i = 0; i < path.length; i++) {
    if (path.charCodeAt(i) !== 0x2f /* / */ && (i === 0 || path.charCodeAt(i - 1) === 0x2f) && ++segments > depth) return true;
  }
  return false;
}
