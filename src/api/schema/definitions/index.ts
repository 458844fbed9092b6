/**
 * @module
 * Every built-in definition, in one {@link SchemaSet}.
 */
import type { Definition } from '../schema.js';
import { SchemaSet } from '../schema-set.js';
import { ADMISSION_REGISTRATION_V1 } from './admissionregistration-v1.js';
import { APIEXTENSIONS_V1 } from './apiextensions-v1.js';
import { APPS_V1 } from './apps-v1.js';
import { BATCH_V1 } from './batch-v1.js';
import { CORE_V1 } from './core-v1.js';
import { CORE_V1_PERSISTENT_VOLUME } from './core-v1-persistent-volume.js';
import { CORE_V1_POD } from './core-v1-pod.js';
import { CORE_V1_VOLUME } from './core-v1-volume.js';
import { META_V1 } from './meta-v1.js';
import { METRICS_V1BETA1 } from './metrics-v1beta1.js';
import { NETWORKING_V1 } from './networking-v1.js';
import { OTHER_GROUPS_V1 } from './other-groups-v1.js';
import { RBAC_V1 } from './rbac-v1.js';
import { REVIEWS_V1 } from './reviews-v1.js';
import { SCHEDULING_V1 } from './scheduling-v1.js';
import { STORAGE_V1 } from './storage-v1.js';

export const BUILT_IN_DEFINITIONS: readonly (readonly Definition[])[] = [
  META_V1,
  CORE_V1_POD,
  CORE_V1_VOLUME,
  CORE_V1_PERSISTENT_VOLUME,
  CORE_V1,
  APPS_V1,
  BATCH_V1,
  OTHER_GROUPS_V1,
  NETWORKING_V1,
  RBAC_V1,
  REVIEWS_V1,
  SCHEDULING_V1,
  STORAGE_V1,
  APIEXTENSIONS_V1,
  ADMISSION_REGISTRATION_V1,
  METRICS_V1BETA1,
];

/** A fresh set of the built-in definitions (CRDs add theirs to their own copy). */
export function builtInSchemas(): SchemaSet {
  return new SchemaSet(BUILT_IN_DEFINITIONS.flat());
}
