/**
 * CRD creation checks the CEL rules of its schemas (x-kubernetes-validations) through the real
 * in-process server: a rule that does not compile is a 422 whose cause names the rule's path in
 * spec.versions[i].schema.openAPIV3Schema with cel-go's compile error; so are oldSelf on an
 * uncorrelatable list item and a rule too costly by estimate; a CRD whose rules compile is accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningApi, startApi } from './support/api-harness.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function crd(plural: string, spec: Record<string, unknown>): Record<string, unknown> {
  const kind = plural[0]?.toUpperCase() + plural.slice(1, -1);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.cel.example.com` },
    spec: {
      group: 'cel.example.com',
      scope: 'Namespaced',
      names: { plural, singular: plural.slice(0, -1), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }],
    },
  };
}

interface Cause {
  readonly reason?: string;
  readonly field?: string;
  readonly message?: string;
}

function causes(body: unknown): Cause[] {
  const details = (body as { details?: { causes?: Cause[] } }).details;
  return details?.causes ?? [];
}

describe('CRD creation with x-kubernetes-validations', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi('memory');
  });
  after(async () => {
    await api.close();
  });

  it('accepts a CRD whose rules compile', async () => {
    const response = await api.client.post(
      CRDS,
      crd('widgets', {
        type: 'object',
        properties: { replicas: { type: 'integer' }, minReplicas: { type: 'integer' } },
        'x-kubernetes-validations': [
          { rule: 'self.minReplicas <= self.replicas', message: 'minReplicas must not exceed replicas' },
          { rule: 'self.replicas >= oldSelf.replicas', messageExpression: "'replicas may not shrink below ' + string(oldSelf.replicas)" },
        ],
      }),
    );
    assert.equal(response.status, 201, response.text);
  });

  it('rejects a rule that does not compile with 422 naming the rule and cel-go\'s error', async () => {
    const response = await api.client.post(
      CRDS,
      crd('gadgets', { type: 'object', properties: { replicas: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.nope > 1' }] }),
    );
    assert.equal(response.status, 422, response.text);
    const body = response.json as { reason?: string; message?: string };
    assert.equal(body.reason, 'Invalid');
    const field = 'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule';
    assert.deepEqual(
      causes(body).map((c) => [c.reason, c.field]),
      [['FieldValueInvalid', field]],
    );
    assert.match(causes(body)[0]?.message ?? '', /^Invalid value: apiextensions\.ValidationRule\{Rule:"self\.nope > 1", .*\}: compilation failed: ERROR: <input>:1:6: undefined field 'nope'\n \| self\.nope > 1\n \| \.\.\.\.\.\^$/);
    assert.match(body.message ?? '', /^CustomResourceDefinition\.apiextensions\.k8s\.io "gadgets\.cel\.example\.com" is invalid: spec\.versions\[0\]/);
  });

  it('rejects oldSelf in the items of a list that is not a map', async () => {
    const response = await api.client.post(
      CRDS,
      crd('gizmos', { type: 'object', properties: { tags: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } } } }),
    );
    assert.equal(response.status, 422, response.text);
    assert.match(causes(response.json)[0]?.message ?? '', /oldSelf cannot be used on the uncorrelatable portion of the schema within spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.properties\[tags\]\.items$/);
  });

  it('rejects a rule whose estimated cost is past the limit, and accepts it once maxItems bounds the list', async () => {
    const spec = (maxItems?: number): Record<string, unknown> => ({
      type: 'object',
      properties: {
        names: { type: 'array', ...(maxItems === undefined ? {} : { maxItems }), items: { type: 'string', maxLength: 64 }, 'x-kubernetes-validations': [{ rule: 'self.all(x, self.exists_one(y, x == y))' }] },
      },
    });
    const rejected = await api.client.post(CRDS, crd('doohickeys', spec()));
    assert.equal(rejected.status, 422, rejected.text);
    // Far past the per-rule limit, the rule is also past the CRD-wide one, reported at the schema.
    assert.deepEqual(causes(rejected.json).map((c) => [c.reason, c.field]), [
      ['FieldValueForbidden', 'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[names].x-kubernetes-validations[0].rule'],
      ['FieldValueForbidden', 'spec.versions[0].schema.openAPIV3Schema'],
    ]);
    assert.match(causes(rejected.json)[0]?.message ?? '', /^Forbidden: estimated rule cost exceeds budget by factor of/);
    const accepted = await api.client.post(CRDS, crd('doohickeys', spec(100)));
    assert.equal(accepted.status, 201, accepted.text);
  });

  describe('custom resources held to the rules', () => {
    const WIDGETS = '/apis/cel.example.com/v1/namespaces/default/widgets';
    const widget = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({ apiVersion: 'cel.example.com/v1', kind: 'Widget', metadata: { name }, spec });
    before(async () => {
      // The widgets CRD of the first test, served once established.
      for (let attempt = 0; attempt < 200; attempt++) {
        if ((await api.client.get(WIDGETS)).status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error('widgets were never served');
    });

    it('a custom resource that breaks a rule is 422 with the rule’s message at the rule’s field', async () => {
      const response = await api.client.post(WIDGETS, widget('bad', { replicas: 1, minReplicas: 3 }));
      assert.equal(response.status, 422, response.text);
      assert.deepEqual(causes(response.json), [{ reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: "object": minReplicas must not exceed replicas' }]);
      assert.match(String((response.json as { message?: string }).message), /^Widget\.cel\.example\.com "bad" is invalid: spec: Invalid value: "object": minReplicas must not exceed replicas$/);
    });

    it('a transition rule holds on update only, with its messageExpression', async () => {
      const created = await api.client.post(WIDGETS, widget('shrinking', { replicas: 5, minReplicas: 1 }));
      assert.equal(created.status, 201, created.text);
      const shrunk = await api.client.patch(`${WIDGETS}/shrinking`, { spec: { replicas: 2 } }, 'application/merge-patch+json');
      assert.equal(shrunk.status, 422, shrunk.text);
      assert.deepEqual(causes(shrunk.json).map((cause) => [cause.field, cause.message]), [['spec', 'Invalid value: "object": replicas may not shrink below 5']]);
      const grown = await api.client.patch(`${WIDGETS}/shrinking`, { spec: { replicas: 7 } }, 'application/merge-patch+json');
      assert.equal(grown.status, 200, grown.text);
    });

    it('a schema error that leaves the object malformed blocks the rules, and says so', async () => {
      const response = await api.client.post(WIDGETS, widget('typed', { replicas: 'many', minReplicas: 3 }));
      assert.equal(response.status, 422, response.text);
      assert.deepEqual(causes(response.json).map((cause) => [cause.reason, cause.field]), [
        ['FieldValueTypeInvalid', 'spec.replicas'],
        ['FieldValueInvalid', '<nil>'],
      ]);
      assert.match(causes(response.json)[1]?.message ?? '', /some validation rules were not checked because the object was invalid; correct the existing errors to complete validation/);
    });
  });

  it('rejects printer columns and selectable fields that do not hold, naming the fields', async () => {
    const body = crd('gizmos', { type: 'object', properties: { size: { type: 'integer' } } });
    const spec = body.spec as { versions: Record<string, unknown>[] };
    const version = spec.versions[0] as Record<string, unknown>;
    version.additionalPrinterColumns = [{ name: 'Size', type: 'float', jsonPath: '.spec.size' }];
    version.selectableFields = [{ jsonPath: '.spec.missing' }];
    const response = await api.client.post(CRDS, body);
    assert.equal(response.status, 422, response.text);
    const fields = causes(response.json).map((cause) => cause.field);
    assert.ok(fields.includes('spec.versions[0].additionalPrinterColumns[0].type'), JSON.stringify(fields));
    assert.ok(fields.includes('spec.versions[0].selectableFields[0].jsonPath'), JSON.stringify(fields));
  });
});
