import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delayRangeFlag, durationFlag, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads seconds, milliseconds, minutes and hours, also combined and with fractions', () => {
    assert.equal(parseDuration('5s'), 5_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('1.5s'), 1_500);
    assert.equal(parseDuration('1h1m1s1ms'), 3_661_001);
    assert.equal(parseDuration('0'), 0);
  });

  it('gives undefined for text that is not a duration', () => {
    for (const text of ['', '5', 's', '5 s', '-5s', '5sec', '5d', '1m30', 'ms5', ' 5s', '5s ']) {
      assert.equal(parseDuration(text), undefined, JSON.stringify(text));
    }
  });
});

describe('durationFlag', () => {
  it('names the flag, an example and the text given when the text is not a duration', () => {
    assert.throws(() => durationFlag('--node-monitor-grace-period', 'soon', '40s'), {
      message: '--node-monitor-grace-period must be a duration like 40s, got "soon"',
    });
  });

  it('refuses a duration below the minimum and accepts one at it', () => {
    assert.throws(() => durationFlag('--leader-elect-retry-period', '0', '2s'), /--leader-elect-retry-period must be at least 1 ms, got "0"/);
    assert.equal(durationFlag('--leader-elect-retry-period', '1ms', '2s'), 1);
  });
});

describe('delayRangeFlag', () => {
  it('reads one duration as a fixed delay and two joined by a dash as a range', () => {
    assert.deepEqual(delayRangeFlag('--pod-ready-delay', '0', '500ms-1.5s'), { minMs: 0 });
    assert.deepEqual(delayRangeFlag('--pod-ready-delay', '2s', '500ms-1.5s'), { minMs: 2000 });
    assert.deepEqual(delayRangeFlag('--pod-ready-delay', '500ms-1.5s', '500ms-1.5s'), { minMs: 500, maxMs: 1500 });
    assert.deepEqual(delayRangeFlag('--pod-ready-delay', '1s-1s', '500ms-1.5s'), { minMs: 1000, maxMs: 1000 });
  });

  it('names the flag, an example and the text given when the text is not a delay', () => {
    for (const text of ['', 'soon', '1s-', '-1s', '1s-2s-3s', '1s-later']) {
      assert.throws(() => delayRangeFlag('--pod-ready-delay', text, '500ms-1.5s'), {
        message: `--pod-ready-delay must be a duration or a range of two like 500ms-1.5s, got ${JSON.stringify(text)}`,
      });
    }
  });

  it('refuses a range that ends below its start', () => {
    assert.throws(() => delayRangeFlag('--pod-ready-delay', '2s-1s', '500ms-1.5s'), /--pod-ready-delay: the range's end must not be below its start, got "2s-1s"/);
  });
});
