/**
 * @module
 * The CEL {@link MatchConditionEvaluator} of admission webhooks (k8s.io/apiserver
 * pkg/admission/plugin/webhook/matchconditions/matcher.go): a webhook is called only when all its
 * matchConditions are true. The conditions of a configuration are compiled once per stored version
 * of it: the dispatcher hands over the same (cached, immutable) conditions array for as long as the
 * configuration is unchanged, so the compiled form is kept per array. Variables: object, oldObject,
 * request and namespaceObject (always null for webhooks); no authorizer (see cel-activation.ts).
 * Evaluation errors are reported as "failed to evaluate match conditions: …", which the webhook's
 * failurePolicy turns into a refusal (Fail) or a skip (Ignore).
 */
import type { AdmissionAttributes } from './attributes.js';
import { MATCH_CONDITION_VARIABLES, RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS, baseActivation } from './cel-activation.js';
import { type CompiledCondition, compileConditions, matchConditions } from './cel-conditions.js';
import type { MatchConditionEvaluator, MatchResult } from './match-conditions.js';
import type { MatchCondition } from './webhook.js';

export class CelMatchConditions implements MatchConditionEvaluator {
  private readonly compiled = new WeakMap<readonly MatchCondition[], readonly CompiledCondition[]>();

  evaluate(conditions: readonly MatchCondition[], attributes: AdmissionAttributes): MatchResult {
    if (conditions.length === 0) return { matches: true };
    let compiled = this.compiled.get(conditions);
    if (compiled === undefined) {
      compiled = compileConditions(conditions, MATCH_CONDITION_VARIABLES);
      this.compiled.set(conditions, compiled);
    }
    const activation = { ...baseActivation(attributes), namespaceObject: null };
    const result = matchConditions(compiled, activation, { remaining: RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS });
    if ('error' in result) return { error: `failed to evaluate match conditions: ${result.error}` };
    return result;
  }
}
