/**
 * @module
 * What controllers share, as upstream's pkg/controller (controller_utils.go,
 * controller_ref_manager.go): expectations, slow-start batches, pod predicates and deletion ranking,
 * the pod index by controller, PodControl, and claiming by selector and controller reference.
 */
export * from './expectations.js';
export * from './slow-start-batch.js';
export * from './pod-utils.js';
export * from './pod-ranking.js';
export * from './pod-index.js';
export * from './owner-refs.js';
export * from './hash.js';
export * from './history.js';
export * from './pod-control.js';
export * from './controller-ref-manager.js';
