/**
 * @module
 * What blocks a terminating namespace, as status conditions
 * (pkg/controller/namespace/deletion/status_condition_utils.go): each pass of the deleter collects
 * failures and what remains, and every condition type the controller owns is then set — True with
 * the failure's reason and message, or False with its "ok" reason and message. lastTransitionTime
 * changes only when the status flips.
 */
import type { coreV1 } from '../../api/types/index.js';

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

export type NamespaceConditionType = (typeof CONDITION_TYPES)[number];

const OK: Readonly<Record<NamespaceConditionType, { readonly reason: string; readonly message: string }>> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** How much is left of one resource: instances, and instances per finalizer. */
export interface RemainingContent {
  /** `resource.group` (the core group leaves the dot: `configmaps.`, as upstream) → instances left. */
  readonly resources: ReadonlyMap<string, number>;
  readonly finalizers: ReadonlyMap<string, number>;
}

/** Collects one deletion pass's findings, then writes them into a namespace status. */
export class NamespaceConditionUpdater {
  private readonly failures = new Map<NamespaceConditionType, { reason: string; message: string }>();
  private readonly contentErrors: string[] = [];

  processDiscoveryError(error: unknown): void {
    this.failures.set('NamespaceDeletionDiscoveryFailure', { reason: 'DiscoveryFailed', message: messageOf(error) });
  }

  processDeleteContentError(error: unknown): void {
    this.contentErrors.push(messageOf(error));
  }

  processContentTotals(remaining: RemainingContent): void {
    const resources = [...remaining.resources].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`);
    if (resources.length > 0) {
      this.failures.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${resources.sort().join(', ')}` });
    }
    const finalizers = [...remaining.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`);
    if (finalizers.length > 0) {
      this.failures.set('NamespaceFinalizersRemaining', {
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${finalizers.sort().join(', ')}`,
      });
    }
  }

  /** Sets every owned condition on `status` (a copy you own); true when anything changed. */
  update(status: coreV1.NamespaceStatus, now: string): boolean {
    if (this.contentErrors.length > 0 && !this.failures.has('NamespaceDeletionContentFailure')) {
      const messages = [...this.contentErrors].sort();
      this.failures.set('NamespaceDeletionContentFailure', {
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${messages.length} remaining: ${messages.join(', ')}`,
      });
    }
    const conditions = status.conditions ?? [];
    let changed = false;
    for (const type of CONDITION_TYPES) {
      const failure = this.failures.get(type);
      const wanted = { type, status: failure === undefined ? 'False' : 'True', ...(failure ?? OK[type]) };
      const index = conditions.findIndex((c) => c.type === type);
      const old = conditions[index];
      if (old === undefined) {
        conditions.push({ ...wanted, lastTransitionTime: now });
        changed = true;
      } else if (old.status !== wanted.status || old.reason !== wanted.reason || old.message !== wanted.message) {
        conditions[index] = { ...wanted, lastTransitionTime: old.status !== wanted.status ? now : (old.lastTransitionTime ?? now) };
        changed = true;
      }
    }
    status.conditions = conditions;
    return changed;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
