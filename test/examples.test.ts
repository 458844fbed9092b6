/**
 * The examples run as written against a real kubelite API server: README's ConfigMap mirror (built
 * with the Manager and the builder) and the canonical sample controller (built with informers, a
 * work queue and workers by hand, for the Foo custom resource of examples/sample-controller/crd.yaml). README's "Write a controller" must show the mirror's code as it
 * is in examples/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SharedInformerFactory, waitForCacheSync } from '../src/client/cache/informer-factory.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { Manager } from '../src/runtime/manager.js';
import { silentLogger } from '../src/util/logger.js';
import { mirrorController } from '../examples/configmap-mirror.js';
import { parse } from 'yaml';
import type { apiextensionsV1 } from '../src/api/types/index.js';
import { isNotFound } from '../src/client/errors.js';
import { FOOS, type Foo, SampleController } from '../examples/sample-controller/controller.js';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import { eventually } from './support/eventually.js';

const root = join(import.meta.dirname, '..', '..');

describe('examples', () => {
  let env: ClientEnv;
  let client: KubeClient;
  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
  });
  after(() => env.close());

  test('README shows examples/configmap-mirror.ts as it is', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = readFileSync(join(root, 'examples', 'configmap-mirror.ts'), 'utf8');
    const body = example.slice(example.indexOf('export function mirrorController'), example.indexOf('// Run as a program'));
    assert.ok(readme.includes(body.trim()), 'README.md must contain mirrorController exactly as in examples/configmap-mirror.ts');
  });

  test('the ConfigMap mirror copies a labelled ConfigMap, follows its changes, and records events', async () => {
    const manager = new Manager({ client, logger: silentLogger });
    mirrorController(manager);
    const stop = new AbortController();
    const running = manager.run(stop.signal);
    const configMaps = client.typed('v1/ConfigMap').namespace('default');
    await configMaps.create({ metadata: { name: 'plain' }, data: { a: '1' } });
    const source = await configMaps.create({ metadata: { name: 'hello', labels: { mirror: 'true' } }, data: { greeting: 'hi' } });
    const mirror = await eventually(() => configMaps.get('hello-mirror'), 'the mirror');
    assert.deepEqual(mirror.data, { greeting: 'hi' });
    assert.equal(mirror.metadata?.ownerReferences?.[0]?.uid, source.metadata?.uid);
    await configMaps.patch('hello', { data: { greeting: 'hello' } }, 'merge');
    await eventually(async () => ((await configMaps.get('hello-mirror')).data?.greeting === 'hello' ? true : undefined), 'the mirror to follow');
    // Someone edits the mirror: the owner's controller puts it back.
    await configMaps.patch('hello-mirror', { data: { greeting: 'tampered' } }, 'merge');
    await eventually(async () => ((await configMaps.get('hello-mirror')).data?.greeting === 'hello' ? true : undefined), 'the mirror to be restored');
    await assert.rejects(configMaps.get('plain-mirror'));
    const events = await eventually(async () => {
      const list = await client.typed('v1/Event').namespace('default').list();
      const mine = list.items.filter((e) => e.involvedObject?.name === 'hello');
      return mine.some((e) => e.reason === 'Mirrored') ? mine : undefined;
    }, 'a Mirrored event');
    assert.equal(events.find((e) => e.reason === 'Mirrored')?.source?.component, 'configmap-mirror');
    stop.abort();
    await running;
  });

  test('the sample controller creates the Foo\'s Deployment, scales it, reports status, and refuses a Deployment it does not own', async () => {
    // Install the Foo CRD exactly as examples/sample-controller/crd.yaml has it.
    const crd = parse(readFileSync(join(root, 'examples', 'sample-controller', 'crd.yaml'), 'utf8')) as apiextensionsV1.CustomResourceDefinition;
    await client.typed('apiextensions.k8s.io/v1/CustomResourceDefinition').create(crd);
    const allFoos = client.resource<Foo>(FOOS);
    await eventually(async () => (await allFoos.list()).items, 'Foos to be served');
    await client.typed('v1/Namespace').create({ metadata: { name: 'sample' } });
    const factory = new SharedInformerFactory(client, { namespace: 'sample', logger: silentLogger });
    const controller = new SampleController(client, factory);
    const stop = new AbortController();
    factory.start(stop.signal);
    const running = controller.run(2, stop.signal, (synced) => waitForCacheSync(stop.signal, synced));
    const foos = allFoos.namespace('sample');
    const deployments = client.typed('apps/v1/Deployment').namespace('sample');
    const example = parse(readFileSync(join(root, 'examples', 'sample-controller', 'example-foo.yaml'), 'utf8')) as Foo;
    const foo = await foos.create(example);
    const created = await eventually(() => deployments.get('example-foo'), 'the Deployment');
    assert.equal(created.spec?.replicas, 1);
    assert.deepEqual(created.metadata?.ownerReferences?.[0], {
      apiVersion: 'samplecontroller.k8s.io/v1alpha1',
      kind: 'Foo',
      name: 'example-foo',
      uid: foo.metadata?.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    await eventually(async () => ((await foos.get('example-foo')).status?.availableReplicas === 0 ? true : undefined), 'the status');
    await foos.patch('example-foo', { spec: { replicas: 3 } }, 'merge');
    await eventually(async () => ((await deployments.get('example-foo')).spec?.replicas === 3 ? true : undefined), 'the scale to 3');
    // Someone else's Deployment with the name a Foo asks for is left alone, with a warning event.
    await deployments.create({ metadata: { name: 'taken' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    await foos.create({ apiVersion: 'samplecontroller.k8s.io/v1alpha1', kind: 'Foo', metadata: { name: 'greedy' }, spec: { deploymentName: 'taken', replicas: 1 } });
    const warning = await eventually(async () => {
      const list = await client.typed('v1/Event').namespace('sample').list();
      return list.items.find((e) => e.involvedObject?.name === 'greedy' && e.reason === 'ErrResourceExists');
    }, 'the ErrResourceExists event');
    assert.equal(warning.type, 'Warning');
    assert.equal(warning.involvedObject?.kind, 'Foo');
    assert.equal((await deployments.get('taken')).metadata?.ownerReferences, undefined);
    // A deleted Foo is no longer reconciled.
    await foos.delete('greedy');
    await eventually(async () => ((await foos.get('greedy').catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)))) === undefined ? true : undefined), 'greedy to go');
    stop.abort();
    await running;
    await factory.shutdown();
  });
});
