/**
 * @module
 * What the API server knows about one resource: its names (kind, plural, singular, short names,
 * categories), scope, schema, subresources, and the strategy hooks that give the kind its behaviour
 * (defaulting, preparing, validating, printing). Routing, discovery, OpenAPI, verbs and Table output
 * are all derived from these definitions, never listed by hand; CRDs add definitions at run time.
 *
 * The strategy follows k8s.io/apiserver pkg/registry/rest (RESTCreateStrategy, RESTUpdateStrategy,
 * RESTDeleteStrategy): prepare normalises, validate only reads, and the generic store runs them in
 * upstream's order — decode → defaults → prepare → validate → store.
 */
import type { FieldError } from '../../api/field-errors.js';
import type { GroupVersionKind } from '../../api/gvk.js';
import type { JsonObject } from '../../api/json.js';
import type { Store } from '../../storage/interface.js';
import type { GenericStore } from './generic-store.js';

/** Finds the store of another served resource (an eviction reads PodDisruptionBudgets). */
export type StoreLookup = (group: string, version: string, resource: string) => GenericStore | undefined;

/** Where a request comes from and what it asked for, as the hooks see it. */
export interface RequestContext {
  /** The subresource being written (`status`, `scale`, …), or undefined for the main resource. */
  readonly subresource: string | undefined;
  /** Server-side dry run: nothing is persisted and no allocation is kept. */
  readonly dryRun: boolean;
  /** The wall clock at the start of the request, in ms (objects' timestamps come from it). */
  readonly now: number;
  /**
   * False for the server's own writes that must not depend on admission (the CRD cleanup
   * finalizer's deletes, as upstream's crd_finalizer deletes through the registry store).
   * @defaultValue true
   */
  readonly admission?: boolean;
}

/** What the asynchronous hooks may use besides the object: the raw store and the other resources. */
export interface HookContext extends RequestContext {
  readonly storage: Store;
  readonly lookup: StoreLookup;
  /** Every resource the server serves now (a CRD's names must not clash with the built-in ones). */
  readonly served: () => readonly ResourceDefinition[];
}

export interface TableColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format?: 'name' | string;
  readonly description: string;
  /** 0 for the default columns; higher ones show only with `-o wide`. */
  readonly priority: number;
}

/** Server-side printing: the columns of `kubectl get` and each object's cells. */
export interface TablePrinter {
  readonly columns: readonly TableColumn[];
  /** One row's cells, in column order; `now` is the time AGE columns are measured against. */
  cells(object: JsonObject, now: number): readonly (string | number | boolean | null)[];
}

/** The scale subresource, as autoscaling/v1 Scale exposes it (`kubectl scale`). */
export interface ScaleSubresource {
  /** JSON path of the desired replicas, e.g. `.spec.replicas`. */
  readonly specReplicasPath: string;
  /** JSON path of the observed replicas, e.g. `.status.replicas`. */
  readonly statusReplicasPath: string;
  /** JSON path of the label selector: a string or a metav1.LabelSelector object. */
  readonly labelSelectorPath?: string;
}

export interface Strategy {
  /**
   * Fills in defaults, as Kubernetes' SetDefaults_* do. Runs on create and on every update; the
   * context says which (absent on create), so a kind whose defaults touch only what a subresource
   * write keeps from the stored object may skip them there.
   */
  defaults?(object: JsonObject, context?: RequestContext): void;
  /** Normalises a new object before validation (clears status, for instance). */
  prepareForCreate?(object: JsonObject, context: RequestContext): void;
  /** Normalises an updated object before validation, given what is stored. */
  prepareForUpdate?(object: JsonObject, old: JsonObject, context: RequestContext): void;
  /** Field errors of a new object (metadata is validated by the store). */
  validate?(object: JsonObject, context: RequestContext): readonly FieldError[];
  /** Field errors of an update (metadata immutability is checked by the store). */
  validateUpdate?(object: JsonObject, old: JsonObject, context: RequestContext): readonly FieldError[];
  /** Warnings for the client (Warning headers), after validation passed. */
  warnings?(object: JsonObject, old: JsonObject | undefined): readonly string[];
  /**
   * Checks a name (or a generateName prefix); returns upstream-worded messages, empty when valid.
   * @defaultValue DNS-1123 subdomain
   */
  validateName?(name: string, prefix: boolean): readonly string[];
  /** The fields an object may be selected by, besides metadata.name and metadata.namespace. */
  selectableFields?(object: JsonObject): Readonly<Record<string, string>>;
  /**
   * Graceful deletion (pods): the grace period to wait before the object is really removed, given
   * the one the client asked for. Undefined (or a result of 0) deletes at once.
   */
  gracePeriodSeconds?(object: JsonObject, requested: number | undefined): number;
  /**
   * Whether something besides metadata.finalizers holds a deleting object (a namespace's
   * spec.finalizers, which its controller clears through /finalize).
   */
  holdsDeletion?(object: JsonObject): boolean;
  /** Marks an object whose deletion has started (a namespace's phase becomes Terminating). */
  markDeleting?(object: JsonObject, context: RequestContext): void;
  /**
   * Finalizers the server itself adds when an object's deletion starts, so that it can clean up
   * before the object goes: a CustomResourceDefinition gets customresourcecleanup.apiextensions.k8s.io
   * and stays until its custom resources are gone (apiextensions-apiserver
   * pkg/registry/customresourcedefinition/etcd.go, Delete).
   */
  finalizersOnDelete?(object: JsonObject): readonly string[];
  /**
   * Runs after validation, just before a new object is stored: allocations that must be unique (a
   * Service's cluster IP). Returns how to undo them if the object is not stored after all.
   */
  beforeCreate?(object: JsonObject, context: HookContext): Promise<(() => Promise<void>) | undefined>;
  /**
   * Runs after validation, just before an update is stored: allocations the new object needs and
   * the old one did not hold (a Service that becomes a NodePort needs node ports).
   */
  beforeUpdate?(object: JsonObject, old: JsonObject, context: HookContext): Promise<UpdateReservation | undefined>;
  /** Runs after an object has been removed from storage: releases what beforeCreate allocated. */
  afterDelete?(object: JsonObject, context: HookContext): Promise<void>;
  /**
   * Built-in mutating admission that reads other objects (upstream's admission.MutationInterface,
   * e.g. the Priority plugin resolving a pod's priority from its PriorityClass). Runs on create and
   * update of the main resource and of subresources (`context.subresource` tells), before the
   * dynamic admission webhooks, as kube-apiserver orders its plugins; `old` is absent on create.
   * Changes `object` in place, or throws the Status error that refuses the request.
   */
  admit?(object: JsonObject, old: JsonObject | undefined, context: HookContext): Promise<void>;
  /**
   * Built-in validating admission that reads other objects (upstream's admission.ValidationInterface,
   * e.g. the Priority plugin's "only one global default"). Runs after validation, before the
   * validating admission policies and webhooks; throws the Status error that refuses the request.
   */
  validateAdmission?(object: JsonObject, old: JsonObject | undefined, context: HookContext): Promise<void>;
  /**
   * Why the object may not be deleted at all, or undefined when it may: the answer becomes a 403
   * Forbidden (the system PriorityClasses, pkg/registry/scheduling/priorityclass/storage Delete). A
   * delete of the whole collection passes such objects over and deletes the rest.
   */
  refuseDelete?(object: JsonObject): string | undefined;
}

/** What beforeUpdate reserved: given back if the update is not stored, and settled once it is. */
export interface UpdateReservation {
  /** The update was not stored: releases what beforeUpdate reserved. */
  undo(): Promise<void>;
  /** The update was stored: releases what the old object held and the new one no longer uses. */
  commit(): Promise<void>;
}

export interface ResourceDefinition {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural, lower case: the path segment (`deployments`). */
  readonly resource: string;
  readonly singular: string;
  readonly listKind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** The OpenAPI name of the kind's schema (`io.k8s.api.apps.v1.Deployment`). */
  readonly schema: string;
  /** Whether `/status` exists: the main resource then ignores status and `/status` ignores the rest. */
  readonly statusSubresource: boolean;
  /**
   * Whether the kind keeps metadata.generation: 1 on create, one more on each change outside
   * metadata and status (workloads and custom resources do; ConfigMaps and Secrets do not).
   */
  readonly tracksGeneration: boolean;
  readonly scale?: ScaleSubresource;
  /** Other subresources with their own handlers (pods/binding, pods/eviction, namespaces/finalize). */
  readonly extraSubresources?: readonly string[];
  readonly strategy: Strategy;
  /** Server-side printing; without it, the default NAME / CREATED AT table. */
  readonly table?: TablePrinter;
  /** Whether strategic merge patch applies (built-in kinds yes, custom resources no). */
  readonly strategicMergePatch: boolean;
  /**
   * A kind with a status subresource normally starts with no status (the strategy may set one);
   * Nodes keep the status their kubelet registers them with.
   */
  readonly keepStatusOnCreate?: boolean;
  /** Objects expire this long after their last write (kube-apiserver's --event-ttl for Events). */
  readonly ttlSeconds?: number;
  /** Another resource whose storage this one shares, converting each object on the way. */
  readonly storedAs?: StoredAs;
  /** Set on custom resources: the CustomResourceDefinition they come from, and its schema. */
  readonly custom?: CustomResource;
  /**
   * Set on resources nothing is stored in, whose one verb is create (the access reviews): a create
   * answers 201 with what this returns for the admitted and validated body (`namespace` is the
   * request's, for a namespaced kind). Discovery lists only `create`; another method on the
   * collection is 405, and every other path 404.
   */
  readonly review?: (object: JsonObject, namespace: string, context: RequestContext) => JsonObject;
  /**
   * Set on read-only resources computed from other resources, nothing stored in them (the
   * metrics.k8s.io API): get and list answer with the objects this returns for `namespace`
   * (undefined: every namespace, or a cluster-scoped kind), filtered by name and selectors.
   * Discovery lists get and list; every other verb is 405, as for an API that serves only those.
   */
  readonly computed?: (lookup: StoreLookup, namespace: string | undefined, now: number) => readonly JsonObject[];
}

/**
 * What a custom resource's definition carries besides the usual: which CRD serves it, and the
 * version's openAPIV3Schema as the CRD gives it. OpenAPI publishes that schema as is (our schema
 * language cannot express every JSON schema); bodies are decoded keeping every field (no pruning).
 */
export interface CustomResource {
  /** The name of the CustomResourceDefinition (`<plural>.<group>`). */
  readonly crd: string;
  /** The version's `schema.openAPIV3Schema`, kept as given. */
  readonly openAPIV3Schema: JsonObject;
}

/**
 * One kind served in two APIs over one storage (upstream: two external versions of one internal
 * type). events.k8s.io/v1 Events are stored as core/v1 Events, so each API sees the other's writes.
 */
export interface StoredAs {
  /** The resource whose keys hold the objects. */
  readonly group: string;
  readonly resource: string;
  /** This API's object in the stored resource's form (apiVersion and kind included). */
  toStorage(object: JsonObject): JsonObject;
  /** A stored object in this API's form. */
  fromStorage(object: JsonObject): JsonObject;
}

export function gvkOf(definition: ResourceDefinition): GroupVersionKind {
  return { group: definition.group, version: definition.version, kind: definition.kind };
}
