/**
 * @module
 * The verbs of one resource on the revisioned store — create, get, list, watch, update, patch,
 * delete, deletecollection — with Kubernetes' semantics, after k8s.io/apiserver
 * pkg/registry/generic/registry/store.go and pkg/registry/rest: system fields (uid,
 * creationTimestamp, generation), optimistic concurrency on resourceVersion, the status subresource
 * split, finalizers and two-phase deletion, graceful deletion, propagation-policy finalizers for the
 * garbage collector, and server-side dry run. Reads at a resourceVersion and every watch go to the
 * watch cache; writes go to storage, and the cache hears of them through its storage watch.
 */
import { type FieldError, invalidError } from '../../api/field-errors.js';
import { type JsonObject, cloneJson, isJsonObject, jsonEqual } from '../../api/json.js';
import { type GroupResource, StatusError, alreadyExists, badRequest, conflict, forbidden, internalError, notFound } from '../../api/status.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../api/validation/object-meta.js';
import { nameIsDNSSubdomain } from '../../api/validation/names.js';
import { isStorageError } from '../../storage/errors.js';
import type { KeyValue, Store } from '../../storage/interface.js';
import { type CachedObject, encodeForStorage, fromKeyValue, servedJson } from '../watch-cache/cached-object.js';
import type { WatchCache } from '../watch-cache/watch-cache.js';
import { formatTime } from '../../api/time.js';
import type { HookContext, RequestContext, ResourceDefinition, StoreLookup } from './resource-definition.js';
import {
  finalizersOf,
  generateName,
  isDeleting,
  metaString,
  metadataOf,
  newUid,
  readMetadata,
  setFinalizers,
  setMeta,
} from './object-meta.js';
import { storageKey } from './registry.js';
import type { AdmissionChain } from '../admission/dispatcher.js';
import { admitCreate, admitDelete, admitUpdate, validateCreate, validateUpdate } from '../admission/store-hooks.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** How the write ended, for the response code and headers. */
export interface WriteResult {
  readonly object: JsonObject;
  /** `object` as JSON, when it is exactly what was stored: the response needs no serializing. */
  readonly json?: string;
  readonly warnings: readonly string[];
  /** An update that created the object (201). */
  readonly created?: boolean;
}

export interface DeleteRequest {
  readonly gracePeriodSeconds?: number;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly orphanDependents?: boolean;
}

export interface DeleteResult {
  readonly object: JsonObject;
  /** False when deletion is pending (finalizers or a grace period). */
  readonly deleted: boolean;
  /** What admission webhooks warned of, for the response's Warning headers. */
  readonly warnings: readonly string[];
}

/** What a delete does once admitted; admission adds the warnings. */
type AdmittedDelete = Omit<DeleteResult, 'warnings'>;

const NO_WARNINGS: readonly string[] = Object.freeze([]);

/**
 * NamespaceLifecycle admission: throws the Status error when `namespace` does not accept a new
 * object named `name` (missing: 404; terminating: 403).
 */
export type NamespaceGate = (namespace: string, name: string, resource: GroupResource) => Promise<void>;

export interface GenericStoreOptions {
  readonly definition: ResourceDefinition;
  readonly store: Store;
  readonly cache: WatchCache;
  /** NamespaceLifecycle admission: refuses objects in missing or terminating namespaces. */
  readonly namespaceGate: NamespaceGate;
  /** The other resources' stores, for hooks that need them. */
  readonly lookup: StoreLookup;
  /** Every resource the server serves, for hooks that need them. @defaultValue none */
  readonly served?: () => readonly ResourceDefinition[];
  readonly now: () => number;
  /** Dynamic admission (webhooks); consulted only while `active()`. @defaultValue none */
  readonly admission?: AdmissionChain;
}

/** Retries of an update or patch whose read was overtaken by another write. */
const MAX_CONFLICT_RETRIES = 20;

export class GenericStore {
  readonly definition: ResourceDefinition;
  readonly groupResource: GroupResource;
  private readonly store: Store;
  readonly cache: WatchCache;

  /** The revisioned store (reads at exact or compacted revisions go there directly). */
  get storage(): Store {
    return this.store;
  }

  constructor(private readonly options: GenericStoreOptions) {
    this.definition = options.definition;
    this.store = options.store;
    this.cache = options.cache;
    this.groupResource = { group: this.definition.group, resource: this.definition.resource };
  }

  key(namespace: string, name: string): string {
    return storageKey(this.definition, namespace, name);
  }

  /**
   * The object as of now, for a GET without resourceVersion: from the watch cache when it has seen
   * every write storage has committed — asked after the request arrived, so no write acknowledged
   * before it is missed (the argument of KEP-2340, consistent reads from cache) — otherwise a quorum
   * read from storage.
   */
  async getConsistent(namespace: string, name: string): Promise<CachedObject> {
    const current = await this.store.currentRevision();
    if (this.cache.revision < current) return this.getLatest(namespace, name);
    const cached = this.cache.get(this.key(namespace, name));
    if (cached === undefined) throw notFound(this.groupResource, name);
    return cached;
  }

  /** The object as stored now (a quorum read from storage), or 404. */
  async getLatest(namespace: string, name: string): Promise<CachedObject> {
    const kv = await this.store.get(this.key(namespace, name));
    if (kv === undefined) throw notFound(this.groupResource, name);
    return this.decode(kv);
  }

  /** Creates an object from a request body (already decoded and checked against the URL). */
  async create(namespace: string, body: JsonObject, context: RequestContext): Promise<WriteResult> {
    const { definition } = this;
    const admission = this.admission(context);
    const admissionWarnings: string[] = [];
    let object = cloneJson(body);
    if (context.admission !== false) await definition.strategy.admit?.(object, undefined, this.hookContext(context));
    if (admission !== undefined) object = await admitCreate(admission, definition, namespace, object, context, admissionWarnings);
    const metadata = metadataOf(object);
    if (definition.namespaced) metadata.namespace = namespace;
    else delete metadata.namespace;
    if (metaString(object, 'name') === '' && metaString(object, 'generateName') !== '') {
      metadata.name = generateName(metaString(object, 'generateName'));
    }
    setSystemFields(object, context.now, definition.tracksGeneration);
    definition.strategy.defaults?.(object);
    if (definition.statusSubresource && definition.keepStatusOnCreate !== true) clearForCreate(object);
    definition.strategy.prepareForCreate?.(object, context);
    const errors = [...this.validateMeta(object), ...(definition.strategy.validate?.(object, context) ?? [])];
    if (errors.length > 0) throw this.invalid(object, errors);
    if (definition.namespaced) await this.options.namespaceGate(namespace, metaString(object, 'name'), this.groupResource);
    if (context.admission !== false) await definition.strategy.validateAdmission?.(object, undefined, this.hookContext(context));
    if (admission !== undefined) await validateCreate(admission, definition, namespace, object, context, admissionWarnings);
    const warnings = [...(definition.strategy.warnings?.(object, undefined) ?? []), ...admissionWarnings];
    const undo = await definition.strategy.beforeCreate?.(object, this.hookContext(context));
    if (context.dryRun) return { object, warnings };
    const name = metaString(object, 'name');
    try {
      const key = this.key(namespace, name);
      const value = this.encode(object);
      this.cache.expectWrite(key, value, object);
      const kv = await this.store.create(key, value, this.ttl());
      return this.written(key, value, kv.modRevision, object, warnings);
    } catch (error) {
      await undo?.();
      if (isStorageError(error, 'KeyExists')) throw alreadyExists(this.groupResource, name);
      throw this.interpret(error, name);
    }
  }

  /**
   * Creates a review (a kind with `review`): nothing is stored. The body goes through mutating
   * admission, validation and validating admission as a create does, then the review answers it
   * (kube-apiserver's create handler and the reviews' REST.Create). Upstream names no object in
   * the 422 of an invalid review.
   */
  async review(namespace: string, body: JsonObject, context: RequestContext): Promise<WriteResult> {
    const { definition } = this;
    const answer = definition.review;
    if (answer === undefined) throw new Error(`${definition.resource} is not a review`);
    const admission = this.admission(context);
    const warnings: string[] = [];
    let object = cloneJson(body);
    if (admission !== undefined) object = await admitCreate(admission, definition, namespace, object, context, warnings);
    const errors = definition.strategy.validate?.(object, context) ?? [];
    if (errors.length > 0) throw invalidError({ group: definition.group, kind: definition.kind }, '', errors);
    if (admission !== undefined) await validateCreate(admission, definition, namespace, object, context, warnings);
    return { object: answer(object, namespace, context), warnings };
  }

  private ttl(): { ttlSeconds?: number } {
    return this.definition.ttlSeconds === undefined ? {} : { ttlSeconds: this.definition.ttlSeconds };
  }

  /** Spelled out: in V8 11, fields added after a spread of `context` went through the runtime, 3 µs a call. */
  private hookContext(context: RequestContext): HookContext {
    const { subresource, dryRun, now, admission } = context;
    const { lookup } = this.options;
    const served = this.options.served ?? NONE_SERVED;
    return admission === undefined
      ? { subresource, dryRun, now, storage: this.store, lookup, served }
      : { subresource, dryRun, now, admission, storage: this.store, lookup, served };
  }

  /**
   * Replaces an object (PUT). A resourceVersion in the body must match what is stored (409
   * otherwise); without one the update is unconditional. `/status` writes only the status; the main
   * resource of a kind with a status subresource cannot change the status.
   */
  async update(namespace: string, name: string, body: JsonObject, context: RequestContext): Promise<WriteResult> {
    const requested = metaString(body, 'resourceVersion');
    // The change ignores the current object (it is the body), so that object needs no copy.
    return this.readModifyWrite(namespace, name, context, () => (requested === '' ? undefined : requested), () => cloneJson(body), true);
  }

  /**
   * Applies a change computed from the stored object (PATCH): `change` gets a copy of the current
   * object (resourceVersion included) and returns the new one. Retried on a conflicting write unless
   * the result carries a resourceVersion of its own that no longer matches. With `copies`, the
   * change promises to leave its argument alone and to return an object of its own (a patch applied
   * to a copy it makes itself), so it gets the current object without a copy.
   */
  async patch(
    namespace: string,
    name: string,
    context: RequestContext,
    change: (current: JsonObject) => JsonObject,
    options: { readonly copies?: boolean } = {},
  ): Promise<WriteResult> {
    // A patch is conditional only if it changes resourceVersion itself (kube-apiserver's patcher);
    // otherwise it is re-applied to the newest object when another write gets in first.
    return this.readModifyWrite(
      namespace,
      name,
      context,
      (current, updated) => {
        const requested = versionOf(updated);
        return requested === metaString(current, 'resourceVersion') ? undefined : requested;
      },
      change,
      options.copies === true,
    );
  }

  async delete(namespace: string, name: string, request: DeleteRequest, context: RequestContext): Promise<DeleteResult> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.getLatest(namespace, name);
      const refusal = this.definition.strategy.refuseDelete?.(current.object);
      if (refusal !== undefined) throw forbidden(this.groupResource, name, refusal);
      checkPreconditions(this.groupResource, current, request);
      try {
        return await this.deleteOnce(current, request, context);
      } catch (error) {
        if (isStorageError(error, 'Conflict') && attempt < MAX_CONFLICT_RETRIES) continue;
        if (isStorageError(error, 'KeyNotFound')) throw notFound(this.groupResource, name);
        throw this.interpret(error, name);
      }
    }
  }

  /**
   * Deletes every object `select` returns, as individual deletes with the same options; the
   * warnings are all of theirs, each once (upstream's request-scoped warning recorder deduplicates).
   */
  async deleteCollection(
    objects: readonly CachedObject[],
    request: DeleteRequest,
    context: RequestContext,
  ): Promise<{ readonly items: JsonObject[]; readonly warnings: readonly string[] }> {
    const deleted: JsonObject[] = [];
    const warnings = new Set<string>();
    for (const object of objects) {
      // Objects that may never be deleted (the system PriorityClasses) stay; the rest still go.
      if (this.definition.strategy.refuseDelete?.(object.object) !== undefined) continue;
      try {
        const result = await this.delete(object.namespace, object.name, request, context);
        deleted.push(result.object);
        for (const warning of result.warnings) warnings.add(warning);
      } catch (error) {
        // An object deleted by someone else meanwhile is simply gone.
        if (!(error instanceof StatusError && error.reason === 'NotFound')) throw error;
      }
    }
    return { items: deleted, warnings: [...warnings] };
  }

  private async readModifyWrite(
    namespace: string,
    name: string,
    context: RequestContext,
    precondition: (current: JsonObject, updated: JsonObject) => string | undefined,
    /** Returns the new object: its argument changed, or an object of its own, never one shared. */
    change: (current: JsonObject) => JsonObject,
    /** `change` copies: it gets the cached object itself (read only). */
    changeCopies = false,
  ): Promise<WriteResult> {
    const key = this.key(namespace, name);
    for (let attempt = 0; ; attempt++) {
      // The first try starts from the watch cache's copy, as upstream's GuaranteedUpdate starts from
      // its cachedExistingObject (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go): usually
      // current, and saving a storage read and a decode. The write is guarded by the copy's revision,
      // so a stale copy fails with a Conflict; then, and on any other failure that a stale copy
      // could explain, the update starts again from storage.
      const cached = attempt === 0 ? this.cache.get(key) : undefined;
      let current: CachedObject;
      if (cached !== undefined) {
        current = cached;
      } else {
        const kv = await this.store.get(key);
        if (kv === undefined) throw notFound(this.groupResource, name);
        current = this.decode(kv);
      }
      let updated: JsonObject;
      let expected: string | undefined;
      try {
        updated = change(changeCopies ? current.object : cloneJson(current.object));
        expected = precondition(current.object, updated);
        if (expected !== undefined && expected !== String(current.revision)) {
          throw conflict(this.groupResource, name, 'the object has been modified; please apply your changes to the latest version and try again');
        }
      } catch (error) {
        if (cached !== undefined) continue;
        throw error;
      }
      try {
        return await this.writeUpdate(namespace, name, current.revision, current.object, updated, context);
      } catch (error) {
        if (cached !== undefined) continue;
        const retry = expected === undefined && isStorageError(error, 'Conflict') && attempt < MAX_CONFLICT_RETRIES;
        if (retry) continue;
        if (isStorageError(error, 'Conflict')) {
          throw conflict(this.groupResource, name, 'the object has been modified; please apply your changes to the latest version and try again');
        }
        if (isStorageError(error, 'KeyNotFound')) throw notFound(this.groupResource, name);
        throw this.interpret(error, name);
      }
    }
  }

  /** Prepares, validates and stores `updated` in place of `old` (stored at `revision`). */
  private async writeUpdate(
    namespace: string,
    name: string,
    revision: number,
    old: JsonObject,
    updated: JsonObject,
    context: RequestContext,
  ): Promise<WriteResult> {
    const { definition } = this;
    checkIdentity(updated, namespace, name, definition.namespaced);
    const admission = this.admission(context);
    const admissionWarnings: string[] = [];
    if (context.admission !== false) await definition.strategy.admit?.(updated, old, this.hookContext(context));
    if (admission !== undefined) updated = await admitUpdate(admission, definition, { namespace, name }, updated, old, context, admissionWarnings);
    let object = updated;
    if (definition.statusSubresource) {
      object = context.subresource === 'status' ? withStatusOf(old, updated) : keepStatusOf(updated, old);
      // A status write keeps its annotation changes: upstream's status strategies reset the spec
      // (and, for workloads, labels) but not annotations — the deployment controller records
      // revisions that way (pkg/registry/apps/deployment/strategy.go, deploymentStatusStrategy).
      if (context.subresource === 'status') withAnnotationsOf(object, updated);
    }
    const metadata = metadataOf(object);
    if (definition.namespaced) metadata.namespace = namespace;
    keepSystemFields(object, old);
    definition.strategy.defaults?.(object, context);
    definition.strategy.prepareForUpdate?.(object, old, context);
    if (definition.tracksGeneration && context.subresource !== 'status' && !jsonEqual(specOf(object), specOf(old))) {
      metadata.generation = generationOf(old) + 1;
    }
    const errors = [
      ...this.validateMeta(object),
      ...validateObjectMetaUpdate(readMetadata(object), readMetadata(old)),
      ...(definition.strategy.validateUpdate?.(object, old, context) ?? []),
    ];
    if (errors.length > 0) throw this.invalid(object, errors);
    if (context.admission !== false) await definition.strategy.validateAdmission?.(object, old, this.hookContext(context));
    if (admission !== undefined) await validateUpdate(admission, definition, { namespace, name }, object, old, context, admissionWarnings);
    const warnings = [...(definition.strategy.warnings?.(object, old) ?? []), ...admissionWarnings];
    // A deleting object whose last finalizer is removed (and whose grace period is over) goes now.
    if (isDeleting(object) && !this.held(object) && gracePeriodOf(object) === 0) {
      if (!context.dryRun) {
        await this.store.delete(this.key(namespace, name), { expectedRevision: revision });
        await this.definition.strategy.afterDelete?.(object, this.hookContext(context));
      }
      return { object: withRevision(object, revision), warnings };
    }
    const reservation = await definition.strategy.beforeUpdate?.(object, old, this.hookContext(context));
    if (context.dryRun) return { object: withRevision(object, revision), warnings };
    let stored: KeyValue;
    const key = this.key(namespace, name);
    const value = this.encode(object);
    this.cache.expectWrite(key, value, object);
    try {
      stored = await this.store.update(key, value, {
        expectedRevision: revision,
        ...this.ttl(),
      });
    } catch (error) {
      await reservation?.undo();
      throw error;
    }
    await reservation?.commit();
    return this.written(key, value, stored.modRevision, object, warnings);
  }

  /** One delete attempt on `current`; storage Conflicts propagate for the caller to retry. */
  private async deleteOnce(current: CachedObject, request: DeleteRequest, context: RequestContext): Promise<DeleteResult> {
    const admission = this.admission(context);
    if (admission === undefined) return { ...(await this.deleteAdmitted(current, request, context)), warnings: NO_WARNINGS };
    const warnings: string[] = [];
    await admitDelete(admission, this.definition, current, request, context, warnings);
    return { ...(await this.deleteAdmitted(current, request, context)), warnings };
  }

  /** The delete itself, after admission allowed it. */
  private async deleteAdmitted(current: CachedObject, request: DeleteRequest, context: RequestContext): Promise<AdmittedDelete> {
    const object = cloneJson(current.object);
    const key = current.key;
    const finalizersBefore = finalizersOf(object);
    const finalizers = gcFinalizers(finalizersBefore, request);
    if (!isDeleting(object)) {
      for (const own of this.definition.strategy.finalizersOnDelete?.(object) ?? []) {
        if (!finalizers.includes(own)) finalizers.push(own);
      }
    }
    const gracePeriod = this.definition.strategy.gracePeriodSeconds?.(object, request.gracePeriodSeconds) ?? 0;
    const alreadyDeleting = isDeleting(object);
    const held = finalizers.length > 0 || this.definition.strategy.holdsDeletion?.(object) === true;
    if (alreadyDeleting) {
      // A pending deletion is not restarted; a shorter grace period may bring it forward.
      const pending = gracePeriodOf(object);
      if (!held && (pending === 0 || (request.gracePeriodSeconds ?? pending) === 0)) {
        return this.removeNow(current, context);
      }
      return { object: current.object, deleted: false };
    }
    if (!held && gracePeriod === 0) return this.removeNow(current, context);
    this.definition.strategy.markDeleting?.(object, context);
    const metadata = metadataOf(object);
    metadata.deletionTimestamp = formatTime(context.now + gracePeriod * 1000);
    metadata.deletionGracePeriodSeconds = gracePeriod;
    if (gracePeriod > 0 && generationOf(object) > 0) metadata.generation = generationOf(object) + 1;
    setFinalizers(object, finalizers);
    if (context.dryRun) return { object, deleted: false };
    const stored = await this.store.update(key, this.encode(object), { expectedRevision: current.revision });
    return { object: withRevision(object, stored.modRevision), deleted: false };
  }

  private async removeNow(current: CachedObject, context: RequestContext): Promise<AdmittedDelete> {
    if (context.dryRun) return { object: current.object, deleted: true };
    const result = await this.store.delete(current.key, { expectedRevision: current.revision });
    await this.definition.strategy.afterDelete?.(current.object, this.hookContext(context));
    return { object: withRevision(cloneJson(current.object), result.revision), deleted: true };
  }

  /**
   * The admission chain when a webhook or policy is configured and the request is subject to it;
   * undefined (and free) otherwise. The server's own cleanup writes (`context.admission === false`)
   * skip it, as upstream's controllers that write through the registry store do.
   */
  private admission(context: RequestContext): AdmissionChain | undefined {
    if (context.admission === false) return undefined;
    const chain = this.options.admission;
    return chain !== undefined && chain.active() ? chain : undefined;
  }

  /** Whether finalizers (or the kind's own hold) keep a deleting object. */
  private held(object: JsonObject): boolean {
    return finalizersOf(object).length > 0 || this.definition.strategy.holdsDeletion?.(object) === true;
  }

  private validateMeta(object: JsonObject): FieldError[] {
    const validateName = this.definition.strategy.validateName ?? nameIsDNSSubdomain;
    return validateObjectMeta(readMetadata(object), {
      namespaced: this.definition.namespaced,
      nameValidator: (name, prefix) => [...validateName(name, prefix)],
    });
  }

  private invalid(object: JsonObject, errors: readonly FieldError[]): StatusError {
    return invalidError({ group: this.definition.group, kind: this.definition.kind }, metaString(object, 'name'), errors);
  }

  /**
   * The result of a write of `object`, stored as `value` at `revision`: with the served JSON when
   * storage holds the served form. (Object literals throughout: in V8 11, a property added to a
   * spread copy costs a trip through the runtime, and this runs for every write.)
   */
  private written(key: string, value: string, revision: number, object: JsonObject, warnings: readonly string[]): WriteResult {
    withRevision(object, revision);
    if (this.definition.storedAs !== undefined) return { object, warnings };
    // The watch cache usually holds this revision already (it hears of a write before its writer
    // does), served from the same stored text: its JSON saves building another copy.
    const cached = this.cache.get(key);
    const json = cached !== undefined && cached.revision === revision ? cached.json : servedJson(value, revision);
    return json === undefined ? { object, warnings } : { json, object, warnings };
  }

  /** The stored form of `object`: converted to the resource it is stored as, when it has one. */
  private encode(object: JsonObject): string {
    const { storedAs } = this.definition;
    return encodeForStorage(storedAs === undefined ? object : storedAs.toStorage(object));
  }

  private decode(kv: KeyValue): CachedObject {
    try {
      return fromKeyValue(kv, this.definition.strategy.selectableFields ?? noFields, this.definition.storedAs?.fromStorage);
    } catch (error) {
      throw internalError(error);
    }
  }

  /** Storage failures other than the ones each verb handles: 500s with the storage's words. */
  private interpret(error: unknown, name: string): StatusError {
    if (error instanceof StatusError) return error;
    if (isStorageError(error, 'TooLarge')) {
      return new StatusError('RequestEntityTooLarge', `Request entity too large: ${error.message}`);
    }
    if (isStorageError(error, 'Unavailable')) {
      return new StatusError('InternalError', `Internal error occurred: storage is unavailable: ${error.message}`, {
        details: { name, causes: [{ message: error.message }] },
      });
    }
    return internalError(error);
  }
}

const noFields = (): Record<string, string> => ({});
const NONE_SERVED = (): readonly ResourceDefinition[] => [];

/** uid, creationTimestamp and a first generation on create; nothing the client sent for them survives. */
function setSystemFields(object: JsonObject, now: number, tracksGeneration: boolean): void {
  const metadata = metadataOf(object);
  metadata.uid = newUid();
  metadata.creationTimestamp = formatTime(now);
  if (tracksGeneration) metadata.generation = 1;
  else delete metadata.generation;
  for (const field of ['resourceVersion', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']) delete metadata[field];
}

/** rest.BeforeUpdate: generation, uid, creationTimestamp and deletion fields come from the stored object. */
function keepSystemFields(object: JsonObject, old: JsonObject): void {
  const metadata = metadataOf(object);
  const before = readMetadata(old);
  setMeta(object, 'generation', before.generation);
  if (metaString(object, 'uid') === '') setMeta(object, 'uid', before.uid);
  setMeta(object, 'creationTimestamp', before.creationTimestamp);
  if (before.deletionTimestamp !== undefined) setMeta(object, 'deletionTimestamp', before.deletionTimestamp);
  if (before.deletionGracePeriodSeconds !== undefined && metadata.deletionGracePeriodSeconds === undefined) {
    metadata.deletionGracePeriodSeconds = before.deletionGracePeriodSeconds;
  }
  delete metadata.selfLink;
}

/** A new object of a kind with a status subresource starts without status (the strategy may set one). */
function clearForCreate(object: JsonObject): void {
  delete object.status;
}

/**
 * A copy of `old` (shared, never changed) with the status of `updated`, which this store owns (a
 * copy `change` made): its status is taken as it is.
 */
function withStatusOf(old: JsonObject, updated: JsonObject): JsonObject {
  const { status: _oldStatus, ...rest } = old;
  const result = cloneJson(rest);
  if (updated.status !== undefined) result.status = updated.status;
  return result;
}

/** `updated` (owned by this store, changed in place) with a copy of the status of `old`. */
function keepStatusOf(updated: JsonObject, old: JsonObject): JsonObject {
  if (old.status === undefined) delete updated.status;
  else updated.status = cloneJson(old.status);
  return updated;
}

/** Sets `target`'s annotations to `source`'s (removing them when `source` has none). */
function withAnnotationsOf(target: JsonObject, source: JsonObject): void {
  const metadata = isJsonObject(target.metadata) ? target.metadata : undefined;
  if (metadata === undefined) return;
  const annotations = isJsonObject(source.metadata) ? source.metadata.annotations : undefined;
  if (annotations === undefined) delete metadata.annotations;
  else metadata.annotations = cloneJson(annotations);
}

/** Everything but metadata and status: what a generation counts changes of. */
function specOf(object: JsonObject): JsonObject {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

function generationOf(object: JsonObject): number {
  const value = readMetadata(object).generation;
  return typeof value === 'number' ? value : 0;
}

function gracePeriodOf(object: JsonObject): number {
  const value = readMetadata(object).deletionGracePeriodSeconds;
  return typeof value === 'number' ? value : 0;
}

function versionOf(object: JsonObject): string | undefined {
  const value = metaString(object, 'resourceVersion');
  return value === '' ? undefined : value;
}

function withRevision(object: JsonObject, revision: number): JsonObject {
  metadataOf(object).resourceVersion = String(revision);
  return object;
}

/** The URL names the object: a body naming another one is a 400 with upstream's words. */
function checkIdentity(object: JsonObject, namespace: string, name: string, namespaced: boolean): void {
  const bodyName = metaString(object, 'name');
  if (bodyName !== name) {
    throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  }
  const bodyNamespace = metaString(object, 'namespace');
  if (namespaced && bodyNamespace !== '' && bodyNamespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

/** rest.BeforeDelete: preconditions on uid and resourceVersion, 409 when they fail. */
function checkPreconditions(gr: GroupResource, current: CachedObject, request: DeleteRequest): void {
  const { uid, resourceVersion } = request.preconditions ?? {};
  const storedUid = metaString(current.object, 'uid');
  if (uid !== undefined && uid !== storedUid) {
    throw conflict(
      gr,
      current.name,
      `the UID in the precondition (${uid}) does not match the UID in record (${storedUid}). The object might have been deleted and then recreated`,
    );
  }
  if (resourceVersion !== undefined && resourceVersion !== String(current.revision)) {
    throw conflict(
      gr,
      current.name,
      `the ResourceVersion in the precondition (${resourceVersion}) does not match the ResourceVersion in record (${current.revision}). The object might have been modified`,
    );
  }
}

/**
 * The finalizers after a delete request: the propagation policy becomes the orphan or
 * foregroundDeletion finalizer for the garbage collector (deletionFinalizersForGarbageCollection).
 */
function gcFinalizers(finalizers: readonly string[], request: DeleteRequest): string[] {
  const policy = request.propagationPolicy ?? (request.orphanDependents === true ? 'Orphan' : undefined);
  if (policy === undefined) return [...finalizers];
  const kept = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (policy === 'Orphan') kept.push(FINALIZER_ORPHAN);
  if (policy === 'Foreground') kept.push(FINALIZER_FOREGROUND);
  return kept;
}

