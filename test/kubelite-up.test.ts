/**
 * `kubelite up` as a user runs it: it says where it listens and where the kubeconfig is, stays in
 * the foreground, and on Ctrl-C (SIGINT) shuts down cleanly — started again on the same data
 * directory, every acknowledged write is there and resourceVersions carry on from where they were.
 * Its nodes start pods at once, or after the delay `--pod-ready-delay` gives.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { parse } from 'yaml';
import { HttpClient } from '../src/testing/http-client.js';
import type { WatchStream } from '../src/testing/http-client.js';
import { type CliProcess, interruptCli, startCli } from './support/cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'kubelite-up-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Running extends CliProcess {
  readonly client: HttpClient;
}

async function up(data = join(dir, 'data'), flags: readonly string[] = []): Promise<Running> {
  const running = await startCli(['up', '--data-dir', data, '--port', '0', ...flags]);
  const kubeconfig = parse(readFileSync(join(data, 'kubeconfig'), 'utf8')) as { clusters: { cluster: { server: string } }[] };
  const server = kubeconfig.clusters[0]?.cluster.server ?? '';
  return { ...running, client: new HttpClient(server) };
}

async function interrupt(running: Running): Promise<number | null> {
  running.client.close();
  return interruptCli(running);
}

it('kubelite up says where it is, stops cleanly on Ctrl-C, and starts again with everything it acknowledged', async () => {
  const first = await up();
  assert.match(first.output(), /kubelite API server listening at http:\/\/127\.0\.0\.1:\d+/);
  assert.match(first.output(), /kubeconfig: .*kubeconfig/);
  assert.ok(existsSync(join(dir, 'data', 'kubelite.db')));
  const created = [];
  for (let i = 0; i < 20; i++) {
    const response = await first.client.post('/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `c${i}` },
      data: { i: String(i) },
    });
    assert.equal(response.status, 201, response.text);
    created.push(response.json as { metadata: { resourceVersion: string } });
  }
  const lastVersion = Number(created[created.length - 1]?.metadata.resourceVersion);
  assert.equal(await interrupt(first), 0, `exit code after SIGINT; output:\n${first.output()}`);

  const second = await up();
  try {
    const list = (await second.client.get('/api/v1/namespaces/default/configmaps')).json as { items: { data: { i: string } }[] };
    assert.equal(list.items.length, 20);
    const next = await second.client.post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after' } });
    assert.ok(Number((next.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion) > lastVersion);
  } finally {
    assert.equal(await interrupt(second), 0);
  }
});

it('kubelite up --pod-ready-delay holds a bound pod Pending for the delay, then it runs', async () => {
  const slow = await up(join(dir, 'slow'), ['--nodes', '1', '--pod-ready-delay', '2s']);
  try {
    const watch = await slow.client.watch('/api/v1/namespaces/default/pods?watch=true');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'registry.example/app:1' }] } };
    assert.equal((await slow.client.post('/api/v1/namespaces/default/pods', pod)).status, 201);
    const field = (event: { object: Record<string, unknown> }, part: 'spec' | 'status', name: string): unknown => (event.object[part] as Record<string, unknown> | undefined)?.[name];
    const running = (events: WatchStream['events']): boolean => events.some((event) => field(event, 'status', 'phase') === 'Running');
    await watch.until((events) => events.some((event) => field(event, 'spec', 'nodeName') !== undefined));
    // Bound; a node that starts pods at once would have it Running within a few milliseconds.
    await assert.rejects(watch.until(running, 1000), /condition not met/);
    await watch.until(running, 15_000);
    assert.ok(running(watch.events), 'the pod runs once the delay is over');
  } finally {
    assert.equal(await interrupt(slow), 0);
  }
});

it('kubelite up and nodes refuse a pod-ready delay they cannot read, or one given beside a stages file, naming the flags', async () => {
  await assert.rejects(startCli(['up', '--data-dir', join(dir, 'bad'), '--port', '0', '--pod-ready-delay', 'soon']), /--pod-ready-delay must be a duration or a range of two like 500ms-1\.5s, got "soon"/);
  const stages = join(dir, 'stages.yaml');
  writeFileSync(stages, '[]\n');
  await assert.rejects(
    startCli(['up', '--data-dir', join(dir, 'bad'), '--port', '0', '--pod-ready-delay', '1s', '--stages', stages]),
    /--pod-ready-delay and --stages do not go together/,
  );
  await assert.rejects(startCli(['nodes', '--count', '1', '--pod-ready-delay', '2s-1s']), /--pod-ready-delay: the range's end must not be below its start, got "2s-1s"/);
});
