import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
  maskTrailingDash,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  regexError,
  utf8Length,
  validatePathSegmentName,
} from './names.js';

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('regexError lists examples with upstream double space before "or"', () => {
  assert.equal(regexError('m', 'f'), "m (regex used for validation is 'f')");
  assert.equal(regexError('m', 'f', 'a', 'b'), "m (e.g. 'a',  or 'b', regex used for validation is 'f')");
});

test('a DNS-1123 label is lower-case alphanumerics and inner dashes, at most 63 characters', () => {
  for (const ok of ['a', '0', 'ab', 'a-b', '1-2', 'a--b', 'a'.repeat(63), '11'.repeat(5)]) assert.deepEqual(isDNS1123Label(ok), [], ok);
  for (const bad of ['', 'A', 'ABC', 'aBc', 'a_b', '-a', 'a-', 'a b', 'a.b.', '!', 'é', 'a@b']) {
    assert.ok(isDNS1123Label(bad).length > 0, bad);
  }
  assert.deepEqual(isDNS1123Label('-a'), [LABEL_MSG]);
  assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('a DNS-1123 label that would be a valid subdomain is reported for its dots', () => {
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  // Too long and dotted: both, length first.
  assert.deepEqual(isDNS1123Label(`${'a'.repeat(40)}.${'b'.repeat(40)}`), ['must be no more than 63 characters', 'must not contain dots']);
});

test('a DNS-1123 subdomain is labels joined by dots, at most 253 characters', () => {
  for (const ok of ['a', 'a.b', 'example.com', '1.2.3.4', 'a-b.c-d', `${'a'.repeat(63)}.${'b'.repeat(63)}`, 'a.'.repeat(126) + 'a']) {
    assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
  }
  for (const bad of ['', '.', 'a.', '.a', 'a..b', 'A.b', 'a_b.c', '-a.b', 'a-.b', 'a.-b']) {
    assert.deepEqual(isDNS1123Subdomain(bad), [SUBDOMAIN_MSG], bad);
  }
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  assert.deepEqual(isDNS1123Subdomain('a'.repeat(253)), []);
});

test('a DNS-1035 label must start with a letter', () => {
  for (const ok of ['a', 'ab', 'a-1', 'abc-123', 'a'.repeat(63)]) assert.deepEqual(isDNS1035Label(ok), [], ok);
  assert.deepEqual(isDNS1035Label('1abc'), [DNS1035_MSG]);
  assert.deepEqual(isDNS1035Label('a.b'), [DNS1035_MSG]);
  assert.deepEqual(isDNS1035Label(''), [DNS1035_MSG]);
  assert.deepEqual(isDNS1035Label('a'.repeat(64)), ['must be no more than 63 characters']);
});

test('qualified names accept upstream success cases', () => {
  for (const ok of [
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now.with.dots/simple',
    '1.2.3.4/5678',
    'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo',
    'a'.repeat(63),
    `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ]) {
    assert.deepEqual(isQualifiedName(ok), [], ok);
  }
});

test('qualified names report each part with upstream wording', () => {
  assert.deepEqual(isQualifiedName('cantendwithadash-'), [NAME_PART_MSG]);
  assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', NAME_PART_MSG]);
  assert.deepEqual(isQualifiedName('/simple'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('Example.com/abc'), [`prefix part ${SUBDOMAIN_MSG}`]);
  assert.deepEqual(isQualifiedName(`${'a'.repeat(254)}/abc`), ['prefix part must be no more than 253 bytes']);
  assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 bytes']);
  assert.deepEqual(isQualifiedName('only/one/slash'), [
    "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
  assert.deepEqual(isQualifiedName(''), ['name part must be non-empty', NAME_PART_MSG]);
});

test('label values may be empty and are limited to 63 bytes', () => {
  for (const ok of ['', 'simple', 'now-with-dashes', '1234', 'end-with-num-1', 'My_Value.1', 'a'.repeat(63)]) {
    assert.deepEqual(isValidLabelValue(ok), [], ok);
  }
  for (const bad of ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends.with.dot.']) {
    assert.deepEqual(isValidLabelValue(bad), [LABEL_VALUE_MSG], bad);
  }
  assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 bytes']);
});

test('lengths are counted in UTF-8 bytes, as Go counts them', () => {
  assert.equal(utf8Length('abc'), 3);
  assert.equal(utf8Length('é'), 2);
  assert.equal(utf8Length('€'), 3);
  assert.equal(utf8Length('😀'), 4);
  assert.equal(utf8Length('\ud800'), 3);
  // 32 two-byte characters are 64 bytes: too long as well as malformed.
  assert.deepEqual(isValidLabelValue('é'.repeat(32)), ['must be no more than 63 bytes', LABEL_VALUE_MSG]);
});

test('path segment names may not be . or .. nor contain / or %', () => {
  assert.deepEqual(isValidPathSegmentName('.'), ["may not be '.'"]);
  assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isValidPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(isValidPathSegmentName('...'), []);
  assert.deepEqual(isValidPathSegmentName('Any_Thing:at all'), []);
  assert.deepEqual(isValidPathSegmentName(''), []);
  assert.deepEqual(isValidPathSegmentPrefix('..'), []);
  assert.deepEqual(validatePathSegmentName('..', true), []);
  assert.deepEqual(validatePathSegmentName('..', false), ["may not be '..'"]);
});

test('generateName prefixes may end in a dash', () => {
  assert.equal(maskTrailingDash('foo-'), 'foa');
  assert.equal(maskTrailingDash('-'), '-');
  assert.equal(maskTrailingDash('ab'), 'ab');
  assert.deepEqual(nameIsDNSSubdomain('foo-', true), []);
  assert.deepEqual(nameIsDNSSubdomain('foo-', false), [SUBDOMAIN_MSG]);
  assert.deepEqual(nameIsDNSLabel('web-', true), []);
  assert.deepEqual(nameIsDNS1035Label('svc-', true), []);
  // Upstream cuts the last two bytes and appends "a": "a.-" is checked as "aa", the dot gone with the dash.
  assert.equal(maskTrailingDash('a.-'), 'aa');
  assert.deepEqual(nameIsDNSSubdomain('a.-', true), []);
  assert.deepEqual(nameIsDNSSubdomain('-', true), [SUBDOMAIN_MSG]);
});

test('masking a dash after a multi-byte character still fails, as upstream\'s broken byte does', () => {
  assert.ok(nameIsDNSSubdomain('é-', true).length > 0);
  assert.ok(nameIsDNSSubdomain('a😀-', true).length > 0);
  assert.equal(utf8Length(maskTrailingDash('aé-')), utf8Length('aé-') - 1);
  assert.equal(utf8Length(maskTrailingDash('a😀-')), utf8Length('a😀-') - 1);
});

test('every check takes linear time on a hostile 100,000-character name', () => {
  const hostile = [
    'a'.repeat(100_000),
    `${'a-'.repeat(50_000)}!`,
    `${'a.'.repeat(50_000)}-`,
    `${'a-'.repeat(50_000)}-`,
    `${'a.'.repeat(49_999)}a/${'b_'.repeat(20_000)}-`,
    `${'0'.repeat(99_999)}.`,
  ];
  const checks = [isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue, isValidPathSegmentName];
  const started = performance.now();
  for (const value of hostile) for (const check of checks) assert.ok(check(value).length > 0 || check === isValidPathSegmentName);
  assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
});
