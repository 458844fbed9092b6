import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileExpression, evaluate } from './engine.js';

function run(expression: string): unknown {
  const compiled = compileExpression(expression, []);
  if (!compiled.ok) assert.fail(compiled.message);
  const result = evaluate(compiled.program, {}, 100_000);
  if (!result.ok) assert.fail(result.message);
  return result.value;
}

function fails(expression: string): string {
  const compiled = compileExpression(expression, []);
  if (!compiled.ok) return compiled.message;
  const result = evaluate(compiled.program, {}, 100_000);
  return result.ok ? '' : result.message;
}

test('string functions: charAt, indexOf, lastIndexOf, lowerAscii, upperAscii, replace, split, substring, trim, join, reverse', () => {
  assert.equal(run('"hello".charAt(1)'), 'e');
  assert.equal(run('"hello".charAt(5)'), '');
  assert.equal(run('"hello".indexOf("l")'), 2n);
  assert.equal(run('"hello".lastIndexOf("l")'), 3n);
  assert.equal(run('"TacoCat".lowerAscii()'), 'tacocat');
  assert.equal(run('"TacoCat".upperAscii()'), 'TACOCAT');
  assert.equal(run('"a-b-c".replace("-", "+")'), 'a+b+c');
  assert.equal(run('"a-b-c".replace("-", "+", 1)'), 'a+b-c');
  assert.deepEqual(run('"a,b,c".split(",")'), ['a', 'b', 'c']);
  assert.equal(run('"hello".substring(1, 3)'), 'el');
  assert.equal(run('"  x  ".trim()'), 'x');
  assert.equal(run('["a", "b"].join("-")'), 'a-b');
  assert.equal(run('"abc".reverse()'), 'cba');
  assert.equal(run('"abc".matches("^a.c$") && "abc".startsWith("a") && "abc".endsWith("c") && "abc".contains("b") && size("abc") == 3'), true);
});

test('list functions: isSorted, sum, min, max, indexOf, lastIndexOf', () => {
  assert.equal(run('[1, 2, 3].isSorted() && !["b", "a"].isSorted()'), true);
  assert.equal(run('[1, 2, 3].sum()'), 6n);
  assert.equal(run('[1.5, 2.5].sum()'), 4);
  assert.equal(run('[3, 1, 2].min()'), 1n);
  assert.equal(run('[3, 1, 2].max()'), 3n);
  assert.equal(run('[1, 2, 1].indexOf(1)'), 0n);
  assert.equal(run('[1, 2, 1].lastIndexOf(1)'), 2n);
  assert.equal(run('[1, 2].indexOf(5)'), -1n);
  assert.match(fails('[].min() == 1'), /min called on empty list/);
});

test('regex functions: find and findAll', () => {
  assert.equal(run('"abc 123".find("[0-9]+")'), '123');
  assert.equal(run('"abc".find("[0-9]+")'), '');
  assert.deepEqual(run('"123 abc 456".findAll("[0-9]+")'), ['123', '456']);
  assert.deepEqual(run('"123 abc 456".findAll("[0-9]+", 1)'), ['123']);
});

test('matches, find and findAll run RE2: a pattern that would make a backtracking engine hang answers at once', () => {
  const input = `"${'a'.repeat(3000)}!"`;
  assert.equal(run(`${input}.matches("^(a+)+$")`), false);
  assert.equal(String(run(`${input}.find("(a+)+!")`)).length, 3001);
  assert.match(fails('"abc".matches("(?=a)b")'), /error parsing regexp/);
});

test('url functions parse a URL and its parts', () => {
  assert.equal(run('isURL("https://example.com:8080/path?x=1") && !isURL("not a url")'), true);
  assert.equal(run('url("https://example.com:8080/path").getScheme()'), 'https');
  assert.equal(run('url("https://example.com:8080/path").getHost()'), 'example.com:8080');
  assert.equal(run('url("https://example.com:8080/path").getHostname()'), 'example.com');
  assert.equal(run('url("https://example.com:8080/path").getPort()'), '8080');
  assert.equal(run('url("https://example.com/a/b").getEscapedPath()'), '/a/b');
  assert.deepEqual(run('url("https://example.com/?k=a&k=b").getQuery()'), { k: ['a', 'b'] });
});

test('quantity functions compare and convert quantities', () => {
  assert.equal(run('isQuantity("1Gi") && !isQuantity("1Gx")'), true);
  assert.equal(run('quantity("1Gi").isGreaterThan(quantity("1G"))'), true);
  assert.equal(run('quantity("500m").isLessThan(quantity("1"))'), true);
  assert.equal(run('quantity("1k").compareTo(quantity("1000"))'), 0n);
  assert.equal(run('quantity("2").add(3).asInteger()'), 5n);
  assert.equal(run('quantity("2").sub(quantity("500m")).asApproximateFloat()'), 1.5);
  assert.equal(run('quantity("1.5").isInteger()'), false);
  assert.equal(run('quantity("-3").sign()'), -1n);
  assert.equal(run('quantity("1k") == quantity("1000")'), true);
  assert.match(fails('quantity("1.5").asInteger() == 1'), /cannot convert value to integer/);
});

test('functions that traverse a string charge for its length', () => {
  const compiled = compileExpression('s.replace("a", "b").size() > 0', ['s']);
  assert.ok(compiled.ok);
  const short = evaluate(compiled.program, { s: 'a' }, 1_000_000);
  const long = evaluate(compiled.program, { s: 'a'.repeat(10_000) }, 1_000_000);
  assert.ok(long.cost >= short.cost + 900, `${long.cost} vs ${short.cost}`);
});
