/**
 * The request channel's two ends (api/transport.ts) over a real MessageChannel, with handlers that
 * stand in for the API server's: answers whole and streamed, a reader that stops reading holds the
 * server's writes back until it reads again, and a cancel, an abort, a reset or a closed port each
 * end a request on both sides. The client over a real server is in client-transports.test.ts.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { ChannelServer, HIGH_WATER_BYTES } from '../src/apiserver/http/channel-server.js';
import type { ServerReply, ServerRequest } from '../src/apiserver/http/exchange.js';
import { readBody } from '../src/apiserver/http/body.js';
import { StatusError } from '../src/api/status.js';
import { ACK_BYTES, ChannelClient, ChannelClosedError } from '../src/client/rest/channel-client.js';
import { KubeClient } from '../src/client/kube-client.js';
import { until } from './support/eventually.js';

type Handler = (request: ServerRequest, reply: ServerReply) => void;

function channel(handler: Handler): { client: ChannelClient; server: ChannelServer } {
  const { port1, port2 } = new MessageChannel();
  const server = new ChannelServer(port1, handler);
  const client = new ChannelClient(port2);
  return { client, server };
}

async function text(stream: AsyncIterable<unknown>): Promise<string> {
  let result = '';
  for await (const chunk of stream) result += String(chunk);
  return result;
}

const get = { method: 'GET', target: '/x', headers: {}, body: undefined } as const;

test('a request arrives with its method, target, headers and body, and its answer comes back whole', async () => {
  const { client, server } = channel((request, reply) => {
    void readBody(request).then((body) => {
      reply.setHeader('X-Seen', `${request.method} ${request.url} ${request.headers['content-type']}`);
      reply.writeHead(201, { 'Content-Type': 'application/json' });
      reply.end(`{"echo":${body.toString('utf8')}}`);
    });
  });
  const { response } = await client.send({ method: 'POST', target: '/api/v1/pods?dryRun=All', headers: { 'content-type': 'application/json' }, body: '{"a":"é"}' });
  assert.equal(response.statusCode, 201);
  assert.equal(response.headers['x-seen'], 'POST /api/v1/pods?dryRun=All application/json');
  assert.equal(response.headers['content-type'], 'application/json');
  assert.equal(await text(response), '{"echo":{"a":"é"}}');
  client.close();
  server.close();
});

test('an answer that comes whole with its head is readable without a stream; a streamed one is not whole', async () => {
  const { client, server } = channel((request, reply) => {
    if (request.url === '/whole') {
      reply.writeHead(200, { 'Content-Type': 'application/json' });
      reply.end('{"kind":"Pod"}');
      return;
    }
    reply.writeHead(200);
    reply.flushHeaders();
    reply.end('later');
  });
  const whole = await client.send({ ...get, target: '/whole' });
  assert.equal(whole.whole?.statusCode, 200);
  assert.equal(whole.whole?.headers['content-type'], 'application/json');
  assert.equal(whole.whole?.body, '{"kind":"Pod"}', 'text written as text arrives as text');
  assert.equal(await text(whole.response), '{"kind":"Pod"}', 'its stream, asked for, holds the same body');
  const streamed = await client.send({ ...get, target: '/streamed' });
  assert.equal(streamed.whole, undefined);
  assert.equal(await text(streamed.response), 'later');
  client.close();
  server.close();
});

test('a body sent as text is read as that text, and one over the limit is refused with 413 all the same', async () => {
  const bodies: string[] = [];
  const { client, server } = channel((request, reply) => {
    readBody(request, 8).then(
      (body) => {
        bodies.push(typeof body === 'string' ? `text ${body}` : 'bytes');
        reply.end('ok');
      },
      (error: unknown) => {
        reply.statusCode = error instanceof StatusError ? error.code : 500;
        reply.end();
      },
    );
  });
  const small = await client.send({ ...get, method: 'POST', body: '{"é":1}' });
  assert.equal(small.whole?.statusCode, 200);
  const large = await client.send({ ...get, method: 'POST', body: '{"éé":1}' });
  assert.equal(large.whole?.statusCode, 413, 'the limit counts UTF-8 bytes, not characters');
  assert.deepEqual(bodies, ['text {"é":1}']);
  client.close();
  server.close();
});

test("the server's 'close' follows the end of each answer, as node:http's does", async () => {
  let closed = 0;
  const { client, server } = channel((_request, reply) => {
    reply.once('close', () => closed++);
    reply.end('done');
  });
  const { response } = await client.send(get);
  assert.equal(await text(response), 'done');
  await until(() => closed === 1, "the reply's close");
  client.close();
  server.close();
});

test('a streamed answer comes as a head first, then each chunk as it is written', async () => {
  let reply: ServerReply | undefined;
  const { client, server } = channel((_request, r) => {
    reply = r;
    r.writeHead(200, { 'Transfer-Encoding': 'chunked' });
    r.flushHeaders();
  });
  const { response } = await client.send(get);
  assert.equal(response.statusCode, 200);
  const chunks: string[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  reply?.write('one\n');
  reply?.write(new TextEncoder().encode('two\n'));
  reply?.end();
  await once(response, 'end');
  assert.deepEqual(chunks, ['one\n', 'two\n']);
  client.close();
  server.close();
});

test("a reader that stops reading holds the server's writes back, and reading again drains them", async () => {
  let reply: ServerReply | undefined;
  const { client, server } = channel((_request, r) => {
    reply = r;
    r.writeHead(200);
    r.flushHeaders();
  });
  const { response } = await client.send(get);
  response.pause();
  const chunk = 'x'.repeat(64 * 1024);
  let accepted = 0;
  while (reply?.write(chunk) === true) accepted++;
  assert.equal(accepted, HIGH_WATER_BYTES / chunk.length - 1, 'writes report a full buffer once a high-water mark is unacknowledged');
  let drained = false;
  reply?.once('drain', () => {
    drained = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(drained, false, 'no drain while the reader does not read');
  let read = 0;
  response.on('data', (data: Buffer) => {
    read += data.length;
  });
  response.resume();
  await until(() => drained, 'a drain');
  assert.ok(read >= HIGH_WATER_BYTES - ACK_BYTES);
  client.close();
  server.close();
});

test('destroying the answer on the client ends the request on the server', async () => {
  let requestClosed = false;
  let replyClosed = false;
  let reply: ServerReply | undefined;
  const { client, server } = channel((request, r) => {
    reply = r;
    request.once('close', () => {
      requestClosed = true;
    });
    r.once('close', () => {
      replyClosed = true;
    });
    r.writeHead(200);
    r.flushHeaders();
  });
  const { response } = await client.send(get);
  response.destroy();
  await until(() => requestClosed && replyClosed, 'both ends closed');
  assert.equal(reply?.destroyed, true);
  assert.equal(reply?.write('late'), false, 'a write after the client left goes nowhere');
  client.close();
  server.close();
});

test('an aborted request fails with AbortError on the client and is closed on the server', async () => {
  let requestClosed = false;
  const { client, server } = channel((request) => {
    request.once('close', () => {
      requestClosed = true;
    });
  });
  const abort = new AbortController();
  const sent = client.send({ ...get, signal: abort.signal });
  await new Promise((resolve) => setTimeout(resolve, 10));
  abort.abort();
  await assert.rejects(sent, { name: 'AbortError' });
  await until(() => requestClosed, 'the request closed');
  client.close();
  server.close();
});

test('a request not answered in time fails with the error asked for', async () => {
  const { client, server } = channel(() => undefined);
  await assert.rejects(client.send({ ...get, timeoutMs: 20, timeoutError: () => new Error('no answer in time') }), /no answer in time/);
  client.close();
  server.close();
});

test('a server that drops an answer midway breaks the client stream with an error', async () => {
  let reply: ServerReply | undefined;
  const { client, server } = channel((_request, r) => {
    reply = r;
    r.writeHead(200);
    r.write('partial');
  });
  const { response } = await client.send(get);
  const reading = text(response);
  reply?.destroy();
  await assert.rejects(reading, /the server dropped the answer/);
  client.close();
  server.close();
});

test('a closed port fails the requests under way and every later one', async () => {
  const { client, server } = channel(() => undefined);
  const waiting = client.send(get);
  server.close();
  await assert.rejects(waiting, /request channel to the API server closed/);
  await assert.rejects(client.send(get), /closed/);
  client.close();
});

test("the server's request body flows to a reader that listens after a turn, and resume() reads past it", async () => {
  const { client, server } = channel((request, reply) => {
    setTimeout(() => {
      void readBody(request).then((body) => reply.end(String(body.length)));
    }, 10);
  });
  const { response } = await client.send({ method: 'POST', target: '/x', headers: {}, body: new Uint8Array([1, 2, 3]) });
  assert.equal(await text(response), '3');
  client.close();
  server.close();
});

test('closing the client breaks off answers still arriving; one that nobody reads yet ends quietly', async () => {
  const { client, server } = channel((_request, reply) => {
    reply.writeHead(200);
    reply.write('partial');
  });
  const read = await client.send(get);
  const held = await client.send(get);
  const reading = text(read.response);
  // Listening for 'close' only (events.once would listen for 'error' too).
  const heldClosed = new Promise((resolve) => held.response.on('close', resolve));
  client.close();
  await assert.rejects(reading, ChannelClosedError);
  await heldClosed;
  server.close();
});

test('a REST client over a closed channel fails at once instead of retrying its reads', async () => {
  const { port1, port2 } = new MessageChannel();
  const client = KubeClient.overChannel(port2, { retryBackoffMs: 60_000 });
  client.close();
  await assert.rejects(client.typed('v1/Namespace').list(), ChannelClosedError);
  port1.close();
});
