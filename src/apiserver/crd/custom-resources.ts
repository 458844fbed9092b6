/**
 * @module
 * The resources a CustomResourceDefinition makes the server serve: one ResourceDefinition per served
 * version, from the accepted names, the scope and the version's subresources, so custom resources go
 * through the same generic store, watch cache, discovery, OpenAPI and Table machinery as built-in
 * kinds (apiextensions-apiserver pkg/apiserver/customresource_handler.go, getOrCreateServingInfoFor).
 *
 * Every version shares one storage, `/registry/<group>/<plural>/`; objects are stored in the storage
 * version and each version reads them as its own. Conversion is upstream's None strategy: only
 * apiVersion changes. The strategy is pkg/registry/customresource/strategy.go's: a generation
 * counting changes outside metadata (and status, when /status is served), the status split when it
 * is. Tables show NAME and AGE, the columns a CRD without additionalPrinterColumns gets.
 */
import { type JsonObject, jsonEqual } from '../../api/json.js';
import { type Schema, s, typeMeta } from '../../api/schema/schema.js';
import { isDeleting, metaString, metadataOf, readMetadata } from '../registry/object-meta.js';
import type { ResourceDefinition, Strategy, TablePrinter } from '../registry/resource-definition.js';
import {
  type CrdVersion,
  crdName,
  groupOf,
  isConditionTrue,
  objectAt,
  readNames,
  readVersions,
  specOf,
  statusOf,
  storageVersionOf,
  stringAt,
} from '../resources/crd-model.js';
import { age } from '../table.js';

/** A resource to serve for a CRD, and a fingerprint of everything it was built from. */
export interface ServedVersion {
  readonly definition: ResourceDefinition;
  /** Equal fingerprints build equal definitions: a CRD update that keeps it needs no re-registration. */
  readonly signature: string;
}

/**
 * The resources `crd` should be served as now: none unless it is Established, not being deleted,
 * and has accepted names and a storage version; then one per served version with a schema.
 */
export function servedVersionsOf(crd: JsonObject): ServedVersion[] {
  if (!isConditionTrue(crd, 'Established') || isDeleting(crd)) return [];
  const names = readNames(statusOf(crd).acceptedNames);
  const storageVersion = storageVersionOf(crd);
  const group = groupOf(crd);
  // Storage is keyed by spec.names.plural, which never changes (upstream's etcd prefix).
  const storagePlural = stringAt(objectAt(specOf(crd), 'names'), 'plural');
  if (names.plural === '' || names.kind === '' || storageVersion === undefined || group === '' || storagePlural === '') return [];
  const scope = stringAt(specOf(crd), 'scope');
  return readVersions(crd)
    .filter((version) => version.served && version.name !== '' && version.openAPIV3Schema !== undefined)
    .map((version) => {
      const kind = names.kind;
      const definition: ResourceDefinition = {
        group,
        version: version.name,
        kind,
        resource: names.plural,
        singular: names.singular === '' ? kind.toLowerCase() : names.singular,
        listKind: names.listKind === '' ? `${kind}List` : names.listKind,
        namespaced: scope !== 'Cluster',
        shortNames: names.shortNames,
        categories: names.categories,
        schema: openApiName(group, version.name, kind),
        statusSubresource: version.statusSubresource,
        tracksGeneration: true,
        ...(version.scale === undefined ? {} : { scale: version.scale }),
        strategicMergePatch: false,
        strategy: customResourceStrategy(version.statusSubresource),
        table: CUSTOM_RESOURCE_TABLE,
        storedAs: {
          group,
          resource: storagePlural,
          toStorage: (object) => ({ ...object, apiVersion: `${group}/${storageVersion}`, kind }),
          fromStorage: (object) => ({ ...object, apiVersion: `${group}/${version.name}`, kind }),
        },
        custom: { crd: crdName(crd), openAPIV3Schema: version.openAPIV3Schema ?? {} },
      };
      return { definition, signature: JSON.stringify([group, storagePlural, scope, storageVersion, names, versionFingerprint(version)]) };
    });
}

/** The OpenAPI name of a custom kind: the group reversed, the version, the kind (com.example.stable.v1.CronTab). */
export function openApiName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function versionFingerprint(version: CrdVersion): unknown {
  return [version.name, version.openAPIV3Schema ?? null, version.statusSubresource, version.scale ?? null];
}

/** customResourceStrategy: what every custom resource's writes go through. */
function customResourceStrategy(statusSubresource: boolean): Strategy {
  return {
    prepareForUpdate: (object, old) => {
      // Without /status, the status is written like the rest, and its changes count as generations.
      if (!statusSubresource && !jsonEqual(object.status, old.status)) {
        const generation = readMetadata(old).generation;
        metadataOf(object).generation = (typeof generation === 'number' ? generation : 0) + 1;
      }
    },
  };
}

/** The default columns of a custom resource: its name and age (tableconvertor with an Age column). */
const CUSTOM_RESOURCE_TABLE: TablePrinter = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    { name: 'Age', type: 'date', description: 'When the object was created.', priority: 0 },
  ],
  cells: (object, now) => [metaString(object, 'name'), age(object, now)],
};

/**
 * What custom resource bodies are decoded against: apiVersion, kind and metadata as for every kind
 * (unknown metadata fields are reported), everything else kept exactly as sent — the CRD's schema
 * does not prune yet.
 */
export const CUSTOM_RESOURCE_DECODE_SCHEMA: Schema = s.object('A custom resource.', { ...typeMeta(), metadata: s.objectMeta() }, { preserveUnknownFields: true });
