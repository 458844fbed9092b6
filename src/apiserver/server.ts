/**
 * @module
 * The API server: the resource registry over a revisioned store, one watch cache per resource, the
 * custom resources of every established CustomResourceDefinition (added and removed at run time as
 * the CRDs change, crd/crd-serving.ts), and the HTTP edge (node:http) that routes /api and /apis to
 * resource handlers and serves discovery, OpenAPI, /version and health. Every error leaves as a
 * Status. Requests other than long-running ones (watches, and pods/log which may follow a container)
 * are bounded: at most `maxRequestsInFlight` at once (429 with Retry-After beyond it) and
 * `requestTimeoutMs` each (504).
 *
 * @example
 * const server = new ApiServer({ store: await openStore('sqlite://data/kubelite.db') });
 * await server.start();
 * const { port } = await server.listen(0);
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { InProcessConnector } from '../api/transport.js';
import { type JsonObject, isJsonObject } from '../api/json.js';
import { builtInSchemas } from '../api/schema/definitions/index.js';
import type { SchemaSet } from '../api/schema/schema-set.js';
import { type GroupResource, StatusError, forbidden, notFound, timeoutError, tooManyRequests } from '../api/status.js';
import type { Store } from '../storage/interface.js';
import { type Clock, realClock } from '../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../util/logger.js';
import { MemorySocket } from '../util/memory-socket.js';
import { CrdServing } from './crd/crd-serving.js';
import { Discovery } from './discovery.js';
import { handleResourceRequest, notServed, type SubresourceHandler } from './handlers/resource-handler.js';
import type { ResourceScope } from './handlers/scope.js';
import { FairDispatcher } from './http/fair-dispatcher.js';
import { ChannelServer, type ServerChannelPort } from './http/channel-server.js';
import type { ServerReply, ServerRequest } from './http/exchange.js';
import { parseRequestInfo } from './http/request-info.js';
import { sendError, sendJsonText, sendObject } from './http/respond.js';
import { OpenApi } from './openapi/openapi.js';
import { GenericStore } from './registry/generic-store.js';
import { ResourceRegistry, storageKey, storagePrefix } from './registry/registry.js';
import type { ResourceDefinition } from './registry/resource-definition.js';
import { BUILT_IN_RESOURCES } from './resources/index.js';
import { SUBRESOURCE_HANDLERS } from './resources/subresources.js';
import { CRD_GROUP, CRD_RESOURCE } from './resources/crd-model.js';
import { NAMESPACES, SYSTEM_NAMESPACES, phaseOf } from './resources/namespaces.js';
import { PRIORITY_CLASS_GROUP, PRIORITY_CLASS_RESOURCE, SYSTEM_PRIORITY_CLASSES } from './resources/priorityclasses.js';
import { decodeStored } from './watch-cache/cached-object.js';
import { WatchCache } from './watch-cache/watch-cache.js';
import { Metrics, meteredStore } from './metrics.js';
import { cacheServiceLookup, cacheWebhookSource } from './admission/cache-source.js';
import { endpointServiceResolver } from './admission/service-resolver.js';
import { AgentPool, httpsTransportFor } from './admission/webhook-client.js';
import { type AdmissionChain, WebhookDispatcher } from './admission/dispatcher.js';
import type { MatchConditionEvaluator } from './admission/match-conditions.js';
import { CelMatchConditions } from './admission/cel-match-conditions.js';
import { CompositeAdmissionChain } from './admission/composite-chain.js';
import { cachePolicySource } from './admission/policy-cache-source.js';
import { ValidatingAdmissionPolicyPlugin } from './admission/policy-plugin.js';

export interface ApiServerOptions {
  readonly store: Store;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The resources to serve. @defaultValue every built-in resource */
  readonly resources?: readonly ResourceDefinition[];
  /** Watches without timeoutSeconds last a random time in [this, 2×this). @defaultValue 1800 */
  readonly minRequestTimeoutSeconds?: number;
  /** Non-watch requests taking longer get 504. @defaultValue 60000 */
  readonly requestTimeoutMs?: number;
  /**
   * Non-watch requests served at once; more get 429. Also the most requests of the request channels
   * that wait for their turn (fair-dispatcher.ts); more get 429 at once. @defaultValue 600
   * (kube-apiserver: 400 reads + 200 writes)
   */
  readonly maxRequestsInFlight?: number;
  /** Randomness for watch timeouts. @defaultValue Math.random */
  readonly random?: () => number;
  /** Options for each resource's watch cache. */
  readonly watchCache?: {
    readonly capacity?: number;
    readonly watcherCapacity?: number;
    readonly bookmarkIntervalMs?: number;
    readonly freshnessTimeoutMs?: number;
  };
  /** Evaluates webhooks' matchConditions. @defaultValue CEL ({@link CelMatchConditions}) */
  readonly matchConditions?: MatchConditionEvaluator;
}

/** How long after a namespace's DELETE creates in it check the namespace in storage (upstream's forceLiveLookupTTL). */
const FORCE_LIVE_LOOKUP_MS = 30_000;

/**
 * Subresources whose requests are long-running, as kube-apiserver's BasicLongRunningRequestCheck
 * (pkg/controlplane/apiserver/config.go): exempt from the in-flight limit and the request timeout.
 */
const LONG_RUNNING_SUBRESOURCES: ReadonlySet<string> = new Set(['attach', 'exec', 'log', 'portforward', 'proxy']);

/** What /version answers (kubectl version shows it). */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kubelite',
  gitCommit: 'kubelite',
  gitTreeState: 'clean',
  buildDate: '2026-11-25T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch}`,
};

export class ApiServer implements InProcessConnector {
  readonly registry: ResourceRegistry;
  readonly schemas: SchemaSet;
  private readonly scopes = new Map<string, ResourceScope>();
  /** Namespaces this server was asked to delete, until when their lifecycle check reads storage. */
  private readonly recentlyDeletedNamespaces = new Map<string, number>();
  /** Each routed resource request's metric labels, for when it finishes. */
  private readonly requestLabels = new WeakMap<ServerRequest, { verb: string; group: string; resource: string }>();
  private readonly discovery: Discovery;
  private readonly openapi: OpenApi;
  private readonly clock: Clock;
  private readonly logger: Logger;
  readonly metrics = new Metrics();
  private readonly store: Store;
  private http: Server | undefined;
  /** Serves in-process connections (`connect`); never listens on a port. */
  private inProcess: Server | undefined;
  /** The request channels served (serveChannel). */
  private readonly channels = new Set<ChannelServer>();
  /** Starts the channels' requests in turn, each channel a flow (fair-dispatcher.ts). */
  private readonly dispatcher = new FairDispatcher<ChannelServer>();
  private inFlight = 0;
  private ready = false;
  /** Serves the custom resources of the CRDs (when the CRD resource itself is served). */
  private crdServing: CrdServing | undefined;
  /** The kept-alive connections to admission webhooks, one agent per caBundle. */
  private readonly webhookAgents = new AgentPool();
  /**
   * Dynamic admission: the webhooks of the Mutating- and ValidatingWebhookConfigurations, and the
   * ValidatingAdmissionPolicies (validated before the validating webhooks are called).
   */
  private readonly admission: AdmissionChain;

  constructor(private readonly options: ApiServerOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.store = meteredStore(options.store, this.metrics);
    this.metrics.gauge({
      name: 'apiserver_longrunning_requests',
      help: 'Gauge of all active long-running apiserver requests (watches) broken out by resource.',
      read: () => [...this.scopes.values()].map((scope) => ({ labels: { verb: 'WATCH', group: scope.definition.group, resource: scope.definition.resource }, value: scope.store.cache.watcherCount })),
    });
    this.metrics.gauge({
      name: 'apiserver_watch_cache_resource_objects',
      help: 'Number of objects in the watch cache, by resource.',
      read: () => [...this.scopes.values()].map((scope) => ({ labels: { group: scope.definition.group, resource: scope.definition.resource }, value: scope.store.cache.size })),
    });
    this.metrics.gauge({
      name: 'apiserver_flowcontrol_current_inqueue_requests',
      help: 'Number of requests currently pending in queues of the API Priority and Fairness subsystem (here: the request channels waiting for their turn).',
      read: () => [{ labels: {}, value: this.dispatcher.queued }],
    });
    this.schemas = builtInSchemas();
    const storeOf = (group: string, version: string, resource: string): GenericStore | undefined => this.storeOf(group, version, resource);
    this.admission = new CompositeAdmissionChain(
      new ValidatingAdmissionPolicyPlugin(cachePolicySource(storeOf, () => this.registry.all())),
      new WebhookDispatcher({
        source: cacheWebhookSource(storeOf, () => this.registry.all()),
        // clientConfig.service reaches an endpoint of the Service (kube-apiserver --enable-aggregator-routing).
        transport: httpsTransportFor({ resolveService: endpointServiceResolver(cacheServiceLookup(storeOf)), agents: this.webhookAgents }),
        logger: this.logger,
        matchConditions: options.matchConditions ?? new CelMatchConditions(),
      }),
    );
    this.registry = new ResourceRegistry();
    this.discovery = new Discovery(this.registry, () => this.address());
    this.openapi = new OpenApi(this.registry, () => this.schemas);
    for (const definition of options.resources ?? BUILT_IN_RESOURCES) this.addResource(definition);
  }

  /** Serves a resource: registers it and gives it a store and a watch cache (started by `start`). */
  addResource(definition: ResourceDefinition): void {
    const scope = this.newScope(definition);
    this.scopes.set(scopeKey(definition.group, definition.version, definition.resource), scope);
    this.registry.add(definition);
    if (this.ready) {
      scope.store.cache.start().catch((error: unknown) => this.logger.error(`watch cache of ${definition.resource}: ${errorMessage(error)}`));
    }
  }

  /**
   * Serves a resource at run time (a CRD's): its watch cache is filled before the first request can
   * reach it. Refused when the resource is already served.
   */
  async serveResource(definition: ResourceDefinition): Promise<void> {
    const key = scopeKey(definition.group, definition.version, definition.resource);
    if (this.scopes.has(key)) throw new Error(`resource ${key} is already served`);
    const scope = this.newScope(definition);
    await scope.store.cache.start();
    if (this.scopes.has(key)) {
      await scope.store.cache.close();
      throw new Error(`resource ${key} is already served`);
    }
    this.scopes.set(key, scope);
    this.registry.add(definition);
  }

  /** Stops serving a resource: it leaves routing, discovery and OpenAPI, and its watches end. */
  async removeResource(group: string, version: string, resource: string): Promise<void> {
    const key = scopeKey(group, version, resource);
    const scope = this.scopes.get(key);
    if (scope === undefined) return;
    this.scopes.delete(key);
    this.registry.remove(group, version, resource);
    await scope.store.cache.close();
  }

  private newScope(definition: ResourceDefinition): ResourceScope {
    const cache = new WatchCache({
      store: this.store,
      prefix: storagePrefix(definition),
      fieldsOf: definition.strategy.selectableFields ?? (() => ({})),
      ...(definition.storedAs === undefined ? {} : { fromStorage: definition.storedAs.fromStorage }),
      clock: this.clock,
      logger: this.logger,
      ...(this.options.watchCache ?? {}),
    });
    const store = new GenericStore({
      definition,
      store: this.store,
      cache,
      namespaceGate: (namespace, name, resource) => this.admitNamespace(namespace, name, resource),
      lookup: (group, version, resource) => this.storeOf(group, version, resource),
      served: () => this.registry.all(),
      now: () => this.clock.now(),
      admission: this.admission,
    });
    return {
      definition,
      store,
      schemas: this.schemas,
      now: () => this.clock.now(),
      random: this.options.random ?? Math.random,
      minRequestTimeoutSeconds: this.options.minRequestTimeoutSeconds ?? 1800,
      lookup: (group, version, resource) => this.storeOf(group, version, resource),
    };
  }

  /** The store of a served resource (for bootstrapping and in-process callers). */
  storeOf(group: string, version: string, resource: string): GenericStore | undefined {
    return this.scopes.get(scopeKey(group, version, resource))?.store;
  }

  /**
   * Fills every watch cache, serves the custom resources of every CRD in storage (and from then on
   * follows the CRDs), and creates the system namespaces and PriorityClasses; then the server is ready.
   */
  async start(): Promise<void> {
    await Promise.all([...this.scopes.values()].map((scope) => scope.store.cache.start()));
    const crds = this.storeOf(CRD_GROUP, 'v1', CRD_RESOURCE);
    if (crds !== undefined) {
      this.crdServing = new CrdServing({
        crds,
        host: {
          resources: () => this.registry.all(),
          serve: (definition) => this.serveResource(definition),
          unserve: (definition) => this.removeResource(definition.group, definition.version, definition.resource),
          store: (definition) => this.storeOf(definition.group, definition.version, definition.resource),
        },
        clock: this.clock,
        logger: this.logger,
      });
      await this.crdServing.start();
    }
    await this.createSystemObjects();
    this.ready = true;
  }

  /** Listens on `port` (0: any free port) on `host`. */
  listen(port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
    const server = this.httpServer();
    this.http = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  }

  /**
   * A new in-process connection: one end of an in-memory socket pair whose other end this server
   * reads as if a client had connected over TCP (the client's in-process transport uses it).
   */
  connect(): Duplex {
    this.inProcess ??= this.httpServer();
    const [client, server] = MemorySocket.pair();
    this.inProcess.emit('connection', server);
    return client;
  }

  /**
   * Serves the requests arriving on a request channel (api/transport.ts): `kubelite up`'s
   * control-plane thread reaches the server this way, without HTTP, through the same handler.
   */
  serveChannel(port: ServerChannelPort): void {
    const channel: ChannelServer = new ChannelServer(port, (request, reply) => {
      const received = performance.now();
      // A full queue refuses at once, as APF's does (429), rather than let waits grow without bound.
      if (this.dispatcher.queued >= this.maxRequestsInFlight) this.refuse(request, reply, received);
      else this.dispatcher.enqueue(channel, { start: () => this.handle(request, reply, received), abandoned: () => reply.destroyed });
    });
    this.channels.add(channel);
    port.on('close', () => this.channels.delete(channel));
  }

  private httpServer(): Server {
    return createServer({ maxHeaderSize: 64 * 1024, keepAliveTimeout: 30_000 }, (request, response) => this.handle(request, response));
  }

  /** Stops listening, ends every watch and stops the caches. The store stays open (the caller owns it). */
  async close(): Promise<void> {
    await this.crdServing?.close();
    this.webhookAgents.destroy();
    this.inProcess?.closeAllConnections();
    for (const channel of this.channels) channel.close();
    this.channels.clear();
    const servers = [this.http].filter((server): server is Server => server !== undefined);
    for (const server of servers) server.closeIdleConnections();
    const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    await Promise.all([...this.scopes.values()].map((scope) => scope.store.cache.close()));
    for (const server of servers) server.closeAllConnections();
    await Promise.all(closed);
  }

  /**
   * The request handler, of node:http's requests and of the request channels' alike. `received` is
   * when the request arrived (a channel's request may have waited for its turn): its duration, as
   * upstream's apiserver_request_duration_seconds, counts from there.
   */
  handle(request: ServerRequest, response: ServerReply, received = performance.now()): void {
    response.once('close', () => this.record(request, response, received));
    this.route(request, response).catch((error: unknown) => {
      if (!(error instanceof StatusError)) this.logger.error(`${request.method} ${request.url}: ${errorMessage(error)}`);
      // Sending the error can fail too (a code or header Node refuses): that must never escape as
      // an unhandled rejection, which would end the process. The client sees the connection drop.
      try {
        sendError(response, error);
      } catch (sendFailure) {
        this.logger.error(`${request.method} ${request.url}: sending the error failed: ${errorMessage(sendFailure)}`);
        response.destroy();
      }
    });
  }

  private async route(request: ServerRequest, response: ServerReply): Promise<void> {
    const url = splitUrl(request.url);
    const path = url.pathname;
    if (path === '/version' || path === '/version/') return sendObject(response, 200, VERSION_INFO);
    if (path === '/metrics') {
      const text = this.metrics.render();
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
      response.end(text);
      return undefined;
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz' || path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/')) {
      return this.health(path, response);
    }
    if (path === '/openapi/v2') return sendJsonText(response, 200, this.openapi.v2());
    if (path === '/openapi/v3' || path === '/openapi/v3/') return sendObject(response, 200, this.openapi.v3Index());
    if (path.startsWith('/openapi/v3/')) {
      const document = this.openapi.v3(path.slice('/openapi/v3/'.length));
      if (document === undefined) throw notServed();
      response.setHeader('ETag', `"${document.hash}"`);
      return sendJsonText(response, 200, document.json);
    }
    if (this.discovery.serve(path, request, response)) return undefined;
    const info = parseRequestInfo(request.method ?? 'GET', path, url.searchParams);
    if (info.kind === 'nonResource') throw notServed();
    const scope = this.scopes.get(scopeKey(info.group, info.version, info.resource));
    if (scope === undefined) throw notServed();
    const resource = info.subresource === '' ? info.resource : `${info.resource}/${info.subresource}`;
    this.requestLabels.set(request, { verb: info.verb, group: info.group, resource });
    if (info.verb === 'delete' && info.group === '' && info.resource === 'namespaces' && info.subresource === '') {
      const now = this.clock.now();
      if (this.recentlyDeletedNamespaces.size >= 1024) {
        for (const [name, until] of this.recentlyDeletedNamespaces) if (until < now) this.recentlyDeletedNamespaces.delete(name);
      }
      this.recentlyDeletedNamespaces.set(info.name, now + FORCE_LIVE_LOOKUP_MS);
    }
    if (info.verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(info.subresource)) {
      return handleResourceRequest(scope, info, request, response, url.searchParams, SUBRESOURCE_HANDLERS);
    }
    return this.bounded(response, () => handleResourceRequest(scope, info, request, response, url.searchParams, SUBRESOURCE_HANDLERS));
  }

  private get maxRequestsInFlight(): number {
    return this.options.maxRequestsInFlight ?? 600;
  }

  /** Answers 429 without running the request (its channel's queue is full). */
  private refuse(request: ServerRequest, response: ServerReply, received: number): void {
    response.once('close', () => this.record(request, response, received));
    sendError(response, tooManyRequests('Too many requests, please try again later.', 1));
  }

  /** Runs a short request within the in-flight limit and the request timeout. */
  private async bounded(response: ServerReply, work: () => Promise<void>): Promise<void> {
    if (this.inFlight >= this.maxRequestsInFlight) throw tooManyRequests('Too many requests, please try again later.', 1);
    this.inFlight++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(timeoutError('request did not complete within the allowed duration', 0)),
        this.options.requestTimeoutMs ?? 60_000,
      );
    });
    try {
      await Promise.race([work(), timeout]);
    } catch (error) {
      if (!response.headersSent) throw error;
      response.end();
    } finally {
      clearTimeout(timer);
      this.inFlight--;
    }
  }

  /**
   * Counts a finished request under its verb and resource; anything else (discovery, a resource not
   * served, a path that does not parse) under its method alone, so no URL makes a series of its own.
   */
  private record(request: ServerRequest, response: ServerReply, started: number): void {
    const labels = this.requestLabels.get(request) ?? { verb: (request.method ?? 'GET').toLowerCase(), group: '', resource: '' };
    // Spelled out: in V8 11 a property added to a spread copy costs a trip through the runtime.
    this.metrics.request({ verb: labels.verb, group: labels.group, resource: labels.resource, code: response.statusCode }, (performance.now() - started) / 1000);
  }

  private health(path: string, response: ServerReply): void {
    const ok = path.startsWith('/readyz') ? this.ready : true;
    const text = ok ? 'ok' : 'not ready: the watch caches are still filling';
    response.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
    response.end(text);
  }

  /**
   * NamespaceLifecycle admission (plugin/pkg/admission/namespace/lifecycle): new objects need an
   * existing namespace that is not terminating. A namespace missing from the cache is looked up in
   * storage before the request is refused, since it may have been created a moment ago.
   */
  private async admitNamespace(namespace: string, name: string, resource: GroupResource): Promise<void> {
    const namespaces = this.scopes.get(scopeKey('', 'v1', 'namespaces'))?.store;
    if (namespaces === undefined) return;
    let object = namespaces.cache.get(storageKey(NAMESPACES, '', namespace))?.object;
    const deletedUntil = this.recentlyDeletedNamespaces.get(namespace);
    if (deletedUntil !== undefined && deletedUntil < this.clock.now()) this.recentlyDeletedNamespaces.delete(namespace);
    // A namespace deleted a moment ago may still be Active in the cache (its watch lags storage,
    // more so on etcd): read it live, as upstream's forceLiveLookupCache does for 30 s
    // (plugin/pkg/admission/namespace/lifecycle/admission.go).
    if (object === undefined || (deletedUntil !== undefined && deletedUntil >= this.clock.now())) {
      const kv = await this.store.get(storageKey(NAMESPACES, '', namespace));
      if (kv === undefined) throw notFound({ group: '', resource: 'namespaces' }, namespace);
      object = decodeStored(kv.value, kv.key);
    }
    if (phaseOf(object) === 'Terminating') {
      throw forbidden(resource, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /**
   * Creates, when absent, what every cluster has from its start: the system namespaces and the
   * system PriorityClasses (kube-apiserver's bootstrap post-start hooks, e.g.
   * pkg/registry/scheduling/rest/storage_scheduling.go AddSystemPriorityClasses).
   */
  private async createSystemObjects(): Promise<void> {
    const namespaces = SYSTEM_NAMESPACES.map((name): JsonObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
    await this.createAbsent(this.storeOf('', 'v1', 'namespaces'), namespaces);
    await this.createAbsent(this.storeOf(PRIORITY_CLASS_GROUP, 'v1', PRIORITY_CLASS_RESOURCE), SYSTEM_PRIORITY_CLASSES);
  }

  /** Creates each cluster-scoped object `store` does not hold yet (nothing when the resource is not served). */
  private async createAbsent(store: GenericStore | undefined, objects: readonly JsonObject[]): Promise<void> {
    if (store === undefined) return;
    for (const object of objects) {
      const name = isJsonObject(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '';
      if (store.cache.get(store.key('', name)) !== undefined) continue;
      try {
        await store.create('', object, { subresource: undefined, dryRun: false, now: this.clock.now() });
      } catch (error) {
        if (!(error instanceof StatusError && error.reason === 'AlreadyExists')) throw error;
      }
    }
  }

  private address(): string {
    const address = this.http?.address();
    return typeof address === 'object' && address !== null ? `${address.address}:${address.port}` : '127.0.0.1:0';
  }
}

/**
 * The path and query of a request target, taken as sent: no dot-segment resolution, so a ".." in a
 * path is a name the request-info parser refuses, never a step to another object.
 */
function splitUrl(target: string | undefined): { readonly pathname: string; readonly searchParams: URLSearchParams } {
  const raw = target ?? '/';
  const question = raw.indexOf('?');
  return question < 0
    ? { pathname: raw, searchParams: new URLSearchParams() }
    : { pathname: raw.slice(0, question), searchParams: new URLSearchParams(raw.slice(question + 1)) };
}

function scopeKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}
