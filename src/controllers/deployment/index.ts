/**
 * @module
 * The Deployment controller (upstream pkg/controller/deployment): rolling and recreate rollouts
 * through ReplicaSets, revisions, pause, status and conditions.
 */
export * from './deployment-controller.js';
export * from './deployment-util.js';
export * from './deployment-status.js';
export * from './pod-template-hash.js';
export { DEPLOYMENT_KIND, type DeploymentClient, type ReplicaSetControl, type SyncContext } from './sync.js';
