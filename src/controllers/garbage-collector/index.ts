/**
 * @module
 * The garbage collector (pkg/controller/garbagecollector): ownerReferences, and background,
 * foreground and orphan propagation of deletion.
 */
export { GarbageCollectorController, type GarbageCollectorControllerOptions } from './controller.js';
export { GarbageCollector, type GarbageCollectorOptions, type AttemptOutcome, NamespacedOwnerOfClusterScopedObjectError } from './garbage-collector.js';
export { GraphBuilder, type GraphEvent, type GraphEventType, type GraphBuilderSinks } from './graph-builder.js';
export { GraphNode, UidToNode, type ObjectIdentity, FINALIZER_ORPHAN, FINALIZER_FOREGROUND } from './graph.js';
export { type GcClient, KubeGcClient, type PropagationPolicy } from './gc-client.js';
export { GraphMonitors, type GraphMonitorsOptions, deletableResources, DEFAULT_IGNORED_RESOURCES } from './monitors.js';
export { ReferenceCache } from './reference-cache.js';
