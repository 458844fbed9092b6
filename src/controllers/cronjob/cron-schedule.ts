/**
 * @module
 * Cron schedules as the CronJob controller reads them: robfig/cron v3's `ParseStandard` (which
 * upstream pkg/controller/cronjob/cronjob_controllerv2.go calls) and its `SpecSchedule.Next`.
 * Five fields — minute, hour, day of month, month, day of week — each a list of `*`, `?`, numbers,
 * names (`JAN`, `MON`), ranges `a-b` and steps `x/n`; or a descriptor (`@yearly`, `@annually`,
 * `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`, `@every <duration>`).
 *
 * As in robfig/cron, when both day fields are restricted (neither starts with `*` or `?`) a day
 * matches if either does; otherwise both must. Times are evaluated in an IANA zone (UTC by default)
 * through the runtime's Intl database.
 */

/** A parsed schedule: the first activation strictly after a time. */
export interface CronSchedule {
  /** The next activation after `afterMs` (epoch ms), whole seconds; undefined if none within five years. */
  next(afterMs: number): number | undefined;
}

export class CronParseError extends Error {
  override readonly name = 'CronParseError';
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: ReadonlyMap<string, number>;
}

const nameMap = (list: readonly string[], first: number): ReadonlyMap<string, number> => new Map(list.map((n, i) => [n, first + i]));

const MINUTE: Bounds = { min: 0, max: 59 };
const HOUR: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = { min: 1, max: 12, names: nameMap(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], 1) };
const DOW: Bounds = { min: 0, max: 6, names: nameMap(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 0) };

const DESCRIPTORS: ReadonlyMap<string, string> = new Map([
  ['@yearly', '0 0 1 1 *'],
  ['@annually', '0 0 1 1 *'],
  ['@monthly', '0 0 1 * *'],
  ['@weekly', '0 0 * * 0'],
  ['@daily', '0 0 * * *'],
  ['@midnight', '0 0 * * *'],
  ['@hourly', '0 * * * *'],
]);

/** One field: the values it allows, and whether it was written as `*` or `?` (robfig's starBit). */
export interface CronField {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

export interface SpecFields {
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dom: CronField;
  readonly month: CronField;
  readonly dow: CronField;
}

/**
 * Parses a standard schedule, evaluated in `timeZone` (an IANA name; default UTC). Throws a
 * {@link CronParseError} for a malformed schedule or unknown zone.
 */
export function parseCronSchedule(spec: string, timeZone = 'UTC'): CronSchedule {
  const trimmed = spec.trim();
  if (trimmed === '') throw new CronParseError('empty spec string');
  if (trimmed.startsWith('TZ=') || trimmed.startsWith('CRON_TZ=')) throw new CronParseError('TZ in the schedule is not supported, use spec.timeZone');
  if (!isKnownTimeZone(timeZone)) throw new CronParseError(`unknown time zone ${timeZone}`);
  if (trimmed.startsWith('@every ')) return everySchedule(parseGoDuration(trimmed.slice('@every '.length).trim()));
  const text = trimmed.startsWith('@') ? DESCRIPTORS.get(trimmed) : trimmed;
  if (text === undefined) throw new CronParseError(`unrecognized descriptor: ${trimmed}`);
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const parsed: SpecFields = {
    minute: parseField(minute, MINUTE),
    hour: parseField(hour, HOUR),
    dom: parseField(dom, DOM),
    month: parseField(month, MONTH),
    dow: parseField(dow, DOW),
  };
  return specSchedule(parsed, timeZone);
}

/** Whether the runtime knows the IANA zone `name`. */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** One comma-separated field (getField). */
export function parseField(field: string, bounds: Bounds): CronField {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',')) {
    const range = parseRange(expr, bounds);
    star ||= range.star;
    for (let v = range.start; v <= range.end; v += range.step) values.add(v);
  }
  return { values, star };
}

/** One range expression: `*`, `?`, `n`, `a-b`, each optionally `/step` (getRange). */
function parseRange(expr: string, bounds: Bounds): { start: number; end: number; step: number; star: boolean } {
  const [rangePart = '', stepPart, extra] = expr.split('/');
  if (extra !== undefined) throw new CronParseError(`too many slashes: ${expr}`);
  const [low = '', high, more] = rangePart.split('-');
  if (more !== undefined) throw new CronParseError(`too many hyphens: ${expr}`);
  let start: number;
  let end: number;
  let star = false;
  if (low === '*' || low === '?') {
    if (high !== undefined) throw new CronParseError(`too many hyphens: ${expr}`);
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseValue(low, bounds);
    end = high === undefined ? start : parseValue(high, bounds);
  }
  let step = 1;
  if (stepPart !== undefined) {
    step = parseIntStrict(stepPart);
    if (step <= 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
    // "N/step" means "N-max/step".
    if (high === undefined && !star) end = bounds.max;
    if (step > 1) star = false;
  }
  if (start < bounds.min) throw new CronParseError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new CronParseError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  return { start, end, step, star };
}

function parseValue(text: string, bounds: Bounds): number {
  const named = bounds.names?.get(text.toLowerCase());
  return named ?? parseIntStrict(text);
}

function parseIntStrict(text: string): number {
  if (!/^\d+$/.test(text)) throw new CronParseError(`failed to parse int from ${text}`);
  return Number(text);
}

const DURATION_UNITS: ReadonlyMap<string, number> = new Map([
  ['ns', 1e-6],
  ['us', 1e-3],
  ['µs', 1e-3],
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
]);

/** A Go duration (`1h30m`, `90s`, `1.5h`) in milliseconds (time.ParseDuration). */
export function parseGoDuration(text: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (DURATION_UNITS.get(m[2] ?? '') ?? 0);
    matched = re.lastIndex;
  }
  if (text === '' || matched !== text.length) throw new CronParseError(`failed to parse duration @every ${text}: time: invalid duration "${text}"`);
  return total;
}

/** `@every d` (robfig ConstantDelaySchedule): at least a second, whole seconds, after the given time. */
function everySchedule(delayMs: number): CronSchedule {
  const delay = Math.max(1000, Math.floor(delayMs / 1000) * 1000);
  return { next: (afterMs) => Math.floor(afterMs / 1000) * 1000 + delay };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * SpecSchedule.Next: walks month, day, hour and minute forward in wall-clock time until all match.
 * The walk runs on wall-clock fields held in a UTC Date; the result maps back to an instant through
 * the zone's offset at that wall time.
 */
function specSchedule(fields: SpecFields, timeZone: string): CronSchedule {
  const dayMatches = (t: Date): boolean => {
    const domMatch = fields.dom.values.has(t.getUTCDate());
    const dowMatch = fields.dow.values.has(t.getUTCDay());
    return fields.dom.star || fields.dow.star ? domMatch && dowMatch : domMatch || dowMatch;
  };
  const nextWall = (wallAfter: number): number | undefined => {
    const t = new Date(Math.floor(wallAfter / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
    const yearLimit = t.getUTCFullYear() + 5;
    wrap: for (;;) {
      if (t.getUTCFullYear() > yearLimit) return undefined;
      while (!fields.month.values.has(t.getUTCMonth() + 1)) {
        t.setUTCMonth(t.getUTCMonth() + 1, 1);
        t.setUTCHours(0, 0, 0, 0);
        if (t.getUTCMonth() === 0) continue wrap;
      }
      while (!dayMatches(t)) {
        t.setTime(Math.floor(t.getTime() / DAY_MS) * DAY_MS + DAY_MS);
        if (t.getUTCDate() === 1) continue wrap;
      }
      while (!fields.hour.values.has(t.getUTCHours())) {
        t.setTime(Math.floor(t.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
        if (t.getUTCHours() === 0) continue wrap;
      }
      while (!fields.minute.values.has(t.getUTCMinutes())) {
        t.setTime(t.getTime() + MINUTE_MS);
        if (t.getUTCMinutes() === 0) continue wrap;
      }
      return t.getTime();
    }
  };
  return {
    next(afterMs) {
      let wall = afterMs + zoneOffsetMs(afterMs, timeZone);
      // A wall time that falls in a DST overlap may map before `afterMs`: keep walking.
      for (let i = 0; i < 4; i++) {
        const candidate = nextWall(wall);
        if (candidate === undefined) return undefined;
        const instant = wallToInstant(candidate, timeZone);
        if (instant > afterMs) return instant;
        wall = candidate;
      }
      return undefined;
    },
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at the instant `ms`, in ms (local wall time − UTC). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  let fmt = formatters.get(timeZone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(ms))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant a wall-clock time (held as UTC fields) names in `timeZone`; a skipped time moves past the gap. */
function wallToInstant(wall: number, timeZone: string): number {
  const first = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(first, timeZone);
}
