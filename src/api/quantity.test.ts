import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_DIGITS,
  Quantity,
  QuantityParseError,
  QuantityRangeError,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_NUMERIC_ERROR,
  QUANTITY_SUFFIX_ERROR,
  addQuantities,
  compareQuantities,
  formatQuantity,
  parseQuantity,
  safeParseQuantity,
  subtractQuantities,
  type QuantityFormat,
} from './quantity.js';

/** The exact value in nano-units: every parsed quantity is a whole number of them. */
const nanos = (q: Quantity): bigint => q.scaledValue(-9);
/** upstream's test helper decQuantity(value, scale, format), as nanos and format. */
const dec = (value: bigint, scale: number, format: QuantityFormat): [bigint, QuantityFormat] => [
  scale + 9 >= 0 ? value * 10n ** BigInt(scale + 9) : value / 10n ** BigInt(-(scale + 9)),
  format,
];
const MAX_INT64 = (1n << 63n) - 1n;

// Cases from apimachinery pkg/api/resource/quantity_test.go TestQuantityParse.
const PARSE_TABLE: [string, [bigint, QuantityFormat]][] = [
  ['0', dec(0n, 0, 'DecimalSI')],
  ['0n', dec(0n, 0, 'DecimalSI')],
  ['0Ki', dec(0n, 0, 'BinarySI')],
  ['1', dec(1n, 0, 'DecimalSI')],
  ['1Ki', dec(1024n, 0, 'BinarySI')],
  ['8Ki', dec(8n * 1024n, 0, 'BinarySI')],
  ['7Mi', dec(7n * 1024n ** 2n, 0, 'BinarySI')],
  ['3Ei', dec(3n * 1024n ** 6n, 0, 'BinarySI')],
  ['100Ti', dec(100n * 1024n ** 4n, 0, 'BinarySI')],
  ['5n', dec(5n, -9, 'DecimalSI')],
  ['4u', dec(4n, -6, 'DecimalSI')],
  ['3m', dec(3n, -3, 'DecimalSI')],
  ['50k', dec(5n, 4, 'DecimalSI')],
  ['6G', dec(6n, 9, 'DecimalSI')],
  ['300T', dec(3n, 14, 'DecimalSI')],
  ['2P', dec(2n, 15, 'DecimalSI')],
  ['1E', dec(1n, 18, 'DecimalSI')],
  ['1E-3', dec(1n, -3, 'DecimalExponent')],
  ['1e3', dec(1n, 3, 'DecimalExponent')],
  ['1E18', dec(1n, 18, 'DecimalExponent')],
  ['1e14', dec(1n, 14, 'DecimalExponent')],
  ['100.035k', dec(100035n, 0, 'DecimalSI')],
  ['0.001', dec(1n, -3, 'DecimalSI')],
  ['0.0005k', dec(5n, -1, 'DecimalSI')],
  ['0.50000', dec(5n, -1, 'DecimalSI')],
  ['0.5e-2', dec(5n, -3, 'DecimalExponent')],
  ['10.035M', dec(10035n, 3, 'DecimalSI')],
  ['1.2e3', dec(12n, 2, 'DecimalExponent')],
  ['1.3E+6', dec(13n, 5, 'DecimalExponent')],
  ['1.7E18', dec(17n, 17, 'DecimalExponent')],
  ['7.123456M', dec(7123456n, 0, 'DecimalSI')],
  ['6.987654321G', dec(6987654321n, 0, 'DecimalSI')],
  ['1.01E', dec(101n, 16, 'DecimalSI')],
  ['3.001n', dec(4n, -9, 'DecimalSI')],
  ['1.1E-9', dec(2n, -9, 'DecimalExponent')],
  ['0.0000000001', dec(1n, -9, 'DecimalSI')],
  ['0.00000000050', dec(1n, -9, 'DecimalSI')],
  ['0.9n', dec(1n, -9, 'DecimalSI')],
  ['0.00000012345', dec(124n, -9, 'DecimalSI')],
  ['9Ei', [MAX_INT64 * 10n ** 9n, 'BinarySI']],
  ['9223372036854775807Ki', [MAX_INT64 * 10n ** 9n, 'BinarySI']],
  ['12E', dec(12n, 18, 'DecimalSI')],
  ['100.035Ki', dec(10243584n, -2, 'BinarySI')],
  ['0.5Mi', dec(512n * 1024n, 0, 'BinarySI')],
  ['0.05Gi', dec(536870912n, -1, 'BinarySI')],
  ['0.025Ti', dec(274877906944n, -1, 'BinarySI')],
  ['0.000000000001Ki', dec(2n, -9, 'DecimalSI')],
  ['.001', dec(1n, -3, 'DecimalSI')],
  ['.0001k', dec(100n, -3, 'DecimalSI')],
  ['1.', dec(1n, 0, 'DecimalSI')],
  ['1.G', dec(1n, 9, 'DecimalSI')],
];

test('quantities parse to upstream\'s exact values and formats', () => {
  for (const [text, [value, format]] of PARSE_TABLE) {
    const q = parseQuantity(text);
    assert.equal(nanos(q), value, text);
    assert.equal(q.format, format, text);
  }
});

test('a sign negates any quantity and an explicit plus changes nothing', () => {
  for (const [text, [value, format]] of PARSE_TABLE) {
    const negative = parseQuantity(`-${text}`);
    assert.equal(nanos(negative), -value, `-${text}`);
    assert.equal(negative.format, format, `-${text}`);
    assert.equal(nanos(parseQuantity(`+${text}`)), value, `+${text}`);
  }
});

test('malformed quantities are rejected with upstream\'s messages', () => {
  const cases: [string, string][] = [
    ['', QUANTITY_FORMAT_ERROR],
    [' 1', QUANTITY_FORMAT_ERROR],
    ['1 ', QUANTITY_FORMAT_ERROR],
    ['aoeu', QUANTITY_FORMAT_ERROR],
    ['1.1.M', QUANTITY_FORMAT_ERROR],
    ['1+1.0M', QUANTITY_FORMAT_ERROR],
    ['0.1am', QUANTITY_FORMAT_ERROR],
    ['0.1mi', QUANTITY_SUFFIX_ERROR],
    ['.5i', QUANTITY_SUFFIX_ERROR],
    ['1i', QUANTITY_SUFFIX_ERROR],
    ['-3.01i', QUANTITY_SUFFIX_ERROR],
    ['-3.01e-', QUANTITY_SUFFIX_ERROR],
    ['1e', QUANTITY_SUFFIX_ERROR],
    ['1e99999999999999999999', QUANTITY_SUFFIX_ERROR],
    ['.e-10', QUANTITY_NUMERIC_ERROR],
  ];
  for (const [text, message] of cases) {
    assert.deepEqual(safeParseQuantity(text), { ok: false, message }, text);
    assert.throws(() => parseQuantity(text), (error: unknown) => error instanceof QuantityParseError && error.message === message);
  }
  assert.equal(
    QUANTITY_FORMAT_ERROR,
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
});

test('upstream\'s odd but valid spellings parse as it parses them', () => {
  assert.equal(nanos(parseQuantity('.')), 0n);
  assert.equal(nanos(parseQuantity('-')), 0n);
  assert.equal(nanos(parseQuantity('00')), 0n);
  assert.equal(nanos(parseQuantity('.e-9')), 0n);
});

test('quantities print in canonical form: the largest suffix that loses nothing', () => {
  const cases: [string, string][] = [
    ['1000m', '1'],
    ['1024Mi', '1Gi'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['5000m', '5'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['00', '0'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['2048Ki', '2Mi'],
    ['0.5Ki', '512'],
    ['1.2e3', '1200'],
    ['1.3E+6', '1300e3'],
    ['100.035Ki', '102435840m'],
    ['8Ei', '9223372036854775807'],
  ];
  for (const [text, canonical] of cases) {
    assert.equal(formatQuantity(parseQuantity(text)), canonical, text);
    if (canonical !== '0') assert.equal(formatQuantity(parseQuantity(`-${text}`)), `-${canonical}`, `-${text}`);
  }
});

test('a string already in canonical shape is printed back exactly as written', () => {
  for (const text of ['1Gi', '300Mi', '6Ki', '1001Gi', '1025', '500m', '1G', '1m', '80m', '1080m', '300M', '1234567M', '3k', '1e9', '1e-3', '80e-3', '300e6', '1n', '1080u', '0']) {
    assert.equal(formatQuantity(parseQuantity(text)), text);
  }
  // Upstream keeps the text whenever its cheap check passes, so these print as written too.
  for (const text of ['+1', '01', '1E3', '1.', '1.G', '-1Ki']) assert.equal(formatQuantity(parseQuantity(text)), text);
  assert.equal(parseQuantity('+1').canonical(), '1');
  assert.equal(parseQuantity('1E3').canonical(), '1e3');
  assert.equal(JSON.stringify({ cpu: parseQuantity('1000m') }), '{"cpu":"1"}');
});

test('decimal values beyond E print without a suffix, as upstream prints them', () => {
  // Upstream has no suffix for 10^21 and prints the bare mantissa; the value itself stays exact.
  const q = parseQuantity('1000E');
  assert.equal(formatQuantity(q), '1');
  assert.equal(q.value(), 10n ** 21n);
});

test('value and milliValue round up, away from zero', () => {
  const cases: [string, bigint, bigint][] = [
    ['1', 1n, 1000n],
    ['100m', 1n, 100n],
    ['1.1', 2n, 1100n],
    ['1n', 1n, 1n],
    ['1500m', 2n, 1500n],
    ['-1.1', -2n, -1100n],
    ['-1n', -1n, -1n],
    ['1Ki', 1024n, 1024000n],
    ['1.5Gi', 1610612736n, 1610612736000n],
    ['0', 0n, 0n],
  ];
  for (const [text, value, milli] of cases) {
    assert.equal(parseQuantity(text).value(), value, text);
    assert.equal(parseQuantity(text).milliValue(), milli, text);
  }
});

test('milliValue is exact where upstream\'s int64 would overflow', () => {
  assert.equal(parseQuantity('8Ei').milliValue(), MAX_INT64 * 1000n);
  assert.equal(parseQuantity('12E').milliValue(), 12n * 10n ** 21n);
});

test('comparison is exact across formats and signs', () => {
  const ordered = ['-1Ki', '-1', '-1n', '0', '1n', '999m', '1', '1001m', '1k', '1Ki', '1025', '1M', '1Mi', '1G', '1Gi', '8Ei', '10E', '1e100'];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const expected = i < j ? -1 : i > j ? 1 : 0;
      assert.equal(compareQuantities(parseQuantity(ordered[i] as string), parseQuantity(ordered[j] as string)), expected, `${ordered[i]} vs ${ordered[j]}`);
    }
  }
  assert.equal(compareQuantities(parseQuantity('1Gi'), parseQuantity('1073741824')), 0);
  assert.equal(compareQuantities(parseQuantity('0.5'), parseQuantity('500m')), 0);
  assert.equal(compareQuantities(parseQuantity('0Ki'), parseQuantity('-0')), 0);
});

test('sums are exact and take the format of the first non-zero term', () => {
  const requests = ['100m', '250m', '0.5', '1'].map(parseQuantity);
  const sum = addQuantities(...requests);
  assert.equal(formatQuantity(sum), '1850m');
  assert.equal(sum.milliValue(), 1850n);
  // Ten tenths are exactly one: no floating-point drift.
  assert.equal(formatQuantity(addQuantities(...Array.from({ length: 10 }, () => parseQuantity('0.1')))), '1');
  assert.equal(formatQuantity(addQuantities(parseQuantity('512Mi'), parseQuantity('512Mi'))), '1Gi');
  assert.equal(formatQuantity(addQuantities(parseQuantity('1Gi'), parseQuantity('1G'))), '2073741824');
  assert.equal(formatQuantity(addQuantities(parseQuantity('1G'), parseQuantity('1Gi'))), '2073741824');
  assert.equal(addQuantities(parseQuantity('0'), parseQuantity('1Ki')).format, 'BinarySI');
  assert.equal(addQuantities().isZero(), true);
  assert.equal(formatQuantity(subtractQuantities(parseQuantity('4Gi'), parseQuantity('1536Mi'))), '2560Mi');
  assert.equal(formatQuantity(subtractQuantities(parseQuantity('1'), parseQuantity('1500m'))), '-500m');
});

test('a sum of requests fits against allocatable exactly at the boundary', () => {
  const allocatable = parseQuantity('4');
  const fits = addQuantities(...['1500m', '1.5', '1000m'].map(parseQuantity));
  assert.equal(compareQuantities(fits, allocatable), 0);
  assert.equal(compareQuantities(fits.add(parseQuantity('1n')), allocatable), 1);
});

test('quantities are built from integer and milli values like NewQuantity and NewMilliQuantity', () => {
  assert.equal(formatQuantity(Quantity.fromMilliValue(1)), '1m');
  assert.equal(formatQuantity(Quantity.fromMilliValue(1000)), '1');
  assert.equal(formatQuantity(Quantity.fromMilliValue(1234000)), '1234');
  assert.equal(formatQuantity(Quantity.fromMilliValue(1024, 'BinarySI')), '1024m');
  assert.equal(formatQuantity(Quantity.fromMilliValue(1024 * 1024, 'BinarySI')), '1048576m');
  assert.equal(formatQuantity(Quantity.fromValue(1000)), '1k');
  assert.equal(formatQuantity(Quantity.fromValue(1024, 'BinarySI')), '1Ki');
  assert.equal(formatQuantity(Quantity.fromValue(1000000, 'DecimalExponent')), '1e6');
  assert.throws(() => Quantity.fromValue(0.5), RangeError);
});

test('hostile quantities parse, compare and print in linear time', () => {
  const started = performance.now();
  const long = parseQuantity(`1${'0'.repeat(100_000)}`);
  // 10^100000 in DecimalSI: no suffix that large, so upstream prints the bare mantissa "10".
  assert.equal(formatQuantity(long), '10');
  assert.equal(formatQuantity(long.withFormat('DecimalExponent')), '10e99999');
  const huge = parseQuantity('1e2147483647');
  assert.equal(formatQuantity(huge), '10e2147483646');
  assert.equal(formatQuantity(parseQuantity('1e2147483646')), '1e2147483646');
  assert.equal(compareQuantities(huge, parseQuantity('1')), 1);
  assert.equal(compareQuantities(huge.neg(), parseQuantity('1')), -1);
  assert.equal(compareQuantities(parseQuantity('1e-2000000000'), parseQuantity('1n')), 0);
  assert.equal(compareQuantities(long, huge), -1);
  assert.equal(safeParseQuantity(`${'9'.repeat(100_000)}x`).ok, false);
  assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
});

test('arithmetic that would need an absurd number of digits throws a range error instead', () => {
  const huge = parseQuantity(`1e${MAX_DIGITS + 1}`);
  assert.throws(() => huge.value(), QuantityRangeError);
  assert.throws(() => addQuantities(huge, parseQuantity('1')), QuantityRangeError);
  assert.equal(parseQuantity(`1e${MAX_DIGITS}`).value(), 10n ** BigInt(MAX_DIGITS));
});
