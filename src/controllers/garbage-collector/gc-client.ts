/**
 * @module
 * What the garbage collector writes and reads live, as a narrow interface (the collector's
 * "operations.go": getObject, deleteObject, patch, removeFinalizer over the metadata client), with
 * the implementation over {@link KubeClient}: kinds are mapped to resources through discovery (the
 * RESTMapper rediscovers on a miss, so a CRD installed later is found). Tests use a recording fake.
 *
 * Writes carry the object's uid (and, where it guards a read-modify-write, its resourceVersion) as
 * preconditions, so the collector never acts on a recreated object of the same name.
 */
import { isConflict, isNotFound } from '../../client/errors.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, KubeObject, OwnerReference } from '../../client/object.js';
import type { DeleteOptions, ResourceClient } from '../../client/resource-client.js';
import type { ObjectIdentity } from './graph.js';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface GcClient {
  /** Whether the resource serving `kind` in `apiVersion` is namespaced; throws when no resource serves it. */
  isNamespaced(apiVersion: string, kind: string): Promise<boolean>;
  /** The live object, or undefined when the server says 404. */
  getObject(identity: ObjectIdentity): Promise<DeepReadonly<KubeObject> | undefined>;
  /** Deletes with the given policy and preconditions; NotFound and Conflict errors reach the caller. */
  deleteObject(identity: ObjectIdentity, options: { readonly propagationPolicy: PropagationPolicy; readonly preconditions: { readonly uid: string; readonly resourceVersion?: string } }): Promise<void>;
  /** A JSON merge patch of the object; NotFound and Conflict errors reach the caller. */
  patchObject(identity: ObjectIdentity, patch: Readonly<Record<string, unknown>>): Promise<void>;
}

/** Tries `write` a few times while it fails with Conflict (client-go retry.RetryOnConflict). */
export async function retryOnConflict<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isConflict(error) || attempt >= attempts) throw error;
    }
  }
}

/**
 * Removes the ownerReferences with these uids from the object, reading it first and writing with
 * its resourceVersion (deleteOwnerRefJSONMergePatch). A missing object or reference is no error.
 */
export async function removeOwnerReferences(client: GcClient, identity: ObjectIdentity, ownerUids: readonly string[]): Promise<void> {
  await retryOnConflict(async () => {
    const latest = await client.getObject(identity);
    if (latest === undefined || latest.metadata?.uid !== identity.uid) return;
    const references = latest.metadata.ownerReferences ?? [];
    const kept = references.filter((r) => !ownerUids.includes(r.uid));
    if (kept.length === references.length) return;
    await ignoreNotFound(
      client.patchObject(identity, {
        metadata: { uid: identity.uid, resourceVersion: latest.metadata.resourceVersion, ownerReferences: kept.length === 0 ? null : kept },
      }),
    );
  });
}

/** Sets blockOwnerDeletion=false on every ownerReference (unblockOwnerReferences, to break cycles). */
export async function unblockOwnerReferences(client: GcClient, identity: ObjectIdentity): Promise<void> {
  await retryOnConflict(async () => {
    const latest = await client.getObject(identity);
    if (latest === undefined || latest.metadata?.uid !== identity.uid) return;
    const references = latest.metadata.ownerReferences ?? [];
    if (!references.some((r) => r.blockOwnerDeletion === true)) return;
    const unblocked: OwnerReference[] = references.map((r) => ({ ...r, ...(r.blockOwnerDeletion === true ? { blockOwnerDeletion: false } : {}) }));
    await ignoreNotFound(client.patchObject(identity, { metadata: { uid: identity.uid, resourceVersion: latest.metadata.resourceVersion, ownerReferences: unblocked } }));
  });
}

/** Removes `finalizer` from the object (garbagecollector.go removeFinalizer); gone is fine. */
export async function removeObjectFinalizer(client: GcClient, identity: ObjectIdentity, finalizer: string): Promise<void> {
  await retryOnConflict(async () => {
    const latest = await client.getObject(identity);
    if (latest === undefined || latest.metadata?.uid !== identity.uid) return;
    const finalizers = latest.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return;
    const kept = finalizers.filter((f) => f !== finalizer);
    await ignoreNotFound(client.patchObject(identity, { metadata: { uid: identity.uid, resourceVersion: latest.metadata.resourceVersion, finalizers: kept.length === 0 ? null : kept } }));
  });
}

async function ignoreNotFound(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** {@link GcClient} over a KubeClient. */
export class KubeGcClient implements GcClient {
  constructor(private readonly client: KubeClient) {}

  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.client.mapper.mappingFor(apiVersion, kind)).namespaced;
  }

  async getObject(identity: ObjectIdentity): Promise<DeepReadonly<KubeObject> | undefined> {
    try {
      return await (await this.resourceFor(identity)).get(identity.name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async deleteObject(identity: ObjectIdentity, options: { readonly propagationPolicy: PropagationPolicy; readonly preconditions: { readonly uid: string; readonly resourceVersion?: string } }): Promise<void> {
    const deleteOptions: DeleteOptions = { propagationPolicy: options.propagationPolicy, preconditions: options.preconditions };
    await (await this.resourceFor(identity)).delete(identity.name, deleteOptions);
  }

  async patchObject(identity: ObjectIdentity, patch: Readonly<Record<string, unknown>>): Promise<void> {
    await (await this.resourceFor(identity)).patch(identity.name, patch, 'merge');
  }

  private async resourceFor(identity: ObjectIdentity): Promise<ResourceClient> {
    const ref = await this.client.mapper.mappingFor(identity.apiVersion, identity.kind);
    const resource = this.client.resource(ref);
    return ref.namespaced && identity.namespace !== '' ? resource.namespace(identity.namespace) : resource;
  }
}
