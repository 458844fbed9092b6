/**
 * kubelite up's control-plane thread: it stops when asked, and a part that fails takes the thread
 * down and rejects with its error — so `up` ends instead of serving a cluster that nothing reconciles.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { runControlPlaneThread } from '../src/cli/control-plane-thread.js';
import { silentLogger } from '../src/util/logger.js';

/** A request channel whose server end is closed: the thread starts, and its clients retry in the background. */
const nowhere = (): MessagePort => {
  const { port1, port2 } = new MessageChannel();
  port1.close();
  return port2;
};

it('the thread stops when the signal aborts, and the promise resolves', async () => {
  const stop = new AbortController();
  const running = runControlPlaneThread({ port: nowhere(), nodes: 0, nodeMonitorGracePeriodMs: 50_000 }, silentLogger, () => undefined, stop.signal);
  await new Promise((resolve) => setTimeout(resolve, 300));
  stop.abort();
  await running;
});

it('a part that fails ends the thread, and the promise rejects with what went wrong', async () => {
  const stop = new AbortController();
  // An extender weight the config parser would refuse: the scheduler throws as the thread starts.
  const scheduler = { extenders: [{ urlPrefix: 'http://127.0.0.1:9/ext', prioritizeVerb: 'prioritize', weight: 0 }] };
  await assert.rejects(
    runControlPlaneThread({ port: nowhere(), nodes: 0, nodeMonitorGracePeriodMs: 50_000, scheduler }, silentLogger, () => undefined, stop.signal),
    /the control plane thread failed: extender weight must be positive/,
  );
  assert.equal(stop.signal.aborted, false, 'nobody asked it to stop');
});
