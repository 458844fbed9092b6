/**
 * Unit tests of NetworkPolicies (networkpolicies.ts): upstream's defaults, validation and wording,
 * and the column kubectl shows.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { NETWORK_POLICIES } from './networkpolicies.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };

const policy = (spec: JsonObject | undefined): JsonObject => ({
  metadata: { name: 'db', namespace: 'default', creationTimestamp: '2026-11-26T11:59:30Z' },
  ...(spec === undefined ? {} : { spec }),
});

function errors(spec: JsonObject): string[] {
  const object = policy(spec);
  NETWORK_POLICIES.strategy.defaults?.(object);
  return (NETWORK_POLICIES.strategy.validate?.(object, CTX) ?? []).map(formatFieldError);
}

describe('NetworkPolicies', () => {
  test('defaults: the empty pod selector, policyTypes from the rules, and TCP ports', () => {
    const bare = policy(undefined);
    NETWORK_POLICIES.strategy.defaults?.(bare);
    assert.deepEqual(bare.spec, { podSelector: {}, policyTypes: ['Ingress'] });
    const withEgress = policy({ podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 5432 }] }], egress: [{}] });
    NETWORK_POLICIES.strategy.defaults?.(withEgress);
    assert.deepEqual((withEgress.spec as JsonObject).policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual((withEgress.spec as { ingress: { ports: JsonObject[] }[] }).ingress[0]?.ports, [{ port: 5432, protocol: 'TCP' }]);
  });

  test('a valid policy: selectors, an IP block with an exception inside it, numeric and named ports', () => {
    assert.deepEqual(
      errors({
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'web' } }, namespaceSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
            ports: [{ port: 5432 }, { protocol: 'UDP', port: 8000, endPort: 8100 }, { port: 'metrics' }],
          },
        ],
        egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32' } }] }],
        policyTypes: ['Ingress', 'Egress'],
      }),
      [],
    );
  });

  test('ports: a known protocol, an endPort only after a numeric port and not below it', () => {
    assert.deepEqual(errors({ ingress: [{ ports: [{ protocol: 'ICMP' }, { port: 80, endPort: 70 }, { port: 'http', endPort: 90 }, { endPort: 90 }, { port: 0 }] }] }), [
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
      'spec.ingress[0].ports[1].endPort: Invalid value: 80: must be greater than or equal to `port`',
      'spec.ingress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
      'spec.ingress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is not specified',
      'spec.ingress[0].ports[4].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  test('peers: at least one selector or an IP block, the block alone, its exceptions strictly inside', () => {
    assert.deepEqual(
      errors({
        egress: [
          {
            to: [
              {},
              { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} },
              { ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16', '10.0.0.0/8', '2001:db8::/64'] } },
              { ipBlock: { cidr: '' } },
              { ipBlock: { cidr: '10.0.0.0/33' } },
            ],
          },
        ],
      }),
      [
        'spec.egress[0].to[0]: Required value: must specify a peer',
        'spec.egress[0].to[1]: Forbidden: may not specify both ipBlock and another peer',
        'spec.egress[0].to[2].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
        'spec.egress[0].to[2].ipBlock.except[1]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
        'spec.egress[0].to[2].ipBlock.except[2]: Invalid value: "2001:db8::/64": must be a strict subset of `cidr`',
        'spec.egress[0].to[3].ipBlock.cidr: Required value',
        'spec.egress[0].to[4].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ],
    );
  });

  test('policyTypes: Ingress and Egress only, at most both', () => {
    assert.deepEqual(errors({ policyTypes: ['Sideways'] }), ['spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"']);
    assert.deepEqual(errors({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }), ['spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes']);
  });

  test('kubectl shows the pod selector, <none> when it selects every pod', () => {
    assert.deepEqual(NETWORK_POLICIES.table?.cells(policy({ podSelector: { matchLabels: { app: 'db' } } }), NOW), ['db', 'app=db', '30s']);
    assert.deepEqual(NETWORK_POLICIES.table?.cells(policy({ podSelector: {} }), NOW), ['db', '<none>', '30s']);
  });
});
