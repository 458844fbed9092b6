/**
 * @module
 * Controller expectations (upstream pkg/controller/controller_utils.go: ControllerExpectations and
 * UIDTrackingControllerExpectations). A controller that creates or deletes pods acts before its
 * informer has seen the result; without a record of what it is still waiting for, its next sync
 * would count the old state and create (or delete) the same pods again. So before acting it records
 * how many creations and deletions it expects under its own key; the informer's handlers lower the
 * counts as they observe each pod, and a sync acts only once the counts are fulfilled — or, so that
 * a lost watch event cannot wedge a controller, once the record is older than
 * {@link EXPECTATIONS_TIMEOUT_MS}.
 *
 * Invariant: a key without a record is satisfied (a controller seen for the first time, or one that
 * was deleted).
 */
import { type Clock, realClock } from '../../util/clock.js';

/** Upstream's ExpectationsTimeout: after this, a sync proceeds whatever it still waits for. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

/** What a controller waits for under one key. Counts may go negative (more seen than expected). */
export interface Expectation {
  readonly add: number;
  readonly del: number;
  /** When the expectation was set (clock ms). */
  readonly timestamp: number;
}

/** The counting variant: how many creations and deletions each controller key still awaits. */
export class ControllerExpectations {
  protected readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly store = new Map<string, { add: number; del: number; timestamp: number }>();

  constructor(options: { readonly clock?: Clock; readonly timeoutMs?: number } = {}) {
    this.clock = options.clock ?? realClock;
    this.timeoutMs = options.timeoutMs ?? EXPECTATIONS_TIMEOUT_MS;
  }

  /** The record of `key`, if any (a copy). */
  getExpectations(key: string): Expectation | undefined {
    const exp = this.store.get(key);
    return exp === undefined ? undefined : { ...exp };
  }

  /**
   * Whether a sync of `key` may act: true without a record, when every expected event was observed,
   * or when the record has expired.
   */
  satisfiedExpectations(key: string): boolean {
    const exp = this.store.get(key);
    if (exp === undefined) return true;
    if (exp.add <= 0 && exp.del <= 0) return true;
    return this.clock.now() - exp.timestamp > this.timeoutMs;
  }

  /** Replaces the record of `key`, stamped now. */
  setExpectations(key: string, add: number, del: number): void {
    this.store.set(key, { add, del, timestamp: this.clock.now() });
  }

  expectCreations(key: string, adds: number): void {
    this.setExpectations(key, adds, 0);
  }

  /** Counts `dels` deletions to come (the UID-tracking variant takes the pod keys instead). */
  expectDeletionCount(key: string, dels: number): void {
    this.setExpectations(key, 0, dels);
  }

  /** Lowers the counts of an existing record; no record, no change. */
  lowerExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (exp === undefined) return;
    exp.add -= add;
    exp.del -= del;
  }

  /** Raises the counts of an existing record; no record, no change. */
  raiseExpectations(key: string, add: number, del: number): void {
    const exp = this.store.get(key);
    if (exp === undefined) return;
    exp.add += add;
    exp.del += del;
  }

  /** One expected creation was observed (or will never happen). */
  creationObserved(key: string): void {
    this.lowerExpectations(key, 1, 0);
  }

  /** Forgets `key` (its controller was deleted). */
  deleteExpectations(key: string): void {
    this.store.delete(key);
  }
}

/**
 * UIDTrackingControllerExpectations: deletions are expected by pod key (`namespace/name`), so a pod
 * counts once whether the controller sees it first get a deletionTimestamp, then vanish, or both.
 */
export class UIDTrackingControllerExpectations extends ControllerExpectations {
  private readonly uids = new Map<string, Set<string>>();

  /** The pod keys still expected to be deleted for `key`. */
  getUIDs(key: string): ReadonlySet<string> | undefined {
    return this.uids.get(key);
  }

  /** Expects the deletion of exactly these pods (replacing whatever `key` expected before). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.uids.set(key, new Set(podKeys));
    this.expectDeletionCount(key, podKeys.length);
  }

  /** The pod `podKey` was seen deleted (or its deletion failed); counts once per expected pod. */
  deletionObserved(key: string, podKey: string): void {
    const pending = this.uids.get(key);
    if (pending === undefined || !pending.delete(podKey)) return;
    this.lowerExpectations(key, 0, 1);
  }

  override deleteExpectations(key: string): void {
    this.uids.delete(key);
    super.deleteExpectations(key);
  }
}
