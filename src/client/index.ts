/**
 * @module
 * kubelite's client toolkit — client-go's machinery in TypeScript, for any Kubernetes API server:
 * config loading, the REST client, typed and dynamic resource clients, discovery, the cache
 * (Reflector, DeltaFIFO, Indexer, Listers, SharedIndexInformer and its factory), work queues, leader
 * election, the event recorder and finalizer helpers. Import it as `kubelite/client`.
 */
export { loadConfig, type LoadConfigOptions } from './config/load.js';
export { loadKubeconfig, parseKubeconfig } from './config/kubeconfig.js';
export { inClusterConfig, isInCluster } from './config/in-cluster.js';
export { type RestConfig, type TlsConfig, type ExecConfig, defaultNamespace } from './config/rest-config.js';
export { KubeClient, type BuiltInKindName } from './kube-client.js';
export { RestClient, type RestClientOptions, type RequestSpec, type Query } from './rest/rest-client.js';
export { WatchStream, type WatchEvent, type WatchEventType } from './rest/watch-stream.js';
export { ResourceClient, type ResourceRef, type ListOptions, type WatchOptions, type WriteOptions, type DeleteOptions, type PatchType, type PatchOptions } from './resource-client.js';
export { DiscoveryClient, RestMapper, NoMatchError, type DiscoveredResource } from './discovery.js';
export * from './errors.js';
export type { KubeObject, ObjectMeta, ObjectList, OwnerReference, DeepReadonly, PartialObjectMetadata } from './object.js';
export { Reflector, type ListerWatcher, type ReflectorStore, type ReflectorOptions } from './cache/reflector.js';
export { DeltaFIFO, type Delta, type DeltaType } from './cache/delta-fifo.js';
export { Indexer, type Indexers, type IndexFunc, NAMESPACE_INDEX, metaNamespaceIndexFunc } from './cache/thread-safe-store.js';
export { Lister, type NamespaceLister } from './cache/listers.js';
export { DeletedFinalStateUnknown, deletedObject, metaNamespaceKeyFunc, deletionHandlingMetaNamespaceKeyFunc, splitMetaNamespaceKey } from './cache/keys.js';
export { SharedIndexInformer, type SharedIndexInformerOptions, type HandlerRegistration, type ResourceEventHandler } from './cache/shared-informer.js';
export { SharedInformerFactory, listWatchFor, waitForCacheSync, type InformerFactoryOptions } from './cache/informer-factory.js';
export * from './workqueue/index.js';
export { LeaderElector, type LeaderElectionConfig } from './leaderelection/leader-election.js';
export { EventRecorder, type EventRecorderOptions, type EventSource, type EventType } from './record/event-recorder.js';
export * from './finalizers.js';
export type * as api from '../api/types/index.js';
