import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../../../api/field-errors.js';
import type { JsonObject } from '../../../api/json.js';
import { compileStructural } from './structural.js';
import { validateAgainstSchema } from './validation.js';

const SCHEMA = compileStructural({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
        replicas: { type: 'integer', minimum: 1, maximum: 10 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1, multipleOf: 0.25 },
        mode: { type: 'string', enum: ['a', 'b'] },
        when: { type: 'string', format: 'date-time' },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        tags: { type: 'array', maxItems: 2, minItems: 1, uniqueItems: true, items: { type: 'string' } },
        items: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
        labels: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
        emoji: { type: 'string', maxLength: 2 },
        word: { type: 'string', pattern: '^(a|aa)+$' },
        choice: { type: 'string', anyOf: [{ enum: ['x'] }, { pattern: '^y' }] },
        count: { type: 'integer', not: { enum: [13] } },
      },
    },
  },
});

function messages(spec: JsonObject): string[] {
  return validateAgainstSchema({ spec }, SCHEMA).map(formatFieldError);
}

describe('schema validation', () => {
  it('accepts a valid object', () => {
    assert.deepEqual(messages({ name: 'abc', replicas: 3, ratio: 0.5, mode: 'a', when: '2024-01-01T00:00:00Z', port: 'http', note: null, tags: ['x'], labels: { a: 'b' }, choice: 'yes', count: 1 }), []);
  });

  it('refuses a wrong type with the JSON type seen', () => {
    assert.deepEqual(messages({ name: 'abc', replicas: 'string' }), ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"']);
    assert.deepEqual(messages({ name: 'abc', replicas: 1.5 }), ['spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"']);
  });

  it('refuses a value of int-or-string that is neither', () => {
    assert.deepEqual(messages({ name: 'abc', port: true }), ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"']);
  });

  it('refuses null unless nullable', () => {
    assert.deepEqual(messages({ name: 'abc', mode: null, note: null }), [
      'spec.mode: Invalid value: "null": spec.mode in body must be of type string: "null"',
      'spec.mode: Unsupported value: null: supported values: "a", "b"',
    ]);
  });

  it('reports a missing required field', () => {
    assert.deepEqual(messages({}), ['spec.name: Required value']);
  });

  it('words string limits as upstream', () => {
    assert.deepEqual(messages({ name: 'a' }), ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long']);
    assert.deepEqual(messages({ name: 'abcdef' }), ['spec.name: Too long: may not be more than 5 bytes']);
    assert.deepEqual(messages({ name: 'AB' }), ["spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"]);
  });

  it('counts a string\'s length in code points, as Go counts runes: two emoji are two', () => {
    assert.deepEqual(messages({ name: 'ab', emoji: '😀😀' }), []);
    assert.deepEqual(messages({ name: 'ab', emoji: '😀😀😀' }), ['spec.emoji: Too long: may not be more than 2 bytes']);
  });

  it('matches patterns with RE2: one that makes a backtracking engine run for ages answers at once', () => {
    assert.deepEqual(messages({ name: 'ab', word: 'a'.repeat(60) }), []);
    assert.deepEqual(messages({ name: 'ab', word: `${'a'.repeat(60)}!` }), [`spec.word: Invalid value: "${'a'.repeat(60)}!": spec.word in body should match '^(a|aa)+$'`]);
  });

  it('words number limits as upstream', () => {
    assert.deepEqual(messages({ name: 'ab', replicas: 11 }), ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10']);
    assert.deepEqual(messages({ name: 'ab', replicas: 0 }), ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1']);
    assert.deepEqual(messages({ name: 'ab', ratio: 1 }), ['spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1']);
    assert.deepEqual(messages({ name: 'ab', ratio: 0.3 }), ['spec.ratio: Invalid value: 0.3: spec.ratio in body should be a multiple of 0.25']);
  });

  it('reports an enum miss as an unsupported value', () => {
    assert.deepEqual(messages({ name: 'ab', mode: 'x' }), ['spec.mode: Unsupported value: "x": supported values: "a", "b"']);
  });

  it('reports a bad format as an invalid type named by the format', () => {
    assert.deepEqual(messages({ name: 'ab', when: 'yesterday' }), ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"']);
  });

  it('words array limits as upstream', () => {
    assert.deepEqual(messages({ name: 'ab', tags: ['a', 'b', 'c'] }), ['spec.tags: Too many: 3: must have at most 2 items']);
    assert.deepEqual(messages({ name: 'ab', tags: [] }), ['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items']);
    assert.deepEqual(messages({ name: 'ab', tags: ['a', 'a'] }), ['spec.tags: Invalid value: "": spec.tags in body shouldn\'t contain duplicates']);
  });

  it('names array items by index', () => {
    assert.deepEqual(messages({ name: 'ab', items: [{ id: 'x' }, { id: 3 }, {}] }), [
      'spec.items[1].id: Invalid value: "integer": spec.items[1].id in body must be of type string: "integer"',
      'spec.items[2].id: Required value',
    ]);
  });

  it('validates additionalProperties values and counts properties', () => {
    assert.deepEqual(messages({ name: 'ab', labels: { a: 'b', c: 1 } }), [
      'spec.labels: Too many: 2: must have at most 1 items',
      'spec.labels.c: Invalid value: "integer": spec.labels.c in body must be of type string: "integer"',
    ]);
  });

  it('reports anyOf and not failures on the <nil> field, as the API server does', () => {
    assert.deepEqual(messages({ name: 'ab', choice: 'z' }), ['<nil>: Invalid value: "": "spec.choice" must validate at least one schema (anyOf)']);
    assert.deepEqual(messages({ name: 'ab', count: 13 }), ['<nil>: Invalid value: "": "spec.count" must not validate the schema (not)']);
  });
});
