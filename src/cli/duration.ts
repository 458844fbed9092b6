/**
 * @module
 * Durations on the command line as Kubernetes components take them (Go's time.ParseDuration, which
 * kube-controller-manager's `--node-monitor-grace-period 50s` and `--leader-elect-lease-duration 15s`
 * use): a sequence of decimal numbers each with a unit, `500ms`, `5s`, `1m30s`, `1.5h`. Units are
 * `ms`, `s`, `m` and `h` (Go's `ns` and `us` are below what kubelite's timers resolve, so not taken).
 */

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ms|s|m|h)/y;

/** The duration `text` in milliseconds, or undefined when it is not a duration ("0" is zero, as in Go). */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (text === '') return undefined;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) return undefined;
    const [, amount = '', unit = ''] = match;
    const scale = UNIT_MS[unit];
    if (scale === undefined) return undefined;
    total += Number(amount) * scale;
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * The value of a duration flag in milliseconds, at least `minMs`; throws an error naming the flag,
 * an example, and what was given.
 */
export function durationFlag(flag: string, text: string, example: string, minMs = 1): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`${flag} must be a duration like ${example}, got ${JSON.stringify(text)}`);
  if (ms < minMs) throw new Error(`${flag} must be at least ${minMs} ms, got ${JSON.stringify(text)}`);
  return ms;
}

/** A delay of at least `minMs`, and up to `maxMs` when given (kwok's duration and jitter). */
export interface DelayRange {
  readonly minMs: number;
  readonly maxMs?: number;
}

/**
 * A delay flag: one duration (`500ms`), or a range of two (`500ms-1.5s`) from which each delay is
 * drawn uniformly. Throws an error naming the flag, an example, and what was given.
 */
export function delayRangeFlag(flag: string, text: string, example: string): DelayRange {
  const parts = text.split('-');
  const durations = parts.map(parseDuration);
  const [minMs, maxMs] = durations;
  if (parts.length > 2 || minMs === undefined || (parts.length === 2 && maxMs === undefined)) {
    throw new Error(`${flag} must be a duration or a range of two like ${example}, got ${JSON.stringify(text)}`);
  }
  if (maxMs === undefined) return { minMs };
  if (maxMs < minMs) throw new Error(`${flag}: the range's end must not be below its start, got ${JSON.stringify(text)}`);
  return { minMs, maxMs };
}
