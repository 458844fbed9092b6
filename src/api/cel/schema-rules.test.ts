import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import { compileSchemaRules } from './schema-rules.js';

type Schema = Record<string, unknown>;

/** A CRD schema whose spec has the given properties and rules. */
function specSchema(properties: Schema, rules: readonly Schema[], extra: Schema = {}): Schema {
  return { type: 'object', properties: { spec: { type: 'object', properties, 'x-kubernetes-validations': rules, ...extra } } };
}

const REPLICAS = { replicas: { type: 'integer' }, minReplicas: { type: 'integer' }, maxReplicas: { type: 'integer' } };

function messages(schema: Schema, object: unknown, old?: unknown): string[] {
  const rules = compileSchemaRules(schema);
  assert.deepEqual(rules.errors, []);
  return rules.validate(object, old).map(formatFieldError);
}

test('a rule that holds gives no error and one that fails names its field with the rule', () => {
  const schema = specSchema(REPLICAS, [{ rule: 'self.minReplicas <= self.replicas' }]);
  assert.deepEqual(messages(schema, { spec: { minReplicas: 1, replicas: 3 } }), []);
  assert.deepEqual(messages(schema, { spec: { minReplicas: 5, replicas: 3 } }), ['spec: Invalid value: "object": failed rule: self.minReplicas <= self.replicas']);
});

test('the message replaces the rule in the error', () => {
  const schema = specSchema(REPLICAS, [{ rule: 'self.replicas <= self.maxReplicas', message: 'replicas should be smaller than or equal to maxReplicas.' }]);
  assert.deepEqual(messages(schema, { spec: { replicas: 20, maxReplicas: 10 } }), [
    'spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas.',
  ]);
});

test('a rule on the root of the resource is reported at <nil> and sees apiVersion, kind and metadata.name', () => {
  const schema = { type: 'object', 'x-kubernetes-validations': [{ rule: "self.metadata.name.startsWith('ok-') && self.kind == 'Foo'" }] };
  assert.deepEqual(messages(schema, { apiVersion: 'x/v1', kind: 'Foo', metadata: { name: 'ok-1' } }), []);
  assert.deepEqual(messages(schema, { apiVersion: 'x/v1', kind: 'Foo', metadata: { name: 'bad' } }), [
    "<nil>: Invalid value: \"object\": failed rule: self.metadata.name.startsWith('ok-') && self.kind == 'Foo'",
  ]);
});

test('a transition rule runs on update only, with oldSelf the old value', () => {
  const schema = specSchema(REPLICAS, [{ rule: 'self.replicas >= oldSelf.replicas', message: 'replicas may not decrease' }]);
  assert.deepEqual(messages(schema, { spec: { replicas: 1 } }), [], 'create: no old value, the rule is skipped');
  assert.deepEqual(messages(schema, { spec: { replicas: 3 } }, { spec: { replicas: 2 } }), []);
  assert.deepEqual(messages(schema, { spec: { replicas: 1 } }, { spec: { replicas: 2 } }), ['spec: Invalid value: "object": replicas may not decrease']);
});

test('self == oldSelf makes a field immutable', () => {
  const schema = specSchema({ name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }] } }, []);
  assert.deepEqual(messages(schema, { spec: { name: 'a' } }, { spec: { name: 'a' } }), []);
  assert.deepEqual(messages(schema, { spec: { name: 'b' } }, { spec: { name: 'a' } }), ['spec.name: Invalid value: "string": Value is immutable']);
});

test('an object-valued immutable rule compares by value', () => {
  const schema = specSchema({ sel: { type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } }, []);
  assert.deepEqual(messages(schema, { spec: { sel: { a: 'x' } } }, { spec: { sel: { a: 'x' } } }), []);
  assert.equal(messages(schema, { spec: { sel: { a: 'y' } } }, { spec: { sel: { a: 'x' } } }).length, 1);
});

test('with optionalOldSelf a transition rule also runs on create, oldSelf being none', () => {
  const schema = specSchema(REPLICAS, [{ rule: 'oldSelf.hasValue() || self.replicas == 1', optionalOldSelf: true, message: 'start with one replica' }]);
  assert.deepEqual(messages(schema, { spec: { replicas: 2 } }), ['spec: Invalid value: "object": start with one replica']);
  assert.deepEqual(messages(schema, { spec: { replicas: 2 } }, { spec: { replicas: 1 } }), []);
});

test('messageExpression builds the message, and a failing one falls back to message', () => {
  const schema = specSchema(REPLICAS, [
    { rule: 'self.replicas <= self.maxReplicas', messageExpression: "'replicas ' + string(self.replicas) + ' exceeds ' + string(self.maxReplicas)" },
  ]);
  assert.deepEqual(messages(schema, { spec: { replicas: 20, maxReplicas: 10 } }), ['spec: Invalid value: "object": replicas 20 exceeds 10']);
  const fallback = specSchema({ ...REPLICAS, missing: { type: 'string' } }, [{ rule: 'self.replicas >= 0', message: 'fallback', messageExpression: "self.missing + 'x'" }]);
  assert.deepEqual(messages(fallback, { spec: { replicas: -1 } }), ['spec: Invalid value: "object": fallback']);
  const noMessage = specSchema(REPLICAS, [{ rule: 'self.replicas >= 0', messageExpression: "''" }]);
  assert.deepEqual(messages(noMessage, { spec: { replicas: -1 } }), ['spec: Invalid value: "object": failed rule: self.replicas >= 0']);
});

test('reason and fieldPath choose the type and the field of the error', () => {
  const schema = specSchema({ ...REPLICAS, labels: { type: 'object', additionalProperties: { type: 'string' } } }, [
    { rule: 'self.replicas >= 0', reason: 'FieldValueForbidden', fieldPath: '.replicas', message: 'must not be negative' },
    { rule: "'app' in self.labels", reason: 'FieldValueRequired', fieldPath: ".labels['app']", message: 'app label required' },
    { rule: 'self.replicas != 7', reason: 'FieldValueDuplicate' },
  ]);
  assert.deepEqual(messages(schema, { spec: { replicas: 7, labels: {} } }), [
    'spec.labels[app]: Required value: app label required',
    'spec: Duplicate value: "object"',
  ]);
  assert.deepEqual(messages(schema, { spec: { replicas: -1, labels: { app: 'x' } } }), ['spec.replicas: Forbidden: must not be negative']);
});

test('a rule over a list with all() reports at the list, and rules on items report each index', () => {
  const schema = specSchema(
    {
      tags: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() <= 3' }] }, 'x-kubernetes-validations': [{ rule: 'self.all(t, t != "")' }] },
    },
    [],
  );
  assert.deepEqual(messages(schema, { spec: { tags: ['ok', '', 'toolong'] } }), [
    'spec.tags: Invalid value: "array": failed rule: self.all(t, t != "")',
    'spec.tags[2]: Invalid value: "string": failed rule: self.size() <= 3',
  ]);
});

test('items of a map-type list correlate with the old item of the same key for transition rules', () => {
  const schema = specSchema(
    {
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.port == oldSelf.port', message: 'port is immutable' }] },
      },
    },
    [],
  );
  const old = { spec: { ports: [{ name: 'a', port: 1 }, { name: 'b', port: 2 }] } };
  assert.deepEqual(messages(schema, { spec: { ports: [{ name: 'b', port: 2 }, { name: 'a', port: 1 }, { name: 'c', port: 9 }] } }, old), []);
  assert.deepEqual(messages(schema, { spec: { ports: [{ name: 'b', port: 3 }] } }, old), ['spec.ports[0]: Invalid value: "object": port is immutable']);
});

test('a map-type list of many items correlates each item with its old one by the key tuple', () => {
  const schema = specSchema(
    {
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['port', 'protocol'],
        items: {
          type: 'object',
          properties: { port: { type: 'integer' }, protocol: { type: 'string' }, name: { type: 'string' } },
          'x-kubernetes-validations': [{ rule: 'self.name == oldSelf.name', message: 'name is immutable' }],
        },
      },
    },
    [],
  );
  const ports = (n: number, rename?: number): unknown[] =>
    Array.from({ length: n }, (_, i) => ({ port: Math.floor(i / 2), protocol: i % 2 === 0 ? 'TCP' : 'UDP', name: i === rename ? 'renamed' : `p${i}` }));
  const old = { spec: { ports: ports(60_000) } };
  assert.deepEqual(messages(schema, { spec: { ports: ports(60_000).reverse() } }, old), []);
  assert.deepEqual(messages(schema, { spec: { ports: ports(60_000, 59_999) } }, old), ['spec.ports[59999]: Invalid value: "object": name is immutable']);
});

test('an optionalOldSelf rule\'s messageExpression is evaluated with oldSelf optional', () => {
  const rule = {
    rule: "oldSelf.hasValue() ? self == oldSelf.value() : self.startsWith('v')",
    optionalOldSelf: true,
    messageExpression: "oldSelf.hasValue() ? 'may not change from ' + oldSelf.value() : 'must start with v'",
  };
  const schema = specSchema({ s: { type: 'string', 'x-kubernetes-validations': [rule] } }, []);
  assert.deepEqual(messages(schema, { spec: { s: 'x' } }), ['spec.s: Invalid value: "string": must start with v']);
  assert.deepEqual(messages(schema, { spec: { s: 'v2' } }, { spec: { s: 'v1' } }), ['spec.s: Invalid value: "string": may not change from v1']);
});

test('values of a map are validated under their keys', () => {
  const schema = specSchema({ limits: { type: 'object', additionalProperties: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 0' }] } } }, []);
  assert.deepEqual(messages(schema, { spec: { limits: { cpu: 1, mem: 0 } } }), ['spec.limits[mem]: Invalid value: "integer": failed rule: self > 0']);
});

test('int-or-string values are dyn and property names are escaped', () => {
  const schema = specSchema(
    { port: { 'x-kubernetes-int-or-string': true }, 'max-surge': { type: 'string' } },
    [{ rule: "type(self.port) == string ? self.port.endsWith('%') : self.port > 0" }, { rule: "self.max__dash__surge != 'x'" }],
  );
  assert.deepEqual(messages(schema, { spec: { port: 8080, 'max-surge': 'y' } }), []);
  assert.deepEqual(messages(schema, { spec: { port: '25%', 'max-surge': 'y' } }), []);
  assert.equal(messages(schema, { spec: { port: 'x', 'max-surge': 'x' } }).length, 2);
});

test('preserved unknown fields are reachable as dyn and embedded resources show only name and generateName of metadata', () => {
  const schema = specSchema(
    {
      extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        'x-kubernetes-preserve-unknown-fields': true,
        'x-kubernetes-validations': [{ rule: "self.kind == 'Pod' && self.metadata.name == 'p' && !has(self.metadata.labels)" }],
      },
    },
    [{ rule: 'self.extra.depth.n == 2' }],
  );
  assert.deepEqual(messages(schema, { spec: { extra: { depth: { n: 2 } }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } } } } }), []);
});

test('a runtime error is reported with the rule and no such overload explains itself', () => {
  const schema = specSchema({ v: { 'x-kubernetes-int-or-string': true } }, [{ rule: 'self.v > 1' }]);
  assert.deepEqual(messages(schema, { spec: { v: 'str' } }), [
    "spec: Invalid value: \"object\": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: self.v > 1",
  ]);
});

test('a rule costing more than the per-call limit stops validation with upstream\'s message', () => {
  const schema = specSchema({ xs: { type: 'array', items: { type: 'integer' } } }, [
    { rule: 'self.xs.all(x, self.xs.all(y, x + y >= 0))' },
    { rule: 'false' },
  ]);
  const rules = compileSchemaRules(schema, { perCallLimit: 5000 });
  const errors = rules.validate({ spec: { xs: Array.from({ length: 100 }, (_, i) => i) } }).map(formatFieldError);
  assert.deepEqual(errors, [
    "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.xs.all(x, self.xs.all(y, x + y >= 0))",
  ]);
});

test('rules past the per-request budget are not run', () => {
  const schema = specSchema({ xs: { type: 'array', items: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self >= 0' }] } } }, []);
  const rules = compileSchemaRules(schema);
  const errors = rules.validate({ spec: { xs: Array.from({ length: 50 }, (_, i) => i) } }, undefined, { costBudget: 20 }).map(formatFieldError);
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /^spec\.xs\[\d+\]: Invalid value: "integer": validation failed due to running out of cost budget, no further validation rules will be run$/);
});

test('null values are not validated and null fields are absent', () => {
  const schema = specSchema({ opt: { type: 'string', nullable: true, 'x-kubernetes-validations': [{ rule: 'self != ""' }] } }, [{ rule: '!has(self.opt)' }]);
  assert.deepEqual(messages(schema, { spec: { opt: null } }), []);
});

test('a schema without rules validates nothing', () => {
  const rules = compileSchemaRules({ type: 'object', properties: { spec: { type: 'object' } } });
  assert.equal(rules.hasRules, false);
  assert.deepEqual(rules.validate({ spec: {} }), []);
});

test('on update an unchanged invalid value only warns (ratcheting), a changed one is an error', () => {
  const schema = specSchema({ ...REPLICAS, name: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.startsWith('a')" }] } }, [
    { rule: 'self.minReplicas <= self.replicas' },
  ]);
  const rules = compileSchemaRules(schema);
  const old = { spec: { name: 'bad', replicas: 1, minReplicas: 5 } };
  const warnings: string[] = [];
  const errors = rules.validate({ spec: { name: 'bad', replicas: 1, minReplicas: 5 } }, old, { warnings }).map(formatFieldError);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings.sort(), [
    'spec.name: Invalid value: "string": failed rule: self.startsWith(\'a\')',
    'spec: Invalid value: "object": failed rule: self.minReplicas <= self.replicas',
  ]);
  const changed = rules.validate({ spec: { name: 'bad', replicas: 2, minReplicas: 5 } }, old).map(formatFieldError);
  assert.deepEqual(changed, ['spec: Invalid value: "object": failed rule: self.minReplicas <= self.replicas']);
});

test('items of a list that cannot be correlated ratchet with their unchanged list', () => {
  const schema = specSchema({ tags: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self != ""' }] } } }, []);
  const rules = compileSchemaRules(schema);
  assert.deepEqual(rules.validate({ spec: { tags: ['', 'a'] } }, { spec: { tags: ['', 'a'] } }), []);
  assert.equal(rules.validate({ spec: { tags: ['', 'b'] } }, { spec: { tags: ['', 'a'] } }).length, 1);
});

test('strings of format date-time and duration are timestamps and durations', () => {
  const schema = specSchema(
    { start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' }, timeout: { type: 'string', format: 'duration' } },
    [{ rule: 'self.start < self.end && self.timeout <= duration("1h")', message: 'bad times' }],
  );
  assert.deepEqual(messages(schema, { spec: { start: '2024-01-01T00:00:00Z', end: '2024-06-01T00:00:00Z', timeout: '30m' } }), []);
  assert.deepEqual(messages(schema, { spec: { start: '2024-07-01T00:00:00Z', end: '2024-06-01T00:00:00Z', timeout: '30m' } }), ['spec: Invalid value: "object": bad times']);
  assert.deepEqual(messages(schema, { spec: { start: '2024-01-01T00:00:00Z', end: '2024-06-01T00:00:00Z', timeout: '2h' } }), ['spec: Invalid value: "object": bad times']);
});
