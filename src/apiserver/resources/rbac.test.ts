/**
 * Unit tests of the RBAC kinds (rbac.ts): upstream's rule and binding validation with its wording,
 * the defaulted API groups, the immutable roleRef, and the columns kubectl shows.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext, ResourceDefinition } from '../registry/resource-definition.js';
import { CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS, ROLES, ROLE_BINDINGS } from './rbac.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const GROUP = 'rbac.authorization.k8s.io';

function errors(definition: ResourceDefinition, object: JsonObject): string[] {
  definition.strategy.defaults?.(object);
  return (definition.strategy.validate?.(object, CTX) ?? []).map(formatFieldError);
}

const role = (rules: JsonObject[]): JsonObject => ({ metadata: { name: 'r', namespace: 'default' }, rules });
const binding = (roleRef: JsonObject, subjects: JsonObject[] = []): JsonObject => ({ metadata: { name: 'b', namespace: 'default' }, roleRef, subjects });

describe('Roles and ClusterRoles', () => {
  test('a resource rule needs verbs, API groups and resources; resourceNames only with one resource', () => {
    assert.deepEqual(errors(ROLES, role([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['web'] }])), []);
    assert.deepEqual(errors(ROLES, role([{ resources: ['pods', 'services'], resourceNames: ['web'] }])), [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resourceNames: Required value: resource names cannot apply to multiple resources',
    ]);
    assert.deepEqual(errors(ROLES, role([{ verbs: ['*'], apiGroups: ['*'] }])), ['rules[0].resources: Required value: resource rules must supply at least one resource']);
  });

  test('non-resource URLs only in ClusterRoles, and never with resources', () => {
    const urls = { verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics'] };
    assert.deepEqual(errors(CLUSTER_ROLES, role([urls])), []);
    assert.deepEqual(errors(ROLES, role([urls])), ['rules[0].nonResourceURLs: Invalid value: ["/healthz","/metrics"]: namespaced rules cannot apply to non-resource URLs']);
    assert.deepEqual(errors(CLUSTER_ROLES, role([{ ...urls, resources: ['pods'] }])), [
      'rules[0].nonResourceURLs: Invalid value: ["/healthz","/metrics"]: rules cannot apply to both regular resources and non-resource URLs',
    ]);
  });

  test('an aggregationRule needs at least one valid ClusterRole selector', () => {
    const aggregated = (selectors: JsonObject[]): JsonObject => ({ metadata: { name: 'monitoring' }, aggregationRule: { clusterRoleSelectors: selectors }, rules: [] });
    assert.deepEqual(errors(CLUSTER_ROLES, aggregated([{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }])), []);
    assert.deepEqual(errors(CLUSTER_ROLES, aggregated([])), [
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
    assert.equal(errors(CLUSTER_ROLES, aggregated([{ matchExpressions: [{ key: 'a', operator: 'Near' }] }])).length, 1);
  });

  test('names need only be URL path segments', () => {
    assert.deepEqual(ROLES.strategy.validateName?.('system:controller:Job_Controller', false), []);
    assert.deepEqual(CLUSTER_ROLES.strategy.validateName?.('a/b', false), ["may not contain '/'"]);
  });

  test('kubectl shows NAME and CREATED AT', () => {
    const object = { metadata: { name: 'pod-reader', creationTimestamp: '2026-11-26T11:00:00Z' }, rules: [] };
    assert.deepEqual(ROLES.table?.columns.map((c) => c.name), ['Name', 'Created At']);
    assert.deepEqual(CLUSTER_ROLES.table?.cells(object, NOW), ['pod-reader', '2026-11-26T11:00:00Z']);
  });
});

describe('RoleBindings and ClusterRoleBindings', () => {
  test('the API groups of the roleRef and of User and Group subjects are defaulted; a ServiceAccount keeps none', () => {
    const object = binding({ kind: 'Role', name: 'pod-reader' }, [
      { kind: 'User', name: 'jane' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'robot' },
    ]);
    assert.deepEqual(errors(ROLE_BINDINGS, object), []);
    assert.deepEqual(object.roleRef, { kind: 'Role', name: 'pod-reader', apiGroup: GROUP });
    assert.deepEqual(
      (object.subjects as JsonObject[]).map((s) => s.apiGroup),
      [GROUP, GROUP, undefined],
    );
  });

  test('the roleRef is a Role or ClusterRole of rbac.authorization.k8s.io with a name; a ClusterRoleBinding\'s a ClusterRole', () => {
    assert.deepEqual(errors(ROLE_BINDINGS, binding({ apiGroup: 'example.com', kind: 'Secret', name: '' })), [
      'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Secret": supported values: "Role", "ClusterRole"',
      'roleRef.name: Required value',
    ]);
    assert.deepEqual(errors(CLUSTER_ROLE_BINDINGS, binding({ kind: 'Role', name: 'r' })), ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"']);
    assert.deepEqual(errors(ROLE_BINDINGS, binding({ kind: 'ClusterRole', name: '..' })), ["roleRef.name: Invalid value: \"..\": may not be '..'"]);
    const noRoleRef: JsonObject = { metadata: { name: 'b', namespace: 'default' } };
    assert.deepEqual(errors(ROLE_BINDINGS, noRoleRef), [
      'roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"',
      'roleRef.name: Required value',
    ], 'a missing roleRef is the empty one, its API group defaulted');
  });

  test('subjects are Users, Groups or ServiceAccounts, each worded as upstream refuses it', () => {
    const refused = errors(CLUSTER_ROLE_BINDINGS, binding({ kind: 'ClusterRole', name: 'view' }, [
      { kind: 'ServiceAccount', name: 'Robot_1', apiGroup: 'v1' },
      { kind: 'User', name: '' },
      { kind: 'Group', name: 'ops', apiGroup: 'example.com' },
      { kind: 'Robot', name: 'r' },
    ]));
    assert.deepEqual(refused, [
      'subjects[0].name: Invalid value: "Robot_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      'subjects[0].apiGroup: Unsupported value: "v1": supported values: ""',
      'subjects[0].namespace: Required value',
      'subjects[1].name: Required value',
      'subjects[1].name: Invalid value: "": user name cannot be empty',
      'subjects[2].apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
      'subjects[3].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    assert.deepEqual(errors(ROLE_BINDINGS, binding({ kind: 'Role', name: 'r' }, [{ kind: 'ServiceAccount', name: 'robot' }])), [], 'a RoleBinding\'s service account may leave its namespace out');
  });

  test('the roleRef cannot change', () => {
    const old = binding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'view' });
    const changed = binding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'edit' });
    assert.deepEqual((ROLE_BINDINGS.strategy.validateUpdate?.(changed, old, CTX) ?? []).map(formatFieldError), [
      'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"}: cannot change roleRef',
    ]);
    const subjectsOnly = binding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', apiGroup: GROUP, name: 'jane' }]);
    assert.deepEqual(CLUSTER_ROLE_BINDINGS.strategy.validateUpdate?.(subjectsOnly, old, CTX), []);
  });

  test('kubectl shows the role, and -o wide the users, groups and service accounts', () => {
    const object = binding({ apiGroup: GROUP, kind: 'ClusterRole', name: 'view' }, [
      { kind: 'User', name: 'jane' },
      { kind: 'User', name: 'joe' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'robot', namespace: 'ci' },
      { kind: 'ServiceAccount', name: 'builder' },
    ]);
    (object.metadata as JsonObject).creationTimestamp = '2026-11-26T11:59:00Z';
    assert.deepEqual(ROLE_BINDINGS.table?.cells(object, NOW), ['b', 'ClusterRole/view', '60s', 'jane, joe', 'devs', 'ci/robot, /builder']);
  });
});
