/**
 * @module
 * Reading and decoding request bodies safely. A body is read up to kube-apiserver's 3 MiB limit and no
 * further (413, and the connection is closed); it must be valid UTF-8; JSON is scanned for nesting
 * depth and duplicate keys before JSON.parse; YAML is parsed with a cap on alias expansion (no
 * "billion laughs"); numbers that do not fit a double (1e400) are refused. Protobuf
 * (`application/vnd.kubernetes.protobuf`, which kubectl's typed commands send with no JSON fallback)
 * is decoded against the schemas into the JSON object the same body in JSON would be
 * (api/protobuf/decode.ts). Every failure is a Status error, never a crash.
 */
import type { ServerRequest } from './exchange.js';
import { parseAllDocuments } from 'yaml';
import { type JsonValue, isJsonObject } from '../../api/json.js';
import { type DefinitionLookup, decodeKubernetesProtobuf, definitionsByKind } from '../../api/protobuf/decode.js';
import { ProtobufError } from '../../api/protobuf/wire.js';
import type { SchemaSet } from '../../api/schema/schema-set.js';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../../api/status.js';
import { MAX_JSON_DEPTH, scanJson } from './json-scan.js';
import { parseMediaRanges } from './negotiation.js';

/** kube-apiserver's MaxRequestBodyBytes. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The formats a body can come in. */
export type BodyFormat = 'json' | 'yaml' | 'protobuf' | 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch';

export interface DecodedBody {
  readonly value: JsonValue;
  /** Paths of keys given twice in one object (strict field validation reports them). */
  readonly duplicates: readonly string[];
}

const FORMATS: Readonly<Record<string, BodyFormat>> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/vnd.kubernetes.protobuf': 'protobuf',
  'application/json-patch+json': 'json-patch',
  'application/merge-patch+json': 'merge-patch',
  'application/strategic-merge-patch+json': 'strategic-merge-patch',
  'application/apply-patch+yaml': 'apply-patch',
};

/** The format of a Content-Type; 415 for one we do not take. */
export function bodyFormat(contentType: string | undefined, accepted: readonly BodyFormat[]): BodyFormat {
  const [range] = parseMediaRanges(contentType ?? 'application/json');
  const format = range === undefined ? undefined : FORMATS[`${range.type}/${range.subtype}`];
  if (format === undefined || !accepted.includes(format)) {
    throw unsupportedMediaType(Object.entries(FORMATS).filter(([, f]) => accepted.includes(f)).map(([type]) => type));
  }
  return format;
}

/**
 * A request body: bytes, or text when it came as text (a request channel's message; text is then
 * valid UTF-8 by construction).
 */
export type RequestBody = Buffer | string;

/** Reads the whole body, refusing more than `limit` bytes with 413 as soon as it is exceeded. */
export function readBody(request: ServerRequest, limit = MAX_BODY_BYTES): Promise<RequestBody> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(requestEntityTooLarge(`limit is ${limit}`));
  }
  const text = request.wholeText;
  if (text !== undefined) {
    if (Buffer.byteLength(text, 'utf8') > limit) return Promise.reject(requestEntityTooLarge(`limit is ${limit}`));
    return Promise.resolve(text);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.resume();
        reject(requestEntityTooLarge(`limit is ${limit}`));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks, size)));
    request.once('error', reject);
    request.once('aborted', () => reject(badRequest('the request body was cut off')));
  });
}

/** What decoding a protobuf body needs: the schemas, and which definition a kind's message follows. */
export interface ProtobufContext {
  readonly schemas: SchemaSet;
  readonly definitionFor: DefinitionLookup;
}

/**
 * The protobuf context of an endpoint that takes `endpoint` objects: any kind the schemas give a
 * group-version-kind decodes (a mismatch with the endpoint is the caller's to report, as for JSON),
 * and an envelope without apiVersion or kind takes the endpoint's (protobuf.go's copyKindDefaults).
 */
export function protobufContext(schemas: SchemaSet, endpoint: { readonly apiVersion: string; readonly kind: string }): ProtobufContext {
  const byKind = definitionsByKind(schemas);
  return {
    schemas,
    definitionFor: (apiVersion, kind) => byKind(apiVersion === '' ? endpoint.apiVersion : apiVersion, kind === '' ? endpoint.kind : kind),
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a body of `format` (JSON-based formats as JSON; yaml and apply-patch as YAML; protobuf
 * through `protobuf`, without which it is refused with 415).
 */
export function decodeBody(body: RequestBody, format: BodyFormat, protobuf?: ProtobufContext): DecodedBody {
  if (body.length === 0) throw badRequest('the request body is empty');
  if (format === 'protobuf') return decodeProtobuf(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, protobuf);
  let text: string;
  try {
    text = typeof body === 'string' ? body : utf8.decode(body);
  } catch {
    throw badRequest('the request body is not valid UTF-8');
  }
  const decoded = format === 'yaml' || format === 'apply-patch' ? decodeYaml(text) : decodeJson(text);
  checkNumbers(decoded.value);
  return decoded;
}

function decodeProtobuf(body: Buffer, context: ProtobufContext | undefined): DecodedBody {
  if (context === undefined) throw unsupportedMediaType(Object.keys(FORMATS).filter((type) => FORMATS[type] === 'json' || FORMATS[type] === 'yaml'));
  try {
    // Protobuf has no duplicate keys: a repeated field is a list, or the last value wins, as in Go.
    const value = decodeKubernetesProtobuf(body, context.schemas, context.definitionFor);
    checkNumbers(value);
    return { value, duplicates: [] };
  } catch (error) {
    if (error instanceof ProtobufError) throw badRequest(`the body is not a valid protobuf message: ${error.message}`);
    throw error;
  }
}

function decodeJson(text: string): DecodedBody {
  const scan = scanJson(text);
  if (scan.tooDeep) throw badRequest(`exceeded max depth of ${MAX_JSON_DEPTH}`);
  try {
    return { value: JSON.parse(text) as JsonValue, duplicates: scan.duplicates };
  } catch (error) {
    throw badRequest(`the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Alias expansions allowed in one YAML document (sigs.k8s.io/yaml likewise limits them). */
const MAX_YAML_ALIASES = 100;

function decodeYaml(text: string): DecodedBody {
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text);
  } catch (error) {
    throw badRequest(`the body is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(documents)) throw badRequest('the body is not valid YAML');
  const nonEmpty = documents.filter((d) => d.contents !== null);
  if (nonEmpty.length !== 1) {
    throw badRequest(nonEmpty.length === 0 ? 'the request body is empty' : 'the body holds several YAML documents; send one object');
  }
  const document = nonEmpty[0] as (typeof nonEmpty)[number];
  const duplicates: string[] = [];
  for (const problem of document.errors) {
    // A repeated key is for field validation to judge (the last one wins, as JSON.parse does).
    if (problem.code !== 'DUPLICATE_KEY') throw badRequest(`the body is not valid YAML: ${problem.message}`);
    duplicates.push(`line ${problem.linePos?.[0].line ?? '?'}: ${problem.message.split(':')[0] ?? 'duplicate key'}`);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof RangeError) throw badRequest(`exceeded max depth of ${MAX_JSON_DEPTH}`);
    throw badRequest(`the body is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { value: toJsonValue(value, 0), duplicates };
}

/** YAML values as JSON values: dates and other tags become their JSON forms; depth is bounded. */
function toJsonValue(value: unknown, depth: number): JsonValue {
  if (depth > MAX_JSON_DEPTH) throw badRequest(`exceeded max depth of ${MAX_JSON_DEPTH}`);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, depth + 1));
  if (value instanceof Map) {
    const result: Record<string, JsonValue> = {};
    for (const [key, item] of value) Object.defineProperty(result, String(key), { value: toJsonValue(item, depth + 1), enumerable: true, writable: true, configurable: true });
    return result;
  }
  if (typeof value === 'object') {
    const result: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(result, key, { value: toJsonValue(item, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return result;
  }
  throw badRequest(`the body holds a value JSON cannot represent (${typeof value})`);
}

/** Refuses numbers that overflowed to Infinity (1e400): Kubernetes' decoder rejects them too. */
function checkNumbers(root: JsonValue): void {
  const stack: JsonValue[] = [root];
  while (stack.length > 0) {
    const value = stack.pop() as JsonValue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw badRequest('the body holds a number too large to represent');
    } else if (Array.isArray(value)) {
      stack.push(...value);
    } else if (isJsonObject(value)) {
      for (const key in value) stack.push(value[key] as JsonValue);
    }
  }
}
