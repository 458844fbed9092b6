import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../../api/json.js';
import { pruneObject } from './prune.js';
import { compileStructural } from './structural.js';

const SCHEMA = compileStructural({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
      },
    },
  },
});

describe('pruning', () => {
  it('drops undeclared fields and returns their paths sorted', () => {
    const object: JsonObject = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { replicas: 1, foo: 1, items: [{ name: 'n', bar: true }] }, top: 1 };
    assert.deepEqual(pruneObject(object, SCHEMA), ['spec.foo', 'spec.items[0].bar', 'top']);
    assert.deepEqual(object, { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: { replicas: 1, items: [{ name: 'n' }] } });
  });

  it('keeps every key under additionalProperties', () => {
    const object: JsonObject = { spec: { labels: { a: 'b', c: 'd' } } };
    assert.deepEqual(pruneObject(object, SCHEMA), []);
    assert.deepEqual(object, { spec: { labels: { a: 'b', c: 'd' } } });
  });

  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields but prunes declared ones by their schema', () => {
    const object: JsonObject = { spec: { free: { anything: { deep: 1 }, known: { a: 'x', b: 'y' } } } };
    assert.deepEqual(pruneObject(object, SCHEMA), ['spec.free.known.b']);
    assert.deepEqual(object, { spec: { free: { anything: { deep: 1 }, known: { a: 'x' } } } });
  });

  it('keeps apiVersion, kind and metadata of an embedded resource and holds its metadata to ObjectMeta', () => {
    const object: JsonObject = { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', bogus: 1 }, spec: { x: 1 }, other: 2 } } };
    assert.deepEqual(pruneObject(object, SCHEMA), ['spec.template.metadata.bogus', 'spec.template.other', 'spec.template.spec.x']);
    assert.deepEqual(object, { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } } });
  });

  it('treats apiVersion, kind and metadata below the root as unknown unless declared or embedded', () => {
    const object: JsonObject = { spec: { kind: 'K', metadata: {} } };
    assert.deepEqual(pruneObject(object, SCHEMA), ['spec.kind', 'spec.metadata']);
  });
});
