/**
 * @module
 * Reading a CustomResourceDefinition held as JSON: its names, versions and subresources as plain
 * values, and its status conditions, found and set as apiextensions-apiserver's helpers do
 * (pkg/apihelpers/helpers.go: FindCRDCondition, SetCRDCondition, IsCRDConditionTrue). The strategy,
 * the status computation and the serving of custom resources all read CRDs through these.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { formatTime } from '../../api/time.js';
import { metaString } from '../registry/object-meta.js';
import type { ScaleSubresource } from '../registry/resource-definition.js';

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CRD_RESOURCE = 'customresourcedefinitions';

/** The finalizer that holds a deleted CRD until its custom resources are gone. */
export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** spec.names or status.acceptedNames. */
export interface CrdNames {
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
}

/** One entry of spec.versions. */
export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  /** schema.openAPIV3Schema, when given as an object. */
  readonly openAPIV3Schema: JsonObject | undefined;
  readonly statusSubresource: boolean;
  readonly scale: ScaleSubresource | undefined;
  /** additionalPrinterColumns, in order (entries that are not objects read as empty columns). */
  readonly additionalPrinterColumns: readonly CrdPrinterColumn[];
  /** selectableFields[].jsonPath, in order. */
  readonly selectableFields: readonly string[];
}

/** One entry of a version's additionalPrinterColumns (CustomResourceColumnDefinition). */
export interface CrdPrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly format: string;
  readonly description: string;
  readonly priority: number;
  readonly jsonPath: string;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface CrdCondition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

export function objectAt(object: JsonObject, field: string): JsonObject {
  const value = object[field];
  return isJsonObject(value) ? value : {};
}

export function stringAt(object: JsonObject, field: string): string {
  const value = object[field];
  return typeof value === 'string' ? value : '';
}

export function stringsAt(object: JsonObject, field: string): string[] {
  const value = object[field];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function specOf(crd: JsonObject): JsonObject {
  return objectAt(crd, 'spec');
}

export function statusOf(crd: JsonObject): JsonObject {
  return objectAt(crd, 'status');
}

export function crdName(crd: JsonObject): string {
  return metaString(crd, 'name');
}

export function groupOf(crd: JsonObject): string {
  return stringAt(specOf(crd), 'group');
}

/** The group of a CRD named `<plural>.<group>` (plurals are DNS-1035 labels, without dots). */
export function groupOfName(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

export function readNames(value: JsonValue | undefined): CrdNames {
  const names = isJsonObject(value) ? value : {};
  return {
    plural: stringAt(names, 'plural'),
    singular: stringAt(names, 'singular'),
    kind: stringAt(names, 'kind'),
    listKind: stringAt(names, 'listKind'),
    shortNames: stringsAt(names, 'shortNames'),
    categories: stringsAt(names, 'categories'),
  };
}

/** Names as JSON, as Go serializes them: plural and kind always, the rest when set. */
export function namesJson(names: CrdNames): JsonObject {
  return {
    plural: names.plural,
    ...(names.singular === '' ? {} : { singular: names.singular }),
    ...(names.shortNames.length === 0 ? {} : { shortNames: [...names.shortNames] }),
    kind: names.kind,
    ...(names.listKind === '' ? {} : { listKind: names.listKind }),
    ...(names.categories.length === 0 ? {} : { categories: [...names.categories] }),
  };
}

/** spec.versions as values; entries that are not objects read as empty versions. */
export function readVersions(crd: JsonObject): CrdVersion[] {
  const versions = specOf(crd).versions;
  if (!Array.isArray(versions)) return [];
  return versions.map((entry) => {
    const version = isJsonObject(entry) ? entry : {};
    const schema = objectAt(version, 'schema').openAPIV3Schema;
    const subresources = objectAt(version, 'subresources');
    return {
      name: stringAt(version, 'name'),
      served: version.served === true,
      storage: version.storage === true,
      openAPIV3Schema: isJsonObject(schema) ? schema : undefined,
      statusSubresource: isJsonObject(subresources.status),
      scale: readScale(subresources.scale),
      additionalPrinterColumns: readPrinterColumns(version.additionalPrinterColumns),
      selectableFields: readSelectableFields(version.selectableFields),
    };
  });
}

function readPrinterColumns(value: JsonValue | undefined): CrdPrinterColumn[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const column = isJsonObject(entry) ? entry : {};
    return {
      name: stringAt(column, 'name'),
      type: stringAt(column, 'type'),
      format: stringAt(column, 'format'),
      description: stringAt(column, 'description'),
      priority: typeof column.priority === 'number' ? column.priority : 0,
      jsonPath: stringAt(column, 'jsonPath'),
    };
  });
}

function readSelectableFields(value: JsonValue | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => (isJsonObject(entry) ? stringAt(entry, 'jsonPath') : ''));
}

function readScale(value: JsonValue | undefined): ScaleSubresource | undefined {
  if (!isJsonObject(value)) return undefined;
  const labelSelectorPath = stringAt(value, 'labelSelectorPath');
  return {
    specReplicasPath: stringAt(value, 'specReplicasPath'),
    statusReplicasPath: stringAt(value, 'statusReplicasPath'),
    ...(labelSelectorPath === '' ? {} : { labelSelectorPath }),
  };
}

/** The name of the version marked storage: true (the first, if several are). */
export function storageVersionOf(crd: JsonObject): string | undefined {
  return readVersions(crd).find((v) => v.storage)?.name;
}

export function conditionsOf(crd: JsonObject): JsonObject[] {
  const conditions = statusOf(crd).conditions;
  return Array.isArray(conditions) ? conditions.filter(isJsonObject) : [];
}

export function findCondition(crd: JsonObject, type: string): JsonObject | undefined {
  return conditionsOf(crd).find((c) => c.type === type);
}

export function isConditionTrue(crd: JsonObject, type: string): boolean {
  return findCondition(crd, type)?.status === 'True';
}

/**
 * SetCRDCondition: replaces the condition of the same type (adding it at the end if new); its
 * lastTransitionTime moves only when the status changes, so rewriting a condition that holds
 * changes nothing.
 */
export function setCondition(crd: JsonObject, condition: CrdCondition, now: number): void {
  const status = isJsonObject(crd.status) ? crd.status : (crd.status = {});
  const conditions = Array.isArray(status.conditions) ? status.conditions : (status.conditions = []);
  const index = conditions.findIndex((c) => isJsonObject(c) && c.type === condition.type);
  const existing = index < 0 ? undefined : conditions[index];
  const keepTime =
    isJsonObject(existing) && existing.status === condition.status && typeof existing.lastTransitionTime === 'string' && existing.lastTransitionTime !== '';
  const written: JsonObject = {
    type: condition.type,
    status: condition.status,
    lastTransitionTime: keepTime ? (existing.lastTransitionTime as string) : formatTime(now),
    reason: condition.reason,
    message: condition.message,
  };
  if (index < 0) conditions.push(written);
  else conditions[index] = written;
}

/** Removes the condition of `type`, if any. */
export function removeCondition(crd: JsonObject, type: string): void {
  const status = statusOf(crd);
  if (!Array.isArray(status.conditions)) return;
  status.conditions = status.conditions.filter((c) => !(isJsonObject(c) && c.type === type));
}
