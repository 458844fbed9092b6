/**
 * @module
 * Simulated kubelets, like kwok: {@link NodeSimulator} registers N Nodes, renews their Leases in
 * kube-node-lease, and moves the pods bound to them through declarative stages (./stages.ts, with
 * defaults in ./default-stages.ts that a YAML file can replace).
 */
export { NodeSimulator, type NodeSimulatorOptions } from './node-simulator.js';
export { PodRunner, type PodRunnerOptions, type RunnerNode, type PodWriter, clientPodWriter, NODE_NAME_INDEX } from './pod-runner.js';
export { defaultPodStages, type DefaultPodStageOptions, RUN_DURATION_ANNOTATION, CRASH_LOOP_ANNOTATION } from './default-stages.js';
export {
  type Stage,
  type StageDelay,
  type StageNext,
  type StageEvent,
  type ContainerStatusTemplate,
  type CompiledStage,
  StageValidationError,
  parseStagesYaml,
  validateStages,
  compileStages,
} from './stages.js';
export { type StageSelector, type StageExpression, type StageOperator, parsePath, evaluatePath, selectorMatches, compileSelector } from './stage-selector.js';
export { chooseStage, stageDelayMs, stageAction, type StageAction, type StageContext } from './stage-engine.js';
export { PodIPAllocator, parseCidr, formatCidr, nthSubnet } from './ip-allocator.js';
export { buildNode, nodeStatus, KUBELET_VERSION, type NodeResources } from './node-object.js';
export {
  NODE_LEASE_NAMESPACE,
  NODE_LEASE_DURATION_SECONDS,
  NODE_LEASE_RENEW_INTERVAL_FRACTION,
  NODE_STATUS_REPORT_FREQUENCY_MS,
  buildNodeLease,
  renewedNodeLease,
} from './node-lease.js';
