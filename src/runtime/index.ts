/**
 * @module
 * kubelite's controller runtime (controller-runtime's shape, on the client toolkit): reconcilers,
 * controllers, the builder with predicates, and the Manager. Import it as `kubelite/runtime`.
 */
export { type Reconciler, type Request, type Result, TerminalError, terminal, reconcilerFrom, requestKey, requestFromKey } from './reconciler.js';
export { Controller, type ControllerOptions, type WatchSpec, type ReconcileCounts } from './controller.js';
export { ControllerBuilder, type KindSpec, type ObjectOf, type TypedResourceRef } from './builder.js';
export * from './predicates.js';
export { type MapFunc, requestForObject, requestForOwner } from './event-handlers.js';
export { Manager, type ManagerOptions, type LeaderElectionOptions, type Runnable, LeaderElectionLostError } from './manager.js';
export {
  setControllerReference,
  setOwnerReference,
  removeOwnerReference,
  removeControllerReference,
  hasOwnerReference,
  getControllerOf,
  hasControllerReference,
  isControlledBy,
  AlreadyOwnedError,
  type OwnerGvk,
  type OwnerReferenceOptions,
} from './owner-references.js';
export * from './conditions.js';
export { createOrUpdate, semanticEqual, type OperationResult, type CreateOrUpdateClient } from './create-or-update.js';
export { t, Schema, type AnySchema, type Infer, type InferInput, type Presence, type JSONSchemaProps, type ValidationRule, type EmbeddedResource, type ConditionValue } from './schema-builder.js';
export { defineCustomResource, type CustomResource, type CustomResourceInput, type CustomResourceType, type CustomResourceOptions, type PrinterColumn } from './custom-resource.js';
