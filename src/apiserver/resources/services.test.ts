import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { realClock } from '../../util/clock.js';
import { silentLogger } from '../../util/logger.js';
import { GenericStore } from '../registry/generic-store.js';
import { storagePrefix } from '../registry/registry.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { WatchCache } from '../watch-cache/watch-cache.js';
import { NODE_PORT_PREFIX, SERVICE_IP_PREFIX } from './service-allocator.js';
import { SERVICES, createServicesDefinition } from './services.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CREATE: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const { strategy } = SERVICES;

function svc(spec: JsonObject, name = 'web'): JsonObject {
  return { metadata: { name, namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' }, spec };
}

/** What the generic store does before validating a new object. */
function prepared(body: JsonObject): JsonObject {
  const object = cloneJson(body);
  strategy.defaults?.(object);
  strategy.prepareForCreate?.(object, CREATE);
  return object;
}

function errorsOf(body: JsonObject): string[] {
  return (strategy.validate?.(prepared(body), CREATE) ?? []).map(formatFieldError);
}

function updateErrors(old: JsonObject, body: JsonObject, context: Partial<RequestContext> = {}): string[] {
  const object = cloneJson(body);
  const ctx = { ...CREATE, ...context };
  strategy.defaults?.(object);
  strategy.prepareForUpdate?.(object, old, ctx);
  return (strategy.validateUpdate?.(object, old, ctx) ?? []).map(formatFieldError);
}

const stored = (spec: JsonObject): JsonObject => {
  const object = prepared(svc(spec));
  const s = object.spec as JsonObject;
  if (s.clusterIP === undefined && s.type !== 'ExternalName') {
    s.clusterIP = '10.96.0.50';
    s.clusterIPs = ['10.96.0.50'];
  }
  return object;
};

test('a Service defaults to ClusterIP, affinity None, TCP ports targeting themselves and Cluster traffic policy', () => {
  const object = prepared(svc({ ports: [{ port: 80 }, { port: 443, targetPort: 'https', protocol: 'UDP' }] }));
  assert.deepEqual(object.spec, {
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 443, targetPort: 'https', protocol: 'UDP' },
    ],
  });
  assert.deepEqual(object.status, { loadBalancer: {} });
});

test('externally reachable Services default externalTrafficPolicy; LoadBalancers allocate node ports; ClientIP affinity gets three hours', () => {
  const node = prepared(svc({ type: 'NodePort', ports: [{ port: 80 }] })).spec as JsonObject;
  assert.equal(node.externalTrafficPolicy, 'Cluster');
  const lb = prepared(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] })).spec as JsonObject;
  assert.equal(lb.allocateLoadBalancerNodePorts, true);
  const sticky = prepared(svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] })).spec as JsonObject;
  assert.deepEqual(sticky.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const external = prepared(svc({ type: 'ExternalName', externalName: 'example.com' })).spec as JsonObject;
  assert.equal(external.internalTrafficPolicy, undefined);
  assert.equal(external.ipFamilyPolicy, undefined);
});

test('clusterIP fills clusterIPs, and a headless Service without selector asks for both families', () => {
  const fixed = prepared(svc({ clusterIP: '10.96.0.10', ports: [{ port: 53 }] })).spec as JsonObject;
  assert.deepEqual(fixed.clusterIPs, ['10.96.0.10']);
  const headless = prepared(svc({ clusterIP: 'None', ports: [{ port: 80 }] })).spec as JsonObject;
  assert.equal(headless.ipFamilyPolicy, 'RequireDualStack');
  assert.deepEqual(headless.ipFamilies, ['IPv4', 'IPv6']);
  assert.deepEqual(errorsOf(svc({ clusterIP: 'None' })), []);
  const selected = prepared(svc({ clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] })).spec as JsonObject;
  assert.equal(selected.ipFamilyPolicy, 'SingleStack');
  assert.deepEqual(selected.ipFamilies, ['IPv4']);
});

test('a valid Service passes validation', () => {
  assert.deepEqual(errorsOf(svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] })), []);
  assert.deepEqual(errorsOf(svc({ type: 'ExternalName', externalName: 'db.example.com.' })), []);
});

test('ports are required, named when several, and checked for number, protocol, target and duplicates', () => {
  assert.deepEqual(errorsOf(svc({})), ['spec.ports: Required value']);
  assert.deepEqual(errorsOf(svc({ ports: [{ port: 80 }, { name: 'b', port: 0, protocol: 'ICMP', targetPort: 'Not_A_Name' }] })), [
    'spec.ports[0].name: Required value',
    'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'spec.ports[1].targetPort: Invalid value: "Not_A_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
  ]);
  assert.deepEqual(errorsOf(svc({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }] })), [
    'spec.ports[1].name: Duplicate value: "a"',
    'spec.ports[1]: Duplicate value: {"protocol":"TCP","port":80}',
  ]);
  assert.deepEqual(errorsOf(svc({ ports: [{ port: 80, nodePort: 30000 }] })), [
    "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
  ]);
});

test('type-specific rules: ExternalName needs a name and no IPs, NodePort cannot be headless', () => {
  assert.deepEqual(errorsOf(svc({ type: 'ExternalName' })), ['spec.externalName: Required value']);
  assert.deepEqual(errorsOf(svc({ type: 'ExternalName', externalName: 'Bad_Name', clusterIP: '10.96.0.1' })), [
    'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
    `spec.externalName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
  assert.deepEqual(errorsOf(svc({ type: 'NodePort', clusterIP: 'None', selector: { a: 'b' }, ports: [{ port: 80 }] })), [
    `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
  ]);
  assert.deepEqual(errorsOf(svc({ type: 'Ingress', ports: [{ port: 80 }] })), [
    'spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
  ]);
});

test('cluster IPs must agree with clusterIP, be valid, and be of the cluster’s family', () => {
  assert.deepEqual(errorsOf(svc({ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.2'], ports: [{ port: 80 }] })), [
    'spec.clusterIPs: Invalid value: ["10.96.0.2"]: first value must match `clusterIP`',
  ]);
  assert.deepEqual(errorsOf(svc({ clusterIP: '10.96.0.256', ports: [{ port: 80 }] })), [
    'spec.clusterIPs[0]: Invalid value: "10.96.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
  assert.deepEqual(errorsOf(svc({ clusterIP: 'fd00::1', ports: [{ port: 80 }] })), [
    'spec.clusterIPs[0]: Invalid value: ["fd00::1"]: IPv6 is not configured on this cluster',
  ]);
  assert.deepEqual(errorsOf(svc({ ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] })), [
    'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
  ]);
  assert.deepEqual(errorsOf(svc({ ipFamilies: ['IPv6'], ports: [{ port: 80 }] })), [
    'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster',
  ]);
});

test('session affinity, external IPs and traffic policies follow upstream rules', () => {
  assert.deepEqual(errorsOf(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, ports: [{ port: 80 }] })), [
    'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
  ]);
  assert.deepEqual(errorsOf(svc({ externalIPs: ['127.0.0.1'], ports: [{ port: 80 }] })), [
    'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
  ]);
  assert.deepEqual(errorsOf(svc({ externalTrafficPolicy: 'Local', ports: [{ port: 80 }] })), [
    'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
  ]);
  assert.deepEqual(errorsOf(svc({ loadBalancerSourceRanges: ['10.0.0.0/8'], allocateLoadBalancerNodePorts: true, ports: [{ port: 80 }] })), [
    "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
  ]);
});

test('Service names are DNS-1035 labels', () => {
  assert.deepEqual(strategy.validateName?.('1web', false), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
});

test('an update keeps allocated values it leaves out and may not change the cluster IP', () => {
  const old = stored({ selector: { app: 'web' }, ports: [{ port: 80 }] });
  assert.deepEqual(updateErrors(old, svc({ selector: { app: 'other' }, ports: [{ port: 80 }] })), []);
  assert.deepEqual(updateErrors(old, svc({ clusterIP: '10.96.0.51', ports: [{ port: 80 }] })), [
    'spec.clusterIPs[0]: Invalid value: ["10.96.0.51"]: may not change once set',
  ]);
});

test('switching type drops what the new type has no use for', () => {
  const nodePort = stored({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
  const toClusterIP = svc({ type: 'ClusterIP', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30080 }] });
  assert.deepEqual(updateErrors(nodePort, toClusterIP), []);
  const toExternal = cloneJson(nodePort);
  (toExternal.spec as JsonObject).type = 'ExternalName';
  (toExternal.spec as JsonObject).externalName = 'example.com';
  assert.deepEqual(updateErrors(nodePort, toExternal), []);
  const clusterIP = stored({ ports: [{ port: 80 }] });
  assert.deepEqual(updateErrors(clusterIP, svc({ type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80 }] })), []);
});

test('a status update checks the load balancer ingress', () => {
  const old = stored({ ports: [{ port: 80 }] });
  const body = cloneJson(old);
  body.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  assert.deepEqual(updateErrors(old, body, { subresource: 'status' }), [
    "status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'",
  ]);
});

test('printing shows type, cluster IP, external IP, ports, age and selector', () => {
  const cells = (spec: JsonObject, status?: JsonObject): unknown[] => {
    const object = svc(spec);
    if (status !== undefined) object.status = status;
    return [...(SERVICES.table?.cells(object, NOW) ?? [])];
  };
  assert.deepEqual(cells({ type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }], selector: { b: '2', a: '1' } }), [
    'web', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '60m', 'a=1,b=2',
  ]);
  assert.deepEqual(cells({ type: 'NodePort', clusterIPs: ['10.96.0.2'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, nodePort: 30053, protocol: 'UDP' }] }).slice(1, 5), [
    'NodePort', '10.96.0.2', '<none>', '80:30080/TCP,53:30053/UDP',
  ]);
  assert.deepEqual(cells({ type: 'LoadBalancer', clusterIPs: ['10.96.0.3'], ports: [] }).slice(3, 5), ['<pending>', '<none>']);
  assert.deepEqual(cells({ type: 'LoadBalancer', externalIPs: ['9.9.9.9'] }, { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }, { ip: '1.2.3.4' }] } })[3], '1.2.3.4,lb.example.com,9.9.9.9');
  assert.deepEqual(cells({ type: 'ExternalName', externalName: 'example.com' }).slice(2, 4), ['<none>', 'example.com']);
  assert.deepEqual(SERVICES.table?.columns.map((c) => `${c.name}:${c.priority}`), [
    'Name:0', 'Type:0', 'Cluster-IP:0', 'External-IP:0', 'Port(s):0', 'Age:0', 'Selector:1',
  ]);
});

test('Services are selectable by spec.clusterIP and spec.type', () => {
  assert.deepEqual(strategy.selectableFields?.({}), { 'spec.clusterIP': '', 'spec.type': '' });
  assert.deepEqual(strategy.selectableFields?.(svc({ type: 'ClusterIP', clusterIP: 'None' })), { 'spec.clusterIP': 'None', 'spec.type': 'ClusterIP' });
});

test('through the generic store, create allocates, a failed or dry-run create keeps nothing, and delete releases', async () => {
  const store = new MemoryStore({ compaction: false });
  try {
    const definition = createServicesDefinition({ random: () => 0 });
    const cache = new WatchCache({ store, prefix: storagePrefix(definition), fieldsOf: () => ({}), clock: realClock, logger: silentLogger });
    const services = new GenericStore({ definition, store, cache, namespaceGate: async () => {}, lookup: () => undefined, now: () => NOW });
    const keys = async (prefix: string): Promise<string[]> => (await store.list(prefix)).items.map((kv) => kv.key.slice(prefix.length));

    const created = await services.create('default', svc({ type: 'NodePort', ports: [{ port: 80 }] }), CREATE);
    const spec = created.object.spec as JsonObject;
    assert.equal(spec.clusterIP, '10.96.1.1');
    assert.deepEqual(await keys(SERVICE_IP_PREFIX), ['10.96.1.1']);
    assert.deepEqual(await keys(NODE_PORT_PREFIX), ['30086']);

    const dry = await services.create('default', svc({ ports: [{ port: 80 }] }, 'dry'), { ...CREATE, dryRun: true });
    assert.equal((dry.object.spec as JsonObject).clusterIP, '10.96.1.2');
    assert.deepEqual(await keys(SERVICE_IP_PREFIX), ['10.96.1.1']);

    await assert.rejects(services.create('default', svc({ clusterIP: '10.96.1.1', ports: [{ port: 80 }] }, 'twin'), CREATE), (error: unknown) => {
      assert.ok(error instanceof StatusError);
      assert.equal(error.reason, 'Invalid');
      assert.match(error.message, /failed to allocate IP 10\.96\.1\.1: provided IP is already allocated$/);
      return true;
    });
    // The name is taken: the write fails after allocation, which is undone.
    await assert.rejects(services.create('default', svc({ ports: [{ port: 80 }] }), CREATE), { reason: 'AlreadyExists' });
    assert.deepEqual(await keys(SERVICE_IP_PREFIX), ['10.96.1.1']);

    await services.delete('default', 'web', {}, CREATE);
    assert.deepEqual(await keys(SERVICE_IP_PREFIX), []);
    assert.deepEqual(await keys(NODE_PORT_PREFIX), []);
  } finally {
    await store.close();
  }
});

test('through the generic store, a type change reserves what the new type needs and releases what the old one held', async () => {
  const store = new MemoryStore({ compaction: false });
  try {
    const definition = createServicesDefinition({ random: () => 0 });
    const cache = new WatchCache({ store, prefix: storagePrefix(definition), fieldsOf: () => ({}), clock: realClock, logger: silentLogger });
    const services = new GenericStore({ definition, store, cache, namespaceGate: async () => {}, lookup: () => undefined, now: () => NOW });
    const keys = async (prefix: string): Promise<string[]> => (await store.list(prefix)).items.map((kv) => kv.key.slice(prefix.length));
    const retype = (type: string, extra: JsonObject = {}, drop: readonly string[] = []) => (current: JsonObject): JsonObject => {
      const spec: JsonObject = { ...(current.spec as JsonObject), type, ...extra };
      for (const field of drop) delete spec[field];
      return { ...current, spec };
    };

    await services.create('default', svc({ ports: [{ port: 80 }] }), CREATE);
    assert.deepEqual(await keys(NODE_PORT_PREFIX), []);

    const dry = await services.patch('default', 'web', { ...CREATE, dryRun: true }, retype('NodePort'));
    assert.equal(((dry.object.spec as JsonObject).ports as JsonObject[])[0]?.nodePort, 30086);
    assert.deepEqual(await keys(NODE_PORT_PREFIX), [], 'a dry run reserves nothing');

    const nodePort = await services.patch('default', 'web', CREATE, retype('NodePort'));
    assert.deepEqual((nodePort.object.spec as JsonObject).ports, [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30086 }]);
    assert.deepEqual(await keys(NODE_PORT_PREFIX), ['30086']);

    await services.patch('default', 'web', CREATE, retype('LoadBalancer', { externalTrafficPolicy: 'Local' }));
    assert.deepEqual(await keys(NODE_PORT_PREFIX), ['30086', '30087'], 'the node port is kept and a health check port added');

    await services.patch('default', 'web', CREATE, retype('ClusterIP', {}, ['externalTrafficPolicy']));
    assert.deepEqual(await keys(NODE_PORT_PREFIX), []);
    assert.deepEqual(await keys(SERVICE_IP_PREFIX), ['10.96.1.1']);

    const external = await services.patch('default', 'web', CREATE, retype('ExternalName', { externalName: 'example.com' }, ['clusterIP', 'clusterIPs']));
    assert.equal((external.object.spec as JsonObject).clusterIP, undefined);
    assert.deepEqual(await keys(SERVICE_IP_PREFIX), []);

    // A requested node port someone else holds fails the update and keeps nothing of it.
    await services.create('default', svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] }, 'other'), CREATE);
    await assert.rejects(
      services.patch('default', 'web', CREATE, retype('NodePort', { ports: [{ name: 'a', port: 80, nodePort: 30200 }, { name: 'b', port: 81, nodePort: 30100 }] }, ['externalName'])),
      /provided port is already allocated/,
    );
    assert.deepEqual(await keys(NODE_PORT_PREFIX), ['30100']);
    assert.deepEqual(await keys(SERVICE_IP_PREFIX), ['10.96.1.1'], "only the other Service's IP (the one web gave up) is held");
  } finally {
    await store.close();
  }
});
