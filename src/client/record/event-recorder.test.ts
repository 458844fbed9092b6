/**
 * The EventRecorder against a real API server (in-process), on a FakeClock for the event times and
 * the retry waits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ClientEnv, startClientEnv } from '../../../test/support/client-harness.js';
import type { BuiltInKindTypes, coreV1 } from '../../api/types/index.js';
import { FakeClock } from '../../util/fake-clock.js';
import type { Logger } from '../../util/logger.js';
import { type BuiltInKindName, KubeClient } from '../kube-client.js';
import { ResourceClient, type WriteOptions } from '../resource-client.js';
import { EventRecorder, type EventRecorderOptions } from './event-recorder.js';

type Event = coreV1.Event;

/** Event creates that fail without an answer (a broken connection) while `failures` > 0. */
class FlakyEvents extends ResourceClient<Event> {
  constructor(inner: ResourceClient<Event>, private readonly state: { failures: number }) {
    super(inner.rest, inner.ref, inner.boundNamespace);
  }

  override namespace(namespace: string): ResourceClient<Event> {
    return new FlakyEvents(super.namespace(namespace), this.state);
  }

  override create(object: Event, options: WriteOptions = {}): Promise<Event> {
    if (this.state.failures > 0) {
      this.state.failures--;
      return Promise.reject(new Error('socket hang up'));
    }
    return super.create(object, options);
  }
}

class FlakyClient extends KubeClient {
  readonly flaky = { failures: 0 };

  override typed<K extends BuiltInKindName>(kind: K): ResourceClient<BuiltInKindTypes[K]> {
    const inner = super.typed(kind);
    if (kind !== 'v1/Event') return inner;
    return new FlakyEvents(inner as unknown as ResourceClient<Event>, this.flaky) as unknown as ResourceClient<BuiltInKindTypes[K]>;
  }
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) };
}

describe('EventRecorder', () => {
  let env: ClientEnv;
  let client: FlakyClient;
  let namespaceNumber = 0;

  before(async () => {
    env = await startClientEnv('in-process');
    client = new FlakyClient({ server: 'http://in-process' }, { inProcess: { connect: () => env.api.server.connect() } });
  });
  after(async () => {
    client.close();
    await env.close();
  });

  /** A fresh namespace with one ConfigMap in it, so each test counts only its own events. */
  async function subject(): Promise<coreV1.ConfigMap & { metadata: { namespace: string } }> {
    const namespace = `events-${++namespaceNumber}`;
    await client.typed('v1/Namespace').create({ metadata: { name: namespace } });
    const configMap = await client.typed('v1/ConfigMap').namespace(namespace).create({ metadata: { name: 'settings' }, data: { a: '1' } });
    return { ...configMap, metadata: { ...configMap.metadata, namespace } };
  }

  function recorder(clock: FakeClock, extra: Partial<EventRecorderOptions> = {}): EventRecorder {
    return new EventRecorder({ client, source: { component: 'test-controller', host: 'node-1' }, clock, random: () => 0.5, logger: recordingLogger(), ...extra });
  }

  async function eventsIn(namespace: string): Promise<Event[]> {
    return (await client.typed('v1/Event').namespace(namespace).list()).items;
  }

  test('an event becomes a core/v1 Event about the object, in its namespace', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const events = recorder(clock);
    events.event(cm, 'Normal', 'Synced', 'settings synced');
    await events.flush();
    const [event, ...rest] = await eventsIn(cm.metadata.namespace);
    assert.equal(rest.length, 0);
    assert.ok(event !== undefined);
    assert.deepEqual(event.involvedObject, {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      namespace: cm.metadata.namespace,
      name: 'settings',
      uid: cm.metadata.uid,
      resourceVersion: cm.metadata.resourceVersion,
    });
    assert.match(event.metadata.name ?? '', new RegExp(`^settings\\.${(BigInt(clock.now()) * 1_000_000n).toString(16)}$`));
    assert.equal(event.type, 'Normal');
    assert.equal(event.reason, 'Synced');
    assert.equal(event.message, 'settings synced');
    assert.equal(event.count, 1);
    assert.equal(event.firstTimestamp, '2026-01-01T00:00:00Z');
    assert.equal(event.lastTimestamp, event.firstTimestamp);
    assert.deepEqual(event.source, { component: 'test-controller', host: 'node-1' });
    assert.equal(event.reportingComponent, 'test-controller');
    assert.equal(event.reportingInstance, 'node-1');
  });

  test('repeats of an event patch the one Event: count and lastTimestamp grow, firstTimestamp stays', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const events = recorder(clock);
    for (let i = 0; i < 3; i++) {
      events.event(cm, 'Warning', 'BadConfig', 'key a is deprecated');
      await events.flush();
      await clock.step(2_000);
    }
    const all = await eventsIn(cm.metadata.namespace);
    assert.equal(all.length, 1);
    assert.equal(all[0]?.count, 3);
    assert.equal(all[0]?.firstTimestamp, '2026-01-01T00:00:00Z');
    assert.equal(all[0]?.lastTimestamp, '2026-01-01T00:00:04Z');
  });

  test('a repeat of an Event deleted meanwhile creates it again under its name', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const events = recorder(clock);
    events.event(cm, 'Normal', 'Synced', 'ok');
    await events.flush();
    const [first] = await eventsIn(cm.metadata.namespace);
    await client.typed('v1/Event').namespace(cm.metadata.namespace).delete(first?.metadata.name ?? '');
    events.event(cm, 'Normal', 'Synced', 'ok');
    await events.flush();
    const [again, ...rest] = await eventsIn(cm.metadata.namespace);
    assert.equal(rest.length, 0);
    assert.equal(again?.metadata.name, first?.metadata.name);
    assert.equal(again?.count, 2);
  });

  test('many similar events become nine Events and one combined Event', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const events = recorder(clock);
    for (let i = 1; i <= 12; i++) events.event(cm, 'Warning', 'SyncFailed', `sync ${i} failed`);
    await events.flush();
    const all = await eventsIn(cm.metadata.namespace);
    assert.equal(all.length, 10);
    const combined = all.filter((e) => e.message?.startsWith('(combined from similar events): '));
    assert.equal(combined.length, 1);
    assert.equal(combined[0]?.count, 3);
    assert.equal(combined[0]?.message, '(combined from similar events): sync 12 failed');
  });

  test('the spam filter lets 25 events about an object through at once', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const events = recorder(clock);
    for (let i = 0; i < 30; i++) events.event(cm, 'Normal', 'Tick', 'tick');
    await events.flush();
    const all = await eventsIn(cm.metadata.namespace);
    assert.equal(all.length, 1);
    assert.equal(all[0]?.count, 25);
  });

  test('events about a cluster-scoped object go to the default namespace', async () => {
    const clock = new FakeClock();
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${++namespaceNumber}`, uid: 'n-1' } };
    const events = recorder(clock);
    events.event(node, 'Normal', 'Ready', 'node is ready');
    await events.flush();
    const mine = (await eventsIn('default')).filter((e) => e.involvedObject.name === node.metadata.name);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.involvedObject.namespace, undefined);
  });

  test('eventf formats the message like printf', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const events = recorder(clock);
    events.eventf(cm, 'Normal', 'Scaled', 'scaled %s to %d (%v), 100%%', 'web', 3, 'up');
    await events.flush();
    assert.equal((await eventsIn(cm.metadata.namespace))[0]?.message, 'scaled web to 3 (up), 100%');
  });

  test('an event that cannot be made is logged and dropped, never thrown', async () => {
    const clock = new FakeClock();
    const logger = recordingLogger();
    const events = recorder(clock, { logger });
    assert.doesNotThrow(() => events.event({ metadata: { name: 'no-kind', namespace: 'default' } }, 'Normal', 'R', 'm'));
    assert.doesNotThrow(() => events.event({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }, 'Bogus' as 'Normal', 'R', 'm'));
    await events.flush();
    assert.equal(logger.lines.filter((l) => l.startsWith('error:')).length, 2);
  });

  test('a write that fails without an answer is retried after a wait, then written', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const logger = recordingLogger();
    const events = recorder(clock, { logger, retryDelayMs: 10_000 });
    client.flaky.failures = 2;
    events.event(cm, 'Normal', 'Synced', 'eventually');
    let flushed = false;
    const flushing = events.flush().then(() => {
      flushed = true;
    });
    await waitFor(() => clock.waiting === 1);
    assert.equal(flushed, false);
    await clock.step(4_999);
    assert.equal(client.flaky.failures, 1, 'the first retry waits a random part of the delay (0.5 × 10 s)');
    await clock.step(1);
    await waitFor(() => client.flaky.failures === 0 && clock.waiting === 1);
    await clock.step(10_000);
    await flushing;
    assert.equal((await eventsIn(cm.metadata.namespace)).length, 1);
    assert.equal(logger.lines.filter((l) => l.includes('may retry')).length, 2);
  });

  test('a write the server refuses is dropped without retrying, and the retry limit ends retries', async () => {
    const clock = new FakeClock();
    const logger = recordingLogger();
    const events = recorder(clock, { logger, maxTriesPerEvent: 2 });
    const ghost = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ghost', namespace: 'no-such-namespace', uid: 'g' } };
    events.event(ghost, 'Normal', 'Synced', 'refused');
    await events.flush();
    assert.equal(logger.lines.filter((l) => l.includes('will not retry')).length, 1);

    client.flaky.failures = 5;
    try {
      const cm = await subject();
      events.event(cm, 'Normal', 'Synced', 'lost');
      const flushing = events.flush();
      await waitFor(() => clock.waiting === 1);
      await clock.step(5_000);
      await flushing;
      assert.equal(logger.lines.filter((l) => l.includes('retry limit exceeded')).length, 1);
      assert.equal((await eventsIn(cm.metadata.namespace)).length, 0);
    } finally {
      client.flaky.failures = 0;
    }
  });

  test('on a full queue events are dropped: the first drop is logged at once, the rest counted and reported once the queue drains', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const logger = recordingLogger();
    const events = recorder(clock, { logger, maxQueuedEvents: 1 });
    for (let i = 0; i < 6; i++) events.event(cm, 'Normal', `Step${i}`, `step ${i}`);
    await events.flush();
    assert.deepEqual((await eventsIn(cm.metadata.namespace)).map((e) => e.reason), ['Step0'], 'only the queued event is written');
    const drops = logger.lines.filter((l) => l.includes('dropped'));
    assert.equal(drops.length, 2, drops.join('\n'));
    assert.match(drops[0] ?? '', /too many queued events \(1\), dropped Step1 on ConfigMap\//);
    assert.match(drops[1] ?? '', /dropped 4 more events while the queue was full/);
  });

  test('after its signal aborts the recorder drops new events', async () => {
    const clock = new FakeClock();
    const cm = await subject();
    const stop = new AbortController();
    const logger = recordingLogger();
    const events = recorder(clock, { signal: stop.signal, logger });
    stop.abort();
    events.event(cm, 'Normal', 'Synced', 'too late');
    await events.flush();
    assert.equal((await eventsIn(cm.metadata.namespace)).length, 0);
    assert.equal(logger.lines.filter((l) => l.includes('dropped')).length, 1);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  assert.fail('timed out waiting for the recorder');
}
