/**
 * @module
 * Checks a CronJob schedule the way kube-apiserver does: with robfig/cron v3's standard parser
 * (`cron.ParseStandard`, called through pkg/util/parsers ParseCronScheduleWithPanicRecovery) —
 * five fields (minute, hour, day of month, month, day of week) of `*`, `?`, numbers, names,
 * ranges, steps and lists, or a descriptor (`@hourly`, `@every 90m`, …), optionally after a
 * `TZ=` or `CRON_TZ=` prefix. Only validity matters here (the CronJob controller computes run
 * times), so the result is the parser's error message, word for word, or undefined.
 *
 * Also the IANA time zone check of `spec.timeZone` (batch validation validateTimeZone), with the
 * runtime's Intl zone database standing in for Go's time.LoadLocation.
 */

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: ReadonlyMap<string, number>;
}

const names = (list: readonly string[], first: number): ReadonlyMap<string, number> => new Map(list.map((name, i) => [name, first + i]));

/** robfig/cron's field bounds, in the order of a standard spec. */
const FIELDS: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: names(['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'], 1) },
  { min: 0, max: 6, names: names(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], 0) },
];

const DESCRIPTORS: ReadonlySet<string> = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const EVERY = '@every ';

/** Why `spec` is not a valid standard cron schedule, or undefined when it is. */
export function cronScheduleError(spec: string): string | undefined {
  if (spec === '') return 'empty spec string';
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    const equals = rest.indexOf('=');
    // Upstream slices up to the space without checking there is one; the panic is recovered.
    if (space === -1) return `invalid schedule format: runtime error: slice bounds out of range [${equals + 1}:-1]`;
    const location = rest.slice(equals + 1, space);
    if (!isKnownLocation(location)) return `provided bad location ${location}: unknown time zone ${location}`;
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith('@')) return descriptorError(rest);
  const fields = rest.split(/\s+/).filter((field) => field !== '');
  if (fields.length !== FIELDS.length) return `expected exactly ${FIELDS.length} fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (const [index, field] of fields.entries()) {
    const bounds = FIELDS[index];
    if (bounds === undefined) continue;
    for (const expression of field.split(',').filter((part) => part !== '')) {
      const error = rangeError(expression, bounds);
      if (error !== undefined) return error;
    }
  }
  return undefined;
}

function descriptorError(descriptor: string): string | undefined {
  if (DESCRIPTORS.has(descriptor)) return undefined;
  if (descriptor.startsWith(EVERY)) {
    const error = durationError(descriptor.slice(EVERY.length));
    return error === undefined ? undefined : `failed to parse duration ${descriptor}: ${error}`;
  }
  return `unrecognized descriptor: ${descriptor}`;
}

/** getRange: `*`, `?`, `n`, `a-b`, each optionally `/step`. */
function rangeError(expression: string, bounds: Bounds): string | undefined {
  const rangeAndStep = expression.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    const low = intOrName(lowAndHigh[0] ?? '', bounds);
    if (typeof low === 'string') return low;
    start = low;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const high = intOrName(lowAndHigh[1] ?? '', bounds);
      if (typeof high === 'string') return high;
      end = high;
    } else return `too many hyphens: ${expression}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = parseUint(rangeAndStep[1] ?? '');
    if (typeof parsed === 'string') return parsed;
    step = parsed;
    // "n/step" means "n-max/step".
    if (lowAndHigh.length === 1) end = bounds.max;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expression}`;
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expression}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expression}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expression}`;
  if (step === 0) return `step of range should be a positive number: ${expression}`;
  return undefined;
}

function intOrName(text: string, bounds: Bounds): number | string {
  const named = bounds.names?.get(text.toLowerCase());
  return named ?? parseUint(text);
}

/** mustParseInt: strconv.Atoi, then no negatives. */
function parseUint(text: string): number | string {
  if (!/^[+-]?[0-9]+$/.test(text)) return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`;
  if (value < 0) return `negative number (${value}) not allowed: ${text}`;
  return value;
}

const UNITS: ReadonlySet<string> = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);

/** time.ParseDuration's error for `text`, or undefined when it parses: `[-+]?(\d*\.?\d*unit)+`. */
export function durationError(text: string): string | undefined {
  const quoted = JSON.stringify(text);
  let rest = text;
  if (rest.startsWith('-') || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return undefined;
  if (rest === '') return `time: invalid duration ${quoted}`;
  while (rest !== '') {
    const number = /^([0-9]*)(\.([0-9]*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[3] ?? '';
    if (whole === '' && fraction === '') return `time: invalid duration ${quoted}`;
    rest = rest.slice(number?.[0].length ?? 0);
    const unitEnd = rest.search(/[0-9.]/);
    const unit = unitEnd === -1 ? rest : rest.slice(0, unitEnd);
    if (unit === '') return `time: missing unit in duration ${quoted}`;
    if (!UNITS.has(unit)) return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    rest = rest.slice(unit.length);
  }
  return undefined;
}

/**
 * Whether time.LoadLocation knows `name`: "" and "UTC" always, "Local" always, otherwise a zone of
 * the IANA database, spelt with its own case (Go looks the name up as a file).
 */
export function isKnownLocation(name: string): boolean {
  if (name === '' || name === 'UTC' || name === 'Local') return true;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() !== name.toLowerCase() || resolved === name;
  } catch {
    return false;
  }
}

/** One part of a zone name as the IANA naming rules allow it (legacy digits and '+' tolerated). */
const ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone's messages for a timeZone that is set; empty when valid. */
export function timeZoneErrors(timeZone: string): string[] {
  if (timeZone === '') return ['timeZone must be nil or non-empty string'];
  for (const part of timeZone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !ZONE_PART.test(part)) return [`unknown time zone ${timeZone}`];
  }
  const errors: string[] = [];
  if (timeZone.toLowerCase() === 'local') errors.push('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
  if (!isKnownLocation(timeZone)) errors.push(`unknown time zone ${timeZone}`);
  return errors;
}
