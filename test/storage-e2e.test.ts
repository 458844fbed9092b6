/**
 * Volumes end to end, as a user drives them: `kubelite up --nodes 2` and the real kubectl. The
 * cluster starts with a default StorageClass `standard` (WaitForFirstConsumer, as kind's); a
 * StatefulSet's volumeClaimTemplates give each pod a claim that is provisioned on the pod's node and
 * bound; a retention policy of Delete deletes claims with a scale-down and with the set; a claim of
 * an Immediate class binds with no pod; a claim that asks for no class binds to a
 * matching volume made by hand, which is Released when the claim goes; a pod whose claim is missing
 * is not scheduled, with upstream's FailedScheduling message; deleting the claims of a deleted
 * StatefulSet deletes their provisioned volumes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { type CliProcess, interruptCli, kubectlOk, startCli } from './support/cli-process.js';
import { type WaitOptions, eventually as waitFor } from './support/eventually.js';

const E2E_WAIT: WaitOptions = { timeoutMs: 60_000, intervalMs: 100 };

function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  return waitFor(read, what, E2E_WAIT);
}

const dir = mkdtempSync(join(tmpdir(), 'kubelite-storage-'));
const kubeconfig = join(dir, 'data', 'kubeconfig');
let running: CliProcess;

before(async () => {
  running = await startCli(['up', '--data-dir', join(dir, 'data'), '--port', '0', '--nodes', '2']);
});
after(async () => {
  assert.equal(await interruptCli(running), 0, `exit code after SIGINT; output:\n${running.output()}`);
  rmSync(dir, { recursive: true, force: true });
});

interface Claim {
  readonly metadata: { readonly name: string; readonly uid: string; readonly annotations?: Record<string, string> };
  readonly spec: { readonly volumeName?: string; readonly storageClassName?: string };
  readonly status: { readonly phase?: string };
}

interface Volume {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly claimRef?: { readonly name: string; readonly namespace: string };
    readonly nodeAffinity?: { readonly required: { readonly nodeSelectorTerms: readonly { readonly matchExpressions: readonly { readonly values: readonly string[] }[] }[] } };
  };
  readonly status: { readonly phase?: string };
}

async function getJson<T>(args: readonly string[]): Promise<T> {
  const { stdout } = await kubectlOk(kubeconfig, ['get', ...args, '-o', 'json']);
  return JSON.parse(stdout) as T;
}

async function claim(name: string): Promise<Claim> {
  return getJson<Claim>(['pvc', name]);
}

async function volumeNames(): Promise<string[]> {
  return (await getJson<{ items: Volume[] }>(['pv'])).items.map((v) => v.metadata.name).sort();
}

/** The lines of `kubectl get` without the header, columns split on runs of spaces. */
async function rows(args: readonly string[]): Promise<string[][]> {
  const { stdout } = await kubectlOk(kubeconfig, ['get', ...args, '--no-headers']);
  return stdout.trim().split('\n').filter((line) => line !== '').map((line) => line.trim().split(/\s{2,}/));
}

it('the cluster has a default StorageClass, as kind has one', async () => {
  const [standard] = await eventually(async () => {
    const found = await rows(['storageclass']);
    return found.length > 0 ? found : undefined;
  }, 'the default StorageClass');
  assert.deepEqual(standard?.slice(0, 5), ['standard (default)', 'kubelite.dev/simulated', 'Delete', 'WaitForFirstConsumer', 'false']);
});

it("a StatefulSet's claims are provisioned on each pod's node and bound; kubectl shows them", async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 2
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      terminationGracePeriodSeconds: 1
      containers: [ { name: postgres, image: postgres, volumeMounts: [ { name: data, mountPath: /var/lib/postgresql } ] } ]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ ReadWriteOnce ], resources: { requests: { storage: 1Gi } } }
`);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'statefulset/db', '--timeout=60s']);
  for (const ordinal of [0, 1]) {
    const bound = await eventually(async () => {
      const current = await claim(`data-db-${ordinal}`);
      return current.status.phase === 'Bound' ? current : undefined;
    }, `data-db-${ordinal} to be bound`);
    assert.equal(bound.spec.volumeName, `pvc-${bound.metadata.uid}`);
    assert.equal(bound.spec.storageClassName, 'standard');
    const pod = await getJson<{ spec: { nodeName: string } }>(['pod', `db-${ordinal}`]);
    assert.equal(bound.metadata.annotations?.['volume.kubernetes.io/selected-node'], pod.spec.nodeName);
    const volume = await getJson<Volume>(['pv', bound.spec.volumeName ?? '']);
    assert.deepEqual(volume.spec.claimRef && { name: volume.spec.claimRef.name, namespace: volume.spec.claimRef.namespace }, { name: `data-db-${ordinal}`, namespace: 'default' });
    assert.deepEqual(volume.spec.nodeAffinity?.required.nodeSelectorTerms[0]?.matchExpressions[0]?.values, [pod.spec.nodeName]);
  }
  const [first] = await rows(['pvc', 'data-db-0']);
  assert.deepEqual([first?.[0], first?.[1], first?.[3], first?.[4], first?.[5]], ['data-db-0', 'Bound', '1Gi', 'RWO', 'standard']);
  const pvRows = await rows(['pv']);
  assert.ok(pvRows.some((row) => row[1] === '1Gi' && row[2] === 'RWO' && row[3] === 'Delete' && row[4] === 'Bound' && row[5] === 'default/data-db-0'), JSON.stringify(pvRows));
});

it('a claim of an Immediate class binds with no pod; a claim for no class binds to a volume made by hand, Released when the claim goes', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: fast }
provisioner: kubelite.dev/simulated
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: cache }
spec: { storageClassName: fast, accessModes: [ ReadWriteOnce ], resources: { requests: { storage: 2Gi } } }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: manual-big }
spec: { capacity: { storage: 10Gi }, accessModes: [ ReadWriteMany ], storageClassName: '', nfs: { server: nfs.example.com, path: /exports/big } }
---
apiVersion: v1
kind: PersistentVolume
metadata: { name: manual-small }
spec: { capacity: { storage: 5Gi }, accessModes: [ ReadWriteMany ], storageClassName: '', nfs: { server: nfs.example.com, path: /exports/small } }
`);
  // The binder picks among the volumes it knows when it sees the claim (as upstream's does): the
  // claim comes once both volumes are Available, or the pick could depend on which watch was first.
  for (const name of ['manual-big', 'manual-small']) {
    await eventually(async () => ((await getJson<Volume>(['pv', name])).status.phase === 'Available' ? true : undefined), `${name} to be Available`);
  }
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: shared }
spec: { storageClassName: '', accessModes: [ ReadWriteMany ], resources: { requests: { storage: 3Gi } } }
`);
  const cache = await eventually(async () => {
    const current = await claim('cache');
    return current.status.phase === 'Bound' ? current : undefined;
  }, 'the Immediate claim to be bound');
  assert.equal(cache.spec.volumeName, `pvc-${cache.metadata.uid}`);
  const shared = await eventually(async () => {
    const current = await claim('shared');
    return current.status.phase === 'Bound' ? current : undefined;
  }, 'the classless claim to be bound');
  assert.equal(shared.spec.volumeName, 'manual-small', 'the smallest volume that fits');
  await kubectlOk(kubeconfig, ['delete', 'pvc', 'shared', '--wait=true', '--timeout=30s']);
  const released = await eventually(async () => {
    const volume = await getJson<Volume>(['pv', 'manual-small']);
    return volume.status.phase === 'Released' ? volume : undefined;
  }, 'the hand-made volume to be Released');
  assert.equal(released.spec.claimRef?.name, 'shared');
});

it("a pod whose claim is missing is not scheduled, with upstream's message", async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: v1
kind: Pod
metadata: { name: orphan }
spec:
  containers: [ { name: c, image: busybox } ]
  volumes: [ { name: data, persistentVolumeClaim: { claimName: missing } } ]
`);
  const message = await eventually(async () => {
    const { stdout } = await kubectlOk(kubeconfig, ['get', 'events', '--field-selector', 'involvedObject.name=orphan,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}']);
    return stdout === '' ? undefined : stdout;
  }, 'the FailedScheduling event');
  assert.match(message, /^0\/2 nodes are available: persistentvolumeclaim "missing" not found\. preemption: 0\/2 nodes are available: 2 Preemption is not helpful for scheduling\./);
});

it("deleting a StatefulSet leaves its claims; deleting them deletes their provisioned volumes", async () => {
  const before = await volumeNames();
  const provisioned = [(await claim('data-db-0')).spec.volumeName, (await claim('data-db-1')).spec.volumeName];
  assert.ok(provisioned.every((name) => name !== undefined && before.includes(name)), JSON.stringify({ before, provisioned }));
  await kubectlOk(kubeconfig, ['delete', 'statefulset', 'db', '--wait=true', '--timeout=60s']);
  const kept = await getJson<{ metadata: { ownerReferences?: readonly unknown[] }; status: { phase?: string } }>(['pvc', 'data-db-0']);
  assert.equal(kept.status.phase, 'Bound');
  assert.equal(kept.metadata.ownerReferences, undefined, 'with whenDeleted: Retain no owner ties the claims to the set: they outlive it');
  await kubectlOk(kubeconfig, ['delete', 'pvc', 'data-db-0', 'data-db-1', '--wait=true', '--timeout=60s']);
  await eventually(async () => {
    const names = await volumeNames();
    return provisioned.every((name) => name !== undefined && !names.includes(name)) ? names : undefined;
  }, 'the provisioned volumes to be deleted');
});

it('a retention policy of Delete: a scale-down deletes the removed pod\'s claim, deleting the set deletes the rest', async () => {
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: cache }
spec:
  serviceName: cache
  replicas: 2
  persistentVolumeClaimRetentionPolicy: { whenDeleted: Delete, whenScaled: Delete }
  selector: { matchLabels: { app: cache } }
  template:
    metadata: { labels: { app: cache } }
    spec:
      terminationGracePeriodSeconds: 1
      containers: [ { name: redis, image: redis, volumeMounts: [ { name: data, mountPath: /data } ] } ]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ ReadWriteOnce ], resources: { requests: { storage: 1Gi } } }
`);
  await kubectlOk(kubeconfig, ['rollout', 'status', 'statefulset/cache', '--timeout=60s']);
  const claimNames = async (): Promise<string[]> =>
    (await getJson<{ items: Claim[] }>(['pvc', '-l', 'app=cache'])).items.map((c) => c.metadata.name).sort();
  assert.deepEqual(await claimNames(), ['data-cache-0', 'data-cache-1']);
  await kubectlOk(kubeconfig, ['scale', 'statefulset/cache', '--replicas=1']);
  await eventually(async () => {
    const names = await claimNames();
    return names.length === 1 && names[0] === 'data-cache-0' ? names : undefined;
  }, "the scaled-down pod's claim to be deleted");
  await kubectlOk(kubeconfig, ['delete', 'statefulset', 'cache', '--wait=true', '--timeout=60s']);
  await eventually(async () => ((await claimNames()).length === 0 ? true : undefined), "the set's claims to be deleted with it");
});
