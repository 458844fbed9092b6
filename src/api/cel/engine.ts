/**
 * @module
 * The CEL engine kubelite uses (@marcbachmann/cel-js), wrapped as the generic pair admission and CRD
 * validation share: {@link compileExpression} and {@link evaluate}, after cel-go's Compile and
 * Program.ContextEval with a cost limit (k8s.io/apiserver/pkg/cel/environment). Expressions are
 * type-checked in a checker environment (typed from a schema where there is one) and evaluated in an
 * environment whose variables are `dyn`, so values are plain JSON-shaped objects (integers as
 * bigint) and objects compare by value, as cel-go's unstructured values do. Every node the
 * interpreter visits is charged to the active {@link CostMeter}, `+` additionally by the size of its
 * result and the O(n) string functions by the size of their receiver (size-cost.ts).
 */
import { Environment, Optional } from '@marcbachmann/cel-js';
import { re2Test } from '../re2.js';
import { COST_LIMIT_EXCEEDED, CostMeter, activeMeter, chargeTraversal, withMeter } from './cost.js';
import { compileErrorMessage, runtimeErrorMessage } from './errors.js';
import { registerKubernetesLibraries } from './library.js';
import { chargeConcatenation, meterSizedCalls } from './size-cost.js';

export { Optional };

/** Expression result types kubelite checks for. */
export type ExpectedType = 'bool' | 'string' | 'dyn';

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
    const node = ast as { readonly op: unknown; evaluate(ev: unknown, ast: unknown, ctx: unknown): unknown };
    const value = node.evaluate(this, ast, ctx);
    if (node.op === '+') chargeConcatenation(value);
    return value;
  };
  evaluators.set(key, env);
  return env;
}

/** A call of `matches` as the parser builds it: `s.matches(re)` (rcall) or `matches(s, re)` (call). */
interface CallNode {
  readonly op: unknown;
  readonly args: readonly unknown[];
  evaluate(ev: Evaluator, ast: unknown, ctx: unknown): unknown;
}

interface Evaluator {
  run(ast: unknown, ctx: unknown): unknown;
}

/**
 * Makes every `matches` call in the AST run RE2, as cel-go does: the engine's own uses JavaScript's
 * backtracking RegExp, which a pattern like `^(a+)+$` turns into seconds of blocked event loop. The
 * call's own evaluation is kept for what is not two strings (its type errors).
 */
function matchWithRe2(node: unknown, seen: Set<object>): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const child of node) matchWithRe2(child, seen);
    return;
  }
  const call = node as Partial<CallNode>;
  if (!Array.isArray(call.args)) {
    if (typeof call.args === 'object' && call.args !== null) for (const child of Object.values(call.args)) matchWithRe2(child, seen);
    return;
  }
  for (const child of call.args) matchWithRe2(child, seen);
  if (call.args[0] !== 'matches' || typeof call.evaluate !== 'function') return;
  const operands = (ev: Evaluator, ctx: unknown): readonly [unknown, unknown] | undefined => {
    const args = call.args ?? [];
    if (call.op === 'rcall' && Array.isArray(args[2]) && args[2].length === 1) return [ev.run(args[1], ctx), ev.run(args[2][0], ctx)];
    if (call.op === 'call' && Array.isArray(args[1]) && args[1].length === 2) return [ev.run(args[1][0], ctx), ev.run(args[1][1], ctx)];
    return undefined;
  };
  const engineEvaluate = call.evaluate;
  Object.defineProperty(node, 'evaluate', {
    value(this: unknown, ev: Evaluator, ast: unknown, ctx: unknown): unknown {
      const values = operands(ev, ctx);
      if (values === undefined || typeof values[0] !== 'string' || typeof values[1] !== 'string') return engineEvaluate.call(this, ev, ast, ctx);
      chargeTraversal(values[0].length);
      return re2Test(values[1], values[0]);
    },
  });
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
  const expected = options.expected ?? 'dyn';
  if (expected !== 'dyn' && checked.type !== expected) {
    return { ok: false, message: expected === 'bool' ? 'cel expression must evaluate to a bool' : 'must evaluate to a string' };
  }
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = evaluator.parse(expression);
    parsed.check();
  } catch (error) {
    return { ok: false, message: compileErrorMessage(expression, error) };
  }
  matchWithRe2(parsed.ast, new Set());
  meterSizedCalls(parsed.ast);
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
