import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import { validateVersionSchema } from './crd-schema-validation.js';

const PATH = 'spec.versions[0].schema.openAPIV3Schema';

function errors(pattern: string): string[] {
  const schema = { type: 'object', properties: { spec: { type: 'object', properties: { name: { type: 'string', pattern } } } } };
  return validateVersionSchema(schema, PATH, false).map(formatFieldError);
}

test('a pattern RE2 compiles is accepted', () => {
  assert.deepEqual(errors('^[a-z]([-a-z0-9]*[a-z0-9])?$'), []);
});

test('a pattern RE2 refuses (a lookahead, a bad repetition) is refused naming the field, in upstream’s words', () => {
  const [lookahead] = errors('^(?=a)b$');
  assert.match(lookahead ?? '', /^spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.properties\[name\]\.pattern: Invalid value: "\^\(\?=a\)b\$": must be a valid regular expression, but isn't: error parsing regexp: /);
  assert.equal(errors('a**').length, 1);
});
