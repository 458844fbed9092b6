/**
 * A CRD's additionalPrinterColumns and selectableFields over HTTP: lists, single objects and watches
 * as meta.k8s.io Tables have NAME then the declared columns (priority kept for -o wide), with cells
 * evaluated from each object's JSONPath; field selectors filter lists and watches on the declared
 * fields, and an undeclared field is a 400 worded as upstream's; a CRD update that changes the
 * columns or fields is served at once. The memory backend suffices: columns and fields are computed
 * above storage, in the strategy and the watch cache.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpResponse } from '../src/testing/http-client.js';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const GROUP = 'columns.example.com';
const WIDGETS = `/apis/${GROUP}/v1/namespaces/default/widgets`;
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const MERGE = 'application/merge-patch+json';

const COLUMNS = [
  { name: 'Color', type: 'string', jsonPath: '.spec.color', description: 'The colour.' },
  { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Note', type: 'string', jsonPath: '.spec.note', priority: 1 },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

function widgetCrd(columns: readonly Record<string, unknown>[] = COLUMNS, selectable: readonly string[] = ['.spec.color', '.spec.size', '.spec.enabled']): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: { color: { type: 'string' }, size: { type: 'integer' }, enabled: { type: 'boolean' }, note: { type: 'string' } },
                },
                status: {
                  type: 'object',
                  properties: {
                    conditions: {
                      type: 'array',
                      items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } },
                    },
                  },
                },
              },
            },
          },
          additionalPrinterColumns: columns,
          selectableFields: selectable.map((jsonPath) => ({ jsonPath })),
        },
      ],
    },
  };
}

function widget(name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): Obj {
  return { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name }, spec, ...(status === undefined ? {} : { status }) };
}

function body(response: HttpResponse, code: number): Obj {
  assert.equal(response.status, code, `expected ${code}, got ${response.status}: ${response.text.slice(0, 400)}`);
  return response.json as Obj;
}

function rowsOf(table: Obj): unknown[][] {
  return (table.rows as { cells: unknown[] }[]).map((row) => row.cells);
}

function names(list: Obj): string[] {
  return (list.items as Obj[]).map((item) => String(item.metadata.name)).sort();
}

function select(selector: string): string {
  return `${WIDGETS}?fieldSelector=${encodeURIComponent(selector)}`;
}

describe('CRD printer columns and selectable fields', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi('memory');
    body(await api.client.post(CRDS, widgetCrd()), 201);
    await eventually(async () => ((await api.client.get(WIDGETS)).status === 200 ? true : undefined), 'widgets to be served');
    body(await api.client.post(WIDGETS, widget('red', { color: 'red', size: 1, enabled: true, note: 'first' }, { conditions: [{ type: 'Ready', status: 'True' }] })), 201);
    body(await api.client.post(WIDGETS, widget('blue', { color: 'blue', size: 2, enabled: false })), 201);
    body(await api.client.post(WIDGETS, widget('plain', {})), 201);
  });
  after(() => api.close());

  it('a list as a Table has NAME, then the declared columns with their types, descriptions and priorities', async () => {
    const table = body(await api.client.get(WIDGETS, TABLE), 200);
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions, [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      { name: 'Color', type: 'string', format: '', description: 'The colour.', priority: 0 },
      { name: 'Size', type: 'integer', format: '', description: 'Custom resource definition column (in JSONPath format): .spec.size', priority: 0 },
      {
        name: 'Ready',
        type: 'string',
        format: '',
        description: 'Custom resource definition column (in JSONPath format): .status.conditions[?(@.type=="Ready")].status',
        priority: 0,
      },
      { name: 'Note', type: 'string', format: '', description: 'Custom resource definition column (in JSONPath format): .spec.note', priority: 1 },
      { name: 'Age', type: 'date', format: '', description: 'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp', priority: 0 },
    ]);
    const rows = rowsOf(table).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    assert.deepEqual(
      rows.map((cells) => cells.slice(0, 5)),
      [
        ['blue', 'blue', 2, null, null],
        ['plain', null, null, null, null],
        ['red', 'red', 1, 'True', 'first'],
      ],
    );
    for (const cells of rows) assert.match(String(cells[5]), /^\d+s$/);
  });

  it('a single object as a Table has the same columns and its cells', async () => {
    const table = body(await api.client.get(`${WIDGETS}/red`, TABLE), 200);
    assert.deepEqual(
      (table.columnDefinitions as Obj[]).map((c) => c.name),
      ['Name', 'Color', 'Size', 'Ready', 'Note', 'Age'],
    );
    assert.deepEqual(rowsOf(table)[0]?.slice(0, 5), ['red', 'red', 1, 'True', 'first']);
  });

  it('a watch as Tables carries the columns in its first event and cells in every event', async () => {
    const watch = await api.client.watch(`${WIDGETS}?watch=true&fieldSelector=${encodeURIComponent('metadata.name=watched')}`, TABLE);
    try {
      body(await api.client.post(WIDGETS, widget('watched', { color: 'green', size: 7 })), 201);
      body(await api.client.patch(`${WIDGETS}/watched`, { spec: { size: 8 } }, MERGE), 200);
      const events = await watch.until((seen) => seen.length >= 2);
      assert.deepEqual(
        events.map((event) => event.type),
        ['ADDED', 'MODIFIED'],
      );
      const [added, modified] = events.map((event) => event.object as Obj);
      assert.equal(added?.kind, 'Table');
      assert.deepEqual(
        (added?.columnDefinitions as Obj[]).map((c) => c.name),
        ['Name', 'Color', 'Size', 'Ready', 'Note', 'Age'],
      );
      assert.deepEqual(rowsOf(added as Obj)[0]?.slice(0, 3), ['watched', 'green', 7]);
      assert.deepEqual(rowsOf(modified as Obj)[0]?.slice(0, 3), ['watched', 'green', 8]);
    } finally {
      watch.close();
    }
  });

  it('a field selector on a declared string, integer or boolean field filters a list', async () => {
    assert.deepEqual(names(body(await api.client.get(select('spec.color=red')), 200)), ['red']);
    assert.deepEqual(names(body(await api.client.get(select('spec.size=2')), 200)), ['blue']);
    assert.deepEqual(names(body(await api.client.get(select('spec.enabled=true')), 200)), ['red']);
    assert.deepEqual(names(body(await api.client.get(select('spec.enabled==false,metadata.name!=red')), 200)), ['blue']);
    assert.deepEqual(names(body(await api.client.get(select('spec.color=')), 200)), ['plain']);
    assert.ok(!names(body(await api.client.get(select('spec.color!=red')), 200)).includes('red'));
    const table = body(await api.client.get(select('spec.color=blue'), TABLE), 200);
    assert.deepEqual(
      rowsOf(table).map((cells) => cells[0]),
      ['blue'],
    );
  });

  it('a field selector on a declared field filters a watch', async () => {
    const watch = await api.client.watch(`${select('spec.color=yellow')}&watch=true`);
    try {
      body(await api.client.post(WIDGETS, widget('other', { color: 'purple' })), 201);
      body(await api.client.post(WIDGETS, widget('yellow', { color: 'yellow' })), 201);
      const events = await watch.until((seen) => seen.length >= 1);
      assert.deepEqual(
        events.map((event) => [event.type, (event.object as Obj).metadata.name]),
        [['ADDED', 'yellow']],
      );
    } finally {
      watch.close();
    }
  });

  it('a field selector on a field that is not declared is a 400 as upstream words it', async () => {
    const status = body(await api.client.get(select('spec.note=first')), 400);
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'BadRequest');
    assert.equal(status.message, 'field label not supported: spec.note');
  });

  it('a CRD update that changes the columns and selectable fields is served at once', async () => {
    const crd = body(await api.client.get(`${CRDS}/widgets.${GROUP}`), 200);
    const updated = widgetCrd([{ name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled' }], ['.spec.note']);
    body(await api.client.put(`${CRDS}/widgets.${GROUP}`, { ...updated, metadata: crd.metadata }), 200);
    const table = await eventually(async () => {
      const response = await api.client.get(`${WIDGETS}/red`, TABLE);
      const read = response.json as Obj;
      return (read.columnDefinitions as Obj[] | undefined)?.length === 2 ? read : undefined;
    }, 'the new columns to be served');
    assert.deepEqual(
      (table.columnDefinitions as Obj[]).map((c) => [c.name, c.type]),
      [
        ['Name', 'string'],
        ['Enabled', 'boolean'],
      ],
    );
    assert.deepEqual(rowsOf(table)[0], ['red', true]);
    assert.deepEqual(names(body(await api.client.get(select('spec.note=first')), 200)), ['red']);
    body(await api.client.get(select('spec.color=red')), 400);
  });
});
