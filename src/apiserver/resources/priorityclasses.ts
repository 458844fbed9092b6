/**
 * @module
 * scheduling.k8s.io/v1 PriorityClasses: cluster-scoped names for pod priorities (`kubectl get pc`
 * shows NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY, pkg/printers/internalversion/printers.go
 * printPriorityClass).
 *
 * - Defaults: preemptionPolicy PreemptLowerPriority (pkg/apis/scheduling/v1/defaults.go).
 * - Validation (pkg/apis/scheduling/validation/validation.go): the `system-` prefix is reserved for
 *   the two system classes with exactly their values and no global default; other classes go up to
 *   1000000000; the preemption policy is PreemptLowerPriority or Never; value and preemptionPolicy
 *   never change.
 * - The system classes exist from the server's start (pkg/registry/scheduling/rest/storage_scheduling.go
 *   AddSystemPriorityClasses) and cannot be deleted (pkg/registry/scheduling/priorityclass/storage).
 * - Admission (plugin/pkg/admission/priority/admission.go validatePriorityClass): only one class may
 *   be the global default.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, jsonEqual } from '../../api/json.js';
import { text } from '../../api/json-values.js';
import { forbidden } from '../../api/status.js';
import type { HookContext, StoreLookup } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';

export const PRIORITY_CLASS_GROUP = 'scheduling.k8s.io';
export const PRIORITY_CLASS_RESOURCE = 'priorityclasses';

/** HighestUserDefinablePriority: larger values belong to the system classes. */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
/** SystemCriticalPriority: where the system classes' range starts. */
const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
/** SystemPriorityClassPrefix: names only the system classes may have. */
const SYSTEM_PREFIX = 'system-';
export const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';
const PREEMPTION_POLICIES = [PREEMPT_LOWER_PRIORITY, 'Never'];

/** The classes every cluster has (pkg/apis/scheduling/v1/helpers.go systemPriorityClasses). */
export const SYSTEM_PRIORITY_CLASSES: readonly JsonObject[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
    preemptionPolicy: PREEMPT_LOWER_PRIORITY,
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: SYSTEM_CRITICAL_PRIORITY,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    preemptionPolicy: PREEMPT_LOWER_PRIORITY,
  },
];

const SYSTEM_CLASSES_BY_NAME: ReadonlyMap<string, JsonObject> = new Map(SYSTEM_PRIORITY_CLASSES.map((pc) => [nameOf(pc), pc]));

export const PRIORITY_CLASSES = defineResource({
  group: PRIORITY_CLASS_GROUP,
  version: 'v1',
  kind: 'PriorityClass',
  resource: PRIORITY_CLASS_RESOURCE,
  namespaced: false,
  schema: 'io.k8s.api.scheduling.v1.PriorityClass',
  shortNames: ['pc'],
  strategy: {
    defaults: (object) => {
      if (object.value === undefined) object.value = 0;
      if (object.preemptionPolicy === undefined || object.preemptionPolicy === null) object.preemptionPolicy = PREEMPT_LOWER_PRIORITY;
    },
    validate: (object) => validatePriorityClass(object),
    validateUpdate: (object, old) => validatePriorityClassUpdate(object, old),
    validateAdmission: (object, old, context) => admitPriorityClass(object, old, context),
    refuseDelete: (object) =>
      isSystemPriorityClass(nameOf(object)) ? 'this is a system priority class and cannot be deleted' : undefined,
    selectableFields: () => ({}),
  },
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Value', type: 'integer', description: 'The value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.', priority: 0 },
      { name: 'Global-Default', type: 'boolean', description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that name no priority class.', priority: 0 },
      { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
      { name: 'PreemptionPolicy', type: 'string', description: 'preemptionPolicy is the Policy for preempting pods with lower priority.', priority: 0 },
    ],
    cells: (object, now) => [
      nameOf(object),
      valueOf(object),
      object.globalDefault === true,
      age(object, now),
      text(object.preemptionPolicy) === '' ? 'Unknown' : text(object.preemptionPolicy),
    ],
  },
});

export function isSystemPriorityClass(name: string): boolean {
  return SYSTEM_PRIORITY_CLASSES.some((spc) => nameOf(spc) === name);
}

export function valueOf(priorityClass: JsonObject): number {
  return typeof priorityClass.value === 'number' ? priorityClass.value : 0;
}

/** ValidatePriorityClass (metadata is checked by the store: a DNS subdomain name). */
export function validatePriorityClass(object: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const name = nameOf(object);
  const value = valueOf(object);
  if (name.startsWith(SYSTEM_PREFIX)) {
    const why = knownSystemPriorityClassError(name, value, object.globalDefault === true);
    if (why !== undefined) {
      errors.push(fieldErrors.forbidden('metadata.name', `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${why}`));
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errors.push(fieldErrors.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = object.preemptionPolicy;
  if (policy !== undefined && policy !== null) errors.push(...validatePreemptionPolicy(text(policy), 'preemptionPolicy'));
  return errors;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy are immutable. */
export function validatePriorityClassUpdate(object: JsonObject, old: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  if (valueOf(object) !== valueOf(old)) errors.push(fieldErrors.forbidden('value', 'may not be changed in an update.'));
  if (!jsonEqual(object.preemptionPolicy ?? null, old.preemptionPolicy ?? null)) {
    errors.push(fieldErrors.invalid('preemptionPolicy', object.preemptionPolicy ?? null, 'field is immutable'));
  }
  return errors;
}

/** core validation ValidatePreemptionPolicy. */
export function validatePreemptionPolicy(policy: string, path: string): FieldError[] {
  if (PREEMPTION_POLICIES.includes(policy)) return [];
  if (policy === '') return [fieldErrors.required(path)];
  return [fieldErrors.notSupported(path, policy, PREEMPTION_POLICIES)];
}

/** IsKnownSystemPriorityClass: undefined when `name` is a system class with exactly these fields. */
function knownSystemPriorityClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const system = SYSTEM_PRIORITY_CLASSES.find((spc) => nameOf(spc) === name);
  if (system === undefined) return `${name} is not a known system priority class`;
  if (valueOf(system) !== value) return `value of ${name} PriorityClass must be ${valueOf(system)}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/** The slice of the PriorityClass store that priority admission reads (upstream: its lister). */
export interface PriorityClassLister {
  get(name: string): JsonObject | undefined;
  list(): readonly JsonObject[];
}

/**
 * getDefaultPriorityClass: the class marked globalDefault; should a race have made several, the
 * one with the smallest value.
 */
export function defaultPriorityClass(classes: readonly JsonObject[]): JsonObject | undefined {
  let found: JsonObject | undefined;
  for (const pc of classes) {
    if (pc.globalDefault === true && (found === undefined || valueOf(found) > valueOf(pc))) found = pc;
  }
  return found;
}

/**
 * validatePriorityClass (admission): a class may become the global default only when no other one
 * is; the message, or undefined when admitted.
 */
export function globalDefaultConflict(object: JsonObject, old: JsonObject | undefined, lister: PriorityClassLister): string | undefined {
  if (object.globalDefault !== true) return undefined;
  const current = defaultPriorityClass(lister.list());
  if (current === undefined) return undefined;
  if (old === undefined || nameOf(current) !== nameOf(object)) {
    return `PriorityClass ${nameOf(current)} is already marked as default. Only one default can exist`;
  }
  return undefined;
}

async function admitPriorityClass(object: JsonObject, old: JsonObject | undefined, context: HookContext): Promise<void> {
  if (context.subresource !== undefined) return;
  const conflict = globalDefaultConflict(object, old, await priorityClassLister(context.lookup, 'consistent'));
  if (conflict !== undefined) throw forbidden({ group: PRIORITY_CLASS_GROUP, resource: PRIORITY_CLASS_RESOURCE }, nameOf(object), conflict);
}

/**
 * The served PriorityClasses, from the watch cache. `consistent` first waits until the cache has
 * every write storage has committed (a class created a moment ago counts); `cached` reads it as it
 * is, as upstream's informer-fed lister does. A class by name is one lookup; the list (for the
 * global default) is a scan of the few classes there are. The system classes answer from their
 * built-in form while storage has not got them yet (before the server has seeded them, or on a
 * server that does not serve PriorityClasses at all); they cannot be deleted, so otherwise storage
 * has them.
 */
export async function priorityClassLister(lookup: StoreLookup, read: 'cached' | 'consistent'): Promise<PriorityClassLister> {
  const store = lookup(PRIORITY_CLASS_GROUP, 'v1', PRIORITY_CLASS_RESOURCE);
  if (store !== undefined && read === 'consistent') await store.cache.consistentRevision();
  return {
    get: (name) => store?.cache.get(store.key('', name))?.object ?? SYSTEM_CLASSES_BY_NAME.get(name),
    list: () => {
      const stored = store === undefined ? [] : store.cache.listPage(store.key('', ''), {}, 0).items.map((item) => item.object);
      const names = new Set(stored.map(nameOf));
      return [...stored, ...SYSTEM_PRIORITY_CLASSES.filter((pc) => !names.has(nameOf(pc)))];
    },
  };
}
