import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions } from './version-priority.js';

test('versions sort as Kubernetes lists a CRD’s versions: GA, beta, alpha, higher first, then the rest lexically', () => {
  const versions = ['foo10', 'v1alpha1', 'v11alpha2', 'v1', 'v10beta3', 'foo1', 'v2', 'v12alpha1', 'v3beta1', 'v10', 'v11beta2'];
  assert.deepEqual([...versions].sort(compareVersions), ['v10', 'v2', 'v1', 'v11beta2', 'v10beta3', 'v3beta1', 'v12alpha1', 'v11alpha2', 'v1alpha1', 'foo1', 'foo10']);
});
