/**
 * @module
 * Size-dependent runtime costs: what an evaluation pays beyond one unit per visited node. cel-go
 * charges `+` on strings, bytes and lists by the size of the result (interpreter/runtimecost.go,
 * common.StringTraversalCostFactor and ListCreateBaseCost), and the Kubernetes library charges the
 * O(n) string functions by the size of their receiver (k8s.io/apiserver/pkg/cel/library/cost.go:
 * lowerAscii, upperAscii, substring, trim, replace, split, join, reverse, indexOf, lastIndexOf).
 * Without these charges `self.l.map(x, self.l + self.l)` costs a few units per item while it
 * allocates quadratic memory. Charges are taken before the work where the receiver is known, so an
 * expression stops before it builds what it cannot afford.
 */
import { chargeTraversal } from './cost.js';

/** The receiver-style string (and list-of-string) functions charged by the receiver's size. */
export const SIZE_CHARGED_FUNCTIONS: ReadonlySet<string> = new Set([
  'reverse',
  'replace',
  'split',
  'join',
  'lowerAscii',
  'upperAscii',
  'trim',
  'indexOf',
  'lastIndexOf',
  'substring',
]);

/** Functions whose result may be larger than their receiver, so it is charged as well. */
const RESULT_CHARGED: ReadonlySet<string> = new Set(['replace']);

/** Characters, bytes or elements of a CEL value; 0 for what has no size. */
export function valueSize(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Uint8Array) return value.length;
  return 0;
}

/** What `join` traverses: every character of every string in the list. */
function joinedSize(list: readonly unknown[]): number {
  let size = list.length;
  for (const item of list) if (typeof item === 'string') size += item.length;
  return size;
}

/** Charges the result of a `+` node: concatenation copies both operands into the result. */
export function chargeConcatenation(result: unknown): void {
  const size = valueSize(result);
  if (size > 0) chargeTraversal(size);
}

type Handle = (args: unknown, ev: unknown, ast: unknown) => unknown;

interface RcallNode {
  readonly op: 'rcall';
  readonly args: readonly [unknown, unknown, unknown];
  handle?: Handle;
}

function isRcall(node: object): node is RcallNode {
  const r = node as { op?: unknown; args?: unknown };
  return r.op === 'rcall' && Array.isArray(r.args) && typeof r.args[0] === 'string';
}

/**
 * Wraps the call handle of every size-charged function call in a type-checked AST, so the active
 * meter pays for the receiver's size before the function runs. The handle is what the engine's
 * `rcall` node calls with the evaluated receiver and arguments (cel-js 8 operators.js); a test in
 * engine.test.ts fails if that stops being so.
 */
export function meterSizedCalls(node: unknown, seen: Set<object> = new Set()): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const child of node) meterSizedCalls(child, seen);
    return;
  }
  const record = node as { args?: unknown };
  if (Array.isArray(record.args)) meterSizedCalls(record.args, seen);
  else if (typeof record.args === 'object' && record.args !== null) for (const child of Object.values(record.args)) meterSizedCalls(child, seen);
  if (!isRcall(node)) return;
  const name = node.args[0] as string;
  const original = node.handle;
  if (!SIZE_CHARGED_FUNCTIONS.has(name) || typeof original !== 'function') return;
  node.handle = function sizedCall(args: unknown, ev: unknown, ast: unknown): unknown {
    if (!Array.isArray(args)) return original(args, ev, ast);
    const receiver: unknown = args[0];
    if (typeof receiver === 'string') chargeTraversal(receiver.length);
    else if (name === 'join' && Array.isArray(receiver)) chargeTraversal(joinedSize(receiver));
    const result = original(args, ev, ast);
    if (RESULT_CHARGED.has(name)) chargeConcatenation(result);
    return result;
  };
}
