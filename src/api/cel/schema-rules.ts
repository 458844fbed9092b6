/**
 * @module
 * The x-kubernetes-validations of a CRD version's schema, compiled once and run on every write of a
 * custom resource (apiextensions-apiserver pkg/apiserver/schema/cel: NewValidator at CRD
 * registration, Validate in the custom resource strategy with RuntimeCELCostBudget). The errors of
 * {@link compileSchemaRules} are what CRD creation reports; `validate` returns the errors of one
 * object (and its old version on update) as 422 causes naming the fields.
 */
import type { FieldError } from '../field-errors.js';
import { PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET } from './cost.js';
import { ROOT_PATH } from './field-path.js';
import { type NodeValidator, compileValidators } from './rules-compile.js';
import { validateNode } from './rules-validate.js';
import { type SchemaNode, asSchema, toCelValue } from './schema-types.js';

export interface SchemaRulesOptions {
  /** Where the schema sits, for compile errors; default `openAPIV3Schema`. */
  readonly path?: string;
  /** Whether the schema is the root of a resource (adds apiVersion, kind, metadata); default true. */
  readonly resourceRoot?: boolean;
  /** PerCallLimit; tests lower it. */
  readonly perCallLimit?: number;
}

export interface ValidateOptions {
  /** Path of the object's root in errors; default the root (`<nil>` for rules on it). */
  readonly basePath?: string;
  /** RuntimeCELCostBudget for this object. */
  readonly costBudget?: number;
  /** Receives the errors ratcheted on update (unchanged values), which upstream returns as warnings. */
  readonly warnings?: string[];
}

export interface SchemaRules {
  /** Compile errors, pathed below `options.path`. */
  readonly errors: readonly FieldError[];
  /** Whether the schema has any rules at all (so callers may skip converting objects). */
  readonly hasRules: boolean;
  /** Estimated cost of all rules together (coarse). */
  readonly estimatedCost: number;
  /** Errors of `object` (JSON), with `oldObject` for transition rules on update. */
  validate(object: unknown, oldObject?: unknown, options?: ValidateOptions): FieldError[];
}

export function compileSchemaRules(openAPIV3Schema: unknown, options: SchemaRulesOptions = {}): SchemaRules {
  const schema: SchemaNode = asSchema(openAPIV3Schema) ?? {};
  const resourceRoot = options.resourceRoot ?? true;
  const perCallLimit = options.perCallLimit ?? PER_CALL_LIMIT;
  const compiled = hasAnyRules(schema)
    ? compileValidators(schema, options.path ?? 'openAPIV3Schema', resourceRoot)
    : { root: undefined, errors: [], estimatedCost: 0 };
  const root: NodeValidator | undefined = compiled.root;
  return {
    errors: compiled.errors,
    hasRules: root !== undefined,
    estimatedCost: compiled.estimatedCost,
    validate(object, oldObject, validateOptions = {}) {
      if (root === undefined) return [];
      const budget = { remaining: validateOptions.costBudget ?? RUNTIME_CEL_COST_BUDGET };
      const self = toCelValue(schema, object, resourceRoot);
      const old = oldObject === undefined || oldObject === null ? undefined : toCelValue(schema, oldObject, resourceRoot);
      const run = { budget, perCallLimit, warnings: validateOptions.warnings ?? [] };
      return validateNode(root, validateOptions.basePath ?? ROOT_PATH, self, old, run);
    },
  };
}

/** A quick scan, so schemas without rules cost nothing to compile. */
function hasAnyRules(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasAnyRules);
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'x-kubernetes-validations' && Array.isArray(child) && child.length > 0) return true;
    if (key !== 'default' && key !== 'example' && key !== 'enum' && hasAnyRules(child)) return true;
  }
  return false;
}
