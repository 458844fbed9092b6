/**
 * Status conditions as apimachinery's pkg/api/meta/conditions.go: the transition time moves only
 * when the status changes, reason/message/observedGeneration follow every set, and the finders and
 * predicates read by type. Time comes from a fake clock.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type Condition,
  findStatusCondition,
  isStatusConditionFalse,
  isStatusConditionPresentAndEqual,
  isStatusConditionTrue,
  removeStatusCondition,
  setStatusCondition,
} from '../src/runtime/index.js';
import { FakeClock } from '../src/util/fake-clock.js';

describe('status conditions', () => {
  test('a new condition gets the current time as its transition time, in whole seconds', () => {
    const clock = new FakeClock(Date.parse('2026-01-02T03:04:05.678Z'));
    const conditions: Condition[] = [];
    assert.equal(setStatusCondition(conditions, { type: 'Ready', status: 'False', reason: 'Starting', message: '', observedGeneration: 1 }, { clock }), true);
    assert.deepEqual(conditions, [{ type: 'Ready', status: 'False', reason: 'Starting', message: '', observedGeneration: 1, lastTransitionTime: '2026-01-02T03:04:05Z' }]);
  });

  test('the transition time changes only when the status does', async () => {
    const clock = new FakeClock(Date.parse('2026-01-02T00:00:00Z'));
    const conditions: Condition[] = [];
    setStatusCondition(conditions, { type: 'Ready', status: 'False', reason: 'Starting', message: 'a' }, { clock });
    await clock.step(60_000);
    assert.equal(setStatusCondition(conditions, { type: 'Ready', status: 'False', reason: 'StillStarting', message: 'b', observedGeneration: 2 }, { clock }), true);
    assert.equal(conditions[0]?.lastTransitionTime, '2026-01-02T00:00:00Z');
    assert.equal(conditions[0]?.reason, 'StillStarting');
    assert.equal(conditions[0]?.observedGeneration, 2);
    await clock.step(60_000);
    setStatusCondition(conditions, { type: 'Ready', status: 'True', reason: 'Up', message: 'b', observedGeneration: 2 }, { clock });
    assert.equal(conditions[0]?.lastTransitionTime, '2026-01-02T00:02:00Z');
  });

  test('setting a condition as it already is changes nothing', () => {
    const conditions: Condition[] = [{ type: 'Ready', status: 'True', reason: 'Up', message: '', observedGeneration: 3, lastTransitionTime: '2026-01-01T00:00:00Z' }];
    assert.equal(setStatusCondition(conditions, { type: 'Ready', status: 'True', reason: 'Up', message: '', observedGeneration: 3 }), false);
    assert.equal(conditions[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
  });

  test('a given transition time is used when the status changes', () => {
    const conditions: Condition[] = [{ type: 'Ready', status: 'True', reason: 'Up', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }];
    setStatusCondition(conditions, { type: 'Ready', status: 'False', reason: 'Down', message: '', lastTransitionTime: '2026-03-03T00:00:00Z' });
    assert.equal(conditions[0]?.lastTransitionTime, '2026-03-03T00:00:00Z');
  });

  test('remove, find and the predicates work by type', () => {
    const clock = new FakeClock(0);
    const conditions: Condition[] = [];
    setStatusCondition(conditions, { type: 'Ready', status: 'True', reason: 'Up', message: '' }, { clock });
    setStatusCondition(conditions, { type: 'Progressing', status: 'False', reason: 'Done', message: '' }, { clock });
    assert.equal(findStatusCondition(conditions, 'Progressing')?.reason, 'Done');
    assert.equal(isStatusConditionTrue(conditions, 'Ready'), true);
    assert.equal(isStatusConditionFalse(conditions, 'Progressing'), true);
    assert.equal(isStatusConditionPresentAndEqual(conditions, 'Degraded', 'Unknown'), false);
    assert.equal(removeStatusCondition(conditions, 'Ready'), true);
    assert.equal(removeStatusCondition(conditions, 'Ready'), false);
    assert.deepEqual(conditions.map((c) => c.type), ['Progressing']);
    assert.equal(isStatusConditionTrue(undefined, 'Ready'), false);
  });
});
