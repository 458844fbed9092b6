/**
 * @module
 * Tests of warnings.ts: the Warning headers a request's warnings become (upstream's
 * filters/warning_test.go cases, with the limits shrunk the same way), and that respond.ts sends
 * them so that a client reads the UTF-8 text back.
 */
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { sendObject } from './respond.js';
import { TRUNCATE_AT_TOTAL_RUNES, warningHeaders } from './warnings.js';

const utf8 = (header: string): string => Buffer.from(header, 'latin1').toString('utf8');

describe('warningHeaders', () => {
  it('repeats no warning and drops empty ones', () => {
    assert.deepEqual(warningHeaders(['a', '', 'b', 'a']), ['299 - "a"', '299 - "b"']);
  });

  it('escapes quotes and backslashes as upstream quotes text', () => {
    assert.deepEqual(warningHeaders(['unknown field "x\\y"']), ['299 - "unknown field \\"x\\\\y\\""']);
  });

  it('drops a warning with a control character, as NewWarningHeader refuses it', () => {
    assert.deepEqual(warningHeaders(['my\ntext', 'ok', 'tab\there']), ['299 - "ok"']);
  });

  it('truncates earlier and later warnings once the total passes the limit, then drops the rest', () => {
    const limits = { totalRunes: 25, itemRunes: 5 };
    const headers = warningHeaders(['aaaaaaaaaa', 'aaaaaaaaaa', 'bb', 'ccc', 'Iñtërnâtiô', 'e', 'ffffffffff', 'ffffffffff', 'gggggggggg', 'h'], limits).map(utf8);
    assert.deepEqual(headers, ['299 - "aaaaa"', '299 - "bb"', '299 - "ccc"', '299 - "Iñtër"', '299 - "e"', '299 - "fffff"', '299 - "ggggg"']);
  });

  it('keeps warnings within the limit whole', () => {
    const limits = { totalRunes: 25, itemRunes: 5 };
    assert.deepEqual(warningHeaders(['aaaaaaaaaa', 'bb', 'ccc'], limits), ['299 - "aaaaaaaaaa"', '299 - "bb"', '299 - "ccc"']);
  });

  it('bounds 2,000 warnings of 1 kB to a few kilobytes of headers', () => {
    const warnings = Array.from({ length: 2000 }, (_, i) => `${i} ${'x'.repeat(1000)}`);
    const total = warningHeaders(warnings).reduce((sum, header) => sum + header.length, 0);
    assert.ok(total < TRUNCATE_AT_TOTAL_RUNES + 256 + 20 * 16, `headers of ${total} bytes`);
  });

  it('sends non-Latin-1 text as UTF-8 bytes that Node accepts and a client decodes, beside a body', async () => {
    const server = createServer((_req, res) => sendObject(res, 200, { note: 'ünïcode body' }, 'json', ['price in €', 'checked ✓']));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const received = await new Promise<string[]>((resolve, reject) => {
        request({ host: '127.0.0.1', port, method: 'GET' }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            assert.deepEqual(JSON.parse(Buffer.concat(chunks).toString('utf8')), { note: 'ünïcode body' });
            const raw: string[] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i]?.toLowerCase() === 'warning') raw.push(res.rawHeaders[i + 1] ?? '');
            resolve(raw);
          });
        })
          .on('error', reject)
          .end();
      });
      assert.deepEqual(received.map(utf8), ['299 - "price in €"', '299 - "checked ✓"']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
