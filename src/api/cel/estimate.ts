/**
 * @module
 * A coarse static cost estimate of a rule, standing in for cel-go's EstimateCost with upstream's size
 * estimator (apiextensions-apiserver schema/cel/compilation.go sizeEstimator): every AST node costs
 * one, a macro over a list or map costs its body once per element the schema allows (maxItems,
 * maxProperties, or as many as a 3 MiB request could hold when unbounded), and regex and string
 * functions cost a tenth of the string's maxLength. The estimate is an upper bound of the same
 * order as upstream's, not the same number.
 */
import { type SchemaNode, asSchema, propertiesOf } from './schema-types.js';
import type { CelProgram } from './engine.js';

/** The most elements an unbounded list, map or string of a 3 MiB request may hold (coarse). */
const UNBOUNDED = (3 * 1024 * 1024) / 2;
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const TRAVERSING = new Set(['matches', 'find', 'findAll', 'contains', 'startsWith', 'endsWith', 'replace', 'split', 'indexOf', 'lastIndexOf']);

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

function elementOf(schema: SchemaNode | undefined): SchemaNode | undefined {
  if (schema === undefined) return undefined;
  return asSchema(schema.items) ?? (propertiesOf(schema).size > 0 ? undefined : { type: 'string' });
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
    const traversal = typeof name === 'string' && TRAVERSING.has(name) ? Math.ceil(sizeOf(resolve(receiver, scope)) * 0.1) : 0;
    return 1 + receiverCost + argCost + traversal;
  }
  if (node.op === 'call' && Array.isArray(args)) return 1 + estimate(args[1], scope);
  if (node.op === 'map' && Array.isArray(args)) return 1 + args.reduce<number>((sum, entry) => sum + estimate(entry, scope), 0);
  if (Array.isArray(args)) return 1 + estimate(args, scope);
  if (isNode(args)) return 1 + estimate(args, scope);
  return 1;
}
