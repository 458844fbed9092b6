import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getPodFromTemplate, podsPrefix } from './pod-control.js';
import { newControllerRef } from './owner-refs.js';

test('a pod from a template carries its labels, annotations and spec, a generateName and the controller ref', () => {
  const owner = { metadata: { name: 'web', namespace: 'ns', uid: 'u' } };
  const ref = newControllerRef(owner, { apiVersion: 'apps/v1', kind: 'ReplicaSet' });
  const template = { metadata: { labels: { app: 'web' }, annotations: { a: 'b' }, name: 'ignored' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const pod = getPodFromTemplate(template, owner, ref);
  assert.deepEqual(pod.metadata, { generateName: 'web-', labels: { app: 'web' }, annotations: { a: 'b' }, ownerReferences: [ref] });
  assert.deepEqual(pod.spec, template.spec);
  assert.notEqual(pod.spec, template.spec, 'the spec is a copy');
  assert.equal(podsPrefix('web'), 'web-');
});
