/**
 * Leader election between real electors on one real API server, over both transports and on the
 * wall clock with short durations (lease 1.5 s, renew deadline 1 s, retry 200 ms): exactly one leads;
 * when the leader dies without releasing, or loses the server, the other takes over, and the old
 * leader's work has stopped by then. Durations are never asserted, only what happens and in what
 * order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BuiltInKindTypes, coordinationV1 } from '../src/api/types/index.js';
import { type BuiltInKindName, KubeClient } from '../src/client/kube-client.js';
import { LeaderElector } from '../src/client/leaderelection/leader-election.js';
import { ResourceClient, type WriteOptions } from '../src/client/resource-client.js';
import { realClock } from '../src/util/clock.js';
import { silentLogger } from '../src/util/logger.js';
import { type ClientEnv, TRANSPORTS, type Transport, startClientEnv } from './support/client-harness.js';
import { until } from './support/eventually.js';

type Lease = coordinationV1.Lease;

/** Lease requests that fail while `cut.value` is set, as if the network to the server were down. */
class CuttableLeases extends ResourceClient<Lease> {
  constructor(inner: ResourceClient<Lease>, private readonly cut: { value: boolean }) {
    super(inner.rest, inner.ref, inner.boundNamespace);
  }

  override namespace(namespace: string): ResourceClient<Lease> {
    return new CuttableLeases(super.namespace(namespace), this.cut);
  }

  override get(name: string, options: { readonly signal?: AbortSignal } = {}): Promise<Lease> {
    return this.cut.value ? Promise.reject(new Error('connect ECONNREFUSED')) : super.get(name, options);
  }

  override update(object: Lease, options: WriteOptions = {}): Promise<Lease> {
    return this.cut.value ? Promise.reject(new Error('connect ECONNREFUSED')) : super.update(object, options);
  }

  override create(object: Lease, options: WriteOptions = {}): Promise<Lease> {
    return this.cut.value ? Promise.reject(new Error('connect ECONNREFUSED')) : super.create(object, options);
  }
}

class CuttableClient extends KubeClient {
  readonly cut = { value: false };

  override typed<K extends BuiltInKindName>(kind: K): ResourceClient<BuiltInKindTypes[K]> {
    const inner = super.typed(kind);
    if (kind !== 'coordination.k8s.io/v1/Lease') return inner;
    return new CuttableLeases(inner as unknown as ResourceClient<Lease>, this.cut) as unknown as ResourceClient<BuiltInKindTypes[K]>;
  }
}

interface Contender {
  readonly identity: string;
  readonly elector: LeaderElector;
  readonly client: CuttableClient;
  readonly stop: AbortController;
  /** The leader's work: a loop that counts its turns while its signal is live. */
  readonly acting: { turns: number; firstAt: number; lastAt: number; signal: AbortSignal | undefined };
  finished: boolean;
}

function contender(env: ClientEnv, transport: Transport, identity: string, name: string, releaseOnCancel: boolean): Contender {
  const client =
    transport === 'http'
      ? new CuttableClient({ server: env.api.url })
      : new CuttableClient({ server: 'http://in-process' }, { inProcess: { connect: () => env.api.server.connect() } });
  const acting: Contender['acting'] = { turns: 0, firstAt: 0, lastAt: 0, signal: undefined };
  const elector = new LeaderElector({
    client,
    namespace: 'default',
    name,
    identity,
    leaseDurationMs: 1_500,
    renewDeadlineMs: 1_000,
    retryPeriodMs: 200,
    releaseOnCancel,
    logger: silentLogger,
    onStartedLeading: async (signal) => {
      acting.signal = signal;
      while (!signal.aborted) {
        acting.turns++;
        acting.lastAt = Date.now();
        if (acting.firstAt === 0) acting.firstAt = acting.lastAt;
        await realClock.sleep(10, signal);
      }
    },
    onStoppedLeading: () => undefined,
  });
  const stop = new AbortController();
  const self: Contender = { identity, elector, client, stop, acting, finished: false };
  void elector.run(stop.signal).finally(() => {
    self.finished = true;
    client.close();
  });
  return self;
}

for (const transport of TRANSPORTS) {
  describe(`leader election over ${transport}`, () => {
    let env: ClientEnv;
    let leases: ResourceClient<Lease>;
    before(async () => {
      env = await startClientEnv(transport);
      leases = env.client().typed('coordination.k8s.io/v1/Lease').namespace('default');
    });
    after(() => env.close());

    async function leaderOf(pair: readonly [Contender, Contender]): Promise<[Contender, Contender]> {
      const [a, b] = pair;
      await until(() => a.elector.isLeader() || b.elector.isLeader(), 'a leader');
      return a.elector.isLeader() ? [a, b] : [b, a];
    }

    async function stopAll(...contenders: Contender[]): Promise<void> {
      for (const c of contenders) c.stop.abort();
      await until(() => contenders.every((c) => c.finished), 'the electors to stop');
    }

    test('of two electors on one Lease exactly one leads, and the Lease names it', async () => {
      const pair = [contender(env, transport, 'a', 'one-leader', true), contender(env, transport, 'b', 'one-leader', true)] as const;
      const [leader, follower] = await leaderOf(pair);
      for (let sample = 0; sample < 60; sample++) {
        assert.equal(leader.elector.isLeader(), true, `the leader keeps leading (sample ${sample})`);
        assert.equal(follower.elector.isLeader(), false, `the follower never leads too (sample ${sample})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal((await leases.get('one-leader')).spec?.holderIdentity, leader.identity);
      assert.equal(follower.acting.turns, 0);
      assert.equal(follower.elector.getLeader(), leader.identity);
      await stopAll(leader, follower);
    });

    test('when the leader dies without releasing, the other takes over and the old one acts no more', async () => {
      const pair = [contender(env, transport, 'a', 'killed', false), contender(env, transport, 'b', 'killed', false)] as const;
      const [leader, follower] = await leaderOf(pair);
      await until(() => leader.acting.turns > 0, 'the leader to act');
      leader.stop.abort();
      await until(() => leader.finished, 'the killed leader to stop');
      assert.equal(leader.acting.signal?.aborted, true, 'the leader work was told to stop');
      assert.equal((await leases.get('killed')).spec?.holderIdentity, leader.identity, 'not released: the lease must expire');
      const turns = leader.acting.turns;
      const writes = leader.elector.stats.writes;

      await until(() => follower.elector.isLeader(), 'the follower to take over');
      await until(() => follower.acting.turns > 0, 'the new leader to act');
      const lease = await leases.get('killed');
      assert.equal(lease.spec?.holderIdentity, follower.identity);
      assert.equal(lease.spec?.leaseTransitions, 1);
      assert.equal(leader.acting.turns, turns, 'the old leader acted no more after its signal aborted');
      assert.equal(leader.elector.stats.writes, writes, 'the old leader wrote no more');
      await stopAll(follower);
    });

    test('a leader cut off from the server stops acting before the other takes over', async () => {
      const pair = [contender(env, transport, 'a', 'cut-off', true), contender(env, transport, 'b', 'cut-off', true)] as const;
      const [leader, follower] = await leaderOf(pair);
      await until(() => leader.acting.turns > 0, 'the leader to act');
      leader.client.cut.value = true;

      await until(() => leader.finished, 'the cut-off leader to give up at its renew deadline');
      assert.equal(leader.acting.signal?.aborted, true);
      await until(() => follower.elector.isLeader() && follower.acting.turns > 0, 'the follower to take over and act');
      assert.ok(leader.acting.lastAt <= follower.acting.firstAt, 'the two leaders never acted at the same time');
      assert.equal((await leases.get('cut-off')).spec?.holderIdentity, follower.identity);
      await stopAll(follower);
    });
  });
}
