import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdmissionAttributes } from './attributes.js';
import { createAttributes } from './attributes-testing.js';
import { CompositeAdmissionChain, type ValidatingPhase } from './composite-chain.js';
import type { AdmissionChain } from './dispatcher.js';

const attributes: AdmissionAttributes = createAttributes({ object: { metadata: { name: 'c' } } });

function phases(calls: string[], policiesActive: boolean, webhooksActive: boolean, refuse?: 'policies'): { policies: ValidatingPhase; webhooks: AdmissionChain } {
  return {
    policies: {
      active: () => policiesActive,
      validate: () => {
        calls.push('policies');
        return refuse === 'policies' ? Promise.reject(new Error('refused by a policy')) : Promise.resolve(['policy warning']);
      },
    },
    webhooks: {
      active: () => webhooksActive,
      admit: (a) => {
        calls.push('mutating webhooks');
        return Promise.resolve({ object: a.object, warnings: [] });
      },
      validate: () => {
        calls.push('validating webhooks');
        return Promise.resolve(['webhook warning']);
      },
    },
  };
}

describe('the composite admission chain', () => {
  test('is inactive only when neither policies nor webhooks are configured', () => {
    for (const [p, w, active] of [[false, false, false], [true, false, true], [false, true, true]] as const) {
      const { policies, webhooks } = phases([], p, w);
      assert.equal(new CompositeAdmissionChain(policies, webhooks).active(), active);
    }
  });

  test('runs policies before validating webhooks and returns both warnings in that order', async () => {
    const calls: string[] = [];
    const { policies, webhooks } = phases(calls, true, true);
    assert.deepEqual(await new CompositeAdmissionChain(policies, webhooks).validate(attributes), ['policy warning', 'webhook warning']);
    assert.deepEqual(calls, ['policies', 'validating webhooks']);
  });

  test('a policy refusal means no validating webhook is called', async () => {
    const calls: string[] = [];
    const { policies, webhooks } = phases(calls, true, true, 'policies');
    await assert.rejects(new CompositeAdmissionChain(policies, webhooks).validate(attributes), /refused by a policy/);
    assert.deepEqual(calls, ['policies']);
  });

  test('mutating admission is the webhooks\' alone, and skipped without webhooks', async () => {
    const calls: string[] = [];
    const { policies, webhooks } = phases(calls, true, false);
    const outcome = await new CompositeAdmissionChain(policies, webhooks).admit(attributes);
    assert.equal(outcome.object, attributes.object);
    assert.deepEqual(calls, []);
  });
});
