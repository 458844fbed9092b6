/**
 * @module
 * CEL for Kubernetes: x-kubernetes-validations of CRD schemas ({@link compileSchemaRules}) and the
 * generic compile/evaluate pair admission (matchConditions, ValidatingAdmissionPolicy) reuses.
 */
export { compileSchemaRules, type SchemaRules, type SchemaRulesOptions, type ValidateOptions } from './schema-rules.js';
export { type CelProgram, type CompileResult, type EvalResult, type ExpectedType, compileExpression, evaluate, jsonToCel, newCheckerEnvironment } from './engine.js';
export {
  COST_LIMIT_EXCEEDED,
  PER_CALL_LIMIT,
  RUNTIME_CEL_COST_BUDGET,
  STATIC_ESTIMATED_COST_LIMIT,
  STATIC_ESTIMATED_CRD_COST_LIMIT,
  costErrorMessage,
} from './cost.js';
export type { RuleReason, ValidationRule } from './rules-compile.js';
