/**
 * The REST client's own rules (client-go rest/request.go and with_retry.go) against a scripted
 * node:http peer on 127.0.0.1 and a fake clock: which answers are retried and after how long
 * (Retry-After, backoff, maxRetries, never a failed write), how errors are classified, the one
 * credential refresh after a 401, client-side QPS/burst, the bearer token, and the watch stream's
 * line decoding and idle timeout.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../util/fake-clock.js';
import { CredentialProvider } from '../config/credentials.js';
import type { RestConfig } from '../config/rest-config.js';
import { ApiError, isInternalError, isNotFound, isResourceExpired, isServiceUnavailable, isUnauthorized } from '../errors.js';
import { RestClient, type RestClientOptions } from './rest-client.js';
import { WatchIdleError } from './watch-stream.js';

/** One request as the peer saw it. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** How the peer answers one request. */
type Reply = (res: ServerResponse, req: Seen) => void;

function status(code: number, reason: string, message: string, headers: OutgoingHttpHeaders = {}): Reply {
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code, reason, message, details: { name: 'a', kind: 'configmaps' } });
  return (res) => {
    res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
    res.end(body);
  };
}

function json(code: number, value: unknown): Reply {
  return (res) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(value));
  };
}

function text(code: number, body: string, headers: OutgoingHttpHeaders = {}): Reply {
  return (res) => {
    res.writeHead(code, { 'Content-Type': 'text/plain', ...headers });
    res.end(body);
  };
}

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'ns', name: 'a', resourceVersion: '5' } };
const path = '/api/v1/namespaces/ns/configmaps/a';

/**
 * A peer that answers each request with the next scripted reply (then `fallback`), on a free port
 * of 127.0.0.1; it is closed when the test ends.
 */
async function peer(t: TestContext, replies: Reply[], fallback: Reply = text(500, 'no reply scripted')): Promise<{ server: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Seen = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      (replies.shift() ?? fallback)(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return { server: `http://127.0.0.1:${port}`, seen };
}

/** A client on a fake clock with random 0 (backoffs are exactly 200, 400, 800 … ms); closed when the test ends. */
function client(t: TestContext, config: RestConfig, options: RestClientOptions = {}): { rest: RestClient; clock: FakeClock } {
  const clock = options.clock instanceof FakeClock ? options.clock : new FakeClock();
  const rest = new RestClient(config, { clock, random: () => 0, ...options });
  t.after(() => rest.close());
  return { rest, clock };
}

/** Waits for network I/O until `condition` holds (never used to wait out a backoff: those are stepped). */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
  assert.fail(`timed out waiting until ${what}`);
}

interface Tracked<T> {
  readonly promise: Promise<T>;
  settled(): boolean;
}

/** A promise with its state readable synchronously. */
function track<T>(promise: Promise<T>): Tracked<T> {
  let settled = false;
  const done = (): void => {
    settled = true;
  };
  promise.then(done, done);
  return { promise, settled: () => settled };
}

/** Waits for I/O until `promise` settles, so a broken client fails the test instead of hanging it. */
async function soon<T>(promise: Promise<T>, what: string): Promise<T> {
  const call = track(promise);
  await eventually(() => call.settled(), what);
  return promise;
}

/**
 * Waits until the call settles and returns it; fails at once if the client goes to sleep on the
 * clock to retry instead (without this, a client that wrongly retried would wait forever).
 */
async function withoutRetry<T>(clock: FakeClock, call: Promise<T>): Promise<T> {
  const tracked = track(call);
  await eventually(() => tracked.settled() || clock.waiting > 0, 'the call settles or the client sleeps');
  assert.equal(clock.waiting, 0, 'the client sleeps to retry');
  return call;
}

test('a 429 with Retry-After: 1 sleeps 1000 ms on the clock, then retries and succeeds', async (t) => {
  const { server, seen } = await peer(t, [status(429, 'TooManyRequests', 'slow down', { 'Retry-After': '1' }), json(200, configMap)]);
  const { rest, clock } = client(t, { server });
  const call = track(rest.request({ method: 'GET', path }));
  await eventually(() => clock.waiting === 1, 'the client sleeps');
  assert.equal(seen.length, 1);
  await clock.step(999);
  assert.equal(clock.waiting, 1, 'still sleeping before 1000 ms');
  assert.equal(seen.length, 1);
  assert.equal(call.settled(), false);
  await clock.step(1);
  assert.deepEqual(await call.promise, configMap);
  assert.equal(seen.length, 2);
});

test('a 503 without Retry-After on a GET is retried after a backoff that grows', async (t) => {
  const { server, seen } = await peer(t, [text(503, 'unavailable'), text(503, 'unavailable'), json(200, configMap)]);
  const { rest, clock } = client(t, { server });
  const call = track(rest.request({ method: 'GET', path }));
  await eventually(() => clock.waiting === 1, 'the client sleeps');
  await clock.step(199);
  assert.equal(clock.waiting, 1);
  assert.equal(seen.length, 1);
  await clock.step(1);
  await eventually(() => seen.length === 2 && clock.waiting === 1, 'the second attempt failed and the client sleeps');
  await clock.step(399);
  assert.equal(clock.waiting, 1);
  assert.equal(seen.length, 2);
  await clock.step(1);
  assert.deepEqual(await call.promise, configMap);
  assert.equal(seen.length, 3);
  assert.equal(call.settled(), true);
});

test('a 500 on a POST without Retry-After is not retried', async (t) => {
  const { server, seen } = await peer(t, [status(500, 'InternalError', 'boom'), json(201, configMap)]);
  const { rest, clock } = client(t, { server });
  const call = rest.request({ method: 'POST', path: '/api/v1/namespaces/ns/configmaps', body: configMap });
  await assert.rejects(withoutRetry(clock, call), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 500);
    assert.equal(isInternalError(error), true);
    return true;
  });
  assert.equal(seen.length, 1);
});

test('a 503 with Retry-After on a POST is retried after that many seconds, with the same body', async (t) => {
  const { server, seen } = await peer(t, [status(503, 'ServiceUnavailable', 'starting', { 'Retry-After': '2' }), json(201, configMap)]);
  const { rest, clock } = client(t, { server });
  const call = track(rest.request({ method: 'POST', path: '/api/v1/namespaces/ns/configmaps', body: configMap }));
  await eventually(() => clock.waiting === 1, 'the client sleeps');
  await clock.step(1999);
  assert.equal(clock.waiting, 1);
  assert.equal(seen.length, 1);
  await clock.step(1);
  assert.deepEqual(await call.promise, configMap);
  assert.deepEqual(
    seen.map((s) => [s.method, JSON.parse(s.body) as unknown]),
    [
      ['POST', configMap],
      ['POST', configMap],
    ],
  );
});

test('aborting a request while it waits to retry rejects it without another attempt', async (t) => {
  const { server, seen } = await peer(t, [], text(503, 'unavailable'));
  const { rest, clock } = client(t, { server });
  const controller = new AbortController();
  const call = rest.request({ method: 'GET', path, signal: controller.signal });
  await eventually(() => clock.waiting === 1, 'the client sleeps');
  controller.abort();
  await assert.rejects(soon(call, 'the aborted call settles'), (error) => error instanceof Error && error.name === 'AbortError');
  assert.equal(seen.length, 1);
  assert.equal(clock.waiting, 0);
});

/** Drops the connection without an answer. */
const hangUp: Reply = (res) => {
  res.socket?.destroy();
};

test('a GET whose connection breaks is retried after a backoff', async (t) => {
  const { server, seen } = await peer(t, [hangUp, json(200, configMap)]);
  const { rest, clock } = client(t, { server });
  const call = track(rest.request({ method: 'GET', path }));
  await eventually(() => clock.waiting === 1, 'the client sleeps');
  await clock.step(199);
  assert.equal(clock.waiting, 1);
  assert.equal(seen.length, 1);
  await clock.step(1);
  assert.deepEqual(await call.promise, configMap);
  assert.equal(seen.length, 2);
});

/** Never answers: the request is left hanging, as on a connection that died silently. */
const silence: Reply = () => undefined;

test('a GET that gets no answer within timeoutMs is given up and retried on a new connection', async (t) => {
  const { server, seen } = await peer(t, [silence, json(200, configMap)]);
  const { rest, clock } = client(t, { server, timeoutMs: 200 });
  const call = track(rest.request({ method: 'GET', path }));
  await eventually(() => clock.waiting === 1, 'the client to give up the silent request and sleep');
  assert.equal(seen.length, 1);
  await clock.step(200);
  assert.deepEqual(await call.promise, configMap);
  assert.equal(seen.length, 2);
});

test('a POST whose connection breaks is not repeated: it may have been applied', async (t) => {
  const { server, seen } = await peer(t, [hangUp, json(201, configMap)]);
  const { rest, clock } = client(t, { server });
  const call = rest.request({ method: 'POST', path: '/api/v1/namespaces/ns/configmaps', body: configMap });
  await assert.rejects(withoutRetry(clock, call), (error) => {
    assert.ok(!(error instanceof assert.AssertionError), String(error));
    assert.ok(!(error instanceof ApiError), 'a transport error, not an answer');
    return true;
  });
  assert.equal(seen.length, 1);
});

test('a 404 Status answer is NotFound with the server\'s message and details', async (t) => {
  const { server, seen } = await peer(t, [status(404, 'NotFound', 'configmaps "a" not found')]);
  const { rest, clock } = client(t, { server });
  await assert.rejects(withoutRetry(clock, rest.request({ method: 'GET', path })), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(isNotFound(error), true);
    assert.equal(error.reason, 'NotFound');
    assert.equal(error.message, 'configmaps "a" not found');
    assert.equal(error.details?.name, 'a');
    return true;
  });
  assert.equal(seen.length, 1);
});

test('a plain-text 404 that is not a Status is NotFound by its code', async (t) => {
  const { server } = await peer(t, [text(404, '404 page not found\n')]);
  const { rest, clock } = client(t, { server });
  await assert.rejects(withoutRetry(clock, rest.request({ method: 'GET', path })), (error) => {
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, 404);
    assert.equal(isNotFound(error), true);
    assert.match(error.message, /404 page not found/);
    return true;
  });
});

/** A token file in a fresh directory, removed when the test ends. */
function tokenFile(t: TestContext, token: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kl-rest-client-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'token');
  writeFileSync(file, token);
  return file;
}

test('a 401 makes the client read its credentials again, once, and retry', async (t) => {
  const file = tokenFile(t, 'old-token');
  const rotate: Reply = (res) => {
    // The token rotates on disk; the client's cached copy (good for a minute) is now stale.
    writeFileSync(file, 'new-token');
    status(401, 'Unauthorized', 'Unauthorized')(res, { method: '', url: '', authorization: undefined, body: '' });
  };
  const { server, seen } = await peer(t, [rotate, json(200, configMap)]);
  const clock = new FakeClock();
  const config: RestConfig = { server, bearerTokenFile: file };
  const { rest } = client(t, config, { clock, credentials: new CredentialProvider(config, { clock }) });
  assert.deepEqual(await rest.request({ method: 'GET', path }), configMap);
  assert.deepEqual(
    seen.map((s) => s.authorization),
    ['Bearer old-token', 'Bearer new-token'],
  );
});

test('a second 401 in a row is thrown: credentials are refreshed only once per request', async (t) => {
  const file = tokenFile(t, 'token');
  const { server, seen } = await peer(t, [status(401, 'Unauthorized', 'Unauthorized'), status(401, 'Unauthorized', 'Unauthorized'), json(200, configMap)]);
  const clock = new FakeClock();
  const config: RestConfig = { server, bearerTokenFile: file };
  const { rest } = client(t, config, { clock, credentials: new CredentialProvider(config, { clock }) });
  await assert.rejects(withoutRetry(clock, rest.request({ method: 'GET', path })), (error) => isUnauthorized(error));
  assert.equal(seen.length, 2);
});

test('maxRetries bounds the attempts of one request', async (t) => {
  const { server, seen } = await peer(t, [], text(503, 'unavailable'));
  const { rest, clock } = client(t, { server }, { maxRetries: 2 });
  const call = track(rest.request({ method: 'GET', path }));
  // Wake each backoff as soon as the client sleeps, until the request gives up.
  for (let i = 0; i < 10 && !call.settled(); i++) {
    await eventually(() => call.settled() || clock.waiting === 1, 'the client sleeps or gives up');
    if (clock.waiting === 1) await clock.step(30_000);
  }
  assert.equal(call.settled(), true, 'the client gave up');
  await assert.rejects(call.promise, (error) => isServiceUnavailable(error));
  assert.equal(seen.length, 3);
});

test('with qps 1 and burst 2 the third request waits for the clock', async (t) => {
  const { server, seen } = await peer(t, [], json(200, configMap));
  const { rest, clock } = client(t, { server, qps: 1, burst: 2 });
  const first = rest.request({ method: 'GET', path });
  const second = rest.request({ method: 'GET', path });
  const third = track(rest.request({ method: 'GET', path }));
  await Promise.all([first, second]);
  assert.equal(seen.length, 2);
  assert.equal(clock.waiting, 1, 'the third request waits for a token');
  await clock.step(999);
  assert.equal(clock.waiting, 1);
  assert.equal(third.settled(), false);
  assert.equal(seen.length, 2);
  await clock.step(1);
  await third.promise;
  assert.equal(seen.length, 3);
});

test('the Authorization header carries the bearer token, and is absent without credentials', async (t) => {
  const { server, seen } = await peer(t, [], json(200, configMap));
  const withToken = client(t, { server, bearerToken: 'abc.def' }).rest;
  const anonymous = client(t, { server }).rest;
  await withToken.request({ method: 'GET', path });
  await anonymous.request({ method: 'GET', path });
  assert.deepEqual(
    seen.map((s) => s.authorization),
    ['Bearer abc.def', undefined],
  );
});

/** A reply that sends a 200 watch response's headers and leaves the body to the test. */
function held(): { reply: Reply; response: () => ServerResponse | undefined } {
  let response: ServerResponse | undefined;
  return {
    reply: (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      response = res;
    },
    response: () => response,
  };
}

test('a watch response is decoded line by line across chunk boundaries', async (t) => {
  const peerResponse = held();
  const { server, seen } = await peer(t, [peerResponse.reply]);
  const { rest } = client(t, { server });
  const stream = await rest.watch({ path: '/api/v1/namespaces/ns/configmaps', query: { resourceVersion: '5' } });
  assert.match(seen[0]?.url ?? '', /[?&]watch=true(&|$)/);
  assert.match(seen[0]?.url ?? '', /[?&]resourceVersion=5(&|$)/);
  const res = peerResponse.response();
  assert.ok(res !== undefined);

  const line = (type: string, rv: string, note: string): string =>
    `${JSON.stringify({ type, object: { ...configMap, metadata: { ...configMap.metadata, resourceVersion: rv, annotations: { note } } } })}\n`;
  const first = Buffer.from(line('ADDED', '6', 'one'));
  const second = Buffer.from(line('MODIFIED', '7', 'grüße'));
  // Cut the second line inside the two bytes of "ü", so the split is mid-line and mid-character.
  const cut = second.indexOf(Buffer.from('ü')) + 1;
  const events = stream[Symbol.asyncIterator]();

  res.write(Buffer.concat([first, second.subarray(0, cut)]));
  const one = await soon(events.next(), 'the first event is decoded');
  assert.equal(one.done, false);
  assert.equal(one.value?.type, 'ADDED');
  assert.equal(one.value?.object.metadata?.resourceVersion, '6');

  res.write(second.subarray(cut));
  const two = await soon(events.next(), 'the second event is decoded');
  assert.equal(two.value?.type, 'MODIFIED');
  assert.equal(two.value?.object.metadata?.annotations?.note, 'grüße');

  // The last line may come without its newline.
  res.end(line('DELETED', '8', 'three').trimEnd());
  const three = await soon(events.next(), 'the last event is decoded');
  assert.equal(three.value?.type, 'DELETED');
  assert.equal(three.value?.object.metadata?.resourceVersion, '8');
  assert.equal((await soon(events.next(), 'the stream ends')).done, true);
});

test('a watch answered with 410 rejects with the Expired ApiError', async (t) => {
  const { server } = await peer(t, [status(410, 'Expired', 'too old resource version: 5 (40)')]);
  const { rest } = client(t, { server });
  await assert.rejects(rest.watch({ path: '/api/v1/namespaces/ns/configmaps', query: { resourceVersion: '5' } }), (error) => isResourceExpired(error));
});

test('a watch that stays silent past watchIdleTimeoutMs ends with an error', async (t) => {
  const peerResponse = held();
  const { server } = await peer(t, [peerResponse.reply]);
  const { rest } = client(t, { server }, { watchIdleTimeoutMs: 200 });
  const stream = await rest.watch({ path: '/api/v1/namespaces/ns/configmaps' });
  const received: unknown[] = [];
  const reading = (async () => {
    for await (const event of stream) received.push(event);
  })();
  await assert.rejects(soon(reading, 'the silent watch ends'), (error) => error instanceof WatchIdleError);
  assert.deepEqual(received, []);
});
