/**
 * @module
 * The entry point of the client: one REST client (one connection pool) to one API server, and from
 * it the resource clients — typed for the built-in kinds (`typed('apps/v1/Deployment')`), dynamic
 * for any resource (`resource({ group, version, resource, namespaced })`), or found by kind through
 * discovery (`forKind('example.com/v1', 'Widget')`).
 *
 * @example
 * const client = new KubeClient(loadConfig());
 * const pods = await client.typed('v1/Pod').namespace('default').list();
 */
import type { InProcessConnector } from '../api/transport.js';
import { BUILT_IN_KINDS, type BuiltInKindTypes } from '../api/types/index.js';
import type { RestConfig } from './config/rest-config.js';
import { DiscoveryClient, RestMapper } from './discovery.js';
import type { KubeObject } from './object.js';
import { ResourceClient, type ResourceRef } from './resource-client.js';
import type { ClientChannelPort } from './rest/channel-client.js';
import { RestClient, type RestClientOptions } from './rest/rest-client.js';

/** A built-in kind, named `apiVersion/Kind`: `v1/Pod`, `apps/v1/Deployment`. */
export type BuiltInKindName = keyof BuiltInKindTypes;

const BUILT_IN_REFS: ReadonlyMap<string, ResourceRef> = new Map(
  BUILT_IN_KINDS.map((k) => [`${k.group === '' ? '' : `${k.group}/`}${k.version}/${k.kind}`, { group: k.group, version: k.version, resource: k.resource, namespaced: k.namespaced, kind: k.kind }]),
);

export class KubeClient {
  readonly rest: RestClient;
  readonly discovery: DiscoveryClient;
  readonly mapper: RestMapper;

  constructor(config: RestConfig, options: RestClientOptions = {}) {
    this.rest = new RestClient(config, options);
    this.discovery = new DiscoveryClient(this.rest);
    this.mapper = new RestMapper(this.discovery);
  }

  /** A client for an API server in this process: requests travel over in-memory connections. */
  static inProcess(connector: InProcessConnector, options: Omit<RestClientOptions, 'inProcess'> & { readonly namespace?: string } = {}): KubeClient {
    return new KubeClient(inProcessConfig(options.namespace), { ...options, inProcess: connector });
  }

  /**
   * A client for an API server on another thread of this process, over a request channel (a
   * MessagePort the server serves with `ApiServer.serveChannel`): no HTTP between them.
   */
  static overChannel(port: ClientChannelPort, options: Omit<RestClientOptions, 'inProcess' | 'channel'> & { readonly namespace?: string } = {}): KubeClient {
    return new KubeClient(inProcessConfig(options.namespace), { ...options, channel: port });
  }

  /** The namespace of the config's context, or `default`. */
  get namespace(): string {
    return this.rest.config.namespace ?? 'default';
  }

  /** The typed client of a built-in kind. */
  typed<K extends BuiltInKindName>(kind: K): ResourceClient<BuiltInKindTypes[K]> {
    const ref = BUILT_IN_REFS.get(kind);
    if (ref === undefined) throw new Error(`${kind} is not a built-in kind`);
    return new ResourceClient<BuiltInKindTypes[K]>(this.rest, ref);
  }

  /** The dynamic client of any resource. */
  resource<T extends KubeObject = KubeObject>(ref: ResourceRef): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, ref);
  }

  /** The client of the resource serving `kind` in `apiVersion`, found through discovery. */
  async forKind<T extends KubeObject = KubeObject>(apiVersion: string, kind: string): Promise<ResourceClient<T>> {
    const builtIn = BUILT_IN_REFS.get(`${apiVersion}/${kind}`);
    return new ResourceClient<T>(this.rest, builtIn ?? (await this.mapper.mappingFor(apiVersion, kind)));
  }

  /** Closes the connections (requests under way fail); a client over a request channel cannot be used again. */
  close(): void {
    this.rest.close();
  }
}

/** The config of a client of a server in this process: no address, only a namespace. */
function inProcessConfig(namespace: string | undefined): RestConfig {
  return { server: 'http://in-process', ...(namespace === undefined ? {} : { namespace }) };
}
