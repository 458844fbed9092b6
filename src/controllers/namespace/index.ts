/**
 * @module
 * The namespace controller (pkg/controller/namespace): deleting a namespace deletes everything in
 * it, of every kind, then removes its `kubernetes` finalizer; what blocks it shows in its status
 * conditions.
 */
export { namespaceController, NamespaceReconciler, type NamespaceControllerOptions, type NamespaceReconcilerOptions } from './namespace-controller.js';
export {
  NamespacedResourcesDeleter,
  KubeNamespaceDeleterClient,
  type NamespaceDeleterClient,
  type DeleteOutcome,
  FINALIZER_KUBERNETES,
  FINALIZER_ESTIMATE_SECONDS,
} from './namespaced-resources-deleter.js';
export { NamespaceConditionUpdater, CONDITION_TYPES, type NamespaceConditionType, type RemainingContent } from './namespace-conditions.js';
