/**
 * @module
 * Resource quantities ("500m", "1.5", "128Mi", "1e3"): exact fixed-point numbers, never floats, so
 * that the scheduler can sum pod requests against node allocatable without drift, and so that
 * quantities print back in the canonical form kubectl shows.
 *
 * Follows apimachinery pkg/api/resource (quantity.go, suffix.go, amount.go, math.go): the same
 * scanner and error messages, the same rounding (a value finer than 1n is rounded up, away from
 * zero, to 1n), the same cap for binary quantities (2^63-1), the same canonical form (the largest
 * suffix that loses nothing: 1000m → "1", 1024Mi → "1Gi", 0.5 → "500m", 1.5Gi → "1536Mi"), and the
 * same habit of printing a parsed string back as written when it is already canonical-looking ("+1"
 * stays "+1"; see {@link formatQuantity}).
 *
 * Where upstream is limited by int64, this module is not: a quantity is a bigint times a power of
 * ten, and {@link Quantity.milliValue} and {@link Quantity.value} return exact bigints (upstream's
 * MilliValue silently overflows past about 9.2e15 units). Comparison never expands a power of ten,
 * so any two parsed quantities compare in time linear in their length; arithmetic and integer
 * values that would need a number of more than {@link MAX_DIGITS} digits throw a
 * {@link QuantityRangeError} rather than allocate without bound ("1e999999999" parses, as upstream).
 */

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** ErrFormatWrong's message: the string is not number-then-suffix. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/** ErrNumeric's message. */
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';
/** ErrSuffix's message. */
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";

/** The largest number of decimal digits an operation here will materialize. */
export const MAX_DIGITS = 10_000;

/** A string that is not a quantity; `message` is upstream's. */
export class QuantityParseError extends Error {
  override readonly name = 'QuantityParseError';
}

/** An operation whose exact result would be absurdly large (more than {@link MAX_DIGITS} digits). */
export class QuantityRangeError extends RangeError {
  override readonly name = 'QuantityRangeError';
}

const NANO = -9;
const MAX_INT64 = (1n << 63n) - 1n;
const DECIMAL_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['n', -9],
  ['u', -6],
  ['m', -3],
  ['', 0],
  ['k', 3],
  ['M', 6],
  ['G', 9],
  ['T', 12],
  ['P', 15],
  ['E', 18],
]);
const BINARY_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['Ki', 10],
  ['Mi', 20],
  ['Gi', 30],
  ['Ti', 40],
  ['Pi', 50],
  ['Ei', 60],
]);
const DECIMAL_SUFFIX_BY_EXPONENT = new Map([...DECIMAL_SUFFIXES].map(([suffix, exponent]) => [exponent, suffix]));
const BINARY_SUFFIX_BY_POWER = new Map([...BINARY_SUFFIXES].map(([suffix, exponent]) => [exponent / 10, suffix]));

/**
 * An exact quantity: `unscaled × 10^scale` (scale as upstream's resource.Scale: 3 is kilo, -3 is
 * milli), with the format it prints in. Immutable.
 */
export class Quantity {
  /** How the quantity prints: the suffix family it was written with. */
  readonly format: QuantityFormat;
  readonly #unscaled: bigint;
  readonly #scale: number;
  /** The string it was parsed from, when upstream would print that string back unchanged. */
  readonly #text: string | undefined;

  private constructor(unscaled: bigint, scale: number, format: QuantityFormat, text?: string) {
    this.#unscaled = unscaled;
    this.#scale = unscaled === 0n ? 0 : scale;
    this.format = format;
    this.#text = text;
  }

  /** ParseQuantity. Throws {@link QuantityParseError} with upstream's message. */
  static parse(text: string): Quantity {
    const result = Quantity.safeParse(text);
    if (!result.ok) throw new QuantityParseError(result.message);
    return result.quantity;
  }

  /** ParseQuantity with the error as a value. */
  static safeParse(text: string): QuantityParseResult {
    const result = parse(text);
    if (typeof result === 'string') return { ok: false, message: result };
    return { ok: true, quantity: new Quantity(result.unscaled, result.scale, result.format, result.text) };
  }

  /** NewQuantity: an integer value. */
  static fromValue(value: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(value), 0, format);
  }

  /** NewMilliQuantity: `milli` thousandths. */
  static fromMilliValue(milli: bigint | number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(toBigInt(milli), -3, format);
  }

  isZero(): boolean {
    return this.#unscaled === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.#unscaled === 0n ? 0 : this.#unscaled < 0n ? -1 : 1;
  }

  /** Cmp: -1, 0 or 1 as this is less than, equal to or greater than `other`. Exact. */
  cmp(other: Quantity): -1 | 0 | 1 {
    return compareParts(this.#unscaled, this.#scale, other.#unscaled, other.#scale);
  }

  /** Add: the exact sum, in this quantity's format unless this is zero (then in `other`'s). */
  add(other: Quantity): Quantity {
    const format = this.isZero() ? other.format : this.format;
    if (other.isZero()) return new Quantity(this.#unscaled, this.#scale, format);
    if (this.isZero()) return new Quantity(other.#unscaled, other.#scale, format);
    const scale = Math.min(this.#scale, other.#scale);
    const sum = this.#unscaled * pow10(this.#scale - scale) + other.#unscaled * pow10(other.#scale - scale);
    return new Quantity(sum, scale, format);
  }

  /** Sub: the exact difference, formatted as {@link add} does. */
  sub(other: Quantity): Quantity {
    return this.add(other.neg());
  }

  /** Neg. */
  neg(): Quantity {
    return new Quantity(-this.#unscaled, this.#scale, this.format);
  }

  /** The same value printed in another format (upstream code sets `q.Format`). */
  withFormat(format: QuantityFormat): Quantity {
    return new Quantity(this.#unscaled, this.#scale, format);
  }

  /** Value: the value rounded to an integer, away from zero (1.1 → 2, -1.1 → -2). */
  value(): bigint {
    return this.scaledValue(0);
  }

  /**
   * MilliValue: the value in thousandths, rounded away from zero ("100m" → 100n, "1" → 1000n).
   * Always a bigint, never a number: memory in milli-units passes 2^53 at about 9 TB (a node's
   * allocatable summed over a cluster gets there), and one type means callers never branch on size.
   */
  milliValue(): bigint {
    return this.scaledValue(-3);
  }

  /**
   * ScaledValue: the value in units of 10^scale, rounded away from zero. Upstream's int64 path
   * rounds this way; its big-decimal path rounds negative values toward +∞ instead — an
   * inconsistency not copied here.
   */
  scaledValue(scale: number): bigint {
    return shiftRoundingAway(this.#unscaled, this.#scale - scale);
  }

  /** AsApproximateFloat64: for display and metrics, never for decisions. */
  asApproximateNumber(): number {
    return Number(this.#unscaled) * 10 ** this.#scale;
  }

  /** String(): as {@link formatQuantity}. */
  toString(): string {
    return this.#text ?? this.canonical();
  }

  /** MarshalJSON: a quantity is a JSON string. */
  toJSON(): string {
    return this.toString();
  }

  /** CanonicalizeBytes: the canonical form, ignoring how the quantity was written. */
  canonical(): string {
    if (this.#unscaled === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      // Small or fractional binary values print in decimal: "0.5Ki" is "512", not a rounded "1Ki".
      const small = compareParts(this.#unscaled, this.#scale, -1024n, 0) > 0 && compareParts(this.#unscaled, this.#scale, 1024n, 0) < 0;
      if (small || !isInteger(this.#unscaled, this.#scale)) format = 'DecimalSI';
    }
    if (format === 'BinarySI') {
      let integer = shiftRoundingAway(this.#unscaled, this.#scale);
      let power = 0;
      while (integer % 1024n === 0n) {
        integer /= 1024n;
        power++;
      }
      // Past Ei there is no suffix and upstream prints the bare mantissa (2^70 prints as "1"): kept.
      return `${integer}${BINARY_SUFFIX_BY_POWER.get(power) ?? ''}`;
    }
    let [mantissa, exponent] = stripTens(this.#unscaled, this.#scale);
    // The exponent moves down to a multiple of three so the mantissa stays whole: 1.2e3 is 1200.
    while (exponent % 3 !== 0) {
      mantissa *= 10n;
      exponent--;
    }
    if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
    // Past E (and below n) there is no suffix and upstream prints the bare mantissa ("1000E" prints
    // as "1"): kept, since that is what a real API server returns for such a value.
    return `${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ''}`;
  }
}

/** ParseQuantity; throws {@link QuantityParseError} (message as upstream's) for anything else. */
export function parseQuantity(text: string): Quantity {
  return Quantity.parse(text);
}

export type QuantityParseResult = { readonly ok: true; readonly quantity: Quantity } | { readonly ok: false; readonly message: string };

/** {@link parseQuantity} as a value, for validation that reports rather than throws. */
export function safeParseQuantity(text: string): QuantityParseResult {
  return Quantity.safeParse(text);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. Exact and never expensive. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.cmp(b);
}

/** The exact sum of `quantities`, formatted as upstream's repeated Add would (the first non-zero one's format). */
export function addQuantities(...quantities: Quantity[]): Quantity {
  return quantities.reduce((sum, q) => sum.add(q), Quantity.fromValue(0));
}

/** `a - b`, exactly. */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return a.sub(b);
}

/**
 * What upstream's String() and MarshalJSON produce, so what the API server returns and kubectl shows:
 * the parsed string itself when upstream keeps it (it does when the string already has the canonical
 * shape — "100m", "1Ki", "1e3", but also "+1" and "01"), otherwise {@link Quantity.canonical}.
 */
export function formatQuantity(q: Quantity): string {
  return q.toString();
}

// ---------------------------------------------------------------------------------------------
// Parsing (quantity.go parseQuantityString and ParseQuantity, step for step).

interface Scanned {
  readonly positive: boolean;
  /** The number as written, sign included (what upstream hands to inf.Dec). */
  readonly value: string;
  /** Integer digits without leading zeros; "0" when there are none. */
  readonly num: string;
  /** Fraction digits as written. */
  readonly denom: string;
  readonly suffix: string;
}

interface Parsed {
  readonly unscaled: bigint;
  readonly scale: number;
  readonly format: QuantityFormat;
  readonly text?: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const SUFFIX_CHARS = 'eEinumkKMGTP';

/** parseQuantityString: sign, digits, fraction, then suffix letters, an optional sign and digits. */
function scan(str: string): Scanned | string {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;

  for (;;) {
    if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[pos] !== '0') break;
    pos++;
  }

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  let num = str.slice(pos, i);
  pos = i;
  if (num === '') num = '0';

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    if (i >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, i);
    pos = i;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos] as string)) pos++;
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos < end) return QUANTITY_FORMAT_ERROR;
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** suffixer.interpret: base, exponent and format, or undefined for an unknown suffix. */
function interpret(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  const decimal = DECIMAL_SUFFIXES.get(suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES.get(suffix);
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    // strconv.ParseInt(s, 10, 64), then int32(): out-of-range int32 exponents wrap, as upstream's do.
    const digits = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
    const parsed = BigInt(digits);
    if (parsed > MAX_INT64 || parsed < -MAX_INT64 - 1n) return undefined;
    return { base: 10, exponent: toInt32(parsed), format: 'DecimalExponent' };
  }
  return undefined;
}

function parse(str: string): Parsed | string {
  if (str.length === 0) return QUANTITY_FORMAT_ERROR;
  if (str === '0') return { unscaled: 0n, scale: 0, format: 'DecimalSI', text: str };

  const scanned = scan(str);
  if (typeof scanned === 'string') return scanned;
  const { positive, value, num, denom } = scanned;
  const suffix = interpret(scanned.suffix);
  if (suffix === undefined) return QUANTITY_SUFFIX_ERROR;
  const { base, exponent } = suffix;
  let format = suffix.format;

  // The fast path: what fits an int64 exactly at a scale of at least nano. Only its results may keep
  // the text they were written as, so which path a string takes matters for how it prints.
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (format === 'BinarySI') {
    if (exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(exponent);
      // 1Mi (2^20) has about 6 digits of decimal precision, hence exponent*3/10.
      precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
    } else precision = -1;
  } else {
    scale = exponent;
    precision = 18 - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale = toInt32(BigInt(scale) - BigInt(denom.length));
    if (scale >= NANO) {
      const shifted = num + denom;
      const digits = BigInt(shifted);
      const product = digits * mantissa;
      if (product <= MAX_INT64) {
        const unscaled = positive ? product : -product;
        const keepsText =
          format === 'BinarySI' ? (digits & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return keepsText ? { unscaled, scale, format, text: str } : { unscaled, scale, format };
      }
    }
  }

  // The slow path: arbitrary precision (upstream's inf.Dec), needing at least one digit.
  if (!/[0-9]/.test(value)) return QUANTITY_NUMERIC_ERROR;
  let unscaled = BigInt(num + denom);
  if (!positive) unscaled = -unscaled;
  if (base === 10) {
    // inf.Dec scales are int32 and wrap the same way.
    scale = -toInt32(BigInt(denom.length) + BigInt(toInt32(-BigInt(exponent))));
  } else {
    unscaled *= 1n << BigInt(exponent);
    scale = -denom.length;
  }

  // Round up to the nano: a request for a tiny amount of something should get some of it.
  if (unscaled !== 0n && scale < NANO) {
    unscaled = shiftRoundingAway(unscaled, scale - NANO);
    scale = NANO;
  }
  if (format === 'BinarySI' && compareParts(abs(unscaled), scale, MAX_INT64, 0) > 0) {
    unscaled = unscaled < 0n ? -MAX_INT64 : MAX_INT64;
    scale = 0;
  }
  if (format === 'BinarySI' && unscaled !== 0n && compareParts(abs(unscaled), scale, 1n, 0) < 0) format = 'DecimalSI';
  return { unscaled, scale, format };
}

// ---------------------------------------------------------------------------------------------
// Exact decimal arithmetic on (unscaled, scale) pairs, value = unscaled × 10^scale.

/** 10^n for 0 ≤ n ≤ MAX_DIGITS. */
function pow10(n: number): bigint {
  if (n > MAX_DIGITS) throw new QuantityRangeError(`quantity out of range: the result would need more than ${MAX_DIGITS} digits`);
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function digitCount(n: bigint): number {
  return n === 0n ? 0 : abs(n).toString().length;
}

/**
 * `unscaled × 10^shift` as an integer, rounded away from zero when `shift` is negative. A shift
 * past every digit needs no power of ten: the result is 0 or ±1.
 */
function shiftRoundingAway(unscaled: bigint, shift: number): bigint {
  if (unscaled === 0n) return 0n;
  if (shift >= 0) return unscaled * pow10(shift);
  const magnitude = abs(unscaled);
  let quotient: bigint;
  let exact: boolean;
  if (-shift > digitCount(magnitude)) {
    quotient = 0n;
    exact = false;
  } else {
    const divisor = pow10(-shift);
    quotient = magnitude / divisor;
    exact = magnitude % divisor === 0n;
  }
  if (!exact) quotient += 1n;
  return unscaled < 0n ? -quotient : quotient;
}

/**
 * Compares two values without expanding large powers of ten: values of one sign whose leading
 * digits sit at different positions are ordered by those positions.
 */
function compareParts(ua: bigint, sa: number, ub: bigint, sb: number): -1 | 0 | 1 {
  const signA = ua === 0n ? 0 : ua < 0n ? -1 : 1;
  const signB = ub === 0n ? 0 : ub < 0n ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  const magnitudeA = digitCount(ua) + sa;
  const magnitudeB = digitCount(ub) + sb;
  let absOrder: -1 | 0 | 1;
  if (magnitudeA !== magnitudeB) absOrder = magnitudeA < magnitudeB ? -1 : 1;
  else {
    // Same leading position: the scales differ by less than the digit counts, so this is cheap.
    const scale = Math.min(sa, sb);
    const a = abs(ua) * 10n ** BigInt(sa - scale);
    const b = abs(ub) * 10n ** BigInt(sb - scale);
    absOrder = a === b ? 0 : a < b ? -1 : 1;
  }
  if (signA > 0 || absOrder === 0) return absOrder;
  return absOrder < 0 ? 1 : -1;
}

function isInteger(unscaled: bigint, scale: number): boolean {
  if (scale >= 0 || unscaled === 0n) return true;
  const [, exponent] = stripTens(unscaled, scale);
  return exponent >= 0;
}

/**
 * Moves every factor of ten of the mantissa into the exponent. Counted on the decimal digits, in
 * linear time: dividing by ten once per trailing zero would be quadratic on "1" and 100,000 zeros.
 */
function stripTens(unscaled: bigint, scale: number): [bigint, number] {
  if (unscaled === 0n) return [0n, 0];
  const digits = unscaled.toString();
  let end = digits.length;
  while (digits[end - 1] === '0') end--;
  if (end === digits.length) return [unscaled, scale];
  return [BigInt(digits.slice(0, end)), scale + (digits.length - end)];
}

function toInt32(n: bigint): number {
  return Number(BigInt.asIntN(32, n));
}

function toBigInt(value: bigint | number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return BigInt(value);
}
