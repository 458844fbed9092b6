import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import type { CrdPrinterColumn } from '../resources/crd-model.js';
import { printerFor, validatePrinterColumns } from './printer-columns.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function column(name: string, type: string, jsonPath: string, extra: Partial<CrdPrinterColumn> = {}): CrdPrinterColumn {
  return { name, type, format: '', description: '', priority: 0, jsonPath, ...extra };
}

const WIDGET: JsonObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w1', creationTimestamp: '2024-05-01T11:00:00Z' },
  spec: { color: 'red', size: 3, ratio: 2.75, enabled: true, tags: ['a', 'b'], nested: { b: 1, a: 2 }, nothing: null },
  status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-05-01T11:58:00Z' }] },
};

test('a version without columns gets NAME and AGE', () => {
  const printer = printerFor([]);
  assert.deepEqual(
    printer.columns.map((c) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', 'name'],
      ['Age', 'date', ''],
    ],
  );
  assert.deepEqual(printer.cells(WIDGET, NOW), ['w1', '60m']);
});

test('declared columns follow NAME, without AGE, with their type, format, priority and description', () => {
  const printer = printerFor([
    column('Color', 'string', '.spec.color', { description: 'The colour.' }),
    column('Size', 'integer', '.spec.size', { priority: 1, format: 'int32' }),
  ]);
  assert.deepEqual(printer.columns, [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    { name: 'Color', type: 'string', format: '', description: 'The colour.', priority: 0 },
    { name: 'Size', type: 'integer', format: 'int32', description: 'Custom resource definition column (in JSONPath format): .spec.size', priority: 1 },
  ]);
  assert.deepEqual(printer.cells(WIDGET, NOW), ['w1', 'red', 3]);
});

test('cells keep numbers and booleans, print strings, and age dates', () => {
  const printer = printerFor([
    column('Ratio', 'number', '.spec.ratio'),
    column('Truncated', 'integer', '.spec.ratio'),
    column('Enabled', 'boolean', '.spec.enabled'),
    column('Ready', 'string', '.status.conditions[?(@.type=="Ready")].status'),
    column('Since', 'date', '.status.conditions[0].lastTransitionTime'),
    column('Created', 'date', '.metadata.creationTimestamp'),
  ]);
  assert.deepEqual(printer.cells(WIDGET, NOW), ['w1', 2.75, 2, true, 'True', '2m', '60m']);
});

test('a string column prints objects and arrays as JSON and takes only the first of several results', () => {
  const printer = printerFor([column('Tags', 'string', '.spec.tags'), column('Nested', 'string', '.spec.nested'), column('First', 'string', '.spec.tags[*]')]);
  assert.deepEqual(printer.cells(WIDGET, NOW), ['w1', '["a","b"]', '{"a":2,"b":1}', 'a']);
});

test('a missing value, a value of the wrong type or a failing path gives a null cell', () => {
  const printer = printerFor([
    column('Missing', 'string', '.spec.absent'),
    column('NotANumber', 'integer', '.spec.color'),
    column('NotABool', 'boolean', '.spec.size'),
    column('OutOfRange', 'string', '.spec.tags[9]'),
    column('Null', 'integer', '.spec.nothing'),
  ]);
  assert.deepEqual(printer.cells(WIDGET, NOW), ['w1', null, null, null, null, null]);
});

test('a null value in a string column prints as upstream prints it alone, and bad dates are invalid', () => {
  const printer = printerFor([column('Null', 'string', '.spec.nothing'), column('Bad', 'date', '.spec.color'), column('Number', 'date', '.spec.size')]);
  assert.deepEqual(printer.cells(WIDGET, NOW), ['w1', '<no value>', '<invalid>', null]);
});

test('columns stop at the first path that does not parse', () => {
  const printer = printerFor([column('Color', 'string', '.spec.color'), column('Bad', 'string', '.spec[x'), column('Size', 'integer', '.spec.size')]);
  assert.deepEqual(
    printer.columns.map((c) => c.name),
    ['Name', 'Color'],
  );
  assert.deepEqual(printer.cells(WIDGET, NOW), ['w1', 'red']);
});

test('column definitions are validated with upstream paths and messages', () => {
  const errors = validatePrinterColumns(
    [
      { name: 'Ok', type: 'string', jsonPath: '.spec.x' },
      { type: 'text', format: 'uuid', jsonPath: 'spec.x' },
      { name: 'NoType' },
    ],
    'spec.versions[0].additionalPrinterColumns',
  );
  assert.deepEqual(errors, [
    { type: 'FieldValueRequired', field: 'spec.versions[0].additionalPrinterColumns[1].name', detail: '' },
    {
      type: 'FieldValueInvalid',
      field: 'spec.versions[0].additionalPrinterColumns[1].type',
      badValue: 'text',
      detail: 'must be one of boolean,date,integer,number,string',
    },
    {
      type: 'FieldValueInvalid',
      field: 'spec.versions[0].additionalPrinterColumns[1].format',
      badValue: 'uuid',
      detail: 'must be one of byte,date,date-time,double,float,int32,int64,password',
    },
    {
      type: 'FieldValueInvalid',
      field: 'spec.versions[0].additionalPrinterColumns[1].JSONPath',
      badValue: 'spec.x',
      detail: 'must be a simple json path starting with .',
    },
    {
      type: 'FieldValueRequired',
      field: 'spec.versions[0].additionalPrinterColumns[2].type',
      detail: 'must be one of boolean,date,integer,number,string',
    },
    { type: 'FieldValueRequired', field: 'spec.versions[0].additionalPrinterColumns[2].JSONPath', detail: '' },
  ]);
  assert.deepEqual(validatePrinterColumns(undefined, 'x'), []);
});
