/**
 * @module
 * get and list of a computed resource (a definition with `computed`: the metrics.k8s.io API), whose
 * objects are made from other resources at each request and stored nowhere. A list takes label
 * selectors and the metadata.name and metadata.namespace field selectors; it is one page (no limit
 * or continue, as metrics-server serves it). Answers come in every form a stored resource's do:
 * JSON, YAML, a Table, or metadata only.
 */
import { apiVersionOf } from '../../api/gvk.js';
import type { JsonObject } from '../../api/json.js';
import { badRequest, notFound } from '../../api/status.js';
import type { ServerReply } from '../http/exchange.js';
import type { ResourceOutput } from '../http/negotiation.js';
import { sendObject } from '../http/respond.js';
import { asPartialObjectMetadata, asPartialObjectMetadataList } from '../partial-metadata.js';
import { labelsOf, metaString } from '../registry/object-meta.js';
import { parseListQuery } from './query.js';
import { sendTable } from './read.js';
import type { ResourceScope } from './scope.js';

const SELECTABLE_FIELDS: ReadonlySet<string> = new Set(['metadata.name', 'metadata.namespace']);

export function serveComputedGet(scope: ResourceScope, response: ServerReply, namespace: string, name: string, query: URLSearchParams, output: ResourceOutput): void {
  const object = computedObjects(scope, namespace === '' ? undefined : namespace).find((candidate) => metaString(candidate, 'name') === name);
  if (object === undefined) throw notFound(scope.store.groupResource, name);
  send(scope, response, { object }, output, query);
}

export function serveComputedList(scope: ResourceScope, response: ServerReply, namespace: string | undefined, query: URLSearchParams, output: ResourceOutput): void {
  const { labelSelector, fieldSelector } = parseListQuery(query);
  for (const requirement of fieldSelector.requirements) {
    if (!SELECTABLE_FIELDS.has(requirement.field)) throw badRequest(`field label not supported: ${requirement.field}`);
  }
  const items = computedObjects(scope, namespace).filter((object) => {
    const fields = { 'metadata.name': metaString(object, 'name'), 'metadata.namespace': metaString(object, 'namespace') };
    return labelSelector.matches(labelsOf(object)) && fieldSelector.matches(fields);
  });
  send(scope, response, { items }, output, query);
}

function computedObjects(scope: ResourceScope, namespace: string | undefined): readonly JsonObject[] {
  const compute = scope.definition.computed;
  if (compute === undefined) throw new Error(`${scope.definition.resource} is not a computed resource`);
  return compute(scope.lookup, namespace, scope.now());
}

/** What a get answers (one object) or a list does (its items, with an empty list metadata: one page, no resourceVersion). */
type Answer = { readonly object: JsonObject } | { readonly items: readonly JsonObject[] };

function send(scope: ResourceScope, response: ServerReply, answer: Answer, output: ResourceOutput, query: URLSearchParams): void {
  const { definition } = scope;
  switch (output.kind) {
    case 'metadata':
      sendObject(response, 200, 'object' in answer ? asPartialObjectMetadata(answer.object) : asPartialObjectMetadataList(answer.items, {}));
      return;
    case 'table':
      sendTable(scope, response, 'object' in answer ? [answer.object] : answer.items, output.version, query, {});
      return;
    case 'json':
    case 'yaml':
      sendObject(response, 200, 'object' in answer ? answer.object : { kind: definition.listKind, apiVersion: apiVersionOf(definition), metadata: {}, items: answer.items }, output.kind);
      return;
    default: {
      const never: never = output;
      throw new Error(`unknown output ${String(never)}`);
    }
  }
}

