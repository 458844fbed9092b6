/**
 * @module
 * What a filter says about a node (framework.Status, trimmed to what filters return): Success, or
 * one of the two rejections with upstream's reason strings. `Unschedulable` means preemption could
 * help; `UnschedulableAndUnresolvable` means it could not (the FitError's preemption part reads the
 * difference).
 */

export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable';

export type Status =
  | { readonly code: 'Success' }
  | { readonly code: 'Unschedulable' | 'UnschedulableAndUnresolvable'; readonly plugin: string; readonly reasons: readonly string[] };

export type Rejection = Exclude<Status, { readonly code: 'Success' }>;

export const SUCCESS: Status = { code: 'Success' };

export function unschedulable(plugin: string, ...reasons: string[]): Rejection {
  return { code: 'Unschedulable', plugin, reasons };
}

export function unresolvable(plugin: string, ...reasons: string[]): Rejection {
  return { code: 'UnschedulableAndUnresolvable', plugin, reasons };
}

/** framework.MaxNodeScore: every score plugin normalizes to 0..100. */
export const MAX_NODE_SCORE = 100;
