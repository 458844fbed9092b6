/**
 * @module
 * Kubernetes' JSONPath (client-go util/jsonpath/jsonpath.go) over JSON values: what a CRD's
 * additionalPrinterColumns and selectableFields are evaluated with. `findResults` walks a parsed
 * template (jsonpath-parser.ts) and gives one list of values per top-level node, as FindResults
 * does; with `allowMissingKeys` a field that is absent yields nothing instead of an error.
 * `printResults` renders values as PrintResults does (objects and arrays as compact JSON with Go's
 * sorted keys, scalars as Go's fmt prints them, separated by spaces).
 *
 * JSON null is a value (Go's nil interface): a field holding null is found, but nothing is read
 * through it. Maps are iterated in sorted key order (upstream's fmtsort). Filters compare numbers
 * by value whatever their Go type, strings lexically, booleans for (in)equality; a comparison of
 * mismatched types is false, as upstream ignores "incompatible types for comparison".
 * `{range}`/`{end}` are not supported.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { JsonPathError, type JsonPathNode, type ListNode, type SliceParam, parseTemplate } from './jsonpath-parser.js';

export { JsonPathError } from './jsonpath-parser.js';

/** A parsed template. */
export interface JsonPath {
  readonly template: string;
  readonly root: ListNode;
}

export interface FindOptions {
  /** A missing field yields no result rather than an error (`AllowMissingKeys(true)`). */
  readonly allowMissingKeys?: boolean;
}

/** Parses a template such as `{.status.conditions[?(@.type=="Ready")].status}`; throws JsonPathError. */
export function parseJsonPath(template: string): JsonPath {
  return { template, root: parseTemplate(template) };
}

/** FindResults: the values of each top-level node of the template; throws JsonPathError. */
export function findResults(path: JsonPath, data: JsonValue, options: FindOptions = {}): JsonValue[][] {
  const walker = new Walker(options.allowMissingKeys === true);
  return path.root.nodes.map((node) => walker.walk([data], node));
}

/** PrintResults: the values as text, separated by single spaces. */
export function printResults(values: readonly JsonValue[]): string {
  return values.map(printValue).join(' ');
}

/** One value as PrintResults prints it: objects and arrays as JSON, the rest as Go's fmt.Print. */
export function printValue(value: JsonValue): string {
  if (value !== null && typeof value === 'object') return goJson(value);
  return goPrint(value);
}

/** fmt.Sprint of a decoded JSON scalar: `<nil>`, `true`, `42`, `1.5`, `1e+06` (a float64 that large). */
export function goPrint(value: JsonValue): string {
  if (value === null) return '<nil>';
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return goJson(value);
}

/** A JSON number as Go prints it once decoded: integers as int64, others as float64 (%v). */
export function goNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  // fmt's %v is strconv's 'g' with the shortest digits: the exponent form when exp < -4 || exp >= 6.
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number.parseInt(exponentText, 10);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** encoding/json.Marshal of a decoded value: sorted keys, HTML-safe escaping. */
function goJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${goString(key)}:${goJson(value[key] ?? null)}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value);
}

function goString(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** The evaluation of one FindResults call. */
class Walker {
  constructor(private readonly allowMissingKeys: boolean) {}

  walk(input: readonly JsonValue[], node: JsonPathNode): JsonValue[] {
    switch (node.type) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
      case 'float':
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap(children);
      case 'recursive':
        return evalRecursive(input);
      case 'union':
        return node.nodes.flatMap((list) => this.evalList(input, list));
      case 'identifier':
        throw new JsonPathError(`unrecognized identifier ${node.name}`);
      default: {
        const never: never = node;
        throw new JsonPathError(`unexpected Node ${JSON.stringify(never)}`);
      }
    }
  }

  private evalList(input: readonly JsonValue[], list: ListNode): JsonValue[] {
    let current: JsonValue[] = [...input];
    for (const node of list.nodes) current = this.walk(current, node);
    return current;
  }

  private evalField(input: readonly JsonValue[], name: string): JsonValue[] {
    if (input.length === 0) return [];
    // `{.}` names no field: the value itself.
    if (name === '') return input.filter((value) => value !== null);
    const results: JsonValue[] = [];
    for (const value of input) {
      if (isJsonObject(value) && Object.hasOwn(value, name)) results.push(value[name] ?? null);
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathError(`${name} is not found`);
    return results;
  }

  private evalFilter(input: readonly JsonValue[], node: Extract<JsonPathNode, { type: 'filter' }>): JsonValue[] {
    const results: JsonValue[] = [];
    for (const value of input) {
      const items = value !== null && typeof value === 'object' ? children(value) : [value];
      for (const item of items) {
        let lefts: JsonValue[];
        try {
          lefts = this.evalList([item], node.left);
        } catch (error) {
          if (!this.allowMissingKeys) throw error;
          lefts = [];
        }
        const rights = this.evalList([item], node.right);
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (node.operator === 'exists') {
          results.push(item);
          continue;
        }
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
        if (compare(node.operator, lefts[0] ?? null, rights[0] ?? null)) results.push(item);
      }
    }
    return results;
  }
}

/** The members of an object (sorted by key) or array; nothing for a scalar. */
function children(value: JsonValue): JsonValue[] {
  if (Array.isArray(value)) return value;
  if (isJsonObject(value)) return sortedValues(value);
  return [];
}

function sortedValues(object: JsonObject): JsonValue[] {
  return Object.keys(object)
    .sort()
    .map((key) => object[key] ?? null);
}

function evalRecursive(input: readonly JsonValue[]): JsonValue[] {
  const result: JsonValue[] = [];
  for (const value of input) {
    const members = value === null ? [] : children(value);
    if (members.length === 0) continue;
    result.push(value, ...evalRecursive(members));
  }
  return result;
}

function evalArray(input: readonly JsonValue[], params: readonly [SliceParam, SliceParam, SliceParam]): JsonValue[] {
  const result: JsonValue[] = [];
  for (const value of input) {
    if (value === null) continue;
    if (!Array.isArray(value)) throw new JsonPathError(`${goTypeName(value)} is not array or slice`);
    const length = value.length;
    let start = params[0].known ? params[0].value : 0;
    if (start < 0) start += length;
    let end = params[1].known ? params[1].value : length;
    if (end < 0 || (end === 0 && params[1].derived)) end += length;
    if (end === start) return result;
    if (start >= length || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${length}`);
    if (end > length || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${length}`);
    if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
    let step = 1;
    if (params[2].known) {
      if (params[2].value <= 0) throw new JsonPathError('step must be > 0');
      step = params[2].value;
    }
    for (let i = start; i < end; i += step) result.push(value[i] ?? null);
  }
  return result;
}

function compare(operator: string, left: JsonValue, right: JsonValue): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  switch (operator) {
    case '==':
      return (comparable || (typeof left === 'boolean' && typeof right === 'boolean')) && left === right;
    case '!=':
      return (comparable || (typeof left === 'boolean' && typeof right === 'boolean')) && left !== right;
    case '<':
      return comparable && (left as number | string) < (right as number | string);
    case '>':
      return comparable && (left as number | string) > (right as number | string);
    case '<=':
      return comparable && (left as number | string) <= (right as number | string);
    case '>=':
      return comparable && (left as number | string) >= (right as number | string);
    default:
      throw new JsonPathError(`unrecognized filter operator ${operator}`);
  }
}

function goTypeName(value: JsonValue): string {
  if (isJsonObject(value)) return 'map[string]interface {}';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return 'interface {}';
}
