/**
 * @module
 * Every built-in resource the API server serves, in the order discovery lists them.
 */
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { CONFIG_MAPS } from './configmaps.js';
import { CONTROLLER_REVISIONS } from './controllerrevisions.js';
import { CRON_JOBS } from './cronjobs.js';
import { CUSTOM_RESOURCE_DEFINITIONS } from './customresourcedefinitions.js';
import { DAEMON_SETS } from './daemonsets.js';
import { DEPLOYMENTS } from './deployments.js';
import { ENDPOINTS } from './endpoints.js';
import { ENDPOINT_SLICES } from './endpointslices.js';
import { CORE_EVENTS, EVENTS_V1 } from './events.js';
import { JOBS } from './jobs.js';
import { INGRESSES, INGRESS_CLASSES } from './ingresses.js';
import { LEASES } from './leases.js';
import { NAMESPACES } from './namespaces.js';
import { NETWORK_POLICIES } from './networkpolicies.js';
import { NODES } from './nodes.js';
import { PERSISTENT_VOLUME_CLAIMS } from './persistentvolumeclaims.js';
import { PERSISTENT_VOLUMES } from './persistentvolumes.js';
import { POD_DISRUPTION_BUDGETS } from './poddisruptionbudgets.js';
import { PODS } from './pods.js';
import { PRIORITY_CLASSES } from './priorityclasses.js';
import { CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS, ROLES, ROLE_BINDINGS } from './rbac.js';
import { REPLICA_SETS } from './replicasets.js';
import { NODE_METRICS, POD_METRICS } from './metrics.js';
import { SELF_SUBJECT_ACCESS_REVIEWS, SELF_SUBJECT_REVIEWS, SELF_SUBJECT_RULES_REVIEWS } from './reviews.js';
import { SECRETS } from './secrets.js';
import { SERVICE_ACCOUNTS } from './serviceaccounts.js';
import { SERVICES } from './services.js';
import { STATEFUL_SETS } from './statefulsets.js';
import { STORAGE_CLASSES } from './storageclasses.js';
import { VALIDATING_ADMISSION_POLICIES, VALIDATING_ADMISSION_POLICY_BINDINGS } from './validating-admission-policies.js';
import { MUTATING_WEBHOOK_CONFIGURATIONS, VALIDATING_WEBHOOK_CONFIGURATIONS } from './webhook-configurations.js';

export const BUILT_IN_RESOURCES: readonly ResourceDefinition[] = [
  NAMESPACES,
  PODS,
  NODES,
  SERVICES,
  ENDPOINTS,
  CONFIG_MAPS,
  SECRETS,
  SERVICE_ACCOUNTS,
  PERSISTENT_VOLUME_CLAIMS,
  PERSISTENT_VOLUMES,
  CORE_EVENTS,
  DEPLOYMENTS,
  REPLICA_SETS,
  STATEFUL_SETS,
  DAEMON_SETS,
  CONTROLLER_REVISIONS,
  SELF_SUBJECT_REVIEWS,
  SELF_SUBJECT_ACCESS_REVIEWS,
  SELF_SUBJECT_RULES_REVIEWS,
  NODE_METRICS,
  POD_METRICS,
  JOBS,
  CRON_JOBS,
  LEASES,
  EVENTS_V1,
  ENDPOINT_SLICES,
  INGRESS_CLASSES,
  INGRESSES,
  NETWORK_POLICIES,
  POD_DISRUPTION_BUDGETS,
  CLUSTER_ROLE_BINDINGS,
  CLUSTER_ROLES,
  ROLE_BINDINGS,
  ROLES,
  PRIORITY_CLASSES,
  STORAGE_CLASSES,
  CUSTOM_RESOURCE_DEFINITIONS,
  MUTATING_WEBHOOK_CONFIGURATIONS,
  VALIDATING_WEBHOOK_CONFIGURATIONS,
  VALIDATING_ADMISSION_POLICIES,
  VALIDATING_ADMISSION_POLICY_BINDINGS,
];
