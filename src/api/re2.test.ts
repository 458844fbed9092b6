import assert from 'node:assert/strict';
import { test } from 'node:test';
import { re2Error, re2Find, re2FindAll, re2Test } from './re2.js';

test('a pattern that makes a backtracking engine run for ages answers at once: RE2 is linear in the input', () => {
  // JavaScript's RegExp would backtrack 2^5000 ways here and never return.
  assert.equal(re2Test('^(a+)+$', `${'a'.repeat(5000)}!`), false);
  assert.equal(re2Test('^(a+)+$', 'a'.repeat(5000)), true);
});

test('matching is unanchored unless the pattern anchors it, as Go’s MatchString', () => {
  assert.equal(re2Test('b+', 'abbc'), true);
  assert.equal(re2Test('^b+$', 'abbc'), false);
  assert.equal(re2Test('(?i)^ABC$', 'abc'), true);
});

test('find gives the leftmost match and findAll every one, up to a limit', () => {
  assert.equal(re2Find('[0-9]+', 'ab12cd345'), '12');
  assert.equal(re2Find('[0-9]+', 'abcd'), undefined);
  assert.deepEqual(re2FindAll('[0-9]+', 'ab12cd345e6'), ['12', '345', '6']);
  assert.deepEqual(re2FindAll('[0-9]+', 'ab12cd345e6', 2), ['12', '345']);
  assert.deepEqual(re2FindAll('[0-9]+', 'ab12cd345e6', 0), []);
});

test('what RE2 refuses is an error in Go’s words, lookarounds and backreferences included', () => {
  assert.equal(re2Error('^[a-z]+$'), undefined);
  assert.match(re2Error('a**') ?? '', /^error parsing regexp: invalid nested repetition operator: `\*\*`/);
  assert.match(re2Error('(?=a)b') ?? '', /^error parsing regexp: /);
  assert.match(re2Error('(a)\\1') ?? '', /^error parsing regexp: /);
});
