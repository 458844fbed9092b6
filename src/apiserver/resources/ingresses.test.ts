/**
 * Unit tests of Ingresses and IngressClasses (ingresses.ts): upstream's validation and wording,
 * the IngressClass defaults and immutable controller, and the columns kubectl shows.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext, ResourceDefinition } from '../registry/resource-definition.js';
import { INGRESSES, INGRESS_CLASSES } from './ingresses.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };

function errors(definition: ResourceDefinition, object: JsonObject): string[] {
  definition.strategy.defaults?.(object);
  return (definition.strategy.validate?.(object, CTX) ?? []).map(formatFieldError);
}

const ingress = (spec: JsonObject, annotations?: JsonObject): JsonObject => ({
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-11-26T11:59:00Z', ...(annotations === undefined ? {} : { annotations }) },
  spec,
});
const serviceBackend = (port: JsonObject, name = 'web'): JsonObject => ({ service: { name, port } });
const rule = (host: string, paths: JsonObject[]): JsonObject => ({ host, http: { paths } });

describe('Ingresses', () => {
  test('a valid Ingress: precise and wildcard hosts, the three path types, TLS, a resource backend', () => {
    const spec = {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com', '*.api.example.com'], secretName: 'shop-tls' }],
      rules: [
        rule('shop.example.com', [{ path: '/', pathType: 'Prefix', backend: serviceBackend({ number: 80 }) }]),
        rule('*.api.example.com', [
          { path: '/v1/orders', pathType: 'Exact', backend: serviceBackend({ name: 'http' }, 'api') },
          { pathType: 'ImplementationSpecific', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } },
        ]),
      ],
    };
    assert.deepEqual(errors(INGRESSES, ingress(spec)), []);
  });

  test('a default backend or rules are needed; hosts are DNS names, never IPs', () => {
    assert.deepEqual(errors(INGRESSES, ingress({})), ['spec: Invalid value: []: either `defaultBackend` or `rules` must be specified']);
    assert.deepEqual(errors(INGRESSES, ingress({ defaultBackend: serviceBackend({ number: 8080 }) })), []);
    const [ip] = errors(INGRESSES, ingress({ rules: [rule('10.0.0.1', [{ path: '/', pathType: 'Prefix', backend: serviceBackend({ number: 80 }) }])] }));
    assert.equal(ip, 'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address');
    assert.match(errors(INGRESSES, ingress({ rules: [{ host: 'a.*.example.com' }] }))[0] ?? '', /^spec\.rules\[0\]\.host: Invalid value: "a\.\*\.example\.com": a wildcard DNS-1123 subdomain must start with '\*\.'/);
  });

  test('paths: a pathType always; Exact and Prefix paths absolute and clean; http needs paths', () => {
    const path = (value: string, pathType?: string): JsonObject => ({ path: value, ...(pathType === undefined ? {} : { pathType }), backend: serviceBackend({ number: 80 }) });
    assert.deepEqual(
      errors(INGRESSES, ingress({ rules: [rule('', [path('/a', undefined), path('b/../c', 'Exact'), path('/c/.', 'Prefix'), path('x', 'ImplementationSpecific'), path('/', 'Regex')])] })),
      [
        'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
        'spec.rules[0].http.paths[1].path: Invalid value: "b/../c": must be an absolute path',
        "spec.rules[0].http.paths[1].path: Invalid value: \"b/../c\": must not contain '/../'",
        "spec.rules[0].http.paths[2].path: Invalid value: \"/c/.\": cannot end with '/.'",
        'spec.rules[0].http.paths[3].path: Invalid value: "x": must be an absolute path',
        'spec.rules[0].http.paths[4].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      ],
    );
    assert.deepEqual(errors(INGRESSES, ingress({ rules: [{ host: 'a.example.com', http: { paths: [] } }] })), ['spec.rules[0].http.paths: Required value']);
  });

  test('a backend is a Service port by name or number, or a resource, exactly one', () => {
    const withBackend = (backend: JsonObject): string[] => errors(INGRESSES, ingress({ defaultBackend: backend }));
    assert.deepEqual(withBackend({}), ['spec.defaultBackend: Invalid value: "": resource or service backend is required']);
    assert.deepEqual(withBackend({ ...serviceBackend({ number: 80 }), resource: { kind: 'K', name: 'n' } }), ['spec.defaultBackend: Invalid value: "": cannot set both resource and service backends']);
    assert.deepEqual(withBackend(serviceBackend({ number: 80, name: 'http' })), ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']);
    assert.deepEqual(withBackend(serviceBackend({})), ['spec.defaultBackend: Required value: port name or number is required']);
    assert.deepEqual(withBackend(serviceBackend({ number: 70000 }, '')), [
      'spec.defaultBackend.service.name: Required value',
      'spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    assert.match(withBackend(serviceBackend({ number: 80 }, '1web'))[0] ?? '', /service\.name: Invalid value: "1web": a DNS-1035 label must consist of/);
  });

  test('the legacy class annotation must agree with ingressClassName on create', () => {
    const spec = { ingressClassName: 'nginx', defaultBackend: serviceBackend({ number: 80 }) };
    assert.deepEqual(errors(INGRESSES, ingress(spec, { 'kubernetes.io/ingress.class': 'traefik' })), [
      'annotations.kubernetes.io/ingress.class: Invalid value: "traefik": must match `ingressClassName` when both are specified',
    ]);
    assert.deepEqual(errors(INGRESSES, ingress(spec, { 'kubernetes.io/ingress.class': 'nginx' })), []);
  });

  test('a status write checks the load balancer\'s IPs and hostnames, not the spec', () => {
    const old = ingress({ defaultBackend: serviceBackend({ number: 80 }) });
    const updated = { ...ingress({}), status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { ip: '300.1.1.1' }, { hostname: '10.0.0.1' }, { hostname: 'LB' }] } } };
    const found = (INGRESSES.strategy.validateUpdate?.(updated, old, { ...CTX, subresource: 'status' }) ?? []).map(formatFieldError);
    assert.equal(found.length, 3, found.join('\n'));
    assert.match(found[0] ?? '', /^status\.loadBalancer\.ingress\[1\]\.ip: Invalid value: "300\.1\.1\.1"/);
    assert.equal(found[1], 'status.loadBalancer.ingress[2].hostname: Invalid value: "10.0.0.1": must be a DNS name, not an IP address');
    assert.match(found[2] ?? '', /^status\.loadBalancer\.ingress\[3\]\.hostname: Invalid value: "LB": a lowercase RFC 1123 subdomain/);
    assert.ok(INGRESSES.statusSubresource && INGRESSES.tracksGeneration && INGRESS_CLASSES.tracksGeneration);
  });

  test('kubectl shows the class, up to three hosts, the address and the ports', () => {
    const rules = ['a.example.com', '', 'b.example.com', 'c.example.com', 'd.example.com'].map((host) => ({ host }));
    const object = { ...ingress({ rules, tls: [{ hosts: ['a.example.com'] }] }), status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'lb.example.com' }] } } };
    assert.deepEqual(INGRESSES.table?.cells(object, NOW), ['web', '<none>', 'a.example.com,b.example.com,c.example.com + 2 more...', '203.0.113.10,lb.example.com', '80, 443', '60s']);
    assert.deepEqual(INGRESSES.table?.cells(ingress({ ingressClassName: 'nginx', rules: [{}] }), NOW).slice(1, 5), ['nginx', '*', '', '80']);
  });
});

describe('IngressClasses', () => {
  const ingressClass = (spec: JsonObject): JsonObject => ({ metadata: { name: 'nginx', creationTimestamp: '2026-11-26T11:00:00Z' }, spec });

  test('a controller is a domain-prefixed path; parameters default to the Cluster scope', () => {
    const object = ingressClass({ controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'lb' } });
    assert.deepEqual(errors(INGRESS_CLASSES, object), []);
    assert.equal((object.spec as { parameters: JsonObject }).parameters.scope, 'Cluster');
    assert.deepEqual(errors(INGRESS_CLASSES, ingressClass({})), ['spec.controller: Required value']);
    assert.deepEqual(errors(INGRESS_CLASSES, ingressClass({ controller: 'nginx' })), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  });

  test('a Namespace-scoped parameter names its namespace; a Cluster-scoped one may not', () => {
    const withParameters = (parameters: JsonObject): string[] => errors(INGRESS_CLASSES, ingressClass({ controller: 'example.com/lb', parameters }));
    assert.deepEqual(withParameters({ kind: 'P', name: 'p', scope: 'Namespace' }), ["spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"]);
    assert.deepEqual(withParameters({ kind: 'P', name: 'p', scope: 'Namespace', namespace: 'lb-system' }), []);
    assert.deepEqual(withParameters({ kind: 'P', name: 'p', namespace: 'lb-system' }), ["spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"]);
    assert.deepEqual(withParameters({ kind: '', name: 'p', scope: 'Galaxy' }), [
      'spec.parameters.kind: Required value',
      'spec.parameters.scope: Unsupported value: "Galaxy": supported values: "Cluster", "Namespace"',
    ]);
  });

  test('the controller cannot change; kubectl shows the controller and the parameters', () => {
    const old = ingressClass({ controller: 'k8s.io/ingress-nginx' });
    const changed = ingressClass({ controller: 'example.com/other' });
    assert.deepEqual((INGRESS_CLASSES.strategy.validateUpdate?.(changed, old, CTX) ?? []).map(formatFieldError), ['spec.controller: Invalid value: "example.com/other": field is immutable']);
    const shown = ingressClass({ controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'lb' } });
    assert.deepEqual(INGRESS_CLASSES.table?.cells(shown, NOW), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/lb', '60m']);
  });
});
