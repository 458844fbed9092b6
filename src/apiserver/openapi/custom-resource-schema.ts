/**
 * @module
 * The OpenAPI schema published for a custom kind: the version's openAPIV3Schema as the CRD gives it,
 * with apiVersion and kind described, metadata pointing at ObjectMeta, and the kind's
 * x-kubernetes-group-version-kind — what apiextensions-apiserver's builder adds
 * (pkg/controller/openapi/builder/builder.go), and what `kubectl explain` finds a kind by. The rest
 * is published exactly as written: our schema language cannot express every JSON schema, and need
 * not, since nothing here interprets it.
 */
import { type JsonObject, cloneJson, isJsonObject } from '../../api/json.js';
import { OBJECT_META, typeMeta } from '../../api/schema/schema.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { type OpenApiVersion, refPath } from './schema-to-openapi.js';

const METADATA_DESCRIPTION =
  "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

export function customResourceSchema(resource: ResourceDefinition, schema: JsonObject, version: OpenApiVersion): JsonObject {
  const published = cloneJson(schema);
  const properties = isJsonObject(published.properties) ? published.properties : {};
  const types = typeMeta();
  properties.apiVersion = { description: types.apiVersion.description ?? '', type: 'string' };
  properties.kind = { description: types.kind.description ?? '', type: 'string' };
  properties.metadata =
    version === 'v3'
      ? { allOf: [{ $ref: refPath(OBJECT_META, version) }], description: METADATA_DESCRIPTION }
      : { $ref: refPath(OBJECT_META, version), description: METADATA_DESCRIPTION };
  published.properties = properties;
  if (published.type === undefined) published.type = 'object';
  published['x-kubernetes-group-version-kind'] = [{ group: resource.group, kind: resource.kind, version: resource.version }];
  return published;
}
