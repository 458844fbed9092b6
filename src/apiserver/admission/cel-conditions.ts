/**
 * @module
 * Lists of CEL boolean conditions, compiled once and evaluated against a request under a shared cost
 * budget: webhooks' and policies' matchConditions and policies' validations. After k8s.io/apiserver
 * pkg/admission/plugin/cel (compile.go CompileCondition, filter.go ForInput) and
 * pkg/admission/plugin/webhook/matchconditions/matcher.go (Match): a condition that is false means
 * no match, even when another one failed to evaluate; otherwise an evaluation error is the result
 * (the caller's failurePolicy decides); otherwise all are true.
 */
import { type CelProgram, PER_CALL_LIMIT, compileExpression, evaluate } from '../../api/cel/index.js';

export interface Condition {
  readonly name: string;
  readonly expression: string;
}

/** A condition as compiled: its program, or the reason it does not compile. */
export type CompiledCondition = Condition & ({ readonly program: CelProgram } | { readonly compileError: string });

/**
 * Compiles one boolean expression as upstream's validation reports it: "compilation failed: <cel-go
 * issues>", or "must evaluate to bool".
 */
export function compileCondition(expression: string, variables: readonly string[]): { readonly program: CelProgram } | { readonly compileError: string } {
  const compiled = compileExpression(expression, variables, { expected: 'bool' });
  if (compiled.ok) return { program: compiled.program };
  if (compiled.message === 'cel expression must evaluate to a bool') return { compileError: 'must evaluate to bool' };
  return { compileError: `compilation failed: ${compiled.message}` };
}

export function compileConditions(conditions: readonly Condition[], variables: readonly string[]): readonly CompiledCondition[] {
  return conditions.map((condition) => ({ ...condition, ...compileCondition(condition.expression, variables) }));
}

/** What evaluating one expression gave: a value, or the error upstream reports for it. */
export type ExpressionResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** A shared budget: each evaluation is charged what it cost (RuntimeCELCostBudget). */
export interface CostBudget {
  remaining: number;
}

export const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';

/**
 * Evaluates one compiled expression (filter.go ForInput): an error reads "expression '<expr>'
 * resulted in error: <cel error>"; running past the request's budget reads {@link OUT_OF_BUDGET}.
 */
export function evaluateExpression(
  compiled: { readonly expression: string } & ({ readonly program: CelProgram } | { readonly compileError: string }),
  activation: Readonly<Record<string, unknown>>,
  budget: CostBudget,
): ExpressionResult {
  if ('compileError' in compiled) return { ok: false, error: compiled.compileError };
  if (budget.remaining <= 0) return { ok: false, error: OUT_OF_BUDGET };
  const result = evaluate(compiled.program, activation, Math.min(PER_CALL_LIMIT, budget.remaining));
  budget.remaining -= result.cost;
  if (!result.ok) {
    if (result.costExceeded && budget.remaining <= 0) return { ok: false, error: OUT_OF_BUDGET };
    return { ok: false, error: `expression '${compiled.expression}' resulted in error: ${result.message}` };
  }
  return { ok: true, value: result.value };
}

/** The outcome of a list of conditions (matcher.go MatchResult). */
export type ConditionsResult = { readonly matches: true } | { readonly matches: false; readonly failedCondition: string } | { readonly error: string };

/** Match: the first false condition decides; else any errors, aggregated; else a match. */
export function matchConditions(compiled: readonly CompiledCondition[], activation: Readonly<Record<string, unknown>>, budget: CostBudget): ConditionsResult {
  const errors: string[] = [];
  for (const condition of compiled) {
    const result = evaluateExpression(condition, activation, budget);
    if (!result.ok) {
      errors.push(result.error);
      continue;
    }
    if (result.value === false) return { matches: false, failedCondition: condition.name };
    if (result.value !== true) errors.push(`expression '${condition.expression}' resulted in error: no such overload`);
  }
  if (errors.length > 0) return { error: aggregate(errors) };
  return { matches: true };
}

/** utilerrors.NewAggregate's message: one error alone, several in brackets. */
export function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? (errors[0] ?? '') : `[${errors.join(', ')}]`;
}
