/**
 * @module
 * Compiling a ValidatingAdmissionPolicy's expressions the way upstream's composition environment
 * does (k8s.io/apiserver pkg/admission/plugin/cel/composition.go, CompileAndStoreVariables):
 * `variables` is an object type whose fields are the variables declared so far, so the expression
 * of variable i sees only variables 0…i-1 — a reference to itself or to a later variable is a
 * compile error (`undefined field 'a'`), never a loop at run time — while validations,
 * messageExpressions, auditAnnotations and matchConditions see all of them. Used both when a policy
 * is written (its validation) and when it is loaded (policy.ts), so the two always agree.
 * Variables' fields are dyn (upstream types each with its expression's result type).
 */
import type { ExpectedType } from '../../api/cel/index.js';
import { newCheckerEnvironment } from '../../api/cel/index.js';
import { POLICY_VARIABLES } from './cel-activation.js';
import { type CheckerEnvironment, type Compiled, compileAs } from './cel-conditions.js';

/** The CEL type of `variables` (a name of ours; upstream's is kubernetes.variables). */
const VARIABLES_TYPE = 'kubernetes.variables';

export interface PolicyCompiler {
  /** The expression of variable `index`, seeing the variables before it. */
  variable(index: number, expression: string): Compiled;
  /** Any other expression of the policy, seeing every variable. */
  expression(expression: string, expected: ExpectedType): Compiled;
  /** The checker seeing every variable (for matchConditions). */
  readonly checker: CheckerEnvironment;
}

/** A compiler for the expressions of a policy whose variables are `names`, in order. */
export function policyCompiler(names: readonly string[]): PolicyCompiler {
  const all = checkerFor(names);
  return {
    variable: (index, expression) => compileAs(expression, POLICY_VARIABLES, 'dyn', checkerFor(names.slice(0, index))),
    expression: (expression, expected) => compileAs(expression, POLICY_VARIABLES, expected, all),
    checker: all,
  };
}

/** The policy variables, all dyn but `variables`, an object with a dyn field per name. */
function checkerFor(names: readonly string[]): CheckerEnvironment {
  const env = newCheckerEnvironment();
  const fields: Record<string, string> = {};
  for (const name of names) fields[name] = 'dyn';
  env.registerType(VARIABLES_TYPE, { fields });
  for (const name of POLICY_VARIABLES) env.registerVariable(name, name === 'variables' ? VARIABLES_TYPE : 'dyn');
  return env;
}
