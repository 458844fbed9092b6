/**
 * @module
 * What a resource handler works with: the resource's definition and store, the schemas, the clock,
 * and helpers every verb shares — the filter a request's selectors make, and the list envelope.
 */
import type { FieldSelector } from '../../api/fields.js';
import { apiVersionOf } from '../../api/gvk.js';
import type { LabelSelector } from '../../api/labels.js';
import { badRequest } from '../../api/status.js';
import type { SchemaSet } from '../../api/schema/schema-set.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { ResourceDefinition, StoreLookup } from '../registry/resource-definition.js';
import type { ObjectFilter } from '../watch-cache/cache-event.js';
import type { CachedObject } from '../watch-cache/cached-object.js';

export interface ResourceScope {
  readonly definition: ResourceDefinition;
  readonly store: GenericStore;
  readonly schemas: SchemaSet;
  readonly now: () => number;
  readonly random: () => number;
  /** Watches without timeoutSeconds end after a random time in [min, 2·min) (--min-request-timeout). */
  readonly minRequestTimeoutSeconds: number;
  /** The other resources' stores (pods/eviction reads PodDisruptionBudgets). */
  readonly lookup: StoreLookup;
}

/**
 * The filter of a list or watch: the namespace of the path (if any) and the selectors. A field
 * selector on a field the kind does not offer is a 400, as upstream ("field label not supported").
 */
export function objectFilter(
  scope: ResourceScope,
  namespace: string | undefined,
  labels: LabelSelector,
  fields: FieldSelector,
): ObjectFilter {
  for (const requirement of fields.requirements) {
    if (!supportsField(scope.definition, requirement.field)) {
      throw badRequest(`field label not supported: ${requirement.field}`);
    }
  }
  const filtered = !labels.empty || !fields.empty;
  return {
    ...(namespace === undefined ? {} : { namespace }),
    ...(filtered
      ? {
          matches: (object: CachedObject) => labels.matches(object.labels) && fields.matches(object.fields),
        }
      : {}),
  };
}

/**
 * Built-in kinds whose field label conversion (pkg/apis/core/v1/conversion.go) names
 * metadata.name but not metadata.namespace, as `group/version/resource`. Every other built-in kind
 * uses runtime.DefaultMetaV1FieldSelectorConversion, which accepts both, cluster-scoped or not.
 */
const NAMESPACE_FIELD_REFUSED: ReadonlySet<string> = new Set(['/v1/nodes', '/v1/namespaces']);

/**
 * Whether `field` can be selected on. metadata.name always can. metadata.namespace can, except on
 * cluster-scoped custom resources (apiextensions-apiserver's crConverter.ConvertFieldLabel:
 * `!c.clusterScoped && label == "metadata.namespace"`) and on Nodes and Namespaces, whose
 * conversions leave it out. The rest are whatever the kind's selectableFields hook returns for an
 * empty object's keys — kinds declare them by returning every key, with empty values for missing
 * fields.
 */
function supportsField(definition: ResourceDefinition, field: string): boolean {
  if (field === 'metadata.name') return true;
  if (field === 'metadata.namespace') {
    if (definition.custom !== undefined) return definition.namespaced;
    return !NAMESPACE_FIELD_REFUSED.has(`${definition.group}/${definition.version}/${definition.resource}`);
  }
  const fields = definition.strategy.selectableFields?.({}) ?? {};
  return Object.hasOwn(fields, field);
}

/** The JSON of a list whose items are already serialized. */
export function listJson(
  definition: ResourceDefinition,
  items: readonly CachedObject[],
  metadata: { readonly resourceVersion: string; readonly continue?: string; readonly remainingItemCount?: number },
): string {
  return `{"kind":${JSON.stringify(definition.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(definition))},"metadata":${JSON.stringify(
    metadata,
  )},"items":[${items.map((item) => item.json).join(',')}]}`;
}
