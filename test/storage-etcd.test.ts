import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { openEtcdStore } from '../src/storage/etcd/etcd-store.js';
import { runStorageConformance } from '../src/storage/testing/conformance.js';
import { sharedTestEtcd } from '../src/testing/etcd-server.js';
import { silentLogger } from '../src/util/logger.js';

let etcd: Awaited<ReturnType<typeof sharedTestEtcd>>;
before(async () => {
  etcd = await sharedTestEtcd();
});
after(() => etcd.release());

// Each store gets its own key prefix on the shared etcd, so every test starts from an empty keyspace.
runStorageConformance('etcd', () =>
  openEtcdStore({ endpoints: etcd.endpoints, keyPrefix: `/t-${randomUUID()}`, logger: silentLogger, compaction: false }),
);
