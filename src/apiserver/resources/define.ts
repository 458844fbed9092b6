/**
 * @module
 * A compact way to declare a built-in resource: the names and flags that differ, with Kubernetes'
 * usual defaults for the rest (singular = kind in lower case, list kind = kind + "List", strategic
 * merge patch on, no status subresource, no generation).
 */
import type { ResourceDefinition } from '../registry/resource-definition.js';

type Required = Pick<ResourceDefinition, 'group' | 'version' | 'kind' | 'resource' | 'namespaced' | 'schema'>;

export function defineResource(definition: Required & Partial<ResourceDefinition>): ResourceDefinition {
  return {
    singular: definition.kind.toLowerCase(),
    listKind: `${definition.kind}List`,
    shortNames: [],
    categories: [],
    statusSubresource: false,
    tracksGeneration: false,
    strategicMergePatch: true,
    strategy: {},
    ...definition,
  };
}
