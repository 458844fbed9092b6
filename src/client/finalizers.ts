/**
 * @module
 * Finalizers: the names in `metadata.finalizers` that hold an object in the API after its deletion
 * was asked for (it gets a deletionTimestamp) until each owner has cleaned up and removed its name.
 *
 * - `hasFinalizer` / `addFinalizer` / `removeFinalizer` follow controller-runtime's
 *   `pkg/controller/controllerutil` (ContainsFinalizer, AddFinalizer, RemoveFinalizer): they read or
 *   change an object you own (a clone, never a cached object) and say whether it changed.
 * - `ensureFinalizer` / `removeFinalizerAndUpdate` clone, change and write with `update`, which carries
 *   the object's resourceVersion: a Conflict (someone wrote since it was read) reaches the caller,
 *   who requeues and reads again rather than overwrite.
 * - {@link Finalizers} is controller-runtime's `pkg/finalizer`: a registry of finalizer functions; on
 *   a live object it adds the missing names, on a deleting one it runs each present finalizer and
 *   removes its name once that succeeds.
 */
import type { DeepReadonly, KubeObject } from './object.js';
import type { ResourceClient, WriteOptions } from './resource-client.js';

export function hasFinalizer(object: DeepReadonly<KubeObject>, name: string): boolean {
  return object.metadata?.finalizers?.includes(name) ?? false;
}

/** Appends `name` unless present; true when the list changed. */
export function addFinalizer(object: KubeObject, name: string): boolean {
  if (hasFinalizer(object, name)) return false;
  object.metadata ??= {};
  object.metadata.finalizers = [...(object.metadata.finalizers ?? []), name];
  return true;
}

/** Removes every occurrence of `name`; true when the list changed. */
export function removeFinalizer(object: KubeObject, name: string): boolean {
  const finalizers = object.metadata?.finalizers;
  if (object.metadata === undefined || finalizers === undefined || !finalizers.includes(name)) return false;
  object.metadata.finalizers = finalizers.filter((f) => f !== name);
  return true;
}

/**
 * Adds `name` to the object on the server. Returns the object as written, or a clone of the one
 * given when it already had the finalizer (no write). Conflict and NotFound propagate.
 */
export async function ensureFinalizer<T extends KubeObject>(client: ResourceClient<T>, object: DeepReadonly<T>, name: string, options: WriteOptions = {}): Promise<T> {
  const copy = clone(object);
  return addFinalizer(copy, name) ? client.update(copy, options) : copy;
}

/** Removes `name` from the object on the server; as {@link ensureFinalizer}, writing only on change. */
export async function removeFinalizerAndUpdate<T extends KubeObject>(client: ResourceClient<T>, object: DeepReadonly<T>, name: string, options: WriteOptions = {}): Promise<T> {
  const copy = clone(object);
  return removeFinalizer(copy, name) ? client.update(copy, options) : copy;
}

/** What a finalizer function changed besides the finalizer list (controller-runtime's finalizer.Result). */
export interface FinalizerResult {
  /** It changed metadata or spec: the object needs an update. */
  readonly updated?: boolean;
  /** It changed the status: the object needs a status update. */
  readonly statusUpdated?: boolean;
}

/** Cleans up for a deleting object; may change the object it is given. Throw to keep the finalizer. */
export type FinalizerFn<T extends KubeObject> = (object: T) => FinalizerResult | void | Promise<FinalizerResult | void>;

export interface FinalizeResult {
  /** Write the object with `update`: a finalizer was added or removed, or a function changed it. */
  readonly updated: boolean;
  /** Write the status with `updateStatus`: a function changed it. */
  readonly statusUpdated: boolean;
  /** Finalizer functions that failed; their names stay on the object for the next attempt. */
  readonly failures: readonly { readonly finalizer: string; readonly error: unknown }[];
}

export class Finalizers<T extends KubeObject = KubeObject> {
  /** In registration order, which is the order they run in. */
  private readonly registered = new Map<string, FinalizerFn<T>>();

  register(name: string, finalize: FinalizerFn<T>): void {
    if (name === '') throw new RangeError('a finalizer needs a name');
    if (this.registered.has(name)) throw new Error(`finalizer for key "${name}" already registered`);
    this.registered.set(name, finalize);
  }

  /**
   * Brings `object` (a clone you will write) in line: without a deletionTimestamp it gets every
   * registered name; with one, each registered name it still carries has its function run and is
   * removed if that succeeded. A failing function does not stop the others (as upstream).
   */
  async finalize(object: T): Promise<FinalizeResult> {
    let updated = false;
    let statusUpdated = false;
    const failures: { finalizer: string; error: unknown }[] = [];
    const deleting = (object.metadata?.deletionTimestamp ?? '') !== '';
    for (const [name, finalize] of this.registered) {
      if (!deleting) {
        updated = addFinalizer(object, name) || updated;
        continue;
      }
      if (!hasFinalizer(object, name)) continue;
      try {
        const result = (await finalize(object)) ?? {};
        statusUpdated = statusUpdated || result.statusUpdated === true;
        removeFinalizer(object, name);
        updated = true;
      } catch (error) {
        // A failed cleanup may still have recorded why (a condition): keep what it says it changed.
        const partial = resultOf(error);
        updated = updated || partial.updated === true;
        statusUpdated = statusUpdated || partial.statusUpdated === true;
        failures.push({ finalizer: name, error });
      }
    }
    return { updated, statusUpdated, failures };
  }
}

/**
 * A finalizer function's failure that also reports what it changed before failing (upstream returns
 * both a Result and an error).
 */
export class FinalizerError extends Error {
  override readonly name = 'FinalizerError';

  constructor(
    message: string,
    readonly result: FinalizerResult,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function resultOf(error: unknown): FinalizerResult {
  return error instanceof FinalizerError ? error.result : {};
}

function clone<T extends KubeObject>(object: DeepReadonly<T>): T {
  // A deep copy is as mutable as the object it copies; DeepReadonly only ever described our access.
  return structuredClone(object) as T;
}
