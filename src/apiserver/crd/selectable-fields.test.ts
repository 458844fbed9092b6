import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import type { Strategy } from '../registry/resource-definition.js';
import { selectableFieldsOf, validateSelectableFields, withSelectableFields } from './selectable-fields.js';

const SCHEMA: JsonObject = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string' } } },
    spec: {
      type: 'object',
      properties: {
        color: { type: 'string', enum: ['red', 'blue'] },
        size: { type: 'integer' },
        enabled: { type: 'boolean' },
        ratio: { type: 'number' },
        created: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        nested: { type: 'object', properties: { deep: { type: 'string' } } },
      },
    },
  },
};

const PATH = 'spec.versions[0].selectableFields';

function fields(...jsonPaths: string[]): JsonObject[] {
  return jsonPaths.map((jsonPath) => ({ jsonPath }));
}

test('every declared field is selectable by its path without the dot, valued as Go prints it', () => {
  const of = selectableFieldsOf(['.spec.color', '.spec.size', '.spec.enabled', '.spec.nested.deep']);
  assert.deepEqual(of({ spec: { color: 'red', size: 3, enabled: false, nested: { deep: 'x' } } }), {
    'spec.color': 'red',
    'spec.size': '3',
    'spec.enabled': 'false',
    'spec.nested.deep': 'x',
  });
});

test('missing and null values select as empty strings, so an empty object lists every field', () => {
  const of = selectableFieldsOf(['.spec.color', '.spec.size']);
  assert.deepEqual(of({}), { 'spec.color': '', 'spec.size': '' });
  assert.deepEqual(of({ spec: { color: null } }), { 'spec.color': '', 'spec.size': '' });
});

test('the hook is added to a strategy only when fields are declared, keeping its other hooks', () => {
  const validate = (): [] => [];
  const strategy: Strategy = { validate };
  assert.equal(withSelectableFields(strategy, []), strategy);
  const wrapped = withSelectableFields(strategy, ['.spec.color']);
  assert.equal(wrapped.validate, validate);
  assert.deepEqual(wrapped.selectableFields?.({ spec: { color: 'blue' } }), { 'spec.color': 'blue' });
});

test('string, enum, formatted string, integer, boolean and map-value fields are valid', () => {
  assert.deepEqual(
    validateSelectableFields(fields('.spec.color', '.spec.size', '.spec.enabled', '.spec.created', '.spec.labels.app', '.spec.nested.deep'), SCHEMA, PATH),
    [],
  );
});

test('paths that are not fields of the schema are invalid, worded as upstream', () => {
  assert.deepEqual(validateSelectableFields(fields('.spec.missing', 'spec.color', '.spec.tags[0]', '.spec.'), SCHEMA, PATH), [
    { type: 'FieldValueInvalid', field: `${PATH}[0].jsonPath`, badValue: '.spec.missing', detail: 'is an invalid path: does not refer to a valid field' },
    { type: 'FieldValueInvalid', field: `${PATH}[1].jsonPath`, badValue: 'spec.color', detail: 'is an invalid path: expected [ or . but got: spec' },
    { type: 'FieldValueInvalid', field: `${PATH}[2].jsonPath`, badValue: '.spec.tags[0]', detail: 'is an invalid path: array notation is not allowed' },
    { type: 'FieldValueInvalid', field: `${PATH}[3].jsonPath`, badValue: '.spec.', detail: 'is an invalid path: unexpected end of JSON path' },
  ]);
});

test('fields of other types, metadata fields, duplicates and empty paths are rejected', () => {
  const typeDetail = 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.';
  assert.deepEqual(validateSelectableFields([...fields('.spec.ratio', '.spec.tags', '.metadata.name', '.spec.color', '.spec.color'), {}], SCHEMA, PATH), [
    { type: 'FieldValueInvalid', field: `${PATH}[0].jsonPath`, badValue: '.spec.ratio', detail: typeDetail },
    { type: 'FieldValueInvalid', field: `${PATH}[1].jsonPath`, badValue: '.spec.tags', detail: typeDetail },
    { type: 'FieldValueInvalid', field: `${PATH}[2].jsonPath`, badValue: '.metadata.name', detail: 'must not point to fields in metadata' },
    { type: 'FieldValueDuplicate', field: `${PATH}[4].jsonPath`, badValue: '.spec.color' },
    { type: 'FieldValueRequired', field: `${PATH}[5].jsonPath`, detail: '' },
  ]);
});

test('at most eight distinct fields may be selectable', () => {
  const many: JsonObject = { type: 'object', properties: { spec: { type: 'object', properties: {} } } };
  const properties: JsonObject = {};
  for (let i = 0; i < 9; i++) properties[`f${i}`] = { type: 'string' };
  const schema: JsonObject = { ...many, properties: { spec: { type: 'object', properties } } };
  const errors = validateSelectableFields(
    Object.keys(properties).map((name) => ({ jsonPath: `.spec.${name}` })),
    schema,
    PATH,
  );
  assert.deepEqual(errors, [{ type: 'FieldValueTooMany', field: PATH, badValue: 9, detail: 'must have at most 8 items' }]);
});

test('selectable fields need a schema', () => {
  assert.deepEqual(validateSelectableFields(fields('.spec.color'), undefined, PATH), [
    { type: 'FieldValueInvalid', field: PATH, badValue: '', detail: 'selectableFields may only be set when version.schema.openAPIV3Schema is not included' },
  ]);
  assert.deepEqual(validateSelectableFields(undefined, undefined, PATH), []);
});
