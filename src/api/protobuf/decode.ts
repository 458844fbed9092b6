/**
 * @module
 * Decodes a Kubernetes protobuf body (`application/vnd.kubernetes.protobuf`) of a built-in kind into
 * the JSON object the same object's JSON body would be, so everything after decoding is shared.
 *
 * The wire form follows apimachinery pkg/runtime/serializer/protobuf/protobuf.go: the prefix
 * `k8s\0`, then a runtime.Unknown {typeMeta(1){apiVersion(1), kind(2)}, raw(2), contentEncoding(3),
 * contentType(4)} whose raw is the object's message. Field numbers come from the schemas' `proto`
 * options (the Go `protobuf` tags); Go embedded structs that our schemas inline travel as
 * sub-messages (`inlinedProto`). Maps are repeated {key(1), value(2)} entries; repeated scalars may
 * be packed or not (proto2); unknown fields are skipped, as Go's generated decoders skip them.
 *
 * What comes out is what Go's JSON encoder prints for the decoded struct: a non-pointer scalar tagged
 * omitempty (`omitEmpty`) is dropped when zero, although Go's marshalers always write it; a pointer
 * field keeps a zero that is on the wire (`replicas: 0`); non-pointer structs stay, possibly `{}`;
 * empty lists and maps are absent; the zero time is absent (Go prints null, which decodes as unset).
 *
 * Input is bounded: lengths cannot exceed the buffer (wire.ts), nesting is capped at the 1000 levels
 * the JSON path accepts, and every output value consumes at least one input byte.
 */
import { apiVersionOf } from '../gvk.js';
import { type JsonObject, type JsonValue, setOwnKey } from '../json.js';
import { type InlinedProto, MICRO_TIME, QUANTITY, TIME, type ObjectSchema, type Schema } from '../schema/schema.js';
import type { SchemaSet } from '../schema/schema-set.js';
import { decodeIntOrString, decodeQuantity, decodeRawJson, decodeString, decodeTime } from './well-known.js';
import { FIXED64, LENGTH_DELIMITED, ProtobufError, VARINT, type WireType, WireReader } from './wire.js';

/** The prefix of every Kubernetes protobuf message: "k8s" and a zero byte. */
export const KUBERNETES_PROTOBUF_PREFIX: Uint8Array = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** Deepest nesting of objects and lists accepted; the JSON path's MAX_JSON_DEPTH. */
export const MAX_PROTOBUF_DEPTH = 1000;

const FIELDS_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1';

/** Which definition (by OpenAPI name) a kind's message follows; undefined for one we cannot decode. */
export type DefinitionLookup = (apiVersion: string, kind: string) => string | undefined;

/**
 * The object in a Kubernetes protobuf message, as JSON, with `apiVersion` and `kind` from the
 * envelope (left out when the envelope has none, as a JSON body may leave them out). Throws
 * {@link ProtobufError} on malformed input, an unknown kind, or a field whose wire type does not fit
 * its schema.
 */
export function decodeKubernetesProtobuf(bytes: Uint8Array, schemas: SchemaSet, definitionFor: DefinitionLookup): JsonObject {
  const envelope = readEnvelope(bytes);
  const name = definitionFor(envelope.apiVersion, envelope.kind);
  if (name === undefined) {
    throw new ProtobufError(`no kind "${envelope.kind}" is registered for version "${envelope.apiVersion}"`);
  }
  const schema = schemas.resolve({ type: 'ref', ref: name });
  if (schema.type !== 'object') throw new ProtobufError(`${name} is not an object and has no protobuf message`);
  const object = new Decoder(schemas).message(schema, new WireReader(envelope.raw), 1, undefined);
  const result: JsonObject = {};
  if (envelope.apiVersion !== '') result.apiVersion = envelope.apiVersion;
  if (envelope.kind !== '') result.kind = envelope.kind;
  for (const key of Object.keys(object)) setOwnKey(result, key, object[key] as JsonValue);
  return result;
}

const lookups = new WeakMap<SchemaSet, { readonly size: number; readonly lookup: DefinitionLookup }>();

/**
 * The lookup the definitions' x-kubernetes-group-version-kind gives: "apps/v1", "Deployment" →
 * io.k8s.api.apps.v1.Deployment. Built again only when the set has grown.
 */
export function definitionsByKind(schemas: SchemaSet): DefinitionLookup {
  const known = lookups.get(schemas);
  if (known !== undefined && known.size === schemas.size) return known.lookup;
  const lookup = buildLookup(schemas);
  lookups.set(schemas, { size: schemas.size, lookup });
  return lookup;
}

function buildLookup(schemas: SchemaSet): DefinitionLookup {
  const byKind = new Map<string, string>();
  for (const definition of schemas.definitions) {
    for (const gvk of definition.gvk ?? []) {
      byKind.set(`${apiVersionOf(gvk)} ${gvk.kind}`, definition.name);
    }
  }
  return (apiVersion, kind) => byKind.get(`${apiVersion} ${kind}`);
}

/** The runtime.Unknown envelope's contents. */
interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Uint8Array;
}

function readEnvelope(bytes: Uint8Array): Envelope {
  const prefix = KUBERNETES_PROTOBUF_PREFIX;
  if (bytes.length < prefix.length || prefix.some((byte, i) => bytes[i] !== byte)) {
    throw new ProtobufError('provided data does not appear to be a protobuf message, expected prefix k8s\\0');
  }
  if (bytes.length === prefix.length) throw new ProtobufError('empty body');
  const reader = new WireReader(bytes, prefix.length);
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.field === 1 && tag.wireType === LENGTH_DELIMITED) {
      const typeMeta = reader.readMessage();
      while (!typeMeta.done) {
        const inner = typeMeta.readTag();
        if (inner.field === 1 && inner.wireType === LENGTH_DELIMITED) apiVersion = decodeString(typeMeta.readBytes());
        else if (inner.field === 2 && inner.wireType === LENGTH_DELIMITED) kind = decodeString(typeMeta.readBytes());
        else typeMeta.skip(inner.wireType);
      }
    } else if (tag.field === 2 && tag.wireType === LENGTH_DELIMITED) raw = reader.readBytes();
    else if (tag.field === 3 && tag.wireType === LENGTH_DELIMITED) contentEncoding = decodeString(reader.readBytes());
    else reader.skip(tag.wireType);
  }
  // Clients never compress the object inside the envelope; nothing in apimachinery decodes it either.
  if (contentEncoding !== '') throw new ProtobufError(`content encoding "${contentEncoding}" is not supported`);
  return { apiVersion, kind, raw };
}

/** How a schema's values travel on the wire. */
type Shape =
  | { readonly kind: 'string'; readonly bytes: boolean }
  | { readonly kind: 'int32' | 'int64' | 'bool' | 'double' }
  | { readonly kind: 'time'; readonly micro: boolean }
  | { readonly kind: 'quantity' | 'int-or-string' | 'raw-json' }
  | { readonly kind: 'message'; readonly schema: ObjectSchema }
  | { readonly kind: 'map'; readonly values: Schema }
  | { readonly kind: 'list'; readonly items: Schema };

/** An object's field numbers: its own, and those of the inlined struct's sub-message. */
interface FieldTable {
  readonly fields: ReadonlyMap<number, { readonly name: string; readonly schema: Schema }>;
  readonly inlined?: { readonly field: number; readonly table: FieldTable };
}

const tables = new WeakMap<ObjectSchema, FieldTable>();

function fieldTable(schema: ObjectSchema): FieldTable {
  const cached = tables.get(schema);
  if (cached !== undefined) return cached;
  const table = tableOf(Object.entries(schema.properties ?? {}), schema.inlinedProto);
  tables.set(schema, table);
  return table;
}

/** The field numbers of `properties`, those of the inlined struct (and its own inlined one) apart. */
function tableOf(properties: readonly (readonly [string, Schema])[], inlined: InlinedProto | undefined): FieldTable {
  const inlinedNames = new Set(inlined?.properties ?? []);
  const own = new Map<number, { name: string; schema: Schema }>();
  for (const [name, property] of properties) {
    if (!inlinedNames.has(name) && property.proto !== undefined) own.set(property.proto, { name, schema: property });
  }
  if (inlined === undefined) return { fields: own };
  const inner = properties.filter(([name]) => inlinedNames.has(name));
  return { fields: own, inlined: { field: inlined.field, table: tableOf(inner, inlined.inlinedProto) } };
}

/** Decoding against one schema set; shapes are worked out once per schema. */
class Decoder {
  private readonly shapes = new Map<Schema, Shape>();

  constructor(private readonly schemas: SchemaSet) {}

  /** A message as an object with keys in schema order; `into` is an earlier occurrence to merge with. */
  message(schema: ObjectSchema, reader: WireReader, depth: number, into: JsonValue | undefined): JsonObject {
    if (depth > MAX_PROTOBUF_DEPTH) throw new ProtobufError(`exceeded max depth of ${MAX_PROTOBUF_DEPTH}`);
    const values = new Map<string, JsonValue>(isObject(into) ? Object.entries(into) : []);
    this.fields(fieldTable(schema), reader, depth, values);
    const result: JsonObject = {};
    for (const name of Object.keys(schema.properties ?? {})) {
      const value = values.get(name);
      if (value !== undefined) setOwnKey(result, name, value);
    }
    return result;
  }

  private fields(table: FieldTable, reader: WireReader, depth: number, values: Map<string, JsonValue>): void {
    while (!reader.done) {
      const tag = reader.readTag();
      if (table.inlined !== undefined && tag.field === table.inlined.field) {
        expectWireType(tag.wireType, LENGTH_DELIMITED, `field ${tag.field} (an inlined struct)`);
        // Go's JSON flattens the embedded struct; so do we, into the same object.
        this.fields(table.inlined.table, reader.readMessage(), depth + 1, values);
        continue;
      }
      const property = table.fields.get(tag.field);
      if (property === undefined) reader.skip(tag.wireType);
      else this.property(property.name, property.schema, tag.wireType, reader, depth, values);
    }
  }

  /** One occurrence of a property's field: lists and maps accumulate, messages merge, scalars replace. */
  private property(name: string, schema: Schema, wireType: WireType, reader: WireReader, depth: number, values: Map<string, JsonValue>): void {
    const shape = this.shape(schema);
    const existing = values.get(name);
    switch (shape.kind) {
      case 'list': {
        const list = Array.isArray(existing) ? existing : [];
        this.listItems(name, shape.items, wireType, reader, depth + 1, list);
        values.set(name, list);
        return;
      }
      case 'map': {
        const map = isObject(existing) ? existing : {};
        expectWireType(wireType, LENGTH_DELIMITED, name);
        this.mapEntry(name, shape.values, reader.readMessage(), depth + 1, map);
        values.set(name, map);
        return;
      }
      case 'message':
        expectWireType(wireType, LENGTH_DELIMITED, name);
        values.set(name, this.message(shape.schema, reader.readMessage(), depth + 1, existing));
        return;
      default: {
        const value = this.single(name, shape, wireType, reader, depth);
        if (value === undefined || (schema.omitEmpty === true && (value === '' || value === 0 || value === false))) values.delete(name);
        else values.set(name, value);
      }
    }
  }

  /** Items of a repeated field: one per occurrence, or a packed run of numbers or booleans. */
  private listItems(name: string, items: Schema, wireType: WireType, reader: WireReader, depth: number, list: JsonValue[]): void {
    if (depth > MAX_PROTOBUF_DEPTH) throw new ProtobufError(`exceeded max depth of ${MAX_PROTOBUF_DEPTH}`);
    const shape = this.shape(items);
    const packable = shape.kind === 'int32' || shape.kind === 'int64' || shape.kind === 'bool' || shape.kind === 'double';
    if (packable && wireType === LENGTH_DELIMITED) {
      const packed = reader.readMessage();
      while (!packed.done) list.push(this.single(name, shape, shape.kind === 'double' ? FIXED64 : VARINT, packed, depth) ?? null);
      return;
    }
    switch (shape.kind) {
      case 'list':
        throw new ProtobufError(`${name}: a list of lists has no protobuf form`);
      case 'map':
        throw new ProtobufError(`${name}: a list of maps has no protobuf form`);
      case 'message':
        expectWireType(wireType, LENGTH_DELIMITED, name);
        list.push(this.message(shape.schema, reader.readMessage(), depth + 1, undefined));
        return;
      default:
        // Go prints a zero time inside a list as null.
        list.push(this.single(name, shape, wireType, reader, depth) ?? null);
    }
  }

  /** One {key(1), value(2)} entry of a map field; a later entry for the same key wins. */
  private mapEntry(name: string, valueSchema: Schema, entry: WireReader, depth: number, map: JsonObject): void {
    if (depth > MAX_PROTOBUF_DEPTH) throw new ProtobufError(`exceeded max depth of ${MAX_PROTOBUF_DEPTH}`);
    const shape = this.shape(valueSchema);
    let key = '';
    let value: JsonValue | undefined;
    while (!entry.done) {
      const tag = entry.readTag();
      if (tag.field === 1) {
        expectWireType(tag.wireType, LENGTH_DELIMITED, `${name} key`);
        key = decodeString(entry.readBytes());
      } else if (tag.field === 2) {
        switch (shape.kind) {
          case 'list':
          case 'map':
            throw new ProtobufError(`${name}: a map of lists or maps has no protobuf form`);
          case 'message':
            expectWireType(tag.wireType, LENGTH_DELIMITED, `${name}[${key}]`);
            value = this.message(shape.schema, entry.readMessage(), depth + 1, undefined);
            break;
          default:
            value = this.single(`${name}[${key}]`, shape, tag.wireType, entry, depth) ?? null;
        }
      } else entry.skip(tag.wireType);
    }
    // An entry without a value holds the value type's zero.
    setOwnKey(map, key, value ?? zeroOf(shape));
  }

  /** A scalar or a well-known message; undefined where Go prints null. */
  private single(name: string, shape: Shape, wireType: WireType, reader: WireReader, depth: number): JsonValue | undefined {
    switch (shape.kind) {
      case 'string': {
        expectWireType(wireType, LENGTH_DELIMITED, name);
        const bytes = reader.readBytes();
        return shape.bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64') : decodeString(bytes);
      }
      case 'int32':
        expectWireType(wireType, VARINT, name);
        return reader.readInt32();
      case 'int64':
        expectWireType(wireType, VARINT, name);
        return reader.readInt64();
      case 'bool':
        expectWireType(wireType, VARINT, name);
        return reader.readBool();
      case 'double': {
        expectWireType(wireType, FIXED64, name);
        const value = reader.readDouble();
        if (!Number.isFinite(value)) throw new ProtobufError(`${name}: ${value} has no JSON form`);
        return value;
      }
      case 'time':
        expectWireType(wireType, LENGTH_DELIMITED, name);
        return decodeTime(reader.readMessage(), shape.micro);
      case 'quantity':
        expectWireType(wireType, LENGTH_DELIMITED, name);
        return decodeQuantity(reader.readMessage());
      case 'int-or-string':
        expectWireType(wireType, LENGTH_DELIMITED, name);
        return decodeIntOrString(reader.readMessage());
      case 'raw-json':
        expectWireType(wireType, LENGTH_DELIMITED, name);
        return decodeRawJson(reader.readMessage(), MAX_PROTOBUF_DEPTH - depth);
      case 'message':
      case 'map':
      case 'list':
        throw new ProtobufError(`${name}: not a single value`);
      default: {
        const never: never = shape;
        throw new ProtobufError(`${name}: unknown shape ${JSON.stringify(never)}`);
      }
    }
  }

  private shape(schema: Schema): Shape {
    let shape = this.shapes.get(schema);
    if (shape === undefined) {
      shape = this.shapeOf(schema);
      this.shapes.set(schema, shape);
    }
    return shape;
  }

  /** Well-known references first (their JSON schemas are strings), then the resolved schema. */
  private shapeOf(schema: Schema): Shape {
    if (schema.type === 'ref') {
      if (schema.ref === TIME || schema.ref === MICRO_TIME) return { kind: 'time', micro: schema.ref === MICRO_TIME };
      if (schema.ref === QUANTITY) return { kind: 'quantity' };
      if (schema.ref === FIELDS_V1) return { kind: 'raw-json' };
    }
    const resolved = this.schemas.resolve(schema);
    switch (resolved.type) {
      case 'string':
        return { kind: 'string', bytes: resolved.format === 'byte' };
      case 'integer':
        return { kind: resolved.format === 'int32' ? 'int32' : 'int64' };
      case 'boolean':
        return { kind: 'bool' };
      case 'number':
        return { kind: 'double' };
      case 'int-or-string':
        return { kind: 'int-or-string' };
      case 'any':
        return { kind: 'raw-json' };
      case 'array':
        return { kind: 'list', items: resolved.items };
      case 'object':
        // A map is an object with only additionalProperties; anything with properties is a message.
        return resolved.additionalProperties !== undefined && resolved.properties === undefined
          ? { kind: 'map', values: resolved.additionalProperties }
          : { kind: 'message', schema: resolved };
      default: {
        const never: never = resolved;
        throw new ProtobufError(`unknown schema ${JSON.stringify(never)}`);
      }
    }
  }
}

/** The JSON Go prints for a map entry that carries no value. */
function zeroOf(shape: Shape): JsonValue {
  switch (shape.kind) {
    case 'string':
      return '';
    case 'int32':
    case 'int64':
    case 'double':
      return 0;
    case 'bool':
      return false;
    case 'quantity':
      return '0';
    case 'int-or-string':
      return 0;
    case 'message':
      return {};
    case 'time':
    case 'raw-json':
    case 'map':
    case 'list':
      return null;
    default: {
      const never: never = shape;
      throw new ProtobufError(`unknown shape ${JSON.stringify(never)}`);
    }
  }
}

function expectWireType(actual: WireType, expected: WireType, field: string): void {
  if (actual !== expected) throw new ProtobufError(`${field}: wrong wire type ${actual}, expected ${expected}`);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
