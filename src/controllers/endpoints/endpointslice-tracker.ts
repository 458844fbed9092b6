/**
 * @module
 * The generations of the EndpointSlices this controller last wrote, per Service (upstream
 * staging/src/k8s.io/endpointslice/endpointslice_tracker.go). A sync must not compute from an
 * informer cache older than its own writes — it would create a second slice for endpoints already
 * placed — so a sync whose cache lacks a slice it created, holds an older generation than it wrote,
 * or still holds a slice it deleted, is stale and retried later.
 */
import type { discoveryV1 } from '../../api/types/index.js';
import type { DeepReadonly } from '../../client/object.js';
import { LABEL_SERVICE_NAME } from './endpoints-util.js';

type EndpointSlice = DeepReadonly<discoveryV1.EndpointSlice>;

/** Marks a slice this controller deleted, until the informer sees it go. */
const DELETION_EXPECTED = -1;

export class EndpointSliceTracker {
  /** service key → slice uid → the generation written, or {@link DELETION_EXPECTED}. */
  private readonly byService = new Map<string, Map<string, number>>();

  /** Whether the slice is tracked. */
  has(slice: EndpointSlice): boolean {
    return this.generations(slice)?.has(uid(slice)) === true;
  }

  /** Whether an informer event of this slice is news: not tracked, or newer than written (ShouldSync). */
  shouldSync(slice: EndpointSlice): boolean {
    const g = this.generations(slice)?.get(uid(slice));
    return g === undefined || (slice.metadata?.generation ?? 0) > g;
  }

  /**
   * Whether the cached slices of Service `namespace/name` are older than this controller's writes
   * (StaleSlices): one it wrote is missing or has an older generation, or one it deleted is there.
   */
  staleSlices(namespace: string, name: string, slices: readonly EndpointSlice[]): boolean {
    const tracked = this.byService.get(`${namespace}/${name}`);
    if (tracked === undefined) return false;
    const seen = new Set<string>();
    for (const slice of slices) {
      seen.add(uid(slice));
      const g = tracked.get(uid(slice));
      if (g !== undefined && (g === DELETION_EXPECTED || g > (slice.metadata?.generation ?? 0))) return true;
    }
    for (const [sliceUid, g] of tracked) if (g !== DELETION_EXPECTED && !seen.has(sliceUid)) return true;
    return false;
  }

  /** Records a slice as written (the server's answer to a create or update). */
  update(slice: EndpointSlice): void {
    this.generationsFor(slice).set(uid(slice), slice.metadata?.generation ?? 0);
  }

  /** Records that this controller deletes the slice. */
  expectDeletion(slice: EndpointSlice): void {
    this.generationsFor(slice).set(uid(slice), DELETION_EXPECTED);
  }

  /** Forgets a slice the informer saw deleted; whether this controller expected that (HandleDeletedSlice). */
  handleDeletedSlice(slice: EndpointSlice): boolean {
    const tracked = this.generations(slice);
    const expected = tracked?.get(uid(slice)) === DELETION_EXPECTED;
    tracked?.delete(uid(slice));
    if (tracked !== undefined && tracked.size === 0) this.byService.delete(serviceKey(slice));
    return expected;
  }

  /** Forgets every slice of a deleted Service. */
  deleteService(namespace: string, name: string): void {
    this.byService.delete(`${namespace}/${name}`);
  }

  private generations(slice: EndpointSlice): Map<string, number> | undefined {
    return this.byService.get(serviceKey(slice));
  }

  private generationsFor(slice: EndpointSlice): Map<string, number> {
    const key = serviceKey(slice);
    let tracked = this.byService.get(key);
    if (tracked === undefined) this.byService.set(key, (tracked = new Map()));
    return tracked;
  }
}

/** The `namespace/name` of the Service the slice is labelled with. */
export function serviceKey(slice: EndpointSlice): string {
  return `${slice.metadata?.namespace ?? ''}/${slice.metadata?.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
}

function uid(slice: EndpointSlice): string {
  return slice.metadata?.uid ?? '';
}
