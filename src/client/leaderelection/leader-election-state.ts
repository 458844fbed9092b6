/**
 * @module
 * Leader election as a pure state machine (STYLE.md rule 5), following client-go's
 * `tools/leaderelection/leaderelection.go`. Two pure parts, no I/O and no clock of their own:
 *
 * - **The election record and what to write.** {@link observe} keeps upstream's `observedRecord` and
 *   `observedTime`: a holder's lease is judged by *this* client's clock from the moment it last saw
 *   the record change, never by the timestamps inside it (which another machine's clock wrote).
 *   {@link decideWrite} is the slow path of `tryAcquireOrRenew`: create the Lease when there is none,
 *   leave it alone while another holder's lease is fresh, otherwise write ourselves in (counting a
 *   transition when the holder changes).
 * - **The phases of one `run`**: acquiring → leading → stopped. {@link step} takes what happened (a
 *   wait ended, an attempt succeeded or failed, the run was cancelled) and returns the next state and
 *   the actions the driver must perform, in order. Invariant: the driver feeds an input only once it
 *   has performed every action of the previous step, except `cancelled`, which replaces them.
 */
import type { coordinationV1 } from '../../api/types/index.js';
import { formatMicroTime } from '../../api/time.js';

/** The part of a Lease the election reads and writes (upstream's resourcelock.LeaderElectionRecord). */
export interface LeaderElectionRecord {
  /** '' when nobody holds the lease (it was released): anyone may take it. */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** Milliseconds since the epoch; 0 when the Lease has none. */
  readonly acquireTime: number;
  readonly renewTime: number;
  readonly leaderTransitions: number;
}

/** A record and when this client first saw it in that exact form (upstream's observedTime). */
export interface Observation {
  readonly record: LeaderElectionRecord;
  readonly time: number;
}

export function recordFromLease(lease: coordinationV1.Lease): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: parseTime(spec.acquireTime),
    renewTime: parseTime(spec.renewTime),
    leaderTransitions: spec.leaseTransitions ?? 0,
  };
}

/** The LeaseSpec of a record (resourcelock's LeaderElectionRecordToLeaseSpec). */
export function leaseSpecFromRecord(record: LeaderElectionRecord): coordinationV1.LeaseSpec {
  return {
    holderIdentity: record.holderIdentity,
    leaseDurationSeconds: record.leaseDurationSeconds,
    acquireTime: formatMicroTime(record.acquireTime),
    renewTime: formatMicroTime(record.renewTime),
    leaseTransitions: record.leaderTransitions,
  };
}

/** The observation after reading `record` at `now`: its time moves only when the record changed. */
export function observe(previous: Observation | undefined, record: LeaderElectionRecord, now: number): Observation {
  return previous !== undefined && sameRecord(previous.record, record) ? previous : { record, time: now };
}

/** Whether the observed holder's lease still runs at `now`, by this client's clock (isLeaseValid). */
export function isLeaseValid(observation: Observation, now: number): boolean {
  return observation.time + observation.record.leaseDurationSeconds * 1000 > now;
}

export type WriteDecision =
  | { readonly write: 'create'; readonly record: LeaderElectionRecord }
  | { readonly write: 'update'; readonly record: LeaderElectionRecord }
  /** Another holder's lease is still fresh: leave it alone. */
  | { readonly write: 'none' };

export interface DecideInput {
  readonly identity: string;
  readonly leaseDurationSeconds: number;
  readonly now: number;
  /** The observation after the read just made; undefined when the Lease does not exist. */
  readonly current: Observation | undefined;
}

/** What `tryAcquireOrRenew` writes after reading the Lease (its steps 2–4). */
export function decideWrite(input: DecideInput): WriteDecision {
  const { identity, leaseDurationSeconds, now, current } = input;
  const fresh = { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now };
  if (current === undefined) return { write: 'create', record: { ...fresh, leaderTransitions: 0 } };
  const old = current.record;
  if (old.holderIdentity === identity) {
    // A renewal keeps when we acquired it and how many transitions there were.
    return { write: 'update', record: { ...fresh, acquireTime: old.acquireTime, leaderTransitions: old.leaderTransitions } };
  }
  if (old.holderIdentity !== '' && isLeaseValid(current, now)) return { write: 'none' };
  return { write: 'update', record: { ...fresh, leaderTransitions: old.leaderTransitions + 1 } };
}

/** The record a leader writes to give the lease up at once (upstream's release): no holder, 1 s. */
export function releasedRecord(record: LeaderElectionRecord, now: number): LeaderElectionRecord {
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaderTransitions: record.leaderTransitions };
}

export interface ElectionTiming {
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/** upstream's JitterFactor: acquire attempts are spaced retryPeriod × [1, 2.2). */
export const JITTER_FACTOR = 1.2;

export type StopCause = 'cancelled' | 'lost';

export type ElectorState =
  | { readonly phase: 'acquiring' }
  /** The current renewal round must succeed before `deadline` (renewDeadline after the round began). */
  | { readonly phase: 'leading'; readonly deadline: number }
  | { readonly phase: 'stopped'; readonly cause: StopCause };

export type ElectorInput =
  | { readonly type: 'tick'; readonly now: number }
  | { readonly type: 'attempted'; readonly now: number; readonly succeeded: boolean }
  | { readonly type: 'cancelled' };

export type ElectorAction =
  /** tryAcquireOrRenew; when `deadline` is set, the attempt is cut off at that time. */
  | { readonly type: 'attempt'; readonly deadline: number | undefined }
  /** Sleep `ms` plus up to `jitterFactor` × `ms` at random, then feed a tick. */
  | { readonly type: 'wait'; readonly ms: number; readonly jitterFactor: number }
  | { readonly type: 'startLeading' }
  /** Abort the leader's work, release the lease if configured, call onStoppedLeading, return. */
  | { readonly type: 'stop'; readonly cause: StopCause };

export interface Step {
  readonly state: ElectorState;
  readonly actions: readonly ElectorAction[];
}

/** A run starts acquiring, with an attempt at once (wait.JitterUntil runs before its first wait). */
export function start(): Step {
  return { state: { phase: 'acquiring' }, actions: [{ type: 'attempt', deadline: undefined }] };
}

export function step(state: ElectorState, input: ElectorInput, timing: ElectionTiming): Step {
  const { renewDeadlineMs, retryPeriodMs } = timing;
  if (state.phase === 'stopped') return { state, actions: [] };
  if (input.type === 'cancelled') return stop('cancelled');
  switch (state.phase) {
    case 'acquiring':
      if (input.type === 'tick') return { state, actions: [{ type: 'attempt', deadline: undefined }] };
      if (!input.succeeded) return { state, actions: [{ type: 'wait', ms: retryPeriodMs, jitterFactor: JITTER_FACTOR }] };
      // Acquired. Renewal rounds begin one retryPeriod later (upstream renews at once: a wasted write).
      return {
        state: { phase: 'leading', deadline: input.now + retryPeriodMs + renewDeadlineMs },
        actions: [{ type: 'startLeading' }, { type: 'wait', ms: retryPeriodMs, jitterFactor: 0 }],
      };
    case 'leading': {
      // Past the deadline nothing counts, not even a write that landed late: leadership is over.
      if (input.now >= state.deadline) return stop('lost');
      if (input.type === 'tick') return { state, actions: [{ type: 'attempt', deadline: state.deadline }] };
      if (input.succeeded) {
        return {
          state: { phase: 'leading', deadline: input.now + retryPeriodMs + renewDeadlineMs },
          actions: [{ type: 'wait', ms: retryPeriodMs, jitterFactor: 0 }],
        };
      }
      // wait.PollImmediateUntil with a renewDeadline timeout: retry each retryPeriod, and wake at the
      // deadline rather than after it.
      return { state, actions: [{ type: 'wait', ms: Math.min(retryPeriodMs, state.deadline - input.now), jitterFactor: 0 }] };
    }
    default:
      return assertNever(state);
  }
}

function stop(cause: StopCause): Step {
  return { state: { phase: 'stopped', cause }, actions: [{ type: 'stop', cause }] };
}

function sameRecord(a: LeaderElectionRecord, b: LeaderElectionRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaderTransitions === b.leaderTransitions
  );
}

function parseTime(value: string | undefined): number {
  if (value === undefined || value === '') return 0;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}

function assertNever(value: never): never {
  throw new Error(`unexpected elector state ${JSON.stringify(value)}`);
}
