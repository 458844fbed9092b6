import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatLabelSelector,
  formatLabels,
  intOrPercentValue,
  isDecremented,
  semanticEqual,
  validateImmutable,
  validateLabelSelector,
  validatePositiveIntOrPercent,
} from './workload-helpers.js';
import { printed } from './workload-testing.js';

test('semantic equality treats absent, null, empty lists and empty maps alike', () => {
  assert.equal(semanticEqual({ a: 1, b: [] }, { a: 1 }), true);
  assert.equal(semanticEqual({ a: null }, { a: {} }), true);
  assert.equal(semanticEqual({ a: [1, 2] }, { a: [2, 1] }), false);
  assert.equal(semanticEqual({ x: { y: 'z' } }, { x: { y: 'z', w: [] } }), true);
  assert.equal(semanticEqual('a', 'b'), false);
  assert.deepEqual(validateImmutable({ a: 'b' }, { a: 'b' }, 'spec.selector'), []);
});

test('selector requirements are checked one by one', () => {
  const errors = validateLabelSelector(
    { matchLabels: { 'bad key!': 'v' }, matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }, { key: 'b', operator: 'NotIn', values: ['ok', 'not ok'] }] },
    'spec.selector',
  );
  assert.deepEqual(printed(errors).map((line) => line.split(':').slice(0, 2).join(':')), [
    'spec.selector.matchLabels: Invalid value',
    'spec.selector.matchExpressions[0].values: Forbidden',
    'spec.selector.matchExpressions[1].values[1]: Invalid value',
  ]);
});

test('int-or-percent values read as upstream reads them', () => {
  assert.equal(intOrPercentValue('25%'), 25);
  assert.equal(intOrPercentValue(3), 3);
  assert.equal(intOrPercentValue('3'), 3);
  assert.equal(intOrPercentValue('lots'), 0);
  assert.equal(intOrPercentValue(undefined), 0);
  assert.deepEqual(printed(validatePositiveIntOrPercent(true, 'x')), ["x: Invalid value: true: must be an integer or percentage (e.g '5%%')"]);
});

test('a removed counter counts as decremented', () => {
  assert.equal(isDecremented(undefined, 1), true);
  assert.equal(isDecremented(1, undefined), false);
  assert.equal(isDecremented(1, 2), true);
  assert.equal(isDecremented(2, 2), false);
});

test('selectors and label sets print as kubectl prints them', () => {
  assert.equal(formatLabelSelector(undefined), '<none>');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
  assert.equal(formatLabelSelector({ matchLabels: { b: '2', a: '1' } }), 'a=1,b=2');
  assert.equal(formatLabels(new Map()), '<none>');
  assert.equal(formatLabels(new Map([['z', '1'], ['a', '2']])), 'a=2,z=1');
});
