/**
 * The etcd backend against a 3-member etcd cluster on loopback: the whole conformance suite, then
 * writes and a watch that carry on while members are killed and restarted one at a time (the watch
 * stream of a dead member is reopened on another at the last delivered revision, with no gap).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openEtcdStore } from '../src/storage/etcd/etcd-store.js';
import { isStorageError } from '../src/storage/errors.js';
import { runStorageConformance } from '../src/storage/testing/conformance.js';
import { readUntil, untilRevision } from '../src/storage/testing/watch-reader.js';
import { type AcknowledgedWrite, validateWatchers } from '../src/storage/testing/watch-validators.js';
import { type EtcdCluster, findEtcdBinary, freePort, freePorts, startEtcdCluster } from '../src/testing/etcd-server.js';
import { silentLogger } from '../src/util/logger.js';

let cluster: EtcdCluster;
before(async () => {
  cluster = await startEtcdCluster({ binary: findEtcdBinary({ install: true }), size: 3 });
});
after(() => cluster.stop());

const open = () =>
  openEtcdStore({ endpoints: cluster.endpoints, keyPrefix: `/c-${randomUUID()}`, logger: silentLogger, compaction: false });

runStorageConformance('etcd, 3-member cluster', open);

it('the ports chosen for a cluster are distinct: all are held at once before any is let go', async () => {
  const ports = await freePorts(64);
  assert.equal(new Set(ports).size, 64);
});

describe('etcd cluster faults', () => {
  it('a store that cannot reach any member fails with Unavailable', async () => {
    const port = await freePort();
    const error = await openEtcdStore({ endpoints: [`http://127.0.0.1:${port}`], logger: silentLogger, requestTimeoutMs: 2000 }).then(
      (store) => store.close().then(() => assert.fail('opened a store with no etcd behind it')),
      (e: unknown) => e,
    );
    assert.ok(isStorageError(error, 'Unavailable'), String(error));
  });

  it('writes and a watch carry on while members are killed and restarted one at a time', async () => {
    const store = await open();
    try {
      const start = await store.currentRevision();
      const watch = store.watch('/registry/cm/ns', start);
      const acknowledged: AcknowledgedWrite[] = [];
      let failures = 0;
      const write = async (i: number): Promise<void> => {
        try {
          const kv = await store.create(`/registry/cm/ns/k${i}`, `v${i}`);
          acknowledged.push({ type: 'ADDED', key: kv.key, revision: kv.modRevision, value: kv.value });
        } catch (error) {
          // A write caught by a member's death may fail (Unavailable); it must never half-succeed.
          if (!isStorageError(error, 'Unavailable')) throw error;
          failures++;
        }
      };
      let i = 0;
      for (const member of cluster.members) {
        for (let n = 0; n < 20; n++) await write(i++);
        await member.kill();
        for (let n = 0; n < 20; n++) await write(i++);
        await member.restart();
      }
      for (let n = 0; n < 20; n++) await write(i++);
      // The whole cluster goes down and comes back: the watch reconnects where it left off.
      await Promise.all(cluster.members.map((member) => member.kill()));
      await Promise.all(cluster.members.map((member) => member.restart()));
      for (let n = 0; n < 20; n++) await write(i++);
      const last = Math.max(...acknowledged.map((w) => w.revision));
      const recording = await readUntil(watch, untilRevision(last), { timeoutMs: 60_000 });
      watch.close();
      const violations = validateWatchers(
        [{ name: 'watch across member restarts', prefix: '/registry/cm/ns/', from: start, batches: recording.batches }],
        last,
        acknowledged,
      );
      assert.deepEqual(violations, [], violations.join('\n'));
      assert.ok(acknowledged.length > 120, `${acknowledged.length} writes acknowledged, ${failures} failed`);
      for (const w of acknowledged) assert.equal((await store.get(w.key))?.value, w.value);
    } finally {
      await store.close();
    }
  });
});
