/**
 * @module
 * Status conditions (metav1.Condition lists), as apimachinery's pkg/api/meta/conditions.go:
 * setting a condition changes its lastTransitionTime only when its status changes, and keeps
 * reason, message and observedGeneration up to date; finding, removing and testing by type.
 * The lists are changed in place and the setters say whether anything changed, so a reconciler
 * writes status only when it must. Time comes from an injected clock (STYLE.md rule 10).
 */
import type { metaV1 } from '../api/types/index.js';
import type { DeepReadonly } from '../client/object.js';
import { type Clock, realClock } from '../util/clock.js';
import { formatTime } from '../api/time.js';

export type Condition = metaV1.Condition;

/** A condition to set: lastTransitionTime is filled in when absent. */
export type ConditionInput = Omit<Condition, 'lastTransitionTime'> & { readonly lastTransitionTime?: string };

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/**
 * Sets `condition` in `conditions` (in place): adds it, or updates the one of its type. The
 * transition time moves only when the status changes (to the given time, else now). True when
 * anything changed.
 */
export function setStatusCondition(conditions: Condition[], condition: ConditionInput, options: { readonly clock?: Clock } = {}): boolean {
  const now = (): string => formatTime((options.clock ?? realClock).now());
  const existing = conditions.find((candidate) => candidate.type === condition.type);
  if (existing === undefined) {
    conditions.push({ ...condition, lastTransitionTime: nonEmpty(condition.lastTransitionTime) ?? now() });
    return true;
  }
  let changed = false;
  if (existing.status !== condition.status) {
    existing.status = condition.status;
    existing.lastTransitionTime = nonEmpty(condition.lastTransitionTime) ?? now();
    changed = true;
  }
  if (existing.reason !== condition.reason) {
    existing.reason = condition.reason;
    changed = true;
  }
  if (existing.message !== condition.message) {
    existing.message = condition.message;
    changed = true;
  }
  if (existing.observedGeneration !== condition.observedGeneration) {
    if (condition.observedGeneration === undefined) delete existing.observedGeneration;
    else existing.observedGeneration = condition.observedGeneration;
    changed = true;
  }
  return changed;
}

/** Removes the conditions of `type` (in place); true when there was one. */
export function removeStatusCondition(conditions: Condition[], type: string): boolean {
  const before = conditions.length;
  const kept = conditions.filter((condition) => condition.type !== type);
  conditions.splice(0, conditions.length, ...kept);
  return kept.length !== before;
}

export function findStatusCondition<C extends DeepReadonly<Condition>>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((condition) => condition.type === type);
}

export function isStatusConditionTrue(conditions: readonly DeepReadonly<Condition>[] | undefined, type: string): boolean {
  return isStatusConditionPresentAndEqual(conditions, type, 'True');
}

export function isStatusConditionFalse(conditions: readonly DeepReadonly<Condition>[] | undefined, type: string): boolean {
  return isStatusConditionPresentAndEqual(conditions, type, 'False');
}

export function isStatusConditionPresentAndEqual(conditions: readonly DeepReadonly<Condition>[] | undefined, type: string, status: ConditionStatus): boolean {
  return findStatusCondition(conditions, type)?.status === status;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
