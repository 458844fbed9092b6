/**
 * Every backend is linearizable: eight clients run a random register workload (gets, creates,
 * updates and deletes that expect a revision) on ten shared keys of the memory store, a SQLite store
 * on a temporary file and a real etcd, and the recorded history must pass the checker. Each run must
 * also have exercised both successful and conflicting writes, or it would prove little.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { openEtcdStore } from '../src/storage/etcd/etcd-store.js';
import type { Store } from '../src/storage/interface.js';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { withStore } from '../src/storage/testing/conformance-support.js';
import { checkLinearizable } from '../src/storage/testing/linearizability.js';
import { runRegisterWorkload, summarizeHistory } from '../src/storage/testing/linearizability-workload.js';
import { sharedTestEtcd } from '../src/testing/etcd-server.js';
import { silentLogger } from '../src/util/logger.js';

const WORKLOAD = { clients: 8, keys: 10, operationsPerClient: 100 } as const;

/** Runs the workload on `store`, then checks the history; reports how long each part took. */
async function assertLinearizable(t: TestContext, store: Store, seed: number): Promise<void> {
  let started = performance.now();
  const history = await runRegisterWorkload(store, { ...WORKLOAD, seed });
  const workloadMs = performance.now() - started;
  started = performance.now();
  const result = checkLinearizable(history);
  const checkMs = performance.now() - started;
  const summary = summarizeHistory(history);
  t.diagnostic(`${store.backend}: workload ${workloadMs.toFixed(0)} ms, check ${checkMs.toFixed(0)} ms; ${JSON.stringify(summary)}`);
  assert.ok(result.ok, result.ok ? '' : result.message);
  assert.ok(summary.succeeded > 0 && summary.found > 0, 'the run had no successful write or no read that found one');
  assert.ok(summary.failed.Conflict > 0, 'the run had no Conflict');
}

describe('linearizability of the storage backends', () => {
  let etcd: Awaited<ReturnType<typeof sharedTestEtcd>>;
  const dir = mkdtempSync(join(tmpdir(), 'kubelite-linearizability-'));
  before(async () => {
    etcd = await sharedTestEtcd();
  });
  after(async () => {
    await etcd.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the memory store is linearizable under concurrent register operations', (t) =>
    withStore(
      async () => new MemoryStore({ logger: silentLogger, compaction: false }),
      (store) => assertLinearizable(t, store, 1),
    ));

  it('the SQLite store is linearizable under concurrent register operations', (t) =>
    withStore(
      () => openSqliteStore(join(dir, 'store.db'), { logger: silentLogger, compaction: false }),
      (store) => assertLinearizable(t, store, 2),
    ));

  it('the etcd store is linearizable under concurrent register operations', (t) =>
    withStore(
      () =>
        openEtcdStore({ endpoints: etcd.endpoints, keyPrefix: `/lin-${randomUUID()}`, logger: silentLogger, compaction: false }),
      (store) => assertLinearizable(t, store, 3),
    ));
});
