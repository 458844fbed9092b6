/**
 * @module
 * The node lifecycle controller: NotReady/Unknown after missed heartbeats, taints, and taint-based
 * eviction of pods (upstream pkg/controller/nodelifecycle and pkg/controller/tainteviction).
 */
export * from './node-lifecycle-controller.js';
export * from './node-health.js';
export * from './taint-eviction.js';
export * from './taints.js';
