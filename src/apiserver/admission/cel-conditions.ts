/**
 * @module
 * Lists of CEL boolean conditions, compiled once and evaluated against a request under a shared cost
 * budget: webhooks' and policies' matchConditions and policies' validations. After k8s.io/apiserver
 * pkg/admission/plugin/cel (compile.go CompileCondition, filter.go ForInput) and
 * pkg/admission/plugin/webhook/matchconditions/matcher.go (Match): a condition that is false means
 * no match, even when another one failed to evaluate; otherwise an evaluation error is the result
 * (the caller's failurePolicy decides); otherwise all are true.
 */
import { type CelProgram, type ExpectedType, PER_CALL_LIMIT, compileExpression, evaluate, newCheckerEnvironment } from '../../api/cel/index.js';

/** A type-checking environment (declared variables and types) an expression is compiled against. */
export type CheckerEnvironment = ReturnType<typeof newCheckerEnvironment>;

export interface Condition {
  readonly name: string;
  readonly expression: string;
}

/** An expression as compiled: its program, or the reason it does not compile, in upstream's words. */
export type Compiled = { readonly program: CelProgram } | { readonly compileError: string };

/** A condition as compiled. */
export type CompiledCondition = Condition & Compiled;

/**
 * Compiles one expression whose result must be `expected`, over `variables` (all dyn, unless
 * `checker` declares them). The one place compiler messages become upstream's validation words
 * (pkg/admission/plugin/cel compile.go): "must evaluate to <type>" for a result of another type,
 * "compilation failed: <cel-go issues>" otherwise.
 */
export function compileAs(expression: string, variables: readonly string[], expected: ExpectedType, checker?: CheckerEnvironment): Compiled {
  const compiled = compileExpression(expression, variables, { expected, ...(checker === undefined ? {} : { checker }) });
  if (compiled.ok) return { program: compiled.program };
  // Checker and parser errors read "ERROR: <input>:…"; anything else is the result-type check.
  if (expected !== 'dyn' && !compiled.message.startsWith('ERROR:')) return { compileError: `must evaluate to ${expected}` };
  return { compileError: `compilation failed: ${compiled.message}` };
}

/** A boolean condition (CompileCondition). */
export function compileCondition(expression: string, variables: readonly string[], checker?: CheckerEnvironment): Compiled {
  return compileAs(expression, variables, 'bool', checker);
}

export function compileConditions(conditions: readonly Condition[], variables: readonly string[], checker?: CheckerEnvironment): readonly CompiledCondition[] {
  return conditions.map((condition) => ({ ...condition, ...compileCondition(condition.expression, variables, checker) }));
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
  compiled: { readonly expression: string } & Compiled,
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
