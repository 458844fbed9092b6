/**
 * @module
 * The garbage collector's owner graph (pkg/controller/garbagecollector/graph.go): one node per
 * object uid, holding the object's identity, its ownerReferences and the set of its dependents. A
 * node is *virtual* while it was only named by a dependent's ownerReference and never observed
 * through an informer; the collector then asks the API server whether it exists.
 *
 * Invariant: `b ∈ a.dependents` iff `b` is in the graph and one of `b.owners` has `a`'s uid.
 */
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';

/** The finalizer the API server adds for propagationPolicy=Orphan (metav1.FinalizerOrphanDependents). */
export const FINALIZER_ORPHAN = 'orphan';
/** The finalizer the API server adds for propagationPolicy=Foreground (metav1.FinalizerDeleteDependents). */
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** Who an object is: the coordinates of an ownerReference plus the namespace (graph.go objectReference). */
export interface ObjectIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  /** Empty for cluster-scoped objects (and for virtual owners named by cluster-scoped dependents). */
  readonly namespace: string;
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

export function describeIdentity(identity: ObjectIdentity): string {
  const where = identity.namespace === '' ? '' : `, namespace: ${identity.namespace}`;
  return `[${identity.apiVersion}/${identity.kind}${where}, name: ${identity.name}, uid: ${identity.uid}]`;
}

/** The identity an ownerReference names, for a dependent in `namespace`. */
export function ownerIdentity(reference: DeepReadonly<OwnerReference>, namespace: string): ObjectIdentity {
  return { apiVersion: reference.apiVersion, kind: reference.kind, name: reference.name, uid: reference.uid, namespace };
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  /** The object's ownerReferences as last observed. */
  owners: readonly DeepReadonly<OwnerReference>[];
  /** Seen through an informer (not only named as an owner). */
  private observed: boolean;
  /** The object has a deletionTimestamp; a one-way trip. */
  private beingDeleted: boolean;
  /** Being deleted with the foregroundDeletion finalizer: it waits for its blocking dependents. */
  private deletingDependents: boolean;

  constructor(
    public identity: ObjectIdentity,
    init: { readonly owners?: readonly DeepReadonly<OwnerReference>[]; readonly virtual?: boolean; readonly beingDeleted?: boolean; readonly deletingDependents?: boolean } = {},
  ) {
    this.owners = init.owners ?? [];
    this.observed = init.virtual !== true;
    this.beingDeleted = init.beingDeleted ?? false;
    this.deletingDependents = init.deletingDependents ?? false;
  }

  isObserved(): boolean {
    return this.observed;
  }

  markObserved(): void {
    this.observed = true;
  }

  isBeingDeleted(): boolean {
    return this.beingDeleted;
  }

  markBeingDeleted(): void {
    this.beingDeleted = true;
  }

  isDeletingDependents(): boolean {
    return this.deletingDependents;
  }

  markDeletingDependents(): void {
    this.beingDeleted = true;
    this.deletingDependents = true;
  }

  /** The dependents whose reference to this node has blockOwnerDeletion=true (graph.go blockingDependents). */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((d) => d.owners.some((o) => o.uid === this.identity.uid && o.blockOwnerDeletion === true));
  }

  /** A copy with the same edges' targets, for replacing a virtual node's identity. */
  cloneWith(identity: ObjectIdentity): GraphNode {
    const copy = new GraphNode(identity, { owners: this.owners, virtual: !this.observed, beingDeleted: this.beingDeleted, deletingDependents: this.deletingDependents });
    for (const dependent of this.dependents) copy.dependents.add(dependent);
    return copy;
  }

  toString(): string {
    return describeIdentity(this.identity);
  }
}

/** uid → node (graph.go concurrentUIDToNode; one thread here, so a plain map). */
export class UidToNode {
  private readonly nodes = new Map<string, GraphNode>();

  read(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  write(node: GraphNode): void {
    this.nodes.set(node.identity.uid, node);
  }

  delete(uid: string): void {
    this.nodes.delete(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  values(): IterableIterator<GraphNode> {
    return this.nodes.values();
  }
}

/**
 * The identity of an observed object, with apiVersion and kind from the resource that served it, as
 * upstream's graph builder takes them from its monitor's GVK (graph_builder.go
 * processGraphChanges): a metadata informer's objects all say PartialObjectMetadata.
 */
export function identityOf(object: DeepReadonly<KubeObject>, apiVersion: string, kind: string): ObjectIdentity {
  return {
    apiVersion,
    kind,
    name: object.metadata?.name ?? '',
    uid: object.metadata?.uid ?? '',
    namespace: object.metadata?.namespace ?? '',
  };
}

export function hasFinalizerNamed(object: DeepReadonly<KubeObject>, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

export function isBeingDeleted(object: DeepReadonly<KubeObject>): boolean {
  return object.metadata?.deletionTimestamp !== undefined;
}
