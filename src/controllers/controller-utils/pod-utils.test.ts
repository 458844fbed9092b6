import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { coreV1 } from '../../api/types/index.js';
import { filterActivePods, isPodActive, isPodAvailable, isPodReady, podKey, podReadyTime } from './pod-utils.js';

function pod(extra: { phase?: coreV1.PodStatus['phase']; ready?: string; since?: string; deleting?: boolean } = {}): coreV1.Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', ...(extra.deleting === true ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    status: {
      ...(extra.phase === undefined ? {} : { phase: extra.phase }),
      ...(extra.ready === undefined ? {} : { conditions: [{ type: 'Ready', status: extra.ready, ...(extra.since === undefined ? {} : { lastTransitionTime: extra.since }) }] }),
    },
  };
}

test('succeeded, failed and terminating pods are not active', () => {
  assert.equal(isPodActive(pod({ phase: 'Running' })), true);
  assert.equal(isPodActive(pod({ phase: 'Pending' })), true);
  assert.equal(isPodActive(pod({ phase: 'Succeeded' })), false);
  assert.equal(isPodActive(pod({ phase: 'Failed' })), false);
  assert.equal(isPodActive(pod({ phase: 'Running', deleting: true })), false);
  assert.equal(filterActivePods([pod({ phase: 'Failed' }), pod()]).length, 1);
});

test('a pod is ready when its Ready condition is True', () => {
  assert.equal(isPodReady(pod({ ready: 'True' })), true);
  assert.equal(isPodReady(pod({ ready: 'False' })), false);
  assert.equal(isPodReady(pod()), false);
});

test('a ready pod is available once minReadySeconds have passed since it became ready', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  const p = pod({ ready: 'True', since: '2026-01-01T00:00:00Z' });
  assert.equal(isPodAvailable(p, 0, now), true);
  assert.equal(isPodAvailable(p, 59, now), true);
  assert.equal(isPodAvailable(p, 60, now), false, 'exactly minReadySeconds is not yet available');
  assert.equal(isPodAvailable(pod({ ready: 'False', since: '2025-01-01T00:00:00Z' }), 0, now), false);
  assert.equal(isPodAvailable(pod({ ready: 'True' }), 1, now), false, 'no transition time, no availability');
});

test('podReadyTime and podKey', () => {
  assert.equal(podReadyTime(pod({ ready: 'True', since: '2026-01-01T00:00:00Z' })), Date.parse('2026-01-01T00:00:00Z'));
  assert.equal(podReadyTime(pod({ ready: 'False', since: '2026-01-01T00:00:00Z' })), undefined);
  assert.equal(podKey(pod()), 'ns/p');
});
