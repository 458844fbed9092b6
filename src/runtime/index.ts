/**
 * @module
 * kubelite's controller runtime (controller-runtime's shape, on the client toolkit): reconcilers,
 * controllers, the builder with predicates, and the Manager. Import it as `kubelite/runtime`.
 */
export { type Reconciler, type Request, type Result, TerminalError, terminal, reconcilerFrom, requestKey, requestFromKey } from './reconciler.js';
export { Controller, type ControllerOptions, type WatchSpec, type ReconcileCounts } from './controller.js';
export { ControllerBuilder, type KindSpec } from './builder.js';
export * from './predicates.js';
export { type MapFunc, requestForObject, requestForOwner } from './event-handlers.js';
export { Manager, type ManagerOptions, type LeaderElectionOptions, type Runnable, LeaderElectionLostError } from './manager.js';
