/**
 * ValidatingAdmissionPolicies and their bindings against a real API server: denials with the
 * policy's message or messageExpression and its reason's code, Warn bindings as Warning headers,
 * params from ConfigMaps (by name, by selector, missing under Deny and Allow), variables,
 * matchConditions, namespaceSelector, a binding's matchResources, failurePolicy Ignore, a custom
 * resource, defaults, Table columns and the validation of bad policies and bindings.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';
import { eventually } from './support/eventually.js';

const REG = '/apis/admissionregistration.k8s.io/v1';
const POLICIES = `${REG}/validatingadmissionpolicies`;
const BINDINGS = `${REG}/validatingadmissionpolicybindings`;
const DEPLOYMENTS = (namespace = 'default'): string => `/apis/apps/v1/namespaces/${namespace}/deployments`;
const CM = '/api/v1/namespaces/default/configmaps';

let api: RunningApi;

const deploymentsRule = { operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] };

function policyObject(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec: { matchConstraints: { resourceRules: [deploymentsRule] }, ...spec } };
}

function bindingObject(name: string, policyName: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec: { policyName, validationActions: ['Deny'], ...spec } };
}

async function inCache(path: string, name: string, present: boolean): Promise<void> {
  await eventually(async () => {
    const list = (await api.client.get(`${path}?resourceVersion=0`)).json as { items: { metadata: { name: string } }[] };
    return list.items.some((item) => item.metadata.name === name) === present ? true : undefined;
  }, `${name} ${present ? 'in' : 'gone from'} the cache`);
}

/** Creates a policy and its binding, runs `body`, then removes both. */
async function withPolicy(policy: Record<string, unknown>, binding: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
  const policyName = (policy.metadata as { name: string }).name;
  const bindingName = (binding.metadata as { name: string }).name;
  const created = await api.client.post(POLICIES, policy);
  assert.equal(created.status, 201, created.text);
  const bound = await api.client.post(BINDINGS, binding);
  assert.equal(bound.status, 201, bound.text);
  await inCache(POLICIES, policyName, true);
  await inCache(BINDINGS, bindingName, true);
  try {
    await body();
  } finally {
    await api.client.delete(`${BINDINGS}/${bindingName}`);
    await api.client.delete(`${POLICIES}/${policyName}`);
    await inCache(BINDINGS, bindingName, false);
  }
}

function deployment(name: string, replicas: number, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

const maxReplicas = (extra: Record<string, unknown> = {}): Record<string, unknown> =>
  policyObject('max-replicas.example.com', { validations: [{ expression: 'object.spec.replicas <= 5', ...extra }] });

before(async () => {
  api = await startApi('memory');
});

after(async () => {
  await api.close();
});

describe('ValidatingAdmissionPolicy', () => {
  test('a Deny binding refuses with 422 and "ValidatingAdmissionPolicy \'<policy>\' with binding \'<binding>\' denied request: failed expression: <expr>"', async () => {
    await withPolicy(maxReplicas(), bindingObject('max-replicas-binding', 'max-replicas.example.com'), async () => {
      const refused = await api.client.post(DEPLOYMENTS(), deployment('big', 7));
      assert.equal(refused.status, 422, refused.text);
      const status = refused.json as { message: string; reason: string; details: { causes: { message: string }[] } };
      const message = "ValidatingAdmissionPolicy 'max-replicas.example.com' with binding 'max-replicas-binding' denied request: failed expression: object.spec.replicas <= 5";
      assert.equal(status.message, `deployments.apps "big" is forbidden: ${message}`);
      assert.equal(status.reason, 'Invalid');
      assert.deepEqual(status.details.causes, [{ message }]);
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('small', 2))).status, 201);
      const scaledUp = await api.client.patch(`${DEPLOYMENTS()}/small`, { spec: { replicas: 9 } }, 'application/merge-patch+json');
      assert.equal(scaledUp.status, 422, scaledUp.text);
    });
  });

  test('the message, messageExpression and reason of a validation shape the refusal', async () => {
    await withPolicy(maxReplicas({ message: 'too many replicas', reason: 'Forbidden' }), bindingObject('b-message', 'max-replicas.example.com'), async () => {
      const refused = await api.client.post(DEPLOYMENTS(), deployment('big-message', 7));
      assert.equal(refused.status, 403, refused.text);
      assert.match((refused.json as { message: string }).message, /denied request: too many replicas$/);
    });
    const expression = maxReplicas({ message: 'ignored', messageExpression: "'replicas ' + string(object.spec.replicas) + ' is more than 5'" });
    await withPolicy(expression, bindingObject('b-expression', 'max-replicas.example.com'), async () => {
      const refused = await api.client.post(DEPLOYMENTS(), deployment('big-expression', 8));
      assert.equal(refused.status, 422, refused.text);
      assert.match((refused.json as { message: string }).message, /denied request: replicas 8 is more than 5$/);
    });
  });

  test('a Warn binding admits the request with a Warning header', async () => {
    await withPolicy(maxReplicas({ message: 'more than 5 replicas' }), bindingObject('b-warn', 'max-replicas.example.com', { validationActions: ['Warn', 'Audit'] }), async () => {
      const created = await api.client.post(DEPLOYMENTS(), deployment('warned', 6));
      assert.equal(created.status, 201, created.text);
      assert.equal(created.headers.warning, `299 - "Validation failed for ValidatingAdmissionPolicy 'max-replicas.example.com' with binding 'b-warn': more than 5 replicas"`);
    });
  });

  test('params come from a ConfigMap named by the binding, or selected by its labels; a missing one follows parameterNotFoundAction', async () => {
    for (const [name, max, tier] of [['limits-small', '2', 'small'], ['limits-large', '10', 'large']] as const) {
      assert.equal((await api.client.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { tier } }, data: { max } })).status, 201);
    }
    const policy = policyObject('param-replicas.example.com', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      validations: [{ expression: 'object.spec.replicas <= int(params.data.max)', messageExpression: "'at most ' + params.data.max + ' replicas'" }],
    });
    await withPolicy(policy, bindingObject('b-by-name', 'param-replicas.example.com', { paramRef: { name: 'limits-small', parameterNotFoundAction: 'Deny' } }), async () => {
      const refused = await api.client.post(DEPLOYMENTS(), deployment('p-three', 3));
      assert.equal(refused.status, 422, refused.text);
      assert.match((refused.json as { message: string }).message, /denied request: at most 2 replicas$/);
    });
    await withPolicy(policy, bindingObject('b-by-selector', 'param-replicas.example.com', { paramRef: { selector: { matchLabels: { tier: 'large' } }, parameterNotFoundAction: 'Deny' } }), async () => {
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('p-four', 4))).status, 201);
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('p-eleven', 11))).status, 422);
    });
    await withPolicy(policy, bindingObject('b-missing-deny', 'param-replicas.example.com', { paramRef: { name: 'nope', parameterNotFoundAction: 'Deny' } }), async () => {
      const refused = await api.client.post(DEPLOYMENTS(), deployment('p-missing', 1));
      assert.equal(refused.status, 422, refused.text);
      assert.match(
        (refused.json as { message: string }).message,
        /ValidatingAdmissionPolicy 'param-replicas.example.com' with binding 'b-missing-deny' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction$/,
      );
    });
    await withPolicy(policy, bindingObject('b-missing-allow', 'param-replicas.example.com', { paramRef: { name: 'nope', parameterNotFoundAction: 'Allow' } }), async () => {
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('p-allowed', 50))).status, 201);
    });
  });

  test('variables are available to validations and message expressions as variables.<name>', async () => {
    const policy = policyObject('variables.example.com', {
      variables: [
        { name: 'containers', expression: 'object.spec.template.spec.containers' },
        { name: 'untagged', expression: "variables.containers.filter(c, !c.image.contains(':')).map(c, c.name)" },
      ],
      validations: [{ expression: 'size(variables.untagged) == 0', messageExpression: "'untagged images in: ' + variables.untagged.join(', ')" }],
    });
    await withPolicy(policy, bindingObject('b-variables', 'variables.example.com'), async () => {
      const refused = await api.client.post(DEPLOYMENTS(), deployment('untagged', 1));
      assert.equal(refused.status, 422, refused.text);
      assert.match((refused.json as { message: string }).message, /denied request: untagged images in: c$/);
      const tagged = deployment('tagged', 1);
      ((tagged.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0] as { image: string }).image = 'nginx:1.27';
      assert.equal((await api.client.post(DEPLOYMENTS(), tagged)).status, 201);
    });
  });

  test('matchConditions, the namespaceSelector and the binding\'s matchResources choose what is validated', async () => {
    const never = (name: string, spec: Record<string, unknown>): Record<string, unknown> => policyObject(name, { validations: [{ expression: 'false', message: `${name} refused` }], ...spec });
    await withPolicy(never('conditions.example.com', { matchConditions: [{ name: 'labelled', expression: "has(object.metadata.labels) && 'strict' in object.metadata.labels" }] }), bindingObject('b-conditions', 'conditions.example.com'), async () => {
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('c-free', 1))).status, 201);
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('c-strict', 1, { strict: 'yes' }))).status, 422);
    });
    assert.equal((await api.client.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { env: 'prod' } } })).status, 201);
    const inProd = never('prod-only.example.com', { matchConstraints: { resourceRules: [deploymentsRule], namespaceSelector: { matchLabels: { env: 'prod' } } } });
    await withPolicy(inProd, bindingObject('b-prod', 'prod-only.example.com'), async () => {
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('n-default', 1))).status, 201);
      const refused = await eventually(async () => {
        const response = await api.client.post(DEPLOYMENTS('prod'), deployment('n-prod', 1));
        return response.status === 404 ? undefined : response;
      }, 'the prod namespace');
      assert.equal(refused.status, 422, refused.text);
    });
    const narrowed = bindingObject('b-narrowed', 'everything.example.com', { matchResources: { objectSelector: { matchLabels: { checked: 'true' } } } });
    await withPolicy(never('everything.example.com', {}), narrowed, async () => {
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('m-unchecked', 1))).status, 201);
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('m-checked', 1, { checked: 'true' }))).status, 422);
    });
  });

  test('an evaluation error refuses the request under failurePolicy Fail and is ignored under Ignore', async () => {
    const erring = (failurePolicy: string): Record<string, unknown> => policyObject(`erring-${failurePolicy.toLowerCase()}.example.com`, { failurePolicy, validations: [{ expression: 'object.spec.nothing > 1' }] });
    await withPolicy(erring('Fail'), bindingObject('b-fail', 'erring-fail.example.com'), async () => {
      const refused = await api.client.post(DEPLOYMENTS(), deployment('e-fail', 1));
      assert.equal(refused.status, 422, refused.text);
      assert.match((refused.json as { message: string }).message, /denied request: expression 'object.spec.nothing > 1' resulted in error: no such key: nothing$/);
    });
    await withPolicy(erring('Ignore'), bindingObject('b-ignore', 'erring-ignore.example.com'), async () => {
      assert.equal((await api.client.post(DEPLOYMENTS(), deployment('e-ignore', 1))).status, 201);
    });
  });

  test('a policy on a custom resource matches its group and plural', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    assert.equal((await api.client.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    const policy = policyObject('gadgets.example.com', {
      matchConstraints: { resourceRules: [{ operations: ['CREATE'], apiGroups: ['example.com'], apiVersions: ['*'], resources: ['gadgets'] }] },
      validations: [{ expression: "object.spec.size in ['S', 'M']", messageExpression: "'size ' + object.spec.size + ' is not allowed'" }],
    });
    await withPolicy(policy, bindingObject('b-gadgets', 'gadgets.example.com'), async () => {
      const refused = await eventually(async () => {
        const response = await api.client.post('/apis/example.com/v1/namespaces/default/gadgets', { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { size: 'XL' } });
        return response.status === 404 ? undefined : response;
      }, 'gadgets served');
      assert.equal(refused.status, 422, refused.text);
      assert.match((refused.json as { message: string }).message, /^gadgets.example.com "g" is forbidden: ValidatingAdmissionPolicy 'gadgets.example.com' with binding 'b-gadgets' denied request: size XL is not allowed$/);
    });
  });
});

describe('ValidatingAdmissionPolicy resources', () => {
  test('are defaulted as upstream and show NAME VALIDATIONS PARAMKIND AGE and NAME POLICYNAME PARAMREF AGE', async () => {
    const created = await api.client.post(POLICIES, policyObject('defaults.example.com', { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'true' }] }));
    assert.equal(created.status, 201, created.text);
    const policy = created.json as { spec: { failurePolicy: string; matchConstraints: Record<string, unknown> }; status: { observedGeneration: number } };
    assert.equal(policy.spec.failurePolicy, 'Fail');
    assert.equal(policy.spec.matchConstraints.matchPolicy, 'Equivalent');
    assert.deepEqual(policy.spec.matchConstraints.namespaceSelector, {});
    assert.deepEqual(policy.spec.matchConstraints.objectSelector, {});
    assert.equal(policy.status.observedGeneration, 1);
    const changed = await api.client.patch(`${POLICIES}/defaults.example.com`, { spec: { validations: [{ expression: 'true' }, { expression: '1 == 1' }] } }, 'application/merge-patch+json');
    assert.equal(changed.status, 200, changed.text);
    assert.equal((changed.json as { status: { observedGeneration: number } }).status.observedGeneration, 2);
    const bound = await api.client.post(BINDINGS, bindingObject('defaults-binding', 'defaults.example.com', { paramRef: { name: 'limits', namespace: 'default', parameterNotFoundAction: 'Allow' } }));
    assert.equal(bound.status, 201, bound.text);
    const table = 'application/json;as=Table;v=v1;g=meta.k8s.io';
    const policies = (await api.client.get(`${POLICIES}/defaults.example.com`, { Accept: table })).json as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    assert.deepEqual(policies.columnDefinitions.map((c) => c.name), ['Name', 'Validations', 'ParamKind', 'Age']);
    assert.deepEqual(policies.rows[0]?.cells.slice(0, 3), ['defaults.example.com', 2, 'v1/ConfigMap']);
    const bindings = (await api.client.get(`${BINDINGS}/defaults-binding`, { Accept: table })).json as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    assert.deepEqual(bindings.columnDefinitions.map((c) => c.name), ['Name', 'PolicyName', 'ParamRef', 'Age']);
    assert.deepEqual(bindings.rows[0]?.cells.slice(0, 3), ['defaults-binding', 'defaults.example.com', 'default/limits']);
    await api.client.delete(`${BINDINGS}/defaults-binding`);
    await api.client.delete(`${POLICIES}/defaults.example.com`);
  });

  test('bad policies and bindings are refused with 422 naming the fields', async () => {
    const bad = await api.client.post(POLICIES, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'bad.example.com' },
      spec: {
        failurePolicy: 'Sometimes',
        paramKind: { apiVersion: 'v1' },
        validations: [{ expression: 'object.spec.replicas <=' }, { expression: "'not a bool'" }, { expression: 'true', reason: 'Teapot' }],
        variables: [{ name: 'not-an-identifier', expression: 'object' }],
        matchConditions: [{ name: 'uses-authorizer', expression: "authorizer.group('').resource('pods').check('get').allowed()" }],
      },
    });
    assert.equal(bad.status, 422, bad.text);
    const causes = (bad.json as { details: { causes: { field: string; message: string }[] } }).details.causes;
    const fields = causes.map((c) => c.field);
    for (const field of [
      'spec.paramKind.kind',
      'spec.matchConstraints.resourceRules',
      'spec.failurePolicy',
      'spec.validations[0].expression',
      'spec.validations[1].expression',
      'spec.validations[2].reason',
      'spec.variables[0].name',
      'spec.matchConditions[0].expression',
    ]) {
      assert.ok(fields.includes(field), `${field} in ${JSON.stringify(causes)}`);
    }
    assert.match(causes.find((c) => c.field === 'spec.validations[0].expression')?.message ?? '', /compilation failed: ERROR: <input>:1:/);
    assert.match(causes.find((c) => c.field === 'spec.validations[1].expression')?.message ?? '', /must evaluate to bool/);
    assert.match(causes.find((c) => c.field === 'spec.matchConditions[0].expression')?.message ?? '', /undeclared reference to 'authorizer'/);
    const badBinding = await api.client.post(BINDINGS, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'bad-binding' },
      spec: { validationActions: ['Deny', 'Warn', 'Shout'], paramRef: { name: 'x', selector: {} } },
    });
    assert.equal(badBinding.status, 422, badBinding.text);
    const bindingCauses = (badBinding.json as { details: { causes: { field: string; message: string }[] } }).details.causes;
    const bindingFields = bindingCauses.map((c) => c.field);
    for (const field of ['spec.policyName', 'spec.validationActions[2]', 'spec.validationActions', 'spec.paramRef.name', 'spec.paramRef.parameterNotFoundAction']) {
      assert.ok(bindingFields.includes(field), `${field} in ${JSON.stringify(bindingCauses)}`);
    }
    assert.match(bindingCauses.find((c) => c.field === 'spec.validationActions')?.message ?? '', /must not contain both Deny and Warn/);
    const noActions = await api.client.post(BINDINGS, bindingObject('no-actions', 'p.example.com', { validationActions: [] }));
    assert.equal(noActions.status, 422, noActions.text);
  });
});
