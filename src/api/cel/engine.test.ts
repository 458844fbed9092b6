import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COST_LIMIT_EXCEEDED } from './cost.js';
import { type CelProgram, compileExpression, evaluate, jsonToCel } from './engine.js';

function compile(expression: string, variables: readonly string[] = ['object']): CelProgram {
  const result = compileExpression(expression, variables);
  if (!result.ok) assert.fail(result.message);
  return result.program;
}

function run(expression: string, activation: Record<string, unknown>, limit = 1_000_000): unknown {
  const result = evaluate(compile(expression, Object.keys(activation)), activation, limit);
  if (!result.ok) assert.fail(result.message);
  return result.value;
}

test('an expression over declared variables evaluates against the activation', () => {
  assert.equal(run('object.metadata.name.startsWith("web")', { object: { metadata: { name: 'web-1' } } }), true);
});

test('JSON integers are CEL ints and JSON fractions doubles', () => {
  const object = jsonToCel({ a: 3, b: 1.5 });
  assert.equal(run('object.a + 1 == 4', { object }), true);
  assert.equal(run('object.b > 1.0', { object }), true);
  assert.equal(run('type(object.a) == int', { object }), true);
});

test('an undeclared variable is a compile error in cel-go words with a caret', () => {
  const result = compileExpression('request.name == "x"', ['object']);
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : '', /^ERROR: <input>:1:1: undeclared reference to 'request' \(in container ''\)\n \| request.name == "x"\n \| \^$/);
});

test('a syntax error is a compile error', () => {
  const result = compileExpression('object.a ==', ['object']);
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : '', /^ERROR: <input>:1:12: /);
});

test('a bool is required when asked for', () => {
  const result = compileExpression('object.a', ['object'], { expected: 'bool' });
  assert.deepEqual(result, { ok: false, message: 'cel expression must evaluate to a bool' });
});

test('a missing field is a runtime error "no such key"', () => {
  const result = evaluate(compile('object.missing == 1'), { object: {} }, 1000);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.message, 'no such key: missing');
});

test('has() tests presence and optional field selection falls back to a default', () => {
  assert.equal(run('!has(object.spec) && object.?spec.orValue(7) == 7', { object: {} }), true);
});

test('macros all, exists, exists_one, map and filter work over lists and maps', () => {
  const object = jsonToCel({ xs: [1, 2, 3], m: { a: 1, b: 2 } });
  assert.equal(run('object.xs.all(x, x > 0) && object.xs.exists(x, x == 2) && object.xs.exists_one(x, x == 3)', { object }), true);
  assert.equal(run('object.xs.map(x, x * 2) == [2, 4, 6] && object.xs.filter(x, x > 1).size() == 2', { object }), true);
  assert.equal(run('object.m.all(k, object.m[k] > 0)', { object }), true);
});

test('int and uint and double do not mix in arithmetic', () => {
  const result = evaluate(compile('object.a + 1.5 > 0'), { object: { a: 1n } }, 1000);
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.message : '', /no such overload/);
});

test('integer overflow is an error', () => {
  const result = evaluate(compile('9223372036854775807 + object.a > 0'), { object: { a: 1n } }, 1000);
  assert.equal(result.ok, false);
});

test('an evaluation costing more than the limit is aborted with cel-go\'s message', () => {
  const object = jsonToCel({ xs: Array.from({ length: 100 }, (_, i) => i) });
  const expensive = compile('object.xs.all(x, object.xs.all(y, x + y >= 0))');
  const result = evaluate(expensive, { object }, 1000);
  assert.deepEqual(result.ok ? undefined : [result.message, result.costExceeded], [COST_LIMIT_EXCEEDED, true]);
  const cheap = evaluate(expensive, { object }, 1_000_000);
  assert.equal(cheap.ok && cheap.value, true);
  assert.ok(cheap.cost > 10_000, `cost ${cheap.cost} counts every iteration`);
});

test('the references of a program name the declared variables it uses', () => {
  assert.deepEqual([...compile('self.a > oldSelf.a', ['self', 'oldSelf']).references].sort(), ['oldSelf', 'self']);
  assert.deepEqual([...compile('self.xs.all(x, x > 0)', ['self', 'oldSelf']).references], ['self']);
  assert.deepEqual([...compile('self.xs.all(x, x > oldSelf.min)', ['self', 'oldSelf']).references].sort(), ['oldSelf', 'self']);
});

test('metering charges every iteration: a macro over a big list hits the per-call limit', () => {
  // Fails if the instrumented `run` stops being called (engine.ts replaces cel-js's own).
  const object = { xs: Array.from({ length: 600_000 }, () => true) };
  const result = evaluate(compile('object.xs.all(x, x)'), { object }, 1_000_000);
  assert.deepEqual(result.ok ? 'ran to the end' : [result.message, result.costExceeded], [COST_LIMIT_EXCEEDED, true]);
});
