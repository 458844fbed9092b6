/**
 * @module
 * The default class of a kind of classes (IngressClasses, StorageClasses): the one annotated as the
 * default, the newest when several are, ties broken by name — as upstream's admission plugins pick
 * it (plugin/pkg/admission/network/defaultingressclass, pkg/volume/util/storageclass.go
 * GetDefaultClass).
 */
import { type JsonObject, getObject } from '../../api/json.js';
import { text } from '../../api/json-values.js';
import type { StoreLookup } from '../registry/resource-definition.js';
import { nameOf } from './configmaps.js';

/** The cluster-scoped resource of the classes, and what makes one the default. */
export interface ClassResource {
  readonly group: string;
  readonly resource: string;
  isDefault(annotations: JsonObject): boolean;
}

/** The name of the default class, or undefined when none is marked so. */
export async function defaultClassName(lookup: StoreLookup, classes: ClassResource): Promise<string | undefined> {
  const store = lookup(classes.group, 'v1', classes.resource);
  if (store === undefined) return undefined;
  // A class created just before (in the same `kubectl apply`) must be seen: read after the cache caught up.
  await store.cache.consistentRevision();
  const defaults = store.cache
    .listPage(store.key('', ''), {}, 0)
    .items.map((item) => item.object)
    .filter((candidate) => classes.isDefault(getObject(getObject(candidate, 'metadata') ?? {}, 'annotations') ?? {}));
  const created = (candidate: JsonObject): number => Date.parse(text(getObject(candidate, 'metadata')?.creationTimestamp)) || 0;
  defaults.sort((a, b) => created(b) - created(a) || (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
  return defaults[0] === undefined ? undefined : nameOf(defaults[0]);
}
