/**
 * @module
 * The scheduler (pkg/scheduler/scheduler.go, eventhandlers.go, schedule_one.go): assigns each pending
 * pod that names this scheduler (spec.schedulerName, default `default-scheduler`) and has no
 * spec.nodeName to a node, through the pods/binding subresource.
 *
 * Informer events keep two things current: the cache (nodes, and pods bound to them) and the
 * scheduling queue (pods waiting for a node). Cluster changes that could make a waiting pod fit — a
 * node added or changed in what scheduling reads, a bound pod deleted, a bound pod added for
 * affinity and spreading — move unschedulable pods back to be tried.
 *
 * One loop pops a pod and runs one attempt (schedule-pod.ts) against the cache; on success it
 * *assumes* the pod on its node in the cache and starts the binding without waiting for it, so the
 * next pod already sees that node's resources taken (upstream's assume cache; binding is its own
 * cycle). A binding that fails forgets the assumption and re-queues the pod; one the informer
 * confirms replaces it. Events in upstream's words: `Scheduled` "Successfully assigned ns/pod to
 * node", `FailedScheduling` with the FitError message; an unschedulable pod also gets the
 * PodScheduled=False condition.
 *
 * Preemption (DefaultPreemption's PostFilter) runs only after a FitError: if the pod may preempt and
 * some node has room once less important pods go (preemption-evaluator.ts), the victims get the
 * DisruptionTarget condition and are deleted gracefully, each with a `Preempted` event; pods of
 * lower priority nominated to that node lose their nomination (victims whose PodDisruptionBudget
 * allows no more disruptions are spared when possible); and the pod's status.nominatedNodeName
 * is set with its PodScheduled condition. The pod waits as unschedulable until the victims' deletion
 * moves it back, and is then tried on its nominated node first (schedule-pod.ts). Nominated pods
 * count on their node when less important pods are filtered (nominator.ts), so the room made is
 * kept for them. The FailedScheduling message is the FitError's, then preemption's verdict with
 * upstream's SeparatorFormat " %v."; an error thrown while preempting is that verdict
 * ("preemption: <error>") and leaves the nomination as it was.
 */
import type { SharedInformerFactory } from '../../client/cache/informer-factory.js';
import type { Lister } from '../../client/cache/listers.js';
import { deletedObject } from '../../client/cache/keys.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { DeepReadonly, KubeObject } from '../../client/object.js';
import type { coreV1 } from '../../api/types/index.js';
import { labelsEqual } from '../../api/labels.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../../util/logger.js';
import { EventRecorder as Recorder } from '../../client/record/event-recorder.js';
import { type PodWriter, KubePodWriter } from './binder.js';
import { SchedulerCache } from './cache.js';
import { type Extender, type ExtenderConfig, HTTPExtender } from './extender.js';
import { FitError } from './fit-error.js';
import { PodNominator } from './nominator.js';
import { PreemptionEvaluator } from './preemption-evaluator.js';
import { disruptionBudget } from './preemption.js';
import { GenericScheduler, type ScheduleResult } from './schedule-pod.js';
import { SELECTED_NODE_ANNOTATION } from './plugins/volume-binding.js';
import { type QueuedPodInfo, SchedulingQueue } from './scheduling-queue.js';
import type { Node, Pod } from './resources.js';
import { shallowCopy } from '../../api/json.js';
import { formatTime } from '../../api/time.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** The slice of EventRecorder the scheduler uses. */
export interface EventSink {
  event(object: DeepReadonly<KubeObject>, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface SchedulerOptions {
  readonly client: KubeClient;
  readonly informers: SharedInformerFactory;
  /** Pods whose spec.schedulerName is this are scheduled. @defaultValue 'default-scheduler' */
  readonly schedulerName?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** @defaultValue an EventRecorder with component = schedulerName, stopped with `run`'s signal */
  readonly recorder?: EventSink;
  readonly extenders?: readonly (ExtenderConfig | Extender)[];
  /** @defaultValue binds and patches through `client` */
  readonly podWriter?: PodWriter;
  /** 0 is adaptive, as upstream. @defaultValue 0 */
  readonly percentageOfNodesToScore?: number;
  /** @defaultValue 30000 */
  readonly assumedPodTtlMs?: number;
  readonly random?: () => number;
  /** @defaultValue 1000 */
  readonly podInitialBackoffMs?: number;
  /** @defaultValue 10000 */
  readonly podMaxBackoffMs?: number;
}

/** What the PostFilter (preemption) decided for a pod after a FitError. */
interface PostFilterOutcome {
  /** Its message for the FailedScheduling event, '' when it nominated the pod. */
  readonly message: string;
  /** The pod's new status.nominatedNodeName ('' clears it); undefined leaves it. */
  readonly nominatedNodeName: string | undefined;
}

/** Upstream truncates event messages to this many bytes. */
const MAX_EVENT_MESSAGE = 1024;

export class Scheduler {
  readonly schedulerName: string;
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  /** Pending pods nominated to nodes by preemption. */
  readonly nominator = new PodNominator();
  private readonly client: KubeClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly writer: PodWriter;
  private readonly algorithm: GenericScheduler;
  private readonly preemption: PreemptionEvaluator;
  private readonly pods: Lister<coreV1.Pod>;
  private readonly informers: SharedInformerFactory;
  private recorder: EventSink | undefined;
  /** Bindings started and not yet finished. */
  private readonly binding = new Set<Promise<void>>();

  constructor(options: SchedulerOptions) {
    this.client = options.client;
    this.informers = options.informers;
    this.schedulerName = options.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    if (this.schedulerName === '') throw new RangeError('Scheduler: schedulerName must not be empty');
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.recorder = options.recorder;
    this.writer = options.podWriter ?? new KubePodWriter(options.client);
    this.cache = new SchedulerCache({ clock: this.clock, ...(options.assumedPodTtlMs === undefined ? {} : { ttlMs: options.assumedPodTtlMs }) });
    this.queue = new SchedulingQueue({
      clock: this.clock,
      ...(options.podInitialBackoffMs === undefined ? {} : { initialBackoffMs: options.podInitialBackoffMs }),
      ...(options.podMaxBackoffMs === undefined ? {} : { maxBackoffMs: options.podMaxBackoffMs }),
    });
    const extenders = (options.extenders ?? []).map((e) => ('urlPrefix' in e ? new HTTPExtender(e) : e));
    // Claims and StorageClasses for the VolumeBinding PreFilter; a change to either may let a waiting pod go on.
    const claimInformer = options.informers.typed('v1/PersistentVolumeClaim');
    const classInformer = options.informers.typed('storage.k8s.io/v1/StorageClass');
    const claims = claimInformer.lister();
    const classes = classInformer.lister();
    const volumesChanged = (): void => this.queue.moveAllToActiveOrBackoffQueue('VolumeChange');
    claimInformer.addEventHandler({ onAdd: volumesChanged, onUpdate: volumesChanged });
    classInformer.addEventHandler({ onAdd: volumesChanged, onUpdate: volumesChanged });
    this.algorithm = new GenericScheduler(this.cache, {
      extenders,
      volumes: { claim: (namespace, name) => claims.namespace(namespace).get(name), storageClass: (name) => classes.get(name) },
      ...(options.percentageOfNodesToScore === undefined ? {} : { percentageOfNodesToScore: options.percentageOfNodesToScore }),
      ...(options.random === undefined ? {} : { random: options.random }),
      nominator: this.nominator,
    });
    // PodDisruptionBudgets are read only when preempting: their informer costs one watch.
    const pdbs = options.informers.typed('policy/v1/PodDisruptionBudget').lister();
    this.preemption = new PreemptionEvaluator({
      cache: this.cache,
      nominator: this.nominator,
      pdbs: () => pdbs.list().map(disruptionBudget),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    const podInformer = options.informers.typed('v1/Pod');
    const nodeInformer = options.informers.typed('v1/Node');
    this.pods = podInformer.lister();
    nodeInformer.addEventHandler({
      onAdd: (node) => this.onNodeAdd(node),
      onUpdate: (oldNode, node) => this.onNodeUpdate(oldNode, node),
      onDelete: (node) => {
        const n = deletedObject(node);
        if (n !== undefined) this.cache.removeNode(n.metadata?.name ?? '');
      },
    });
    podInformer.addEventHandler({
      onAdd: (pod) => this.onPodAdd(pod),
      onUpdate: (oldPod, pod) => this.onPodUpdate(oldPod, pod),
      onDelete: (pod) => {
        const p = deletedObject(pod);
        if (p !== undefined) this.onPodDelete(p);
      },
    });
  }

  /** Schedules until `signal` aborts; resolves once the loops have stopped and bindings finished. */
  async run(signal: AbortSignal): Promise<void> {
    this.recorder ??= new Recorder({ client: this.client, source: { component: this.schedulerName }, clock: this.clock, logger: this.logger, signal });
    this.informers.start(signal);
    if (!(await this.informers.waitForCacheSync(signal))) return;
    const queueRun = this.queue.run(signal);
    const cleanup = (async () => {
      while (!signal.aborted) {
        await this.clock.sleep(1000, signal);
        this.cache.cleanupAssumedPods();
      }
    })();
    const loop = (async () => {
      let n = 0;
      for (let info = await this.queue.pop(); info !== undefined; info = await this.queue.pop()) {
        await this.scheduleOne(info);
        // Let informer events and binding answers in between a run of pods that were all ready.
        if (++n % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        if (signal.aborted) break;
      }
    })();
    await Promise.all([queueRun, cleanup, loop]);
    await Promise.allSettled([...this.binding]);
  }

  /** One attempt for one popped pod (scheduleOne). */
  async scheduleOne(info: QueuedPodInfo): Promise<void> {
    const pod = info.pod;
    if (pod.metadata?.deletionTimestamp !== undefined || this.cache.isAssumed(pod)) return;
    const cycle = this.queue.schedulingCycle;
    let nodeName: string;
    let delayedClaims: ScheduleResult['delayedClaims'];
    try {
      ({ nodeName, delayedClaims } = await this.algorithm.schedule(pod));
    } catch (error) {
      this.handleFailure(info, error, cycle, error instanceof FitError ? await this.runPostFilter(info, error) : undefined);
      return;
    }
    const assumed: Pod = { ...pod, spec: withNodeName(pod.spec, nodeName) };
    try {
      this.cache.assumePod(assumed);
    } catch (error) {
      // The informer showed the pod bound while it was being scheduled: nothing left to do.
      this.logger.warn(`scheduler: skipping ${info.key}: ${errorMessage(error)}`);
      return;
    }
    this.nominator.deleteNominatedPodIfExists(pod);
    const binding = this.bind(info, assumed, nodeName, cycle, delayedClaims);
    this.binding.add(binding);
    void binding.finally(() => this.binding.delete(binding));
  }

  private async bind(info: QueuedPodInfo, assumed: Pod, nodeName: string, cycle: number, delayedClaims: ScheduleResult['delayedClaims']): Promise<void> {
    try {
      // PreBind (VolumeBinding's BindPodVolumes): the node is named on the claims that waited for it.
      for (const claim of delayedClaims) await this.selectNode(claim, nodeName);
      await this.writer.bind(assumed, nodeName);
    } catch (error) {
      this.cache.forgetPod(assumed);
      // The node's resources are free again: pods waiting for them may fit (upstream does the same).
      this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
      this.handleFailure(info, new Error(`binding rejected: ${errorMessage(error)}`), cycle);
      return;
    }
    this.cache.finishBinding(assumed);
    this.recorder?.event(podRef(assumed), 'Normal', 'Scheduled', `Successfully assigned ${assumed.metadata?.namespace ?? ''}/${assumed.metadata?.name ?? ''} to ${nodeName}`);
  }

  private async selectNode(claim: ScheduleResult['delayedClaims'][number], nodeName: string): Promise<void> {
    if (claim.metadata?.annotations?.[SELECTED_NODE_ANNOTATION] === nodeName) return;
    const patch = { metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: nodeName } } };
    await this.client.typed('v1/PersistentVolumeClaim').namespace(claim.metadata?.namespace ?? '').patch(claim.metadata?.name ?? '', patch, 'merge');
  }

  /**
   * The PostFilter, whose failure is the pod's failure only: an error thrown while preempting is a
   * failed PostFilter ("preemption: <error>", nomination unchanged) and never ends the scheduling loop.
   */
  private async runPostFilter(info: QueuedPodInfo, fit: FitError): Promise<PostFilterOutcome | undefined> {
    try {
      return await this.postFilter(info, fit);
    } catch (error) {
      this.logger.warn(`scheduler: preemption for pod ${info.key} failed: ${errorMessage(error)}`);
      return { message: `preemption: ${errorMessage(error)}`, nominatedNodeName: undefined };
    }
  }

  /**
   * RunPostFilterPlugins with DefaultPreemption (Evaluator.Preempt and prepareCandidate), for the
   * latest version of the pod; undefined when the pod no longer waits.
   */
  private async postFilter(info: QueuedPodInfo, fit: FitError): Promise<PostFilterOutcome | undefined> {
    const pod = this.pods.namespace(info.pod.metadata?.namespace ?? '').get(info.pod.metadata?.name ?? '');
    if (pod === undefined || pod.metadata?.uid !== info.pod.metadata?.uid || isAssigned(pod)) return undefined;
    const result = this.preemption.preempt(pod, fit);
    if (result.kind === 'Unschedulable') return { message: result.message, nominatedNodeName: result.clearNomination ? '' : undefined };
    const now = this.nowString();
    const disruption = `${pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME}: preempting to accommodate a higher priority pod`;
    try {
      await Promise.all(
        result.victims.map(async (victim) => {
          // Also for a victim already being deleted (PreemptPod does the same): without the condition,
          // podTerminatingByPreemption would not see it and the preemptor could preempt again elsewhere.
          await this.writer.setDisruptionTarget(victim, disruption, now);
          await this.writer.deletePod(victim);
          this.recorder?.event(podRef(victim), 'Normal', 'Preempted', `Preempted by pod ${pod.metadata?.uid ?? ''} on node ${result.nodeName}`);
        }),
      );
    } catch (error) {
      return { message: `preemption: ${errorMessage(error)}`, nominatedNodeName: undefined };
    }
    // Less important pods nominated there may no longer fit: they look for another place.
    for (const p of result.lowerPriorityNominated) {
      this.nominator.deleteNominatedPodIfExists(p);
      this.writer.setNominatedNodeName(p, '').catch((e: unknown) => {
        this.logger.warn(`scheduler: cannot clear the nominatedNodeName of ${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}: ${errorMessage(e)}`);
      });
    }
    return { message: '', nominatedNodeName: result.nodeName };
  }

  /** handleSchedulingFailure: event, condition (and nomination), and back to the queue if the pod still waits. */
  private handleFailure(info: QueuedPodInfo, error: unknown, cycle: number, post?: PostFilterOutcome): void {
    const fit = error instanceof FitError;
    let text = errorMessage(error);
    // The PostFilter's message follows with upstream's SeparatorFormat " %v.", so one ending in "." ends in "..".
    if (fit && post !== undefined && post.message !== '') text = `${text} ${post.message}.`;
    const message = truncate(text);
    if (!fit) this.logger.warn(`scheduler: error scheduling pod ${info.key}: ${message}`);
    const ns = info.pod.metadata?.namespace ?? '';
    const current = this.pods.namespace(ns).get(info.pod.metadata?.name ?? '');
    // A pod deleted, replaced, or bound meanwhile is no longer ours to retry.
    if (current === undefined || current.metadata?.uid !== info.pod.metadata?.uid || (current.spec?.nodeName ?? '') !== '') return;
    info.pod = current;
    // Recorded at once, so the next pods see the nomination before its patch comes back.
    if (post?.nominatedNodeName !== undefined) this.nominator.addNominatedPod(current, post.nominatedNodeName);
    // Written only when it changes (upstream's updatePod compares the same way); the writer relies on it.
    const nominatedNodeName = post?.nominatedNodeName === (current.status?.nominatedNodeName ?? '') ? undefined : post?.nominatedNodeName;
    this.queue.addUnschedulableIfNotPresent(info, fit ? error.unschedulablePlugins : new Set(), cycle);
    this.recorder?.event(podRef(current), 'Warning', 'FailedScheduling', message);
    this.writer.setPodScheduledCondition(current, { status: 'False', reason: fit ? 'Unschedulable' : 'SchedulerError', message }, this.nowString(), nominatedNodeName).catch((e: unknown) => {
      this.logger.warn(`scheduler: could not update the PodScheduled condition of ${info.key}: ${errorMessage(e)}`);
    });
  }

  /** Now as an API timestamp (whole seconds). */
  private nowString(): string {
    return formatTime(this.clock.now());
  }

  private responsibleFor(pod: Pod): boolean {
    return (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME) === this.schedulerName;
  }

  private onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoffQueue('NodeAdd');
  }

  private onNodeUpdate(oldNode: Node, node: Node): void {
    this.cache.updateNode(node);
    if (nodeSchedulingPropertiesChanged(oldNode, node)) this.queue.moveAllToActiveOrBackoffQueue('NodeUpdate');
  }

  private onPodAdd(pod: Pod): void {
    if (isAssigned(pod)) {
      if (isTerminal(pod)) return;
      this.cache.addPod(pod);
      this.queue.moveAllToActiveOrBackoffQueue('AssignedPodAdd');
    } else if (this.responsibleFor(pod) && pod.metadata?.deletionTimestamp === undefined) {
      this.queue.add(pod);
      if ((pod.status?.nominatedNodeName ?? '') !== '') this.nominator.addNominatedPod(pod);
    }
  }

  private onPodUpdate(oldPod: Pod, pod: Pod): void {
    if (isAssigned(pod)) {
      if (!isAssigned(oldPod)) {
        this.queue.delete(pod);
        this.nominator.deleteNominatedPodIfExists(pod);
      }
      if (isTerminal(pod)) {
        this.cache.removePod(pod);
        this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
        return;
      }
      this.cache.updatePod(pod);
      if (!isAssigned(oldPod)) this.queue.moveAllToActiveOrBackoffQueue('AssignedPodAdd');
      else if (!labelsEqual(oldPod.metadata?.labels, pod.metadata?.labels)) this.queue.moveAllToActiveOrBackoffQueue('AssignedPodUpdate');
      return;
    }
    if (!this.responsibleFor(pod) || pod.metadata?.deletionTimestamp !== undefined) {
      this.queue.delete(pod);
      this.nominator.deleteNominatedPodIfExists(pod);
      return;
    }
    this.queue.update(oldPod, pod);
    this.nominator.updateNominatedPod(oldPod, pod);
  }

  private onPodDelete(pod: Pod): void {
    if (isAssigned(pod)) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
    } else {
      this.queue.delete(pod);
      this.nominator.deleteNominatedPodIfExists(pod);
    }
  }
}

function isAssigned(pod: Pod): boolean {
  return (pod.spec?.nodeName ?? '') !== '';
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Pods from lists carry no kind; events need one. */
function podRef(pod: Pod): DeepReadonly<KubeObject> {
  return { apiVersion: 'v1', kind: 'Pod', ...(pod.metadata === undefined ? {} : { metadata: pod.metadata }) };
}

function truncate(message: string): string {
  return message.length <= MAX_EVENT_MESSAGE ? message : `${message.slice(0, MAX_EVENT_MESSAGE - 3)}...`;
}

/** eventhandlers.go nodeSchedulingPropertiesChange: only what filters read re-queues pods. */
function nodeSchedulingPropertiesChanged(oldNode: Node, node: Node): boolean {
  if ((oldNode.spec?.unschedulable ?? false) !== (node.spec?.unschedulable ?? false)) return true;
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(oldNode.status?.allocatable, node.status?.allocatable)) return true;
  if (!same(oldNode.metadata?.labels, node.metadata?.labels)) return true;
  if (!same(oldNode.spec?.taints, node.spec?.taints)) return true;
  const conditions = (n: Node): string[] => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`);
  return !same(conditions(oldNode), conditions(node));
}

/** A copy of `spec` with `nodeName` set, for the assumed pod (see shallowCopy for why not a spread). */
function withNodeName(spec: Pod['spec'], nodeName: string): NonNullable<Pod['spec']> {
  if (spec === undefined) return { containers: [], nodeName };
  const copy = shallowCopy(spec);
  copy.nodeName = nodeName;
  return copy;
}
