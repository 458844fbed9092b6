/**
 * @module
 * Serving custom resources: follows the CustomResourceDefinitions in the CRD watch cache and keeps
 * what the server serves in step with them — it registers each established CRD's served versions,
 * re-registers a version whose definition changed, and drops what is no longer served — as
 * apiextensions-apiserver's handler does from its CRD informer (pkg/apiserver/customresource_handler.go:
 * updateCustomResourceDefinition, removeDeadStorage). Every API server follows its own cache, so
 * servers sharing one etcd all serve a CRD created through any of them.
 *
 * A CRD being deleted (deletionTimestamp and the customresourcecleanup finalizer) stays served, with
 * creates refused, while its custom resources are deleted through their store — watchers see each
 * DELETED event, so the garbage collector collects what they owned, and their own finalizers hold
 * them as long as they must; once none is left the finalizer is removed, which lets the CRD go
 * (pkg/controller/finalizer/crd_finalizer.go). When a CRD has gone, the other CRDs of its group whose
 * names were refused are written again so the names it held can be accepted (the naming
 * controller's requeueAllOtherGroupCRDs).
 *
 * Reconciles run one at a time, each from the cache's state at that moment, so they can be repeated
 * and coalesced freely: a watch event, a periodic resync and a restarted watch all just name a CRD
 * to look at again.
 */
import type { JsonObject } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import { isStorageError } from '../../storage/errors.js';
import type { Clock } from '../../util/clock.js';
import { type Logger, errorMessage } from '../../util/logger.js';
import { runPeriodically } from '../../util/periodic.js';
import type { GenericStore } from '../registry/generic-store.js';
import { finalizersOf, isDeleting, setFinalizers } from '../registry/object-meta.js';
import { storagePrefix } from '../registry/registry.js';
import type { RequestContext, ResourceDefinition } from '../registry/resource-definition.js';
import {
  CUSTOM_RESOURCE_CLEANUP_FINALIZER,
  crdName,
  findCondition,
  groupOf,
  groupOfName,
  isConditionTrue,
  objectAt,
  specOf,
  stringAt,
} from '../resources/crd-model.js';
import type { CacheWatch } from '../watch-cache/cache-watcher.js';
import { type ServedVersion, servedVersionsOf } from './custom-resources.js';

/** What serving custom resources needs of the API server. */
export interface CustomResourceHost {
  /** Every resource served now. */
  resources(): readonly ResourceDefinition[];
  /** Starts serving a resource; its watch cache is filled before requests reach it. */
  serve(definition: ResourceDefinition): Promise<void>;
  /** Stops serving a resource; its watches end. */
  unserve(definition: ResourceDefinition): Promise<void>;
  /** The store of a served resource. */
  store(definition: ResourceDefinition): GenericStore | undefined;
}

export interface CrdServingOptions {
  /** The CustomResourceDefinitions' store: its cache is followed, finalizers are removed through it. */
  readonly crds: GenericStore;
  readonly host: CustomResourceHost;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often every CRD is looked at again, events or not. @defaultValue 30000 */
  readonly resyncIntervalMs?: number;
}

/** Rounds of list-and-delete before a deleted CRD's cleanup gives up until the next resync. */
const CLEANUP_ROUNDS = 100;
/** Objects listed per page by a deleted CRD's cleanup. */
const CLEANUP_PAGE = 500;
/** How soon a terminating CRD whose objects are still there (or whose cleanup failed) is looked at again. */
const CLEANUP_RECHECK_MS = 1000;

/** The namespace and name of the object stored at `key` under `prefix` (`<prefix>[<namespace>/]<name>`). */
function objectKey(key: string, prefix: string): { namespace: string; name: string } {
  const rest = key.slice(prefix.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { namespace: '', name: rest } : { namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

export class CrdServing {
  /** What is served for each CRD, by version; a version is here iff the host serves it for that CRD. */
  private readonly served = new Map<string, Map<string, ServedVersion>>();
  /** CRDs seen in the cache, so that one's disappearance is noticed. */
  private readonly known = new Set<string>();
  /** Resources refused because another resource holds them, reported once each. */
  private readonly reported = new Set<string>();
  private readonly pending = new Set<string>();
  private draining: Promise<void> | undefined;
  private readonly stop = new AbortController();
  private running: Promise<unknown> = Promise.resolve();
  private watch: CacheWatch | undefined;

  constructor(private readonly options: CrdServingOptions) {}

  /** Serves every CRD the cache holds, then follows the cache until closed. */
  async start(): Promise<void> {
    for (const name of this.names()) await this.reconcileLogged(name);
    const { signal } = this.stop;
    this.running = Promise.all([
      this.follow(signal),
      runPeriodically(() => this.enqueueAll(), {
        clock: this.options.clock,
        logger: this.options.logger,
        signal,
        intervalMs: this.options.resyncIntervalMs ?? 30_000,
        name: 'custom resource resync',
      }),
    ]);
  }

  /** Stops following the cache; resolves once the reconcile under way, if any, has finished. */
  async close(): Promise<void> {
    this.stop.abort();
    this.watch?.close();
    await this.running;
    await this.draining;
  }

  /** Resolves when every CRD named so far has been reconciled (for tests and start-up). */
  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  /** Watches the CRD cache from its current revision; each event names a CRD to reconcile. */
  private async follow(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const { cache } = this.options.crds;
      const watch = cache.watch({}, { initialState: false, revision: cache.revision, bookmarks: false, initialEventsEnd: false });
      this.watch = watch;
      // Whatever happened while no watch was open is found by looking at every CRD again.
      this.enqueueAll();
      try {
        for await (const batch of watch) {
          for (const item of batch) if (item.kind === 'event') this.enqueue(item.object.name);
        }
      } catch (error) {
        this.options.logger.warn(`custom resource serving: CRD watch failed: ${errorMessage(error)}`);
      }
      // The watch ended (dropped, or the cache relisted): start again after a breath.
      await this.options.clock.sleep(100, signal);
    }
  }

  private names(): Set<string> {
    const { crds } = this.options;
    const names = new Set(crds.cache.listPage(storagePrefix(crds.definition), {}, 0).items.map((item) => item.name));
    for (const name of [...this.served.keys(), ...this.known]) names.add(name);
    return names;
  }

  private enqueueAll(): void {
    for (const name of this.names()) this.enqueue(name);
  }

  private enqueue(name: string): void {
    this.pending.add(name);
    this.kick();
  }

  private kick(): void {
    if (this.draining !== undefined || this.stop.signal.aborted) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.pending.size > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (const name of this.pending) {
      if (this.stop.signal.aborted) return;
      this.pending.delete(name);
      await this.reconcileLogged(name);
    }
  }

  private async reconcileLogged(name: string): Promise<void> {
    try {
      await this.reconcile(name);
    } catch (error) {
      this.options.logger.error(`custom resource serving: CRD ${name}: ${errorMessage(error)}`);
      // Retried soon rather than at the next resync (a failed cleanup, a conflicting write).
      this.requeueLater(name);
    }
  }

  /** Brings what is served for CRD `name` in line with the cache's copy of it. */
  private async reconcile(name: string): Promise<void> {
    const crd = this.options.crds.cache.get(this.options.crds.key('', name))?.object;
    if (crd === undefined) {
      await this.serveOnly(name, []);
      if (this.known.delete(name)) await this.reconsiderGroup(groupOfName(name));
      return;
    }
    this.known.add(name);
    if (isDeleting(crd)) {
      // Still served, creates refused, while the objects are deleted through their store: watchers
      // (the garbage collector's among them) see each one go, and their finalizers hold them.
      await this.serveOnly(name, this.servedVersionsOf(name, crd));
      await this.finalize(crd);
      return;
    }
    await this.serveOnly(name, this.servedVersionsOf(name, crd));
  }

  /** What CRD `name` is served as, its creates refused while its cache copy is being deleted. */
  private servedVersionsOf(name: string, crd: JsonObject): ServedVersion[] {
    const { crds } = this.options;
    return servedVersionsOf(crd, () => {
      const current = crds.cache.get(crds.key('', name))?.object;
      return current === undefined || isDeleting(current);
    });
  }

  /** Serves exactly `wanted` for CRD `name`: drops versions gone or changed, then adds the new ones. */
  private async serveOnly(name: string, wanted: readonly ServedVersion[]): Promise<void> {
    const { host, logger } = this.options;
    const current = this.served.get(name) ?? new Map<string, ServedVersion>();
    this.served.set(name, current);
    const next = new Map(wanted.map((version) => [version.definition.version, version]));
    for (const [version, served] of current) {
      if (next.get(version)?.signature === served.signature) continue;
      current.delete(version);
      await host.unserve(served.definition);
    }
    for (const [version, { definition, signature }] of next) {
      if (current.has(version)) continue;
      const holder = host.resources().find((d) => d.group === definition.group && d.version === version && d.resource === definition.resource);
      if (holder !== undefined) {
        const id = `${name} ${definition.group}/${version}/${definition.resource}`;
        if (!this.reported.has(id)) logger.warn(`custom resource serving: ${id} is already served by ${holder.custom?.crd ?? 'a built-in resource'}`);
        this.reported.add(id);
        continue;
      }
      await host.serve(definition);
      current.set(version, { definition, signature });
    }
    if (current.size === 0) this.served.delete(name);
  }

  /**
   * The customresourcecleanup finalizer's work (crd_finalizer.go): delete the CRD's objects through
   * the store that serves them, wait until they are gone (their own finalizers may hold them), then
   * remove the finalizer. Objects of a CRD that never served them, or whose resource is a built-in
   * one, are not its to delete; objects stored by a CRD that is no longer served are removed from
   * storage directly, since nothing could see them go.
   */
  private async finalize(crd: JsonObject): Promise<void> {
    if (!finalizersOf(crd).includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) return;
    const group = groupOf(crd);
    const plural = stringAt(objectAt(specOf(crd), 'names'), 'plural');
    const builtIn = this.options.host.resources().some((d) => d.custom === undefined && d.group === group && d.resource === plural);
    if (isConditionTrue(crd, 'Established') && !builtIn && group !== '' && plural !== '') {
      const served = [...(this.served.get(crdName(crd))?.values() ?? [])][0];
      const store = served === undefined ? undefined : this.options.host.store(served.definition);
      const remaining = store === undefined ? await this.deleteFromStorage(group, plural) : await this.deleteThrough(store);
      if (remaining > 0) {
        this.requeueLater(crdName(crd));
        return;
      }
    }
    try {
      await this.options.crds.patch('', crdName(crd), this.context(), (current) => {
        setFinalizers(
          current,
          finalizersOf(current).filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER),
        );
        return current;
      });
    } catch (error) {
      if (!(error instanceof StatusError && error.reason === 'NotFound')) throw error;
    }
  }

  /**
   * Deletes every object `store` holds (a DELETE of each, paging through them all so that objects
   * held by finalizers early in the order do not shield later ones); returns how many are still
   * stored. The deletes skip admission, as crd_finalizer's go through the registry store: a
   * webhook that is down must not keep a CRD from ever being deleted.
   */
  private async deleteThrough(store: GenericStore): Promise<number> {
    const prefix = storagePrefix(store.definition);
    const context: RequestContext = { ...this.context(), admission: false };
    let token: string | undefined;
    do {
      const page = await store.storage.list(prefix, token === undefined ? { limit: CLEANUP_PAGE } : { limit: CLEANUP_PAGE, continue: token });
      for (const kv of page.items) {
        const { namespace, name } = objectKey(kv.key, prefix);
        try {
          await store.delete(namespace, name, {}, context);
        } catch (error) {
          if (!(error instanceof StatusError && error.reason === 'NotFound')) throw error;
        }
      }
      token = page.continue;
    } while (token !== undefined && !this.stop.signal.aborted);
    const left = await store.storage.list(prefix, { limit: 1 });
    return left.items.length;
  }

  /** Deletes every stored object of `group`/`plural` from storage; returns how many are left. */
  private async deleteFromStorage(group: string, plural: string): Promise<number> {
    const storage = this.options.crds.storage;
    const prefix = storagePrefix({ group, resource: plural });
    for (let round = 0; round < CLEANUP_ROUNDS; round++) {
      const page = await storage.list(prefix, { limit: CLEANUP_PAGE });
      if (page.items.length === 0) return 0;
      for (const kv of page.items) {
        try {
          await storage.delete(kv.key);
        } catch (error) {
          if (!isStorageError(error, 'KeyNotFound')) throw error;
        }
      }
    }
    throw new Error(`objects under ${prefix} keep appearing; will try again`);
  }

  /** Looks at CRD `name` again in a while: its objects are still going (finalizers, graceful deletion). */
  private requeueLater(name: string): void {
    this.options.clock
      .sleep(CLEANUP_RECHECK_MS, this.stop.signal)
      .then(() => this.enqueue(name))
      .catch(() => undefined);
  }

  /** Writes again the CRDs of `group` whose names were refused, so that they are considered anew. */
  private async reconsiderGroup(group: string): Promise<void> {
    const { crds } = this.options;
    for (const item of crds.cache.listPage(storagePrefix(crds.definition), {}, 0).items) {
      const crd = item.object;
      if (groupOf(crd) !== group || isDeleting(crd) || findCondition(crd, 'NamesAccepted')?.status === 'True') continue;
      try {
        await crds.patch('', item.name, this.context(), (current) => current);
      } catch (error) {
        this.options.logger.warn(`custom resource serving: reconsidering the names of CRD ${item.name}: ${errorMessage(error)}`);
      }
    }
  }

  private context(): RequestContext {
    return { subresource: undefined, dryRun: false, now: this.options.clock.now() };
  }
}
