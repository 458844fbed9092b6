/**
 * kubectl's typed commands (`create configmap|secret|deployment|service|job`, `run`, `expose`) send
 * their bodies as Kubernetes protobuf with no JSON fallback. This runs the real kubectl (on PATH)
 * against `kubelite apiserver` on memory storage and checks the stored objects, as `get -o json`
 * shows them, are what the same objects sent as JSON would be. Updates and delete options, which
 * kubectl sends as JSON, are checked with protobuf bodies built by hand.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { concat, envelope, message, objectMeta, string, stringMap, varint } from '../src/api/protobuf/protobuf-testing.js';
import { type CliProcess, type KubectlRun, interruptCli, kubectlOk, startCli } from './support/cli-process.js';

type Obj = Record<string, unknown>;

let dir: string;
let kubeconfig: string;
let server: CliProcess;

function ok(args: readonly string[]): Promise<KubectlRun> {
  return kubectlOk(kubeconfig, args);
}

async function getJson(...args: string[]): Promise<Obj> {
  return JSON.parse((await ok(['get', ...args, '-o', 'json'])).stdout) as Obj;
}

/** A request with a protobuf body to the server the kubeconfig names. */
async function sendProtobuf(method: string, path: string, body: Uint8Array): Promise<{ status: number; json: Obj }> {
  const server = /server: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1] ?? '';
  const response = await fetch(`${server}${path}`, {
    method,
    headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/vnd.kubernetes.protobuf,application/json' },
    body,
  });
  return { status: response.status, json: (await response.json()) as Obj };
}

function field(object: unknown, ...path: (string | number)[]): unknown {
  let current = object;
  for (const step of path) current = typeof current === 'object' && current !== null ? (current as Record<string | number, unknown>)[step] : undefined;
  return current;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubelite-typed-'));
  kubeconfig = join(dir, 'kubeconfig');
  server = await startCli(['apiserver', '--storage', 'memory://', '--port', '0', '--kubeconfig', kubeconfig]);
});

after(async () => {
  await interruptCli(server);
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl typed commands against kubelite apiserver', () => {
  it('create configmap sends protobuf and stores the data with no zero-valued metadata', async () => {
    const run = await ok(['create', 'configmap', 'c', '--from-literal=a=1', '--from-literal=b=two words', '-v=8']);
    assert.match(run.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
    const configMap = await getJson('configmap', 'c');
    assert.deepEqual(configMap.data, { a: '1', b: 'two words' });
    const metadata = configMap.metadata as Obj;
    assert.equal(metadata.name, 'c');
    assert.equal(metadata.namespace, 'default');
    assert.match(String(metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(String(metadata.uid), /^[0-9a-f-]{36}$/);
    for (const absent of ['generateName', 'selfLink', 'generation', 'deletionTimestamp']) assert.equal(metadata[absent], undefined, absent);
  });

  it('create secret generic stores its []byte data as base64', async () => {
    await ok(['create', 'secret', 'generic', 's', '--from-literal=p=q', '--from-literal=key=s3cr3t!']);
    const secret = await getJson('secret', 's');
    assert.deepEqual(secret.data, { p: 'cQ==', key: Buffer.from('s3cr3t!').toString('base64') });
    assert.equal(secret.type, 'Opaque');
  });

  it('create deployment keeps replicas 0, the selector and the container port', async () => {
    await ok(['create', 'deployment', 'd', '--image=nginx:1.27', '--replicas=0', '--port=8080']);
    const deployment = await getJson('deployment', 'd');
    assert.equal(field(deployment, 'spec', 'replicas'), 0);
    assert.deepEqual(field(deployment, 'spec', 'selector'), { matchLabels: { app: 'd' } });
    assert.deepEqual(field(deployment, 'spec', 'template', 'metadata', 'labels'), { app: 'd' });
    const container = field(deployment, 'spec', 'template', 'spec', 'containers', 0) as Obj;
    assert.equal(container.name, 'nginx');
    assert.equal(container.image, 'nginx:1.27');
    assert.deepEqual(container.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    // Empty strings and false on the wire (workingDir, stdin, tty) are not stored.
    for (const absent of ['workingDir', 'stdin', 'stdinOnce', 'tty']) assert.equal(container[absent], undefined, absent);
  });

  it('create service clusterip stores an int targetPort, and expose a service for the deployment', async () => {
    await ok(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
    assert.deepEqual(field(await getJson('service', 'web'), 'spec', 'ports'), [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    await ok(['expose', 'deployment', 'd', '--port=80', '--target-port=8080']);
    const exposed = await getJson('service', 'd');
    assert.deepEqual(field(exposed, 'spec', 'selector'), { app: 'd' });
    assert.deepEqual(field(exposed, 'spec', 'ports'), [{ port: 80, protocol: 'TCP', targetPort: 8080 }]);
  });

  it('patching a Service to NodePort allocates a node port, and back to ClusterIP drops it', async () => {
    await ok(['patch', 'service', 'web', '-p', '{"spec":{"type":"NodePort"}}']);
    const nodePort = Number(field(await getJson('service', 'web'), 'spec', 'ports', 0, 'nodePort'));
    assert.ok(nodePort >= 30000 && nodePort <= 32767, `node port ${nodePort}`);
    await ok(['patch', 'service', 'web', '-p', '{"spec":{"type":"ClusterIP"}}']);
    assert.equal(field(await getJson('service', 'web'), 'spec', 'ports', 0, 'nodePort'), undefined);
    // The port is free again: another Service may ask for it.
    await ok(['create', 'service', 'nodeport', 'again', '--tcp=80:8080', `--node-port=${nodePort}`]);
  });

  it('run creates a pod with its labels, environment and port', async () => {
    await ok(['run', 'p', '--image=busybox:1.36', '--labels=app=p,tier=test', '--env=MODE=fast', '--port=80', '--', 'sleep', '3600']);
    const pod = await getJson('pod', 'p');
    assert.deepEqual(field(pod, 'metadata', 'labels'), { app: 'p', tier: 'test' });
    const container = field(pod, 'spec', 'containers', 0) as Obj;
    assert.deepEqual(container.env, [{ name: 'MODE', value: 'fast' }]);
    assert.deepEqual(container.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.deepEqual(container.args, ['sleep', '3600']);
  });

  it('create job stores the command of its pod template', async () => {
    await ok(['create', 'job', 'j', '--image=busybox:1.36', '--', 'echo', 'hi']);
    const job = await getJson('job', 'j');
    assert.deepEqual(field(job, 'spec', 'template', 'spec', 'containers', 0, 'command'), ['echo', 'hi']);
    assert.equal(field(job, 'spec', 'template', 'spec', 'restartPolicy'), 'Never');
  });

  it('create namespace, serviceaccount, cronjob and pdb succeed', async () => {
    await ok(['create', 'namespace', 'typed']);
    assert.equal(field(await getJson('namespace', 'typed'), 'status', 'phase'), 'Active');
    await ok(['create', 'serviceaccount', 'robot', '-n', 'typed']);
    await ok(['create', 'cronjob', 'cj', '--image=busybox:1.36', '--schedule=*/5 * * * *', '-n', 'typed']);
    assert.equal(field(await getJson('cronjob', 'cj', '-n', 'typed'), 'spec', 'schedule'), '*/5 * * * *');
    await ok(['create', 'pdb', 'budget', '--selector=app=p', '--min-available=1', '-n', 'typed']);
    assert.equal(field(await getJson('pdb', 'budget', '-n', 'typed'), 'spec', 'minAvailable'), 1);
  });

  it('a protobuf Binding assigns the pod to its node, and a protobuf Scale sets replicas', async () => {
    const target = message(2, string(1, 'Node'), string(3, 'node-1'), string(5, 'v1'));
    const binding = envelope('v1', 'Binding', concat(objectMeta(1, { name: 'p', namespace: 'default' }), target));
    const bound = await sendProtobuf('POST', '/api/v1/namespaces/default/pods/p/binding', binding);
    assert.equal(bound.status, 201, JSON.stringify(bound.json));
    assert.equal(field(await getJson('pod', 'p'), 'spec', 'nodeName'), 'node-1');
    // autoscaling/v1 Scale {metadata(1), spec(2): {replicas(1): 3}}
    const scale = envelope('autoscaling/v1', 'Scale', concat(objectMeta(1, { name: 'd', namespace: 'default' }), message(2, varint(1, 3))));
    const scaled = await sendProtobuf('PUT', '/apis/apps/v1/namespaces/default/deployments/d/scale', scale);
    assert.equal(scaled.status, 200, JSON.stringify(scaled.json));
    assert.equal(field(await getJson('deployment', 'd'), 'spec', 'replicas'), 3);
  });

  it('an update sent as protobuf replaces the data, and protobuf DeleteOptions with dryRun keep the object', async () => {
    const current = await getJson('configmap', 'c');
    const resourceVersion = String(field(current, 'metadata', 'resourceVersion'));
    const raw = concat(message(1, string(1, 'c'), string(3, 'default'), string(6, resourceVersion)), stringMap(2, { a: '2' }));
    const updated = await sendProtobuf('PUT', '/api/v1/namespaces/default/configmaps/c', envelope('v1', 'ConfigMap', raw));
    assert.equal(updated.status, 200, JSON.stringify(updated.json));
    assert.deepEqual(updated.json.data, { a: '2' });
    // DeleteOptions {gracePeriodSeconds(1): 0, dryRun(5): ["All"]}, under the core group version as client-go sends it.
    const options = envelope('v1', 'DeleteOptions', concat(varint(1, 0), string(5, 'All')));
    const deleted = await sendProtobuf('DELETE', '/api/v1/namespaces/default/configmaps/c', options);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.json));
    assert.deepEqual((await getJson('configmap', 'c')).data, { a: '2' });
  });

  it('a protobuf body that is not a valid message is a 400', async () => {
    const truncated = envelope('v1', 'ConfigMap', objectMeta(1, { name: 'x' })).subarray(0, 30);
    const refused = await sendProtobuf('POST', '/api/v1/namespaces/default/configmaps', truncated);
    assert.equal(refused.status, 400);
    assert.equal(refused.json.reason, 'BadRequest');
  });
});
