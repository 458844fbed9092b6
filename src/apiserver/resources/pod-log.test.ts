/**
 * Unit tests of pods/log for simulated containers (pod-log.ts): upstream's container choice and
 * refusals, the lines made from the pod's status, the options that cut them, and what a follow
 * waits for.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import { type LogOptions, logFollower, parseLogOptions, podLog } from './pod-log.js';

const STARTED = '2026-11-26T09:00:00Z';
const NOW = Date.parse('2026-11-26T10:00:00Z');
const OPTIONS: LogOptions = { container: '', previous: false, timestamps: false, follow: false };

function pod(status: JsonObject, containers: string[] = ['web'], nodeName = 'node-1'): JsonObject {
  return {
    metadata: { name: 'p', namespace: 'default' },
    spec: { ...(nodeName === '' ? {} : { nodeName }), containers: containers.map((name) => ({ name, image: `${name}:1` })) },
    status,
  };
}

function running(extra: JsonObject = {}): JsonObject {
  return { containerStatuses: [{ name: 'web', image: 'web:1', restartCount: 0, state: { running: { startedAt: STARTED } }, ...extra }] };
}

/** The message of the 400 `run` throws. */
function badRequest(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StatusError, String(error));
    assert.equal(error.code, 400);
    return error.message;
  }
  assert.fail('expected a 400');
}

describe('pods/log of a simulated container', () => {
  test('a running container logs one line saying it is simulated, where it runs and from which image', () => {
    assert.equal(podLog(pod(running()), OPTIONS, NOW), 'kubelite: simulated container "web" started on node node-1 from image web:1; simulated containers write no output of their own\n');
  });

  test('timestamps put the kubelet\'s RFC 3339 nanosecond time in front of each line', () => {
    assert.match(podLog(pod(running()), { ...OPTIONS, timestamps: true }, NOW), /^2026-11-26T09:00:00\.000000000Z kubelite: /);
  });

  test('a terminated container logs its start and its exit code and reason', () => {
    const status = { containerStatuses: [{ name: 'web', restartCount: 0, state: { terminated: { startedAt: STARTED, finishedAt: '2026-11-26T09:01:00Z', exitCode: 0, reason: 'Completed' } } }] };
    assert.deepEqual(podLog(pod(status), OPTIONS, NOW).trim().split('\n').slice(1), ['kubelite: simulated container "web" exited with code 0 (Completed)']);
  });

  test('previous gives the last terminated run, and is refused when there was none', () => {
    const status = running({ restartCount: 2, lastState: { terminated: { startedAt: STARTED, finishedAt: '2026-11-26T09:02:00Z', exitCode: 1, reason: 'Error' } } });
    assert.match(podLog(pod(status), { ...OPTIONS, previous: true }, NOW), /started \(restart 1\)[^\n]*\n[^\n]*exited with code 1 \(Error\)\n$/);
    assert.equal(badRequest(() => podLog(pod(running()), { ...OPTIONS, previous: true }, NOW)), 'previous terminated container "web" in pod "p" not found');
  });

  test('a pod of several containers needs one named, and an unknown name is refused, in upstream\'s words', () => {
    assert.equal(badRequest(() => podLog(pod(running(), ['web', 'sidecar']), OPTIONS, NOW)), 'a container name must be specified for pod p, choose one of: [web sidecar]');
    assert.equal(badRequest(() => podLog(pod(running()), { ...OPTIONS, container: 'db' }, NOW)), 'container db is not valid for pod p');
    assert.match(podLog(pod(running(), ['web', 'sidecar']), { ...OPTIONS, container: 'web' }, NOW), /"web" started/);
  });

  test('a container that has not started is refused with the kubelet\'s reason', () => {
    const waiting = { containerStatuses: [{ name: 'web', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] };
    assert.equal(badRequest(() => podLog(pod(waiting), OPTIONS, NOW)), 'container "web" in pod "p" is waiting to start: ContainerCreating');
    assert.equal(podLog(pod({}, ['web'], ''), OPTIONS, NOW), '', 'a pod with no node has an empty log');
    assert.equal(badRequest(() => podLog(pod({}, ['web'], ''), { ...OPTIONS, container: 'db' }, NOW)), 'container db is not valid for pod p');
  });

  test('tailLines, sinceSeconds, sinceTime and limitBytes cut the log', () => {
    const status = { containerStatuses: [{ name: 'web', restartCount: 0, state: { terminated: { startedAt: STARTED, finishedAt: '2026-11-26T09:59:30Z', exitCode: 0 } } }] };
    assert.equal(podLog(pod(status), { ...OPTIONS, tailLines: 0 }, NOW), '');
    assert.match(podLog(pod(status), { ...OPTIONS, tailLines: 1 }, NOW), /^kubelite: simulated container "web" exited/);
    assert.match(podLog(pod(status), { ...OPTIONS, sinceSeconds: 60 }, NOW), /^[^\n]*exited[^\n]*\n$/);
    assert.match(podLog(pod(status), { ...OPTIONS, sinceTime: '2026-11-26T09:30:00Z' }, NOW), /^[^\n]*exited[^\n]*\n$/);
    assert.equal(podLog(pod(status), { ...OPTIONS, limitBytes: 8 }, NOW), 'kubelite');
  });

  test('limitBytes never ends the log in the middle of a character', () => {
    const status = { containerStatuses: [{ name: 'web', image: 'wéb:1', restartCount: 0, state: { running: { startedAt: STARTED } } }] };
    const whole = podLog(pod(status), OPTIONS, NOW);
    const accent = Buffer.from(whole).indexOf(Buffer.from('é'));
    const cut = podLog(pod(status), { ...OPTIONS, limitBytes: accent + 1 }, NOW);
    assert.equal(cut, whole.slice(0, whole.indexOf('é')), 'the cut stops before the two-byte é');
    assert.ok(Buffer.byteLength(cut) <= accent + 1);
  });
});

describe('pods/log followed (kubectl logs -f)', () => {
  const FOLLOW: LogOptions = { ...OPTIONS, follow: true };
  const FINISHED = '2026-11-26T09:05:00Z';
  const follow = (status: JsonObject, options: LogOptions = FOLLOW): ReturnType<typeof logFollower> => {
    const p = pod(status);
    return logFollower(p, options, podLog(p, options, NOW), NOW);
  };

  test('a running container is followed from its log so far; a newer status of the same run adds nothing', () => {
    const follower = follow(running());
    assert.ok(follower !== undefined);
    assert.match(follower.text, /^kubelite: simulated container "web" started on node node-1/);
    assert.deepEqual(follower.next(pod(running({ ready: true }))), { text: '', ended: false });
  });

  test('the follow ends with the exit line when the container terminates', () => {
    const follower = follow(running());
    const terminated = { containerStatuses: [{ name: 'web', restartCount: 0, state: { terminated: { startedAt: STARTED, finishedAt: FINISHED, exitCode: 0, reason: 'Completed' } } }] };
    assert.deepEqual(follower?.next(pod(terminated)), { text: 'kubelite: simulated container "web" exited with code 0 (Completed)\n', ended: true });
  });

  test('a restart ends the follow with the exit its lastState records; a status with no record of the run ends it silently', () => {
    const restarted = running({ restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { startedAt: STARTED, finishedAt: FINISHED, exitCode: 1, reason: 'Error' } } });
    assert.deepEqual(follow(running())?.next(pod(restarted)), { text: 'kubelite: simulated container "web" exited with code 1 (Error)\n', ended: true });
    const startedAgain = running({ restartCount: 1, state: { running: { startedAt: FINISHED } } });
    assert.deepEqual(follow(running())?.next(pod(startedAgain)), { text: '', ended: true });
  });

  test('timestamps and limitBytes apply to the exit line too', () => {
    const terminated = pod({ containerStatuses: [{ name: 'web', restartCount: 0, state: { terminated: { startedAt: STARTED, finishedAt: FINISHED, exitCode: 0 } } }] });
    assert.match(follow(running(), { ...FOLLOW, timestamps: true })?.next(terminated).text ?? '', /^2026-11-26T09:05:00\.000000000Z kubelite: simulated container "web" exited with code 0\n$/);
    const firstLine = Buffer.byteLength(podLog(pod(running()), OPTIONS, NOW));
    assert.equal(follow(running(), { ...FOLLOW, limitBytes: firstLine + 8 })?.next(terminated).text, 'kubelite');
  });

  test('nothing is followed for a terminated container, previous, a pod with no node, or a limit already reached', () => {
    const terminated = { containerStatuses: [{ name: 'web', restartCount: 0, state: { terminated: { startedAt: STARTED, finishedAt: FINISHED, exitCode: 0 } } }] };
    assert.equal(follow(terminated), undefined);
    assert.equal(follow(running({ lastState: { terminated: { startedAt: STARTED, finishedAt: FINISHED, exitCode: 1 } } }), { ...FOLLOW, previous: true }), undefined);
    assert.equal(logFollower(pod({}, ['web'], ''), FOLLOW, '', NOW), undefined);
    assert.equal(follow(running(), { ...FOLLOW, limitBytes: 8 }), undefined);
    assert.equal(follow(running(), OPTIONS), undefined, 'without follow');
  });
});

describe('pods/log options', () => {
  test('are read from the query', () => {
    const options = parseLogOptions(new URLSearchParams('container=web&previous=true&timestamps=1&tailLines=5&limitBytes=100'), 'p');
    assert.deepEqual(options, { container: 'web', previous: true, timestamps: true, follow: false, tailLines: 5, limitBytes: 100 });
    assert.equal(parseLogOptions(new URLSearchParams('follow=true'), 'p').follow, true);
  });

  test('negative or zero values, and both since options together, are a 422 naming each field', () => {
    assert.throws(
      () => parseLogOptions(new URLSearchParams('tailLines=-1&limitBytes=0&sinceSeconds=1&sinceTime=2026-01-01T00:00:00Z'), 'p'),
      (error: unknown) => error instanceof StatusError && error.code === 422 && /tailLines/.test(error.message) && /limitBytes/.test(error.message) && /at most one of/.test(error.message),
    );
  });

  test('a value that is not a number is a 400; a flag is false only when absent, "0" or "false", as upstream reads it', () => {
    assert.equal(badRequest(() => parseLogOptions(new URLSearchParams('tailLines=ten'), 'p')), 'invalid value for tailLines: "ten": not an integer');
    const flags = (query: string): boolean[] => {
      const options = parseLogOptions(new URLSearchParams(query), 'p');
      return [options.follow, options.previous, options.timestamps];
    };
    assert.deepEqual(flags('follow&previous=yes&timestamps=FALSE'), [true, true, false]);
    assert.deepEqual(flags('follow=0&previous=False'), [false, false, false]);
  });
});
