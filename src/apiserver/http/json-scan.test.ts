import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_JSON_DEPTH, scanJson } from './json-scan.js';

it('names duplicate keys by their path, through objects and arrays', () => {
  const text = '{"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a"},{"name":"b","name":"c"}]}},"replicas":2},"kind":"X"}';
  assert.deepEqual(scanJson(text), { tooDeep: false, duplicates: ['spec.template.spec.containers[1].name', 'spec.replicas'] });
});

it('is not fooled by quotes, braces and commas inside strings, escaped or not', () => {
  const text = '{"a":"x\\"y\\\\","b":"{[,\\"","c\\"d":1,"c\\"d":2,"e":"\\\\\\""}';
  assert.deepEqual(JSON.parse(text), { a: 'x"y\\', b: '{[,"', 'c"d': 2, e: '\\"' });
  assert.deepEqual(scanJson(text), { tooDeep: false, duplicates: ['c"d'] });
});

it('refuses nesting deeper than the limit, and leaves malformed text to JSON.parse', () => {
  assert.equal(scanJson('['.repeat(MAX_JSON_DEPTH + 1)).tooDeep, true);
  assert.equal(scanJson('['.repeat(MAX_JSON_DEPTH)).tooDeep, false);
  assert.deepEqual(scanJson('{"a":"unterminated'), { tooDeep: false, duplicates: [] });
});

it('finds a duplicate among many keys, and sibling objects with the same keys are no duplicates', () => {
  const many = Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',');
  const text = `{"data":{${many},"k3":0,"k39":1},"a":{"x":1},"b":{"x":2,"k3":3}}`;
  assert.deepEqual(scanJson(text), { tooDeep: false, duplicates: ['data.k3', 'data.k39'] });
});
