/** The leader election state machine, step by step: what to write, and the phases of a run. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type ElectorState,
  type LeaderElectionRecord,
  type Step,
  decideWrite,
  isLeaseValid,
  leaseSpecFromRecord,
  observe,
  recordFromLease,
  releasedRecord,
  start,
  step,
} from './leader-election-state.js';

const T0 = Date.UTC(2026, 0, 1);
const TIMING = { renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function held(holder: string, overrides: Partial<LeaderElectionRecord> = {}): LeaderElectionRecord {
  return { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: T0 - 60_000, renewTime: T0 - 60_000, leaderTransitions: 3, ...overrides };
}

function run(state: ElectorState, ...inputs: Parameters<typeof step>[1][]): Step {
  let result: Step = { state, actions: [] };
  for (const input of inputs) result = step(result.state, input, TIMING);
  return result;
}

test('a record is observed at the time this client first saw it, not at the time written inside it', () => {
  const record = held('b');
  const first = observe(undefined, record, T0);
  assert.equal(first.time, T0, 'renewTime a minute ago does not count: only when we saw it');
  assert.equal(observe(first, { ...record }, T0 + 5_000).time, T0, 'the same record read again keeps its time');
  assert.equal(observe(first, { ...record, renewTime: T0 + 1 }, T0 + 5_000).time, T0 + 5_000, 'a renewal resets it');
  assert.equal(isLeaseValid(first, T0 + 14_999), true);
  assert.equal(isLeaseValid(first, T0 + 15_000), false);
});

test('a candidate creates the Lease when there is none', () => {
  const decision = decideWrite({ identity: 'a', leaseDurationSeconds: 15, now: T0, current: undefined });
  assert.deepEqual(decision, { write: 'create', record: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: T0, renewTime: T0, leaderTransitions: 0 } });
});

test('a candidate leaves alone a Lease whose holder it saw change within the lease duration', () => {
  const current = observe(undefined, held('b'), T0);
  assert.deepEqual(decideWrite({ identity: 'a', leaseDurationSeconds: 15, now: T0 + 14_000, current }), { write: 'none' });
});

test('a candidate takes an expired Lease and counts a leader transition', () => {
  const current = observe(undefined, held('b'), T0);
  const decision = decideWrite({ identity: 'a', leaseDurationSeconds: 15, now: T0 + 15_000, current });
  assert.deepEqual(decision, {
    write: 'update',
    record: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: T0 + 15_000, renewTime: T0 + 15_000, leaderTransitions: 4 },
  });
});

test('a candidate takes a released Lease at once', () => {
  const current = observe(undefined, releasedRecord(held('b'), T0), T0);
  const decision = decideWrite({ identity: 'a', leaseDurationSeconds: 15, now: T0, current });
  assert.equal(decision.write, 'update');
  assert.equal(decision.write === 'update' && decision.record.leaderTransitions, 4);
});

test('the holder renews keeping its acquire time and the transition count', () => {
  const current = observe(undefined, held('a'), T0);
  const decision = decideWrite({ identity: 'a', leaseDurationSeconds: 15, now: T0 + 2_000, current });
  assert.deepEqual(decision, {
    write: 'update',
    record: { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: T0 - 60_000, renewTime: T0 + 2_000, leaderTransitions: 3 },
  });
});

test('a released record has no holder and a one-second lease', () => {
  assert.deepEqual(releasedRecord(held('a'), T0), { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: T0, renewTime: T0, leaderTransitions: 3 });
});

test('a record survives the round trip through a LeaseSpec with MicroTime timestamps', () => {
  const record = held('a', { renewTime: T0 + 123 });
  const spec = leaseSpecFromRecord(record);
  assert.equal(spec.renewTime, '2026-01-01T00:00:00.123000Z');
  assert.deepEqual(recordFromLease({ spec }), record);
  assert.deepEqual(recordFromLease({}), { holderIdentity: '', leaseDurationSeconds: 0, acquireTime: 0, renewTime: 0, leaderTransitions: 0 });
});

test('a run starts with an attempt and retries acquisition each jittered retry period', () => {
  assert.deepEqual(start().actions, [{ type: 'attempt', deadline: undefined }]);
  const failed = run(start().state, { type: 'attempted', now: T0, succeeded: false });
  assert.deepEqual(failed.actions, [{ type: 'wait', ms: 2_000, jitterFactor: 1.2 }]);
  assert.deepEqual(run(failed.state, { type: 'tick', now: T0 + 2_000 }).actions, [{ type: 'attempt', deadline: undefined }]);
});

test('acquiring starts leading and schedules the first renewal round a retry period later', () => {
  const acquired = run(start().state, { type: 'attempted', now: T0, succeeded: true });
  assert.deepEqual(acquired.state, { phase: 'leading', deadline: T0 + 12_000 });
  assert.deepEqual(acquired.actions, [{ type: 'startLeading' }, { type: 'wait', ms: 2_000, jitterFactor: 0 }]);
  assert.deepEqual(run(acquired.state, { type: 'tick', now: T0 + 2_000 }).actions, [{ type: 'attempt', deadline: T0 + 12_000 }]);
});

test('a successful renewal opens a new round with a new deadline', () => {
  const renewed = run({ phase: 'leading', deadline: T0 + 12_000 }, { type: 'attempted', now: T0 + 2_000, succeeded: true });
  assert.deepEqual(renewed.state, { phase: 'leading', deadline: T0 + 14_000 });
});

test('failed renewals retry until the deadline, and the tick at the deadline ends leadership', () => {
  let result: Step = { state: { phase: 'leading', deadline: T0 + 12_000 }, actions: [] };
  for (const now of [T0 + 2_000, T0 + 4_000, T0 + 6_000, T0 + 8_000]) {
    result = run(result.state, { type: 'tick', now }, { type: 'attempted', now, succeeded: false });
    assert.equal(result.state.phase, 'leading', `still leading after the failure at +${now - T0}`);
    assert.deepEqual(result.actions, [{ type: 'wait', ms: 2_000, jitterFactor: 0 }]);
  }
  result = run(result.state, { type: 'tick', now: T0 + 10_000 }, { type: 'attempted', now: T0 + 11_000, succeeded: false });
  assert.deepEqual(result.actions, [{ type: 'wait', ms: 1_000, jitterFactor: 0 }], 'the last wait ends at the deadline');
  result = run(result.state, { type: 'tick', now: T0 + 12_000 });
  assert.deepEqual(result, { state: { phase: 'stopped', cause: 'lost' }, actions: [{ type: 'stop', cause: 'lost' }] });
});

test('a renewal that succeeds only after the deadline does not keep leadership', () => {
  const late = run({ phase: 'leading', deadline: T0 + 12_000 }, { type: 'attempted', now: T0 + 12_001, succeeded: true });
  assert.deepEqual(late.state, { phase: 'stopped', cause: 'lost' });
});

test('cancelling stops from any phase, and a stopped run ignores further input', () => {
  assert.deepEqual(run(start().state, { type: 'cancelled' }).actions, [{ type: 'stop', cause: 'cancelled' }]);
  const stopped = run({ phase: 'leading', deadline: T0 + 12_000 }, { type: 'cancelled' });
  assert.deepEqual(stopped.state, { phase: 'stopped', cause: 'cancelled' });
  assert.deepEqual(run(stopped.state, { type: 'tick', now: T0 }), { state: stopped.state, actions: [] });
});
