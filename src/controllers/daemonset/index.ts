/**
 * @module
 * The DaemonSet controller (upstream pkg/controller/daemon): one daemon pod per eligible node.
 */
export * from './daemon-util.js';
export * from './daemonset-status.js';
export * from './daemonset-controller.js';
