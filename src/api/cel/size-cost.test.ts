import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COST_LIMIT_EXCEEDED, PER_CALL_LIMIT } from './cost.js';
import { type EvalResult, compileExpression, evaluate } from './engine.js';
import { SIZE_CHARGED_FUNCTIONS } from './size-cost.js';

function evalSelf(expression: string, self: unknown, limit = PER_CALL_LIMIT): EvalResult {
  const compiled = compileExpression(expression, ['self']);
  if (!compiled.ok) assert.fail(compiled.message);
  return evaluate(compiled.program, { self }, limit);
}

function costOf(expression: string, self: unknown): number {
  const result = evalSelf(expression, self);
  if (!result.ok) assert.fail(result.message);
  return result.cost;
}

const ints = (n: number): bigint[] => Array.from({ length: n }, (_, i) => BigInt(i));

test('concatenating a list inside map() is charged by the result size and hits the cost limit', () => {
  const result = evalSelf('self.l.map(x, self.l + self.l).size() > 0', { l: ints(8_000) });
  assert.deepEqual(result.ok ? 'ran to the end' : [result.message, result.costExceeded], [COST_LIMIT_EXCEEDED, true]);
});

test('reversing a long string for every item of a list hits the cost limit', () => {
  const result = evalSelf("self.l.all(i, self.s.reverse() != '')", { l: ints(200), s: 'a'.repeat(1024 * 1024) });
  assert.deepEqual(result.ok ? 'ran to the end' : [result.message, result.costExceeded], [COST_LIMIT_EXCEEDED, true]);
});

test('string and list concatenation costs a tenth of the result size', () => {
  const short = costOf('self.s + self.s != ""', { s: 'a' });
  const long = costOf('self.s + self.s != ""', { s: 'a'.repeat(10_000) });
  assert.ok(long - short >= 1_999, `string: ${long} vs ${short}`);
  const shortList = costOf('(self.l + self.l).size() > 0', { l: ints(1) });
  const longList = costOf('(self.l + self.l).size() > 0', { l: ints(10_000) });
  assert.ok(longList - shortList >= 1_999, `list: ${longList} vs ${shortList}`);
  assert.equal(costOf('self.a + self.a > 0', { a: 10n ** 12n }), costOf('self.a + self.a > 0', { a: 1n }), 'adding numbers costs no more for bigger numbers');
});

test('every O(n) string function is charged by the size of its receiver', () => {
  const calls: Record<string, string> = {
    reverse: 'self.s.reverse()',
    replace: "self.s.replace('b', 'c')",
    split: "self.s.split('b')",
    join: "self.l.join('')",
    lowerAscii: 'self.s.lowerAscii()',
    upperAscii: 'self.s.upperAscii()',
    trim: 'self.s.trim()',
    indexOf: "self.s.indexOf('b')",
    lastIndexOf: "self.s.lastIndexOf('b')",
    substring: 'self.s.substring(1)',
  };
  assert.deepEqual(Object.keys(calls).sort(), [...SIZE_CHARGED_FUNCTIONS].sort());
  for (const [name, call] of Object.entries(calls)) {
    const expression = `${call} != ${name === 'split' ? '[]' : name.endsWith('ndexOf') ? '-2' : "'x'"}`;
    const short = costOf(expression, { s: 'aa', l: ['a'] });
    const long = costOf(expression, { s: 'a'.repeat(10_000), l: Array.from({ length: 1_000 }, () => 'aaaaaaaaaa') });
    assert.ok(long - short >= 999, `${name}: ${long} vs ${short}`);
  }
});

test('charAt walks only up to its index', () => {
  const s = 'a'.repeat(100_000);
  assert.ok(costOf('self.s.charAt(1) == "a"', { s }) < 10);
  const value = (expression: string, str: string): unknown => {
    const result = evalSelf(expression, { s: str });
    return result.ok ? result.value : result.message;
  };
  assert.equal(value('self.s.charAt(3) == ""', 'abc'), true);
  assert.match(String(value('self.s.charAt(4) == ""', 'abc')), /index out of range: 4/);
  assert.equal(value('self.s.charAt(1) == "😀" && self.s.charAt(2) == "b"', 'a😀b'), true);
});
