/**
 * @module
 * The GraphBuilder (pkg/controller/garbagecollector/graph_builder.go processGraphChanges): turns
 * informer events of every monitored resource into changes of the owner graph, and decides which
 * nodes the collector must look at:
 *
 * - an object naming an owner not yet in the graph gets a *virtual* owner node, queued so the
 *   collector asks the API server whether it exists (a 404 becomes a virtual delete event);
 * - an object deleted (really, or virtually) leaves the graph; its dependents are queued, and so are
 *   its owners that wait in foreground deletion;
 * - an object whose deletion starts with the `orphan` finalizer goes to the orphan queue; with the
 *   `foregroundDeletion` finalizer it is marked deletingDependents and it and its dependents are
 *   queued;
 * - a dependent that drops (or unblocks) a blockOwnerDeletion reference queues that owner.
 *
 * Pure: no IO. The graph is changed only here, one event at a time.
 */
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';
import {
  FINALIZER_FOREGROUND,
  FINALIZER_ORPHAN,
  GraphNode,
  UidToNode,
  hasFinalizerNamed,
  identityOf,
  isBeingDeleted,
  type ObjectIdentity,
  ownerIdentity,
  sameIdentity,
} from './graph.js';
import { ReferenceCache } from './reference-cache.js';

export type GraphEventType = 'add' | 'update' | 'delete';

export interface GraphEvent {
  readonly type: GraphEventType;
  readonly object: DeepReadonly<KubeObject>;
  readonly oldObject?: DeepReadonly<KubeObject> | undefined;
  /** apiVersion and kind of the resource the event came from (objects in lists may lack them). */
  readonly apiVersion: string;
  readonly kind: string;
  /** Made by the collector after a lookup said "absent", not observed through an informer. */
  readonly virtual?: boolean;
}

/** Where the builder sends the nodes that need work; the collector's queues, or a recorder in tests. */
export interface GraphBuilderSinks {
  attemptToDelete(uid: string): void;
  attemptToDeleteRateLimited(uid: string): void;
  attemptToOrphan(uid: string): void;
  /** A dependent names an owner in another namespace (upstream's OwnerRefInvalidNamespace event). */
  invalidOwnerNamespace?(dependent: ObjectIdentity, ownerUid: string): void;
}

export class GraphBuilder {
  readonly uidToNode = new UidToNode();
  readonly absentOwnerCache: ReferenceCache;

  constructor(
    private readonly sinks: GraphBuilderSinks,
    options: { readonly absentOwnerCacheSize?: number } = {},
  ) {
    this.absentOwnerCache = new ReferenceCache(options.absentOwnerCacheSize ?? 500);
  }

  /** An event saying the object with `identity` does not exist (enqueueVirtualDeleteEvent). */
  virtualDelete(identity: ObjectIdentity): void {
    const object: KubeObject = {
      apiVersion: identity.apiVersion,
      kind: identity.kind,
      metadata: { name: identity.name, uid: identity.uid, ...(identity.namespace === '' ? {} : { namespace: identity.namespace }) },
    };
    this.process({ type: 'delete', object, apiVersion: identity.apiVersion, kind: identity.kind, virtual: true });
  }

  /** processGraphChanges for one event. */
  process(event: GraphEvent): void {
    const { object } = event;
    const uid = object.metadata?.uid;
    if (uid === undefined || uid === '') return;
    let existing = this.uidToNode.read(uid);
    // Most updates (status writes above all) change nothing the graph holds: the node is known and
    // observed, its owners are the same and it is not being deleted. The full path below would do
    // nothing for them either (upstream's graph_builder.go leaves this as a TODO).
    if (event.type === 'update' && existing?.isObserved() === true && !isBeingDeleted(object) && sameReferences(existing.owners, object.metadata?.ownerReferences ?? [])) {
      return;
    }
    const observedIdentity = identityOf(object, event.apiVersion, event.kind);
    if (existing !== undefined && event.virtual !== true && !existing.isObserved()) {
      // The first informer event of a node known only as someone's owner.
      if (!sameIdentity(observedIdentity, existing.identity)) {
        // Dependents that named this uid with other coordinates may be wrong: look at them again.
        const [, mismatched] = partitionDependents(existing, observedIdentity);
        for (const dependent of mismatched) {
          if (observedIdentity.namespace !== '' && dependent.identity.namespace !== observedIdentity.namespace) {
            this.sinks.invalidOwnerNamespace?.(dependent.identity, uid);
          }
          this.sinks.attemptToDelete(dependent.identity.uid);
        }
        existing = existing.cloneWith(observedIdentity);
        this.uidToNode.write(existing);
      }
      existing.markObserved();
    }
    if (event.type === 'delete') {
      if (existing !== undefined) this.processDelete(event, existing, observedIdentity);
      return;
    }
    const owners = object.metadata?.ownerReferences ?? [];
    if (existing === undefined) {
      const node = new GraphNode(observedIdentity, {
        owners,
        beingDeleted: isBeingDeleted(object),
        deletingDependents: isBeingDeleted(object) && hasFinalizerNamed(object, FINALIZER_FOREGROUND),
      });
      this.uidToNode.write(node);
      this.addDependentToOwners(node, owners);
      this.processTransitions(event.oldObject, object, node);
      return;
    }
    const { added, removed, changed } = referencesDiffs(existing.owners, owners);
    if (added.length > 0 || removed.length > 0 || changed.length > 0) {
      // A dependent that stops blocking may let an owner in foreground deletion go.
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = owners;
      this.addDependentToOwners(existing, added);
      this.removeDependentFromOwners(existing, removed);
    }
    if (isBeingDeleted(object)) existing.markBeingDeleted();
    this.processTransitions(event.oldObject, object, existing);
  }

  private processDelete(event: GraphEvent, existing: GraphNode, deletedIdentity: ObjectIdentity): void {
    let removeExisting = true;
    if (event.virtual === true) {
      if (!existing.isObserved()) {
        // Both virtual: dependents may disagree on this owner's coordinates.
        const [matching, mismatched] = partitionDependents(existing, deletedIdentity);
        if (mismatched.length > 0) {
          removeExisting = false;
          if (matching.length > 0) {
            this.absentOwnerCache.add(deletedIdentity);
            for (const dependent of matching) this.sinks.attemptToDelete(dependent.identity.uid);
          }
          if (sameIdentity(existing.identity, deletedIdentity)) {
            // Try the coordinates another dependent names instead.
            const replacement = alternateOwnerIdentity(mismatched, deletedIdentity);
            if (replacement !== undefined) {
              this.uidToNode.write(existing.cloneWith(replacement));
              this.sinks.attemptToDeleteRateLimited(replacement.uid);
            }
          }
        }
      } else if (!sameIdentity(existing.identity, deletedIdentity)) {
        // A real node is never removed by a virtual event that names it differently; only the
        // dependents that used those wrong coordinates learn the owner is absent.
        removeExisting = false;
        const [matching] = partitionDependents(existing, deletedIdentity);
        if (matching.length > 0) {
          this.absentOwnerCache.add(deletedIdentity);
          for (const dependent of matching) this.sinks.attemptToDelete(dependent.identity.uid);
        }
      }
    }
    if (!removeExisting) return;
    this.removeNode(existing);
    if (existing.dependents.size > 0) this.absentOwnerCache.add(deletedIdentity);
    for (const dependent of existing.dependents) this.sinks.attemptToDelete(dependent.identity.uid);
    for (const owner of existing.owners) {
      const ownerNode = this.uidToNode.read(owner.uid);
      // An owner in foreground deletion may be free to go now that this dependent is gone.
      if (ownerNode?.isDeletingDependents() === true) this.sinks.attemptToDelete(ownerNode.identity.uid);
    }
  }

  /** Links `node` under each owner, creating virtual owner nodes for owners not seen yet. */
  private addDependentToOwners(node: GraphNode, owners: readonly DeepReadonly<OwnerReference>[]): void {
    for (const owner of owners) {
      let ownerNode = this.uidToNode.read(owner.uid);
      if (ownerNode === undefined) {
        ownerNode = new GraphNode(ownerIdentity(owner, node.identity.namespace), { virtual: true });
        this.uidToNode.write(ownerNode);
        ownerNode.dependents.add(node);
        // The collector verifies it; a 404 turns into a virtual delete event.
        this.sinks.attemptToDelete(ownerNode.identity.uid);
        continue;
      }
      ownerNode.dependents.add(node);
      const ownerNamespace = ownerNode.identity.namespace;
      if (ownerNamespace !== '' && ownerNamespace !== node.identity.namespace) {
        // Cross-namespace references are treated as absent: let the collector judge the dependent.
        if (ownerNode.isObserved()) this.sinks.invalidOwnerNamespace?.(node.identity, owner.uid);
        this.sinks.attemptToDelete(node.identity.uid);
      }
    }
  }

  private removeDependentFromOwners(node: GraphNode, owners: readonly DeepReadonly<OwnerReference>[]): void {
    for (const owner of owners) this.uidToNode.read(owner.uid)?.dependents.delete(node);
  }

  private removeNode(node: GraphNode): void {
    this.uidToNode.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
  }

  private addUnblockedOwnersToDeleteQueue(removed: readonly DeepReadonly<OwnerReference>[], changed: readonly ChangedReference[]): void {
    for (const reference of removed) {
      if (reference.blockOwnerDeletion === true) this.queueIfPresent(reference.uid);
    }
    for (const { oldReference, newReference } of changed) {
      if (oldReference.blockOwnerDeletion === true && newReference.blockOwnerDeletion !== true) this.queueIfPresent(newReference.uid);
    }
  }

  private queueIfPresent(uid: string): void {
    if (this.uidToNode.read(uid) !== undefined) this.sinks.attemptToDelete(uid);
  }

  /** graph_builder.go processTransitions: the start of an orphan or foreground deletion. */
  private processTransitions(oldObject: DeepReadonly<KubeObject> | undefined, object: DeepReadonly<KubeObject>, node: GraphNode): void {
    if (deletionStartsWithFinalizer(oldObject, object, FINALIZER_ORPHAN)) {
      this.sinks.attemptToOrphan(node.identity.uid);
      return;
    }
    if (deletionStartsWithFinalizer(oldObject, object, FINALIZER_FOREGROUND)) {
      node.markDeletingDependents();
      for (const dependent of node.dependents) this.sinks.attemptToDelete(dependent.identity.uid);
      this.sinks.attemptToDelete(node.identity.uid);
    }
  }
}

/** True when `object` is being deleted with `finalizer` and `oldObject` (if known) was not. */
function deletionStartsWithFinalizer(oldObject: DeepReadonly<KubeObject> | undefined, object: DeepReadonly<KubeObject>, finalizer: string): boolean {
  if (!isBeingDeleted(object) || !hasFinalizerNamed(object, finalizer)) return false;
  if (oldObject === undefined) return true;
  return !(isBeingDeleted(oldObject) && hasFinalizerNamed(oldObject, finalizer));
}

interface ChangedReference {
  readonly oldReference: DeepReadonly<OwnerReference>;
  readonly newReference: DeepReadonly<OwnerReference>;
}

/** Owner references added, removed and changed between two lists, matched by uid. */
export function referencesDiffs(
  old: readonly DeepReadonly<OwnerReference>[],
  current: readonly DeepReadonly<OwnerReference>[],
): { added: DeepReadonly<OwnerReference>[]; removed: DeepReadonly<OwnerReference>[]; changed: ChangedReference[] } {
  const oldByUid = new Map(old.map((r) => [r.uid, r]));
  const added: DeepReadonly<OwnerReference>[] = [];
  const changed: ChangedReference[] = [];
  for (const reference of current) {
    const before = oldByUid.get(reference.uid);
    if (before === undefined) added.push(reference);
    else {
      oldByUid.delete(reference.uid);
      if (!sameReference(before, reference)) changed.push({ oldReference: before, newReference: reference });
    }
  }
  return { added, removed: [...oldByUid.values()], changed };
}

/** The same references in the same order. */
function sameReferences(a: readonly DeepReadonly<OwnerReference>[], b: readonly DeepReadonly<OwnerReference>[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameReference(a[i] as DeepReadonly<OwnerReference>, b[i] as DeepReadonly<OwnerReference>)) return false;
  return true;
}

function sameReference(a: DeepReadonly<OwnerReference>, b: DeepReadonly<OwnerReference>): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.uid === b.uid &&
    (a.controller ?? false) === (b.controller ?? false) &&
    (a.blockOwnerDeletion ?? false) === (b.blockOwnerDeletion ?? false)
  );
}

/** Dependents of `owner` whose reference to it matches `identity`'s coordinates, and those whose does not. */
function partitionDependents(owner: GraphNode, identity: ObjectIdentity): [GraphNode[], GraphNode[]] {
  const matching: GraphNode[] = [];
  const mismatched: GraphNode[] = [];
  const ownerIsNamespaced = identity.namespace !== '';
  for (const dependent of owner.dependents) {
    for (const reference of dependent.owners) {
      if (reference.uid !== identity.uid) continue;
      const named = ownerIdentity(reference, ownerIsNamespaced ? dependent.identity.namespace : '');
      if (sameIdentity(named, identity)) matching.push(dependent);
      else mismatched.push(dependent);
      break;
    }
  }
  return [matching, mismatched];
}

/** Another identity the dependents give the owner, chosen deterministically (getAlternateOwnerIdentity). */
function alternateOwnerIdentity(dependents: readonly GraphNode[], verifiedAbsent: ObjectIdentity): ObjectIdentity | undefined {
  const absentIsNamespaced = verifiedAbsent.namespace !== '';
  const candidates: ObjectIdentity[] = [];
  for (const dependent of dependents) {
    for (const reference of dependent.owners) {
      if (reference.uid !== verifiedAbsent.uid) continue;
      const candidate = ownerIdentity(reference, absentIsNamespaced ? dependent.identity.namespace : '');
      if (!sameIdentity(candidate, verifiedAbsent)) candidates.push(candidate);
    }
  }
  const key = (i: ObjectIdentity): string => [i.apiVersion, i.kind, i.namespace, i.name].join('\u0000');
  candidates.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const after = candidates.find((c) => key(c) > key(verifiedAbsent));
  return after ?? candidates[0];
}
