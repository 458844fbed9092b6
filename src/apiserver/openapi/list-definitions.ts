/**
 * @module
 * The List kind of every resource (DeploymentList, PodList, …), generated rather than written: its
 * schema is always apiVersion, kind, list metadata and items of the kind.
 */
import { type Definition, s, typeMeta } from '../../api/schema/schema.js';
import type { ResourceDefinition } from '../registry/resource-definition.js';

/** io.k8s.api.apps.v1.Deployment → io.k8s.api.apps.v1.DeploymentList. */
export function listDefinition(resource: ResourceDefinition): Definition {
  const prefix = resource.schema.slice(0, resource.schema.lastIndexOf('.') + 1);
  return {
    name: `${prefix}${resource.listKind}`,
    schema: s.object(
      `A list of ${resource.kind} objects.`,
      {
        ...typeMeta(),
        metadata: s.listMeta(),
        items: s.array(`The ${resource.kind} objects.`, s.ref(resource.schema, undefined, { default: {} })),
      },
      { required: ['items'] },
    ),
    gvk: [{ group: resource.group, version: resource.version, kind: resource.listKind }],
  };
}
