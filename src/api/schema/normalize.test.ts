import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../json.js';
import { builtInSchemas } from './definitions/index.js';
import { normalizeAgainstSchema } from './normalize.js';

const schemas = builtInSchemas();
const pod = { type: 'ref', ref: 'io.k8s.api.core.v1.Pod' } as const;

it('drops fields the schema does not declare and names them by path, nulls too', () => {
  const result = normalizeAgainstSchema(
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: null }, spec: { containers: [{ name: 'c', image: 'i', colour: 'red' }], extra: 1 } },
    pod,
    schemas,
  );
  assert.deepEqual(result.unknown, ['spec.containers[0].colour', 'spec.extra']);
  assert.deepEqual(result.value, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  assert.deepEqual(result.typeErrors, []);
});

it('words a value of the wrong type as Go\'s decoder does', () => {
  const result = normalizeAgainstSchema({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'c', ports: [{ containerPort: 'eighty' }] }] } }, pod, schemas);
  assert.deepEqual(result.typeErrors, ['json: cannot unmarshal string into Go struct field ContainerPort.spec.containers[0].ports[0].containerPort of type int32']);
});

it('treats a field named like an Object.prototype member ("constructor", "__proto__") as unknown, and keeps map keys of those names', () => {
  const body = JSON.parse('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"constructor":"x","__proto__":"y"}},"spec":{"constructor":1,"__proto__":{"a":1}}}') as JsonObject;
  const result = normalizeAgainstSchema(body, pod, schemas);
  assert.deepEqual(result.unknown, ['spec.constructor', 'spec.__proto__']);
  assert.equal(JSON.stringify((result.value as JsonObject).metadata), '{"name":"p","labels":{"constructor":"x","__proto__":"y"}}');
});

it('hands back what needs no change as it came, and copies only the objects on the way to a dropped field', () => {
  const spec = { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1' } } }], nodeSelector: { zone: 'a' } };
  const metadata = { name: 'p', labels: { app: 'a' } };
  const clean = { apiVersion: 'v1', kind: 'Pod', metadata, spec };
  assert.equal(normalizeAgainstSchema(clean, pod, schemas).value, clean, 'a clean object is not copied');

  const container = { name: 'c', image: 'i', colour: 'red' };
  const others = { zone: 'a' };
  const dirty = { apiVersion: 'v1', kind: 'Pod', metadata, spec: { containers: [container], nodeSelector: others } };
  const result = normalizeAgainstSchema(dirty, pod, schemas).value as JsonObject;
  assert.notEqual(result, dirty);
  assert.equal(result.metadata, metadata, 'a sibling of the changed path is shared');
  const resultSpec = result.spec as JsonObject;
  assert.equal(resultSpec.nodeSelector, others);
  assert.deepEqual(resultSpec.containers, [{ name: 'c', image: 'i' }]);
  assert.deepEqual(container, { name: 'c', image: 'i', colour: 'red' }, 'the input is not changed');
  assert.deepEqual(Object.keys(result), ['apiVersion', 'kind', 'metadata', 'spec'], 'fields keep their order');
});
