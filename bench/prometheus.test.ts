import assert from 'node:assert/strict';
import { it } from 'node:test';
import { bucketsBetween, histogramBuckets, histogramQuantile, observations } from './prometheus.js';

const scrape = (fast: number, slow: number): string =>
  [
    '# TYPE apiserver_request_duration_seconds histogram',
    `apiserver_request_duration_seconds_bucket{verb="CREATE",group="",resource="pods",le="0.1"} ${fast}`,
    `apiserver_request_duration_seconds_bucket{verb="CREATE",group="",resource="pods",le="1"} ${fast + slow}`,
    `apiserver_request_duration_seconds_bucket{verb="CREATE",group="",resource="pods",le="+Inf"} ${fast + slow}`,
    'apiserver_request_duration_seconds_bucket{verb="GET",group="",resource="pods",le="0.1"} 1000',
    'apiserver_request_duration_seconds_bucket{verb="GET",group="",resource="pods",le="1"} 1000',
    'apiserver_request_duration_seconds_bucket{verb="GET",group="",resource="pods",le="+Inf"} 1000',
  ].join('\n');

const creates = (labels: ReadonlyMap<string, string>): boolean => labels.get('verb') === 'CREATE';

it('sums the selected series only, and subtracts an earlier scrape bucket by bucket', () => {
  const between = bucketsBetween(histogramBuckets(scrape(10, 0), 'apiserver_request_duration_seconds', creates), histogramBuckets(scrape(100, 10), 'apiserver_request_duration_seconds', creates));
  assert.deepEqual([...between], [
    [0.1, 90],
    [1, 100],
    [Number.POSITIVE_INFINITY, 100],
  ]);
  assert.equal(observations(between), 100);
});

it('interpolates a quantile within its bucket as histogram_quantile does', () => {
  const buckets = histogramBuckets(scrape(90, 10), 'apiserver_request_duration_seconds', creates);
  assert.equal(histogramQuantile(buckets, 0.5), (0.1 * 50) / 90);
  assert.equal(histogramQuantile(buckets, 0.99), 0.1 + (0.9 * 9) / 10);
  assert.ok(Number.isNaN(histogramQuantile(new Map(), 0.99)), 'no observations, no quantile');
});
