/**
 * Custom resources held to their CRD's structural schema, through a real in-process API server: an
 * invalid object is a 422 whose causes name the fields, defaults are applied on create and on read
 * (also to objects stored before the default was added), undeclared fields are pruned, and status
 * writes are validated (apiextensions-apiserver's pruning, defaulting and validation).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpClient, HttpResponse } from '../src/testing/http-client.js';
import { type RunningApi, releaseTestEtcd, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';

after(() => releaseTestEtcd());

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const GROUP = 'schema.example.com';
const CRD_NAME = `widgets.${GROUP}`;
const WIDGETS = `/apis/${GROUP}/v1/namespaces/default/widgets`;
const MERGE = 'application/merge-patch+json';

function schema(withDefault: boolean): Obj {
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['size'],
        properties: {
          size: { type: 'string', enum: ['small', 'large'] },
          replicas: { type: 'integer', minimum: 0, maximum: 10 },
          ...(withDefault ? { color: { type: 'string', default: 'blue' } } : {}),
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } },
          },
        },
      },
      status: { type: 'object', properties: { phase: { type: 'string', enum: ['Ready', 'Pending'] } } },
    },
  } as unknown as Obj;
}

function crd(withDefault: boolean): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD_NAME },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema(withDefault) }, subresources: { status: {} } }],
    },
  };
}

function widget(name: string, spec: Record<string, unknown>): Obj {
  return { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name }, spec };
}

function body(response: HttpResponse, code: number): Obj {
  assert.equal(response.status, code, `expected ${code}, got ${response.status}: ${response.text.slice(0, 500)}`);
  return response.json as Obj;
}

function causes(status: Obj): { field: unknown; message: unknown; reason: unknown }[] {
  return ((status.details as Obj | undefined)?.causes ?? []) as { field: unknown; message: unknown; reason: unknown }[];
}

function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  return eventually(probe, what);
}

async function served(client: HttpClient): Promise<void> {
  await waitFor('widgets to be served', async () => ((await client.get(WIDGETS)).status === 200 ? true : undefined));
}

describe('custom resources and their structural schema', () => {
  let api: RunningApi;

  before(async () => {
    api = await startApi('memory');
    body(await api.client.post(CRDS, crd(false)), 201);
    await served(api.client);
  });

  after(async () => {
    await api.close();
  });

  it('an invalid custom resource is 422 Invalid with a cause naming each field', async () => {
    const one = body(await api.client.post(WIDGETS, widget('bad', { size: 'small', replicas: 'two' })), 422);
    assert.equal(one.reason, 'Invalid');
    assert.equal(one.message, `Widget.${GROUP} "bad" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`);
    const two = body(await api.client.post(WIDGETS, widget('bad', { size: 'medium', replicas: 'two' })), 422);
    assert.deepEqual(
      causes(two).sort((a, b) => String(a.field).localeCompare(String(b.field))),
      [
        { reason: 'FieldValueTypeInvalid', message: 'Invalid value: "string": spec.replicas in body must be of type integer: "string"', field: 'spec.replicas' },
        { reason: 'FieldValueNotSupported', message: 'Unsupported value: "medium": supported values: "small", "large"', field: 'spec.size' },
      ],
    );
  });

  it('a missing required field and a duplicate map key are refused', async () => {
    const missing = body(await api.client.post(WIDGETS, widget('missing', {})), 422);
    assert.deepEqual(causes(missing), [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' }]);
    const dup = body(await api.client.post(WIDGETS, widget('dup', { size: 'small', ports: [{ name: 'a' }, { name: 'a' }] })), 422);
    assert.deepEqual(causes(dup).map((c) => c.field), ['spec.ports[1]']);
  });

  it('undeclared fields are pruned from what is stored', async () => {
    const created = body(await api.client.post(`${WIDGETS}?fieldValidation=Ignore`, { ...widget('pruned', { size: 'small', bogus: 1 }), extra: true }), 201);
    assert.deepEqual(created.spec, { size: 'small' });
    assert.equal(created.extra, undefined);
    const read = body(await api.client.get(`${WIDGETS}/pruned`), 200);
    assert.deepEqual(read.spec, { size: 'small' });
  });

  it('a status write is validated against the schema', async () => {
    body(await api.client.post(WIDGETS, widget('status', { size: 'large' })), 201);
    const refused = body(await api.client.patch(`${WIDGETS}/status/status`, { status: { phase: 'Broken' } }, MERGE), 422);
    assert.deepEqual(causes(refused).map((c) => c.field), ['status.phase']);
    const accepted = body(await api.client.patch(`${WIDGETS}/status/status`, { status: { phase: 'Ready' } }, MERGE), 200);
    assert.deepEqual(accepted.status, { phase: 'Ready' });
  });

  it('an update is validated too', async () => {
    body(await api.client.post(WIDGETS, widget('update', { size: 'small' })), 201);
    const refused = body(await api.client.patch(`${WIDGETS}/update`, { spec: { replicas: 11 } }, MERGE), 422);
    assert.deepEqual(causes(refused), [
      { reason: 'FieldValueInvalid', message: 'Invalid value: 11: spec.replicas in body should be less than or equal to 10', field: 'spec.replicas' },
    ]);
  });

  it('defaults are applied on create, and on read to objects stored before the default was added', async () => {
    body(await api.client.post(WIDGETS, widget('before', { size: 'small' })), 201);
    const current = body(await api.client.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD_NAME}`), 200);
    body(await api.client.put(`${CRDS}/${CRD_NAME}`, { ...crd(true), metadata: { ...current.metadata } }), 200);
    const read = await waitFor('the stored widget to read with its default', async () => {
      const response = await api.client.get(`${WIDGETS}/before`);
      const spec = (response.json as Obj | undefined)?.spec as Record<string, unknown> | undefined;
      return spec?.color === 'blue' ? spec : undefined;
    });
    assert.deepEqual(read, { size: 'small', color: 'blue' });
    const created = body(await api.client.post(WIDGETS, widget('after', { size: 'large' })), 201);
    assert.deepEqual(created.spec, { size: 'large', color: 'blue' });
    const kept = body(await api.client.post(WIDGETS, widget('kept', { size: 'large', color: 'red' })), 201);
    assert.deepEqual(kept.spec, { size: 'large', color: 'red' });
  });

  it('fieldValidation=Strict refuses an undeclared field with 400', async () => {
    const status = body(await api.client.post(`${WIDGETS}?fieldValidation=Strict`, widget('strict', { size: 'small', foo: 1 })), 400);
    assert.equal(status.reason, 'BadRequest');
    assert.match(String(status.message), /strict decoding error: unknown field "spec\.foo"$/);
  });

  it('fieldValidation=Warn reports an undeclared field in a Warning header', async () => {
    const response = await api.client.post(`${WIDGETS}?fieldValidation=Warn`, widget('warn', { size: 'small', foo: 1 }));
    body(response, 201);
    assert.equal(response.headers.warning, '299 - "unknown field \\"spec.foo\\""');
  });
});
