import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultNamespace } from './rest-config.js';

test('the default namespace is the context namespace, else "default"', () => {
  assert.equal(defaultNamespace({ server: 'https://k', namespace: 'team' }), 'team');
  assert.equal(defaultNamespace({ server: 'https://k' }), 'default');
  assert.equal(defaultNamespace({ server: 'https://k', namespace: '' }), 'default');
});
