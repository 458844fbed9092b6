/**
 * The endpoint routing of service webhooks against preloaded lookups: upstream's ResolveEndpoint
 * rules and error words (k8s.io/apiserver pkg/util/proxy/proxy.go).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { type ServiceLookup, SERVICE_NAME_LABEL, endpointServiceResolver } from './service-resolver.js';
import type { ServiceReference } from './webhook.js';

interface Preloaded {
  readonly services?: readonly JsonObject[];
  readonly slices?: readonly JsonObject[];
  readonly endpoints?: readonly JsonObject[];
}

function lookup({ services = [], slices = [], endpoints = [] }: Preloaded): ServiceLookup {
  const meta = (object: JsonObject): { namespace: unknown; name: unknown; labels: Record<string, unknown> } => {
    const metadata = (object.metadata ?? {}) as { namespace?: unknown; name?: unknown; labels?: Record<string, unknown> };
    return { namespace: metadata.namespace, name: metadata.name, labels: metadata.labels ?? {} };
  };
  const find = (list: readonly JsonObject[], namespace: string, name: string): JsonObject | undefined =>
    list.find((object) => meta(object).namespace === namespace && meta(object).name === name);
  return {
    service: (namespace, name) => find(services, namespace, name),
    endpoints: (namespace, name) => find(endpoints, namespace, name),
    endpointSlices: (namespace, service) => slices.filter((slice) => meta(slice).namespace === namespace && meta(slice).labels[SERVICE_NAME_LABEL] === service),
  };
}

const ref = (port = 443): ServiceReference => ({ namespace: 'hooks', name: 'webhook', path: '/validate', port });

function service(spec: JsonObject = {}): JsonObject {
  return { metadata: { namespace: 'hooks', name: 'webhook' }, spec: { ports: [{ name: 'https', port: 443, targetPort: 9443 }], ...spec } };
}

function endpoints(subsets: JsonObject[]): JsonObject {
  return { metadata: { namespace: 'hooks', name: 'webhook' }, subsets };
}

function slice(name: string, addressType: string, endpointList: JsonObject[], ports: JsonObject[] = [{ name: 'https', port: 9443 }]): JsonObject {
  return { metadata: { namespace: 'hooks', name, labels: { [SERVICE_NAME_LABEL]: 'webhook' } }, addressType, endpoints: endpointList, ports };
}

describe('endpointServiceResolver', () => {
  test('a missing Service is "service "<name>" not found"', () => {
    assert.deepEqual(endpointServiceResolver(lookup({}))(ref()), { error: 'service "webhook" not found' });
  });

  test('an ExternalName Service cannot be routed to', () => {
    const resolve = endpointServiceResolver(lookup({ services: [service({ type: 'ExternalName', externalName: 'example.com' })] }));
    assert.deepEqual(resolve(ref()), { error: 'unsupported service type "ExternalName"' });
  });

  test('a port number the Service does not declare is "no service port <n> found"', () => {
    const resolve = endpointServiceResolver(lookup({ services: [service()], endpoints: [endpoints([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 9443 }] }])] }));
    assert.deepEqual(resolve(ref(8443)), { error: 'no service port 8443 found for service "webhook"' });
  });

  test('a Service with neither EndpointSlices nor Endpoints has no endpoints available', () => {
    assert.deepEqual(endpointServiceResolver(lookup({ services: [service()] }))(ref()), { error: 'no endpoints available for service "webhook"' });
  });

  test('Endpoints: the ready address of the subset whose port has the service port\'s name, at that endpoint port', () => {
    const resolve = endpointServiceResolver(
      lookup({
        services: [service()],
        endpoints: [
          endpoints([
            { addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'metrics', port: 8080 }] },
            { addresses: [{ ip: '127.0.0.1' }], notReadyAddresses: [{ ip: '127.0.0.2' }], ports: [{ name: 'https', port: 9443 }] },
          ]),
        ],
      }),
      { random: () => 0.99 },
    );
    assert.deepEqual(resolve(ref()), { host: '127.0.0.1:9443' });
  });

  test('Endpoints with only not-ready addresses leave no endpoints available', () => {
    const resolve = endpointServiceResolver(lookup({ services: [service()], endpoints: [endpoints([{ notReadyAddresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 9443 }] }])] }));
    assert.deepEqual(resolve(ref()), { error: 'no endpoints available for service "webhook"' });
  });

  test('an unnamed service port matches an unnamed endpoint port', () => {
    const resolve = endpointServiceResolver(
      lookup({ services: [service({ ports: [{ port: 443, targetPort: 9443 }] })], endpoints: [endpoints([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 9443 }] }])] }),
    );
    assert.deepEqual(resolve(ref()), { host: '127.0.0.1:9443' });
  });

  test('EndpointSlices are read before Endpoints, and an endpoint whose ready condition is false is skipped', () => {
    const resolve = endpointServiceResolver(
      lookup({
        services: [service()],
        slices: [slice('webhook-a', 'IPv4', [{ addresses: ['127.0.0.9'], conditions: { ready: false } }, { addresses: ['127.0.0.3'], conditions: {} }])],
        endpoints: [endpoints([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 9443 }] }])],
      }),
    );
    assert.deepEqual(resolve(ref()), { host: '127.0.0.3:9443' });
  });

  test('the endpoint is picked at random among the ready ones', () => {
    const preloaded = lookup({ services: [service()], slices: [slice('webhook-a', 'IPv4', [{ addresses: ['127.0.0.1'] }, { addresses: ['127.0.0.2'] }, { addresses: ['127.0.0.3'] }])] });
    assert.deepEqual(endpointServiceResolver(preloaded, { random: () => 0 })(ref()), { host: '127.0.0.1:9443' });
    assert.deepEqual(endpointServiceResolver(preloaded, { random: () => 0.5 })(ref()), { host: '127.0.0.2:9443' });
    assert.deepEqual(endpointServiceResolver(preloaded, { random: () => 0.9 })(ref()), { host: '127.0.0.3:9443' });
  });

  test('endpoints of the Service\'s primary IP family are preferred, and an IPv6 address is bracketed', () => {
    const resolve = endpointServiceResolver(
      lookup({
        services: [service({ ipFamilies: ['IPv6', 'IPv4'] })],
        slices: [slice('webhook-v4', 'IPv4', [{ addresses: ['127.0.0.1'] }]), slice('webhook-v6', 'IPv6', [{ addresses: ['::1'] }])],
      }),
      { random: () => 0 },
    );
    assert.deepEqual(resolve(ref()), { host: '[::1]:9443' });
  });

  test('a slice without the service port\'s name serves nothing', () => {
    const resolve = endpointServiceResolver(lookup({ services: [service()], slices: [slice('webhook-a', 'IPv4', [{ addresses: ['127.0.0.1'] }], [{ name: 'metrics', port: 8080 }])] }));
    assert.deepEqual(resolve(ref()), { error: 'no endpoints available for service "webhook"' });
  });
});
