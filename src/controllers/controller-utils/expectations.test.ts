import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../util/fake-clock.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS, UIDTrackingControllerExpectations } from './expectations.js';

test('a key without expectations is satisfied', () => {
  assert.equal(new ControllerExpectations().satisfiedExpectations('ns/a'), true);
});

test('expected creations are satisfied once each was observed', () => {
  const e = new ControllerExpectations({ clock: new FakeClock() });
  e.expectCreations('ns/a', 2);
  assert.equal(e.satisfiedExpectations('ns/a'), false);
  e.creationObserved('ns/a');
  assert.equal(e.satisfiedExpectations('ns/a'), false);
  e.creationObserved('ns/a');
  assert.equal(e.satisfiedExpectations('ns/a'), true);
});

test('unfulfilled expectations expire after the timeout', async () => {
  const clock = new FakeClock();
  const e = new ControllerExpectations({ clock });
  e.expectCreations('ns/a', 1);
  await clock.step(EXPECTATIONS_TIMEOUT_MS);
  assert.equal(e.satisfiedExpectations('ns/a'), false);
  await clock.step(1);
  assert.equal(e.satisfiedExpectations('ns/a'), true);
});

test('lowering or raising a key without a record changes nothing', () => {
  const e = new ControllerExpectations();
  e.lowerExpectations('ns/a', 1, 1);
  e.raiseExpectations('ns/a', 1, 1);
  assert.equal(e.getExpectations('ns/a'), undefined);
});

test('deleting expectations makes the key satisfied again', () => {
  const e = new UIDTrackingControllerExpectations();
  e.expectDeletions('ns/a', ['ns/p1']);
  e.deleteExpectations('ns/a');
  assert.equal(e.satisfiedExpectations('ns/a'), true);
  assert.equal(e.getUIDs('ns/a'), undefined);
});

test('a pod expected to be deleted counts once, even when observed twice', () => {
  const e = new UIDTrackingControllerExpectations();
  e.expectDeletions('ns/a', ['ns/p1', 'ns/p2']);
  e.deletionObserved('ns/a', 'ns/p1');
  e.deletionObserved('ns/a', 'ns/p1');
  assert.equal(e.getExpectations('ns/a')?.del, 1);
  assert.equal(e.satisfiedExpectations('ns/a'), false);
  e.deletionObserved('ns/a', 'ns/other');
  assert.equal(e.getExpectations('ns/a')?.del, 1, 'a pod not expected does not count');
  e.deletionObserved('ns/a', 'ns/p2');
  assert.equal(e.satisfiedExpectations('ns/a'), true);
});
