import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { JsonPathError, findResults, goNumber, parseJsonPath, printResults, printValue } from './jsonpath.js';

const POD: JsonObject = {
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, annotations: { 'example.com/a': 'x' } },
  spec: {
    replicas: 3,
    ratio: 0.5,
    paused: false,
    containers: [
      { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 443 }] },
      { name: 'b', image: 'busybox' },
      { name: 'c', image: 'redis', ports: [{ containerPort: 6379 }] },
    ],
    nothing: null,
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Scheduled', status: 'False' },
    ],
  },
};

function find(template: string, data: JsonValue = POD): JsonValue[][] {
  return findResults(parseJsonPath(template), data, { allowMissingKeys: true });
}

function first(template: string, data: JsonValue = POD): JsonValue[] {
  return find(template, data)[0] ?? [];
}

test('fields walk objects, and a missing field yields nothing when missing keys are allowed', () => {
  assert.deepEqual(first('{.metadata.name}'), ['web']);
  assert.deepEqual(first('{.spec.replicas}'), [3]);
  assert.deepEqual(first('{$.spec.paused}'), [false]);
  assert.deepEqual(first('{.spec.missing.deeper}'), []);
  assert.deepEqual(first('{.spec.nothing}'), [null]);
  assert.deepEqual(first('{.spec.nothing.below}'), []);
});

test('a missing field is an error unless missing keys are allowed', () => {
  assert.throws(() => findResults(parseJsonPath('{.spec.missing}'), POD), new JsonPathError('missing is not found'));
});

test('array indices, negative indices, slices, steps and wildcards select elements', () => {
  assert.deepEqual(first('{.spec.containers[0].name}'), ['a']);
  assert.deepEqual(first('{.spec.containers[-1].name}'), ['c']);
  assert.deepEqual(first('{.spec.containers[0:2].name}'), ['a', 'b']);
  assert.deepEqual(first('{.spec.containers[::2].name}'), ['a', 'c']);
  assert.deepEqual(first('{.spec.containers[*].image}'), ['nginx', 'busybox', 'redis']);
  assert.deepEqual(first('{.spec.containers[*].ports[*].containerPort}'), [80, 443, 6379]);
  assert.deepEqual(first('{.spec.containers[0,2].name}'), ['a', 'c']);
});

test('an index beyond the array is an error, as upstream reports it', () => {
  assert.throws(() => find('{.spec.containers[5].name}'), new JsonPathError('array index out of bounds: index 5, length 3'));
  assert.throws(() => find('{.metadata[0]}'), /is not array or slice/);
});

test('filters compare strings and numbers and test existence', () => {
  assert.deepEqual(first('{.status.conditions[?(@.type=="Ready")].status}'), ['True']);
  assert.deepEqual(first("{.status.conditions[?(@.type!='Ready')].type}"), ['Scheduled']);
  assert.deepEqual(first('{.spec.containers[?(@.ports)].name}'), ['a', 'c']);
  assert.deepEqual(first('{.spec.containers[*].ports[?(@.containerPort>100)].containerPort}'), [443, 6379]);
  assert.deepEqual(first('{.spec.containers[*].ports[?(@.containerPort==80)].containerPort}'), [80]);
  assert.deepEqual(first('{.status.conditions[?(@.type==1)].type}'), []);
  assert.deepEqual(first('{.items[?(@.ready==true)].name}', { items: [{ name: 'x', ready: true }, { name: 'y', ready: false }] }), ['x']);
  assert.deepEqual(first('{.items[?(@.name=="a)b")].ready}', { items: [{ name: 'a)b', ready: true }, { name: 'c', ready: false }] }), [true]);
});

test('recursive descent finds a field at every depth', () => {
  assert.deepEqual(first('{..containerPort}'), [80, 443, 6379]);
});

test('quoted keys, escaped dots and wildcards over maps (in key order)', () => {
  assert.deepEqual(first("{.metadata['labels']['app']}"), ['web']);
  assert.deepEqual(first('{.metadata.annotations.example\\.com/a}'), ['x']);
  assert.deepEqual(first('{.metadata.labels.*}'), ['web', 'front']);
});

test('text around actions is kept as its own result', () => {
  assert.deepEqual(find('name={.metadata.name} app={.metadata.labels.app}'), [['name='], ['web'], [' app='], ['web']]);
});

test('templates that do not parse fail with upstream messages', () => {
  assert.throws(() => parseJsonPath('{.a'), new JsonPathError('unclosed action'));
  assert.throws(() => parseJsonPath('{.a[0}'), new JsonPathError('unterminated array'));
  assert.throws(() => parseJsonPath('{.a[x]}'), new JsonPathError('invalid array index x'));
  assert.throws(() => parseJsonPath('{#}'), new JsonPathError("unrecognized character in action: U+0023 '#'"));
  assert.throws(() => parseJsonPath('{.a[?(@.b=="c"}'), new JsonPathError('unterminated filter'));
  assert.throws(() => parseJsonPath('{....a}'), new JsonPathError('invalid multiple recursive descent'));
});

test('values print as upstream prints them: objects as sorted JSON, scalars as Go does', () => {
  assert.equal(printValue({ b: 1, a: ['<x>'] }), '{"a":["\\u003cx\\u003e"],"b":1}');
  assert.equal(printValue('text'), 'text');
  assert.equal(printValue(true), 'true');
  assert.equal(printValue(null), '<nil>');
  assert.equal(printResults(['a', 1, false]), 'a 1 false');
});

test('numbers print as Go prints a decoded int64 or float64', () => {
  assert.equal(goNumber(42), '42');
  assert.equal(goNumber(1e21), '1e+21');
  assert.equal(goNumber(1.5), '1.5');
  assert.equal(goNumber(1234567.5), '1.2345675e+06');
  assert.equal(goNumber(0.00001), '1e-05');
  assert.equal(goNumber(0.0001), '0.0001');
});
