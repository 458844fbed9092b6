/**
 * @module
 * Reading the API server's /metrics as Prometheus would: histogram buckets summed over the series a
 * caller selects, the difference between two scrapes (what happened in between), and a quantile
 * interpolated within its bucket as PromQL's histogram_quantile does.
 */

/** Cumulative counts by upper bound (seconds), +Inf last. */
export type Buckets = ReadonlyMap<number, number>;

const BUCKET_LINE = /^(\w+)_bucket\{(.*)\} (\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/;

/** The buckets of histogram `name`, summed over the series whose labels `select` accepts. */
export function histogramBuckets(text: string, name: string, select: (labels: ReadonlyMap<string, string>) => boolean): Buckets {
  const sums = new Map<number, number>();
  for (const line of text.split('\n')) {
    const match = BUCKET_LINE.exec(line);
    if (match === null || match[1] !== name) continue;
    const labels = parseLabels(match[2] ?? '');
    const le = labels.get('le');
    if (le === undefined || !select(labels)) continue;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    sums.set(bound, (sums.get(bound) ?? 0) + Number(match[3]));
  }
  return new Map([...sums].sort((a, b) => a[0] - b[0]));
}

/** The observations between two scrapes: `after` − `before`, bucket by bucket. */
export function bucketsBetween(before: Buckets, after: Buckets): Buckets {
  return new Map([...after].map(([bound, count]) => [bound, count - (before.get(bound) ?? 0)]));
}

/** The total number of observations. */
export function observations(buckets: Buckets): number {
  return buckets.get(Number.POSITIVE_INFINITY) ?? 0;
}

/**
 * The `q` quantile (0–1) in seconds, interpolated linearly within the bucket it falls in, as
 * PromQL's histogram_quantile; NaN when there are no observations. A quantile in the +Inf bucket
 * is the highest finite bound.
 */
export function histogramQuantile(buckets: Buckets, q: number): number {
  const total = observations(buckets);
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return lowerBound;
      if (count === lowerCount) return bound;
      return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

function parseLabels(text: string): Map<string, string> {
  const labels = new Map<string, string>();
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels.set(match[1] ?? '', match[2] ?? '');
  return labels;
}
