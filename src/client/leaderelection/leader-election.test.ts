/**
 * The LeaderElector against a real API server (in-process), on a FakeClock: the election's time is
 * stepped, never waited for; only the server's own work happens in real time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ClientEnv, startClientEnv } from '../../../test/support/client-harness.js';
import type { BuiltInKindTypes, coordinationV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { type BuiltInKindName, KubeClient } from '../kube-client.js';
import { ResourceClient, type WriteOptions } from '../resource-client.js';
import { type LeaderElectionConfig, LeaderElector } from './leader-election.js';

type Lease = coordinationV1.Lease;
type Verb = 'get' | 'create' | 'update';

/** Runs before each Lease request of a {@link FaultyClient}: may write in between, or throw. */
type Fault = (verb: Verb) => Promise<void>;

/** Lease requests that pass through a fault hook first (a rival's write, a broken network). */
class FaultyLeases extends ResourceClient<Lease> {
  constructor(inner: ResourceClient<Lease>, private readonly fault: { current: Fault }) {
    super(inner.rest, inner.ref, inner.boundNamespace);
  }

  override namespace(namespace: string): ResourceClient<Lease> {
    return new FaultyLeases(super.namespace(namespace), this.fault);
  }

  override async get(name: string, options: { readonly signal?: AbortSignal } = {}): Promise<Lease> {
    await this.fault.current('get');
    return super.get(name, options);
  }

  override async create(object: Lease, options: WriteOptions = {}): Promise<Lease> {
    await this.fault.current('create');
    return super.create(object, options);
  }

  override async update(object: Lease, options: WriteOptions = {}): Promise<Lease> {
    await this.fault.current('update');
    return super.update(object, options);
  }
}

class FaultyClient extends KubeClient {
  readonly fault: { current: Fault } = { current: async () => undefined };

  override typed<K extends BuiltInKindName>(kind: K): ResourceClient<BuiltInKindTypes[K]> {
    const inner = super.typed(kind);
    if (kind !== 'coordination.k8s.io/v1/Lease') return inner;
    return new FaultyLeases(inner as unknown as ResourceClient<Lease>, this.fault) as unknown as ResourceClient<BuiltInKindTypes[K]>;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.fail(`timed out waiting for ${what}`);
}

interface Candidate {
  readonly elector: LeaderElector;
  readonly stop: AbortController;
  readonly done: Promise<void>;
  readonly log: { started: number; stopped: number; leaders: string[]; signal: AbortSignal | undefined };
  /** Resolves once `n` attempts have finished and the elector sleeps again. */
  settled(n: number): Promise<void>;
  /** Resolves once `run` has returned (fails the test if it does not). */
  ended(): Promise<void>;
}

describe('LeaderElector', () => {
  let env: ClientEnv;
  let client: FaultyClient;
  let leases: ResourceClient<Lease>;
  let clock: FakeClock;

  before(async () => {
    env = await startClientEnv('in-process');
    client = new FaultyClient({ server: 'http://in-process' }, { inProcess: { connect: () => env.api.server.connect() } });
    leases = env.client().typed('coordination.k8s.io/v1/Lease').namespace('default');
  });
  after(async () => {
    client.close();
    await env.close();
  });

  function candidate(identity: string, name: string, extra: Partial<LeaderElectionConfig> = {}): Candidate {
    const log: Candidate['log'] = { started: 0, stopped: 0, leaders: [], signal: undefined };
    const elector = new LeaderElector({
      client,
      namespace: 'default',
      name,
      identity,
      clock,
      random: () => 0,
      logger: silentLogger,
      onStartedLeading: (signal) => {
        log.started++;
        log.signal = signal;
      },
      onStoppedLeading: () => {
        log.stopped++;
      },
      onNewLeader: (leader) => log.leaders.push(leader),
      ...extra,
    });
    const stop = new AbortController();
    let finished = false;
    const done = elector.run(stop.signal).finally(() => {
      finished = true;
    });
    const ended = async (): Promise<void> => {
      await until(() => finished, `${identity}'s run to return`);
      await done;
    };
    const settled = (n: number): Promise<void> => until(() => elector.stats.attempts >= n && clock.waiting >= 1, `${identity}'s attempt ${n}`);
    return { elector, stop, done, log, settled, ended };
  }

  /** A Lease held by `holder`, written now with timestamps from long ago. */
  async function heldBy(name: string, holder: string): Promise<Lease> {
    const old = '2000-01-01T00:00:00.000000Z';
    return leases.create({ metadata: { name }, spec: { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: old, renewTime: old, leaseTransitions: 2 } });
  }

  test('the config is validated as NewLeaderElector does', () => {
    const base = { client, namespace: 'default', name: 'x', identity: 'a', onStartedLeading: () => undefined, onStoppedLeading: () => undefined };
    assert.throws(() => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration must be greater than renewDeadline/);
    assert.throws(() => new LeaderElector({ ...base, renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }), /renewDeadline must be greater than retryPeriod/);
    assert.throws(() => new LeaderElector({ ...base, identity: '' }), /identity/);
    assert.doesNotThrow(() => new LeaderElector({ ...base, leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 200 }));
  });

  test('an elector creates an absent Lease and leads', async () => {
    clock = new FakeClock();
    const a = candidate('a', 'absent');
    await until(() => a.elector.isLeader(), 'a to lead');
    const lease = await leases.get('absent');
    assert.equal(lease.spec?.holderIdentity, 'a');
    assert.equal(lease.spec?.leaseDurationSeconds, 15);
    assert.equal(lease.spec?.leaseTransitions, 0);
    assert.equal(a.log.started, 1);
    assert.equal(a.log.signal?.aborted, false);
    assert.deepEqual(a.log.leaders, ['a']);
    assert.equal(a.elector.getLeader(), 'a');
    a.stop.abort();
    await a.ended();
  });

  test('an elector does not take a Lease whose holder it saw change within the lease duration, however old its timestamps', async () => {
    clock = new FakeClock();
    await heldBy('fresh', 'b');
    const a = candidate('a', 'fresh');
    await a.settled(1);
    for (let attempt = 2; attempt <= 8; attempt++) {
      await clock.step(2_000);
      await a.settled(attempt);
      assert.equal(a.elector.isLeader(), false, `not leading at attempt ${attempt}, ${(attempt - 1) * 2} s after first seeing the Lease`);
    }
    assert.equal((await leases.get('fresh')).spec?.holderIdentity, 'b');
    assert.equal(a.elector.stats.writes, 0);
    assert.equal(a.log.started, 0);
    assert.deepEqual(a.log.leaders, ['b']);
    a.stop.abort();
    await a.ended();
    assert.equal(a.log.stopped, 0, 'onStoppedLeading is only for an elector that led');
  });

  test('an elector takes over a Lease once it has seen no change for the lease duration', async () => {
    clock = new FakeClock();
    await heldBy('expired', 'b');
    const a = candidate('a', 'expired');
    await a.settled(1);
    for (let attempt = 2; attempt <= 8; attempt++) {
      await clock.step(2_000);
      await a.settled(attempt);
    }
    assert.equal(a.elector.isLeader(), false, 'at 14 s the lease it first saw at 0 s still runs');
    await clock.step(2_000);
    await until(() => a.elector.isLeader(), 'a to take over');
    const lease = await leases.get('expired');
    assert.equal(lease.spec?.holderIdentity, 'a');
    assert.equal(lease.spec?.leaseTransitions, 3, 'the change of holder counts a transition');
    assert.deepEqual(a.log.leaders, ['b', 'a']);
    a.stop.abort();
    await a.ended();
  });

  test('a holder that keeps renewing is never taken over', async () => {
    clock = new FakeClock();
    let lease = await heldBy('renewed', 'b');
    const a = candidate('a', 'renewed');
    await a.settled(1);
    for (let attempt = 2; attempt <= 16; attempt++) {
      lease = await leases.update({ ...lease, spec: { ...lease.spec, renewTime: new Date(clock.now()).toISOString().replace('Z', '000Z') } });
      await clock.step(2_000);
      await a.settled(attempt);
    }
    assert.equal(a.elector.isLeader(), false, '30 s later, b still holds the lease it renews');
    a.stop.abort();
    await a.ended();
  });

  test('a leader renews every retry period and keeps leading past the lease duration', async () => {
    clock = new FakeClock();
    const a = candidate('a', 'renewing', { releaseOnCancel: false });
    await a.settled(1);
    const acquired = await leases.get('renewing');
    let lastRenew = acquired.spec?.renewTime ?? '';
    for (let round = 1; round <= 10; round++) {
      await clock.step(2_000);
      await a.settled(round + 1);
      assert.equal(a.elector.stats.writes, round + 1, `renewal ${round} written`);
      const lease = await leases.get('renewing');
      assert.ok((lease.spec?.renewTime ?? '') > lastRenew, `renewal ${round} moved renewTime`);
      assert.equal(lease.spec?.acquireTime, acquired.spec?.acquireTime);
      lastRenew = lease.spec?.renewTime ?? '';
    }
    assert.equal(a.elector.isLeader(), true);
    assert.equal(a.log.signal?.aborted, false);
    a.stop.abort();
    await a.ended();
    assert.equal((await leases.get('renewing')).spec?.holderIdentity, 'a', 'releaseOnCancel: false leaves the lease to expire');
  });

  test('a leader whose renewals fail for the renew deadline stops leading, aborts its signal and returns', async () => {
    clock = new FakeClock();
    const a = candidate('a', 'hijacked');
    await a.settled(1);
    const lease = await leases.get('hijacked');
    await leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: 'b' } });
    for (let attempt = 2; attempt <= 6; attempt++) {
      await clock.step(2_000);
      await a.settled(attempt);
      assert.equal(a.elector.isLeader(), true, `still leading until the deadline (attempt ${attempt})`);
      assert.equal(a.log.signal?.aborted, false);
    }
    await clock.step(2_000);
    await a.ended();
    assert.equal(a.log.signal?.aborted, true);
    assert.equal(a.log.stopped, 1);
    assert.equal(a.elector.isLeader(), false);
    assert.equal(a.elector.stats.writes, 1, 'no write after the rival took the lease');
    assert.equal((await leases.get('hijacked')).spec?.holderIdentity, 'b', 'nothing released: the lease is not ours');
  });

  test('a leader cut off from the server stops leading at the renew deadline', async () => {
    clock = new FakeClock();
    const a = candidate('a', 'partitioned');
    await a.settled(1);
    client.fault.current = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    try {
      for (let attempt = 2; attempt <= 6; attempt++) {
        await clock.step(2_000);
        await a.settled(attempt);
        assert.equal(a.elector.isLeader(), true);
      }
      await clock.step(2_000);
      await a.ended();
      assert.equal(a.log.signal?.aborted, true);
      assert.equal(a.log.stopped, 1);
    } finally {
      client.fault.current = async () => undefined;
    }
  });

  test('a write that meets a Conflict is not leadership, and the next round reads before writing', async () => {
    clock = new FakeClock();
    const released = await leases.create({ metadata: { name: 'contended' }, spec: { holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 } });
    let rivalWrote = false;
    client.fault.current = async (verb) => {
      if (verb !== 'update' || rivalWrote) return;
      rivalWrote = true;
      // A rival takes the lease between our read and our write.
      await leases.update({ ...released, spec: { ...released.spec, holderIdentity: 'c', leaseDurationSeconds: 15 } });
    };
    try {
      const a = candidate('a', 'contended');
      await a.settled(1);
      assert.equal(rivalWrote, true);
      assert.equal(a.elector.isLeader(), false);
      assert.equal(a.elector.stats.writes, 0);
      assert.equal(a.log.started, 0);
      await clock.step(2_000);
      await a.settled(2);
      assert.equal(a.elector.isLeader(), false, 'c holds a fresh lease now');
      assert.equal(a.elector.getLeader(), 'c');
      assert.equal((await leases.get('contended')).spec?.holderIdentity, 'c');
      a.stop.abort();
      await a.ended();
    } finally {
      client.fault.current = async () => undefined;
    }
  });

  test('cancelling a leader waits for its work, then releases the lease for others to take at once', async () => {
    clock = new FakeClock();
    let holderWhenWorkEnded: string | undefined;
    const a = candidate('a', 'released', {
      onStartedLeading: async (signal) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        holderWhenWorkEnded = (await leases.get('released')).spec?.holderIdentity;
      },
    });
    await a.settled(1);
    assert.equal(a.elector.isLeader(), true);
    a.stop.abort();
    await a.ended();
    assert.equal(holderWhenWorkEnded, 'a', 'the lease is still held while the leader work winds down');
    const lease = await leases.get('released');
    assert.equal(lease.spec?.holderIdentity, '');
    assert.equal(lease.spec?.leaseDurationSeconds, 1);
    assert.equal(a.elector.isLeader(), false);

    const b = candidate('b', 'released');
    await until(() => b.elector.isLeader(), 'b to take the released lease');
    assert.equal((await leases.get('released')).spec?.leaseTransitions, 1);
    b.stop.abort();
    await b.ended();
  });
});
