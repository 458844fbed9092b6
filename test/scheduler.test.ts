/**
 * The scheduler against a real in-process API server: pods are bound through pods/binding, spread by
 * least allocated, refused with upstream's FailedScheduling wording and retried when a node that fits
 * appears; taints, cordons, nodeSelector and an HTTP extender are honoured.
 */
import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setMaxListeners } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { type ClientEnv, startClientEnv } from './support/client-harness.js';
import type { coreV1 } from '../src/api/types/index.js';
import { SharedInformerFactory } from '../src/client/cache/informer-factory.js';
import type { KubeClient } from '../src/client/kube-client.js';
import { silentLogger } from '../src/util/logger.js';
import { makeNode, makePod } from '../src/controllers/scheduler/fixtures.js';
import { Scheduler } from '../src/controllers/scheduler/scheduler.js';
import { eventually } from './support/eventually.js';

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

describe('scheduler', () => {
  let env: ClientEnv;
  let client: KubeClient;
  let stop: AbortController;
  let running: Promise<void>[];
  let extenderServer: Server;
  const extenderCalls: string[] = [];

  const pods = () => client.typed('v1/Pod').namespace('default');
  const nodes = () => client.typed('v1/Node');
  const boundNode = (name: string) => eventually(async () => {
    const pod = await pods().get(name);
    return pod.spec?.nodeName === undefined || pod.spec.nodeName === '' ? undefined : pod.spec.nodeName;
  }, `pod ${name} to be bound`);

  before(async () => {
    env = await startClientEnv('in-process');
    client = env.client();
    extenderServer = createServer((req, res) => {
      void readBody(req).then((body) => {
        extenderCalls.push(req.url ?? '');
        const args = body as { Pod: coreV1.Pod; Nodes?: { items: coreV1.Node[] } };
        const items = args.Nodes?.items ?? [];
        // Filters out every node whose name starts with "x1", with a reason.
        const kept = items.filter((n) => !(n.metadata?.name ?? '').startsWith('x1'));
        const failed = Object.fromEntries(items.filter((n) => !kept.includes(n)).map((n) => [n.metadata?.name ?? '', 'extender says no']));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ Nodes: { items: kept }, FailedNodes: failed, Error: '' }));
      });
    });
    await new Promise<void>((resolve) => extenderServer.listen(0, '127.0.0.1', resolve));
    const port = (extenderServer.address() as AddressInfo).port;

    for (const name of ['w1', 'w2', 'w3']) await nodes().create(makeNode(name, { cpu: '2', memory: '4Gi', labels: { group: 'workers' } }));
    const informers = new SharedInformerFactory(client, { logger: silentLogger });
    const scheduler = new Scheduler({ client, informers, logger: silentLogger });
    const extended = new Scheduler({ client, informers, logger: silentLogger, schedulerName: 'extended-scheduler', extenders: [{ urlPrefix: `http://127.0.0.1:${port}/ext`, filterVerb: 'filter' }] });
    stop = new AbortController();
    setMaxListeners(50, stop.signal);
    running = [scheduler.run(stop.signal), extended.run(stop.signal)];
  });

  after(async () => {
    stop.abort();
    await Promise.all(running);
    await new Promise((resolve) => extenderServer.close(resolve));
    await env.close();
  });

  test('ten pods are all bound, spread over the three nodes by least allocated', async () => {
    for (let i = 0; i < 10; i++) await pods().create(makePod(`spread-${i}`, { cpu: '100m', memory: '128Mi', spec: { nodeSelector: { group: 'workers' } } }));
    const placed = await Promise.all(Array.from({ length: 10 }, (_, i) => boundNode(`spread-${i}`)));
    const perNode = new Map<string, number>();
    for (const n of placed) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    assert.deepEqual([...perNode.keys()].sort(), ['w1', 'w2', 'w3']);
    assert.ok([...perNode.values()].every((n) => n >= 3 && n <= 4), `uneven spread: ${JSON.stringify([...perNode])}`);
    const scheduled = await eventually(async () => {
      const events = await client.typed('v1/Event').namespace('default').list();
      return events.items.find((e) => e.involvedObject.name === 'spread-0' && e.reason === 'Scheduled');
    }, 'a Scheduled event');
    assert.equal(scheduled.message, `Successfully assigned default/spread-0 to ${placed[0] ?? ''}`);
    assert.equal(scheduled.source?.component, 'default-scheduler');
  });

  test('a pod no node has room for gets FailedScheduling in upstream words, stays Pending, and is bound once a big node joins', async () => {
    await pods().create(makePod('huge', { cpu: '16', spec: { nodeSelector: { group: 'workers' } } }));
    const event = await eventually(async () => {
      const events = await client.typed('v1/Event').namespace('default').list();
      return events.items.find((e) => e.involvedObject.name === 'huge' && e.reason === 'FailedScheduling');
    }, 'a FailedScheduling event');
    assert.equal(event.type, 'Warning');
    // Every node is counted, those that the nodeSelector rules out too.
    assert.match(event.message ?? '', /^0\/\d+ nodes are available: .*3 Insufficient cpu.* preemption: 0\/\d+ nodes are available: .*3 No preemption victims found for incoming pod\.\.$/);
    const pending = await pods().get('huge');
    assert.equal(pending.spec?.nodeName, undefined);
    const condition = await eventually(async () => (await pods().get('huge')).status?.conditions?.find((c) => c.type === 'PodScheduled'), 'the PodScheduled condition');
    assert.equal(condition.status, 'False');
    assert.equal(condition.reason, 'Unschedulable');

    await nodes().create(makeNode('big', { cpu: '32', memory: '64Gi', labels: { group: 'workers' } }));
    assert.equal(await boundNode('huge'), 'big');
  });

  test('the FailedScheduling message counts each node by the filter that refused it', async () => {
    await nodes().create(makeNode('lonely', { cpu: '1', labels: { group: 'lonely' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
    await pods().create(makePod('nowhere', { spec: { nodeSelector: { group: 'lonely' } } }));
    const event = await eventually(async () => {
      const events = await client.typed('v1/Event').namespace('default').list();
      return events.items.find((e) => e.involvedObject.name === 'nowhere' && e.reason === 'FailedScheduling');
    }, 'a FailedScheduling event');
    const total = (await nodes().list()).items.length;
    assert.equal(
      event.message,
      `0/${total} nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, ${total - 1} node(s) didn't match Pod's node affinity/selector. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling..`,
    );
  });

  test('a tainted node is avoided unless the pod tolerates the taint', async () => {
    await nodes().create(makeNode('tainted', { labels: { group: 't' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
    await nodes().create(makeNode('plain', { cpu: '1', labels: { group: 't' } }));
    for (let i = 0; i < 3; i++) await pods().create(makePod(`t-${i}`, { cpu: '10m', spec: { nodeSelector: { group: 't' } } }));
    await pods().create(makePod('tolerant', { spec: { nodeSelector: { 'kubernetes.io/hostname': 'tainted' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } }));
    for (let i = 0; i < 3; i++) assert.equal(await boundNode(`t-${i}`), 'plain');
    assert.equal(await boundNode('tolerant'), 'tainted');
  });

  test('a cordoned node is avoided', async () => {
    await nodes().create(makeNode('cordoned', { cpu: '64', labels: { group: 'c' }, unschedulable: true }));
    await nodes().create(makeNode('open', { cpu: '1', labels: { group: 'c' } }));
    for (let i = 0; i < 3; i++) await pods().create(makePod(`c-${i}`, { cpu: '10m', spec: { nodeSelector: { group: 'c' } } }));
    for (let i = 0; i < 3; i++) assert.equal(await boundNode(`c-${i}`), 'open');
  });

  test('a scheduler extender that filters out a node is honoured, for the scheduler it is configured on', async () => {
    await nodes().create(makeNode('x1', { cpu: '64', labels: { group: 'e' } }));
    await nodes().create(makeNode('x2', { cpu: '1', labels: { group: 'e' } }));
    for (let i = 0; i < 3; i++) await pods().create(makePod(`e-${i}`, { cpu: '10m', spec: { schedulerName: 'extended-scheduler', nodeSelector: { group: 'e' } } }));
    for (let i = 0; i < 3; i++) assert.equal(await boundNode(`e-${i}`), 'x2');
    assert.ok(extenderCalls.length >= 3 && extenderCalls.every((u) => u === '/ext/filter'));
    const event = await eventually(async () => {
      const events = await client.typed('v1/Event').namespace('default').list();
      return events.items.find((e) => e.involvedObject.name === 'e-0' && e.reason === 'Scheduled');
    }, 'the Scheduled event');
    assert.equal(event.source?.component, 'extended-scheduler');
  });
});
