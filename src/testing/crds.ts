/**
 * @module
 * Installing CRDs into a test cluster from YAML, as `kubectl apply -f crds/` then `kubectl wait
 * --for condition=Established` would: each CustomResourceDefinition in the documents is created, or
 * replaced when it exists, and the call resolves once every served version of each answers a list
 * and publishes the CRD's schema as written — so a test's first request for a custom resource never
 * meets a 404, nor, after an update, the schema the CRD had before. (A CRD's status has no
 * observedGeneration to compare: the served OpenAPI, derived from what the server serves, is the
 * sign that an update is in effect.) Documents of other kinds are refused: a CRD directory with a
 * stray manifest is a mistake worth hearing about.
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
  const written: Crd[] = [];
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    try {
      written.push(await api.create(crd));
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      const current = await api.get(name);
      written.push(await api.update({ ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata?.resourceVersion ?? '' } }));
    }
  }
  await Promise.all(written.map((crd) => waitServed(client, crd)));
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

/** Resolves once every served version of `crd` (as the server stored it) answers a list and publishes its schema. */
async function waitServed(client: KubeClient, crd: Crd): Promise<void> {
  const { group, names, scope } = crd.spec;
  const deadline = Date.now() + SERVED_TIMEOUT_MS;
  const timedOut = (why: string): Error => new Error(`CRD ${crd.metadata?.name ?? names.plural} was not served within ${SERVED_TIMEOUT_MS} ms: ${why}`);
  for (const version of crd.spec.versions.filter((candidate) => candidate.served)) {
    const resource = client.resource({ group, version: version.name, resource: names.plural, namespaced: scope === 'Namespaced', kind: names.kind });
    for (;;) {
      try {
        await resource.list({ limit: 1 });
        break;
      } catch (error) {
        if (!isNotFound(error) || Date.now() > deadline) throw timedOut(String(error));
        await sleep();
      }
    }
    const wanted = version.schema?.openAPIV3Schema;
    if (wanted === undefined) continue;
    const component = `${group.split('.').reverse().join('.')}.${version.name}.${names.kind}`;
    while (!(await publishes(client, `/openapi/v3/apis/${group}/${version.name}`, component, wanted))) {
      if (Date.now() > deadline) throw timedOut(`version ${version.name} still publishes an older schema`);
      await sleep();
    }
  }
}

/** Whether the OpenAPI document at `path` describes `component` with `schema` (what the server adds aside). */
async function publishes(client: KubeClient, path: string, component: string, schema: unknown): Promise<boolean> {
  const document = await client.rest.request<unknown>({ method: 'GET', path });
  const published = field(field(field(document, 'components'), 'schemas'), component);
  return published !== undefined && JSON.stringify(withoutServerFields(published)) === JSON.stringify(withoutServerFields(schema));
}

/**
 * A schema without what the server adds when publishing a custom kind (apiVersion, kind and
 * metadata properties, type object, the group-version-kind), keys sorted, so that a published
 * schema and the CRD's compare equal.
 */
function withoutServerFields(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const copy: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  delete copy['x-kubernetes-group-version-kind'];
  if (copy.type === undefined) copy.type = 'object';
  const properties = copy.properties;
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
    const rest: Record<string, unknown> = { ...(properties as Record<string, unknown>) };
    for (const added of ['apiVersion', 'kind', 'metadata']) delete rest[added];
    copy.properties = rest;
  }
  if (isEmptyObject(copy.properties)) delete copy.properties;
  return sorted(copy);
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

function sleep(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}
