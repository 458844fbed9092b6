/**
 * @module
 * create, update, patch, delete and deletecollection: decoding and checking the body against the
 * endpoint (apiVersion and kind, as create.go and update.go check them), field validation
 * (Strict refuses unknown and duplicate fields, Warn reports them in Warning headers, Ignore drops
 * them), then the generic store. Responses are 201 for a create, 200 otherwise. Built-in kinds also
 * take protobuf bodies (kubectl's typed commands send nothing else); patches never come as protobuf.
 */
import type { ServerRequest, ServerReply } from '../http/exchange.js';
import { apiVersionOf, parseApiVersion } from '../../api/gvk.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { normalizeAgainstSchema } from '../../api/schema/normalize.js';
import type { Schema } from '../../api/schema/schema.js';
import { badRequest, unsupportedMediaType } from '../../api/status.js';
import { CUSTOM_RESOURCE_DECODE_SCHEMA, pruneUnknownFields } from '../crd/custom-resources.js';
import { type BodyFormat, type ProtobufContext, bodyFormat, decodeBody, protobufContext, readBody } from '../http/body.js';
import { type BodyEncoding, sendJsonText, sendObject } from '../http/respond.js';
import { asPartialObjectMetadata, asPartialObjectMetadataList } from '../partial-metadata.js';
import { applyPatch, type PatchType } from '../patch/index.js';
import type { DeleteRequest, WriteResult } from '../registry/generic-store.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { listObjects } from './read.js';
import { type FieldValidation, optionalBoolean, optionalInteger, parseListQuery, parseWriteQuery } from './query.js';
import type { ResourceScope } from './scope.js';

const OBJECT_FORMATS: readonly BodyFormat[] = ['json', 'yaml'];
/**
 * Built-in kinds have a protobuf form; custom resources do not, and kube-apiserver answers 415 for
 * protobuf sent to them, as it does for strategic merge patch (whose flag marks the built-ins).
 */
const BUILT_IN_OBJECT_FORMATS: readonly BodyFormat[] = ['json', 'yaml', 'protobuf'];
const PATCH_FORMATS: readonly BodyFormat[] = ['json-patch', 'merge-patch', 'strategic-merge-patch', 'apply-patch'];

/**
 * How a write answers: JSON or YAML, and the object whole or, for a client that asked for
 * as=PartialObjectMetadata (a deletecollection: as=PartialObjectMetadataList), its metadata only.
 */
export interface WriteAnswer {
  readonly encoding: BodyEncoding;
  readonly metadataOnly: boolean;
}

/** A request body decoded and held to the endpoint's kind, with the warnings field validation produced. */
interface CheckedBody {
  readonly object: JsonObject;
  readonly warnings: string[];
}

export async function serveCreate(
  scope: ResourceScope,
  request: ServerRequest,
  response: ServerReply,
  namespace: string,
  query: URLSearchParams,
  answer: WriteAnswer,
): Promise<void> {
  const write = parseWriteQuery(query);
  const body = await readObjectBody(scope, request, write.fieldValidation);
  const requestContext = context(scope, undefined, write.dryRun);
  // A review is answered, not stored (GenericStore.review).
  const result = scope.definition.review === undefined ? await scope.store.create(namespace, body.object, requestContext) : await scope.store.review(namespace, body.object, requestContext);
  sendResult(response, 201, result, answer, [...body.warnings, ...result.warnings]);
}

export async function serveUpdate(
  scope: ResourceScope,
  request: ServerRequest,
  response: ServerReply,
  target: { readonly namespace: string; readonly name: string; readonly subresource: string | undefined },
  query: URLSearchParams,
  answer: WriteAnswer,
): Promise<void> {
  const write = parseWriteQuery(query);
  const body = await readObjectBody(scope, request, write.fieldValidation);
  const result = await scope.store.update(target.namespace, target.name, body.object, context(scope, target.subresource, write.dryRun));
  sendResult(response, result.created === true ? 201 : 200, result, answer, [...body.warnings, ...result.warnings]);
}

export async function servePatch(
  scope: ResourceScope,
  request: ServerRequest,
  response: ServerReply,
  target: { readonly namespace: string; readonly name: string; readonly subresource: string | undefined },
  query: URLSearchParams,
  answer: WriteAnswer,
): Promise<void> {
  const write = parseWriteQuery(query);
  const format = bodyFormat(request.headers['content-type'], PATCH_FORMATS);
  const type = patchTypeOf(format, scope);
  const decoded = decodeBody(await readBody(request), format);
  const warnings: string[] = [];
  // Every patch type applies to a copy of the object that it makes itself (patch/index.ts): `copies`.
  const result = await scope.store.patch(target.namespace, target.name, context(scope, target.subresource, write.dryRun), (current) => {
    const patched = applyPatch(type, current, decoded.value, {
      schema: { type: 'ref', ref: scope.definition.schema },
      schemas: scope.schemas,
    });
    warnings.length = 0;
    const checked = checkAgainstSchema(scope, patched, decoded.duplicates, write.fieldValidation, type === 'strategic');
    warnings.push(...checked.warnings);
    return checked.object;
  }, { copies: true });
  sendResult(response, 200, result, answer, [...warnings, ...result.warnings]);
}

export async function serveDelete(
  scope: ResourceScope,
  request: ServerRequest,
  response: ServerReply,
  namespace: string,
  name: string,
  query: URLSearchParams,
  answer: WriteAnswer,
): Promise<void> {
  const { options, dryRun } = await readDeleteOptions(scope, request, query);
  const result = await scope.store.delete(namespace, name, options, context(scope, undefined, dryRun));
  sendObject(response, 200, answer.metadataOnly ? asPartialObjectMetadata(result.object) : result.object, answer.encoding, result.warnings);
}

export async function serveDeleteCollection(
  scope: ResourceScope,
  request: ServerRequest,
  response: ServerReply,
  namespace: string | undefined,
  query: URLSearchParams,
  answer: WriteAnswer,
): Promise<void> {
  const { options, dryRun } = await readDeleteOptions(scope, request, query);
  const listed = await listObjects(scope, namespace, { ...parseListQuery(query), limit: 0, continueToken: undefined });
  const deleted = await scope.store.deleteCollection(listed.items, options, context(scope, undefined, dryRun));
  const metadata = { resourceVersion: String(listed.resourceVersion) };
  sendObject(
    response,
    200,
    answer.metadataOnly
      ? asPartialObjectMetadataList(deleted.items, metadata)
      : { kind: scope.definition.listKind, apiVersion: apiVersionOf(scope.definition), metadata, items: deleted.items },
    answer.encoding,
    deleted.warnings,
  );
}

function context(scope: ResourceScope, subresource: string | undefined, dryRun: boolean): RequestContext {
  return { subresource, dryRun, now: scope.now() };
}

/** Reads a whole object from the body, fills in apiVersion and kind if missing, and checks them. */
async function readObjectBody(scope: ResourceScope, request: ServerRequest, validation: FieldValidation): Promise<CheckedBody> {
  const { definition } = scope;
  const expected = apiVersionOf(definition);
  const format = bodyFormat(request.headers['content-type'], definition.strategicMergePatch ? BUILT_IN_OBJECT_FORMATS : OBJECT_FORMATS);
  const protobuf = format === 'protobuf' ? protobufContext(scope.schemas, { apiVersion: expected, kind: definition.kind }) : undefined;
  const decoded = decodeBody(await readBody(request), format, protobuf);
  if (!isJsonObject(decoded.value)) throw badRequest('the body must be an object');
  const object = decoded.value;
  const apiVersion = typeof object.apiVersion === 'string' && object.apiVersion !== '' ? object.apiVersion : expected;
  const kind = typeof object.kind === 'string' && object.kind !== '' ? object.kind : definition.kind;
  const gv = parseApiVersion(apiVersion);
  if (gv === undefined || gv.group !== definition.group || gv.version !== definition.version) {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expected})`);
  }
  if (kind !== definition.kind) {
    throw badRequest(`${kind} in version "${definition.version}" cannot be handled as a ${definition.kind}: the kind in the data does not match the kind of the endpoint`);
  }
  return checkAgainstSchema(scope, { ...object, apiVersion, kind }, decoded.duplicates, validation);
}

/**
 * Holds an object to the kind's schema: a wrong type is always a 400; unknown and duplicate fields
 * are refused, reported or dropped per fieldValidation. Returns the object without unknown fields.
 */
function checkAgainstSchema(
  scope: ResourceScope,
  object: JsonObject,
  duplicates: readonly string[],
  validation: FieldValidation,
  strategic = false,
): CheckedBody {
  const { definition } = scope;
  const schema: Schema = definition.custom === undefined ? { type: 'ref', ref: definition.schema } : CUSTOM_RESOURCE_DECODE_SCHEMA;
  const normalized = normalizeAgainstSchema(object, schema, scope.schemas);
  const cannot = `${definition.kind} in version "${definition.version}" cannot be handled as a ${definition.kind}`;
  if (normalized.typeErrors.length > 0) throw badRequest(`${cannot}: ${normalized.typeErrors[0]}`);
  // A strategic merge patch may leave its directives ($setElementOrder/…, $retainKeys) inside values it
  // added; they are not fields, and dropping them is what decoding into the Go type does upstream.
  const declared = strategic ? normalized.unknown.filter((path) => !lastSegment(path).startsWith('$')) : normalized.unknown;
  // A custom resource's unknown fields are those its CRD's schema prunes.
  const unknown = definition.custom !== undefined && isJsonObject(normalized.value) ? [...declared, ...pruneUnknownFields(definition, normalized.value)] : declared;
  const problems = [...duplicates.map((path) => `duplicate field "${path}"`), ...unknown.map((path) => `unknown field "${path}"`)];
  if (problems.length > 0 && validation === 'Strict') throw badRequest(`${cannot}: strict decoding error: ${problems.join(', ')}`);
  if (!isJsonObject(normalized.value)) throw badRequest(`${cannot}: the body must be an object`);
  return { object: normalized.value, warnings: validation === 'Warn' ? problems : [] };
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

function patchTypeOf(format: BodyFormat, scope: ResourceScope): PatchType {
  switch (format) {
    case 'json-patch':
      return 'json';
    case 'merge-patch':
      return 'merge';
    case 'strategic-merge-patch':
      // Custom resources have no patch metadata: kube-apiserver refuses the media type (415).
      if (!scope.definition.strategicMergePatch) {
        throw unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
      }
      return 'strategic';
    case 'apply-patch':
      throw badRequest('server-side apply is not supported yet; use client-side kubectl apply');
    case 'json':
    case 'yaml':
    case 'protobuf':
      throw badRequest('a patch needs a patch content type');
    default: {
      const never: never = format;
      throw badRequest(`unknown patch format ${String(never)}`);
    }
  }
}

const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/**
 * Typed clients send DeleteOptions under their own group version (metav1.AddToGroupVersion registers
 * it in every one); whatever the envelope says, the message is meta/v1's — for custom resources too,
 * whose delete options kube-apiserver decodes with the meta codecs.
 */
function deleteOptionsContext(scope: ResourceScope): ProtobufContext {
  return {
    schemas: scope.schemas,
    definitionFor: (_apiVersion, kind) => (kind === 'DeleteOptions' || kind === '' ? DELETE_OPTIONS : undefined),
  };
}

/** DeleteOptions from the body (if any) and the query parameters kubectl uses. */
async function readDeleteOptions(
  scope: ResourceScope,
  request: ServerRequest,
  query: URLSearchParams,
): Promise<{ options: DeleteRequest; dryRun: boolean }> {
  const raw = await readBody(request);
  let body: JsonObject = {};
  if (raw.length > 0) {
    const format = bodyFormat(request.headers['content-type'], BUILT_IN_OBJECT_FORMATS);
    const decoded = decodeBody(raw, format, format === 'protobuf' ? deleteOptionsContext(scope) : undefined);
    if (!isJsonObject(decoded.value)) throw badRequest('DeleteOptions must be an object');
    body = decoded.value;
  }
  const grace = optionalInteger(query, 'gracePeriodSeconds') ?? numberField(body, 'gracePeriodSeconds');
  const policy = query.get('propagationPolicy') ?? stringField(body, 'propagationPolicy');
  if (policy !== undefined && policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
    throw badRequest(`propagationPolicy must be one of Orphan, Background, Foreground; got ${JSON.stringify(policy)}`);
  }
  const orphan = optionalBoolean(query, 'orphanDependents') ?? (typeof body.orphanDependents === 'boolean' ? body.orphanDependents : undefined);
  if (orphan !== undefined && policy !== undefined) {
    throw badRequest('orphanDependents and propagationPolicy may not both be set');
  }
  const preconditions = isJsonObject(body.preconditions) ? body.preconditions : {};
  const dryRun = query.getAll('dryRun').length > 0 || (Array.isArray(body.dryRun) && body.dryRun.includes('All'));
  const options: DeleteRequest = {
    ...(grace === undefined ? {} : { gracePeriodSeconds: Math.max(grace, 0) }),
    ...(policy === undefined ? {} : { propagationPolicy: policy }),
    ...(orphan === undefined ? {} : { orphanDependents: orphan }),
    preconditions: {
      ...(typeof preconditions.uid === 'string' ? { uid: preconditions.uid } : {}),
      ...(typeof preconditions.resourceVersion === 'string' ? { resourceVersion: preconditions.resourceVersion } : {}),
    },
  };
  return { options, dryRun };
}

function numberField(object: JsonObject, field: string): number | undefined {
  const value: JsonValue | undefined = object[field];
  return typeof value === 'number' ? value : undefined;
}

function stringField(object: JsonObject, field: string): string | undefined {
  const value: JsonValue | undefined = object[field];
  return typeof value === 'string' ? value : undefined;
}

/** Sends a written object: its stored JSON when the store has it, else serialized. */
function sendResult(response: ServerReply, code: number, result: WriteResult, answer: WriteAnswer, warnings: readonly string[]): void {
  if (answer.metadataOnly) sendObject(response, code, asPartialObjectMetadata(result.object), answer.encoding, warnings);
  else if (result.json !== undefined) sendJsonText(response, code, result.json, answer.encoding, warnings);
  else sendObject(response, code, result.object, answer.encoding, warnings);
}
