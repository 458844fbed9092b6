/**
 * @module
 * The CEL engine kubelite uses (@marcbachmann/cel-js), wrapped as the generic pair admission and CRD
 * validation share: {@link compileExpression} and {@link evaluate}, after cel-go's Compile and
 * Program.ContextEval with a cost limit (k8s.io/apiserver/pkg/cel/environment). Expressions are
 * type-checked in a checker environment (typed from a schema where there is one) and evaluated in an
 * environment whose variables are `dyn`, so values are plain JSON-shaped objects (integers as
 * bigint) and objects compare by value, as cel-go's unstructured values do. Every node the
 * interpreter visits is charged to the active {@link CostMeter}.
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import { COST_LIMIT_EXCEEDED, CostMeter, activeMeter, withMeter } from './cost.js';
import { compileErrorMessage, runtimeErrorMessage } from './errors.js';
import { registerKubernetesLibraries } from './library.js';

export { Optional };

/** Expression result types kubelite checks for. */
export type ExpectedType = 'bool' | 'string' | 'any';

/** A compiled expression. */
export interface CelProgram {
  readonly expression: string;
  /** The declared variables the expression mentions (e.g. `oldSelf`). */
  readonly references: ReadonlySet<string>;
  /** The parsed, unexpanded AST (for cost estimation). */
  readonly ast: unknown;
  /** Runs without a cost limit; use {@link evaluate}. */
  readonly run: (activation: Readonly<Record<string, unknown>>) => unknown;
}

export type CompileResult = { readonly ok: true; readonly program: CelProgram } | { readonly ok: false; readonly message: string };

export type EvalResult =
  | { readonly ok: true; readonly value: unknown; readonly cost: number }
  | { readonly ok: false; readonly message: string; readonly cost: number; readonly costExceeded: boolean };

const OPTIONS = { enableOptionalTypes: true, homogeneousAggregateLiterals: true } as const;

/** The environment every checker and evaluator derives from: standard functions plus the Kubernetes libraries. */
const base = registerKubernetesLibraries(new Environment(OPTIONS));

/** A fresh child of the base environment to declare types and variables in. */
export function newCheckerEnvironment(): Environment {
  return base.clone(OPTIONS);
}

const evaluators = new Map<string, Environment>();

/**
 * The evaluation environment for a set of variable names (all `dyn`), with its interpreter metered:
 * the interpreter visits each node through `run`, so shadowing `run` on its evaluator charges every
 * step. The evaluator is reached once through a macro, whose hooks receive it.
 */
function evaluatorFor(variables: readonly string[]): Environment {
  const key = [...variables].sort().join(',');
  const cached = evaluators.get(key);
  if (cached !== undefined) return cached;
  const env = base.clone(OPTIONS);
  for (const name of variables) env.registerVariable(name, 'dyn');
  let captured: { run: (ast: unknown, ctx: unknown) => unknown } | undefined;
  env.registerFunction('__kubeliteMeter(ast): bool', () => ({
    typeCheck: (checker: { getType(name: string): unknown }) => checker.getType('bool'),
    evaluate: (ev: { run: (ast: unknown, ctx: unknown) => unknown }) => {
      captured = ev;
      return true;
    },
  }));
  env.evaluate('__kubeliteMeter(1)', Object.fromEntries(variables.map((v) => [v, null])));
  if (captured === undefined) throw new Error('CEL evaluator could not be instrumented');
  const evaluator = captured;
  evaluator.run = function meteredRun(this: unknown, ast: unknown, ctx: unknown): unknown {
    activeMeter()?.charge(1);
    const node = ast as { evaluate(ev: unknown, ast: unknown, ctx: unknown): unknown };
    return node.evaluate(this, ast, ctx);
  };
  evaluators.set(key, env);
  return env;
}

/**
 * Compiles `expression` over `declaredVariables` (all `dyn` unless `checker` declares them with
 * types). The result type must be `expected`. Messages read as cel-go's
 * (`ERROR: <input>:1:6: undefined field 'foo'` plus the source line and a caret).
 */
export function compileExpression(
  expression: string,
  declaredVariables: readonly string[],
  options: { readonly checker?: Environment; readonly expected?: ExpectedType } = {},
): CompileResult {
  const evaluator = evaluatorFor(declaredVariables);
  let checker = options.checker;
  if (checker === undefined) {
    checker = newCheckerEnvironment();
    for (const name of declaredVariables) checker.registerVariable(name, 'dyn');
  }
  const checked = checker.check(expression);
  if (!checked.valid) return { ok: false, message: compileErrorMessage(expression, checked.error) };
  const expected = options.expected ?? 'any';
  if (expected !== 'any' && checked.type !== expected) {
    return { ok: false, message: expected === 'bool' ? 'cel expression must evaluate to a bool' : 'must evaluate to a string' };
  }
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = evaluator.parse(expression);
    parsed.check();
  } catch (error) {
    return { ok: false, message: compileErrorMessage(expression, error) };
  }
  const references = new Set(declaredVariables.filter((name) => mentions(parsed.ast, name, new Set())));
  const run = (activation: Readonly<Record<string, unknown>>): unknown => parsed(activation) as unknown;
  return { ok: true, program: { expression, references, ast: parsed.ast, run } };
}

/** Whether the AST mentions identifier `name` (macros expand into nodes whose args hold more nodes). */
function mentions(node: unknown, name: string, seen: Set<object>): boolean {
  if (typeof node !== 'object' || node === null || seen.has(node)) return false;
  seen.add(node);
  if (Array.isArray(node)) return node.some((child) => mentions(child, name, seen));
  const record = node as { op?: unknown; args?: unknown };
  if (record.op === 'id' && record.args === name) return true;
  if (record.args === undefined) return false;
  if (typeof record.args === 'object' && record.args !== null && !Array.isArray(record.args)) {
    return Object.values(record.args).some((child) => mentions(child, name, seen));
  }
  return mentions(record.args, name, seen);
}

/** Evaluates `program` against `activation`, aborting once its cost passes `costLimit`. */
export function evaluate(program: CelProgram, activation: Readonly<Record<string, unknown>>, costLimit: number): EvalResult {
  const meter = new CostMeter(costLimit);
  try {
    const value = withMeter(meter, () => program.run(activation));
    if (meter.exceeded) return { ok: false, message: COST_LIMIT_EXCEEDED, cost: meter.used, costExceeded: true };
    return { ok: true, value, cost: meter.used };
  } catch (error) {
    if (meter.exceeded) return { ok: false, message: COST_LIMIT_EXCEEDED, cost: meter.used, costExceeded: true };
    return { ok: false, message: runtimeErrorMessage(error), cost: meter.used, costExceeded: false };
  }
}

/**
 * A JSON value as an untyped CEL value: integral numbers become `int` (bigint), as cel-go reads
 * unstructured JSON; everything else is kept.
 */
export function jsonToCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(jsonToCel);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonToCel(v);
    return out;
  }
  return value;
}
