/**
 * kubelite up's control-plane threads: they stop when asked, and a thread that fails takes the other
 * down and rejects with its error — so `up` ends instead of serving a cluster that nothing reconciles.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { runControlPlaneThread } from '../src/cli/control-plane-thread.js';
import { silentLogger } from '../src/util/logger.js';

/** A request channel whose server end is closed: the threads start, and their clients retry in the background. */
const nowhere = (): MessagePort => {
  const { port1, port2 } = new MessageChannel();
  port1.close();
  return port2;
};

it('both threads stop when the signal aborts, and the promise resolves', async () => {
  const stop = new AbortController();
  const running = runControlPlaneThread({ nodes: 0, nodeMonitorGracePeriodMs: 50_000 }, nowhere, silentLogger, () => undefined, stop.signal);
  await new Promise((resolve) => setTimeout(resolve, 300));
  stop.abort();
  await running;
});

it('a thread that fails stops the other and rejects with what went wrong', async () => {
  const stop = new AbortController();
  // An extender weight the config parser would refuse: the scheduler throws as the thread starts.
  const scheduler = { extenders: [{ urlPrefix: 'http://127.0.0.1:9/ext', prioritizeVerb: 'prioritize', weight: 0 }] };
  await assert.rejects(
    runControlPlaneThread({ nodes: 0, nodeMonitorGracePeriodMs: 50_000, scheduler }, nowhere, silentLogger, () => undefined, stop.signal),
    /the controllers thread failed: extender weight must be positive/,
  );
  assert.equal(stop.signal.aborted, false, 'nobody asked it to stop');
});
