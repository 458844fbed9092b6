import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../../../api/field-errors.js';
import { validateListSetsAndMaps } from './list-type.js';
import { compileStructural } from './structural.js';

const SCHEMA = compileStructural({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'protocol'],
          items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } },
        },
        atomic: { type: 'array', items: { type: 'string' } },
      },
    },
  },
});

describe('list types', () => {
  it('reports a value repeated in a set once, at its first repeat', () => {
    const errors = validateListSetsAndMaps({ spec: { tags: ['a', 'b', 'a', 'a'] } }, SCHEMA).map(formatFieldError);
    assert.deepEqual(errors, ['spec.tags[2]: Duplicate value: "a"']);
  });

  it('reports map items with the same keys, counting defaulted keys', () => {
    const errors = validateListSetsAndMaps({ spec: { ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }, { port: 80 }] } }, SCHEMA).map(formatFieldError);
    assert.deepEqual(errors, ['spec.ports[2]: Duplicate value: {"port":80,"protocol":"TCP"}']);
  });

  it('lets lists without a list type repeat values', () => {
    assert.deepEqual(validateListSetsAndMaps({ spec: { atomic: ['a', 'a'] } }, SCHEMA), []);
  });
});
