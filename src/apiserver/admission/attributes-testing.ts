/**
 * @module
 * For the admission unit tests: the attributes of a CREATE of ConfigMap `default/c`, with whatever
 * a test changes.
 */
import { type AdmissionAttributes, writeOptions } from './attributes.js';

export function createAttributes(overrides: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE',
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    resource: 'configmaps',
    subresource: '',
    namespace: 'default',
    name: 'c',
    object: { metadata: { name: 'c', labels: {} } },
    oldObject: undefined,
    dryRun: false,
    options: writeOptions('CREATE', false),
    ...overrides,
  };
}
