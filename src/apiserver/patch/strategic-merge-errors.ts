/**
 * @module
 * The errors a strategic merge patch fails with, worded as apimachinery's (pkg/util/mergepatch
 * errors.go and strategicpatch/patch.go) and answered as kube-apiserver answers them
 * (handlers/patch.go interpretStrategicMergePatchError):
 *
 * - the malformed-directive sentinels (primitive list, retainKeys, setElementOrder) are 400 BadRequest
 *   with the sentinel's text;
 * - ErrNoListOfLists is 422 with the generic message;
 * - every other error (a missing merge key, an unknown `$patch` value, mismatched list element
 *   types…) is not a Status upstream, so the server answers 500 with reason Unknown and the error's
 *   text as the message;
 * - inputs on which upstream's Go code panics (comparing or hashing maps) answer as the panic
 *   recovery filter does: a 500.
 *
 * Messages print values as Go's `%v` does (`map[image:nginx name:web]`), because users compare them
 * with what Kubernetes prints.
 */
import { type JsonValue, isJsonObject } from '../../api/json.js';
import { StatusError, badRequest } from '../../api/status.js';
import { goPanic, patchApplyFailed } from './patch-errors.js';

/** A 500 carrying the error text, as responsewriters.ErrorToAPIStatus answers a non-Status error. */
export function unknownError(message: string): StatusError {
  return new StatusError('Unknown', message);
}

export const errNoListOfLists = (): StatusError => patchApplyFailed('lists of lists are not supported');
export const errBadPatchFormatForPrimitiveList = (): StatusError => badRequest('invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = (): StatusError => badRequest('invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = (): StatusError =>
  badRequest('invalid patch format of setElementOrder list');

export function errNoMergeKey(item: JsonValue, mergeKey: string): StatusError {
  return unknownError(`map: ${goValue(item)} does not contain declared merge key: ${mergeKey}`);
}

export function errBadArgType(expected: 'map' | 'slice', actual: JsonValue | undefined): StatusError {
  const wanted = expected === 'map' ? 'map[string]interface {}' : '[]interface {}';
  return unknownError(`expected a ${wanted}, but received a ${goTypeName(actual)}`);
}

export function errBadPatchType(directive: JsonValue, item: JsonValue): StatusError {
  return unknownError(`unknown patch type: ${goString(directive)} in map: ${goValue(item)}`);
}

/**
 * Go's `==` on two interface{} values holding decoded JSON: equal types and values; two maps or two
 * slices panic (they are not comparable). Missing values compare as nil.
 */
export function goEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const left = a ?? null;
  const right = b ?? null;
  const kind = goTypeName(left);
  if (kind !== goTypeName(right)) return false;
  if (Array.isArray(left) || isJsonObject(left)) throw goPanic(`comparing uncomparable type ${kind}`);
  return left === right;
}

/** A key under which a scalar can live in a Go map[interface{}]; maps and slices panic (unhashable). */
export function goHashKey(value: JsonValue): string {
  if (Array.isArray(value) || isJsonObject(value)) throw goPanic(`hash of unhashable type ${goTypeName(value)}`);
  return `${goTypeName(value)}:${String(value)}`;
}

/** reflect.TypeOf(v).String() for a decoded JSON value; nil prints as `%s` prints a nil Type. */
export function goTypeName(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '%!s(<nil>)';
  if (Array.isArray(value)) return '[]interface {}';
  if (isJsonObject(value)) return 'map[string]interface {}';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      // The apiserver decodes patches preserving integers (int64); anything else is a float64.
      return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? 'int64' : 'float64';
    default: {
      const never: never = value;
      return String(never);
    }
  }
}

/** `fmt.Sprintf("%v", value)`: maps with sorted keys, slices space-separated, nil as `<nil>`. */
export function goValue(value: JsonValue | undefined): string {
  return format(value, 'v');
}

/** `fmt.Sprintf("%s", value)`: like %v for strings, `%!s(int64=1)` for other scalars. */
export function goString(value: JsonValue | undefined): string {
  return format(value, 's');
}

type FormatItem = { readonly text: string } | { readonly value: JsonValue | undefined };

function format(value: JsonValue | undefined, verb: 'v' | 's'): string {
  // Iterative: the value may come from a hostile patch and nest deeply.
  const out: string[] = [];
  const work: FormatItem[] = [{ value }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const next = item.value;
    const parts: FormatItem[] = [];
    if (Array.isArray(next)) {
      parts.push({ text: '[' });
      next.forEach((element, i) => parts.push(...(i === 0 ? [] : [{ text: ' ' }]), { value: element }));
      parts.push({ text: ']' });
    } else if (isJsonObject(next)) {
      const keys = Object.keys(next).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      parts.push({ text: 'map[' });
      keys.forEach((key, i) => parts.push({ text: `${i === 0 ? '' : ' '}${key}:` }, { value: next[key] }));
      parts.push({ text: ']' });
    } else {
      out.push(scalar(next ?? null, verb));
    }
    for (let i = parts.length - 1; i >= 0; i--) work.push(parts[i] as FormatItem);
  }
  return out.join('');
}

function scalar(value: string | number | boolean | null, verb: 'v' | 's'): string {
  if (typeof value === 'string') return value;
  const text = value === null ? '<nil>' : typeof value === 'number' ? goNumber(value) : String(value);
  return verb === 'v' ? text : value === null ? '%!s(<nil>)' : `%!s(${goTypeName(value)}=${text})`;
}

/**
 * An integer prints as the int64 it decodes to; other numbers as a float64 under %v: the shortest
 * digits, in exponent form when the exponent is below -4 or at least 6 (strconv's 'g', precision -1).
 */
function goNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return BigInt(value).toString();
  const [mantissa = '', power = '0'] = value.toExponential().split('e');
  const exponent = Number(power);
  if (exponent >= -4 && exponent < 6) return String(value);
  const digits = String(Math.abs(exponent)).padStart(2, '0');
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
}
