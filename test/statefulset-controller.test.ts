/**
 * The StatefulSet controller against a real in-process API server: pods appear one ordinal at a
 * time as the previous one becomes Ready, scale down from the top, and a new template rolls from
 * the highest ordinal down; every template is kept as a ControllerRevision, and going back to an
 * older template (what `kubectl rollout undo` patches in) renumbers that revision instead of adding
 * one. No kubelet runs, so the test marks pods Running and Ready itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { appsV1, coreV1 } from '../src/api/types/index.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { StatefulSetController } from '../src/controllers/statefulset/index.js';
import { silentLogger } from '../src/util/logger.js';
import { type ControllerCluster, startControllers } from './support/controller-harness.js';
import { eventually } from './support/eventually.js';

type Pod = coreV1.Pod;

describe('StatefulSet controller against an API server', () => {
  let cluster: ControllerCluster;
  let client: KubeClient;

  before(async () => {
    cluster = await startControllers((started, informers) => {
      client = started;
      const controller = new StatefulSetController({ client, informers, logger: silentLogger });
      return [controller];
    });
  });

  after(() => cluster.close());

  const pods = () => client.typed('v1/Pod').namespace('default');
  const sets = () => client.typed('apps/v1/StatefulSet').namespace('default');
  const revisions = () => client.typed('apps/v1/ControllerRevision').namespace('default');

  /** The revisions `set` controls, oldest first. */
  async function revisionsOf(set: string): Promise<appsV1.ControllerRevision[]> {
    const items = (await revisions().list()).items.filter((r) => r.metadata?.ownerReferences?.some((o) => o.controller === true && o.name === set));
    return items.sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  }

  async function livePods(): Promise<Pod[]> {
    const items = (await pods().list()).items.filter((p) => p.metadata?.deletionTimestamp === undefined && p.metadata?.labels?.['app'] === 'web');
    return items.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  }

  /** The live pods, once their names are exactly `names`. */
  async function podsNamed(names: string[]): Promise<Pod[]> {
    return eventually(async () => {
      const live = await livePods();
      return JSON.stringify(live.map((p) => p.metadata?.name)) === JSON.stringify(names) ? live : undefined;
    }, `pods ${names.join(', ')}`);
  }

  async function markReady(name: string): Promise<void> {
    const current = await pods().get(name);
    current.status = { ...current.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString() }] };
    await pods().updateStatus(current);
  }

  test('creates pods in order as each becomes Ready, scales down from the top and rolls a new template', async () => {
    await sets().create({
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        serviceName: 'nginx',
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } },
      },
    });
    const [web0] = await podsNamed(['web-0']);
    assert.equal(web0?.spec?.hostname, 'web-0');
    assert.equal(web0?.spec?.subdomain, 'nginx');
    assert.equal(web0?.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(web0?.metadata?.labels?.['apps.kubernetes.io/pod-index'], '0');

    await markReady('web-0');
    await podsNamed(['web-0', 'web-1']);
    await markReady('web-1');
    await podsNamed(['web-0', 'web-1', 'web-2']);
    await markReady('web-2');
    const status = await eventually(async () => {
      const s = (await sets().get('web')).status;
      return s?.readyReplicas === 3 && s.replicas === 3 ? s : undefined;
    }, 'readyReplicas 3');
    assert.equal(status.currentRevision, status.updateRevision);
    assert.equal(status.updatedReplicas, 3);
    assert.equal(status.availableReplicas, 3);
    assert.equal(status.observedGeneration, (await sets().get('web')).metadata?.generation);

    // Scale down removes web-2 first, then web-1.
    await sets().patch('web', { spec: { replicas: 1 } }, 'merge');
    await podsNamed(['web-0']);

    // A new template replaces web-0 (the only replica) with the new revision.
    await sets().patch('web', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } } }, 'strategic');
    const rolled = await eventually(async () => {
      const live = await livePods();
      const p = live[0];
      if (live.length !== 1 || p?.spec?.containers[0]?.image !== 'nginx:2') return undefined;
      if (p.status?.phase !== 'Running') await markReady(p.metadata?.name ?? '');
      const s = (await sets().get('web')).status;
      return s?.updatedReplicas === 1 && s.readyReplicas === 1 && s.currentRevision === s.updateRevision ? s : undefined;
    }, 'web-0 rolled to nginx:2');
    assert.equal(rolled.currentReplicas, 1);
  });

  test('keeps each template as a ControllerRevision and renumbers an old one when the template goes back to it', async () => {
    const labels = { app: 'db' };
    await sets().create({
      metadata: { name: 'db', annotations: { 'kubernetes.io/change-cause': 'first' } },
      spec: {
        replicas: 1,
        serviceName: 'db',
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
      },
    });
    const [rev1] = await eventually(async () => {
      const revs = await revisionsOf('db');
      return revs.length === 1 ? revs : undefined;
    }, 'revision 1 of db');
    assert.equal(rev1?.revision, 1);
    assert.equal(rev1?.metadata?.annotations?.['kubernetes.io/change-cause'], 'first');
    const rev1Name = rev1?.metadata?.name ?? '';
    const db0 = await eventually(async () => (await pods().list()).items.find((p) => p.metadata?.name === 'db-0'), 'db-0');
    assert.equal(db0.metadata?.labels?.['controller-revision-hash'], rev1Name);
    await markReady('db-0');

    await sets().patch('db', { spec: { template: { spec: { containers: [{ name: 'db', image: 'db:2' }] } } } }, 'strategic');
    const afterUpdate = await eventually(async () => {
      const revs = await revisionsOf('db');
      const s = (await sets().get('db')).status;
      return revs.length === 2 && s?.updateRevision === revs[1]?.metadata?.name ? revs : undefined;
    }, 'revision 2 of db');
    assert.equal(afterUpdate[1]?.revision, 2);

    // kubectl rollout undo patches the set with the older revision's data.
    await sets().patch('db', rev1?.data, 'strategic');
    const afterUndo = await eventually(async () => {
      const revs = await revisionsOf('db');
      const s = (await sets().get('db')).status;
      return revs.length === 2 && revs[1]?.metadata?.name === rev1Name && s?.updateRevision === rev1Name ? revs : undefined;
    }, 'revision 1 of db renumbered');
    assert.equal(afterUndo[1]?.revision, 3);
    assert.equal(afterUndo[0]?.revision, 2);
  });
});
