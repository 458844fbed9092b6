/**
 * matchingAttributes and the conversion to and from an equivalent version, as pure functions over
 * a fixed equivalence (a CRD serving v1, v2 and v3 over one storage).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdmissionAttributes } from './attributes.js';
import { type EquivalentResourceMapper, matchingAttributes, toRequestVersion } from './equivalent.js';
import type { WebhookRule } from './webhook.js';

const equivalents: EquivalentResourceMapper = (group, _version, resource) =>
  group === 'x.example.com' && resource === 'things'
    ? ['v1', 'v2', 'v3'].map((version) => ({ group, version, resource, kind: 'Thing' }))
    : [];

const request: AdmissionAttributes = {
  operation: 'CREATE',
  group: 'x.example.com',
  version: 'v3',
  kind: 'Thing',
  resource: 'things',
  subresource: '',
  namespace: 'default',
  name: 't',
  object: { apiVersion: 'x.example.com/v3', kind: 'Thing', metadata: { name: 't' } },
  oldObject: undefined,
  dryRun: false,
  options: {},
};

const rule = (...apiVersions: string[]): WebhookRule => ({ operations: ['*'], apiGroups: ['x.example.com'], apiVersions, resources: ['things'], scope: '*' });

describe('matchingAttributes', () => {
  test('returns the request itself when a rule matches its own version', () => {
    assert.equal(matchingAttributes([rule('v2'), rule('v3')], true, request, equivalents), request);
  });

  test('tries earlier rules first, each against the equivalents in their order', () => {
    const seen = matchingAttributes([rule('v2'), rule('v1')], true, request, equivalents);
    assert.equal(seen?.version, 'v2');
    assert.equal(seen?.object?.apiVersion, 'x.example.com/v2');
    assert.deepEqual(seen?.request, { group: 'x.example.com', version: 'v3', resource: 'things', kind: 'Thing' });
    const both = matchingAttributes([rule('v1', 'v2')], true, request, equivalents);
    assert.equal(both?.version, 'v1');
  });

  test('matches nothing in another version under Exact or for a resource without equivalents', () => {
    assert.equal(matchingAttributes([rule('v1')], false, request, equivalents), undefined);
    assert.equal(matchingAttributes([rule('v1')], true, { ...request, group: 'y.example.com' }, equivalents), undefined);
  });

  test('a scale write keeps its autoscaling/v1 Scale kind and objects in the equivalent version', () => {
    const scale = { ...request, subresource: 'scale', kind: 'Scale', kindGroupVersion: { group: 'autoscaling', version: 'v1' }, object: { apiVersion: 'autoscaling/v1', kind: 'Scale' } };
    const seen = matchingAttributes([{ ...rule('v1'), resources: ['things/scale'] }], true, scale, equivalents);
    assert.equal(seen?.version, 'v1');
    assert.equal(seen?.kind, 'Scale');
    assert.equal(seen?.object, scale.object);
  });
});

describe('toRequestVersion', () => {
  test("restores the request's apiVersion on an object mutated in an equivalent version", () => {
    const seen = matchingAttributes([rule('v1')], true, request, equivalents);
    assert.ok(seen !== undefined);
    const back = toRequestVersion(seen, { apiVersion: 'x.example.com/v1', kind: 'Thing', metadata: { name: 't', labels: { a: 'b' } } }, request.object);
    assert.deepEqual(back, { apiVersion: 'x.example.com/v3', kind: 'Thing', metadata: { name: 't', labels: { a: 'b' } } });
  });
});
