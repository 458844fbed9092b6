import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import { type AdmissionAttributes, writeOptions } from './attributes.js';
import { createAttributes } from './attributes-testing.js';
import { type PolicySource, ValidatingAdmissionPolicyPlugin } from './policy-plugin.js';

function attrs(overrides: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return createAttributes({ group: 'apps', kind: 'Deployment', resource: 'deployments', name: 'web', object: { metadata: { name: 'web', labels: {} }, spec: { replicas: 7 } }, ...overrides });
}

const deploymentsRule = { operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] };

function policy(name: string, spec: JsonObject): JsonObject {
  return { metadata: { name }, spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [deploymentsRule] }, ...spec } };
}

function binding(name: string, policyName: string, spec: JsonObject = {}): JsonObject {
  return { metadata: { name }, spec: { policyName, validationActions: ['Deny'], ...spec } };
}

const configMaps: JsonObject[] = [
  { metadata: { name: 'limits', namespace: 'default', labels: { kind: 'limit' } }, data: { max: '5' } },
  { metadata: { name: 'strict', namespace: 'default', labels: { kind: 'limit' } }, data: { max: '3' } },
];

function source(policies: JsonObject[], bindings: JsonObject[], namespaces: Record<string, JsonObject> = { default: { metadata: { name: 'default', labels: { env: 'dev' } } } }): PolicySource {
  return {
    hasAny: () => bindings.length > 0,
    policies: () => policies,
    bindings: () => bindings,
    namespace: (name) => Promise.resolve(namespaces[name]),
    paramStore: (kind) =>
      kind.kind === 'ConfigMap' && kind.apiVersion === 'v1'
        ? {
            namespaced: true,
            get: (namespace, name) => configMaps.find((c) => (c.metadata as JsonObject).name === name && (c.metadata as JsonObject).namespace === namespace),
            list: (namespace, selector) =>
              configMaps.filter((c) => (c.metadata as JsonObject).namespace === namespace && selector.matches((c.metadata as JsonObject).labels as Record<string, string>)),
          }
        : undefined,
  };
}

async function refusal(promise: Promise<unknown>): Promise<StatusError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof StatusError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

describe('ValidatingAdmissionPolicy plugin', () => {
  test('a false validation denies with upstream\'s message, reason Invalid and code 422 by default', async () => {
    const plugin = new ValidatingAdmissionPolicyPlugin(source([policy('max', { validations: [{ expression: 'object.spec.replicas <= 5' }] })], [binding('max-b', 'max')]));
    const error = await refusal(plugin.validate(attrs()));
    assert.equal(error.code, 422);
    assert.equal(error.reason, 'Invalid');
    assert.equal(error.message, "deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'max' with binding 'max-b' denied request: failed expression: object.spec.replicas <= 5");
    assert.deepEqual(error.details?.causes, [{ message: "ValidatingAdmissionPolicy 'max' with binding 'max-b' denied request: failed expression: object.spec.replicas <= 5" }]);
  });

  test('messageExpression, then message, give the denial its text, and reason its code', async () => {
    const plugin = new ValidatingAdmissionPolicyPlugin(
      source(
        [policy('max', { validations: [{ expression: 'object.spec.replicas <= 5', message: 'static', messageExpression: "'replicas ' + string(object.spec.replicas) + ' > 5'", reason: 'Forbidden' }] })],
        [binding('b', 'max')],
      ),
    );
    const error = await refusal(plugin.validate(attrs()));
    assert.equal(error.code, 403);
    assert.match(error.message, /denied request: replicas 7 > 5$/);
  });

  test('Warn returns the warning instead of refusing; requests the rules do not cover pass', async () => {
    const plugin = new ValidatingAdmissionPolicyPlugin(source([policy('max', { validations: [{ expression: 'object.spec.replicas <= 5', message: 'too many' }] })], [binding('b', 'max', { validationActions: ['Warn'] })]));
    assert.deepEqual(await plugin.validate(attrs()), ["Validation failed for ValidatingAdmissionPolicy 'max' with binding 'b': too many"]);
    assert.deepEqual(await plugin.validate(attrs({ group: '', resource: 'configmaps', kind: 'ConfigMap' })), []);
  });

  test('params come from the param store by name or selector, and a missing param follows parameterNotFoundAction', async () => {
    const spec = { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'object.spec.replicas <= int(params.data.max)', messageExpression: "'at most ' + params.data.max" }] };
    const byName = new ValidatingAdmissionPolicyPlugin(source([policy('p', spec)], [binding('b', 'p', { paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } })]));
    assert.match((await refusal(byName.validate(attrs()))).message, /denied request: at most 5$/);
    assert.deepEqual(await byName.validate(attrs({ object: { metadata: { name: 'web' }, spec: { replicas: 4 } } })), []);
    const bySelector = new ValidatingAdmissionPolicyPlugin(source([policy('p', spec)], [binding('b', 'p', { paramRef: { selector: { matchLabels: { kind: 'limit' } }, parameterNotFoundAction: 'Deny' } })]));
    assert.match((await refusal(bySelector.validate(attrs({ object: { metadata: { name: 'web' }, spec: { replicas: 4 } } })))).message, /at most 3$/);
    const missingDeny = new ValidatingAdmissionPolicyPlugin(source([policy('p', spec)], [binding('b', 'p', { paramRef: { name: 'nope', parameterNotFoundAction: 'Deny' } })]));
    assert.match((await refusal(missingDeny.validate(attrs()))).message, /with binding 'b' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction$/);
    const missingAllow = new ValidatingAdmissionPolicyPlugin(source([policy('p', spec)], [binding('b', 'p', { paramRef: { name: 'nope', parameterNotFoundAction: 'Allow' } })]));
    assert.deepEqual(await missingAllow.validate(attrs()), []);
  });

  test('variables are evaluated lazily and can use earlier variables', async () => {
    const plugin = new ValidatingAdmissionPolicyPlugin(
      source(
        [
          policy('v', {
            variables: [
              { name: 'replicas', expression: 'object.spec.replicas' },
              { name: 'tooMany', expression: 'variables.replicas > 5' },
              { name: 'broken', expression: 'object.nothing.here' },
            ],
            validations: [{ expression: '!variables.tooMany', messageExpression: "'replicas: ' + string(variables.replicas)" }],
          }),
        ],
        [binding('b', 'v')],
      ),
    );
    assert.match((await refusal(plugin.validate(attrs()))).message, /denied request: replicas: 7$/);
  });

  test('an evaluation error denies under failurePolicy Fail and is ignored under Ignore', async () => {
    const failing = policy('e', { validations: [{ expression: 'object.spec.missing > 1' }] });
    const fail = new ValidatingAdmissionPolicyPlugin(source([failing], [binding('b', 'e')]));
    assert.match((await refusal(fail.validate(attrs()))).message, /denied request: expression 'object.spec.missing > 1' resulted in error: no such key: missing$/);
    const ignore = new ValidatingAdmissionPolicyPlugin(source([{ ...failing, spec: { ...(failing.spec as JsonObject), failurePolicy: 'Ignore' } }], [binding('b', 'e')]));
    assert.deepEqual(await ignore.validate(attrs()), []);
  });

  test('matchConditions, namespaceSelector and the binding\'s matchResources narrow what is validated', async () => {
    const validations = [{ expression: 'false', message: 'no' }];
    const conditioned = new ValidatingAdmissionPolicyPlugin(source([policy('c', { validations, matchConditions: [{ name: 'big', expression: 'object.spec.replicas > 10' }] })], [binding('b', 'c')]));
    assert.deepEqual(await conditioned.validate(attrs()), []);
    const prodOnly = new ValidatingAdmissionPolicyPlugin(
      source([policy('n', { validations, matchConstraints: { resourceRules: [deploymentsRule], namespaceSelector: { matchLabels: { env: 'prod' } } } })], [binding('b', 'n')]),
    );
    assert.deepEqual(await prodOnly.validate(attrs()), []);
    const narrowed = new ValidatingAdmissionPolicyPlugin(
      source([policy('m', { validations })], [binding('b', 'm', { matchResources: { resourceRules: [{ ...deploymentsRule, resourceNames: ['other'] }] } })]),
    );
    assert.deepEqual(await narrowed.validate(attrs()), []);
    assert.equal((await refusal(narrowed.validate(attrs({ name: 'other', object: { metadata: { name: 'other' }, spec: {} } })))).code, 422);
  });

  test('namespaceObject is the request\'s namespace and params is null without a paramKind', async () => {
    const plugin = new ValidatingAdmissionPolicyPlugin(
      source([policy('ns', { validations: [{ expression: "namespaceObject.metadata.labels.env == 'prod' && params == null", message: 'dev' }] })], [binding('b', 'ns')]),
    );
    assert.match((await refusal(plugin.validate(attrs()))).message, /denied request: dev$/);
  });

  test('policy and webhook configurations themselves are exempt', async () => {
    const plugin = new ValidatingAdmissionPolicyPlugin(source([policy('all', { matchConstraints: { resourceRules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }] }, validations: [{ expression: 'false' }] })], [binding('b', 'all')]));
    assert.deepEqual(await plugin.validate(attrs({ group: 'admissionregistration.k8s.io', resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', namespace: '' })), []);
    assert.equal((await refusal(plugin.validate(attrs()))).code, 422);
  });

  test('a DELETE is validated with object null and the stored object as oldObject', async () => {
    const spec = {
      matchConstraints: { resourceRules: [{ ...deploymentsRule, operations: ['DELETE'] }] },
      validations: [{ expression: "object == null && !('protected' in oldObject.metadata.labels)", message: 'protected' }],
    };
    const plugin = new ValidatingAdmissionPolicyPlugin(source([policy('d', spec)], [binding('b', 'd')]));
    const stored = { metadata: { name: 'web', labels: { protected: 'yes' } }, spec: { replicas: 1 } };
    const error = await refusal(plugin.validate(attrs({ operation: 'DELETE', object: undefined, oldObject: stored, options: writeOptions('DELETE', false) })));
    assert.equal(error.message, "deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'd' with binding 'b' denied request: protected");
    assert.deepEqual(await plugin.validate(attrs({ operation: 'DELETE', object: undefined, oldObject: { metadata: { name: 'web', labels: {} } }, options: writeOptions('DELETE', false) })), []);
  });
});
