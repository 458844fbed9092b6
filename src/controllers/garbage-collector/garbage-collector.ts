/**
 * @module
 * The garbage collector's decisions and workers (pkg/controller/garbagecollector/garbagecollector.go):
 *
 * - attemptToDelete: a node whose owners are all verified absent — by a live GET answering 404 or
 *   an object with another uid (*dangling*) — is deleted, in Background (or as its own orphan /
 *   foregroundDeletion finalizer says); when some owners remain, the dangling references (and those
 *   to owners waiting in foreground deletion) are patched away; when every remaining owner waits in
 *   foreground deletion and the node has dependents itself, it is deleted in Foreground.
 * - an owner deleting in foreground waits until no dependent blocks it (blockOwnerDeletion=true),
 *   queueing those dependents, then loses its foregroundDeletion finalizer and goes.
 * - attemptToOrphan: the owner's ownerReferences are removed from its dependents, then its `orphan`
 *   finalizer.
 *
 * The graph is read and changed on one thread ({@link GraphBuilder}); workers only await the API.
 * Queues hold node uids; a worker reads the node from the graph when it gets to it.
 */
import { RateLimitingQueue } from '../../client/workqueue/rate-limiting-queue.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../../util/logger.js';
import { waitForCacheSync } from '../../client/cache/informer-factory.js';
import { type GcClient, type PropagationPolicy, removeObjectFinalizer, removeOwnerReferences, unblockOwnerReferences } from './gc-client.js';
import { GraphBuilder } from './graph-builder.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type GraphNode, hasFinalizerNamed, type ObjectIdentity, ownerIdentity } from './graph.js';

export interface GarbageCollectorOptions {
  readonly client: GcClient;
  /** Workers of the attemptToDelete queue (upstream's --concurrent-gc-syncs). @defaultValue 20 */
  readonly workers?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** A dependent names an owner in another namespace (upstream records an OwnerRefInvalidNamespace event). */
  readonly onInvalidOwnerNamespace?: (dependent: ObjectIdentity, ownerUid: string) => void;
}

/** How one attemptToDelete ended, besides throwing (which requeues with backoff). */
export type AttemptOutcome =
  /** Nothing (more) to do for now. */
  | 'done'
  /** The object is absent: a virtual delete event was processed, so the item is done. */
  | 'virtualDeleteEnqueued';

/** A cluster-scoped object names a namespaced owner: unresolvable, never collected, never retried. */
export class NamespacedOwnerOfClusterScopedObjectError extends Error {
  override readonly name = 'NamespacedOwnerOfClusterScopedObjectError';
}

interface Classified {
  readonly solid: DeepReadonly<OwnerReference>[];
  readonly dangling: DeepReadonly<OwnerReference>[];
  readonly waitingForDependentsDeletion: DeepReadonly<OwnerReference>[];
}

export class GarbageCollector {
  readonly graph: GraphBuilder;
  readonly attemptToDelete: RateLimitingQueue<string>;
  readonly attemptToOrphan: RateLimitingQueue<string>;
  private readonly client: GcClient;
  private readonly logger: Logger;
  private readonly clock: Clock;

  constructor(private readonly options: GarbageCollectorOptions) {
    if (options.workers !== undefined && (!Number.isInteger(options.workers) || options.workers < 1)) {
      throw new Error(`workers must be a positive integer, got ${options.workers}`);
    }
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.attemptToDelete = new RateLimitingQueue<string>({ name: 'garbage_collector_attempt_to_delete', clock: this.clock });
    this.attemptToOrphan = new RateLimitingQueue<string>({ name: 'garbage_collector_attempt_to_orphan', clock: this.clock });
    this.graph = new GraphBuilder({
      attemptToDelete: (uid) => this.attemptToDelete.add(uid),
      attemptToDeleteRateLimited: (uid) => this.attemptToDelete.addRateLimited(uid),
      attemptToOrphan: (uid) => this.attemptToOrphan.add(uid),
      ...(options.onInvalidOwnerNamespace === undefined ? {} : { invalidOwnerNamespace: options.onInvalidOwnerNamespace }),
    });
  }

  /** Waits until `graphSynced`, then runs the workers until `signal` aborts; resolves once they stopped. */
  async run(signal: AbortSignal, graphSynced: () => boolean = () => true): Promise<void> {
    const stop = (): void => {
      this.attemptToDelete.shutDown();
      this.attemptToOrphan.shutDown();
    };
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    const synced = await waitForCacheSync(signal, [graphSynced], this.clock);
    if (synced) {
      const deleters = Array.from({ length: this.options.workers ?? 20 }, async () => {
        while (await this.processNextAttemptToDelete()) {
          // one item per turn
        }
      });
      const orphaner = (async () => {
        while (await this.processNextAttemptToOrphan()) {
          // one item per turn
        }
      })();
      await Promise.all([...deleters, orphaner]);
    }
    signal.removeEventListener('abort', stop);
  }

  /** One attemptToDelete item; false once the queue has shut down. */
  async processNextAttemptToDelete(): Promise<boolean> {
    const next = await this.attemptToDelete.get();
    if (next.shutdown) return false;
    const uid = next.item;
    try {
      const requeue = await this.attemptToDeleteWorker(uid);
      if (requeue) this.attemptToDelete.addRateLimited(uid);
      else this.attemptToDelete.forget(uid);
    } finally {
      this.attemptToDelete.done(uid);
    }
    return true;
  }

  /** One attemptToOrphan item; false once the queue has shut down. */
  async processNextAttemptToOrphan(): Promise<boolean> {
    const next = await this.attemptToOrphan.get();
    if (next.shutdown) return false;
    const uid = next.item;
    try {
      const node = this.graph.uidToNode.read(uid);
      if (node !== undefined) await this.attemptToOrphanItem(node);
      this.attemptToOrphan.forget(uid);
    } catch (error) {
      this.logger.warn(`garbage collector: orphaning the dependents of ${uid} failed (will retry): ${errorMessage(error)}`);
      this.attemptToOrphan.addRateLimited(uid);
    } finally {
      this.attemptToOrphan.done(uid);
    }
    return true;
  }

  /** attemptToDeleteWorker: true when the item must be retried. */
  async attemptToDeleteWorker(uid: string): Promise<boolean> {
    const node = this.graph.uidToNode.read(uid);
    // Gone from the graph: a virtual node removed, or an object already deleted.
    if (node === undefined) return false;
    let outcome: AttemptOutcome;
    try {
      outcome = await this.attemptToDeleteItem(node);
    } catch (error) {
      if (error instanceof NamespacedOwnerOfClusterScopedObjectError) return false;
      this.logger.warn(`garbage collector: syncing ${node} failed (will retry): ${errorMessage(error)}`);
      return true;
    }
    if (outcome === 'virtualDeleteEnqueued') return false;
    // A virtual node that exists but has not been seen by an informer yet: look again later
    // (kubernetes#56121: otherwise it could stay in the graph for ever).
    return this.graph.uidToNode.read(uid)?.isObserved() === false;
  }

  /**
   * attemptToDeleteItem: looks up the live object and deletes it iff its uid matches, it is not
   * waiting for its own dependents, and all its owners are dangling.
   */
  async attemptToDeleteItem(node: GraphNode): Promise<AttemptOutcome> {
    // "Being deleted" is a one-way trip: wait for the final deletion event.
    if (node.isBeingDeleted() && !node.isDeletingDependents()) return 'done';
    const latest = await this.client.getObject(node.identity);
    if (latest === undefined || latest.metadata?.uid !== node.identity.uid) {
      this.graph.virtualDelete(node.identity);
      return 'virtualDeleteEnqueued';
    }
    if (node.isDeletingDependents()) {
      await this.processDeletingDependentsItem(node);
      return 'done';
    }
    const references = latest.metadata.ownerReferences ?? [];
    if (references.length === 0) return 'done';
    const { solid, dangling, waitingForDependentsDeletion } = await this.classifyReferences(node, references);
    if (solid.length > 0) {
      if (dangling.length === 0 && waitingForDependentsDeletion.length === 0) return 'done';
      // References to owners waiting for their dependents must go too, or those owners would wait for ever.
      const uids = [...dangling, ...waitingForDependentsDeletion].map((r) => r.uid);
      await removeOwnerReferences(this.client, node.identity, uids);
      return 'done';
    }
    if (waitingForDependentsDeletion.length > 0 && node.dependents.size > 0) {
      if ([...node.dependents].some((d) => d.isDeletingDependents())) {
        // A possible cycle of foreground deletions: stop blocking our owners, then go in foreground.
        await unblockOwnerReferences(this.client, node.identity);
      }
      return this.deleteItem(node, latest, 'Foreground');
    }
    const policy: PropagationPolicy = hasFinalizerNamed(latest, FINALIZER_ORPHAN)
      ? 'Orphan'
      : hasFinalizerNamed(latest, FINALIZER_FOREGROUND)
        ? 'Foreground'
        : 'Background';
    return this.deleteItem(node, latest, policy);
  }

  /** An owner waiting in foreground deletion: go once no dependent blocks, else push the blocking ones. */
  async processDeletingDependentsItem(node: GraphNode): Promise<void> {
    const blocking = node.blockingDependents();
    if (blocking.length === 0) {
      await removeObjectFinalizer(this.client, node.identity, FINALIZER_FOREGROUND);
      return;
    }
    for (const dependent of blocking) {
      if (!dependent.isDeletingDependents()) this.attemptToDelete.add(dependent.identity.uid);
    }
  }

  /** attemptToOrphanWorker: frees the dependents, then lets the owner go. */
  async attemptToOrphanItem(owner: GraphNode): Promise<void> {
    const failures: string[] = [];
    await Promise.all(
      [...owner.dependents].map(async (dependent) => {
        try {
          await removeOwnerReferences(this.client, dependent.identity, [owner.identity.uid]);
        } catch (error) {
          if (!isNotFound(error)) failures.push(`orphaning ${dependent} failed, ${errorMessage(error)}`);
        }
      }),
    );
    if (failures.length > 0) throw new Error(`failed to orphan dependents of owner ${owner}, got errors: ${failures.join('; ')}`);
    await removeObjectFinalizer(this.client, owner.identity, FINALIZER_ORPHAN);
  }

  /** solid (owner exists), dangling (absent), waitingForDependentsDeletion (in foreground deletion). */
  async classifyReferences(node: GraphNode, references: readonly DeepReadonly<OwnerReference>[]): Promise<Classified> {
    const result: Classified = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    for (const reference of references) {
      const { dangling, owner } = await this.isDangling(reference, node);
      if (dangling) result.dangling.push(reference);
      else if (owner?.metadata?.deletionTimestamp !== undefined && hasFinalizerNamed(owner, FINALIZER_FOREGROUND)) {
        result.waitingForDependentsDeletion.push(reference);
      } else result.solid.push(reference);
    }
    return result;
  }

  /** Whether the owner a reference names is absent, asking the API server unless the absent-owner cache knows. */
  async isDangling(reference: DeepReadonly<OwnerReference>, node: GraphNode): Promise<{ dangling: boolean; owner?: DeepReadonly<KubeObject> }> {
    const cache = this.graph.absentOwnerCache;
    if (cache.has(ownerIdentity(reference, '')) || cache.has(ownerIdentity(reference, node.identity.namespace))) return { dangling: true };
    const namespaced = await this.client.isNamespaced(reference.apiVersion, reference.kind);
    if (namespaced && node.identity.namespace === '') {
      throw new NamespacedOwnerOfClusterScopedObjectError(`cluster-scoped ${node} refers to a namespaced owner ${reference.kind} ${reference.name}`);
    }
    const identity = ownerIdentity(reference, namespaced ? node.identity.namespace : '');
    const owner = await this.client.getObject(identity);
    if (owner === undefined || owner.metadata?.uid !== reference.uid) {
      cache.add(identity);
      return { dangling: true };
    }
    return { dangling: false, owner };
  }

  /**
   * deleteObject with the uid and resourceVersion as preconditions; if the object changed meanwhile
   * but its ownerReferences did not, the decision still holds and the delete is retried on the uid.
   */
  private async deleteItem(node: GraphNode, latest: DeepReadonly<KubeObject>, propagationPolicy: PropagationPolicy): Promise<AttemptOutcome> {
    const uid = node.identity.uid;
    const resourceVersion = latest.metadata?.resourceVersion;
    try {
      try {
        await this.client.deleteObject(node.identity, { propagationPolicy, preconditions: { uid, ...(resourceVersion === undefined ? {} : { resourceVersion }) } });
      } catch (error) {
        if (!isConflict(error)) throw error;
        const current = await this.client.getObject(node.identity);
        if (current === undefined) throw error;
        if (JSON.stringify(current.metadata?.ownerReferences ?? []) !== JSON.stringify(latest.metadata?.ownerReferences ?? [])) throw error;
        await this.client.deleteObject(node.identity, { propagationPolicy, preconditions: { uid } });
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.graph.virtualDelete(node.identity);
      return 'virtualDeleteEnqueued';
    }
    return 'done';
  }
}
