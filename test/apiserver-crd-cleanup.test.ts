/**
 * The customresourcecleanup finalizer of a deleted CRD against a real in-process API server: its
 * custom resources are deleted without admission (upstream's crd_finalizer.go deletes through the
 * registry store), so a validating webhook that is down cannot keep the CRD from going; and every
 * page of its objects is deleted, so objects held by finalizers at the start of the key order do not
 * shield the rest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isNotFound } from '../src/client/errors.js';
import type { KubeClient } from '../src/client/kube-client.js';
import type { ResourceRef } from '../src/client/resource-client.js';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import { eventually, until } from './support/eventually.js';

const CRDS = 'apiextensions.k8s.io/v1/CustomResourceDefinition';

async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
}

/** A namespaced CRD of `example.com` keeping any field; resolves once it is served. */
async function installCrd(client: KubeClient, plural: string, kind: string): Promise<ResourceRef> {
  await client.typed(CRDS).create({
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  const ref: ResourceRef = { group: 'example.com', version: 'v1', resource: plural, namespaced: true, kind };
  await until(async () => (await client.resource(ref).list()).items !== undefined, `${plural} to be served`);
  return ref;
}

describe('the CRD cleanup finalizer', () => {
  let env: ClientEnv;
  let client: KubeClient;

  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
  });
  after(async () => {
    await env.close();
  });

  test('a CRD whose custom resources match a validating webhook that is down (failurePolicy Fail) is still deleted with them', async () => {
    const gadgets = await installCrd(client, 'gadgets', 'Gadget');
    const objects = client.resource(gadgets).namespace('default');
    await objects.create({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'kept-by-webhook' } });
    await objects.create({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'probe' } });
    await client.typed('admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration').create({
      metadata: { name: 'dead-operator' },
      webhooks: [
        {
          name: 'gadgets.example.com',
          clientConfig: { url: 'https://127.0.0.1:1/dead' },
          rules: [{ operations: ['DELETE'], apiGroups: ['example.com'], apiVersions: ['*'], resources: ['gadgets'] }],
          failurePolicy: 'Fail',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
        },
      ],
    });
    // A client's delete is refused once the dispatcher sees the webhook.
    await eventually(async () => {
      try {
        await objects.delete('probe');
        return undefined;
      } catch (error) {
        if (isNotFound(error)) throw error;
        return true;
      }
    }, 'a client delete to be refused by the dead webhook');

    await client.typed(CRDS).delete('gadgets.example.com');
    await until(() => gone(() => client.typed(CRDS).get('gadgets.example.com')), 'the CRD to be deleted');
    const stored = await env.api.store.list('/registry/example.com/gadgets/', { limit: 10 });
    assert.deepEqual(stored.items.map((kv) => kv.key), []);
  });

  test('more than a page of custom resources whose first page is held by a finalizer: the ones after it are deleted too', async () => {
    const sprockets = await installCrd(client, 'sprockets', 'Sprocket');
    const objects = client.resource(sprockets).namespace('default');
    // A whole first page (the cleanup lists 500 at a time) is held, in key order before the rest.
    const held = Array.from({ length: 505 }, (_, i) => `a-${String(i).padStart(3, '0')}`);
    const free = Array.from({ length: 20 }, (_, i) => `b-${String(i).padStart(3, '0')}`);
    const create = (name: string, finalizers: string[]) => objects.create({ apiVersion: 'example.com/v1', kind: 'Sprocket', metadata: { name, finalizers } });
    for (let i = 0; i < held.length; i += 50) await Promise.all(held.slice(i, i + 50).map((name) => create(name, ['example.com/hold'])));
    await Promise.all(free.map((name) => create(name, [])));

    await client.typed(CRDS).delete('sprockets.example.com');
    const left = await eventually(async () => {
      const page = await env.api.store.list('/registry/example.com/sprockets/', { limit: 1000 });
      return page.items.length === held.length ? page.items.map((kv) => kv.key) : undefined;
    }, 'every object but the held ones to be deleted');
    assert.deepEqual(left, held.map((name) => `/registry/example.com/sprockets/default/${name}`));
    assert.equal(await gone(() => client.typed(CRDS).get('sprockets.example.com')), false, 'the finalizers hold the CRD');

    for (let i = 0; i < held.length; i += 50) {
      await Promise.all(held.slice(i, i + 50).map((name) => objects.patch(name, { metadata: { finalizers: null } }, 'merge')));
    }
    await until(() => gone(() => client.typed(CRDS).get('sprockets.example.com')), 'the CRD to be deleted once released');
  });
});
