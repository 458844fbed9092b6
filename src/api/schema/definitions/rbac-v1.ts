/**
 * @module
 * Schemas of rbac.authorization.k8s.io/v1: Roles and ClusterRoles (sets of policy rules) and the
 * RoleBindings and ClusterRoleBindings that grant them to users, groups and service accounts
 * (k8s.io/api rbac/v1 types.go; proto field numbers from its generated.proto).
 */
import { type Definition, kindListDefinition, s, typeMeta } from '../schema.js';

const RBAC = 'io.k8s.api.rbac.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const GROUP = 'rbac.authorization.k8s.io';

const rules = (description: string): ReturnType<typeof s.array> =>
  s.array(description, s.ref(`${RBAC}.PolicyRule`), { listType: 'atomic', proto: 2 });
const subjects = s.array('The users, groups and service accounts the role is granted to.', s.ref(`${RBAC}.Subject`), { listType: 'atomic', proto: 2 });

const list = (kind: string, description: string): Definition => kindListDefinition(RBAC, { group: GROUP, version: 'v1' }, kind, description);

export const RBAC_V1: readonly Definition[] = [
  {
    name: `${RBAC}.Role`,
    schema: s.object('A namespaced set of policy rules, granted as a unit by RoleBindings in its namespace.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      rules: rules('The rules of this Role.'),
    }),
    gvk: [{ group: GROUP, version: 'v1', kind: 'Role' }],
  },
  {
    name: `${RBAC}.ClusterRole`,
    schema: s.object('A cluster-wide set of policy rules, granted as a unit by RoleBindings (in one namespace) or ClusterRoleBindings.', {
      ...typeMeta(),
      metadata: s.objectMeta(undefined, { proto: 1 }),
      rules: rules('The rules of this ClusterRole; with an aggregationRule they are managed by the controller that aggregates them.'),
      aggregationRule: s.ref(`${RBAC}.AggregationRule`, 'How to build the rules from those of other ClusterRoles; optional.', { proto: 3 }),
    }),
    gvk: [{ group: GROUP, version: 'v1', kind: 'ClusterRole' }],
  },
  {
    name: `${RBAC}.RoleBinding`,
    schema: s.object(
      'Grants a Role of its namespace, or a ClusterRole, to subjects within its namespace.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        subjects,
        roleRef: s.ref(`${RBAC}.RoleRef`, 'The Role or ClusterRole granted. Immutable.', { default: {}, proto: 3 }),
      },
      { required: ['roleRef'] },
    ),
    gvk: [{ group: GROUP, version: 'v1', kind: 'RoleBinding' }],
  },
  {
    name: `${RBAC}.ClusterRoleBinding`,
    schema: s.object(
      'Grants a ClusterRole to subjects in every namespace and for non-resource URLs.',
      {
        ...typeMeta(),
        metadata: s.objectMeta(undefined, { proto: 1 }),
        subjects,
        roleRef: s.ref(`${RBAC}.RoleRef`, 'The ClusterRole granted. Immutable.', { default: {}, proto: 3 }),
      },
      { required: ['roleRef'] },
    ),
    gvk: [{ group: GROUP, version: 'v1', kind: 'ClusterRoleBinding' }],
  },
  list('Role', 'A list of Roles.'),
  list('ClusterRole', 'A list of ClusterRoles.'),
  list('RoleBinding', 'A list of RoleBindings.'),
  list('ClusterRoleBinding', 'A list of ClusterRoleBindings.'),
  {
    name: `${RBAC}.PolicyRule`,
    schema: s.object(
      'Verbs allowed on resources (of API groups, optionally by name) or on non-resource URLs, but not both.',
      {
        verbs: s.array("The verbs allowed, e.g. get, list, watch, create; '*' is every verb.", s.string(''), { listType: 'atomic', proto: 1 }),
        apiGroups: s.array("The API groups of the resources; \"\" is the core group and '*' every group.", s.string(''), { listType: 'atomic', proto: 2 }),
        resources: s.array("The resources (or resource/subresource) the rule applies to; '*' is every resource.", s.string(''), { listType: 'atomic', proto: 3 }),
        resourceNames: s.array('The names of the objects the rule applies to; empty means every object.', s.string(''), { listType: 'atomic', proto: 4 }),
        nonResourceURLs: s.array(
          "Partial URLs (such as /healthz) the rule applies to, '*' allowed only as the final step; only for ClusterRoles bound by ClusterRoleBindings.",
          s.string(''),
          { listType: 'atomic', proto: 5 },
        ),
      },
      { required: ['verbs'] },
    ),
  },
  {
    name: `${RBAC}.AggregationRule`,
    schema: s.object('Which ClusterRoles to aggregate into a ClusterRole.', {
      clusterRoleSelectors: s.array('Label selectors of ClusterRoles whose rules are added; one matching selector is enough.', s.ref(`${META}.LabelSelector`), {
        listType: 'atomic',
        proto: 1,
      }),
    }),
  },
  {
    name: `${RBAC}.RoleRef`,
    schema: s.object(
      'The role a binding grants.',
      {
        apiGroup: s.string('The group of the role: rbac.authorization.k8s.io.', { default: '', proto: 1 }),
        kind: s.string('Role or ClusterRole.', { default: '', proto: 2 }),
        name: s.string('The name of the role.', { default: '', proto: 3 }),
      },
      { required: ['apiGroup', 'kind', 'name'], mapType: 'atomic' },
    ),
  },
  {
    name: `${RBAC}.Subject`,
    schema: s.object(
      'Who a binding grants its role to: a user, a group or a service account.',
      {
        kind: s.string('User, Group or ServiceAccount.', { default: '', proto: 1 }),
        apiGroup: s.string('The group of the subject: "" for ServiceAccount (the default), rbac.authorization.k8s.io for User and Group (the default).', {
          proto: 2,
          omitEmpty: true,
        }),
        name: s.string('The name of the user, group or service account.', { default: '', proto: 3 }),
        namespace: s.string('The namespace of a service account; must be empty for User and Group.', { proto: 4, omitEmpty: true }),
      },
      { required: ['kind', 'name'], mapType: 'atomic' },
    ),
  },
];
