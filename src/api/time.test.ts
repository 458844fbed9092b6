import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMicroTime, formatTime } from './time.js';

test('formatTime writes RFC 3339 in UTC, truncated to the second', () => {
  const ms = Date.UTC(2026, 10, 25, 21, 41, 23, 987);
  assert.equal(formatTime(ms), '2026-11-25T21:41:23Z');
});

test('formatTime gives each second its own text, in whatever order seconds come', () => {
  const base = Date.UTC(2026, 0, 1, 0, 0, 0);
  assert.equal(formatTime(base + 999), '2026-01-01T00:00:00Z');
  assert.equal(formatTime(base + 1000), '2026-01-01T00:00:01Z');
  assert.equal(formatTime(base + 1999), '2026-01-01T00:00:01Z');
  assert.equal(formatTime(base - 1), '2025-12-31T23:59:59Z');
  assert.equal(formatTime(base + 1000), '2026-01-01T00:00:01Z');
});

test('formatTime keeps the sign and width of years past 9999', () => {
  assert.equal(formatTime(Date.UTC(10000, 0, 1, 0, 0, 1, 500)), '+010000-01-01T00:00:01Z');
});

test('formatMicroTime writes six fractional digits', () => {
  assert.equal(formatMicroTime(Date.UTC(2026, 10, 25, 21, 41, 23, 45)), '2026-11-25T21:41:23.045000Z');
});
