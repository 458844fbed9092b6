/**
 * @module
 * What a request asks for, read off its method and path as kube-apiserver's RequestInfoFactory does
 * (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): API prefix, group, version,
 * namespace, resource, name, subresource and the verb (get, list, watch, create, update, patch,
 * delete, deletecollection). Paths outside /api and /apis are non-resource requests.
 */
import { badRequest } from '../../api/status.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  readonly kind: 'resource';
  readonly verb: Verb;
  readonly group: string;
  readonly version: string;
  /** The namespace from the path; '' when the path has none (cluster-scoped, or all namespaces). */
  readonly namespace: string;
  /** Whether the path named a namespace (…/namespaces/<ns>/<resource>). */
  readonly namespaced: boolean;
  readonly resource: string;
  readonly name: string;
  readonly subresource: string;
  /** Set when the path has the deprecated /watch/ prefix. */
  readonly watchPrefix?: true;
}

export interface NonResourceRequest {
  readonly kind: 'nonResource';
  readonly path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

/** Subresources of a namespace that are not a resource inside it. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = splitPath(path);
  const prefix = parts[0];
  if (parts.length < 3 || (prefix !== 'api' && prefix !== 'apis')) return { kind: 'nonResource', path };
  let rest = parts.slice(1);
  let group = '';
  if (prefix === 'apis') {
    if (rest.length < 3) return { kind: 'nonResource', path };
    group = rest[0] as string;
    rest = rest.slice(1);
  }
  const version = rest[0] as string;
  rest = rest.slice(1);
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    // The deprecated /watch/ path prefix.
    watchPrefix = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0) throw badRequest(`unable to determine kind and namespace from url, ${path}`);
  let namespace = '';
  let namespaced = false;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1] as string;
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) {
      rest = rest.slice(2);
      namespaced = true;
    }
  }
  const [resource = '', name = '', subresource = '', ...extra] = rest;
  if (extra.length > 0) throw badRequest(`unable to determine kind and namespace from url, ${path}`);
  for (const [what, value] of [['name', name], ['namespace', namespace]] as const) {
    const problem = pathSegmentProblem(value);
    if (problem !== undefined) throw badRequest(`${what} ${problem}`);
  }
  return {
    kind: 'resource',
    verb: verbOf(method, name, watchPrefix || (name === '' && isWatch(query))),
    group,
    version,
    namespace,
    namespaced,
    resource,
    name,
    subresource,
    ...(watchPrefix ? { watchPrefix: true } : {}),
  };
}

/** apimachinery path/name.go IsValidPathSegmentName: "." and ".." and names with "/" or "%" cannot be used. */
function pathSegmentProblem(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (value.includes('%')) return "may not contain '%'";
  return undefined;
}

function verbOf(method: string, name: string, watch: boolean): Verb {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return name === '' ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name === '' ? 'deletecollection' : 'delete';
    default:
      throw badRequest(`unsupported method ${method}`);
  }
}

function isWatch(query: URLSearchParams): boolean {
  const value = query.get('watch');
  return value !== null && value !== 'false' && value !== '0';
}

/**
 * The path's segments, each percent-decoded on its own. A segment that decodes to contain "/" is
 * refused rather than re-split, so an encoded slash can never reach another object.
 */
function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      if (!segment.includes('%')) return segment;
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw badRequest(`invalid URL escape in path segment ${JSON.stringify(segment)}`);
      }
      if (decoded.includes('/')) throw badRequest(`path segment ${JSON.stringify(segment)} may not contain an encoded "/"`);
      return decoded;
    });
}
