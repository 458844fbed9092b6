/**
 * CRDValidationRatcheting against a real in-process API server: after a CRD tightens its schema
 * (a maxLength, an enum, a CEL rule), objects stored before still take status writes and finalizer
 * removals, since their invalid values are unchanged (apiextensions-apiserver
 * pkg/apiserver/validation/ratcheting.go); a ratcheted CEL error comes back as a warning; and a
 * write that changes an invalid value is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { apiextensionsV1 } from '../src/api/types/index.js';
import type { KubeClient } from '../src/client/kube-client.js';
import type { KubeObject } from '../src/client/object.js';
import type { ResourceRef } from '../src/client/resource-client.js';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import { eventually } from './support/eventually.js';

const CRDS = 'apiextensions.k8s.io/v1/CustomResourceDefinition';
const CRD_NAME = 'gizmos.example.com';
const REF: ResourceRef = { group: 'example.com', version: 'v1', resource: 'gizmos', namespaced: true, kind: 'Gizmo' };
const PATH = '/apis/example.com/v1/namespaces/default/gizmos';

type Gizmo = KubeObject & { spec?: { name?: string; mode?: string }; status?: { phase?: string } };

function schema(tight: boolean): apiextensionsV1.JSONSchemaProps {
  const name = tight ? { type: 'string', maxLength: 3, 'x-kubernetes-validations': [{ rule: 'self != "forbidden"', message: 'name is forbidden' }] } : { type: 'string' };
  const mode = tight ? { type: 'string', enum: ['a', 'b'] } : { type: 'string' };
  return {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { name, mode } },
      status: { type: 'object', properties: { phase: { type: 'string' } } },
    },
  };
}

function versions(tight: boolean): apiextensionsV1.CustomResourceDefinitionVersion[] {
  return [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema(tight) }, subresources: { status: {} } }];
}

function refused(error: unknown): string {
  assert.ok(error instanceof Error, String(error));
  return error.message;
}

describe('CRD validation ratcheting', () => {
  let env: ClientEnv;
  let client: KubeClient;

  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
    await client.typed(CRDS).create({
      metadata: { name: CRD_NAME },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gizmos', singular: 'gizmo', kind: 'Gizmo', listKind: 'GizmoList' }, versions: versions(false) },
    });
    const gizmos = client.resource<Gizmo>(REF).namespace('default');
    await eventually(() => gizmos.list(), 'gizmos to be served');
    await gizmos.create({ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'old', finalizers: ['example.com/hold'] }, spec: { name: 'toolong', mode: 'zzz' } });
    await gizmos.create({ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'cel' }, spec: { name: 'forbidden' } });
    const crd = await client.typed(CRDS).get(CRD_NAME);
    await client.typed(CRDS).update({ ...crd, spec: { ...crd.spec, versions: versions(true) } });
    // The tightened schema is in effect once a new object like the old one is refused.
    await eventually(async () => {
      try {
        await gizmos.create({ apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'probe' }, spec: { name: 'toolong' } });
        await gizmos.delete('probe');
        return undefined;
      } catch (error) {
        return /Too long/.test(refused(error)) ? true : undefined;
      }
    }, 'the tightened schema to be served');
  });
  after(async () => {
    await env.close();
  });

  test('an object stored before the schema was tightened takes a status write with its invalid spec unchanged', async () => {
    const gizmos = client.resource<Gizmo>(REF).namespace('default');
    const old = await gizmos.get('old');
    const written = await gizmos.updateStatus({ ...old, status: { phase: 'Ready' } });
    assert.deepEqual(written.status, { phase: 'Ready' });
  });

  test('a write that changes the invalid value is refused', async () => {
    const gizmos = client.resource<Gizmo>(REF).namespace('default');
    const old = await gizmos.get('old');
    await assert.rejects(gizmos.update({ ...old, spec: { name: 'stilltoolong', mode: 'zzz' } }), (error) => /spec\.name: Too long/.test(refused(error)));
  });

  test('a ratcheted CEL error comes back as a Warning header, not a refusal', async () => {
    const current = (await env.api.client.get(`${PATH}/cel`)).json as { metadata: Record<string, unknown> };
    const response = await env.api.client.put(`${PATH}/cel`, { ...current, metadata: { ...current.metadata, labels: { touched: 'yes' } } });
    assert.equal(response.status, 200, response.text);
    assert.match(String(response.headers.warning), /name is forbidden/);
  });

  test('the finalizer of an object stored before the schema was tightened can be removed, and the object deleted', async () => {
    const gizmos = client.resource<Gizmo>(REF).namespace('default');
    await gizmos.delete('old');
    await gizmos.patch('old', { metadata: { finalizers: null } }, 'merge');
    await eventually(async () => ((await gizmos.list()).items.some((item) => item.metadata?.name === 'old') ? undefined : true), 'the old object to go');
  });
});
