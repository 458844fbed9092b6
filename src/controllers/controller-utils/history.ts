/**
 * @module
 * ControllerRevisions: the template history of DaemonSets and StatefulSets, which `kubectl rollout
 * history` lists and `kubectl rollout undo` applies (upstream pkg/controller/history/
 * controller_history.go; the patch each revision holds is daemon/update.go and
 * statefulset/stateful_set_utils.go getPatch).
 *
 * A revision's data is a strategic merge patch that replaces the owner's pod template:
 * `{"spec":{"template":{…,"$patch":"replace"}}}`. kubectl rolls back by sending exactly that patch.
 * The revision's name is `<owner>-<hash>`, the hash (FNV-1 of the data, then the collisionCount)
 * also being its `controller-revision-hash` label. Upstream hashes the JSON bytes Go printed, with
 * keys sorted; ours hashes {@link canonicalJson}, so names differ from Kubernetes' for the same
 * template (see hash.ts).
 */
import { isJsonObject } from '../../api/json.js';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { isAlreadyExists, isConflict } from '../../client/errors.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';
import type { ResourceClient } from '../../client/resource-client.js';
import { canonicalJson, fnv32, safeEncodeString } from './hash.js';
import { newControllerRef, type ControllerKind } from './owner-refs.js';

type ControllerRevision = appsV1.ControllerRevision;

/** The label naming a revision's hash, on revisions and on the pods made from them (apps/v1 ControllerRevisionHashLabelKey). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** Longest owner name kept in a revision's name (ControllerRevisionName). */
const MAX_PREFIX = 223;

/** What the history helpers write with: ControllerRevisions, in any namespace (patch adopts orphans). */
export type ControllerRevisionClient = Pick<ResourceClient<ControllerRevision>, 'create' | 'get' | 'update' | 'delete' | 'patch'> & {
  namespace(namespace: string): Pick<ResourceClient<ControllerRevision>, 'create' | 'get' | 'update' | 'delete' | 'patch'>;
};

/**
 * The data of a revision of `template`: the patch that puts it back (getPatch). Keys are sorted, as
 * Go marshals the map upstream builds; nothing is dropped, since an empty selector or volume source
 * means something (hashes and comparisons use canonicalJson, which does drop them).
 */
export function templatePatch(template: DeepReadonly<coreV1.PodTemplateSpec>): Record<string, unknown> {
  return { spec: { template: sortKeys({ ...template, $patch: 'replace' }) } };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) out[key] = sortKeys(entry);
  }
  return out;
}

/**
 * The pod template a revision holds (what ApplyRevision puts in the owner), or undefined if its data
 * holds none: revisions can be written by anyone, so the shape is checked (a template object whose
 * metadata, if any, is an object and whose spec, if any, has a list of containers).
 */
export function revisionTemplate(revision: DeepReadonly<ControllerRevision>): coreV1.PodTemplateSpec | undefined {
  const spec = isJsonObject(revision.data) ? revision.data.spec : undefined;
  const template = isJsonObject(spec) ? spec.template : undefined;
  if (!isJsonObject(template)) return undefined;
  if (template.metadata !== undefined && !isJsonObject(template.metadata)) return undefined;
  if (template.spec !== undefined && !(isJsonObject(template.spec) && Array.isArray(template.spec.containers))) return undefined;
  const { $patch: _directive, ...rest } = template;
  return structuredClone(rest) as coreV1.PodTemplateSpec;
}

/** HashControllerRevision: FNV-1 of the data, then the probe's decimal digits, safe-encoded. */
export function hashControllerRevision(data: unknown, probe?: number): string {
  const encoder = new TextEncoder();
  let hash = fnv32(encoder.encode(canonicalJson(data)));
  if (probe !== undefined) hash = fnv32(encoder.encode(String(probe)), hash);
  return safeEncodeString(String(hash));
}

/** `<prefix>-<hash>`, the prefix cut to 223 characters (ControllerRevisionName). */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > MAX_PREFIX ? prefix.slice(0, MAX_PREFIX) : prefix}-${hash}`;
}

/**
 * NewControllerRevision: a revision of `parent` holding `data`, labelled with the template's labels
 * and its hash, controlled by `parent`, named by the hash with `collisionCount`.
 */
export function newControllerRevision(
  parent: DeepReadonly<KubeObject>,
  parentKind: ControllerKind,
  templateLabels: DeepReadonly<Record<string, string>> | undefined,
  data: Record<string, unknown>,
  revision: number,
  collisionCount: number | undefined,
): ControllerRevision {
  const hash = hashControllerRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parent.metadata?.name ?? '', hash),
      namespace: parent.metadata?.namespace ?? '',
      labels: { ...templateLabels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [newControllerRef(parent, parentKind)],
    },
    data,
    revision,
  };
}

/** EqualRevision: the same data (the hash labels, being safe-encoded, are not numbers to compare). */
export function equalRevision(a: DeepReadonly<ControllerRevision>, b: DeepReadonly<ControllerRevision>): boolean {
  return canonicalJson(a.data) === canonicalJson(b.data);
}

/** The revisions holding the same data as `needle`, in the order given (FindEqualRevisions). */
export function findEqualRevisions<R extends DeepReadonly<ControllerRevision>>(revisions: readonly R[], needle: DeepReadonly<ControllerRevision>): R[] {
  const wanted = canonicalJson(needle.data);
  return revisions.filter((revision) => canonicalJson(revision.data) === wanted);
}

/** Oldest first: by revision number, then creation time, then name (SortControllerRevisions). */
export function sortControllerRevisions<R extends DeepReadonly<ControllerRevision>>(revisions: readonly R[]): R[] {
  return [...revisions].sort(
    (a, b) =>
      (a.revision ?? 0) - (b.revision ?? 0) ||
      (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') ||
      (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
  );
}

/** One more than the highest revision number, or 1 for none (nextRevision / GetMaxRevision + 1). */
export function nextRevision(revisions: readonly DeepReadonly<ControllerRevision>[]): number {
  let max = 0;
  for (const revision of revisions) max = Math.max(max, revision.revision ?? 0);
  return max + 1;
}

/**
 * CreateControllerRevision: creates `revision` under the name its data and `collisionCount.value`
 * hash to. A revision already there with the same data is returned as it is; one with other data
 * is a hash collision: the count goes up (the caller stores it in the owner's status) and the next
 * name is tried.
 */
export async function createControllerRevision(
  client: ControllerRevisionClient,
  parent: DeepReadonly<KubeObject>,
  revision: ControllerRevision,
  collisionCount: { value: number },
): Promise<ControllerRevision> {
  const namespace = parent.metadata?.namespace ?? '';
  const revisions = client.namespace(namespace);
  for (;;) {
    const name = controllerRevisionName(parent.metadata?.name ?? '', hashControllerRevision(revision.data, collisionCount.value));
    const candidate: ControllerRevision = { ...revision, metadata: { ...revision.metadata, name, namespace } };
    try {
      return await revisions.create(candidate);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    const existing = await revisions.get(name);
    if (equalRevision(existing, candidate)) return existing;
    collisionCount.value++;
  }
}

/** UpdateControllerRevision: sets the revision number, re-reading and retrying on conflict. */
export async function updateControllerRevision(client: ControllerRevisionClient, revision: DeepReadonly<ControllerRevision>, newRevision: number): Promise<ControllerRevision> {
  const revisions = client.namespace(revision.metadata?.namespace ?? '');
  let current = structuredClone(revision) as ControllerRevision;
  for (;;) {
    if (current.revision === newRevision) return current;
    try {
      return await revisions.update({ ...current, revision: newRevision });
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
    current = await revisions.get(current.metadata?.name ?? '');
  }
}
