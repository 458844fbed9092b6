/**
 * @module
 * Tests of a ValidatingAdmissionPolicy's `variables`: each compiles seeing only the variables before
 * it (policy-compiler.ts), and a variable that reads itself is an evaluation error, never a
 * recursion (policy-validator.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import type { AdmissionAttributes } from './attributes.js';
import { createAttributes } from './attributes-testing.js';
import { POLICY_VARIABLES, baseActivation } from './cel-activation.js';
import { compileAs } from './cel-conditions.js';
import { type ValidatingPolicy, parsePolicy } from './policy.js';
import { validatePolicy } from './policy-validator.js';

const attributes: AdmissionAttributes = createAttributes({ object: { metadata: { name: 'c' }, data: { a: '1' } } });

function policyWith(variables: JsonObject[], expression = 'variables.size() > 0'): ValidatingPolicy {
  return parsePolicy({ metadata: { name: 'p' }, spec: { variables, validations: [{ expression }] } });
}

const run = (policy: ValidatingPolicy): ReturnType<typeof validatePolicy> =>
  validatePolicy(policy, { base: baseActivation(attributes), params: null, namespaceObject: null });

describe('policy variables', () => {
  test('a variable may use the variables before it, and validations may use all of them', () => {
    const policy = policyWith([{ name: 'size', expression: 'object.data.size()' }, { name: 'big', expression: 'variables.size > 0' }], 'variables.big && variables.size == 1');
    assert.deepEqual(run(policy), [{ action: 'admit', message: '', reason: '' }]);
  });

  test('a variable that refers to itself or to a later variable does not compile: undefined field', () => {
    const policy = policyWith([{ name: 'a', expression: 'variables.a' }, { name: 'b', expression: 'variables.c' }, { name: 'c', expression: '1' }]);
    const [a, b, c] = policy.variables;
    assert.ok(a !== undefined && 'compileError' in a.compiled);
    assert.match(a.compiled.compileError, /^compilation failed: ERROR: <input>:1:\d+: undefined field 'a'/);
    assert.ok(b !== undefined && 'compileError' in b.compiled);
    assert.match(b.compiled.compileError, /undefined field 'c'/);
    assert.ok(c !== undefined && 'program' in c.compiled);
  });

  test('a validation reading a self-referencing variable is denied with its compile error under failurePolicy Fail', () => {
    const [decision] = run(policyWith([{ name: 'a', expression: 'variables.a + 1' }], 'variables.a > 0'));
    assert.equal(decision?.action, 'deny');
    assert.match(decision?.message ?? '', /composited variable "a" fails to compile: compilation failed: .*undefined field 'a'/);
  });

  test('a variable read while it is being evaluated is an evaluation error, not a recursion', () => {
    // Compiled without the composition checker, as nothing stops a program from reading itself.
    const loose = compileAs('variables.a + 1', POLICY_VARIABLES, 'dyn');
    const check = compileAs('variables.a > 0', POLICY_VARIABLES, 'bool');
    assert.ok('program' in loose && 'program' in check);
    const policy: ValidatingPolicy = {
      ...policyWith([]),
      variables: [{ name: 'a', expression: 'variables.a + 1', compiled: loose }],
      validations: [{ expression: 'variables.a > 0', compiled: check, message: '', messageExpression: undefined, reason: undefined }],
    };
    const [decision] = run(policy);
    assert.equal(decision?.action, 'deny');
    assert.match(decision?.message ?? '', /composited variable "a" refers to itself/);
  });
});
