/**
 * @module
 * The string formats a custom resource's values are checked against: those of kube-openapi's
 * strfmt default registry (k8s.io/kube-openapi pkg/validation/strfmt/default.go) that CRDs may
 * declare. A format not listed here (int32, int64, float, double, or anything unknown) is not
 * checked, as upstream ignores formats its registry does not hold. Checks run on strings only.
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';

type FormatCheck = (value: string) => boolean;

const HOSTNAME =
  /^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$/u;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const UUID4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const UUID5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;
const DURATION_GO = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_UNITS = new Set([
  'ns', 'us', 'µs', 'ms', 's', 'm', 'h', 'd', 'w',
  'nanosecond', 'nanoseconds', 'microsecond', 'microseconds', 'millisecond', 'milliseconds',
  'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes',
  'hr', 'hrs', 'hour', 'hours', 'day', 'days', 'wk', 'wks', 'week', 'weeks',
]);
const DURATION_WORDS = /(\d+)\s*([A-Za-zµ]+)/g;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const HEX_COLOR = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const BYTE = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const RGB_COLOR = new RegExp(`^rgb\\(\\s*${BYTE}\\s*,\\s*${BYTE}\\s*,\\s*${BYTE}\\s*\\)$`);
const SSN = /^\d{3}[- ]?\d{2}[- ]?\d{4}$/;
const BSON_OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const MAC_COLON = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2})*$/;
const MAC_DOT = /^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})*$/;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

const FORMATS: ReadonlyMap<string, FormatCheck> = new Map<string, FormatCheck>([
  ['byte', (v) => BASE64.test(v)],
  ['date', isDate],
  ['date-time', isDateTime],
  ['datetime', isDateTime],
  ['duration', isDuration],
  ['email', (v) => EMAIL.test(v)],
  ['hostname', (v) => v.length <= 255 && HOSTNAME.test(v)],
  ['ipv4', (v) => isIPv4(v)],
  ['ipv6', (v) => isIP(v) !== 0 && v.includes(':')],
  ['cidr', isCidr],
  ['mac', isMac],
  ['uri', isUri],
  ['uuid', (v) => UUID.test(v)],
  ['uuid3', (v) => UUID3.test(v)],
  ['uuid4', (v) => UUID4.test(v)],
  ['uuid5', (v) => UUID5.test(v)],
  ['hexcolor', (v) => HEX_COLOR.test(v)],
  ['rgbcolor', (v) => RGB_COLOR.test(v)],
  ['ssn', (v) => SSN.test(v)],
  ['bsonobjectid', (v) => BSON_OBJECT_ID.test(v)],
  ['password', () => true],
]);

/** Whether `value` is valid in `format`; true for formats the registry does not check. */
export function matchesFormat(format: string, value: string): boolean {
  const check = FORMATS.get(format);
  return check === undefined || check(value);
}

function isDate(value: string): boolean {
  const match = DATE.exec(value);
  return match !== null && validDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

function isDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (match === null || !validDate(Number(match[1]), Number(match[2]), Number(match[3]))) return false;
  return Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6]) < 60;
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Go's time.ParseDuration syntax, or strfmt's `<n> <unit>` words (`3 days`, `2w`). */
function isDuration(value: string): boolean {
  if (DURATION_GO.test(value) || value === '0') return true;
  const trimmed = value.trim();
  if (trimmed === '') return false;
  let consumed = '';
  for (const match of trimmed.matchAll(DURATION_WORDS)) {
    if (!DURATION_UNITS.has(match[2] ?? '')) return false;
    consumed += match[0];
  }
  return consumed.replace(/\s/g, '') === trimmed.replace(/\s/g, '');
}

function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  if (isIPv6(ip)) return Number(bits) <= 128;
  return false;
}

/** net.ParseMAC: 6, 8 or 20 bytes, as xx:xx…, xx-xx… or xxxx.xxxx…. */
function isMac(value: string): boolean {
  let bytes: number;
  if (MAC_COLON.test(value)) bytes = (value.length + 1) / 3;
  else if (MAC_DOT.test(value)) bytes = ((value.length + 1) / 5) * 2;
  else return false;
  return bytes === 6 || bytes === 8 || bytes === 20;
}

/** url.ParseRequestURI: an absolute URI or an absolute path, without spaces. */
function isUri(value: string): boolean {
  if (value === '' || /\s/.test(value)) return false;
  if (value.startsWith('/')) return true;
  if (!URI_SCHEME.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
