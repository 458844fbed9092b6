/**
 * Typed custom resources from one declaration (src/runtime/custom-resource.ts, schema-builder.ts):
 * the schema builder writes the OpenAPI v3 schema upstream expects, the CRD manifest carries names,
 * rules, printer columns and subresources, the inferred TypeScript types match the declaration, and
 * a real kubelite API server accepts the generated CRD, serves it, defaults, validates and prints
 * with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { ApiError } from '../src/client/errors.js';
import { type CustomResource, type Infer, type InferInput, defineCustomResource, t } from '../src/runtime/index.js';
import { type TestCluster, startTestCluster } from '../src/testing/index.js';

const Widget = defineCustomResource({
  group: 'toys.example.com',
  version: 'v1alpha1',
  kind: 'Widget',
  plural: 'widgets',
  shortNames: ['wd'],
  scope: 'Namespaced',
  spec: t.object({
    color: t.enum(['red', 'blue'], { default: 'red' }),
    size: t.integer({ minimum: 1, maximum: 10 }),
    label: t.string({ pattern: '^[a-z]+$', maxLength: 8 }).optional(),
    port: t.intOrString().optional(),
    tags: t.array(t.string(), { maxItems: 3, listType: 'set' }).optional(),
    owner: t.embeddedResource().optional(),
    extra: t.unknown().optional(),
    parts: t.array(t.object({ name: t.string(), count: t.integer({ default: 1 }) }), { listType: 'map', listMapKeys: ['name'] }).optional(),
  }),
  status: t.object({ phase: t.string().optional(), conditions: t.conditions() }),
  validations: [{ rule: "self.color != 'blue' || self.size > 2", message: 'blue widgets are bigger than 2' }],
  printerColumns: [
    { name: 'Color', type: 'string', jsonPath: '.spec.color' },
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
  ],
  scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' },
  selectableFields: ['.spec.color'],
});
type WidgetObject = CustomResource<typeof Widget>;

// The inferred types, checked by the compiler: a defaulted field is present when read, optional when written.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const specIsInferred: Equals<Infer<typeof Widget.spec>['color'], 'red' | 'blue'> = true;
const sizeIsRequired: Equals<Infer<typeof Widget.spec>['size'], number> = true;
const colorIsOptionalWhenWritten: Equals<InferInput<typeof Widget.spec>['color'], 'red' | 'blue' | undefined> = true;
const portIsIntOrString: Equals<NonNullable<WidgetObject['spec']['port']>, number | string> = true;

describe('the schema builder', () => {
  test('infers the TypeScript types of the declaration', () => {
    assert.deepEqual([specIsInferred, sizeIsRequired, colorIsOptionalWhenWritten, portIsIntOrString], [true, true, true, true]);
  });

  test('writes the structural schema: types, bounds, enum, pattern, required, defaults and x-kubernetes extensions', () => {
    const spec = Widget.crd.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec;
    assert.deepEqual(spec?.required, ['size']);
    assert.deepEqual(spec?.properties?.color, { type: 'string', enum: ['red', 'blue'], default: 'red' });
    assert.deepEqual(spec?.properties?.size, { type: 'integer', minimum: 1, maximum: 10 });
    assert.deepEqual(spec?.properties?.label, { type: 'string', pattern: '^[a-z]+$', maxLength: 8 });
    assert.deepEqual(spec?.properties?.port, { 'x-kubernetes-int-or-string': true });
    assert.deepEqual(spec?.properties?.tags, { type: 'array', maxItems: 3, 'x-kubernetes-list-type': 'set', items: { type: 'string' } });
    assert.deepEqual(spec?.properties?.owner, { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(spec?.properties?.extra, { 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(spec?.properties?.parts?.['x-kubernetes-list-map-keys'], ['name']);
    assert.deepEqual(spec?.properties?.parts?.items, { type: 'object', properties: { name: { type: 'string' }, count: { type: 'integer', default: 1 } }, required: ['name'] });
    assert.deepEqual(spec?.['x-kubernetes-validations'], [{ rule: "self.color != 'blue' || self.size > 2", message: 'blue widgets are bigger than 2' }]);
  });

  test('a default or optional() takes a property out of required', () => {
    const schema = t.object({ a: t.string(), b: t.string().default('x'), c: t.integer().optional() }).toJSONSchema();
    assert.deepEqual(schema.required, ['a']);
    assert.equal(schema.properties?.b?.default, 'x');
    const none = t.object({ c: t.integer().optional() }).toJSONSchema();
    assert.equal('required' in none, false);
  });

  test('rules, descriptions and nullability chain onto any schema', () => {
    const schema = t.string().nullable().describe('a name').rule('self.size() > 1', { messageExpression: "'too short: ' + self", reason: 'FieldValueInvalid' }).toJSONSchema();
    assert.deepEqual(schema, {
      type: 'string',
      nullable: true,
      description: 'a name',
      'x-kubernetes-validations': [{ rule: 'self.size() > 1', messageExpression: "'too short: ' + self", reason: 'FieldValueInvalid' }],
    });
  });
});

describe('defineCustomResource', () => {
  test('makes the CRD manifest with names, subresources and printer columns', () => {
    const crd = Widget.crd;
    assert.equal(crd.metadata?.name, 'widgets.toys.example.com');
    assert.deepEqual(crd.spec.names, { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] });
    assert.equal(crd.spec.scope, 'Namespaced');
    const version = crd.spec.versions[0];
    assert.deepEqual(version?.subresources, { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } });
    assert.deepEqual(version?.additionalPrinterColumns?.map((column) => column.name), ['Color', 'Size']);
    assert.deepEqual(version?.selectableFields, [{ jsonPath: '.spec.color' }]);
    assert.deepEqual(parse(Widget.toYaml()), crd, 'the YAML is the same manifest');
    assert.deepEqual(Widget.ref, { group: 'toys.example.com', version: 'v1alpha1', resource: 'widgets', namespaced: true, kind: 'Widget' });
  });

  test('make() fills apiVersion, kind and the spec defaults, nested ones included', () => {
    const widget = Widget.make({ name: 'w', namespace: 'default' }, { size: 3, parts: [{ name: 'bolt' }] });
    assert.deepEqual(widget, { apiVersion: 'toys.example.com/v1alpha1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: { size: 3, color: 'red', parts: [{ name: 'bolt', count: 1 }] } });
  });

  test('refuses names the API server would refuse', () => {
    assert.throws(() => defineCustomResource({ group: 'nodot', version: 'v1', kind: 'X', plural: 'xs', scope: 'Cluster', spec: t.object({}) }), /at least one dot/);
    assert.throws(() => defineCustomResource({ group: 'a.b', version: 'v1', kind: 'X', plural: 'Xs', scope: 'Cluster', spec: t.object({}) }), /lower-case DNS label/);
  });
});

describe('a generated CRD in a real API server', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startTestCluster({ crds: [Widget.toYaml()], listen: true });
  });
  after(() => cluster.stop());

  test('is accepted and served: objects are created with their defaults', async () => {
    const widgets = cluster.client.resource<WidgetObject>(Widget.ref).namespace('default');
    const created = await widgets.create(Widget.make({ name: 'w1', namespace: 'default' }, { size: 2 }));
    assert.equal(created.spec.color, 'red');
    const raw = await cluster.client.resource(Widget.ref).namespace('default').create({ apiVersion: Widget.apiVersion, kind: 'Widget', metadata: { name: 'w2' }, spec: { size: 2 } } as never);
    assert.equal((raw as WidgetObject).spec.color, 'red', 'the server applied the default itself');
  });

  test('validates with the schema and its CEL rule', async () => {
    const widgets = cluster.client.resource<WidgetObject>(Widget.ref).namespace('default');
    const refused = async (spec: WidgetObject['spec']): Promise<ApiError> => {
      const error = await widgets.create({ ...Widget.make({ name: 'bad', namespace: 'default' }, { size: 1 }), spec }).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ApiError && error.code === 422, `expected 422, got ${String(error)}`);
      return error;
    };
    assert.match((await refused({ color: 'red', size: 11 })).message, /spec\.size/);
    assert.match((await refused({ color: 'red', size: 1, label: 'UPPER' })).message, /spec\.label/);
    assert.match((await refused({ color: 'blue', size: 1 })).message, /blue widgets are bigger than 2/);
  });

  test('lists by its selectable fields', async () => {
    const widgets = cluster.client.resource<WidgetObject>(Widget.ref).namespace('default');
    await widgets.create(Widget.make({ name: 'blue-one', namespace: 'default' }, { size: 5, color: 'blue' }));
    const blue = await widgets.list({ fieldSelector: 'spec.color=blue' });
    assert.deepEqual(blue.items.map((item) => item.metadata?.name), ['blue-one']);
  });

  test('prints its columns in kubectl get', async () => {
    const response = await fetch(`${cluster.url ?? ''}/apis/toys.example.com/v1alpha1/namespaces/default/widgets`, {
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const table = (await response.json()) as { columnDefinitions: { name: string }[] };
    assert.deepEqual(table.columnDefinitions.map((column) => column.name), ['Name', 'Color', 'Size']);
  });
});
