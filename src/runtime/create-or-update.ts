/**
 * @module
 * Create-or-update, as controller-runtime's controllerutil.CreateOrUpdate
 * (pkg/controller/controllerutil/controllerutil.go): read the object named by `object`, let
 * `mutate` bring it to the wanted state, then create it (it was absent), update it (mutate changed
 * it) or leave it alone (it already was so). `object` is filled with the state as it is on the
 * server afterwards, as upstream fills its argument.
 *
 * The update carries the resourceVersion read, so a concurrent writer makes it fail with a
 * Conflict rather than be overwritten: the caller requeues and reads again. `mutate` must not
 * change the name or namespace.
 */
import { isNotFound } from '../client/errors.js';
import type { KubeObject } from '../client/object.js';
import type { WriteOptions } from '../client/resource-client.js';

export type OperationResult = 'created' | 'updated' | 'unchanged';

/** The slice of a ResourceClient that create-or-update needs (ResourceClient fits). */
export interface CreateOrUpdateClient<T extends KubeObject> {
  namespace(namespace: string): CreateOrUpdateClient<T>;
  readonly ref: { readonly namespaced: boolean };
  get(name: string): Promise<T>;
  create(object: T, options?: WriteOptions): Promise<T>;
  update(object: T, options?: WriteOptions): Promise<T>;
}

/** Creates or updates `object` as `mutate` wants it; says which happened. */
export async function createOrUpdate<T extends KubeObject>(
  client: CreateOrUpdateClient<T>,
  object: T,
  mutate: (object: T) => void | Promise<void>,
  options: WriteOptions = {},
): Promise<OperationResult> {
  const name = object.metadata?.name ?? '';
  if (name === '') throw new Error('createOrUpdate needs an object with metadata.name');
  const namespace = object.metadata?.namespace ?? '';
  const scoped = client.ref.namespaced ? client.namespace(namespace) : client;
  let current: T | undefined;
  try {
    current = await scoped.get(name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (current === undefined) {
    await mutateChecked(object, mutate, name, namespace);
    replace(object, await scoped.create(object, options));
    return 'created';
  }
  replace(object, current);
  const before = structuredClone(current);
  await mutateChecked(object, mutate, name, namespace);
  if (semanticEqual(before, object)) return 'unchanged';
  replace(object, await scoped.update(object, options));
  return 'updated';
}

async function mutateChecked<T extends KubeObject>(object: T, mutate: (object: T) => void | Promise<void>, name: string, namespace: string): Promise<void> {
  await mutate(object);
  if ((object.metadata?.name ?? '') !== name || (object.metadata?.namespace ?? '') !== namespace) {
    throw new Error('MutateFn cannot mutate object name and/or object namespace');
  }
}

/** Makes `target` hold exactly the fields of `source`. */
function replace(target: KubeObject, source: KubeObject): void {
  for (const key of Object.keys(target)) Reflect.deleteProperty(target, key);
  Object.assign(target, source);
}

/** Deep equality of JSON values, key order aside (equality.Semantic.DeepEqual for plain data). */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => semanticEqual(item, b[i]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  const otherKeys = Object.keys(right).filter((key) => right[key] !== undefined);
  return keys.length === otherKeys.length && keys.every((key) => semanticEqual(left[key], right[key]));
}
