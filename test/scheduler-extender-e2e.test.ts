/**
 * A scheduler extender configured as kube-scheduler configures one: `kubelite up --scheduler-config`
 * with a KubeSchedulerConfiguration naming an HTTP extender. The extender here keeps only one of the
 * three nodes in its filter answer, so every pod of a ReplicaSet, applied with the real kubectl,
 * runs there. A configuration kubelite cannot honour stops `up` with the field named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type CliProcess, interruptCli, kubectlOk, startCli } from './support/cli-process.js';
import { eventually } from './support/eventually.js';

const CHOSEN = 'kubelite-node-2';
const dir = mkdtempSync(join(tmpdir(), 'kubelite-extender-'));
const kubeconfig = join(dir, 'data', 'kubeconfig');
const filterCalls: string[] = [];
let extender: Server;
let up: CliProcess;

interface NodeItem {
  readonly metadata?: { readonly name?: string };
}

/** The filter verb: keeps CHOSEN, fails every other node with a reason. */
function filter(body: string): object {
  const args = JSON.parse(body) as { Pod?: { metadata?: { name?: string } }; Nodes?: { items?: NodeItem[] } };
  filterCalls.push(args.Pod?.metadata?.name ?? '');
  const items = args.Nodes?.items ?? [];
  const failed: Record<string, string> = {};
  for (const node of items) if (node.metadata?.name !== CHOSEN) failed[node.metadata?.name ?? ''] = 'not the chosen node';
  return { Nodes: { items: items.filter((node) => node.metadata?.name === CHOSEN) }, FailedNodes: failed, Error: '' };
}

before(async () => {
  extender = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(request.url === '/scheduler/filter' ? filter(body) : {}));
    });
  });
  await new Promise<void>((resolve) => extender.listen(0, '127.0.0.1', resolve));
  const { port } = extender.address() as AddressInfo;
  const config = join(dir, 'scheduler.yaml');
  writeFileSync(
    config,
    `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
extenders:
  - urlPrefix: http://127.0.0.1:${port}/scheduler
    filterVerb: filter
    httpTimeout: 5s
`,
  );
  up = await startCli(['up', '--data-dir', join(dir, 'data'), '--port', '0', '--nodes', '3', '--scheduler-config', config]);
});

after(async () => {
  assert.equal(await interruptCli(up), 0, `exit code after SIGINT; output:\n${up.output()}`);
  await new Promise<void>((resolve) => extender.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

it('pods go only where the configured extender\'s filter lets them', async () => {
  await kubectlOk(
    kubeconfig,
    ['apply', '-f', '-'],
    `
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: picky }
spec:
  replicas: 4
  selector: { matchLabels: { app: picky } }
  template:
    metadata: { labels: { app: picky } }
    spec: { containers: [ { name: c, image: nginx } ] }
`,
  );
  const placed = await eventually(
    async () => {
      const { stdout } = await kubectlOk(kubeconfig, ['get', 'pods', '-l', 'app=picky', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{"\\n"}{end}']);
      const rows = stdout.trim().split('\n').filter((row) => row !== '');
      return rows.length === 4 && rows.every((row) => row.endsWith(' Running')) ? rows : undefined;
    },
    'four Running pods',
    { timeoutMs: 60_000 },
  );
  assert.deepEqual(placed, Array.from({ length: 4 }, () => `${CHOSEN} Running`));
  assert.ok(filterCalls.length >= 4, `the extender's filter was asked about every pod (asked ${filterCalls.length} times)`);
});

it('a configuration kubelite cannot honour stops up with the field named', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nextenders:\n  - filterVerb: filter\n    bindVerb: bind\n');
  await assert.rejects(
    startCli(['up', '--data-dir', join(dir, 'bad'), '--port', '0', '--scheduler-config', bad]),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /--scheduler-config .*bad\.yaml/);
      assert.match(error.message, /extenders\[0\]\.urlPrefix is required/);
      assert.match(error.message, /extenders\[0\]\.bindVerb: not supported by kubelite's scheduler/);
      return true;
    },
  );
});
