/**
 * @module
 * The garbage collector's monitors (graph_builder.go syncMonitors, garbagecollector.go Sync and
 * GetDeletableResources): one informer per resource that supports list, watch and delete, found
 * through discovery (preferred versions; events left out as upstream's DefaultIgnoredResources),
 * each feeding its events to the graph. `sync` runs discovery again (the controller calls it
 * periodically) so resources that appear later — CRDs — are monitored too; for a resource that
 * disappeared the handler is removed. Built-in kinds share the full informers the other controllers
 * use; every other resource (custom resources) is watched for its objects' metadata only, which is
 * all the collector reads — as upstream's controller-manager gives the collector typed informers
 * for built-in types and metadata informers for the rest (pkg/controller/garbagecollector's
 * informerFactory.ForResource).
 */
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import { deletedObject } from '../../client/cache/keys.js';
import type { HandlerRegistration, SharedIndexInformer } from '../../client/cache/shared-informer.js';
import type { DiscoveredResource } from '../../client/discovery.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';
import { BUILT_IN_KINDS } from '../../api/types/index.js';
import type { GraphEvent } from './graph-builder.js';

/** Resources the collector never watches (garbagecollector DefaultIgnoredResources). */
export const DEFAULT_IGNORED_RESOURCES: readonly string[] = ['events', 'events.events.k8s.io'];

export interface GraphMonitorsOptions {
  /** Every resource the server serves (e.g. `(signal) => client.discovery.serverResources(signal)`). */
  readonly discover: (signal: AbortSignal) => Promise<readonly DiscoveredResource[]>;
  readonly factory: SharedInformerFactory;
  /** Where each informer event goes (the collector's GraphBuilder.process). */
  readonly onEvent: (event: GraphEvent) => void;
  /** `resource` or `resource.group`. @defaultValue {@link DEFAULT_IGNORED_RESOURCES} */
  readonly ignoredResources?: readonly string[];
}

interface Monitor {
  readonly informer: SharedIndexInformer<KubeObject>;
  readonly registration: HandlerRegistration;
}

/** The built-in resources, as `resource` or `resource.group`. */
const BUILT_IN_RESOURCES: ReadonlySet<string> = new Set(BUILT_IN_KINDS.map(resourceName));

/** Resources the collector can watch: preferred versions supporting list, watch and delete. */
export function deletableResources(resources: readonly DiscoveredResource[], ignored: readonly string[] = DEFAULT_IGNORED_RESOURCES): DiscoveredResource[] {
  return resources.filter(
    (r) => r.preferred && ['delete', 'list', 'watch'].every((v) => r.verbs.includes(v)) && !ignored.includes(resourceName(r)),
  );
}

function resourceName(ref: { readonly group: string; readonly resource: string }): string {
  return ref.group === '' ? ref.resource : `${ref.resource}.${ref.group}`;
}

export class GraphMonitors {
  private readonly monitors = new Map<string, Monitor>();
  constructor(private readonly options: GraphMonitorsOptions) {
  }

  /** The resources monitored now, as `resource.group`. */
  get resources(): string[] {
    return [...this.monitors.keys()].sort();
  }

  /** True once every monitor's handler has seen its informer's initial list. */
  hasSynced(): boolean {
    return [...this.monitors.values()].every((m) => m.registration.hasSynced());
  }

  /** Discovers once, starts monitors for new resources and drops those of vanished ones. */
  async sync(signal: AbortSignal): Promise<void> {
    const wanted = deletableResources(await this.options.discover(signal), this.options.ignoredResources);
    const names = new Set(wanted.map(resourceName));
    for (const [name, monitor] of this.monitors) {
      if (names.has(name)) continue;
      monitor.informer.removeEventHandler(monitor.registration);
      this.monitors.delete(name);
    }
    for (const resource of wanted) {
      const name = resourceName(resource);
      if (this.monitors.has(name)) continue;
      const { factory } = this.options;
      const informer = BUILT_IN_RESOURCES.has(name) ? factory.forResource<KubeObject>(resource) : factory.forMetadata(resource);
      this.monitors.set(name, { informer, registration: informer.addEventHandler(this.handlerFor(resource)) });
    }
    if (!signal.aborted) this.options.factory.start(signal);
  }

  private handlerFor(resource: DiscoveredResource): Parameters<SharedIndexInformer<KubeObject>['addEventHandler']>[0] {
    const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
    const { kind } = resource;
    // Each event a literal of one shape: in V8 11, { ...event, apiVersion, kind } gave every event a
    // map of its own, and every read of the graph builder went megamorphic.
    const { onEvent } = this.options;
    return {
      onAdd: (object) => onEvent({ type: 'add', object, oldObject: undefined, apiVersion, kind }),
      onUpdate: (oldObject, object) => onEvent({ type: 'update', object, oldObject, apiVersion, kind }),
      onDelete: (deleted) => {
        const object: DeepReadonly<KubeObject> | undefined = deletedObject(deleted);
        if (object !== undefined) onEvent({ type: 'delete', object, oldObject: undefined, apiVersion, kind });
      },
    };
  }
}
