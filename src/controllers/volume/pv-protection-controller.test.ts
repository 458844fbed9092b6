/**
 * Unit tests of the PV protection controller: one syncVolume against a preloaded informer cache with
 * a volume client that records the updates (upstream pv_protection_controller_test.go's style).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import { silentLogger } from '../../util/logger.js';
import { PvProtectionController, type PvProtectionClient } from './pv-protection-controller.js';
import { testInformers, volume } from './volume-testing.js';

const PROTECTION = 'kubernetes.io/pv-protection';

class RecordingVolumes implements PvProtectionClient {
  readonly updates: coreV1.PersistentVolume[] = [];
  async updateVolume(v: coreV1.PersistentVolume): Promise<coreV1.PersistentVolume> {
    this.updates.push(structuredClone(v));
    return v;
  }
}

function setup(volumes: coreV1.PersistentVolume[]) {
  const { client, informers } = testInformers();
  const pvClient = new RecordingVolumes();
  const controller = new PvProtectionController({ client, informers, clock: new FakeClock(), logger: silentLogger, pvClient });
  for (const v of volumes) informers.typed('v1/PersistentVolume').indexer.add(v);
  return { controller, pvClient };
}

describe('PV protection', () => {
  test('a deleting volume keeps its finalizer while it is Bound', async () => {
    const { controller, pvClient } = setup([volume('v', '1Gi', { phase: 'Bound', deleting: true, finalizers: [PROTECTION] })]);
    await controller.syncVolume('v');
    assert.deepEqual(pvClient.updates, []);
  });

  test('a deleting volume that is Released, Available or Failed loses its finalizer', async () => {
    const phases = ['Released', 'Available', 'Failed'] as const;
    const { controller, pvClient } = setup(phases.map((phase) => volume(phase, '1Gi', { phase, deleting: true, finalizers: [PROTECTION] })));
    for (const phase of phases) await controller.syncVolume(phase);
    assert.deepEqual(pvClient.updates.map((v) => [v.metadata?.name, v.metadata?.finalizers]), [
      ['Released', []],
      ['Available', []],
      ['Failed', []],
    ]);
  });

  test('a live volume without the finalizer gets it; one with it is left alone', async () => {
    const { controller, pvClient } = setup([volume('bare', '1Gi'), volume('kept', '1Gi', { finalizers: [PROTECTION] })]);
    await controller.syncVolume('bare');
    await controller.syncVolume('kept');
    assert.deepEqual(pvClient.updates.map((v) => [v.metadata?.name, v.metadata?.finalizers]), [['bare', [PROTECTION]]]);
  });
});
