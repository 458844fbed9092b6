/**
 * @module
 * Event filters (controller-runtime pkg/predicate): which informer events are worth a reconcile.
 * A predicate that leaves a method out lets those events through. Deletes seen only at a relist
 * arrive as tombstones; predicates get the last known object inside.
 */
import type { LabelSelector } from '../api/labels.js';
import type { DeepReadonly, KubeObject } from '../client/object.js';

export interface Predicate<T extends KubeObject = KubeObject> {
  create?(object: DeepReadonly<T>): boolean;
  update?(oldObject: DeepReadonly<T>, newObject: DeepReadonly<T>): boolean;
  delete?(object: DeepReadonly<T>): boolean;
}

/**
 * Updates where metadata.generation changed — that is, the spec changed (the server bumps the
 * generation on spec writes, not on status or metadata). Creates and deletes pass.
 */
export const generationChanged: Predicate = {
  update: (oldObject, newObject) => oldObject.metadata?.generation !== newObject.metadata?.generation,
};

/** Updates where the resourceVersion changed: drops the periodic resync's `onUpdate(obj, obj)`. */
export const resourceVersionChanged: Predicate = {
  update: (oldObject, newObject) => oldObject.metadata?.resourceVersion !== newObject.metadata?.resourceVersion,
};

export const labelsChanged: Predicate = {
  update: (oldObject, newObject) => !sameMap(oldObject.metadata?.labels, newObject.metadata?.labels),
};

export const annotationsChanged: Predicate = {
  update: (oldObject, newObject) => !sameMap(oldObject.metadata?.annotations, newObject.metadata?.annotations),
};

/** Only objects whose labels match `selector` (for an update, the new object's). */
export function labelSelectorPredicate(selector: LabelSelector): Predicate {
  const matches = (object: DeepReadonly<KubeObject>): boolean => selector.matches(object.metadata?.labels ?? {});
  return { create: matches, update: (_old, object) => matches(object), delete: matches };
}

/** Only objects for which `filter` holds. */
export function filter<T extends KubeObject>(accept: (object: DeepReadonly<T>) => boolean): Predicate<T> {
  return { create: accept, update: (_old, object) => accept(object), delete: accept };
}

/** Every predicate passes. */
export function and<T extends KubeObject>(...predicates: readonly Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => predicates.every((p) => p.create?.(o) ?? true),
    update: (a, b) => predicates.every((p) => p.update?.(a, b) ?? true),
    delete: (o) => predicates.every((p) => p.delete?.(o) ?? true),
  };
}

/** Some predicate passes. */
export function or<T extends KubeObject>(...predicates: readonly Predicate<T>[]): Predicate<T> {
  return {
    create: (o) => predicates.some((p) => p.create?.(o) ?? true),
    update: (a, b) => predicates.some((p) => p.update?.(a, b) ?? true),
    delete: (o) => predicates.some((p) => p.delete?.(o) ?? true),
  };
}

export function not<T extends KubeObject>(predicate: Predicate<T>): Predicate<T> {
  return {
    create: (o) => !(predicate.create?.(o) ?? true),
    update: (a, b) => !(predicate.update?.(a, b) ?? true),
    delete: (o) => !(predicate.delete?.(o) ?? true),
  };
}

function sameMap(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const left = Object.entries(a ?? {});
  if (left.length !== Object.keys(b ?? {}).length) return false;
  return left.every(([key, value]) => (b ?? {})[key] === value);
}
