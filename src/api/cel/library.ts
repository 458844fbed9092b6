/**
 * @module
 * The Kubernetes CEL libraries, as far as kubelite supports them (k8s.io/apiserver/pkg/cel/library:
 * lists.go, regex.go, urls.go, quantity.go; cel-go ext/strings.go for charAt and replace). The
 * standard functions the engine already has (size, contains, startsWith, endsWith, matches,
 * indexOf, lastIndexOf, lowerAscii, upperAscii, split, substring, trim, join) are not repeated.
 * Functions that traverse a string or list charge the active cost meter for it, as upstream's
 * cost.go does.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { Quantity } from '../quantity.js';
import { chargeTraversal } from './cost.js';
import { re2Find, re2FindAll } from '../re2.js';

/** A parsed URL as CEL's `kubernetes.URL` sees it. */
export class KubeURL {
  constructor(readonly url: URL) {}
}

/** `kubernetes.Quantity`. */
export class KubeQuantity {
  constructor(readonly quantity: Quantity) {}
}

export function registerKubernetesLibraries(env: Environment): Environment {
  registerStrings(env);
  registerLists(env);
  registerRegex(env);
  registerUrls(env);
  registerQuantity(env);
  return env;
}

function registerStrings(env: Environment): void {
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint): string => {
    if (i < 0n) throw new Error(`index out of range: ${i}`);
    // Walks code points only up to i (cel-go's charAt is O(1) in cost), charging what it walks.
    const target = i > BigInt(s.length) ? s.length + 1 : Number(i);
    chargeTraversal(target);
    let index = 0;
    for (const ch of s) {
      if (index === target) return ch;
      index++;
    }
    if (index === target) return '';
    throw new Error(`index out of range: ${i}`);
  });
  // replace and reverse are charged by size where they are called (size-cost.ts).
  env.registerFunction('string.replace(string, string): string', (s: string, from: string, to: string): string => s.split(from).join(to));
  env.registerFunction('string.replace(string, string, int): string', (s: string, from: string, to: string, n: bigint): string => {
    if (n < 0n) return s.split(from).join(to);
    const parts = s.split(from);
    const limit = Number(n);
    if (parts.length - 1 <= limit) return parts.join(to);
    return parts.slice(0, limit + 1).join(to) + from + parts.slice(limit + 1).join(from);
  });
  env.registerFunction('string.reverse(): string', (s: string): string => [...s].reverse().join(''));
}

type Comparable = bigint | number | string | boolean;

function isComparable(v: unknown): v is Comparable {
  return typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
}

function compare(a: unknown, b: unknown): number {
  if (!isComparable(a) || !isComparable(b)) throw new Error('no such overload');
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  throw new Error('no such overload');
}

function unwrapList(list: unknown): readonly unknown[] {
  if (!Array.isArray(list)) throw new Error('no such overload');
  chargeTraversal(list.length);
  return list;
}

function extreme(list: unknown, name: string, sign: 1 | -1): unknown {
  const items = unwrapList(list);
  if (items.length === 0) throw new Error(`${name} called on empty list`);
  let best = items[0];
  for (const item of items) if (compare(item, best) * sign > 0) best = item;
  return best;
}

function listIndexOf(list: unknown, value: unknown, last: boolean): bigint {
  const items = unwrapList(list);
  const order = last ? [...items.keys()].reverse() : [...items.keys()];
  for (const i of order) if (celEquals(items[i], value)) return BigInt(i);
  return -1n;
}

/** Value equality of converted CEL values (plain objects, arrays, scalars). */
export function celEquals(a: unknown, b: unknown): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return a == b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && celEquals(ra[k], rb[k]));
  }
  return a === b;
}

function registerLists(env: Environment): void {
  env.registerFunction('list<dyn>.isSorted(): bool', (list: unknown): boolean => {
    const items = unwrapList(list);
    for (let i = 1; i < items.length; i++) if (compare(items[i - 1], items[i]) > 0) return false;
    return true;
  });
  env.registerFunction('list<dyn>.sum(): dyn', (list: unknown): unknown => {
    const items = unwrapList(list);
    if (items.length === 0) return 0n;
    if (items.every((x) => typeof x === 'bigint')) return items.reduce<bigint>((s, x) => s + (x as bigint), 0n);
    if (items.every((x) => typeof x === 'number')) return items.reduce<number>((s, x) => s + (x as number), 0);
    throw new Error('no such overload');
  });
  env.registerFunction('list<dyn>.min(): dyn', (list: unknown): unknown => extreme(list, 'min', -1));
  env.registerFunction('list<dyn>.max(): dyn', (list: unknown): unknown => extreme(list, 'max', 1));
  env.registerFunction('list<dyn>.indexOf(dyn): int', (list: unknown, v: unknown): bigint => listIndexOf(list, v, false));
  env.registerFunction('list<dyn>.lastIndexOf(dyn): int', (list: unknown, v: unknown): bigint => listIndexOf(list, v, true));
}

function registerRegex(env: Environment): void {
  env.registerFunction('string.find(string): string', (s: string, re: string): string => {
    chargeTraversal(s.length);
    return re2Find(re, s) ?? '';
  });
  const findAll = (s: string, re: string, limit: bigint): string[] => {
    chargeTraversal(s.length);
    return re2FindAll(re, s, limit < 0n ? -1 : Number(limit));
  };
  env.registerFunction('string.findAll(string): list<string>', (s: string, re: string): string[] => findAll(s, re, -1n));
  env.registerFunction('string.findAll(string, int): list<string>', findAll);
}

function parseUrl(s: string): URL | undefined {
  // url.ParseRequestURI: an absolute URL or an absolute path.
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s) && !s.startsWith('/')) return undefined;
  try {
    return new URL(s, s.startsWith('/') ? 'kubelite-path:/' : undefined);
  } catch {
    return undefined;
  }
}

function registerUrls(env: Environment): void {
  env.registerType('kubernetes.URL', KubeURL);
  env.registerFunction('url(string): kubernetes.URL', (s: string): KubeURL => {
    const u = parseUrl(s);
    if (u === undefined) throw new Error(`URL parse error during conversion from string: parse "${s}": invalid URI for request`);
    return new KubeURL(u);
  });
  env.registerFunction('isURL(string): bool', (s: string): boolean => parseUrl(s) !== undefined);
  const pathOnly = (u: URL): boolean => u.protocol === 'kubelite-path:';
  env.registerFunction('kubernetes.URL.getScheme(): string', (u: KubeURL): string => (pathOnly(u.url) ? '' : u.url.protocol.slice(0, -1)));
  env.registerFunction('kubernetes.URL.getHost(): string', (u: KubeURL): string => u.url.host);
  env.registerFunction('kubernetes.URL.getHostname(): string', (u: KubeURL): string => u.url.hostname.replace(/^\[(.*)\]$/, '$1'));
  env.registerFunction('kubernetes.URL.getPort(): string', (u: KubeURL): string => u.url.port);
  env.registerFunction('kubernetes.URL.getEscapedPath(): string', (u: KubeURL): string => u.url.pathname);
  env.registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: KubeURL): Record<string, string[]> => {
    const query: Record<string, string[]> = {};
    for (const [k, v] of u.url.searchParams) (query[k] ??= []).push(v);
    return query;
  });
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

function registerQuantity(env: Environment): void {
  env.registerType('kubernetes.Quantity', KubeQuantity);
  const q = (s: string): KubeQuantity => {
    const parsed = Quantity.safeParse(s);
    if (!parsed.ok) throw new Error(parsed.message);
    return new KubeQuantity(parsed.quantity);
  };
  const isInteger = (x: KubeQuantity): boolean => {
    const v = x.quantity.value();
    return v >= INT64_MIN && v <= INT64_MAX && x.quantity.cmp(Quantity.fromValue(v)) === 0;
  };
  env.registerFunction('quantity(string): kubernetes.Quantity', q);
  env.registerFunction('isQuantity(string): bool', (s: string): boolean => Quantity.safeParse(s).ok);
  env.registerFunction('kubernetes.Quantity.sign(): int', (x: KubeQuantity): bigint => BigInt(x.quantity.sign()));
  env.registerFunction('kubernetes.Quantity.isInteger(): bool', isInteger);
  env.registerFunction('kubernetes.Quantity.asInteger(): int', (x: KubeQuantity): bigint => {
    if (!isInteger(x)) throw new Error('cannot convert value to integer');
    return x.quantity.value();
  });
  env.registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (x: KubeQuantity): number => x.quantity.asApproximateNumber());
  env.registerFunction('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: KubeQuantity, b: KubeQuantity) => new KubeQuantity(a.quantity.add(b.quantity)));
  env.registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: KubeQuantity, b: bigint) => new KubeQuantity(a.quantity.add(Quantity.fromValue(b))));
  env.registerFunction('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: KubeQuantity, b: KubeQuantity) => new KubeQuantity(a.quantity.sub(b.quantity)));
  env.registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: KubeQuantity, b: bigint) => new KubeQuantity(a.quantity.sub(Quantity.fromValue(b))));
  env.registerFunction('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: KubeQuantity, b: KubeQuantity): boolean => a.quantity.cmp(b.quantity) > 0);
  env.registerFunction('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: KubeQuantity, b: KubeQuantity): boolean => a.quantity.cmp(b.quantity) < 0);
  env.registerFunction('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: KubeQuantity, b: KubeQuantity): bigint => BigInt(a.quantity.cmp(b.quantity)));
  env.registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: KubeQuantity, b: KubeQuantity): boolean => a.quantity.cmp(b.quantity) === 0);
}
