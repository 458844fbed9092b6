/**
 * @module
 * The Manager (controller-runtime pkg/manager): runs a process's controllers and other parts under
 * one AbortSignal, with one shared informer factory (one watch per resource for all of them).
 *
 * - Informers start first; controllers wait for their caches to sync before reconciling.
 * - Parts that must not run twice in a cluster — controllers, by default — run only while this
 *   manager holds the leader Lease (when leader election is configured). Parts that set
 *   `needLeaderElection: false` run on every replica.
 * - Losing the lease stops everything and `run` rejects with "leader election lost": the process
 *   should exit and start afresh, as controller-runtime's managers do, rather than risk acting on
 *   state another leader now owns.
 * - `run` resolves only when every part has stopped (rule 11).
 */
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { SharedInformerFactory, type InformerFactoryOptions } from '../client/cache/informer-factory.js';
import type { SharedIndexInformer } from '../client/cache/shared-informer.js';
import type { BuiltInKindName, KubeClient } from '../client/kube-client.js';
import { LeaderElector } from '../client/leaderelection/leader-election.js';
import { EventRecorder } from '../client/record/event-recorder.js';
import { type Clock, realClock } from '../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../util/logger.js';
import { ControllerBuilder, type ControllerHost, type KindSpec, type ObjectOf } from './builder.js';
import type { Controller } from './controller.js';

/** Anything the manager runs. */
export interface Runnable {
  run(signal: AbortSignal): Promise<void>;
  /** Run only while leading. @defaultValue true */
  readonly needLeaderElection?: boolean;
}

export interface LeaderElectionOptions {
  /** Where the Lease lives. */
  readonly namespace: string;
  /** The Lease's name: one per controller set. */
  readonly name: string;
  /** @defaultValue `<hostname>_<random uuid>` as controller-runtime */
  readonly identity?: string;
  /** @defaultValue 15000 */
  readonly leaseDurationMs?: number;
  /** @defaultValue 10000 */
  readonly renewDeadlineMs?: number;
  /** @defaultValue 2000 */
  readonly retryPeriodMs?: number;
  /** Give the lease up when stopped, so another replica takes over at once. @defaultValue true */
  readonly releaseOnCancel?: boolean;
}

export interface ManagerOptions extends Omit<InformerFactoryOptions, 'clock' | 'logger'> {
  readonly client: KubeClient;
  readonly leaderElection?: LeaderElectionOptions;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /**
   * An informer factory to share with other managers of this process, so that they all read one
   * watch per resource. Its informers run under the signal of the manager that starts them first:
   * share it only among managers that run and stop together. @defaultValue a factory of its own
   */
  readonly informers?: SharedInformerFactory;
}

export class LeaderElectionLostError extends Error {
  override readonly name = 'LeaderElectionLostError';
}

export class Manager implements ControllerHost {
  readonly client: KubeClient;
  readonly informers: SharedInformerFactory;
  private readonly runnables: Runnable[] = [];
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private leader: LeaderElector | undefined;
  private running = false;

  constructor(private readonly options: ManagerOptions) {
    this.client = options.client;
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.informers = options.informers ?? new SharedInformerFactory(options.client, { ...options, clock: this.clock, logger: this.logger });
  }

  /** Starts building a controller that this manager will run. */
  controller(name: string): ControllerBuilder {
    return new ControllerBuilder(this, name);
  }

  /** The shared informer of a kind. */
  informerFor<K extends KindSpec>(kind: K): SharedIndexInformer<ObjectOf<K>> {
    const informer = typeof kind === 'string' ? this.informers.typed(kind as BuiltInKindName) : this.informers.forResource(kind);
    return informer as unknown as SharedIndexInformer<ObjectOf<K>>;
  }

  addController(controller: Controller): void {
    this.add(controller);
  }

  /** Adds a part to run. Only before `run`. */
  add(runnable: Runnable): void {
    if (this.running) throw new Error('the manager is already running: add its parts before run()');
    this.runnables.push(runnable);
  }

  /** An event recorder for a component (events show in `kubectl describe`). */
  eventRecorder(component: string): EventRecorder {
    let recorder = this.recorders.get(component);
    if (recorder === undefined) {
      recorder = new EventRecorder({ client: this.client, source: { component }, clock: this.clock, logger: this.logger });
      this.recorders.set(component, recorder);
    }
    return recorder;
  }

  /** True while this manager may run leader-only parts (always, without leader election). */
  isLeader(): boolean {
    return this.options.leaderElection === undefined || (this.leader?.isLeader() ?? false);
  }

  /** Runs every part until `signal` aborts (resolves) or leadership is lost (rejects). */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('the manager is already running');
    this.running = true;
    const stopAll = new AbortController();
    // Every part, informer and watch listens to it: many listeners by design.
    setMaxListeners(0, stopAll.signal);
    const forward = (): void => stopAll.abort();
    signal.addEventListener('abort', forward, { once: true });
    if (signal.aborted) forward();
    const runs: Promise<void>[] = [];
    const start = (runnable: Runnable, partSignal: AbortSignal): void => {
      runs.push(
        runnable.run(partSignal).catch((error: unknown) => {
          this.logger.warn(`a manager part failed: ${errorMessage(error)}; stopping the manager`);
          stopAll.abort();
        }),
      );
    };
    this.informers.start(stopAll.signal);
    for (const runnable of this.runnables) if (runnable.needLeaderElection === false) start(runnable, stopAll.signal);
    const leaderOnly = this.runnables.filter((r) => r.needLeaderElection !== false);
    let lost = false;
    const election = this.options.leaderElection;
    if (election === undefined) {
      for (const runnable of leaderOnly) start(runnable, stopAll.signal);
    } else {
      this.leader = new LeaderElector({
        client: this.client,
        namespace: election.namespace,
        name: election.name,
        identity: election.identity ?? `${hostname()}_${randomUUID()}`,
        ...(election.leaseDurationMs === undefined ? {} : { leaseDurationMs: election.leaseDurationMs }),
        ...(election.renewDeadlineMs === undefined ? {} : { renewDeadlineMs: election.renewDeadlineMs }),
        ...(election.retryPeriodMs === undefined ? {} : { retryPeriodMs: election.retryPeriodMs }),
        ...(election.releaseOnCancel === undefined ? {} : { releaseOnCancel: election.releaseOnCancel }),
        clock: this.clock,
        logger: this.logger,
        onStartedLeading: (leading) => {
          const partSignal = AbortSignal.any([leading, stopAll.signal]);
          setMaxListeners(0, partSignal);
          for (const runnable of leaderOnly) start(runnable, partSignal);
        },
        onStoppedLeading: () => {
          if (!signal.aborted) lost = true;
          stopAll.abort();
        },
      });
      runs.push(this.leader.run(stopAll.signal));
    }
    await new Promise<void>((resolve) => {
      if (stopAll.signal.aborted) resolve();
      else stopAll.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    // Parts started while leading are pushed to `runs` before the abort; wait for all of them.
    for (let awaited = 0; awaited < runs.length; ) {
      const batch = runs.slice(awaited);
      awaited += batch.length;
      await Promise.all(batch);
    }
    await this.informers.shutdown();
    signal.removeEventListener('abort', forward);
    for (const recorder of this.recorders.values()) await recorder.flush();
    if (lost) throw new LeaderElectionLostError('leader election lost: this manager no longer holds the lease');
  }
}
