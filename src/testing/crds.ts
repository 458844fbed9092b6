/**
 * @module
 * Installing CRDs into a test cluster from YAML, as `kubectl apply -f crds/` then `kubectl wait
 * --for condition=Established` would: each CustomResourceDefinition in the documents is created, or
 * replaced when it exists, and the call resolves once every served version of each answers a list —
 * so a test's first request for a custom resource never meets a 404. Documents of other kinds are
 * refused: a CRD directory with a stray manifest is a mistake worth hearing about.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { apiextensionsV1 } from '../api/types/index.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import type { KubeClient } from '../client/kube-client.js';

type Crd = apiextensionsV1.CustomResourceDefinition;

/** How long a CRD may take to be served before installing fails. */
const SERVED_TIMEOUT_MS = 10_000;

/** Creates or replaces the CRDs in `manifests` (YAML texts or file paths); resolves once all are served. */
export async function installCrds(client: KubeClient, manifests: readonly string[]): Promise<void> {
  const crds = manifests.flatMap((manifest) => crdsIn(manifest));
  const api = client.typed('apiextensions.k8s.io/v1/CustomResourceDefinition');
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    try {
      await api.create(crd);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const current = await api.get(name);
      await api.update({ ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion ?? '' } });
    }
  }
  await Promise.all(crds.map((crd) => waitServed(client, crd)));
}

/** The CRDs of one manifest: YAML text, or the path of a YAML file. */
function crdsIn(manifest: string): Crd[] {
  const source = !manifest.includes('\n') && existsSync(manifest) ? manifest : 'the YAML text';
  const text = source === manifest ? readFileSync(manifest, 'utf8') : manifest;
  const crds: Crd[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors.map((error) => error.message).join('; ')}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isCrd(value)) {
      const kind = typeof value === 'object' && 'kind' in value ? String(value.kind) : typeof value;
      throw new Error(`${source}: expected only CustomResourceDefinitions (apiextensions.k8s.io/v1), found ${kind}`);
    }
    crds.push(value);
  }
  return crds;
}

function isCrd(value: unknown): value is Crd {
  if (typeof value !== 'object' || value === null) return false;
  const object = value as { apiVersion?: unknown; kind?: unknown; metadata?: unknown };
  return object.apiVersion === 'apiextensions.k8s.io/v1' && object.kind === 'CustomResourceDefinition' && typeof object.metadata === 'object';
}

/** Resolves once every served version of `crd` answers a list. */
async function waitServed(client: KubeClient, crd: Crd): Promise<void> {
  const { group, names, scope } = crd.spec;
  const deadline = Date.now() + SERVED_TIMEOUT_MS;
  for (const version of crd.spec.versions.filter((candidate) => candidate.served)) {
    const resource = client.resource({ group, version: version.name, resource: names.plural, namespaced: scope === 'Namespaced', kind: names.kind });
    for (;;) {
      try {
        await resource.list({ limit: 1 });
        break;
      } catch (error) {
        if (!isNotFound(error) || Date.now() > deadline) {
          throw new Error(`CRD ${crd.metadata?.name ?? names.plural} was not served within ${SERVED_TIMEOUT_MS} ms: ${String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }
}
