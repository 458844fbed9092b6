/**
 * @module
 * The selector of a stage: which objects it applies to. Like kwok's Stage selector
 * (kwok.x-k8s.io/v1alpha1 StageSelector, pkg/apis/v1alpha1/stage_types.go): `matchLabels`,
 * `matchAnnotations`, and `matchExpressions` whose keys are paths into the object. kwok evaluates jq
 * expressions; we take a small, jq-flavoured path language that covers what its stages use:
 *
 * - `.status.phase` — fields by name;
 * - `.metadata.annotations["example.com/key"]` — a quoted name (for keys with dots or slashes);
 * - `.metadata.ownerReferences[].kind` — `[]` visits every element of an array;
 * - `.status.conditions[type=Ready].status` — `[field=value]` keeps elements whose field equals value.
 *
 * A path yields every value it reaches (null and absent values are not values). `Exists` holds when
 * it reaches one; `In` when some value, as a string, is in `values`; `NotIn` when none is;
 * `DoesNotExist` when it reaches none.
 */

export type StageOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export const STAGE_OPERATORS: readonly StageOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export interface StageExpression {
  readonly key: string;
  readonly operator: StageOperator;
  /** Required for In and NotIn; not allowed for Exists and DoesNotExist. */
  readonly values?: readonly string[];
}

export interface StageSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchAnnotations?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly StageExpression[];
}

type PathStep =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'each' }
  | { readonly kind: 'filter'; readonly field: string; readonly value: string };

/** A parsed path: evaluate it many times, parse it once. */
export type ObjectPath = readonly PathStep[];

export class PathSyntaxError extends Error {}

/** Parses a path such as `.status.conditions[type=Ready].status`; throws {@link PathSyntaxError}. */
export function parsePath(text: string): ObjectPath {
  const steps: PathStep[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new PathSyntaxError(`path ${JSON.stringify(text)}: ${why} at offset ${i}`);
  };
  if (!text.startsWith('.') && !text.startsWith('[')) fail('must start with "." or "["');
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '[') continue;
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
      if (match === null) {
        if (i === text.length && steps.length === 0) return steps;
        fail('expected a field name');
      }
      const name = match?.[0] ?? '';
      steps.push({ kind: 'field', name });
      i += name.length;
    } else if (c === '[') {
      const close = findClose(text, i);
      if (close < 0) fail('unclosed "["');
      const inner = text.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '') steps.push({ kind: 'each' });
      else if (inner.startsWith('"')) steps.push({ kind: 'field', name: parseQuoted(inner, fail) });
      else {
        const eq = inner.indexOf('=');
        if (eq <= 0) fail('expected [], ["name"] or [field=value]');
        const value = inner.slice(eq + 1).trim();
        steps.push({ kind: 'filter', field: inner.slice(0, eq).trim(), value: value.startsWith('"') ? parseQuoted(value, fail) : value });
      }
    } else {
      fail(`unexpected ${JSON.stringify(c)}`);
    }
  }
  return steps;
}

function findClose(text: string, open: number): number {
  let quoted = false;
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\' && quoted) j++;
    else if (c === '"') quoted = !quoted;
    else if (c === ']' && !quoted) return j;
  }
  return -1;
}

function parseQuoted(text: string, fail: (why: string) => never): string {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'string') return value;
  } catch {
    // reported below
  }
  return fail(`${text} is not a quoted string`);
}

/** Every value `path` reaches in `root`, nulls and absent values left out. */
export function evaluatePath(root: unknown, path: ObjectPath): unknown[] {
  const found: unknown[] = [];
  someValue(root, path, 0, (value) => {
    found.push(value);
    return false;
  });
  return found;
}

/**
 * Whether `test` holds for some value `path` reaches in `value` from step `from` on, nulls and
 * absent values left out; it stops at the first that passes. Nothing is allocated on the way:
 * selectors run on every pod event of every simulated node.
 */
function someValue(value: unknown, path: ObjectPath, from: number, test: (value: unknown) => boolean): boolean {
  if (value === undefined || value === null) return false;
  const step = path[from];
  if (step === undefined) return test(value);
  switch (step.kind) {
    case 'field':
      return isRecord(value) && someValue(value[step.name], path, from + 1, test);
    case 'each':
      if (!Array.isArray(value)) return false;
      for (const element of value as readonly unknown[]) if (someValue(element, path, from + 1, test)) return true;
      return false;
    case 'filter':
      if (!Array.isArray(value)) return false;
      for (const element of value as readonly unknown[]) {
        if (isRecord(element) && scalarText(element[step.field]) === step.value && someValue(element, path, from + 1, test)) return true;
      }
      return false;
    default: {
      const never: never = step;
      throw new Error(`unknown path step ${JSON.stringify(never)}`);
    }
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as selectors compare it: strings as they are, other scalars printed, structures as JSON. */
export function scalarText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A selector with its paths parsed. */
export interface CompiledSelector {
  readonly matchLabels: readonly (readonly [string, string])[];
  readonly matchAnnotations: readonly (readonly [string, string])[];
  readonly matchExpressions: readonly CompiledExpression[];
}

interface CompiledExpression {
  readonly path: ObjectPath;
  /** Whether the expression holds when some value passes `test` (Exists, In), or when none does. */
  readonly holdsIfFound: boolean;
  readonly test: (value: unknown) => boolean;
}

const ANY_VALUE = (): boolean => true;

export function compileSelector(selector: StageSelector): CompiledSelector {
  return {
    matchLabels: Object.entries(selector.matchLabels ?? {}),
    matchAnnotations: Object.entries(selector.matchAnnotations ?? {}),
    matchExpressions: (selector.matchExpressions ?? []).map((e) => compileExpression(parsePath(e.key), e.operator, new Set(e.values ?? []))),
  };
}

function compileExpression(path: ObjectPath, operator: StageOperator, values: ReadonlySet<string>): CompiledExpression {
  const isIn = (value: unknown): boolean => values.has(scalarText(value) ?? '');
  switch (operator) {
    case 'Exists':
      return { path, holdsIfFound: true, test: ANY_VALUE };
    case 'DoesNotExist':
      return { path, holdsIfFound: false, test: ANY_VALUE };
    case 'In':
      return { path, holdsIfFound: true, test: isIn };
    case 'NotIn':
      return { path, holdsIfFound: false, test: isIn };
    default: {
      const never: never = operator;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

interface Labelled {
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
}

/** Whether `object` satisfies every requirement of the selector (an empty selector matches all). */
export function selectorMatches(selector: CompiledSelector, object: Labelled): boolean {
  const labels = object.metadata?.labels;
  for (const [key, value] of selector.matchLabels) if (labels?.[key] !== value) return false;
  const annotations = object.metadata?.annotations;
  for (const [key, value] of selector.matchAnnotations) if (annotations?.[key] !== value) return false;
  for (const { path, holdsIfFound, test } of selector.matchExpressions) {
    if (someValue(object, path, 0, test) !== holdsIfFound) return false;
  }
  return true;
}
