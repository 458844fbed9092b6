/**
 * @module
 * The controller builder (controller-runtime pkg/builder): say which kind the controller is `for`,
 * which kinds it `owns` (their events reconcile their controlling owner), and what else it
 * `watches` with a map function — each with optional predicates — and `complete` it with a
 * reconciler. Informers come from the manager's factory, so controllers share watches.
 *
 * @example
 * manager.controller('sample')
 *   .for('apps/v1/Deployment', { predicates: [generationChanged] })
 *   .owns('v1/Pod')
 *   .complete(reconciler);
 */
import type { BuiltInKindTypes } from '../api/types/index.js';
import type { BuiltInKindName } from '../client/kube-client.js';
import type { KubeObject } from '../client/object.js';
import type { ResourceRef } from '../client/resource-client.js';
import type { SharedIndexInformer } from '../client/cache/shared-informer.js';
import { Controller, type ControllerOptions } from './controller.js';
import { type MapFunc, requestForOwner } from './event-handlers.js';
import type { Predicate } from './predicates.js';
import type { Reconciler } from './reconciler.js';

/** A built-in kind by name, or any resource (a CRD) with its kind. */
export type KindSpec = BuiltInKindName | (ResourceRef & { readonly kind: string });

/**
 * A resource whose objects have type `T`, in the type only (`objectType` is never set): a custom
 * resource declared with defineCustomResource hands one out, so its informers and listers are typed.
 */
export interface TypedResourceRef<T extends KubeObject> extends ResourceRef {
  readonly kind: string;
  readonly objectType?: T;
}

/** The objects of a kind: a built-in kind's type, a typed resource's, or any object. */
export type ObjectOf<K extends KindSpec> = K extends BuiltInKindName
  ? BuiltInKindTypes[K]
  : K extends { readonly objectType?: infer T extends KubeObject }
    ? T
    : KubeObject;

/** What the builder needs of a manager: informers by kind, and a place to run the controller. */
export interface ControllerHost {
  informerFor<K extends KindSpec>(kind: K): SharedIndexInformer<ObjectOf<K>>;
  addController(controller: Controller): void;
}

interface Watch {
  readonly informer: SharedIndexInformer<KubeObject>;
  readonly map?: MapFunc;
  readonly predicates: readonly Predicate[];
}

export class ControllerBuilder {
  private primary: { kind: KindSpec; watch: Watch } | undefined;
  private readonly owned: { kind: KindSpec; predicates: readonly Predicate[] }[] = [];
  private readonly watched: Watch[] = [];
  private options: Omit<ControllerOptions, 'name' | 'reconciler'> = {};

  constructor(
    private readonly host: ControllerHost,
    private readonly name: string,
  ) {}

  /** The kind this controller reconciles: each of its events reconciles that object. */
  for<K extends KindSpec>(kind: K, options: { readonly predicates?: readonly Predicate<ObjectOf<K>>[] } = {}): this {
    if (this.primary !== undefined) throw new Error(`controller ${this.name}: for() was already called`);
    this.primary = { kind, watch: { informer: this.informer(kind), predicates: (options.predicates ?? []) as readonly Predicate[] } };
    return this;
  }

  /** A kind this controller creates: an event of one reconciles its controlling owner. */
  owns<K extends KindSpec>(kind: K, options: { readonly predicates?: readonly Predicate<ObjectOf<K>>[] } = {}): this {
    this.owned.push({ kind, predicates: (options.predicates ?? []) as readonly Predicate[] });
    return this;
  }

  /** Any other kind: `map` says which requests an event of it makes. */
  watches<K extends KindSpec>(kind: K, map: MapFunc<ObjectOf<K>>, options: { readonly predicates?: readonly Predicate<ObjectOf<K>>[] } = {}): this {
    this.watched.push({ informer: this.informer(kind), map: map as MapFunc, predicates: (options.predicates ?? []) as readonly Predicate[] });
    return this;
  }

  withOptions(options: Omit<ControllerOptions, 'name' | 'reconciler'>): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /** Builds the controller and hands it to the manager, which runs it. */
  complete(reconciler: Reconciler): Controller {
    if (this.primary === undefined) throw new Error(`controller ${this.name}: call for() before complete()`);
    const controller = new Controller({ ...this.options, name: this.name, reconciler });
    controller.watch(this.primary.watch);
    const { group, kind } = kindOf(this.primary.kind);
    for (const owned of this.owned) {
      controller.watch({ informer: this.informer(owned.kind), map: requestForOwner(group, kind), predicates: owned.predicates });
    }
    for (const watch of this.watched) controller.watch(watch);
    this.host.addController(controller);
    return controller;
  }

  private informer(kind: KindSpec): SharedIndexInformer<KubeObject> {
    return this.host.informerFor(kind) as unknown as SharedIndexInformer<KubeObject>;
  }
}

function kindOf(spec: KindSpec): { group: string; kind: string } {
  if (typeof spec !== 'string') return { group: spec.group, kind: spec.kind };
  const parts = spec.split('/');
  return { group: parts.length === 3 ? (parts[0] ?? '') : '', kind: parts[parts.length - 1] ?? '' };
}
