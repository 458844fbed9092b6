/**
 * @module
 * The CronJob controller (upstream pkg/controller/cronjob): starts Jobs on a cron schedule.
 */
export * from './cron-schedule.js';
export * from './cronjob-controller.js';
export * from './cronjob-sync.js';
export * from './cronjob-utils.js';
