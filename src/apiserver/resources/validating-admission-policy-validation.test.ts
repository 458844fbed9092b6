/**
 * @module
 * Tests of validating-admission-policy-validation.ts: variables that refer to themselves or to later
 * variables, references to undeclared variables, and the rule checks shared with webhook rules.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { validatePolicy } from './validating-admission-policy-validation.js';

const RULE = { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] };

function policy(spec: JsonObject): JsonObject {
  return { metadata: { name: 'p' }, spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [RULE] }, validations: [{ expression: 'true' }], ...spec } };
}

const at = (errors: ReturnType<typeof validatePolicy>, field: string): string[] => errors.filter((e) => e.field === field).map((e) => `${e.type}: ${e.detail ?? ''}`);

describe('ValidatingAdmissionPolicy validation', () => {
  test('a policy whose variables use only earlier variables is valid', () => {
    const errors = validatePolicy(policy({ variables: [{ name: 'a', expression: '1' }, { name: 'b', expression: 'variables.a + 1' }], validations: [{ expression: 'variables.b == 2' }] }));
    assert.deepEqual(errors, []);
  });

  test('a variable that refers to itself is refused: undefined field', () => {
    const errors = validatePolicy(policy({ variables: [{ name: 'a', expression: 'variables.a + 1' }] }));
    const [message] = at(errors, 'spec.variables[0].expression');
    assert.match(message ?? '', /^FieldValueInvalid: compilation failed: ERROR: <input>:1:11: undefined field 'a'/);
  });

  test('a variable that refers to a later variable is refused, the later one is not', () => {
    const errors = validatePolicy(policy({ variables: [{ name: 'a', expression: 'variables.b' }, { name: 'b', expression: '1' }] }));
    assert.match(at(errors, 'spec.variables[0].expression')[0] ?? '', /undefined field 'b'/);
    assert.deepEqual(at(errors, 'spec.variables[1].expression'), []);
  });

  test('a validation or matchCondition naming a variable that is not declared is refused', () => {
    const errors = validatePolicy(policy({ validations: [{ expression: 'variables.nope' }], matchConditions: [{ name: 'm', expression: 'variables.gone' }] }));
    assert.match(at(errors, 'spec.validations[0].expression')[0] ?? '', /undefined field 'nope'/);
    assert.match(at(errors, 'spec.matchConditions[0].expression')[0] ?? '', /undefined field 'gone'/);
  });

  test('a result of the wrong type reads "must evaluate to <type>"', () => {
    const errors = validatePolicy(policy({ validations: [{ expression: '1', messageExpression: '2' }] }));
    assert.deepEqual(at(errors, 'spec.validations[0].expression'), ['FieldValueInvalid: must evaluate to bool']);
    assert.deepEqual(at(errors, 'spec.validations[0].messageExpression'), ['FieldValueInvalid: must evaluate to string']);
  });

  test('an empty apiVersion in a resource rule is Required, as in a webhook rule', () => {
    const errors = validatePolicy(policy({ matchConstraints: { resourceRules: [{ ...RULE, apiVersions: ['v1', ''] }] } }));
    assert.deepEqual(at(errors, 'spec.matchConstraints.resourceRules[0].apiVersions[1]'), ['FieldValueRequired: ']);
  });
});
