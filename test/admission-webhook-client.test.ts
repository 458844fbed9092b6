/**
 * The webhook client's connections (src/apiserver/admission/webhook-client.ts) against a real HTTPS
 * server: calls to the same webhook reuse one kept-alive connection, agents are cached per caBundle
 * within a bound and destroyed when evicted, and redirects are still never followed.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AgentPool, httpsTransportFor } from '../src/apiserver/admission/webhook-client.js';
import { makeTestCertificates } from './support/tls.js';

let server: Server;
let base: string;
/** The CA's PEM, as a parsed clientConfig.caBundle holds it. */
let ca: string;
let connections = 0;

function answer(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  req.on('end', () => {
    if ((req.url ?? '').startsWith('/redirect')) {
      res.writeHead(302, { Location: '/ok' });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  });
}

before(async () => {
  const certs = makeTestCertificates();
  ca = certs.ca;
  server = createServer({ cert: certs.cert, key: certs.key, keepAliveTimeout: 60_000 }, answer);
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the webhook client', () => {
  test('calls to the same webhook reuse one kept-alive TLS connection', async () => {
    const agents = new AgentPool();
    const transport = httpsTransportFor({ agents });
    const before = connections;
    try {
      for (let i = 0; i < 5; i++) assert.deepEqual(await transport({ url: `${base}/ok`, service: undefined, caBundle: ca }, '{}', 10), { ok: true });
      assert.equal(connections - before, 1);
    } finally {
      agents.destroy();
    }
  });

  test('agents are kept per caBundle up to the bound, the least recently used destroyed first', async () => {
    const agents = new AgentPool(2);
    const first = agents.get('a');
    agents.get('b');
    assert.equal(agents.get('a'), first);
    agents.get('c');
    assert.equal(agents.size, 2);
    assert.equal(agents.get('a'), first, 'a was used more recently than b');
    const second = agents.get('b');
    assert.notEqual(second, first);
    assert.equal(agents.size, 2);
    agents.destroy();
    assert.equal(agents.size, 0);
  });

  test('a redirect is still never followed', async () => {
    const agents = new AgentPool();
    try {
      await assert.rejects(httpsTransportFor({ agents })({ url: `${base}/redirect`, service: undefined, caBundle: ca }, '{}', 10), /302 \(a redirect, which is never followed\)/);
    } finally {
      agents.destroy();
    }
  });

  test('a server whose certificate the caBundle does not sign is refused', async () => {
    const other = makeTestCertificates();
    const agents = new AgentPool();
    try {
      await assert.rejects(httpsTransportFor({ agents })({ url: `${base}/ok`, service: undefined, caBundle: other.ca }, '{}', 10), /failed to call webhook: Post/);
    } finally {
      agents.destroy();
    }
  });
});
