/**
 * @module
 * The StatefulSet controller (upstream pkg/controller/statefulset): ordered pods with stable names
 * and a ControllerRevision history.
 */
export * from './stateful-set-utils.js';
export * from './stateful-pod-control.js';
export * from './stateful-set-control.js';
export * from './stateful-set-history.js';
export * from './stateful-set-controller.js';
