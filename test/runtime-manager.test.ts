/**
 * Managers with leader election against a real kubelite API server: of two managers running the
 * same controller, one leads and reconciles; when the leader is cut off from the server (its
 * connection silently dropped, so it cannot renew), the other takes over once the lease expires,
 * and the old one stops acting and reports that it lost the election.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KubeClient } from '../src/client/kube-client.js';
import { LeaderElectionLostError, Manager } from '../src/runtime/manager.js';
import { silentLogger } from '../src/util/logger.js';
import { type RunningApi, startApi } from './support/api-harness.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { until } from './support/eventually.js';

let api: RunningApi;
before(async () => {
  api = await startApi('memory');
});
after(() => api.close());

test('two managers: one leads; when it is cut off the other takes over and the old one stops acting', async () => {
  const direct = new KubeClient({ server: api.url });
  const target = (): { host: string; port: number } => ({ host: '127.0.0.1', port: Number(new URL(api.url).port) });
  const proxies = [await TcpProxy.start({ target }), await TcpProxy.start({ target })];
  const reconciles = [0, 0];
  const managers = proxies.map((proxy, i) => {
    const client = new KubeClient({ server: proxy.url }, { watchIdleTimeoutMs: 1000, maxRetries: 0 });
    const manager = new Manager({
      client,
      logger: silentLogger,
      leaderElection: { namespace: 'default', name: 'pair', identity: `manager-${i}`, leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 },
    });
    manager
      .controller('counter')
      .for('v1/ConfigMap')
      .withOptions({ logger: silentLogger })
      .complete({ reconcile: async () => void reconciles[i]!++ });
    return { manager, client };
  });
  const stops = managers.map(() => new AbortController());
  const runs = managers.map(({ manager }, i) => manager.run(stops[i]!.signal).then(() => 'stopped', (error: unknown) => error));
  await until(() => managers.some(({ manager }) => manager.isLeader()), 'a leader');
  const leader = managers.findIndex(({ manager }) => manager.isLeader());
  const follower = 1 - leader;
  const configMaps = direct.typed('v1/ConfigMap').namespace('default');
  await configMaps.create({ metadata: { name: 'one' } });
  await until(() => reconciles[leader]! > 0, 'the leader to reconcile');
  assert.equal(reconciles[follower], 0, 'the follower does not reconcile');
  assert.equal(managers[follower]!.manager.isLeader(), false);

  proxies[leader]!.blackhole();
  const outcome = await runs[leader];
  assert.ok(outcome instanceof LeaderElectionLostError, `the cut-off leader's run ends with LeaderElectionLostError, not ${String(outcome)}`);
  const before = reconciles[leader]!;
  await until(() => managers[follower]!.manager.isLeader(), 'the follower to take over');
  await configMaps.create({ metadata: { name: 'two' } });
  await until(() => reconciles[follower]! > 0, 'the new leader to reconcile');
  assert.equal(reconciles[leader], before, 'the old leader no longer acts');
  const lease = await direct.typed('coordination.k8s.io/v1/Lease').namespace('default').get('pair');
  assert.equal(lease.spec?.holderIdentity, `manager-${follower}`);

  stops[follower]!.abort();
  assert.equal(await runs[follower], 'stopped');
  for (const proxy of proxies) await proxy.close();
  for (const { client } of managers) client.close();
  direct.close();
});
