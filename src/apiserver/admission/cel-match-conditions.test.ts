import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdmissionAttributes } from './attributes.js';
import { createAttributes } from './attributes-testing.js';
import { CelMatchConditions } from './cel-match-conditions.js';
import type { MatchCondition } from './webhook.js';

function attrs(overrides: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return createAttributes({ object: { metadata: { name: 'c', labels: { team: 'a' } }, data: { size: '3' } }, ...overrides });
}

const conditions = (...expressions: string[]): readonly MatchCondition[] => expressions.map((expression, i) => ({ name: `c${i}`, expression }));

describe('CEL matchConditions', () => {
  test('all true conditions match, reading object, oldObject and request', () => {
    const result = new CelMatchConditions().evaluate(
      conditions("object.metadata.labels.team == 'a'", 'oldObject == null', "request.operation == 'CREATE' && request.resource.resource == 'configmaps'", "request.userInfo.username == 'system:admin'"),
      attrs(),
    );
    assert.deepEqual(result, { matches: true });
  });

  test('a false condition does not match and is named, even when another one errs', () => {
    const result = new CelMatchConditions().evaluate(conditions('object.missing == 1', "object.metadata.name == 'other'"), attrs());
    assert.deepEqual(result, { matches: false, failedCondition: 'c1' });
  });

  test('an evaluation error without a false condition is an error naming the expression', () => {
    const result = new CelMatchConditions().evaluate(conditions('object.missing == 1'), attrs());
    assert.ok('error' in result);
    assert.match(result.error, /^failed to evaluate match conditions: expression 'object.missing == 1' resulted in error: no such key: missing/);
  });

  test('authorizer is not declared, so a condition using it is an error', () => {
    const result = new CelMatchConditions().evaluate(conditions("authorizer.group('').resource('pods').check('get').allowed()"), attrs());
    assert.ok('error' in result);
    assert.match(result.error, /compilation failed: ERROR: <input>:1:1: undeclared reference to 'authorizer'/);
  });

  test('conditions are compiled once per conditions list', () => {
    const evaluator = new CelMatchConditions();
    const list = conditions('request.dryRun == false');
    assert.deepEqual(evaluator.evaluate(list, attrs()), { matches: true });
    assert.deepEqual(evaluator.evaluate(list, attrs({ dryRun: true })), { matches: false, failedCondition: 'c0' });
  });

  test('an expression past the per-call cost limit is an evaluation error', () => {
    const ten = '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]';
    const expensive = `${ten}.all(a, ${ten}.all(b, ${ten}.all(c, ${ten}.all(d, ${ten}.all(e, ${ten}.all(f, a + b + c + d + e + f >= 0))))))`;
    const result = new CelMatchConditions().evaluate(conditions(expensive), attrs());
    assert.ok('error' in result);
    assert.match(result.error, /resulted in error: operation cancelled: actual cost limit exceeded$/);
  });
});
