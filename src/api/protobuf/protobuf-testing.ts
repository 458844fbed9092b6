/**
 * @module
 * For tests: a protobuf encoder by hand, so decoder tests state the bytes a Go client would send
 * field by field (numbers from k8s.io/api's generated.proto) rather than trusting an encoder derived
 * from the same schemas. Each helper returns one encoded field; a message is the concatenation of
 * its fields. Go's generated marshalers write non-pointer scalars even when zero, so realistic
 * messages include them.
 */

const utf8 = new TextEncoder();

/** The bytes of a varint (negative numbers as 64-bit two's complement, ten bytes). */
export function varintBytes(value: number | bigint): Uint8Array {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return Uint8Array.from(out);
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function key(field: number, wireType: number): Uint8Array {
  return varintBytes(field * 8 + wireType);
}

/** An int32, int64 or enum field. */
export function varint(field: number, value: number | bigint): Uint8Array {
  return concat(key(field, 0), varintBytes(value));
}

export function bool(field: number, value: boolean): Uint8Array {
  return varint(field, value ? 1 : 0);
}

export function bytes(field: number, value: Uint8Array): Uint8Array {
  return concat(key(field, 2), varintBytes(value.length), value);
}

export function string(field: number, value: string): Uint8Array {
  return bytes(field, utf8.encode(value));
}

/** A sub-message made of the given fields. */
export function message(field: number, ...fields: readonly Uint8Array[]): Uint8Array {
  return bytes(field, concat(...fields));
}

/** A double field (wire type 1). */
export function double(field: number, value: number): Uint8Array {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setFloat64(0, value, true);
  return concat(key(field, 1), body);
}

/** A fixed32 field (wire type 5). */
export function fixed32(field: number, value: number): Uint8Array {
  const body = new Uint8Array(4);
  new DataView(body.buffer).setUint32(0, value, true);
  return concat(key(field, 5), body);
}

/** A packed repeated varint field. */
export function packed(field: number, values: readonly (number | bigint)[]): Uint8Array {
  return bytes(field, concat(...values.map(varintBytes)));
}

/** One map entry {key(1), value(2)}; `value` is the value's encoded field 2. */
export function entry(field: number, mapKey: string, value: Uint8Array): Uint8Array {
  return message(field, string(1, mapKey), value);
}

/** A map<string, string> field. */
export function stringMap(field: number, map: Readonly<Record<string, string>>): Uint8Array {
  return concat(...Object.entries(map).map(([k, v]) => entry(field, k, string(2, v))));
}

/** A Quantity message {string(1)}. */
export function quantity(field: number, value: string): Uint8Array {
  return message(field, string(1, value));
}

/** An IntOrString message {type(1), intVal(2), strVal(3)}, with every field as Go writes them. */
export function intOrString(field: number, value: number | string): Uint8Array {
  return typeof value === 'number'
    ? message(field, varint(1, 0), varint(2, value), string(3, ''))
    : message(field, varint(1, 1), varint(2, 0), string(3, value));
}

/** A metav1.Time as Go writes it: seconds only; the zero time is an empty message. */
export function time(field: number, date: Date | undefined): Uint8Array {
  return date === undefined ? message(field) : message(field, varint(1, Math.floor(date.getTime() / 1000)));
}

/**
 * ObjectMeta as Go writes it for an object with only a name, namespace and labels: every
 * non-pointer field present, zero or not, and an empty (zero) creationTimestamp.
 */
export function objectMeta(field: number, meta: { name: string; namespace?: string; labels?: Record<string, string> }): Uint8Array {
  return message(
    field,
    string(1, meta.name),
    string(2, ''),
    string(3, meta.namespace ?? ''),
    string(4, ''),
    string(5, ''),
    string(6, ''),
    varint(7, 0),
    time(8, undefined),
    stringMap(11, meta.labels ?? {}),
  );
}

/** The k8s\0-prefixed runtime.Unknown envelope around an object's message. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  return concat(
    Uint8Array.of(0x6b, 0x38, 0x73, 0x00),
    message(1, string(1, apiVersion), string(2, kind)),
    bytes(2, raw),
    string(3, ''),
    string(4, ''),
  );
}
