import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../../../api/field-errors.js';
import { validateEmbeddedResources } from './embedded.js';
import { compileStructural } from './structural.js';

const SCHEMA = compileStructural({
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } },
  },
});

describe('embedded resources', () => {
  it('requires apiVersion and kind', () => {
    const errors = validateEmbeddedResources({ spec: { template: {} } }, SCHEMA).map(formatFieldError);
    assert.deepEqual(errors, ['spec.template.apiVersion: Required value: must not be empty', 'spec.template.kind: Required value: must not be empty']);
  });

  it('validates the embedded metadata as ObjectMeta, without requiring a name', () => {
    const ok = validateEmbeddedResources({ spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 'b' } } } } }, SCHEMA);
    assert.deepEqual(ok, []);
    const errors = validateEmbeddedResources({ spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { 'bad key!': 'b' } } } } }, SCHEMA);
    assert.equal(errors[0]?.field, 'spec.template.metadata.labels');
  });

  it('refuses an apiVersion that is not a group version', () => {
    const errors = validateEmbeddedResources({ spec: { template: { apiVersion: 'a/b/c', kind: 'Pod' } } }, SCHEMA).map(formatFieldError);
    assert.deepEqual(errors, ['spec.template.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c']);
  });

  it('does not look at the root, which the generic store validates', () => {
    assert.deepEqual(validateEmbeddedResources({}, SCHEMA), []);
  });
});
