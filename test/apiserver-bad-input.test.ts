/**
 * Bad input gets a clear Status and loses nothing (../shared/reference/reliability.md §6, items
 * 16–21), on every backend: oversized and lying bodies, malformed and hostile JSON and YAML, names,
 * labels and annotations at and over their limits, strict field validation, and hostile selectors
 * and URLs. After each, the server still answers.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { HttpResponse } from '../src/testing/http-client.js';
import { BACKENDS, type RunningApi, releaseTestEtcd, startApi } from './support/api-harness.js';

after(() => releaseTestEtcd());

type Obj = Record<string, unknown>;
const MiB = 1024 * 1024;

function status(response: HttpResponse, code: number, reason?: string): Obj {
  assert.equal(response.status, code, `expected ${code}, got ${response.status}: ${response.text.slice(0, 300)}`);
  const body = response.json as Obj;
  assert.equal(body?.kind, 'Status', response.text.slice(0, 300));
  if (reason !== undefined) assert.equal(body.reason, reason);
  return body;
}

function causeFields(body: Obj): string[] {
  return (((body.details as Obj | undefined)?.causes as { field?: string }[] | undefined) ?? []).map((c) => c.field ?? '');
}

/** Sends raw bytes on a fresh connection and returns the first line of the answer (or "closed"). */
function rawExchange(port: number, bytes: string | Buffer, waitMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer === '' ? 'no answer' : answer.split('\r\n')[0] ?? '');
    }, waitMs);
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer === '' ? 'closed' : answer.split('\r\n')[0] ?? '');
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

const cm = (name: string, extra: Obj = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...extra });

for (const backend of BACKENDS) {
  describe(`API server under bad input (${backend})`, () => {
    let api: RunningApi;
    let port: number;
    before(async () => {
      api = await startApi(backend, { requestTimeoutMs: 3000 });
      port = Number(new URL(api.url).port);
    });
    after(() => api.close());

    it('bodies over 3 MiB are 413, whether declared, chunked or YAML', async () => {
      const big = JSON.stringify(cm('big', { data: { a: 'x'.repeat(3 * MiB) } }));
      status(await api.client.request('POST', '/api/v1/namespaces/default/configmaps', { raw: big }), 413, 'RequestEntityTooLarge');
      status(
        await api.client.request('POST', '/api/v1/namespaces/default/configmaps', { raw: `kind: ConfigMap\napiVersion: v1\nmetadata: {name: y}\ndata: {a: ${'x'.repeat(3 * MiB)}}`, contentType: 'application/yaml' }),
        413,
        'RequestEntityTooLarge',
      );
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${api.url}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        for (let i = 0; i < 4; i++) req.write('x'.repeat(MiB));
        req.end();
      }).catch(() => 413);
      assert.equal(chunked, 413);
      assert.equal((await api.client.get('/healthz')).status, 200);
    });

    it('an object over the storage limit (1.5 MiB) is refused and nothing is stored', async () => {
      const response = await api.client.post('/api/v1/namespaces/default/configmaps', cm('toolarge', { data: { a: 'x'.repeat(2 * MiB) } }));
      assert.ok(response.status === 413 || response.status === 422, response.text.slice(0, 200));
      status(await api.client.get('/api/v1/namespaces/default/configmaps/toolarge'), 404, 'NotFound');
    });

    it('a JSON patch of more than 10,000 operations is 413', async () => {
      await api.client.post('/api/v1/namespaces/default/configmaps', cm('patched', { data: { a: '1' } }));
      const ops = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/data/a', value: '1' }));
      status(await api.client.patch('/api/v1/namespaces/default/configmaps/patched', ops, 'application/json-patch+json'), 413, 'RequestEntityTooLarge');
    });

    it('a body shorter than its Content-Length times out, one longer is a malformed next request', async () => {
      const short = await rawExchange(
        port,
        'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"a":1}',
        5000,
      );
      assert.match(short, /HTTP\/1\.1 (504|408|400)|closed|no answer/);
      const long = await rawExchange(
        port,
        'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}garbage-that-is-not-http\r\n\r\n',
      );
      assert.match(long, /HTTP\/1\.1 (400|422)/);
      assert.equal((await api.client.get('/healthz')).status, 200);
    });

    it('malformed and hostile JSON and YAML are 400 (or 415 for formats we do not take)', async () => {
      const post = (raw: string | Buffer, contentType = 'application/json') =>
        api.client.request('POST', '/api/v1/namespaces/default/configmaps', { raw, contentType });
      status(await post('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"t"'), 400, 'BadRequest');
      status(await post(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), 400, 'BadRequest');
      status(await post('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n"},"data":NaN}'), 400, 'BadRequest');
      status(await post('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"n","generation":1e400}}'), 400, 'BadRequest');
      status(await post(`${'['.repeat(10_001)}${']'.repeat(10_001)}`), 400, 'BadRequest');
      const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h'].entries()) {
        const prev = String.fromCharCode(97 + i);
        bomb.push(`${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
      }
      status(await post(bomb.join('\n'), 'application/yaml'), 400, 'BadRequest');
      status(await post('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\n', 'application/yaml'), 400);
      // Protobuf is taken for built-in kinds; bytes that are not a valid message are a 400.
      status(await post('k8s\0binary', 'application/vnd.kubernetes.protobuf'), 400, 'BadRequest');
      status(await post('binary', 'application/vnd.kubernetes.protobuf'), 400, 'BadRequest');
      status(await post('\xa1', 'application/cbor'), 415, 'UnsupportedMediaType');
      const yaml = await post('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: "1"\n', 'application/yaml');
      assert.equal(yaml.status, 201, yaml.text);
      assert.equal((await api.client.get('/healthz')).status, 200);
    });

    it('names, labels and annotations over their limits are 422 naming the field; values at the limits are accepted', async () => {
      const post = (body: Obj) => api.client.post('/api/v1/namespaces/default/configmaps', body);
      for (const name of ['Upper', 'x'.repeat(254), '-lead', 'trail.', 'a_b', 'кириллица', 'a/b', '.', '..']) {
        const body = status(await post(cm(name)), 422, 'Invalid');
        assert.deepEqual(causeFields(body).filter((f) => f === 'metadata.name'), ['metadata.name'], name);
      }
      status(await post({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), 422, 'Invalid');
      const longNamespace = status(await api.client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n'.repeat(64) } }), 422, 'Invalid');
      assert.ok(causeFields(longNamespace).includes('metadata.name'));
      const longPrefix = status(await post(cm('lp', { metadata: { name: 'lp', labels: { [`${'p'.repeat(254)}/k`]: 'v' } } })), 422, 'Invalid');
      assert.ok(causeFields(longPrefix).includes('metadata.labels'));
      const longValue = status(await post(cm('lv', { metadata: { name: 'lv', labels: { k: 'v'.repeat(64) } } })), 422, 'Invalid');
      assert.ok(causeFields(longValue).includes('metadata.labels'));
      const annotations = { big: 'x'.repeat(256 * 1024 - 3 + 1) };
      const tooMuch = status(await post(cm('an', { metadata: { name: 'an', annotations } })), 422, 'Invalid');
      assert.ok(causeFields(tooMuch).includes('metadata.annotations'));
      assert.equal((await post(cm('x'.repeat(253)))).status, 201);
      assert.equal((await post(cm('lv-ok', { metadata: { name: 'lv-ok', labels: { k: 'v'.repeat(63) } } }))).status, 201);
      assert.equal((await post(cm('an-ok', { metadata: { name: 'an-ok', annotations: { big: 'x'.repeat(256 * 1024 - 3) } } }))).status, 201);
      status(await api.client.get('/api/v1/namespaces/default/configmaps/a%2Fb'), 400, 'BadRequest');
      // A client would resolve "..", so send it raw: the server must not.
      assert.match(await rawExchange(port, 'GET /api/v1/namespaces/default/configmaps/.. HTTP/1.1\r\nHost: x\r\n\r\n'), /HTTP\/1\.1 400/);
      assert.match(await rawExchange(port, 'GET /api/v1/namespaces/default/configmaps/%2e%2e HTTP/1.1\r\nHost: x\r\n\r\n'), /HTTP\/1\.1 400/);
    });

    it('fieldValidation: Strict refuses unknown and duplicate fields, Warn reports them, Ignore drops them', async () => {
      const raw = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fv"},"data":{"a":"1"},"data":{"a":"2"},"bogus":true}';
      const strict = status(
        await api.client.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { raw }),
        400,
        'BadRequest',
      );
      assert.equal(
        strict.message,
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data", unknown field "bogus"',
      );
      const warn = await api.client.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', { raw });
      assert.equal(warn.status, 201, warn.text);
      const warnings = ([] as string[]).concat(warn.headers.warning ?? []).join('\n');
      assert.match(warnings, /299 - "unknown field \\"bogus\\""/);
      assert.match(warnings, /duplicate field \\"data\\"/);
      assert.equal((warn.json as Obj).bogus, undefined);
      assert.deepEqual((warn.json as Obj).data, { a: '2' }, 'the last duplicate wins');
      const ignore = await api.client.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore', {
        raw: raw.replace('"fv"', '"fv2"'),
      });
      assert.equal(ignore.status, 201);
      assert.equal(ignore.headers.warning, undefined);
      status(await api.client.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Sometimes', { raw }), 400, 'BadRequest');
      const wrongType = status(await api.client.post('/api/v1/namespaces/default/configmaps', cm('wt', { data: { a: 1 } })), 400, 'BadRequest');
      assert.match(String(wrongType.message), /cannot unmarshal number into Go struct field ConfigMap\.data\.a of type string/);
    });

    it('hostile selectors and URLs get 400 or 431 quickly and the server goes on', async () => {
      const many = Array.from({ length: 10_000 }, (_, i) => `k${i}=v`).join(',');
      const response = await api.client.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('sel') });
      assert.ok(response.status === 201 || response.status === 409);
      const manyRequirements = await api.client.get(`/api/v1/namespaces/default/configmaps?labelSelector=${encodeURIComponent(many.slice(0, 60_000))}`);
      assert.ok(manyRequirements.status === 200 || manyRequirements.status === 400 || manyRequirements.status === 431, String(manyRequirements.status));
      const huge = await rawExchange(port, `GET /api/v1/namespaces/default/configmaps?labelSelector=${'a'.repeat(MiB)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(huge, /HTTP\/1\.1 431|closed/);
      status(await api.client.get('/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(b'), 400, 'BadRequest');
      status(await api.client.get('/api/v1/namespaces/default/configmaps?labelSelector=b%40d%3Dx'), 400, 'BadRequest');
      status(await api.client.get('/api/v1/namespaces/default/configmaps?fieldSelector=data.a%3Dx'), 400, 'BadRequest');
      const longUrl = await rawExchange(port, `GET /api/v1/${'x'.repeat(100 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(longUrl, /HTTP\/1\.1 (431|414|404)|closed/);
      assert.equal((await api.client.get('/healthz')).status, 200);
    });
  });
}
