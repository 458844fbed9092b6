/**
 * CRDValidationRatcheting of OpenAPI value errors on update (validation.ts, following
 * apiextensions-apiserver pkg/apiserver/validation/ratcheting.go): a value unchanged from its
 * correlated old value keeps its errors to itself; a changed or new one does not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../../../api/field-errors.js';
import type { JsonObject } from '../../../api/json.js';
import { CompiledSchema } from './compiled-schema.js';
import { compileStructural } from './structural.js';
import { validateAgainstSchema } from './validation.js';

const RAW: JsonObject = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', maxLength: 3 },
        mode: { type: 'string', enum: ['a', 'b'] },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 100 } } },
        },
        values: { type: 'array', items: { type: 'integer', maximum: 100 } },
        frozen: { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: { size: { type: 'integer', maximum: 10 } } },
        set: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};
const SCHEMA = compileStructural(RAW);

function errors(object: JsonObject, old?: JsonObject): string[] {
  return validateAgainstSchema(object, SCHEMA, undefined, old === undefined ? undefined : { value: old }).map(formatFieldError);
}

describe('schema validation ratcheting', () => {
  it('lets an update through when the too-long value is unchanged from the old object', () => {
    const old = { spec: { name: 'toolong', mode: 'zzz' } };
    assert.equal(errors(old).length, 2, 'the old object is invalid under the tightened schema');
    assert.deepEqual(errors({ ...old, status: { phase: 'Ready' } }, old), []);
  });

  it('reports a value that changed, and one that is new, even under a ratcheted sibling', () => {
    const old = { spec: { name: 'toolong' } };
    assert.deepEqual(errors({ spec: { name: 'longer', mode: 'zzz' } }, old), [
      'spec.name: Too long: may not be more than 3 bytes',
      'spec.mode: Unsupported value: "zzz": supported values: "a", "b"',
    ]);
    assert.deepEqual(errors({ spec: { name: 'toolong', mode: 'zzz' } }, old), ['spec.mode: Unsupported value: "zzz": supported values: "a", "b"']);
  });

  it('ratchets a Required error under a parent unchanged from the old object', () => {
    const old = { spec: { mode: 'a' } };
    assert.deepEqual(errors({ spec: { mode: 'a' }, status: {} }, old), []);
    assert.deepEqual(errors({ spec: { mode: 'b' } }, old), ['spec.name: Required value']);
  });

  it('correlates the items of a map-type list by their keys, wherever they moved', () => {
    const old = { spec: { name: 'a', ports: [{ name: 'http', port: 500 }, { name: 'https', port: 443 }] } };
    const reordered = { spec: { name: 'a', ports: [{ name: 'https', port: 443 }, { name: 'http', port: 500 }, { name: 'new', port: 200 }] } };
    assert.deepEqual(errors(reordered, old), ['spec.ports[2].port: Invalid value: 200: spec.ports[2].port in body should be less than or equal to 100']);
  });

  it('does not correlate the items of an atomic list, nor the fields of an atomic map', () => {
    const old = { spec: { name: 'a', values: [500, 1], frozen: { size: 50 } } };
    assert.deepEqual(errors({ spec: { name: 'a', values: [500, 2], frozen: { size: 50, other: 1 } } }, old), [
      'spec.values[0]: Invalid value: 500: spec.values[0] in body should be less than or equal to 100',
      'spec.frozen.size: Invalid value: 50: spec.frozen.size in body should be less than or equal to 10',
    ]);
    assert.deepEqual(errors({ spec: { name: 'a', values: [500, 1], frozen: { size: 50 } }, status: {} }, old), []);
  });

  it('reports every error on create', () => {
    assert.equal(errors({ spec: { name: 'toolong' } }).length, 1);
  });

  it('does not ratchet list-type errors: duplicates in an unchanged set are still refused', () => {
    const compiled = new CompiledSchema(RAW);
    const old = { spec: { name: 'a', set: ['x', 'x'] } };
    assert.deepEqual(compiled.validate({ ...old, status: { phase: 'Ready' } }, old).map(formatFieldError), ['spec.set[1]: Duplicate value: "x"']);
  });
});
