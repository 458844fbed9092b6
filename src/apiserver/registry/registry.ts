/**
 * @module
 * The resource registry: every resource the server serves, looked up by group, version and plural
 * (for routing) or by kind (for bodies), grouped by group-version (for discovery and OpenAPI). CRDs
 * add and remove definitions at run time; listeners hear about it so derived documents refresh.
 */
import type { GroupVersion } from '../../api/gvk.js';
import type { ResourceDefinition } from './resource-definition.js';
import { compareVersions } from './version-priority.js';

export class ResourceRegistry {
  private readonly byResource = new Map<string, ResourceDefinition>();
  private readonly listeners = new Set<() => void>();
  /** Groups in the order they were first registered (discovery lists them so). */
  private readonly groupOrder: string[] = [];

  constructor(definitions: Iterable<ResourceDefinition> = []) {
    for (const definition of definitions) this.add(definition);
  }

  add(definition: ResourceDefinition): void {
    const key = resourceKey(definition.group, definition.version, definition.resource);
    if (this.byResource.has(key)) throw new Error(`resource ${key} is registered twice`);
    this.byResource.set(key, definition);
    if (!this.groupOrder.includes(definition.group)) this.groupOrder.push(definition.group);
    this.changed();
  }

  remove(group: string, version: string, resource: string): void {
    if (this.byResource.delete(resourceKey(group, version, resource))) this.changed();
  }

  /** Called after every change; returns a function that unsubscribes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(group: string, version: string, resource: string): ResourceDefinition | undefined {
    return this.byResource.get(resourceKey(group, version, resource));
  }

  /** The definition serving `kind` in `group`/`version`. */
  byKind(group: string, version: string, kind: string): ResourceDefinition | undefined {
    for (const definition of this.byResource.values()) {
      if (definition.group === group && definition.version === version && definition.kind === kind) return definition;
    }
    return undefined;
  }

  all(): ResourceDefinition[] {
    return [...this.byResource.values()];
  }

  /**
   * Group-versions: groups in registration order, the core group ("") first; within a group, the
   * versions in Kubernetes' priority order (v1 before v1beta1), the preferred one first.
   */
  groupVersions(): GroupVersion[] {
    const result: GroupVersion[] = [];
    const groups = [...this.groupOrder].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : 0));
    for (const group of groups) {
      const versions = new Set<string>();
      for (const definition of this.byResource.values()) if (definition.group === group) versions.add(definition.version);
      for (const version of [...versions].sort(compareVersions)) result.push({ group, version });
    }
    return result;
  }

  /** The resources of one group-version, in registration order. */
  resourcesOf(gv: GroupVersion): ResourceDefinition[] {
    return this.all().filter((d) => d.group === gv.group && d.version === gv.version);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function resourceKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

/**
 * The storage key prefix of a resource: `/registry/<group>/<resource>/` (the core group as "core"),
 * so no resource's keys are a prefix of another's — or the prefix of the resource it is stored as.
 */
export function storagePrefix(definition: Pick<ResourceDefinition, 'group' | 'resource' | 'storedAs'>): string {
  const { group, resource } = definition.storedAs ?? definition;
  return `/registry/${group === '' ? 'core' : group}/${resource}/`;
}

/** The storage key of one object. */
export function storageKey(
  definition: Pick<ResourceDefinition, 'group' | 'resource' | 'namespaced' | 'storedAs'>,
  namespace: string,
  name: string,
): string {
  return definition.namespaced ? `${storagePrefix(definition)}${namespace}/${name}` : `${storagePrefix(definition)}${name}`;
}
