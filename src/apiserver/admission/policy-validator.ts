/**
 * @module
 * One policy evaluated for one binding and one param (k8s.io/apiserver
 * pkg/admission/plugin/policy/validating/validator.go Validate): matchConditions first (false: no
 * decision; an error: the failurePolicy's decision), then each validation under the request's cost
 * budget (RuntimeCELCostBudget). A false validation denies with its reason (Invalid when unset) and
 * the message of its messageExpression (a trimmed, single-line string of at most 5 KiB), else its
 * message, else "failed expression: <expression>". An evaluation error denies under failurePolicy
 * Fail and admits under Ignore. `variables` are composited lazily (policy/validating composition):
 * each is evaluated at its first use by an expression, at most once per evaluation.
 */
import { MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES } from '../../api/cel/cost.js';
import { RUNTIME_CEL_COST_BUDGET, jsonToCel } from '../../api/cel/index.js';
import type { JsonObject } from '../../api/json.js';
import type { BaseActivation } from './cel-activation.js';
import { type CostBudget, type ExpressionResult, evaluateExpression, matchConditions } from './cel-conditions.js';
import type { PolicyVariable, ValidatingPolicy } from './policy.js';

export interface PolicyDecision {
  readonly action: 'admit' | 'deny';
  readonly message: string;
  /** The StatusReason of a denial: the validation's reason, Invalid by default. */
  readonly reason: string;
}

export interface ValidationInput {
  readonly base: BaseActivation;
  readonly params: JsonObject | null;
  /** CreateNamespaceObject's value (null for cluster-scoped requests). */
  readonly namespaceObject: unknown;
}

export function validatePolicy(policy: ValidatingPolicy, input: ValidationInput): readonly PolicyDecision[] {
  const budget: CostBudget = { remaining: RUNTIME_CEL_COST_BUDGET };
  const activation: Record<string, unknown> = {
    ...input.base,
    params: input.params === null ? null : jsonToCel(input.params),
    namespaceObject: input.namespaceObject,
  };
  activation.variables = lazyVariables(policy.variables, activation, budget);
  const onError = (message: string): PolicyDecision => ({ action: policy.failurePolicy === 'Ignore' ? 'admit' : 'deny', message, reason: 'Invalid' });
  if (policy.matchConditions.length > 0) {
    const matched = matchConditions(policy.matchConditions, activation, budget);
    if ('error' in matched) return [onError(matched.error)];
    if (!matched.matches) return [];
  }
  return policy.validations.map((validation): PolicyDecision => {
    const result = evaluateExpression({ expression: validation.expression, ...validation.compiled }, activation, budget);
    if (!result.ok) return onError(result.error);
    if (result.value === true) return { action: 'admit', message: '', reason: '' };
    let message = '';
    if (validation.messageExpression !== undefined) {
      const evaluated = evaluateExpression(validation.messageExpression, activation, budget);
      if (evaluated.ok && typeof evaluated.value === 'string') {
        message = evaluated.value.trim();
        if (Buffer.byteLength(message) > MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES || message.includes('\n')) message = '';
      }
    }
    if (message === '') message = validation.message.trim();
    if (message === '') message = `failed expression: ${validation.expression.trim()}`;
    return { action: 'deny', message, reason: validation.reason ?? 'Invalid' };
  });
}

/**
 * `variables` as a map whose entries evaluate on first read: a getter per name, memoized. An error
 * (or a variable that does not compile) is thrown into the reading expression, whose result becomes
 * that error. A variable read while it is being evaluated (which compilation already refuses: each
 * variable sees only the ones before it) is such an error too, never a recursion.
 */
function lazyVariables(variables: readonly PolicyVariable[], activation: Readonly<Record<string, unknown>>, budget: CostBudget): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const variable of variables) {
    let state: { readonly value: unknown } | { readonly error: string } | 'evaluating' | undefined;
    Object.defineProperty(values, variable.name, {
      enumerable: true,
      get: () => {
        if (state === 'evaluating') throw new Error(`composited variable "${variable.name}" refers to itself`);
        if (state === undefined) {
          if ('compileError' in variable.compiled) state = { error: `composited variable "${variable.name}" fails to compile: ${variable.compiled.compileError}` };
          else {
            state = 'evaluating';
            let result: ExpressionResult;
            try {
              result = evaluateExpression({ expression: variable.expression, ...variable.compiled }, activation, budget);
            } catch (error) {
              result = { ok: false, error: error instanceof Error ? error.message : String(error) };
            }
            state = result.ok ? { value: result.value } : { error: result.error };
          }
        }
        if ('error' in state) throw new Error(state.error);
        return state.value;
      },
    });
  }
  return values;
}
