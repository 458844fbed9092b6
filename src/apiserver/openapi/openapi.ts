/**
 * @module
 * OpenAPI, derived from the registry and the schemas: `/openapi/v3` lists one document per
 * group-version, each with the resource paths and operations (x-kubernetes-action and
 * x-kubernetes-group-version-kind, the fieldValidation parameter, and PATCH bodies offering strategic
 * merge patch only for built-in kinds) and the component schemas they reach; `/openapi/v2` is one
 * Swagger 2.0 document as JSON. kubectl reads v3 to decide that the server validates fields
 * (cli-runtime query_param_verifier_v3.go), to pick the patch type of `kubectl apply`, and for
 * `kubectl explain`. A custom kind's schema is its CRD's openAPIV3Schema (custom-resource-schema.ts).
 */
import { createHash } from 'node:crypto';
import { type GroupVersion, groupVersionPath } from '../../api/gvk.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { type Definition, OBJECT_META } from '../../api/schema/schema.js';
import type { SchemaSet } from '../../api/schema/schema-set.js';
import type { ResourceRegistry } from '../registry/registry.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { customResourceSchema } from './custom-resource-schema.js';
import { listDefinition } from './list-definitions.js';
import { type OpenApiVersion, INT_OR_STRING, definitionToOpenApi, intOrStringSchema, referencedNames, refPath } from './schema-to-openapi.js';

const INFO = { title: 'Kubernetes', version: 'v1.32.0' };
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

export class OpenApi {
  private v3Documents = new Map<string, { readonly json: string; readonly hash: string }>();
  private v2Document: string | undefined;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly schemas: () => SchemaSet,
  ) {
    registry.onChange(() => {
      this.v3Documents = new Map();
      this.v2Document = undefined;
    });
  }

  /** GET /openapi/v3: where each group-version's document is. */
  v3Index(): JsonObject {
    const paths: JsonObject = {};
    for (const gv of this.registry.groupVersions()) {
      const key = groupVersionKey(gv);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${this.v3Document(gv).hash}` };
    }
    return { paths };
  }

  /** The v3 document of a group-version path such as "api/v1" or "apis/apps/v1"; undefined if none. */
  v3(key: string): { readonly json: string; readonly hash: string } | undefined {
    const gv = this.registry.groupVersions().find((candidate) => groupVersionKey(candidate) === key);
    return gv === undefined ? undefined : this.v3Document(gv);
  }

  /** GET /openapi/v2: every resource in one Swagger 2.0 document. */
  v2(): string {
    this.v2Document ??= JSON.stringify(this.build(this.registry.all(), 'v2'));
    return this.v2Document;
  }

  private v3Document(gv: GroupVersion): { readonly json: string; readonly hash: string } {
    const key = groupVersionKey(gv);
    let document = this.v3Documents.get(key);
    if (document === undefined) {
      const json = JSON.stringify(this.build(this.registry.resourcesOf(gv), 'v3'));
      document = { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase().slice(0, 128) };
      this.v3Documents.set(key, document);
    }
    return document;
  }

  private build(resources: readonly ResourceDefinition[], version: OpenApiVersion): JsonObject {
    const schemas = this.schemas();
    const extra = new Map<string, Definition>();
    const paths: JsonObject = {};
    const roots = new Set<string>([STATUS, DELETE_OPTIONS]);
    /** Custom kinds, by schema name: their schemas come from their CRDs, not from the schema set. */
    const custom = new Map<string, ResourceDefinition>();
    for (const resource of resources) {
      if (resource.review !== undefined) {
        // A review has no list: only its kind, and only the POST.
        roots.add(resource.schema);
        Object.assign(paths, resourcePaths(resource, undefined, version));
        continue;
      }
      const list = listDefinition(resource);
      extra.set(list.name, list);
      roots.add(resource.schema).add(list.name);
      if (resource.custom !== undefined) {
        custom.set(resource.schema, resource);
        roots.add(OBJECT_META);
      }
      if (resource.scale !== undefined) roots.add(SCALE);
      Object.assign(paths, resourcePaths(resource, list.name, version));
    }
    const components: JsonObject = {};
    for (const name of reachable(roots, (name) => extra.get(name) ?? schemas.get(name))) {
      const own = custom.get(name);
      if (own?.custom !== undefined) {
        components[name] = customResourceSchema(own, own.custom.openAPIV3Schema, version);
        continue;
      }
      const definition = extra.get(name) ?? schemas.get(name);
      if (definition !== undefined) components[name] = definitionToOpenApi(definition, version);
    }
    components[INT_OR_STRING] = intOrStringSchema();
    components[PATCH] = { description: 'A patch, in one of the patch formats the operation accepts.', type: 'object' };
    if (version === 'v3') {
      return { openapi: '3.0.0', info: INFO, paths, components: { schemas: components } };
    }
    return { swagger: '2.0', info: INFO, paths, definitions: components };
  }
}

/** "api/v1" or "apis/apps/v1". */
function groupVersionKey(gv: GroupVersion): string {
  return groupVersionPath(gv).slice(1);
}

/** Every definition name reachable from `roots`. */
function reachable(roots: Iterable<string>, lookup: (name: string) => Definition | undefined): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const definition = lookup(name);
    if (definition !== undefined) stack.push(...referencedNames(definition.schema));
  }
  return [...seen].sort();
}

/** The operation ids' group part: "" → Core, "coordination.k8s.io" → Coordination, "apps" → Apps. */
function groupWord(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The paths of a kind; a review (no `listName`) has only the POST to its collection. */
function resourcePaths(resource: ResourceDefinition, listName: string | undefined, version: OpenApiVersion): JsonObject {
  const base = groupVersionPath(resource);
  const gvk = { group: resource.group, kind: resource.kind, version: resource.version };
  const word = `${groupWord(resource.group)}${resource.version.charAt(0).toUpperCase()}${resource.version.slice(1)}`;
  const scoped = resource.namespaced ? 'Namespaced' : '';
  const collection = resource.namespaced ? `${base}/namespaces/{namespace}/${resource.resource}` : `${base}/${resource.resource}`;
  const item = `${collection}/{name}`;
  const ops = new Operations(version, gvk, [groupVersionKey(resource).replace(/\//g, '_')]);
  const create = ops.op('post', `create${word}${scoped}${resource.kind}`, resource.schema, WRITE_PARAMETERS, ops.body(resource.schema));
  const collectionParameters = resource.namespaced ? [NAMESPACE_PARAMETER] : [];
  if (listName === undefined) return { [collection]: { post: create, parameters: collectionParameters } };
  const paths: JsonObject = {
    [collection]: {
      get: ops.op('list', `list${word}${scoped}${resource.kind}`, listName, LIST_PARAMETERS),
      post: create,
      delete: ops.op('deletecollection', `deletecollection${word}${scoped}${resource.kind}`, STATUS, [...LIST_PARAMETERS, ...DELETE_PARAMETERS], ops.body(DELETE_OPTIONS, false)),
      parameters: collectionParameters,
    },
    [item]: {
      get: ops.op('get', `read${word}${scoped}${resource.kind}`, resource.schema, []),
      put: ops.op('put', `replace${word}${scoped}${resource.kind}`, resource.schema, WRITE_PARAMETERS, ops.body(resource.schema)),
      patch: ops.op('patch', `patch${word}${scoped}${resource.kind}`, resource.schema, [...WRITE_PARAMETERS, FORCE_PARAMETER], ops.patchBody(resource.strategicMergePatch)),
      delete: ops.op('delete', `delete${word}${scoped}${resource.kind}`, resource.schema, DELETE_PARAMETERS, ops.body(DELETE_OPTIONS, false)),
      parameters: [NAME_PARAMETER, ...(resource.namespaced ? [NAMESPACE_PARAMETER] : [])],
    },
  };
  if (resource.namespaced) {
    paths[`${base}/${resource.resource}`] = { get: ops.op('list', `list${word}${resource.kind}ForAllNamespaces`, listName, LIST_PARAMETERS) };
  }
  const subresources: [string, string][] = [];
  if (resource.statusSubresource) subresources.push(['status', resource.schema]);
  if (resource.scale !== undefined) subresources.push(['scale', SCALE]);
  for (const [subresource, schema] of subresources) {
    const suffix = subresource.charAt(0).toUpperCase() + subresource.slice(1);
    const subOps = new Operations(version, subresource === 'scale' ? { group: 'autoscaling', kind: 'Scale', version: 'v1' } : gvk, ops.tags);
    paths[`${item}/${subresource}`] = {
      get: subOps.op('get', `read${word}${scoped}${resource.kind}${suffix}`, schema, []),
      put: subOps.op('put', `replace${word}${scoped}${resource.kind}${suffix}`, schema, WRITE_PARAMETERS, subOps.body(schema)),
      patch: subOps.op('patch', `patch${word}${scoped}${resource.kind}${suffix}`, schema, [...WRITE_PARAMETERS, FORCE_PARAMETER], subOps.patchBody(resource.strategicMergePatch)),
      parameters: [NAME_PARAMETER, ...(resource.namespaced ? [NAMESPACE_PARAMETER] : [])],
    };
  }
  return resource.computed === undefined ? paths : readsOnly(paths);
}

/** The paths with their GET operations only: a computed resource (metrics) is read, never written. */
function readsOnly(paths: JsonObject): JsonObject {
  const reads: JsonObject = {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isJsonObject(item) || item.get === undefined) continue;
    reads[path] = { get: item.get, ...(item.parameters === undefined ? {} : { parameters: item.parameters }) };
  }
  return reads;
}

/** Builds operations for one kind in one OpenAPI version. */
class Operations {
  constructor(
    private readonly version: OpenApiVersion,
    private readonly gvk: JsonObject,
    readonly tags: readonly string[],
  ) {}

  op(action: string, operationId: string, responseSchema: string, parameters: readonly JsonObject[], body?: JsonObject): JsonObject {
    const response =
      this.version === 'v3'
        ? { description: 'OK', content: { 'application/json': { schema: { $ref: refPath(responseSchema, 'v3') } } } }
        : { description: 'OK', schema: { $ref: refPath(responseSchema, 'v2') } };
    const operation: JsonObject = {
      tags: [...this.tags],
      operationId,
      parameters: this.parameters(parameters, body),
      responses: { '200': response, '401': { description: 'Unauthorized' } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': this.gvk,
    };
    if (this.version === 'v3' && body !== undefined) operation.requestBody = body;
    if (this.version === 'v2') {
      operation.consumes = body === undefined ? ['*/*'] : Object.keys((body.content as JsonObject | undefined) ?? { 'application/json': {} });
      operation.produces = ['application/json', 'application/yaml'];
    }
    return operation;
  }

  body(schema: string, required = true): JsonObject {
    return { content: { 'application/json': { schema: { $ref: refPath(schema, this.version) } } }, required };
  }

  /** PATCH bodies: JSON patch, merge patch, apply, and strategic merge patch for built-in kinds. */
  patchBody(strategic: boolean): JsonObject {
    const schema = { $ref: refPath(PATCH, this.version) };
    const content: JsonObject = {
      'application/apply-patch+yaml': { schema },
      'application/json-patch+json': { schema },
      'application/merge-patch+json': { schema },
    };
    if (strategic) content['application/strategic-merge-patch+json'] = { schema };
    return { content, required: true };
  }

  /** v2 has no requestBody: the body is a parameter. */
  private parameters(parameters: readonly JsonObject[], body: JsonObject | undefined): JsonValue[] {
    const converted = parameters.map((p) => (this.version === 'v3' ? p : v2Parameter(p)));
    if (this.version === 'v2' && body !== undefined) {
      const content = body.content as JsonObject;
      const first = Object.values(content)[0] as JsonObject;
      converted.push({ name: 'body', in: 'body', required: body.required === true, schema: first.schema as JsonValue });
    }
    return converted;
  }
}

/** v2 parameters carry their type beside them rather than in a schema. */
function v2Parameter(parameter: JsonObject): JsonObject {
  const { schema, ...rest } = parameter;
  return { ...rest, ...(typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? schema : {}) };
}

function query(name: string, type: 'string' | 'integer' | 'boolean', description: string): JsonObject {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const NAME_PARAMETER: JsonObject = { name: 'name', in: 'path', required: true, description: 'name of the object', schema: { type: 'string', uniqueItems: true } };
const NAMESPACE_PARAMETER: JsonObject = {
  name: 'namespace',
  in: 'path',
  required: true,
  description: 'object name and auth scope, such as for teams and projects',
  schema: { type: 'string', uniqueItems: true },
};
const WRITE_PARAMETERS: readonly JsonObject[] = [
  query('dryRun', 'string', 'When present, indicates that modifications should not be persisted. The only valid value is All.'),
  query('fieldManager', 'string', 'A name associated with the actor or entity that is making these changes.'),
  query(
    'fieldValidation',
    'string',
    'How the server treats unknown and duplicate fields in the body: Ignore drops them, Warn (the default) drops them with a warning, Strict fails the request.',
  ),
];
const FORCE_PARAMETER = query('force', 'boolean', 'Force is going to "force" Apply requests. It must be unset for non-apply patch requests.');
const LIST_PARAMETERS: readonly JsonObject[] = [
  query('allowWatchBookmarks', 'boolean', 'Request watch events with type "BOOKMARK".'),
  query('continue', 'string', 'The continue token from a previous list, to get the next page.'),
  query('fieldSelector', 'string', 'A selector to restrict the returned objects by their fields.'),
  query('labelSelector', 'string', 'A selector to restrict the returned objects by their labels.'),
  query('limit', 'integer', 'The maximum number of responses to return for a list call.'),
  query('resourceVersion', 'string', 'Constrains which resource versions the request may be served from.'),
  query('resourceVersionMatch', 'string', 'How resourceVersion is applied: Exact or NotOlderThan.'),
  query('sendInitialEvents', 'boolean', 'Begin a watch with synthetic events for the current state, then a bookmark.'),
  query('timeoutSeconds', 'integer', 'Timeout for the list or watch call.'),
  query('watch', 'boolean', 'Watch for changes and return them as a stream of add, update and remove notifications.'),
];
const DELETE_PARAMETERS: readonly JsonObject[] = [
  query('dryRun', 'string', 'When present, indicates that modifications should not be persisted. The only valid value is All.'),
  query('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  query('propagationPolicy', 'string', 'Whether and how garbage collection will be performed: Orphan, Background or Foreground.'),
];


