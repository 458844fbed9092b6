/**
 * @module
 * The apimachinery messages whose protobuf form differs from their JSON form, decoded into the JSON
 * value Go's encoder would print for them:
 *
 * - metav1.Time and MicroTime, {seconds(1), nanos(2)}: RFC 3339 in UTC, at seconds precision for
 *   Time (its Unmarshal drops nanos) and with six fractional digits for MicroTime (nanos truncated to
 *   microseconds); an empty message is the zero time, which Go prints as null
 *   (apimachinery pkg/apis/meta/v1/time_proto.go, micro_time_proto.go).
 * - resource.Quantity, {string(1)}: the string as is (pkg/api/resource/quantity_proto.go).
 * - intstr.IntOrString, {type(1), intVal(2), strVal(3)}: a number or a string (pkg/util/intstr).
 * - runtime.RawExtension and metav1.FieldsV1, {raw(1)}: the JSON they hold (pkg/runtime/types.go,
 *   pkg/apis/meta/v1/types.go).
 */
import type { JsonValue } from '../json.js';
import { LENGTH_DELIMITED, ProtobufError, VARINT, type WireReader } from './wire.js';

/** Go's zero time.Time (0001-01-01T00:00:00Z) in Unix seconds: it prints as null. */
const ZERO_TIME_SECONDS = -62135596800;
/** RFC 3339 has four-digit years: Go refuses to print a time outside 0000-9999, and so do we. */
const MIN_SECONDS = -62167219200;
const MAX_SECONDS = 253402300799;

const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A string field: invalid UTF-8 becomes U+FFFD, as Go's JSON encoder prints it. */
export function decodeString(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** A metav1.Time (`micro` false) or MicroTime; undefined for the zero time. */
export function decodeTime(message: WireReader, micro: boolean): string | undefined {
  if (message.done) return undefined;
  let seconds = 0;
  let nanos = 0;
  while (!message.done) {
    const tag = message.readTag();
    if (tag.field === 1 && tag.wireType === VARINT) seconds = message.readInt64();
    else if (tag.field === 2 && tag.wireType === VARINT) nanos = message.readInt32();
    else message.skip(tag.wireType);
  }
  // time.Unix normalizes nanos outside [0, 1e9) into the seconds.
  seconds += Math.floor(nanos / 1e9);
  nanos = ((nanos % 1e9) + 1e9) % 1e9;
  if (!micro) nanos = 0;
  if (seconds === ZERO_TIME_SECONDS && nanos === 0) return undefined;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new ProtobufError(`time ${seconds}s is outside the years 0000-9999`);
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

/** A resource.Quantity: its canonical string; a message without one is the zero quantity. */
export function decodeQuantity(message: WireReader): string {
  let value = '0';
  while (!message.done) {
    const tag = message.readTag();
    if (tag.field === 1 && tag.wireType === LENGTH_DELIMITED) value = decodeString(message.readBytes());
    else message.skip(tag.wireType);
  }
  return value;
}

/** An intstr.IntOrString: type 0 is intVal, type 1 strVal. */
export function decodeIntOrString(message: WireReader): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (!message.done) {
    const tag = message.readTag();
    if (tag.field === 1 && tag.wireType === VARINT) type = message.readInt64();
    else if (tag.field === 2 && tag.wireType === VARINT) intVal = message.readInt32();
    else if (tag.field === 3 && tag.wireType === LENGTH_DELIMITED) strVal = decodeString(message.readBytes());
    else message.skip(tag.wireType);
  }
  if (type === 0) return intVal;
  if (type === 1) return strVal;
  throw new ProtobufError(`IntOrString has type ${type}; only 0 (int) and 1 (string) exist`);
}

/**
 * A RawExtension or FieldsV1: the JSON document its raw bytes hold, nested at most `depthLeft`
 * deep; undefined when empty (Go prints null). A raw holding protobuf (the `k8s\0` prefix) has no
 * JSON form here.
 */
export function decodeRawJson(message: WireReader, depthLeft: number): JsonValue | undefined {
  let raw: Uint8Array | undefined;
  while (!message.done) {
    const tag = message.readTag();
    if (tag.field === 1 && tag.wireType === LENGTH_DELIMITED) raw = message.readBytes();
    else message.skip(tag.wireType);
  }
  if (raw === undefined || raw.length === 0) return undefined;
  if (raw[0] === 0x6b && raw[1] === 0x38 && raw[2] === 0x73 && raw[3] === 0x00) {
    throw new ProtobufError('an embedded object encoded as protobuf is not supported; embed it as JSON');
  }
  const text = strictUtf8.decode(raw);
  if (!jsonDepthWithin(text, depthLeft)) throw new ProtobufError(`exceeded max depth of ${depthLeft} in embedded JSON`);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new ProtobufError(`embedded JSON is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Whether JSON text nests objects and arrays at most `limit` deep (strings are skipped). */
function jsonDepthWithin(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return false;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return true;
}

