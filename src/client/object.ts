/**
 * @module
 * The shape every Kubernetes object shares, as the client sees it: `apiVersion`, `kind` and
 * `metadata` (ObjectMeta, k8s.io/apimachinery/pkg/apis/meta/v1/types.go). Everything else is the
 * kind's own; typed clients narrow it, the dynamic client leaves it open.
 */

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

/** Any Kubernetes object. Fields beyond these three are the kind's own. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/**
 * An object as its metadata only (`kind: PartialObjectMetadata`, `apiVersion: meta.k8s.io/v1`): what a
 * metadata client (`ResourceClient.metadataOnly()`) and a metadata informer hold, as client-go's
 * metadata package does — no spec, no status, so a cache of every object of a kind stays small.
 */
export type PartialObjectMetadata = KubeObject;

/** A list as the API returns it (`kind: XList`): items plus the list's resourceVersion and continue token. */
export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

/** A readonly view, all the way down: what caches and listers hand out (STYLE.md rule 8). */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends Function
    ? T
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;
