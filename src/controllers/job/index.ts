/**
 * @module
 * The Job controller (upstream pkg/controller/job): runs a Job's pods to completion.
 */
export * from './job-controller.js';
export * from './job-sync.js';
export * from './job-util.js';
