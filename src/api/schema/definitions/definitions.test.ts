import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtInSchemas } from './index.js';

test('the built-in definitions are consistent: references resolve, keys and required fields exist', () => {
  const problems = builtInSchemas().check();
  assert.deepEqual(problems, []);
});

test('every property of every built-in definition has a description', () => {
  const missing: string[] = [];
  for (const definition of builtInSchemas().definitions) {
    if (definition.schema.type !== 'object') continue;
    for (const [name, property] of Object.entries(definition.schema.properties ?? {})) {
      if ((property.description ?? '') === '') missing.push(`${definition.name}.${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every property of every built-in definition has a protobuf field number, except apiVersion and kind of kinds', () => {
  const missing: string[] = [];
  for (const definition of builtInSchemas().definitions) {
    if (definition.schema.type !== 'object') continue;
    for (const [name, property] of Object.entries(definition.schema.properties ?? {})) {
      // TypeMeta travels in the protobuf envelope, not in the message.
      const typeMeta = definition.gvk !== undefined && (name === 'apiVersion' || name === 'kind');
      if (property.proto === undefined && !typeMeta) missing.push(`${definition.name}.${name}`);
    }
  }
  assert.deepEqual(missing, []);
});
