/**
 * @module
 * Times as the API writes them: metav1.Time (RFC 3339 in UTC, whole seconds, e.g.
 * 2026-11-25T21:41:23Z) and metav1.MicroTime (six fractional digits). Every object a controller or
 * the server writes carries a few of these, so formatTime keeps the last second it formatted.
 */

let lastSecond = Number.NaN;
let lastText = '';

/** metav1.Time: the instant `ms` (milliseconds since the epoch) truncated to its second. */
export function formatTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}

/** metav1.MicroTime: RFC 3339 with six fractional digits (the last three always zero here). */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
