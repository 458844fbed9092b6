/**
 * @module
 * rbac.authorization.k8s.io/v1: Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, stored
 * and validated as kube-apiserver does, so the RBAC objects of operators' and charts' manifests
 * apply. kubelite authorizes every request (as kube-apiserver's AlwaysAllow mode), so the objects
 * grant nothing more; with no authorizer to escalate past, upstream's escalation checks on creating
 * them (pkg/registry/rbac/role/policybased and its siblings) let everything through too.
 *
 * - **Names** need only be URL path segments (validation.go minimalNameRequirements).
 * - **Rules** (validatePolicyRule): verbs always; resource rules name API groups and resources,
 *   resourceNames only for one resource; non-resource URLs only in ClusterRoles, never mixed with
 *   resources.
 * - **Bindings** (ValidateRoleBinding, ValidateClusterRoleBinding): a roleRef in
 *   rbac.authorization.k8s.io to a Role or ClusterRole (ClusterRoleBindings: a ClusterRole only),
 *   which never changes; subjects are Users, Groups or ServiceAccounts (a ClusterRoleBinding's with
 *   a namespace). The API group of a roleRef and of a subject is defaulted as
 *   pkg/apis/rbac/v1/defaults.go does.
 * - **kubectl get** shows roles with NAME CREATED AT and bindings with NAME ROLE AGE, `-o wide`
 *   adding USERS GROUPS SERVICEACCOUNTS (pkg/printers/internalversion/printers.go).
 *
 * Not here: the default ClusterRoles kube-apiserver creates at start (cluster-admin, admin, edit,
 * view, system:*), and the controller that fills aggregated ClusterRoles' rules.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, getObject, isJsonObject } from '../../api/json.js';
import { objects, strings, text } from '../../api/json-values.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../../api/validation/names.js';
import type { ResourceDefinition, TablePrinter } from '../registry/resource-definition.js';
import { age } from '../table.js';
import { nameOf } from './configmaps.js';
import { defineResource } from './define.js';
import { validateLabelSelector } from './workload-helpers.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

const NAME_COLUMN = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 } as const;

/** printRole and printClusterRole: the name and when it was created. */
const ROLE_TABLE: TablePrinter = {
  columns: [NAME_COLUMN, { name: 'Created At', type: 'date', description: 'Time at which the object was created.', priority: 0 }],
  cells: (object) => [nameOf(object), text(getObject(object, 'metadata')?.creationTimestamp)],
};

/** printRoleBinding and printClusterRoleBinding, with rbac.SubjectsStrings (service accounts as namespace/name) for the wide columns. */
const BINDING_TABLE: TablePrinter = {
  columns: [
    NAME_COLUMN,
    { name: 'Role', type: 'string', description: 'The role granted: its kind and name.', priority: 0 },
    { name: 'Age', type: 'string', description: 'Time since the object was created.', priority: 0 },
    { name: 'Users', type: 'string', description: 'Users in the roleBinding', priority: 1 },
    { name: 'Groups', type: 'string', description: 'Groups in the roleBinding', priority: 1 },
    { name: 'ServiceAccounts', type: 'string', description: 'ServiceAccounts in the roleBinding', priority: 1 },
  ],
  cells: (object, now) => {
    const roleRef = getObject(object, 'roleRef') ?? {};
    const subjects = objects(object.subjects);
    const of = (kind: string): string =>
      subjects
        .filter((subject) => text(subject.kind) === kind)
        .map((subject) => (kind === 'ServiceAccount' ? `${text(subject.namespace)}/${text(subject.name)}` : text(subject.name)))
        .join(', ');
    return [nameOf(object), `${text(roleRef.kind)}/${text(roleRef.name)}`, age(object, now), of('User'), of('Group'), of('ServiceAccount')];
  },
};

/** minimalNameRequirements: role and binding names only need to be URL path segments. */
const validateName = (name: string): string[] => isValidPathSegmentName(name);

export const ROLES: ResourceDefinition = defineResource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  resource: 'roles',
  namespaced: true,
  schema: 'io.k8s.api.rbac.v1.Role',
  strategy: {
    validateName,
    validate: (object) => validateRules(object, true),
    validateUpdate: (object) => validateRules(object, true),
  },
  table: ROLE_TABLE,
});

export const CLUSTER_ROLES: ResourceDefinition = defineResource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  resource: 'clusterroles',
  namespaced: false,
  schema: 'io.k8s.api.rbac.v1.ClusterRole',
  strategy: {
    validateName,
    validate: validateClusterRole,
    validateUpdate: validateClusterRole,
  },
  table: ROLE_TABLE,
});

export const ROLE_BINDINGS: ResourceDefinition = defineResource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  resource: 'rolebindings',
  namespaced: true,
  schema: 'io.k8s.api.rbac.v1.RoleBinding',
  strategy: {
    validateName,
    defaults: defaultBinding,
    validate: (object) => validateBinding(object, true),
    validateUpdate: (object, old) => [...validateBinding(object, true), ...roleRefUnchanged(object, old)],
  },
  table: BINDING_TABLE,
});

export const CLUSTER_ROLE_BINDINGS: ResourceDefinition = defineResource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  resource: 'clusterrolebindings',
  namespaced: false,
  schema: 'io.k8s.api.rbac.v1.ClusterRoleBinding',
  strategy: {
    validateName,
    defaults: defaultBinding,
    validate: (object) => validateBinding(object, false),
    validateUpdate: (object, old) => [...validateBinding(object, false), ...roleRefUnchanged(object, old)],
  },
  table: BINDING_TABLE,
});

function validateClusterRole(object: JsonObject): FieldError[] {
  const errors = validateRules(object, false);
  const aggregation = object.aggregationRule;
  if (isJsonObject(aggregation)) {
    const selectors = Array.isArray(aggregation.clusterRoleSelectors) ? aggregation.clusterRoleSelectors : [];
    if (selectors.length === 0) {
      errors.push(fieldErrors.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    }
    selectors.forEach((selector, i) => errors.push(...validateLabelSelector(selector, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errors;
}

/** validatePolicyRule for each rule; `namespaced` rules (a Role's) may not name non-resource URLs. */
function validateRules(object: JsonObject, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  objects(object.rules).forEach((rule, i) => {
    const at = `rules[${i}]`;
    const apiGroups = strings(rule.apiGroups);
    const resources = strings(rule.resources);
    const resourceNames = strings(rule.resourceNames);
    const urls = strings(rule.nonResourceURLs);
    if (strings(rule.verbs).length === 0) errors.push(fieldErrors.required(`${at}.verbs`, 'verbs must contain at least one value'));
    if (urls.length > 0) {
      if (namespaced) errors.push(fieldErrors.invalid(`${at}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (apiGroups.length > 0 || resources.length > 0 || resourceNames.length > 0) {
        errors.push(fieldErrors.invalid(`${at}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (apiGroups.length === 0) errors.push(fieldErrors.required(`${at}.apiGroups`, 'resource rules must supply at least one api group'));
    if (resources.length === 0) errors.push(fieldErrors.required(`${at}.resources`, 'resource rules must supply at least one resource'));
    if (resourceNames.length > 0 && resources.length > 1) {
      errors.push(fieldErrors.required(`${at}.resourceNames`, 'resource names cannot apply to multiple resources'));
    }
  });
  return errors;
}

/** SetDefaults_RoleBinding / _ClusterRoleBinding and SetDefaults_Subject: the API groups left out. */
function defaultBinding(object: JsonObject): void {
  // roleRef is a struct, not a pointer, upstream: a binding without one still gets its API group.
  if (!isJsonObject(object.roleRef)) object.roleRef = {};
  const roleRef = object.roleRef;
  if (text(roleRef.apiGroup) === '') roleRef.apiGroup = RBAC_GROUP;
  for (const subject of objects(object.subjects)) {
    const kind = text(subject.kind);
    if (text(subject.apiGroup) === '' && (kind === 'User' || kind === 'Group')) subject.apiGroup = RBAC_GROUP;
  }
}

/** ValidateRoleBinding (`namespaced`) and ValidateClusterRoleBinding. */
function validateBinding(object: JsonObject, namespaced: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const roleRef = getObject(object, 'roleRef') ?? {};
  const apiGroup = text(roleRef.apiGroup);
  if (apiGroup !== RBAC_GROUP) errors.push(fieldErrors.notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = text(roleRef.kind);
  if (!kinds.includes(kind)) errors.push(fieldErrors.notSupported('roleRef.kind', kind, kinds));
  const name = text(roleRef.name);
  if (name === '') errors.push(fieldErrors.required('roleRef.name'));
  else for (const message of isValidPathSegmentName(name)) errors.push(fieldErrors.invalid('roleRef.name', name, message));
  objects(object.subjects).forEach((subject, i) => errors.push(...validateSubject(subject, namespaced, `subjects[${i}]`)));
  return errors;
}

/** validateRoleBindingSubject. */
function validateSubject(subject: JsonObject, namespaced: boolean, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = text(subject.name);
  const apiGroup = text(subject.apiGroup);
  if (name === '') errors.push(fieldErrors.required(`${at}.name`));
  const kind = text(subject.kind);
  switch (kind) {
    case 'ServiceAccount':
      if (name !== '') for (const message of isDNS1123Subdomain(name)) errors.push(fieldErrors.invalid(`${at}.name`, name, message));
      if (apiGroup !== '') errors.push(fieldErrors.notSupported(`${at}.apiGroup`, apiGroup, ['']));
      if (!namespaced && text(subject.namespace) === '') errors.push(fieldErrors.required(`${at}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (name === '') errors.push(fieldErrors.invalid(`${at}.name`, name, `${kind.toLowerCase()} name cannot be empty`));
      if (apiGroup !== RBAC_GROUP) errors.push(fieldErrors.notSupported(`${at}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errors.push(fieldErrors.notSupported(`${at}.kind`, kind, SUBJECT_KINDS));
  }
  return errors;
}

/** A binding's roleRef never changes ("cannot change roleRef"): delete and create the binding again. */
function roleRefUnchanged(object: JsonObject, old: JsonObject): FieldError[] {
  const now = getObject(object, 'roleRef') ?? {};
  const before = getObject(old, 'roleRef') ?? {};
  const same = ['apiGroup', 'kind', 'name'].every((key) => text(now[key]) === text(before[key]));
  return same ? [] : [fieldErrors.invalid('roleRef', roleRefValue(now), 'cannot change roleRef')];
}

/** The roleRef as upstream's error shows it: the struct's fields, all of them. */
function roleRefValue(roleRef: JsonObject): JsonValue {
  return { apiGroup: text(roleRef.apiGroup), kind: text(roleRef.kind), name: text(roleRef.name) };
}
