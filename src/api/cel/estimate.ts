/**
 * @module
 * A coarse static cost estimate of a rule, standing in for cel-go's EstimateCost with upstream's size
 * estimator (apiextensions-apiserver schema/cel/compilation.go sizeEstimator): every AST node costs
 * one, a macro over a list or map costs its body once per element the schema allows (maxItems,
 * maxProperties, or as many as a 3 MiB request could hold when unbounded), regex and O(n) string
 * functions cost a tenth of the string's maxLength, and `+` on strings, bytes and lists a tenth of
 * the result's largest size (cel-go checker/cost.go; the runtime charges the same, size-cost.ts).
 * The estimate is an upper bound of the same order as upstream's, not the same number.
 */
import { type SchemaNode, asSchema, propertiesOf } from './schema-types.js';
import type { CelProgram } from './engine.js';
import { SIZE_CHARGED_FUNCTIONS } from './size-cost.js';

/** The most elements an unbounded list, map or string of a 3 MiB request may hold (coarse). */
const UNBOUNDED = (3 * 1024 * 1024) / 2;
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const TRAVERSING: ReadonlySet<string> = new Set(['matches', 'find', 'findAll', 'contains', 'startsWith', 'endsWith', ...SIZE_CHARGED_FUNCTIONS]);
/** String functions whose result is at most as long as their receiver. */
const SIZE_PRESERVING: ReadonlySet<string> = new Set(['reverse', 'lowerAscii', 'upperAscii', 'trim', 'substring']);
const SCALAR_TYPES: ReadonlySet<unknown> = new Set(['integer', 'number', 'boolean']);

interface AstNode {
  readonly op: string;
  readonly args: unknown;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';
}

/** Estimated cost of one evaluation of `program` with `self` at `schema`. */
export function estimateCost(program: CelProgram, schema: SchemaNode): number {
  return estimate(program.ast, { self: schema, oldSelf: schema });
}

type Scope = Readonly<Record<string, SchemaNode | undefined>>;

function resolve(node: unknown, scope: Scope): SchemaNode | undefined {
  if (!isNode(node)) return undefined;
  if (node.op === 'id' && typeof node.args === 'string') return scope[node.args];
  if ((node.op === '.' || node.op === '.?') && Array.isArray(node.args)) {
    const parent = resolve(node.args[0], scope);
    const name = node.args[1];
    if (parent === undefined || typeof name !== 'string') return undefined;
    return propertiesOf(parent).get(name) ?? asSchema(parent.additionalProperties);
  }
  if (node.op === '[]' && Array.isArray(node.args)) {
    const parent = resolve(node.args[0], scope);
    return parent === undefined ? undefined : (asSchema(parent.items) ?? asSchema(parent.additionalProperties));
  }
  return undefined;
}

function sizeOf(schema: SchemaNode | undefined): number {
  if (schema === undefined) return UNBOUNDED;
  for (const key of ['maxItems', 'maxProperties', 'maxLength']) {
    const v = schema[key];
    if (typeof v === 'number') return v;
  }
  if (typeof schema.maxLength !== 'number' && schema.type === 'string' && typeof schema.format === 'string') return 64;
  return UNBOUNDED;
}

/**
 * The largest size a node's value may have: a number for strings, bytes and lists, 'scalar' for what
 * has no size (numbers, booleans), 'unknown' where the estimator cannot tell.
 */
type SizeEstimate = number | 'scalar' | 'unknown';

function sizeEstimate(node: unknown, scope: Scope): SizeEstimate {
  if (!isNode(node)) return 'unknown';
  const args = node.args;
  if (node.op === 'value') {
    if (typeof args === 'string') return args.length;
    if (args instanceof Uint8Array || Array.isArray(args)) return args.length;
    if (typeof args === 'object' && args !== null) return 'unknown';
    return 'scalar';
  }
  if (node.op === 'list' && Array.isArray(args)) return args.length;
  if (node.op === '+' && Array.isArray(args)) return concatenationSize(args[0], args[1], scope) ?? 'scalar';
  if (node.op === 'rcall' && Array.isArray(args) && typeof args[0] === 'string' && SIZE_PRESERVING.has(args[0])) return sizeEstimate(args[1], scope);
  const schema = resolve(node, scope);
  if (schema === undefined) return 'unknown';
  if (SCALAR_TYPES.has(schema.type)) return 'scalar';
  return sizeOf(schema);
}

/**
 * The largest size of `left + right` when it concatenates, undefined when it adds numbers or the
 * estimator cannot tell (then it charges nothing, as for an addition). An operand of unknown size
 * beside a sized one counts as the most a request could hold.
 */
function concatenationSize(left: unknown, right: unknown, scope: Scope): number | undefined {
  const l = sizeEstimate(left, scope);
  const r = sizeEstimate(right, scope);
  if (l === 'scalar' || r === 'scalar') return undefined;
  if (l === 'unknown' && r === 'unknown') return undefined;
  return (l === 'unknown' ? UNBOUNDED : l) + (r === 'unknown' ? UNBOUNDED : r);
}

function elementOf(schema: SchemaNode | undefined): SchemaNode | undefined {
  if (schema === undefined) return undefined;
  return asSchema(schema.items) ?? (propertiesOf(schema).size > 0 ? undefined : { type: 'string' });
}

function receiverSize(receiver: unknown, scope: Scope, name: string): number {
  if (name === 'join') {
    const list = resolve(receiver, scope);
    if (list !== undefined) return sizeOf(list) * sizeOf(elementOf(list));
  }
  const size = sizeEstimate(receiver, scope);
  return typeof size === 'number' ? size : UNBOUNDED;
}

function estimate(node: unknown, scope: Scope): number {
  if (Array.isArray(node)) return node.reduce<number>((sum, child) => sum + estimate(child, scope), 0);
  if (!isNode(node)) return 0;
  const args = node.args;
  if (node.op === 'rcall' && Array.isArray(args)) {
    const [name, receiver, callArgs] = args as [unknown, unknown, unknown];
    const receiverCost = estimate(receiver, scope);
    if (typeof name === 'string' && MACROS.has(name) && Array.isArray(callArgs)) {
      const iterVar = callArgs[0];
      const variable = isNode(iterVar) && typeof iterVar.args === 'string' ? iterVar.args : '';
      const collection = resolve(receiver, scope);
      const inner = { ...scope, [variable]: elementOf(collection) };
      const body = callArgs.slice(1).reduce<number>((sum, child) => sum + estimate(child, inner), 0);
      return 1 + receiverCost + sizeOf(collection) * (body + 1);
    }
    const argCost = estimate(callArgs, scope);
    const traversal = typeof name === 'string' && TRAVERSING.has(name) ? Math.ceil(receiverSize(receiver, scope, name) * 0.1) : 0;
    return 1 + receiverCost + argCost + traversal;
  }
  if (node.op === '+' && Array.isArray(args)) {
    const size = concatenationSize(args[0], args[1], scope);
    return 1 + estimate(args, scope) + (size === undefined ? 0 : Math.ceil(size * 0.1));
  }
  if (node.op === 'call' && Array.isArray(args)) return 1 + estimate(args[1], scope);
  if (node.op === 'map' && Array.isArray(args)) return 1 + args.reduce<number>((sum, entry) => sum + estimate(entry, scope), 0);
  if (Array.isArray(args)) return 1 + estimate(args, scope);
  if (isNode(args)) return 1 + estimate(args, scope);
  return 1;
}
