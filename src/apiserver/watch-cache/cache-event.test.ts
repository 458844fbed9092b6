import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CacheEvent, addedLine } from './cache-event.js';
import { fromObject } from './cached-object.js';

const noFields = (): Record<string, string> => ({});

test('a watch line is the event as JSON and a newline in UTF-8, non-ASCII text included, built once', () => {
  const object = fromObject('/pods/ns/p', { kind: 'Pod', metadata: { name: 'p', annotations: { note: 'été ☃ 🚀', odd: '\ud800' } } }, 7, noFields);
  const event = new CacheEvent('MODIFIED', 7, object, object, noFields);
  const encoder = new TextEncoder();
  assert.deepEqual(event.line('MODIFIED'), encoder.encode(`{"type":"MODIFIED","object":${object.json}}\n`));
  assert.deepEqual(event.line('DELETED'), encoder.encode(`{"type":"DELETED","object":${event.objectFor('DELETED').json}}\n`));
  assert.deepEqual(addedLine(object), encoder.encode(`{"type":"ADDED","object":${object.json}}\n`));
  assert.equal(event.line('MODIFIED'), event.line('MODIFIED'));
});
