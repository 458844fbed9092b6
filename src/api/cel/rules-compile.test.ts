import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import { compileSchemaRules } from './schema-rules.js';

const PATH = 'spec.versions[0].schema.openAPIV3Schema';

function compileErrors(spec: Record<string, unknown>): string[] {
  return [...compileSchemaRules({ type: 'object', properties: { spec } }, { path: PATH }).errors].map(formatFieldError);
}

test('a rule naming an undefined field is rejected at its path with cel-go\'s compile error', () => {
  const errors = compileErrors({ type: 'object', properties: { replicas: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.foo == 1' }] });
  assert.deepEqual(errors, [
    `${PATH}.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.foo == 1", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:6: undefined field 'foo'\n | self.foo == 1\n | .....^`,
  ]);
});

test('a rule of the wrong type is rejected', () => {
  const errors = compileErrors({ type: 'object', properties: { replicas: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.replicas == "3"' }, { rule: 'self.replicas' }] });
  assert.equal(errors.length, 2);
  assert.match(errors[0] ?? '', /x-kubernetes-validations\[0\]\.rule: .*compilation failed: ERROR: <input>:1:1: no such overload/);
  assert.match(errors[1] ?? '', /x-kubernetes-validations\[1\]\.rule: .*: cel expression must evaluate to a bool$/);
});

test('an empty rule is required, a bad reason unsupported, a multi-line message invalid', () => {
  const errors = compileErrors({
    type: 'object',
    'x-kubernetes-validations': [{ rule: ' ' }, { rule: 'true', reason: 'Nope' }, { rule: 'true', message: 'a\nb' }],
  });
  assert.deepEqual(errors, [
    `${PATH}.properties[spec].x-kubernetes-validations[0].rule: Required value: rule is not specified`,
    `${PATH}.properties[spec].x-kubernetes-validations[1].reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
    `${PATH}.properties[spec].x-kubernetes-validations[2].message: Invalid value: "a\\nb": message must not contain line breaks`,
  ]);
});

test('a fieldPath must name a field of the schema', () => {
  const errors = compileErrors({ type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'true', fieldPath: '.a' }, { rule: 'true', fieldPath: '.b' }] });
  assert.deepEqual(errors, [`${PATH}.properties[spec].x-kubernetes-validations[1].fieldPath: Invalid value: ".b": fieldPath must be a valid path: does not refer to a valid field`]);
});

test('a messageExpression must compile to a string', () => {
  const errors = compileErrors({ type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'true', messageExpression: 'self.a.size()' }] });
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /x-kubernetes-validations\[0\]\.messageExpression: Invalid value: apiextensions\.ValidationRule\{.*\}: must evaluate to a string$/);
});

test('oldSelf under the items of a list that is not a map is rejected', () => {
  const errors = compileErrors({
    type: 'object',
    properties: {
      xs: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } },
      ys: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', properties: { k: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } },
    },
  });
  assert.deepEqual(errors, [
    `${PATH}.properties[spec].properties[xs].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${PATH}.properties[spec].properties[xs].items`,
  ]);
});

test('a rule whose estimated cost is past the limit is forbidden, and maxItems bounds it', () => {
  const rule = { rule: 'self.all(x, self.all(y, x == y))' };
  const unbounded = compileErrors({ type: 'object', properties: { xs: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [rule] } } });
  assert.equal(unbounded.length, 1);
  assert.match(unbounded[0] ?? '', /xs\]\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x \(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared\)$/);
  const bounded = compileErrors({ type: 'object', properties: { xs: { type: 'array', maxItems: 100, items: { type: 'string' }, 'x-kubernetes-validations': [rule] } } });
  assert.deepEqual(bounded, []);
});

test('a cheap rule on the items of unbounded lists is accepted, and bounded lists multiply its cost', () => {
  const item = { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() < 10' }] };
  assert.deepEqual(compileErrors({ type: 'object', properties: { xs: { type: 'array', items: { type: 'array', items: item } } } }), []);
  const costly = { type: 'string', maxLength: 100_000, 'x-kubernetes-validations': [{ rule: "self.matches('^a+$')" }] };
  const bounded = compileErrors({ type: 'object', properties: { xs: { type: 'array', maxItems: 10_000, items: costly } } });
  assert.equal(bounded.length, 1);
  assert.match(bounded[0] ?? '', /properties\[xs\]\.items\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of/);
});

test('concatenation and O(n) string functions are estimated by maxItems and maxLength', () => {
  const concat = (maxItems: number): string[] =>
    compileErrors({ type: 'object', properties: { l: { type: 'array', maxItems, items: { type: 'integer' } } }, 'x-kubernetes-validations': [{ rule: 'self.l.map(x, self.l + self.l).size() > 0' }] });
  assert.match(concat(8_000)[0] ?? '', /x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget/);
  assert.deepEqual(concat(100), []);
  const reverse = (maxLength: number): string[] =>
    compileErrors({
      type: 'object',
      properties: { l: { type: 'array', maxItems: 200, items: { type: 'integer' } }, s: { type: 'string', maxLength } },
      'x-kubernetes-validations': [{ rule: "self.l.all(i, self.s.reverse() != '')" }],
    });
  assert.match(reverse(1024 * 1024)[0] ?? '', /Forbidden: estimated rule cost exceeds budget/);
  assert.deepEqual(reverse(1_000), []);
});

test('a messageExpression of an optionalOldSelf rule sees oldSelf as optional', () => {
  const rule = { rule: 'oldSelf.hasValue() ? self >= oldSelf.value() : true', optionalOldSelf: true, messageExpression: "oldSelf.hasValue() ? 'may not decrease from ' + string(oldSelf.value()) : 'new'" };
  assert.deepEqual(compileErrors({ type: 'object', properties: { n: { type: 'integer', 'x-kubernetes-validations': [rule] } } }), []);
});
