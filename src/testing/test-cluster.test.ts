/**
 * Waiting for a test cluster's simulated nodes (test-cluster.ts nodesRegistered): it resolves once
 * they registered, and fails — rather than hangs — when the control plane stops first.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nodesRegistered } from './test-cluster.js';

describe('waiting for simulated nodes', () => {
  test('resolves once the simulator has registered every node', async () => {
    const simulator = { registeredCount: 0 };
    setTimeout(() => (simulator.registeredCount = 2), 20);
    await nodesRegistered(simulator, 2, new Promise(() => undefined), new AbortController().signal);
    assert.equal(simulator.registeredCount, 2);
  });

  test('rejects with the control plane’s error when it fails before the nodes registered', async () => {
    const failed = Promise.reject(new Error('node simulator exploded'));
    failed.catch(() => undefined);
    await assert.rejects(
      nodesRegistered({ registeredCount: 0 }, 3, failed, new AbortController().signal),
      /control plane stopped before 3 simulated nodes registered: node simulator exploded/,
    );
  });

  test('rejects when the control plane ends without an error before the nodes registered', async () => {
    await assert.rejects(nodesRegistered({ registeredCount: 1 }, 3, Promise.resolve(), new AbortController().signal), /control plane stopped/);
  });
});
