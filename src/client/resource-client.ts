/**
 * @module
 * A client for one resource (a group, version and resource, GVR): get, list, watch, create, update,
 * patch, delete, delete-collection and subresources, with the query parameters kube-apiserver reads
 * (k8s.io/apimachinery/pkg/apis/meta/v1 ListOptions, CreateOptions, DeleteOptions, …). The typed
 * clients are this class with the kind's type; the dynamic client is it with {@link KubeObject}.
 *
 * A client is bound to one namespace (`namespace(ns)`) or to none: lists and watches then cover all
 * namespaces, and writes take the namespace from the object. `metadataOnly()` gives the same client
 * answered with objects' metadata only (client-go's metadata client).
 */
import type { KubeObject, ObjectList, PartialObjectMetadata } from './object.js';
import type { Query, RequestSpec, RestClient } from './rest/rest-client.js';
import type { WatchStream } from './rest/watch-stream.js';

export interface ResourceRef {
  readonly group: string;
  readonly version: string;
  /** The plural resource name, e.g. `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly kind?: string;
}

interface Cancellable {
  readonly signal?: AbortSignal;
}

export interface ListOptions extends Cancellable {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  readonly timeoutSeconds?: number;
}

export interface WatchOptions extends ListOptions {
  readonly allowWatchBookmarks?: boolean;
  /** Streaming list (KEP-3157): the current state as ADDED events, then a bookmark marking its end. */
  readonly sendInitialEvents?: boolean;
}

export interface WriteOptions extends Cancellable {
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
  readonly fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface DeleteOptions extends Cancellable {
  readonly dryRun?: boolean;
  readonly gracePeriodSeconds?: number;
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** The delete happens only if the object still has this uid and/or resourceVersion. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  readonly subresource?: string;
  readonly force?: boolean;
}

/** The Accept headers of the answers: one object's (get, watch events, writes) and a list's. */
interface AnswerForms {
  readonly object: string;
  readonly list: string;
}

/**
 * What client-go's metadata client asks for, less protobuf. No plain-JSON fallback: a server that
 * cannot answer with metadata only says so (406) rather than sending whole objects.
 */
const METADATA_FORMS: AnswerForms = {
  object: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
  list: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
};

const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    readonly rest: RestClient,
    readonly ref: ResourceRef,
    /** The bound namespace; undefined means all namespaces (or a cluster-scoped resource). */
    readonly boundNamespace?: string,
    private readonly forms?: AnswerForms,
  ) {}

  /** This resource in one namespace. */
  namespace(namespace: string): ResourceClient<T> {
    if (!this.ref.namespaced) throw new Error(`${this.ref.resource} is cluster-scoped: it has no namespaces`);
    return new ResourceClient<T>(this.rest, this.ref, namespace, this.forms);
  }

  /**
   * This client, answered with objects' metadata only (as=PartialObjectMetadata): gets, lists,
   * watches, patches and deletes carry no spec or status, as client-go's metadata client does.
   */
  metadataOnly(): ResourceClient<PartialObjectMetadata> {
    return new ResourceClient<PartialObjectMetadata>(this.rest, this.ref, this.boundNamespace, METADATA_FORMS);
  }

  get(name: string, options: Cancellable & { readonly resourceVersion?: string } = {}): Promise<T> {
    return this.rest.request<T>({ method: 'GET', path: this.path(this.boundNamespace, name), query: { resourceVersion: options.resourceVersion }, ...this.accept('object'), ...signal(options) });
  }

  list(options: ListOptions = {}): Promise<ObjectList<T>> {
    return this.rest.request<ObjectList<T>>({ method: 'GET', path: this.path(this.boundNamespace), query: listQuery(options), ...this.accept('list'), ...signal(options) });
  }

  watch(options: WatchOptions = {}): Promise<WatchStream<T>> {
    return this.rest.watch<T>({
      path: this.path(this.boundNamespace),
      query: { ...listQuery(options), allowWatchBookmarks: options.allowWatchBookmarks, sendInitialEvents: options.sendInitialEvents },
      ...this.accept('object'),
      ...signal(options),
    });
  }

  create(object: T, options: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'POST', path: this.path(this.namespaceFor(object)), query: writeQuery(options), body: object, ...this.accept('object'), ...signal(options) });
  }

  /** Replaces the object (PUT); its metadata.resourceVersion, when set, makes this a compare-and-swap. */
  update(object: T, options: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'PUT', path: this.path(this.namespaceFor(object), nameOf(object)), query: writeQuery(options), body: object, ...this.accept('object'), ...signal(options) });
  }

  /** Replaces the status subresource: only status changes; spec changes are ignored by the server. */
  updateStatus(object: T, options: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({
      method: 'PUT',
      path: this.path(this.namespaceFor(object), nameOf(object), 'status'),
      query: writeQuery(options),
      body: object,
      ...this.accept('object'),
      ...signal(options),
    });
  }

  patch(name: string, patch: unknown, type: PatchType, options: PatchOptions = {}): Promise<T> {
    return this.rest.request<T>(this.patchRequest(name, patch, type, options));
  }

  /** Like `patch`, for a caller that does not read the patched object: the answer is not decoded. */
  async patchUnread(name: string, patch: unknown, type: PatchType, options: PatchOptions = {}): Promise<void> {
    await this.rest.requestText(this.patchRequest(name, patch, type, options));
  }

  private patchRequest(name: string, patch: unknown, type: PatchType, options: PatchOptions): RequestSpec {
    return {
      method: 'PATCH',
      path: this.path(this.boundNamespace, name, options.subresource),
      query: writeQuery(options, options.force),
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      ...this.accept('object'),
      ...signal(options),
    };
  }

  /** Deletes the object; resolves to the object (while finalizers or grace keep it) or a Success Status. */
  delete(name: string, options: DeleteOptions = {}): Promise<T | KubeObject> {
    return this.rest.request<T | KubeObject>({ method: 'DELETE', path: this.path(this.boundNamespace, name), body: deleteBody(options), ...this.accept('object'), ...signal(options) });
  }

  deleteCollection(options: DeleteOptions & ListOptions = {}): Promise<ObjectList<T> | KubeObject> {
    return this.rest.request({ method: 'DELETE', path: this.path(this.boundNamespace), query: listQuery(options), body: deleteBody(options), ...this.accept('list'), ...signal(options) });
  }

  getSubresource<R = unknown>(name: string, subresource: string, options: Cancellable = {}): Promise<R> {
    return this.rest.request<R>({ method: 'GET', path: this.path(this.boundNamespace, name, subresource), ...signal(options) });
  }

  /** POSTs to a subresource (pods/binding, pods/eviction). */
  createSubresource<R = unknown>(name: string, subresource: string, body: unknown, options: WriteOptions = {}): Promise<R> {
    return this.rest.request<R>({ method: 'POST', path: this.path(this.boundNamespace, name, subresource), query: writeQuery(options), body, ...signal(options) });
  }

  updateSubresource<R = unknown>(name: string, subresource: string, body: unknown, options: WriteOptions = {}): Promise<R> {
    return this.rest.request<R>({ method: 'PUT', path: this.path(this.boundNamespace, name, subresource), query: writeQuery(options), body, ...signal(options) });
  }

  /** The API path of the collection, an object, or an object's subresource. */
  path(namespace?: string, name?: string, subresource?: string): string {
    const { group, version, resource, namespaced } = this.ref;
    let path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    if (namespaced && namespace !== undefined) path += `/namespaces/${encodeURIComponent(namespace)}`;
    path += `/${resource}`;
    if (name !== undefined) path += `/${encodeURIComponent(name)}`;
    if (subresource !== undefined) path += `/${subresource}`;
    return path;
  }

  /** The Accept header of an answer of this form, when this client asks for one. */
  private accept(form: keyof AnswerForms): { accept?: string } {
    return this.forms === undefined ? {} : { accept: this.forms[form] };
  }

  private namespaceFor(object: T): string | undefined {
    if (!this.ref.namespaced) return undefined;
    const namespace = this.boundNamespace ?? object.metadata?.namespace;
    if (namespace === undefined || namespace === '') {
      throw new Error(`${this.ref.resource} are namespaced: set metadata.namespace or call namespace(…) first`);
    }
    return namespace;
  }
}

function nameOf(object: KubeObject): string {
  const name = object.metadata?.name;
  if (name === undefined || name === '') throw new Error('the object has no metadata.name');
  return name;
}

function signal(options: Cancellable): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}

function listQuery(options: ListOptions): Query {
  return {
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    limit: options.limit,
    continue: options.continue,
    resourceVersion: options.resourceVersion,
    resourceVersionMatch: options.resourceVersionMatch,
    timeoutSeconds: options.timeoutSeconds,
  };
}

/** `force` is a patch's alone. (A literal: adding it to a spread copy took the slow path in V8 11.) */
function writeQuery(options: WriteOptions, force?: boolean): Query {
  return { dryRun: options.dryRun === true ? 'All' : undefined, fieldManager: options.fieldManager, fieldValidation: options.fieldValidation, force };
}

function deleteBody(options: DeleteOptions): object {
  return {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    ...(options.dryRun === true ? { dryRun: ['All'] } : {}),
    ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
    ...(options.propagationPolicy === undefined ? {} : { propagationPolicy: options.propagationPolicy }),
    ...(options.preconditions === undefined ? {} : { preconditions: options.preconditions }),
  };
}
