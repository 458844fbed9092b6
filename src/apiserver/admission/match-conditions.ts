/**
 * @module
 * matchConditions: CEL expressions a webhook's request must all satisfy before it is sent
 * (k8s.io/apiserver pkg/admission/plugin/webhook/matchconditions/matcher.go). The dispatcher calls
 * a {@link MatchConditionEvaluator}: the API server uses CEL (cel-match-conditions.ts);
 * {@link noCelMatchConditions}, the dispatcher's own default, matches webhooks without conditions and
 * refuses those with some.
 */
import type { AdmissionAttributes } from './attributes.js';
import type { MatchCondition } from './webhook.js';

/**
 * The outcome of a webhook's conditions: all true (send it), one false (skip it), or an error —
 * which the webhook's failurePolicy decides (Fail refuses the request, Ignore skips the webhook).
 */
export type MatchResult = { readonly matches: true } | { readonly matches: false; readonly failedCondition: string } | { readonly error: string };

export interface MatchConditionEvaluator {
  /** Evaluates `conditions` (in order) against the request, as CEL's `object`, `oldObject`, `request`. */
  evaluate(conditions: readonly MatchCondition[], attributes: AdmissionAttributes): MatchResult;
}

/**
 * For a dispatcher built without an evaluator (unit tests, embedders): webhooks without conditions
 * match; any condition is an error saying no evaluator is configured.
 */
export const noCelMatchConditions: MatchConditionEvaluator = {
  evaluate(conditions) {
    if (conditions.length === 0) return { matches: true };
    return { error: `matchConditions cannot be evaluated (no CEL evaluator is configured): ${conditions.map((c) => c.name).join(', ')}` };
  },
};
