/**
 * @module
 * Claiming by selector and controller reference (upstream pkg/controller/controller_ref_manager.go
 * BaseControllerRefManager.ClaimObject, PodControllerRefManager.ClaimPods, RecheckDeletionTimestamp).
 * A controller owns the objects whose controller reference names it; besides those it adopts
 * orphans its selector matches, and releases (orphans) the objects it owns that the selector no
 * longer matches. Rules, per object:
 *
 * - controlled by another owner: ignored;
 * - controlled by us and matching: claimed;
 * - controlled by us and not matching: released, unless we are being deleted (then left alone);
 * - an orphan: adopted when it matches, is not being deleted, is in our namespace, and we are not
 *   being deleted — which is checked once per manager with a fresh read from the API (`canAdopt`),
 *   since the cached owner may not show a deletion that just started (kubernetes#42639).
 *
 * Adopting and releasing are strategic merge patches of ownerReferences (see owner-refs.ts). An
 * object that vanished meanwhile is simply not claimed; other failures are collected and reported
 * together after every object was considered.
 */
import type { LabelSelector } from '../../api/labels.js';
import type { coreV1 } from '../../api/types/index.js';
import { isInvalid, isNotFound } from '../../client/errors.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';
import { type ControllerKind, deleteOwnerRefPatch, getControllerOf, ownerRefControllerPatch } from './owner-refs.js';
import type { PodControl } from './pod-control.js';

export interface ControllerRefManagerOptions<T extends KubeObject> {
  /** The would-be owner (as cached). */
  readonly controller: DeepReadonly<KubeObject>;
  readonly selector: LabelSelector;
  readonly controllerKind: ControllerKind;
  /** Resolves if the owner may adopt; rejects to forbid (e.g. it has just been deleted). Called at most once. */
  readonly canAdopt: () => Promise<void>;
  /** Applies a strategic merge patch to the object `name` in `namespace`. */
  readonly patch: (namespace: string, name: string, patch: object) => Promise<void>;
}

/** The result of a claim: what is ours now, and what failed (the claim went on past failures). */
export interface ClaimResult<T> {
  readonly claimed: T[];
  readonly errors: unknown[];
}

/** Claims objects of one kind for one controller (BaseControllerRefManager + the kind's adopt/release). */
export class ControllerRefManager<T extends KubeObject> {
  private canAdoptOnce: Promise<void> | undefined;

  constructor(private readonly options: ControllerRefManagerOptions<T>) {}

  /** The owner's uid. */
  private get uid(): string {
    return this.options.controller.metadata?.uid ?? '';
  }

  private get ownerDeleting(): boolean {
    return this.options.controller.metadata?.deletionTimestamp !== undefined;
  }

  /**
   * Claims among `objects` (ClaimObject over each): returns those owned after adoptions and releases.
   * `filters` must all pass, besides the selector, for an object to match.
   */
  async claim(objects: readonly DeepReadonly<T>[], filters: readonly ((obj: DeepReadonly<T>) => boolean)[] = []): Promise<ClaimResult<DeepReadonly<T>>> {
    // A loop over the filters, not every(): this runs for every object of the owner at every sync.
    const match = (obj: DeepReadonly<T>): boolean => {
      if (!this.options.selector.matches(obj.metadata?.labels)) return false;
      for (const filter of filters) if (!filter(obj)) return false;
      return true;
    };
    const claimed: DeepReadonly<T>[] = [];
    const errors: unknown[] = [];
    // Deciding is synchronous; only adoptions and releases wait for the API. An owner with
    // thousands of objects, nearly all already claimed, is then one pass without a promise each.
    for (const obj of objects) {
      const action = this.decide(obj, match);
      if (action === 'claimed') {
        claimed.push(obj);
        continue;
      }
      if (action === 'ignore') continue;
      try {
        if (action === 'release') await this.release(obj);
        else if (await this.adoptUnlessGone(obj)) claimed.push(obj);
      } catch (error) {
        errors.push(error);
      }
    }
    return { claimed, errors };
  }

  /** ClaimObject's decision for `obj`: ours already, to adopt, to release, or none of our business. */
  private decide(obj: DeepReadonly<T>, match: (obj: DeepReadonly<T>) => boolean): 'claimed' | 'adopt' | 'release' | 'ignore' {
    const ref = getControllerOf(obj);
    if (ref !== undefined) {
      if (ref.uid !== this.uid) return 'ignore';
      if (match(obj)) return 'claimed';
      return this.ownerDeleting ? 'ignore' : 'release';
    }
    if (this.ownerDeleting || !match(obj)) return 'ignore';
    if (obj.metadata?.deletionTimestamp !== undefined) return 'ignore';
    const namespace = this.options.controller.metadata?.namespace ?? '';
    if (namespace !== '' && namespace !== (obj.metadata?.namespace ?? '')) return 'ignore';
    return 'adopt';
  }

  /** Adopts `obj`: true once it is ours, false if it vanished meanwhile. */
  private async adoptUnlessGone(obj: DeepReadonly<T>): Promise<boolean> {
    try {
      await this.adopt(obj);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    return true;
  }

  private async adopt(obj: DeepReadonly<T>): Promise<void> {
    this.canAdoptOnce ??= this.options.canAdopt();
    try {
      await this.canAdoptOnce;
    } catch (error) {
      throw new Error(`can't adopt ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''} (${obj.metadata?.uid ?? ''}): ${error instanceof Error ? error.message : String(error)}`);
    }
    const patch = ownerRefControllerPatch(this.options.controller, this.options.controllerKind, obj.metadata?.uid ?? '');
    await this.options.patch(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '', patch);
  }

  /** Removes our reference; an object gone, or no longer carrying it (Invalid), needs nothing more. */
  private async release(obj: DeepReadonly<T>): Promise<void> {
    const patch = deleteOwnerRefPatch(obj.metadata?.uid ?? '', [this.uid]);
    try {
      await this.options.patch(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '', patch);
    } catch (error) {
      if (isNotFound(error) || isInvalid(error)) return;
      throw error;
    }
  }
}

/** A ControllerRefManager for pods, patching through a {@link PodControl} (PodControllerRefManager). */
export function podControllerRefManager(
  podControl: Pick<PodControl, 'patchPod'>,
  options: Omit<ControllerRefManagerOptions<coreV1.Pod>, 'patch'>,
): ControllerRefManager<coreV1.Pod> {
  return new ControllerRefManager<coreV1.Pod>({ ...options, patch: (namespace, name, patch) => podControl.patchPod(namespace, name, patch) });
}

/**
 * A `canAdopt` that reads the owner fresh and refuses when it is being deleted
 * (RecheckDeletionTimestamp). `getFresh` should also reject when the owner was replaced (another uid).
 */
export function recheckDeletionTimestamp(getFresh: () => Promise<DeepReadonly<KubeObject>>): () => Promise<void> {
  return async () => {
    const fresh = await getFresh();
    const deleted = fresh.metadata?.deletionTimestamp;
    if (deleted !== undefined) throw new Error(`${fresh.metadata?.namespace ?? ''}/${fresh.metadata?.name ?? ''} has just been deleted at ${deleted}`);
  };
}
