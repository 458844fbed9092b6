/**
 * @module
 * The scheduler: assigns pending pods to nodes (see scheduler.ts), with its queue, cache, plugins and
 * HTTP extenders.
 */
export { Scheduler, DEFAULT_SCHEDULER_NAME, type SchedulerOptions, type EventSink } from './scheduler.js';
export { SchedulingQueue, type QueuedPodInfo, type ClusterEvent, type SchedulingQueueOptions } from './scheduling-queue.js';
export { SchedulerCache, type SchedulerCacheOptions } from './cache.js';
export { NodeInfo, type PodInfo, newPodInfo } from './node-info.js';
export { GenericScheduler, numFeasibleNodesToFind, type ScheduleResult, type GenericSchedulerOptions } from './schedule-pod.js';
export { FitError, fitReasonsMessage, NO_NODES_AVAILABLE } from './fit-error.js';
export { HTTPExtender, ExtenderError, type Extender, type ExtenderConfig, type ExtenderFilterOutcome, type HostPriority } from './extender.js';
export { KubePodWriter, bindingFor, type PodWriter, type PodScheduledCondition } from './binder.js';
export { PodNominator } from './nominator.js';
export { PreemptionEvaluator, nodeSimulation, type PreemptionResult, type PreemptionEvaluatorOptions } from './preemption-evaluator.js';
export {
  selectVictimsOnNode,
  pickOneNodeForPreemption,
  podEligibleToPreemptOthers,
  dryRunPreemption,
  calculateNumCandidates,
  disruptionBudget,
  type Candidate,
  type Victims,
  type DisruptionBudget,
  type NodeSimulation,
} from './preemption.js';
export { podPriority, moreImportantPod } from './priority.js';
