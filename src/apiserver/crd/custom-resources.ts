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
 * is. Tables show NAME and each version's additionalPrinterColumns, or AGE without any (printer-columns.ts);
 * a version's selectableFields serve field selectors (selectable-fields.ts).
 *
 * Each version's openAPIV3Schema is compiled once, here, when the CRD changes (schema/): writes are
 * pruned, defaulted and validated against it (the strategy's defaults, validate and validateUpdate;
 * a status write validates the whole object, as upstream's status strategy does), and objects read
 * from storage are pruned and defaulted too — with the storage version's schema, then the served
 * one's — so objects stored before a default was added read with it (customresource_handler.go's
 * storage codec: schemaCoercingDecoder and unstructuredDefaulter).
 */
import type { FieldError } from '../../api/field-errors.js';
import { type JsonObject, jsonEqual } from '../../api/json.js';
import { type Schema, s, typeMeta } from '../../api/schema/schema.js';
import { type GroupResource, StatusError, methodNotSupported } from '../../api/status.js';
import { isDeleting, metadataOf, readMetadata } from '../registry/object-meta.js';
import type { ResourceDefinition, Strategy } from '../registry/resource-definition.js';
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
import { CompiledSchema } from './schema/compiled-schema.js';
import { printerFor } from './printer-columns.js';
import { withSelectableFields } from './selectable-fields.js';

/** A resource to serve for a CRD, and a fingerprint of everything it was built from. */
export interface ServedVersion {
  readonly definition: ResourceDefinition;
  /** Equal fingerprints build equal definitions: a CRD update that keeps it needs no re-registration. */
  readonly signature: string;
}

/**
 * The resources `crd` should be served as now: none unless it is Established and has accepted names
 * and a storage version; then one per served version with a schema. A terminating CRD stays served
 * — reads, watches, updates and deletes — while its objects are deleted; `terminating` (asked at
 * each create, so the definitions need not change) refuses creates then (customresource_handler.go).
 */
export function servedVersionsOf(crd: JsonObject, terminating: () => boolean = () => isDeleting(crd)): ServedVersion[] {
  if (!isConditionTrue(crd, 'Established')) return [];
  const names = readNames(statusOf(crd).acceptedNames);
  const storageVersion = storageVersionOf(crd);
  const group = groupOf(crd);
  // Storage is keyed by spec.names.plural, which never changes (upstream's etcd prefix).
  const storagePlural = stringAt(objectAt(specOf(crd), 'names'), 'plural');
  if (names.plural === '' || names.kind === '' || storageVersion === undefined || group === '' || storagePlural === '') return [];
  const scope = stringAt(specOf(crd), 'scope');
  const versions = readVersions(crd);
  const storageSchema = versions.find((version) => version.name === storageVersion)?.openAPIV3Schema;
  // Compiled on first use: a CRD looked at again unchanged builds definitions that are thrown away.
  const storageCompiled = storageSchema === undefined ? undefined : lazy(() => new CompiledSchema(storageSchema));
  return versions
    .filter((version) => version.served && version.name !== '' && version.openAPIV3Schema !== undefined)
    .map((version) => {
      const kind = names.kind;
      const ownSchema = version.openAPIV3Schema ?? {};
      const compiled = version.name === storageVersion && storageCompiled !== undefined ? storageCompiled : lazy(() => new CompiledSchema(ownSchema));
      const fromStorageSchemas = storageCompiled === undefined || storageCompiled === compiled ? [compiled] : [storageCompiled, compiled];
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
        strategy: withSelectableFields(customResourceStrategy(version.statusSubresource, compiled, { group, resource: names.plural }, terminating), version.selectableFields),
        table: printerFor(version.additionalPrinterColumns),
        storedAs: {
          group,
          resource: storagePlural,
          toStorage: (object) => ({ ...object, apiVersion: `${group}/${storageVersion}`, kind }),
          fromStorage: (stored) => {
            // The object was parsed from storage for this call alone: pruning and defaulting it in place is safe.
            const [first, second] = fromStorageSchemas.map((schema) => schema());
            first?.prune(stored);
            first?.applyDefaults(stored);
            const object = { ...stored, apiVersion: `${group}/${version.name}`, kind };
            second?.prune(object);
            second?.applyDefaults(object);
            return object;
          },
        },
        custom: { crd: crdName(crd), openAPIV3Schema: version.openAPIV3Schema ?? {} },
      };
      COMPILED_SCHEMAS.set(definition, compiled);
      return { definition, signature: JSON.stringify([group, storagePlural, scope, storageVersion, names, versionFingerprint(version)]) };
    });
}

/** The OpenAPI name of a custom kind: the group reversed, the version, the kind (com.example.stable.v1.CronTab). */
export function openApiName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

function versionFingerprint(version: CrdVersion): unknown {
  return [
    version.name,
    version.openAPIV3Schema ?? null,
    version.statusSubresource,
    version.scale ?? null,
    version.additionalPrinterColumns,
    version.selectableFields,
  ];
}

/** The compiled schema of each custom resource definition built here, compiled on first use. */
const COMPILED_SCHEMAS = new WeakMap<ResourceDefinition, () => CompiledSchema>();

function lazy<T>(make: () => T): () => T {
  let value: { readonly made: T } | undefined;
  return () => (value ??= { made: make() }).made;
}

/**
 * Prunes a decoded custom resource body in place and returns the paths of the fields its schema
 * does not declare (`spec.foo`), for fieldValidation to refuse (Strict), report (Warn) or ignore —
 * upstream's decoder reports them as `unknown field "spec.foo"`. Empty for built-in kinds.
 */
export function pruneUnknownFields(definition: ResourceDefinition, object: JsonObject): string[] {
  return COMPILED_SCHEMAS.get(definition)?.().prune(object) ?? [];
}

/**
 * customResourceStrategy: what every custom resource's writes go through (pkg/registry/customresource
 * strategy.go): pruned and defaulted like a decoded body, then validated against the schema. While
 * the CRD terminates, creates are 405 as upstream's handler answers them.
 */
function customResourceStrategy(statusSubresource: boolean, schema: () => CompiledSchema, resource: GroupResource, terminating: () => boolean): Strategy {
  // The ratcheted CEL errors of an update, kept from validateUpdate for the warnings hook the store
  // calls next with the same object.
  const ratcheted = new WeakMap<JsonObject, readonly string[]>();
  return {
    prepareForCreate: () => {
      if (!terminating()) return;
      const refused = methodNotSupported(resource, 'create');
      throw new StatusError(refused.reason, 'create not allowed while custom resource definition is terminating', refused.details === undefined ? {} : { details: refused.details });
    },
    defaults: (object) => {
      schema().prune(object);
      schema().applyDefaults(object);
    },
    validate: (object): FieldError[] => schema().validate(object),
    validateUpdate: (object, old): FieldError[] => {
      const warnings: string[] = [];
      const errors = schema().validate(object, old, warnings);
      if (warnings.length > 0) ratcheted.set(object, warnings);
      return errors;
    },
    warnings: (object) => ratcheted.get(object) ?? [],
    prepareForUpdate: (object, old) => {
      // Without /status, the status is written like the rest, and its changes count as generations.
      if (!statusSubresource && !jsonEqual(object.status, old.status)) {
        const generation = readMetadata(old).generation;
        metadataOf(object).generation = (typeof generation === 'number' ? generation : 0) + 1;
      }
    },
  };
}

/**
 * What custom resource bodies are decoded against: apiVersion, kind and metadata as for every kind
 * (unknown metadata fields are reported), everything else kept as sent; the CRD's own schema prunes
 * the rest ({@link pruneUnknownFields} for the decoder, and the strategy's defaults hook).
 */
export const CUSTOM_RESOURCE_DECODE_SCHEMA: Schema = s.object('A custom resource.', { ...typeMeta(), metadata: s.objectMeta() }, { preserveUnknownFields: true });
