/**
 * @module
 * Compiling a schema's x-kubernetes-validations into a tree of validators that parallels the
 * schema (apiextensions-apiserver pkg/apiserver/schema/cel/compilation.go and validation.go
 * NewValidator), with the checks CRD creation makes of each rule
 * (pkg/apis/apiextensions/validation/validation.go): a rule that compiles to a bool, a
 * messageExpression that compiles to a string, a known reason, a valid fieldPath, a message without
 * line breaks, oldSelf only where it can be correlated, and an estimated cost within the limit.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { type FieldError, fieldErrors } from '../field-errors.js';
import { type CelProgram, compileExpression, newCheckerEnvironment } from './engine.js';
import { type PathSegment, parseFieldPath } from './field-path.js';
import { STATIC_ESTIMATED_COST_LIMIT, costErrorMessage } from './cost.js';
import { estimateCost } from './estimate.js';
import { type SchemaNode, asSchema, declareSchemaTypes, escapeName, propertiesOf } from './schema-types.js';

export type RuleReason = 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
const REASONS: readonly RuleReason[] = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];

/** Whether `reason` is one of the reasons a rule may name. */
export function isRuleReason(reason: string | undefined): reason is RuleReason {
  return REASONS.some((r) => r === reason);
}

/** One entry of x-kubernetes-validations (apiextensions v1 ValidationRule). */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  /** As written; CRD validation refuses any value that is not a {@link RuleReason}. */
  readonly reason?: string;
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

export interface CompiledRule {
  readonly source: ValidationRule;
  /** Undefined when the rule is empty or did not compile. */
  readonly program?: CelProgram;
  readonly messageProgram?: CelProgram;
  readonly usesOldSelf: boolean;
  readonly fieldPath: readonly PathSegment[];
}

/** A validator per schema node that has rules itself or below it. */
export interface NodeValidator {
  readonly schema: SchemaNode;
  readonly resourceRoot: boolean;
  readonly rules: readonly CompiledRule[];
  /** Property name → its CEL field name and validator. */
  readonly properties: ReadonlyMap<string, { readonly escaped: string; readonly validator: NodeValidator }>;
  readonly items?: NodeValidator;
  readonly additionalProperties?: NodeValidator;
  readonly allOf: readonly NodeValidator[];
}

const OPTIONS = { enableOptionalTypes: true, homogeneousAggregateLiterals: true } as const;

function readRules(schema: SchemaNode): ValidationRule[] {
  const raw = schema['x-kubernetes-validations'];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry): ValidationRule[] => {
    const r = asSchema(entry);
    if (r === undefined) return [];
    const str = (k: string): string | undefined => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
    const reason = str('reason');
    return [
      {
        rule: str('rule') ?? '',
        ...(str('message') === undefined ? {} : { message: str('message') as string }),
        ...(str('messageExpression') === undefined ? {} : { messageExpression: str('messageExpression') as string }),
        ...(reason === undefined ? {} : { reason }),
        ...(str('fieldPath') === undefined ? {} : { fieldPath: str('fieldPath') as string }),
        ...(typeof r.optionalOldSelf === 'boolean' ? { optionalOldSelf: r.optionalOldSelf } : {}),
      },
    ];
  });
}

/** A rule as Go's %#v prints the internal type, which is how upstream shows it in errors. */
export function goRule(rule: ValidationRule): string {
  const q = (s: string | undefined): string => JSON.stringify(s ?? '');
  const reason = rule.reason === undefined ? '(*apiextensions.FieldValueErrorReason)(nil)' : `(*apiextensions.FieldValueErrorReason)(${q(rule.reason)})`;
  const old = rule.optionalOldSelf === undefined ? '(*bool)(nil)' : `(*bool)(${String(rule.optionalOldSelf)})`;
  return `apiextensions.ValidationRule{Rule:${q(rule.rule)}, Message:${q(rule.message)}, MessageExpression:${q(rule.messageExpression)}, Reason:${reason}, FieldPath:${q(rule.fieldPath)}, OptionalOldSelf:${old}}`;
}

interface CompileContext {
  readonly env: Environment;
  readonly typeOf: (node: SchemaNode) => string;
  readonly errors: FieldError[];
  /** Schema path of the nearest list items (not a map-type list) or atomic map values above, if any. */
  readonly uncorrelatable: string | undefined;
  /**
   * How many times a rule here may run per object: the product of the maxItems and maxProperties
   * above, or undefined once one of them is unbounded — then, as upstream's getExpressionCost, the
   * rule's own cost is all that is checked.
   */
  readonly cardinality: number | undefined;
  totalCost: { value: number };
}

/** Builds the validator tree of `schema`; `path` names the schema in compile errors. */
export function compileValidators(
  schema: SchemaNode,
  path: string,
  resourceRoot: boolean,
): { readonly root: NodeValidator | undefined; readonly errors: FieldError[]; readonly estimatedCost: number } {
  const env = newCheckerEnvironment();
  const typeOf = declareSchemaTypes(env, schema, resourceRoot);
  const errors: FieldError[] = [];
  const totalCost = { value: 0 };
  const root = build(schema, schema, path, resourceRoot, { env, typeOf, errors, uncorrelatable: undefined, cardinality: 1, totalCost });
  return { root, errors, estimatedCost: totalCost.value };
}

function build(validation: SchemaNode, node: SchemaNode, path: string, resourceRoot: boolean, ctx: CompileContext): NodeValidator | undefined {
  const rules = compileRules(readRules(validation), node, path, ctx);
  const properties = new Map<string, { escaped: string; validator: NodeValidator }>();
  const nodeProperties = propertiesOf(node);
  for (const [name, child] of propertiesOf(validation)) {
    const nodeChild = nodeProperties.get(name);
    const escaped = escapeName(name);
    if (nodeChild === undefined || escaped === undefined) continue;
    const v = build(child, nodeChild, `${path}.properties[${name}]`, nodeChild['x-kubernetes-embedded-resource'] === true, ctx);
    if (v !== undefined) properties.set(name, { escaped, validator: v });
  }
  let items: NodeValidator | undefined;
  const vItems = asSchema(validation.items);
  const nItems = asSchema(node.items);
  if (vItems !== undefined && nItems !== undefined) {
    const mapList = node['x-kubernetes-list-type'] === 'map';
    const itemsPath = `${path}.items`;
    items = build(vItems, nItems, itemsPath, nItems['x-kubernetes-embedded-resource'] === true, {
      ...ctx,
      uncorrelatable: mapList ? ctx.uncorrelatable : (ctx.uncorrelatable ?? itemsPath),
      cardinality: times(ctx.cardinality, node.maxItems),
    });
  }
  let additionalProperties: NodeValidator | undefined;
  const vAdditional = asSchema(validation.additionalProperties);
  const nAdditional = asSchema(node.additionalProperties);
  if (vAdditional !== undefined && nAdditional !== undefined) {
    const additionalPath = `${path}.additionalProperties`;
    const atomic = node['x-kubernetes-map-type'] === 'atomic';
    additionalProperties = build(vAdditional, nAdditional, additionalPath, nAdditional['x-kubernetes-embedded-resource'] === true, {
      ...ctx,
      uncorrelatable: atomic ? (ctx.uncorrelatable ?? additionalPath) : ctx.uncorrelatable,
      cardinality: times(ctx.cardinality, node.maxProperties),
    });
  }
  const allOf: NodeValidator[] = [];
  if (Array.isArray(validation.allOf)) {
    validation.allOf.forEach((entry, i) => {
      const sub = asSchema(entry);
      const v = sub === undefined ? undefined : build(sub, node, `${path}.allOf[${i}]`, resourceRoot, ctx);
      if (v !== undefined) allOf.push(v);
    });
  }
  if (rules.length === 0 && properties.size === 0 && items === undefined && additionalProperties === undefined && allOf.length === 0) return undefined;
  return {
    schema: node,
    resourceRoot,
    rules,
    properties,
    ...(items === undefined ? {} : { items }),
    ...(additionalProperties === undefined ? {} : { additionalProperties }),
    allOf,
  };
}

function times(cardinality: number | undefined, max: unknown): number | undefined {
  return cardinality !== undefined && typeof max === 'number' && max >= 0 ? cardinality * max : undefined;
}

function compileRules(rules: readonly ValidationRule[], node: SchemaNode, path: string, ctx: CompileContext): CompiledRule[] {
  if (rules.length === 0) return [];
  const selfType = ctx.typeOf(node);
  const env = ctx.env.clone(OPTIONS).registerVariable('self', selfType).registerVariable('oldSelf', selfType);
  let optionalEnv: Environment | undefined;
  const compiled: CompiledRule[] = [];
  rules.forEach((rule, i) => {
    const at = `${path}.x-kubernetes-validations[${i}]`;
    const errors = ctx.errors;
    let fieldPath: readonly PathSegment[] = [];
    if (rule.reason !== undefined && !isRuleReason(rule.reason)) errors.push(fieldErrors.notSupported(`${at}.reason`, rule.reason, REASONS));
    if (rule.message !== undefined && rule.message.trim() === '') errors.push(fieldErrors.required(`${at}.message`, 'message must be non-empty if specified'));
    else if (rule.message !== undefined && /[\n]/.test(rule.message)) errors.push(fieldErrors.invalid(`${at}.message`, rule.message, 'message must not contain line breaks'));
    if (rule.fieldPath !== undefined && rule.fieldPath !== '') {
      const parsed = parseFieldPath(rule.fieldPath, node);
      if (typeof parsed === 'string') errors.push(fieldErrors.invalid(`${at}.fieldPath`, rule.fieldPath, `fieldPath must be a valid path: ${parsed}`));
      else fieldPath = parsed;
    }
    if (rule.rule.trim() === '') {
      errors.push(fieldErrors.required(`${at}.rule`, 'rule is not specified'));
      compiled.push({ source: rule, usesOldSelf: false, fieldPath });
      return;
    }
    let checker = env;
    if (rule.optionalOldSelf === true) {
      optionalEnv ??= ctx.env.clone(OPTIONS).registerVariable('self', selfType).registerVariable('oldSelf', `optional<${selfType}>`);
      checker = optionalEnv;
    }
    const result = compileExpression(rule.rule, ['self', 'oldSelf'], { checker, expected: 'bool' });
    if (!result.ok) {
      const detail = result.message.startsWith('cel expression') ? result.message : `compilation failed: ${result.message}`;
      errors.push(fieldErrors.invalid(`${at}.rule`, undefined, `${goRule(rule)}: ${detail}`));
      compiled.push({ source: rule, usesOldSelf: false, fieldPath });
      return;
    }
    const program = result.program;
    const usesOldSelf = program.references.has('oldSelf');
    if (usesOldSelf && ctx.uncorrelatable !== undefined) {
      errors.push(fieldErrors.invalid(`${at}.rule`, rule.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${ctx.uncorrelatable}`));
    }
    const cost = estimateCost(program, node) * (ctx.cardinality ?? 1);
    ctx.totalCost.value += cost;
    if (cost > STATIC_ESTIMATED_COST_LIMIT) errors.push(fieldErrors.forbidden(`${at}.rule`, costErrorMessage('estimated rule cost', cost, STATIC_ESTIMATED_COST_LIMIT)));
    let messageProgram: CelProgram | undefined;
    if (rule.messageExpression !== undefined && rule.messageExpression.trim() !== '') {
      // Compiled in the rule's own environment, so with optionalOldSelf oldSelf is optional here too.
      const message = compileExpression(rule.messageExpression, ['self', 'oldSelf'], { checker, expected: 'string' });
      if (message.ok) messageProgram = message.program;
      else {
        const detail = message.message === 'must evaluate to a string' ? 'must evaluate to a string' : `messageExpression compilation failed: ${message.message}`;
        errors.push(fieldErrors.invalid(`${at}.messageExpression`, undefined, `${goRule(rule)}: ${detail}`));
      }
    }
    compiled.push({ source: rule, program, usesOldSelf, fieldPath, ...(messageProgram === undefined ? {} : { messageProgram }) });
  });
  return compiled;
}
