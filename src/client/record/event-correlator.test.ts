/** The EventCorrelator on a FakeClock: deduplication, aggregation of similar events, the spam filter. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { formatTime } from '../../api/time.js';
import { type CorrelateResult, EventCorrelator, EventNamer } from './event-correlator.js';

type Event = coreV1.Event;

const POD = { kind: 'Pod', apiVersion: 'v1', namespace: 'default', name: 'web-0', uid: 'u-1' };

function event(clock: FakeClock, reason: string, message: string, involvedObject: coreV1.ObjectReference = POD): Event {
  const time = formatTime(clock.now());
  return {
    metadata: { name: `${involvedObject.name ?? ''}.${clock.now().toString(16)}`, namespace: 'default' },
    involvedObject,
    reason,
    message,
    type: 'Normal',
    count: 1,
    firstTimestamp: time,
    lastTimestamp: time,
    source: { component: 'test-controller' },
    reportingComponent: 'test-controller',
  };
}

function written(result: CorrelateResult): Extract<CorrelateResult, { skip: false }> {
  assert.equal(result.skip, false, 'the event was not filtered');
  return result as Extract<CorrelateResult, { skip: false }>;
}

test('an identical event repeats the first: same name and first time, next count, and a patch', async () => {
  const clock = new FakeClock();
  const correlator = new EventCorrelator({ clock });
  const first = written(correlator.correlate(event(clock, 'Pulled', 'image pulled')));
  assert.equal(first.patch, undefined);
  correlator.updateState(first.key, { ...first.event, metadata: { ...first.event.metadata, resourceVersion: '7' } });

  await clock.step(5_000);
  const second = written(correlator.correlate(event(clock, 'Pulled', 'image pulled')));
  assert.equal(second.event.metadata.name, first.event.metadata.name);
  assert.equal(second.event.metadata.resourceVersion, '7');
  assert.equal(second.event.firstTimestamp, first.event.firstTimestamp);
  assert.equal(second.event.count, 2);
  assert.deepEqual(second.patch, { count: 2, lastTimestamp: formatTime(clock.now()), message: 'image pulled' });
});

test('events that differ in message, type or object are not repeats of each other', () => {
  const clock = new FakeClock();
  const correlator = new EventCorrelator({ clock });
  const base = event(clock, 'Pulled', 'a');
  assert.equal(written(correlator.correlate(base)).patch, undefined);
  assert.equal(written(correlator.correlate(event(clock, 'Pulled', 'b'))).patch, undefined);
  assert.equal(written(correlator.correlate({ ...base, type: 'Warning' })).patch, undefined);
  assert.equal(written(correlator.correlate(event(clock, 'Pulled', 'a', { ...POD, uid: 'u-2' }))).patch, undefined);
  assert.notEqual(written(correlator.correlate(base)).patch, undefined, 'the first one again is a repeat');
});

test('from the 10th distinct message for one reason, similar events combine into one event', () => {
  const clock = new FakeClock();
  const correlator = new EventCorrelator({ clock });
  for (let i = 1; i <= 9; i++) {
    const result = written(correlator.correlate(event(clock, 'Failed', `attempt ${i} failed`)));
    assert.equal(result.event.message, `attempt ${i} failed`, `message ${i} is recorded as it is`);
  }
  const tenth = written(correlator.correlate(event(clock, 'Failed', 'attempt 10 failed')));
  assert.equal(tenth.event.message, '(combined from similar events): attempt 10 failed');
  assert.equal(tenth.event.count, 1);
  assert.equal(tenth.patch, undefined);
  const eleventh = written(correlator.correlate(event(clock, 'Failed', 'attempt 11 failed')));
  assert.equal(eleventh.event.metadata.name, tenth.event.metadata.name, 'later ones repeat the combined event');
  assert.equal(eleventh.event.count, 2);
  assert.deepEqual(eleventh.patch?.message, '(combined from similar events): attempt 11 failed');
  const otherReason = written(correlator.correlate(event(clock, 'Started', 'attempt 12 failed')));
  assert.equal(otherReason.event.message, 'attempt 12 failed', 'another reason is another group');
});

test('a group of similar events closes ten minutes after its last event', async () => {
  const clock = new FakeClock();
  const correlator = new EventCorrelator({ clock });
  for (let i = 1; i <= 9; i++) correlator.correlate(event(clock, 'Failed', `attempt ${i} failed`));
  await clock.step(600_001);
  const next = written(correlator.correlate(event(clock, 'Failed', 'attempt 10 failed')));
  assert.equal(next.event.message, 'attempt 10 failed');
});

test('a source may send 25 events about one object at once, then one per five minutes, still counting the dropped', async () => {
  const clock = new FakeClock();
  const correlator = new EventCorrelator({ clock });
  for (let i = 1; i <= 25; i++) written(correlator.correlate(event(clock, 'Pulled', 'image pulled')));
  assert.deepEqual(correlator.correlate(event(clock, 'Pulled', 'image pulled')), { skip: true });
  assert.equal(written(correlator.correlate(event(clock, 'Pulled', 'other', { ...POD, name: 'web-1', uid: 'u-9' }))).event.count, 1, 'another object has its own budget');
  await clock.step(299_000);
  assert.deepEqual(correlator.correlate(event(clock, 'Pulled', 'image pulled')), { skip: true });
  await clock.step(1_000);
  const refilled = written(correlator.correlate(event(clock, 'Pulled', 'image pulled')));
  assert.equal(refilled.event.count, 28, 'the two dropped repeats are in the count');
});

test('event names are the object name and hex nanoseconds, strictly increasing within a millisecond', () => {
  const namer = new EventNamer();
  const t = Date.UTC(2026, 0, 1);
  const first = namer.next('web', t);
  assert.equal(first, `web.${(BigInt(t) * 1_000_000n).toString(16)}`);
  const second = namer.next('web', t);
  assert.equal(second, `web.${(BigInt(t) * 1_000_000n + 1n).toString(16)}`);
  assert.equal(namer.next('web', t + 1), `web.${(BigInt(t + 1) * 1_000_000n).toString(16)}`);
});

test('the correlator rejects nonsensical limits', () => {
  assert.throws(() => new EventCorrelator({ clock: new FakeClock(), burst: 0 }), RangeError);
});
