/**
 * @module
 * The scale subresource: an autoscaling/v1 Scale view of a workload's replicas, read with GET and
 * changed with PUT or PATCH (`kubectl scale` sends a merge patch `{"spec":{"replicas":N}}`). The paths
 * of the replicas and the selector come from the resource's definition, as a CRD's scale subresource
 * names them.
 */
import type { ServerRequest, ServerReply } from '../http/exchange.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { selectorFromLabelSelector, labelSelectorString } from '../../api/labels.js';
import { badRequest, conflict } from '../../api/status.js';
import { bodyFormat, decodeBody, protobufContext, readBody } from '../http/body.js';
import { sendObject } from '../http/respond.js';
import { asPartialObjectMetadata } from '../partial-metadata.js';
import { applyPatch } from '../patch/index.js';
import { metaString, readMetadata } from '../registry/object-meta.js';
import type { ScaleSubresource } from '../registry/resource-definition.js';
import { getObject } from './read.js';
import { parseWriteQuery } from './query.js';
import type { WriteAnswer } from './write.js';
import type { ResourceScope } from './scope.js';

const SCALE_SCHEMA = 'io.k8s.api.autoscaling.v1.Scale';

export async function serveScale(
  scope: ResourceScope,
  verb: 'get' | 'update' | 'patch',
  request: ServerRequest,
  response: ServerReply,
  target: { readonly namespace: string; readonly name: string },
  query: URLSearchParams,
  answer: WriteAnswer,
): Promise<void> {
  const scale = scope.definition.scale;
  if (scale === undefined) throw badRequest('this resource has no scale subresource');
  const send = (object: JsonObject): void => {
    const view = toScale(object, scale);
    sendObject(response, 200, answer.metadataOnly ? asPartialObjectMetadata(view) : view, answer.encoding);
  };
  if (verb === 'get') {
    send((await getObject(scope, target.namespace, target.name, query)).object);
    return;
  }
  const write = parseWriteQuery(query);
  const formats = verb === 'update' ? (['json', 'yaml', 'protobuf'] as const) : (['json-patch', 'merge-patch', 'strategic-merge-patch'] as const);
  const format = bodyFormat(request.headers['content-type'], formats);
  const context = format === 'protobuf' ? protobufContext(scope.schemas, { apiVersion: 'autoscaling/v1', kind: 'Scale' }) : undefined;
  const body = decodeBody(await readBody(request), format, context).value;
  const result = await scope.store.patch(target.namespace, target.name, { subresource: 'scale', dryRun: write.dryRun, now: scope.now() }, (current) => {
    const before = toScale(current, scale);
    const after =
      verb === 'update'
        ? body
        : applyPatch(format === 'json-patch' ? 'json' : format === 'merge-patch' ? 'merge' : 'strategic', before, body, {
            schema: { type: 'ref', ref: SCALE_SCHEMA },
            schemas: scope.schemas,
          });
    if (!isJsonObject(after)) throw badRequest('a Scale must be an object');
    const wanted = metaString(after, 'resourceVersion');
    if (wanted !== '' && wanted !== metaString(current, 'resourceVersion')) {
      throw conflict(scope.store.groupResource, target.name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const replicas = isJsonObject(after.spec) ? after.spec.replicas : undefined;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw badRequest(`Scale.spec.replicas must be a non-negative integer, got ${JSON.stringify(replicas ?? null)}`);
    }
    setPath(current, scale.specReplicasPath, replicas);
    return current;
  });
  send(result.object);
}

/** The Scale view of an object. */
export function toScale(object: JsonObject, scale: ScaleSubresource): JsonObject {
  const metadata = readMetadata(object);
  const replicas = getPath(object, scale.specReplicasPath);
  const observed = getPath(object, scale.statusReplicasPath);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: pick(metadata, ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']),
    spec: { replicas: typeof replicas === 'number' ? replicas : 0 },
    status: {
      replicas: typeof observed === 'number' ? observed : 0,
      ...selectorOf(object, scale),
    },
  };
}

/** status.selector: the selector as a string (a LabelSelector object is converted). */
function selectorOf(object: JsonObject, scale: ScaleSubresource): { selector?: string } {
  if (scale.labelSelectorPath === undefined) return {};
  const value = getPath(object, scale.labelSelectorPath);
  if (typeof value === 'string') return { selector: value };
  if (!isJsonObject(value)) return {};
  try {
    return { selector: labelSelectorString(selectorFromLabelSelector(value as Parameters<typeof selectorFromLabelSelector>[0])) };
  } catch {
    return {};
  }
}

function pick(object: JsonObject, keys: readonly string[]): JsonObject {
  const result: JsonObject = {};
  for (const key of keys) if (object[key] !== undefined) result[key] = object[key] as JsonValue;
  return result;
}

/** `.spec.replicas` → ['spec', 'replicas']. */
function steps(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter((step) => step !== '');
}

function getPath(object: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = object;
  for (const step of steps(path)) current = isJsonObject(current) ? current[step] : undefined;
  return current;
}

function setPath(object: JsonObject, path: string, value: JsonValue): void {
  const parts = steps(path);
  let current = object;
  for (const step of parts.slice(0, -1)) {
    if (!isJsonObject(current[step])) current[step] = {};
    current = current[step] as JsonObject;
  }
  const last = parts[parts.length - 1];
  if (last !== undefined) current[last] = value;
}
