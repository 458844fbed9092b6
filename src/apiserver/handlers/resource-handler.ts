/**
 * @module
 * Routes a resource request to its verb. The resource's definition decides its scope: a namespaced
 * kind is only reached through …/namespaces/<ns>/… (except cluster-wide list and watch), and a
 * cluster-scoped kind never through a namespace path — both are 404, never the other scope's object
 * (CVE-2019-11247). Subresources exist only where the definition declares them.
 */
import type { ServerRequest, ServerReply } from '../http/exchange.js';
import { StatusError } from '../../api/status.js';
import type { ResourceRequest } from '../http/request-info.js';
import { negotiateResourceOutput, type ResourceOutput } from '../http/negotiation.js';
import { serveComputedGet, serveComputedList } from './computed.js';
import { sendList, sendGet } from './read.js';
import { serveScale } from './scale.js';
import type { ResourceScope } from './scope.js';
import { serveWatch } from './watch.js';
import { type WriteAnswer, serveCreate, serveDelete, serveDeleteCollection, servePatch, serveUpdate } from './write.js';
import { aList, notAList } from '../partial-metadata.js';

/** Handlers of subresources with their own behaviour (pods/binding, pods/eviction, namespaces/finalize). */
export type SubresourceHandler = (
  scope: ResourceScope,
  request: ServerRequest,
  response: ServerReply,
  target: { readonly verb: string; readonly namespace: string; readonly name: string },
  query: URLSearchParams,
) => Promise<void>;

/** The 405 of a method a route does not have (go-restful's answer, as kube-apiserver sends it). */
function methodNotAllowed(): StatusError {
  return new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource', { details: {} });
}

/** The 404 kube-apiserver answers for a path it does not serve. */
export function notServed(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource', { details: {} });
}

export async function handleResourceRequest(
  scope: ResourceScope,
  info: ResourceRequest,
  request: ServerRequest,
  response: ServerReply,
  query: URLSearchParams,
  subresourceHandlers: Readonly<Record<string, SubresourceHandler>>,
): Promise<void> {
  const { definition } = scope;
  // The namespace of the request: from the path for namespaced kinds, none for cluster-scoped ones.
  if (!definition.namespaced && info.namespaced) throw notServed();
  const wholeCluster = definition.namespaced && !info.namespaced;
  if (wholeCluster && info.verb !== 'list' && info.verb !== 'watch') throw notServed();
  const namespace = definition.namespaced ? info.namespace : '';
  const output = negotiateResourceOutput(request.headers.accept);
  const subresource = info.subresource;
  if (definition.review !== undefined) {
    // kube-apiserver routes only POST to a review's collection: another method there is 405, and
    // every other path (a name, a subresource, the /watch/ prefix) matches no route, 404.
    if (info.name !== '' || subresource !== '' || info.watchPrefix === true) throw notServed();
    if (info.verb !== 'create') throw methodNotAllowed();
    return serveCreate(scope, request, response, namespace, query, writeAnswer(output, scope.definition.kind));
  }

  if (definition.computed !== undefined) {
    // Read only: get and list, as metrics-server serves its API; a watch or a write is 405.
    if (subresource !== '' || info.watchPrefix === true) throw notServed();
    if (info.verb === 'get') return serveComputedGet(scope, response, namespace, info.name, query, fitting(output, definition.kind));
    if (info.verb === 'list') return serveComputedList(scope, response, wholeCluster ? undefined : namespace, query, fitting(output, definition.listKind, true));
    throw methodNotAllowed();
  }

  if (subresource !== '') {
    if (info.name === '') throw notServed();
    const extra = subresourceHandlers[subresource];
    if (extra !== undefined && definition.extraSubresources?.includes(subresource)) {
      await extra(scope, request, response, { verb: info.verb, namespace, name: info.name }, query);
      return;
    }
    if (subresource === 'scale' && definition.scale !== undefined) {
      if (info.verb !== 'get' && info.verb !== 'update' && info.verb !== 'patch') throw notServed();
      await serveScale(scope, info.verb, request, response, { namespace, name: info.name }, query, writeAnswer(output, 'Scale'));
      return;
    }
    if (subresource !== 'status' || !definition.statusSubresource) throw notServed();
  }
  const target = { namespace, name: info.name, subresource: subresource === '' ? undefined : subresource };
  switch (info.verb) {
    case 'get':
      return sendGet(scope, response, namespace, info.name, query, fitting(output, definition.kind));
    case 'list':
      return sendList(scope, response, wholeCluster ? undefined : namespace, query, fitting(output, definition.listKind, true));
    case 'watch':
      return serveWatch(scope, request, response, wholeCluster ? undefined : namespace, withName(query, info.name), output);
    case 'create':
      if (subresource !== '') throw notServed();
      return serveCreate(scope, request, response, namespace, query, writeAnswer(output, scope.definition.kind));
    case 'update':
      return serveUpdate(scope, request, response, target, query, writeAnswer(output, scope.definition.kind));
    case 'patch':
      return servePatch(scope, request, response, target, query, writeAnswer(output, scope.definition.kind));
    case 'delete':
      if (subresource !== '') throw notServed();
      return serveDelete(scope, request, response, namespace, info.name, query, writeAnswer(output, scope.definition.kind));
    case 'deletecollection':
      return serveDeleteCollection(scope, request, response, wholeCluster ? undefined : namespace, query, writeAnswer(output, scope.definition.listKind, true));
    default: {
      const never: never = info.verb;
      throw new Error(`unknown verb ${String(never)}`);
    }
  }
}

/** Writes answer in JSON or YAML (a Table is only for reads). */
function jsonOrYaml(output: ResourceOutput): 'json' | 'yaml' {
  return output.kind === 'yaml' ? 'yaml' : 'json';
}

/**
 * `output`, when it fits an answer of one `kind` object or, when `list`, a list of `kind`. A
 * metadata form that does not fit (a list form for one object, or the reverse) is 406, in upstream's
 * words, before anything is done: for a write, upstream writes first and then fails its answer.
 * (A watch is not checked: upstream then sends the objects whole.)
 */
function fitting(output: ResourceOutput, kind: string, list = false): ResourceOutput {
  if (output.kind === 'metadata' && output.list !== list) throw list ? aList(kind) : notAList(kind);
  return output;
}

/** How a write (or a scale subresource's read) answers, with an object of `kind` or, when `list`, a list of them. */
function writeAnswer(output: ResourceOutput, kind: string, list = false): WriteAnswer {
  const fits = fitting(output, kind, list);
  return { encoding: jsonOrYaml(fits), metadataOnly: fits.kind === 'metadata' };
}

/** A watch of one named object (the /watch/ path form) is a watch with a metadata.name selector. */
function withName(query: URLSearchParams, name: string): URLSearchParams {
  if (name === '') return query;
  const copy = new URLSearchParams(query);
  const existing = copy.get('fieldSelector');
  copy.set('fieldSelector', existing === null || existing === '' ? `metadata.name=${name}` : `${existing},metadata.name=${name}`);
  return copy;
}
