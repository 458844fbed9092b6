import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../../api/json.js';
import { applyDefaults, pruneNonNullableNulls } from './defaulting.js';
import { compileStructural } from './structural.js';

const SCHEMA = compileStructural({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      default: {},
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', nullable: true, default: 'auto' },
        plain: { type: 'string' },
        ports: { type: 'array', items: { type: 'object', default: { port: 80 }, properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } } },
        limits: { type: 'object', additionalProperties: { type: 'object', properties: { max: { type: 'integer', default: 10 } } } },
      },
    },
  },
});

describe('defaulting', () => {
  it('fills missing fields with their defaults, also inside defaults it applied', () => {
    const object: JsonObject = {};
    applyDefaults(object, SCHEMA);
    assert.deepEqual(object, { spec: { replicas: 1, mode: 'auto' } });
  });

  it('defaults items and additionalProperties values', () => {
    const object: JsonObject = { spec: { ports: [{ port: 8080 }, null], limits: { cpu: {} } } };
    applyDefaults(object, SCHEMA);
    assert.deepEqual(object.spec, { replicas: 1, mode: 'auto', ports: [{ port: 8080, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }], limits: { cpu: { max: 10 } } });
  });

  it('replaces a null with the default when the field is not nullable, and keeps a nullable null', () => {
    const object: JsonObject = { spec: { replicas: null, mode: null } };
    applyDefaults(object, SCHEMA);
    assert.deepEqual(object.spec, { replicas: 1, mode: null });
  });

  it('drops nulls of fields that are neither nullable nor defaulted before defaulting', () => {
    const object: JsonObject = { spec: { plain: null, replicas: null, mode: null } };
    pruneNonNullableNulls(object, SCHEMA);
    assert.deepEqual(object.spec, { replicas: null, mode: null });
  });

  it('gives every object its own copy of a default', () => {
    const a: JsonObject = {};
    const b: JsonObject = {};
    applyDefaults(a, SCHEMA);
    applyDefaults(b, SCHEMA);
    assert.notEqual(a.spec, b.spec);
  });
});
