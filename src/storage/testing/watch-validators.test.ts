import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeEvent, KeyValue, WatchEvent } from '../interface.js';
import { type WatcherRecord, validateWatchers } from './watch-validators.js';

const kv = (key: string, value: string, revision: number, created = revision): KeyValue => ({
  key,
  value,
  createRevision: created,
  modRevision: revision,
});
const a1: ChangeEvent = { type: 'ADDED', revision: 1, kv: kv('/p/a', '1', 1) };
const b2: ChangeEvent = { type: 'ADDED', revision: 2, kv: kv('/p/b', '1', 2) };
const a3: ChangeEvent = { type: 'MODIFIED', revision: 3, kv: kv('/p/a', '2', 3, 1), prev: kv('/p/a', '1', 1) };
const b4: ChangeEvent = { type: 'DELETED', revision: 4, key: '/p/b', prev: kv('/p/b', '1', 2) };

const record = (name: string, batches: (readonly WatchEvent[])[], from = 0): WatcherRecord => ({
  name,
  from,
  prefix: '/p/',
  batches,
});
const good = record('good', [[a1, b2], [a3], [{ type: 'BOOKMARK', revision: 3 }], [b4]]);

test('correct recordings pass every validator', () => {
  assert.deepEqual(validateWatchers([good, record('late', [[a3, b4]], 2)], 4), []);
});

test('each broken guarantee is reported', () => {
  const cases: [string, WatcherRecord[], RegExp][] = [
    ['ordered', [good, record('w', [[a1, a3, b2, b4]])], /out of order/],
    ['unique', [good, record('w', [[a1, b2, b2, a3, b4]])], /duplicate/],
    ['bookmarkable', [good, record('w', [[a1], [{ type: 'BOOKMARK', revision: 3 }], [b2, a3, b4]])], /after a bookmark/],
    ['reliable', [good, record('w', [[a1, a3, b4]])], /history has ADDED \/p\/b@2/],
    ['resumable', [good, record('w', [[b2, a3, b4]], 2)], /at or before the watch start/],
    ['consistent', [good, record('w', [[a1, { ...b2, kv: kv('/p/b', 'other', 2) }, a3, b4]])], /disagree/],
  ];
  for (const [guarantee, records, expected] of cases) {
    const violations = validateWatchers(records, 4);
    assert.ok(violations.some((v) => expected.test(v)), `${guarantee}: ${violations.join('; ') || 'no violation reported'}`);
  }
});

test('a revision split across batches breaks atomicity', () => {
  const c4: ChangeEvent = { type: 'ADDED', revision: 4, kv: kv('/p/c', '1', 4) };
  const violations = validateWatchers([record('w', [[a1, b2, a3, b4], [c4]])], 4);
  assert.ok(violations.some((v) => /split across batches/.test(v)), violations.join('; '));
});

test('an acknowledged write that no watcher saw is reported', () => {
  const violations = validateWatchers([good], 4, [{ type: 'ADDED', key: '/p/z', revision: 5, value: 'x' }]);
  assert.ok(violations.some((v) => /never reached any watcher/.test(v)), violations.join('; '));
});
