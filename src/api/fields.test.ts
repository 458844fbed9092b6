import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  escapeFieldValue,
  everythingFieldSelector,
  fieldSelectorFromSet,
  FieldSelectorError,
  fieldSelectorString,
  parseFieldSelector,
  requiresExactMatch,
  unescapeFieldValue,
} from './fields.js';

/** Asserts that `fn` throws a FieldSelectorError whose message is exactly `message`. */
function throwsSelectorError(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FieldSelectorError, `not a FieldSelectorError: ${String(e)}`);
    assert.equal(e.message, message);
    return true;
  });
}

test('the empty string and empty terms select everything', () => {
  for (const text of ['', ',', ',,,']) {
    const selector = parseFieldSelector(text);
    assert.equal(selector, everythingFieldSelector);
    assert.equal(selector.empty, true);
    assert.deepEqual(selector.requirements, []);
    assert.equal(selector.matches({}), true);
    assert.equal(fieldSelectorString(selector), '');
  }
  assert.equal(parseFieldSelector('a=b,,').requirements.length, 1);
});

test('=, == and != parse to requirements, == reading as =', () => {
  assert.deepEqual(parseFieldSelector('metadata.name=x').requirements, [{ field: 'metadata.name', operator: '=', value: 'x' }]);
  assert.deepEqual(parseFieldSelector('metadata.name==x').requirements, [{ field: 'metadata.name', operator: '=', value: 'x' }]);
  assert.deepEqual(parseFieldSelector('status.phase!=Running').requirements, [{ field: 'status.phase', operator: '!=', value: 'Running' }]);
  assert.equal(fieldSelectorString(parseFieldSelector('a==b')), 'a=b');
  assert.equal(String(parseFieldSelector('a!=b')), 'a!=b');
  assert.equal(parseFieldSelector('a!=b').empty, false);
});

test('the first operator in a term splits field from value, preferring != then == then =', () => {
  assert.deepEqual(parseFieldSelector('a!b=c').requirements, [{ field: 'a!b', operator: '=', value: 'c' }]);
  assert.deepEqual(parseFieldSelector('a==b').requirements, [{ field: 'a', operator: '=', value: 'b' }]);
  assert.deepEqual(parseFieldSelector('a=\\=b').requirements, [{ field: 'a', operator: '=', value: '=b' }]);
  // After the split a bare "=" is left in the value, which is not allowed.
  throwsSelectorError(() => parseFieldSelector('a!==b'), 'invalid field selector: unescaped character in value: 61');
});

test('an empty value is allowed and matches an empty or absent field', () => {
  const selector = parseFieldSelector('spec.nodeName=');
  assert.deepEqual(selector.requirements, [{ field: 'spec.nodeName', operator: '=', value: '' }]);
  assert.equal(selector.matches({}), true);
  assert.equal(selector.matches({ 'spec.nodeName': '' }), true);
  assert.equal(selector.matches({ 'spec.nodeName': 'n1' }), false);
});

test('nothing is trimmed: whitespace belongs to the field and the value', () => {
  assert.deepEqual(parseFieldSelector(' a = b ').requirements, [{ field: ' a ', operator: '=', value: ' b ' }]);
  assert.equal(parseFieldSelector('a= b').matches({ a: 'b' }), false);
});

test('escaped backslashes, commas and equals signs in values are unescaped, and printed escaped', () => {
  const selector = parseFieldSelector('a=x\\,y\\=z\\\\w,b=c');
  assert.deepEqual(selector.requirements, [
    { field: 'a', operator: '=', value: 'x,y=z\\w' },
    { field: 'b', operator: '=', value: 'c' },
  ]);
  assert.equal(fieldSelectorString(selector), 'a=x\\,y\\=z\\\\w,b=c');
  assert.equal(selector.matches({ a: 'x,y=z\\w', b: 'c' }), true);
  assert.equal(fieldSelectorString(parseFieldSelector(fieldSelectorString(selector))), fieldSelectorString(selector));
});

test('an escaped comma does not split terms, even in the field', () => {
  assert.deepEqual(parseFieldSelector('a\\,b=c').requirements, [{ field: 'a\\,b', operator: '=', value: 'c' }]);
});

test('a bad escape, a trailing backslash and an unescaped = are errors with upstream messages', () => {
  throwsSelectorError(() => parseFieldSelector('a=b\\c'), 'invalid field selector: invalid escape sequence: \\c');
  throwsSelectorError(() => parseFieldSelector('a=b\\'), 'invalid field selector: invalid escape sequence: \\');
  throwsSelectorError(() => parseFieldSelector('a=\\\u{1F600}'), 'invalid field selector: invalid escape sequence: \\\u{1F600}');
  // Go prints the rune with %v, i.e. as its code point.
  throwsSelectorError(() => parseFieldSelector('a=b=c'), 'invalid field selector: unescaped character in value: 61');
  // The trailing backslash escapes the comma, so these are one term with a bare "=" in its value.
  throwsSelectorError(() => parseFieldSelector('a=b\\,c=d'), 'invalid field selector: unescaped character in value: 61');
});

test('a term without an operator is an error naming the whole selector and the term', () => {
  throwsSelectorError(() => parseFieldSelector('a=b,c'), "invalid selector: 'a=b,c'; can't understand 'c'");
  throwsSelectorError(() => parseFieldSelector('metadata.name'), "invalid selector: 'metadata.name'; can't understand 'metadata.name'");
  throwsSelectorError(() => parseFieldSelector('a!b'), "invalid selector: 'a!b'; can't understand 'a!b'");
  // Terms are checked in sorted order, so the first bad term in that order is the one reported.
  throwsSelectorError(() => parseFieldSelector('z=\\q,b'), "invalid selector: 'z=\\q,b'; can't understand 'b'");
  throwsSelectorError(() => parseFieldSelector('z,b=\\q'), 'invalid field selector: invalid escape sequence: \\q');
});

test('an empty field is kept for the supported-field check, but a term with empty field and value is dropped', () => {
  assert.deepEqual(parseFieldSelector('=x').requirements, [{ field: '', operator: '=', value: 'x' }]);
  assert.deepEqual(parseFieldSelector('!=x').requirements, [{ field: '', operator: '!=', value: 'x' }]);
  assert.equal(parseFieldSelector('='), everythingFieldSelector);
  assert.equal(parseFieldSelector('=='), everythingFieldSelector);
  assert.equal(parseFieldSelector('!='), everythingFieldSelector);
  assert.deepEqual(parseFieldSelector('a=b,=').requirements, [{ field: 'a', operator: '=', value: 'b' }]);
});

test('requirements come in order of their term text, in code point order as Go sorts', () => {
  assert.deepEqual(
    parseFieldSelector('b=1,a!=2,a=1').requirements.map((r) => `${r.field}${r.operator}${r.value}`),
    ['a!=2', 'a=1', 'b=1'],
  );
  // UTF-16 would put the surrogate pair of U+1F600 before U+FFFD; UTF-8 (Go) puts it after.
  assert.deepEqual(
    parseFieldSelector('a=\u{1F600},a=\uFFFD').requirements.map((r) => r.value),
    ['\uFFFD', '\u{1F600}'],
  );
});

test('= matches an equal field and != an unequal one, an absent field reading as empty', () => {
  const selector = parseFieldSelector('metadata.name=web,status.phase!=Failed');
  assert.equal(selector.matches({ 'metadata.name': 'web', 'status.phase': 'Running' }), true);
  assert.equal(selector.matches({ 'metadata.name': 'web' }), true);
  assert.equal(selector.matches({ 'metadata.name': 'web', 'status.phase': 'Failed' }), false);
  assert.equal(selector.matches({ 'metadata.name': 'db' }), false);
  assert.equal(parseFieldSelector('a!=').matches({}), false);
  assert.equal(parseFieldSelector('a!=').matches({ a: 'x' }), true);
});

test('fields can be supplied by a lookup function', () => {
  const fields = new Map([['metadata.name', 'web']]);
  const lookup = (field: string): string | undefined => fields.get(field);
  assert.equal(parseFieldSelector('metadata.name=web').matches(lookup), true);
  assert.equal(parseFieldSelector('metadata.namespace=').matches(lookup), true);
  assert.equal(parseFieldSelector('metadata.namespace!=').matches(lookup), false);
});

test('fields named like Object.prototype properties are not found on the prototype', () => {
  assert.equal(parseFieldSelector('constructor=').matches({}), true);
  assert.equal(parseFieldSelector('toString!=').matches({}), false);
});

test('requiresExactMatch returns the value of the first = requirement on the field', () => {
  assert.equal(requiresExactMatch(parseFieldSelector('metadata.name=x'), 'metadata.name'), 'x');
  assert.equal(requiresExactMatch(parseFieldSelector('metadata.name==x,spec.nodeName=n'), 'metadata.name'), 'x');
  assert.equal(requiresExactMatch(parseFieldSelector('metadata.name!=x'), 'metadata.name'), undefined);
  assert.equal(requiresExactMatch(parseFieldSelector('metadata.name!=x,metadata.name=y'), 'metadata.name'), 'y');
  assert.equal(requiresExactMatch(parseFieldSelector('a=\\=1,a=2'), 'a'), '2', 'first in sorted term order');
  assert.equal(requiresExactMatch(parseFieldSelector('spec.nodeName=n'), 'metadata.name'), undefined);
  assert.equal(requiresExactMatch(everythingFieldSelector, 'metadata.name'), undefined);
  assert.equal(requiresExactMatch(parseFieldSelector('metadata.name='), 'metadata.name'), '');
});

test('escapeFieldValue and unescapeFieldValue round-trip any string', () => {
  for (const value of ['', 'plain', 'a,b', 'a=b', 'a\\b', '\\,=\\\\', 'é\u{1F600},=']) {
    assert.equal(unescapeFieldValue(escapeFieldValue(value)), value, value);
  }
  assert.equal(escapeFieldValue('a\\b,c=d'), 'a\\\\b\\,c\\=d');
});

test('fieldSelectorFromSet requires each field to equal its value', () => {
  const selector = fieldSelectorFromSet({ 'spec.nodeName': 'n1', 'metadata.namespace': 'ns' });
  assert.equal(selector.matches({ 'spec.nodeName': 'n1', 'metadata.namespace': 'ns' }), true);
  assert.equal(selector.matches({ 'spec.nodeName': 'n2', 'metadata.namespace': 'ns' }), false);
  assert.equal(requiresExactMatch(selector, 'spec.nodeName'), 'n1');
  assert.equal(fieldSelectorFromSet({}).empty, true);
});

test('a selector of 10,000 terms parses and matches', () => {
  const text = Array.from({ length: 10_000 }, (_, i) => `f${i}${i % 2 === 0 ? '=' : '!='}v\\,${i}`).join(',');
  const selector = parseFieldSelector(text);
  assert.equal(selector.requirements.length, 10_000);
  const fields = Object.fromEntries(Array.from({ length: 5_000 }, (_, j) => [`f${2 * j}`, `v,${2 * j}`]));
  assert.equal(selector.matches(fields), true);
  assert.equal(selector.matches({ ...fields, f1: 'v,1' }), false);
});

test('selectors of 1 MiB are parsed or rejected without blowing up', () => {
  const mib = 1 << 20;
  assert.equal(parseFieldSelector(`a=${'\\\\'.repeat(mib / 2)}`).requirements[0]?.value.length, mib / 2);
  assert.equal(parseFieldSelector('a=b,'.repeat(mib / 4)).requirements.length, mib / 4);
  assert.throws(() => parseFieldSelector('a'.repeat(mib)), FieldSelectorError);
  throwsSelectorError(() => parseFieldSelector(`a=${'x'.repeat(mib)}\\`), 'invalid field selector: invalid escape sequence: \\');
});
