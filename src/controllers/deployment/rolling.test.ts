/**
 * The rolling-update arithmetic, as table tests after upstream rolling_test.go
 * (TestDeploymentController_reconcileNewReplicaSet / reconcileOldReplicaSets) and
 * deployment_util_test.go (TestResolveFenceposts, TestNewRSNewReplicas, TestMaxUnavailable).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maxUnavailable, newRSNewReplicas, resolveFenceposts } from './deployment-util.js';
import { deployment, RecordingContext, replicaSet } from './fixtures.js';
import { reconcileNewReplicaSet, reconcileOldReplicaSets } from './rolling.js';

describe('rolling update arithmetic', () => {
  const fenceposts: [number | string | undefined, number | string | undefined, number, number, number][] = [
    // maxSurge, maxUnavailable, desired → surge, unavailable
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 1, 1, 0],
    [0, 0, 5, 0, 1],
    ['0%', '0%', 5, 0, 1],
    ['50%', 0, 3, 2, 0],
    [1, '10%', 5, 1, 0],
  ];
  for (const [surge, unavailable, desired, wantSurge, wantUnavailable] of fenceposts) {
    test(`maxSurge ${String(surge)} and maxUnavailable ${String(unavailable)} of ${desired} resolve to ${wantSurge} and ${wantUnavailable}`, () => {
      assert.deepEqual(resolveFenceposts(surge, unavailable, desired), { surge: wantSurge, unavailable: wantUnavailable });
    });
  }

  test('a maxSurge that is neither a number nor a percentage is an error', () => {
    assert.throws(() => resolveFenceposts('10', 0, 5), /not a percentage/);
  });

  test('maxUnavailable never exceeds the replicas and is 0 for Recreate', () => {
    assert.equal(maxUnavailable(deployment({ replicas: 2, maxSurge: 0, maxUnavailable: 5 })), 2);
    assert.equal(maxUnavailable(deployment({ replicas: 2, strategy: 'Recreate' })), 0);
    assert.equal(maxUnavailable(deployment({ replicas: 0, maxUnavailable: 1 })), 0);
  });

  test('the new ReplicaSet grows by at most what maxSurge leaves and never past the replicas', () => {
    const d = deployment({ replicas: 10, maxSurge: 2, maxUnavailable: 0 });
    const next = replicaSet('new', { replicas: 0 });
    assert.equal(newRSNewReplicas(d, [replicaSet('old', { replicas: 10 }), next], next), 2);
    assert.equal(newRSNewReplicas(d, [replicaSet('old', { replicas: 1 }), next], next), 10);
    assert.equal(newRSNewReplicas(deployment({ replicas: 4, strategy: 'Recreate' }), [next], next), 4);
  });

  const newCases = [
    { replicas: 10, maxSurge: 0, old: 10, new: 0, want: undefined },
    { replicas: 10, maxSurge: 2, old: 10, new: 0, want: 2 },
    { replicas: 10, maxSurge: 2, old: 5, new: 0, want: 7 },
    { replicas: 10, maxSurge: 2, old: 10, new: 2, want: undefined },
    { replicas: 10, maxSurge: 2, old: 2, new: 11, want: 10 },
  ];
  for (const c of newCases) {
    test(`reconcileNewReplicaSet: ${c.replicas} replicas, maxSurge ${c.maxSurge}, old ${c.old}, new ${c.new} → ${c.want ?? 'no scaling'}`, async () => {
      const ctx = new RecordingContext();
      const d = deployment({ replicas: c.replicas, maxSurge: c.maxSurge, maxUnavailable: 0 });
      const oldRS = replicaSet('old', { replicas: c.old, image: 'nginx:0' });
      const newRS = replicaSet('new', { replicas: c.new });
      const scaled = await reconcileNewReplicaSet(ctx, [oldRS, newRS], newRS, d);
      assert.equal(scaled, c.want !== undefined);
      assert.deepEqual(ctx.scaledTo(), c.want === undefined ? {} : { 'web-new': c.want });
    });
  }

  const oldCases = [
    { replicas: 10, maxUnavailable: 0, old: 10, new: 0, oldReady: 10, newReady: 0, want: undefined },
    { replicas: 10, maxUnavailable: 2, old: 10, new: 0, oldReady: 10, newReady: 0, want: 8 },
    // unhealthy replicas of the old ReplicaSet are cleaned up first
    { replicas: 10, maxUnavailable: 2, old: 10, new: 0, oldReady: 8, newReady: 0, want: 8 },
    // one unhealthy replica cleaned up, then one ready one scaled down
    { replicas: 10, maxUnavailable: 2, old: 10, new: 0, oldReady: 9, newReady: 0, want: 8 },
    // the new ReplicaSet's unavailable pods keep the old ones from shrinking further
    { replicas: 10, maxUnavailable: 2, old: 8, new: 2, oldReady: 8, newReady: 0, want: undefined },
  ];
  for (const c of oldCases) {
    test(`reconcileOldReplicaSets: maxUnavailable ${c.maxUnavailable}, old ${c.old} (${c.oldReady} ready), new ${c.new} (${c.newReady} ready) → ${c.want ?? 'no scaling'}`, async () => {
      const ctx = new RecordingContext();
      const d = deployment({ replicas: c.replicas, maxSurge: 1, maxUnavailable: c.maxUnavailable });
      const oldRS = replicaSet('old', { replicas: c.old, available: c.oldReady, image: 'nginx:0' });
      const newRS = replicaSet('new', { replicas: c.new, available: c.newReady });
      const scaled = await reconcileOldReplicaSets(ctx, [oldRS, newRS], [oldRS], newRS, d);
      assert.equal(scaled, c.want !== undefined);
      if (c.want !== undefined) assert.equal(ctx.scaledTo()['web-old'], c.want);
      else assert.equal(ctx.updated.length, 0);
    });
  }
});
