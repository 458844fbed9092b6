/**
 * @module
 * The Endpoints and EndpointSlice controllers (upstream pkg/controller/endpoint and
 * pkg/controller/endpointslice): a Service's selected pods, published as v1 Endpoints and as
 * discovery.k8s.io/v1 EndpointSlices.
 */
export { EndpointsController, type EndpointsControllerOptions, type EndpointsClient, type EndpointsSyncSources } from './endpoints-controller.js';
export { EndpointSliceController, type EndpointSliceControllerOptions, type EndpointSliceClient, StaleInformerCacheError } from './endpointslice-controller.js';
export { reconcileSlices, type ReconcileInput, type SliceChanges, MAX_ENDPOINTS_PER_SLICE, LABEL_TOPOLOGY_ZONE } from './endpointslice-reconciler.js';
export { EndpointSliceTracker } from './endpointslice-tracker.js';
export { computeSubsets, repackSubsets, subsetsEqual } from './subsets.js';
export * from './endpoints-util.js';
