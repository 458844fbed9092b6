/**
 * @module
 * The LeaderElector: leader election over a coordination.k8s.io/v1 Lease, as client-go's
 * `tools/leaderelection/leaderelection.go` with `resourcelock/leaselock.go`. The protocol's decisions
 * are the pure state machine in `leader-election-state.ts`; this file performs its actions — reads and
 * writes the Lease, sleeps on the injected clock, starts and stops the leader's work.
 *
 * - Candidates try every retryPeriod (jittered ×[1, 2.2)) to take the Lease: when it does not exist,
 *   when nobody holds it, when its holder has not changed it for leaseDurationSeconds *as this
 *   client observed* (never trusting another machine's timestamps), or when it is already ours.
 * - Every write is fenced: an update carries the resourceVersion last read or written, so a Conflict
 *   means someone else wrote first. It is not leadership and is not retried blindly; the next read
 *   decides.
 * - The leader renews every retryPeriod. A renewal round that has not succeeded within renewDeadline
 *   ends leadership: the leader's signal aborts, onStoppedLeading runs and `run` returns. Like
 *   upstream, the elector does not stand for election again by itself; call `run` again for that.
 * - Cancelling `run` stops leading too, and with `releaseOnCancel` clears the holder (duration 1 s) so
 *   another candidate takes over at once. The release is written only after the leader's work has
 *   finished (upstream releases first and asks the caller to have stopped already).
 *
 * As upstream warns, this is not fencing of the leader's own writes: a leader that loses the lease
 * learns of it within renewDeadline, and others wait leaseDuration (longer) before taking over.
 */
import type { coordinationV1 } from '../../api/types/index.js';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../../util/logger.js';
import { isNotFound } from '../errors.js';
import type { KubeClient } from '../kube-client.js';
import type { ResourceClient } from '../resource-client.js';
import {
  type ElectorAction,
  type ElectorInput,
  type ElectorState,
  type LeaderElectionRecord,
  type Observation,
  decideWrite,
  isLeaseValid,
  leaseSpecFromRecord,
  observe,
  recordFromLease,
  releasedRecord,
  start,
  step,
} from './leader-election-state.js';

type Lease = coordinationV1.Lease;

/** The slice of the Lease client the elector uses. */
export type LeaseClient = Pick<ResourceClient<Lease>, 'get' | 'create' | 'update'>;

export interface LeaderElectionConfig {
  readonly client: KubeClient;
  /** Where the Lease lives. */
  readonly namespace: string;
  readonly name: string;
  /** This candidate's name in `spec.holderIdentity`; unique among the candidates. */
  readonly identity: string;
  /** How long others wait, from the last change they saw, before taking the lease. @defaultValue 15000 */
  readonly leaseDurationMs?: number;
  /** How long a leader keeps trying to renew before it gives up. @defaultValue 10000 */
  readonly renewDeadlineMs?: number;
  /** The spacing of attempts. @defaultValue 2000 */
  readonly retryPeriodMs?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly logger?: Logger;
  /** Clear the holder when `run` is cancelled while leading. @defaultValue true */
  readonly releaseOnCancel?: boolean;
  /** Called on becoming leader; `signal` aborts when leadership ends. `run` waits for its promise. */
  readonly onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called once leadership has ended (only after onStartedLeading was called). */
  readonly onStoppedLeading: () => void;
  /** Called with each new holder this client observes, itself included. */
  readonly onNewLeader?: (identity: string) => void;
}

/** Counts of the elector's work; tests use them to know it has acted. */
export interface LeaderElectorStats {
  /** tryAcquireOrRenew calls finished. */
  attempts: number;
  /** Writes of the Lease that succeeded (creates, takeovers, renewals, the release). */
  writes: number;
}

interface LeaderWork {
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export class LeaderElector {
  readonly stats: LeaderElectorStats = { attempts: 0, writes: 0 };
  private readonly config: LeaderElectionConfig;
  private readonly leases: LeaseClient;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private state: ElectorState = { phase: 'stopped', cause: 'cancelled' };
  private running = false;
  /** The record as last read or written, and when it was first seen so (upstream's observedTime). */
  private observation: Observation | undefined;
  /** The Lease as last read or written; its resourceVersion fences the next update. */
  private lease: Lease | undefined;
  /** The holder last reported to onNewLeader. */
  private reportedLeader = '';

  constructor(config: LeaderElectionConfig) {
    const leaseDurationMs = config.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = config.retryPeriodMs ?? 2_000;
    // NewLeaderElector's checks: a leader must give up (renewDeadline) before others may take over
    // (leaseDuration), and must get more than one jittered retry in before it gives up.
    if (!(leaseDurationMs > 0 && this.renewDeadlineMs > 0 && this.retryPeriodMs > 0)) {
      throw new RangeError('LeaderElector: leaseDuration, renewDeadline and retryPeriod must be greater than zero');
    }
    if (leaseDurationMs <= this.renewDeadlineMs) throw new RangeError('LeaderElector: leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= 1.2 * this.retryPeriodMs) {
      throw new RangeError('LeaderElector: renewDeadline must be greater than retryPeriod*JitterFactor (1.2)');
    }
    if (config.identity === '') throw new RangeError('LeaderElector: identity must not be empty');
    if (config.namespace === '' || config.name === '') throw new RangeError('LeaderElector: the Lease needs a namespace and a name');
    this.config = config;
    // Whole seconds on the wire; rounding up keeps the lease others honour at least as long as asked
    // (upstream truncates, which would make 1500 ms a 1 s lease, shorter than a 1 s renewDeadline).
    this.leaseDurationSeconds = Math.ceil(leaseDurationMs / 1000);
    this.leases = config.client.typed('coordination.k8s.io/v1/Lease').namespace(config.namespace);
    this.clock = config.clock ?? realClock;
    this.random = config.random ?? Math.random;
    this.logger = config.logger ?? stderrLogger;
  }

  /** Whether this elector is leading now (false once leadership has ended, even before release). */
  isLeader(): boolean {
    return this.state.phase === 'leading';
  }

  /** The holder last observed ('' for none yet, or a released lease). */
  getLeader(): string {
    return this.observation?.record.holderIdentity ?? '';
  }

  /**
   * Stands for election until leadership is lost or `signal` aborts; resolves once the leader's work
   * has finished, the lease is released (if configured) and onStoppedLeading has run.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('LeaderElector: run is already in progress');
    this.running = true;
    try {
      await this.loop(signal);
    } finally {
      this.running = false;
    }
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const timing = { renewDeadlineMs: this.renewDeadlineMs, retryPeriodMs: this.retryPeriodMs };
    const first = start();
    this.state = first.state;
    let pending: ElectorAction[] = [...first.actions];
    let leader: LeaderWork | undefined;
    const feed = (input: ElectorInput): void => {
      const next = step(this.state, input, timing);
      this.state = next.state;
      pending = [...next.actions];
    };
    this.logger.info(`attempting to acquire leader lease ${this.describe()}...`);
    for (;;) {
      if (signal.aborted && this.state.phase !== 'stopped') feed({ type: 'cancelled' });
      const action = pending.shift();
      if (action === undefined) throw new Error('LeaderElector: the state machine gave no next action');
      switch (action.type) {
        case 'attempt': {
          const succeeded = await this.attempt(signal, action.deadline);
          // A cancelled run stops without acting on what the attempt found.
          if (!signal.aborted) feed({ type: 'attempted', now: this.clock.now(), succeeded });
          break;
        }
        case 'wait':
          await this.clock.sleep(action.ms + this.random() * action.jitterFactor * action.ms, signal);
          if (!signal.aborted) feed({ type: 'tick', now: this.clock.now() });
          break;
        case 'startLeading':
          this.logger.info(`successfully acquired lease ${this.describe()}`);
          leader = this.startLeading();
          break;
        case 'stop':
          if (action.cause === 'lost') this.logger.warn(`failed to renew lease ${this.describe()}: leadership lost`);
          await this.shutdown(leader);
          return;
        default:
          assertNever(action);
      }
    }
  }

  /** One tryAcquireOrRenew, cut off at `deadline` (on this elector's clock) when given. */
  private async attempt(signal: AbortSignal, deadline: number | undefined): Promise<boolean> {
    const timer = new AbortController();
    const cutoff = new AbortController();
    if (deadline !== undefined) {
      void this.clock.sleep(deadline - this.clock.now(), timer.signal).then(() => {
        if (!timer.signal.aborted) cutoff.abort(new Error('renew deadline passed'));
      });
    }
    try {
      return await this.tryAcquireOrRenew(AbortSignal.any([signal, cutoff.signal]));
    } finally {
      timer.abort();
      this.stats.attempts++;
      this.maybeReportTransition();
    }
  }

  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    // 1. The leader's fast path: update the Lease it last wrote, assuming nobody else has since.
    const observed = this.observation;
    if (this.lease !== undefined && observed?.record.holderIdentity === this.config.identity && isLeaseValid(observed, this.clock.now())) {
      const decision = decideWrite({ identity: this.config.identity, leaseDurationSeconds: this.leaseDurationSeconds, now: this.clock.now(), current: observed });
      if (decision.write === 'update' && (await this.write(decision.record, signal, 'optimistic renewal'))) return true;
      if (signal.aborted) return false;
    }
    // 2. Read the Lease; 3. decide against what this client has observed; 4. write, fenced.
    let current: Lease | undefined;
    try {
      current = await this.leases.get(this.config.name, { signal });
    } catch (error) {
      if (!isNotFound(error)) {
        this.logger.warn(`error retrieving resource lock ${this.describe()}: ${errorMessage(error)}`);
        return false;
      }
    }
    const now = this.clock.now();
    this.lease = current;
    if (current !== undefined) this.observation = observe(this.observation, recordFromLease(current), now);
    const decision = decideWrite({
      identity: this.config.identity,
      leaseDurationSeconds: this.leaseDurationSeconds,
      now,
      current: current === undefined ? undefined : this.observation,
    });
    switch (decision.write) {
      case 'none':
        return false;
      case 'create':
      case 'update':
        return this.write(decision.record, signal, decision.write === 'create' ? 'initial create' : 'update');
      default:
        return assertNever(decision);
    }
  }

  /** Creates the Lease (when none was read) or updates the one read; false if the write failed. */
  private async write(record: LeaderElectionRecord, signal: AbortSignal, what: string): Promise<boolean> {
    const spec = leaseSpecFromRecord(record);
    try {
      const base = this.lease;
      const written =
        base === undefined
          ? await this.leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.config.name, namespace: this.config.namespace }, spec }, { signal })
          : // Carries base.metadata.resourceVersion: a compare-and-swap, 409 if anyone wrote since.
            await this.leases.update({ ...base, spec }, { signal });
      this.lease = written;
      this.observation = { record, time: this.clock.now() };
      this.stats.writes++;
      return true;
    } catch (error) {
      if (!signal.aborted) this.logger.warn(`failed ${what} of lease ${this.describe()}: ${errorMessage(error)}`);
      return false;
    }
  }

  private startLeading(): LeaderWork {
    const controller = new AbortController();
    const done = (async () => {
      try {
        await this.config.onStartedLeading(controller.signal);
      } catch (error) {
        this.logger.error(`onStartedLeading of ${this.describe()} failed: ${errorMessage(error)}`);
      }
    })();
    return { controller, done };
  }

  /** Ends the leader's work, then releases the lease if configured and still ours, then reports. */
  private async shutdown(leader: LeaderWork | undefined): Promise<void> {
    if (leader !== undefined) {
      leader.controller.abort(new Error('leadership ended'));
      await leader.done;
    }
    const observed = this.observation;
    if ((this.config.releaseOnCancel ?? true) && observed?.record.holderIdentity === this.config.identity && this.lease !== undefined) {
      await this.release(observed.record);
    }
    this.maybeReportTransition();
    if (leader !== undefined) {
      try {
        this.config.onStoppedLeading();
      } catch (error) {
        this.logger.error(`onStoppedLeading of ${this.describe()} failed: ${errorMessage(error)}`);
      }
    }
  }

  /** Writes the lease with no holder and a 1 s duration, given up on after renewDeadline. */
  private async release(held: LeaderElectionRecord): Promise<void> {
    const record = releasedRecord(held, this.clock.now());
    const timer = new AbortController();
    const cutoff = new AbortController();
    void this.clock.sleep(this.renewDeadlineMs, timer.signal).then(() => {
      if (!timer.signal.aborted) cutoff.abort(new Error('release timed out'));
    });
    try {
      await this.write(record, cutoff.signal, 'release');
    } finally {
      timer.abort();
    }
  }

  private maybeReportTransition(): void {
    const holder = this.getLeader();
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    // A released lease has no leader to report.
    if (holder === '' || this.config.onNewLeader === undefined) return;
    try {
      this.config.onNewLeader(holder);
    } catch (error) {
      this.logger.error(`onNewLeader of ${this.describe()} failed: ${errorMessage(error)}`);
    }
  }

  private describe(): string {
    return `${this.config.namespace}/${this.config.name}`;
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
