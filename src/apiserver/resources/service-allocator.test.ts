import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import { StatusError } from '../../api/status.js';
import type { Store } from '../../storage/interface.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import {
  AllocationError,
  type AllocationOwner,
  type AllocationStore,
  NODE_PORT_PREFIX,
  SERVICE_IP_PREFIX,
  ServiceAllocator,
  allocateForService,
  releaseForService,
} from './service-allocator.js';

const OWNER: AllocationOwner = { namespace: 'default', name: 'web', uid: 'uid-1' };
const OTHER: AllocationOwner = { namespace: 'default', name: 'db', uid: 'uid-2' };

async function withStore(run: (store: Store) => Promise<void>): Promise<void> {
  const store = new MemoryStore({ compaction: false });
  try {
    await run(store);
  } finally {
    await store.close();
  }
}

/** A store whose every call yields first, so concurrent allocations interleave at each step. */
function yielding(store: Store): AllocationStore {
  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  return {
    get: async (...args) => (await tick(), store.get(...args)),
    list: async (...args) => (await tick(), store.list(...args)),
    create: async (...args) => (await tick(), store.create(...args)),
    delete: async (...args) => (await tick(), store.delete(...args)),
  };
}

async function keys(store: Store, prefix: string): Promise<string[]> {
  return (await store.list(prefix)).items.map((kv) => kv.key.slice(prefix.length));
}

test('sequential allocation hands out every usable address of a small range once, then reports it full', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator({ serviceClusterIPRange: '10.0.0.0/29', random: () => 0 });
    const got = new Set<string>();
    for (let i = 0; i < 6; i++) got.add(await allocator.allocateIP(store, OWNER, undefined, false));
    // /29: eight addresses, less the network (.0) and broadcast (.7).
    assert.deepEqual([...got].sort(), ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
    await assert.rejects(allocator.allocateIP(store, OWNER, undefined, false), (e: unknown) => e instanceof AllocationError && e.message === 'range is full');
  });
});

test('concurrent allocation from two API servers on one store never returns one IP twice', async () => {
  await withStore(async (store) => {
    // Both start their scans at the same place, so every request races for the same first address.
    const a = new ServiceAllocator({ serviceClusterIPRange: '10.0.0.0/28', random: () => 0 });
    const b = new ServiceAllocator({ serviceClusterIPRange: '10.0.0.0/28', random: () => 0 });
    const shared = yielding(store);
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).allocateIP(shared, { ...OWNER, uid: `u${i}` }, undefined, false)),
    );
    const ips = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    assert.equal(ips.length, 14, 'a /28 has 14 usable addresses');
    assert.equal(new Set(ips).size, 14);
    assert.equal(results.filter((r) => r.status === 'rejected').length, 2);
    assert.deepEqual((await keys(store, SERVICE_IP_PREFIX)).sort(), [...ips].sort());
  });
});

test('concurrent node port allocation never returns one port twice', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator({ nodePortRange: '30000-30009', random: () => 0.5 });
    const ports = await Promise.all(
      Array.from({ length: 10 }, (_, i) => allocator.allocateNodePort(yielding(store), { ...OWNER, uid: `u${i}` }, undefined, false)),
    );
    assert.equal(new Set(ports).size, 10);
    assert.ok(ports.every((p) => p >= 30000 && p <= 30009));
  });
});

test('dynamic allocation prefers the upper part of the range, leaving the lower part for static requests', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator({ random: () => 0 });
    // 10.96.0.0/12 keeps its first 256 addresses (calculateRangeOffset) for requests by address.
    assert.equal(await allocator.allocateIP(store, OWNER, undefined, false), '10.96.1.1');
    // 30000-32767 keeps 2768 / 32 = 86 ports.
    assert.equal(await allocator.allocateNodePort(store, OWNER, undefined, false), 30086);
  });
});

test('a requested IP is honoured, and refused with upstream words when taken or out of range', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator();
    assert.equal(await allocator.allocateIP(store, OWNER, '10.96.0.10', false), '10.96.0.10');
    await assert.rejects(allocator.allocateIP(store, OTHER, '10.96.0.10', false), { name: 'AllocationError', message: 'provided IP is already allocated' });
    for (const ip of ['10.95.255.255', '10.96.0.0', '10.111.255.255', '2001:db8::1']) {
      await assert.rejects(allocator.allocateIP(store, OTHER, ip, false), {
        message: `the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`,
      });
    }
    // Leading zeros are accepted and the address is stored in canonical form.
    assert.equal(await allocator.allocateIP(store, OTHER, '10.96.000.011', false), '10.96.0.11');
    assert.deepEqual(await keys(store, SERVICE_IP_PREFIX), ['10.96.0.10', '10.96.0.11']);
  });
});

test('a requested node port is honoured, and refused when taken or out of range', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator();
    assert.equal(await allocator.allocateNodePort(store, OWNER, 30080, false), 30080);
    await assert.rejects(allocator.allocateNodePort(store, OTHER, 30080, false), { message: 'provided port is already allocated' });
    await assert.rejects(allocator.allocateNodePort(store, OTHER, 8080, false), {
      message: 'provided port is not in the valid range. The range of valid ports is 30000-32767',
    });
  });
});

test('release makes a value available again, but only to its owner’s release', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator();
    await allocator.allocateIP(store, OWNER, '10.96.0.20', false);
    await allocator.releaseIP(store, OTHER, '10.96.0.20');
    await assert.rejects(allocator.allocateIP(store, OTHER, '10.96.0.20', false), { message: 'provided IP is already allocated' });
    await allocator.releaseIP(store, OWNER, '10.96.0.20');
    assert.equal(await allocator.allocateIP(store, OTHER, '10.96.0.20', false), '10.96.0.20');
    await allocator.allocateNodePort(store, OWNER, 30001, false);
    await allocator.releaseNodePort(store, OWNER, 30001);
    assert.equal(await allocator.allocateNodePort(store, OTHER, 30001, false), 30001);
  });
});

test('a dry run reserves nothing but still checks and picks a value', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator({ random: () => 0 });
    assert.equal(await allocator.allocateIP(store, OWNER, undefined, true), '10.96.1.1');
    assert.equal(await allocator.allocateIP(store, OWNER, '10.96.0.5', true), '10.96.0.5');
    assert.equal(await allocator.allocateNodePort(store, OWNER, undefined, true), 30086);
    assert.deepEqual(await keys(store, SERVICE_IP_PREFIX), []);
    assert.deepEqual(await keys(store, NODE_PORT_PREFIX), []);
    await allocator.allocateIP(store, OTHER, '10.96.0.5', false);
    await assert.rejects(allocator.allocateIP(store, OWNER, '10.96.0.5', true), { message: 'provided IP is already allocated' });
    // A dry run skips what is taken.
    await allocator.allocateIP(store, OTHER, '10.96.1.1', false);
    assert.equal(await allocator.allocateIP(store, OWNER, undefined, true), '10.96.1.2');
  });
});

test('an IPv6 range allocates IPv6 addresses', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator({ serviceClusterIPRange: 'fd00:10:96::/112', random: () => 0 });
    assert.equal(allocator.family, 'IPv6');
    assert.equal(await allocator.allocateIP(store, OWNER, undefined, false), 'fd00:10:96::101');
    assert.equal(await allocator.allocateIP(store, OWNER, 'fd00:10:96:0::a', false), 'fd00:10:96::a');
  });
});

test('invalid ranges are refused when the allocator is built', () => {
  assert.throws(() => new ServiceAllocator({ serviceClusterIPRange: '10.96.0.0' }), /invalid service cluster IP range/);
  assert.throws(() => new ServiceAllocator({ nodePortRange: '32767-30000' }), /invalid node port range/);
});

function service(spec: JsonObject, uid = 'uid-1'): JsonObject {
  return { metadata: { namespace: 'default', name: 'web', uid }, spec: { ipFamilies: ['IPv4'], ...spec } };
}

test('a new NodePort Service gets a cluster IP and one node port per port number', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator({ random: () => 0 });
    const svc = service({
      type: 'NodePort',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'web', port: 80, protocol: 'TCP', nodePort: 30080 },
      ],
    });
    await allocateForService(allocator, svc, store, false);
    const spec = svc.spec as JsonObject;
    assert.equal(spec.clusterIP, '10.96.1.1');
    assert.deepEqual(spec.clusterIPs, ['10.96.1.1']);
    const ports = (spec.ports as JsonObject[]).map((p) => p.nodePort);
    assert.equal(ports[0], ports[1], 'TCP and UDP on port 53 share a node port');
    assert.equal(ports[2], 30080);
    assert.deepEqual((await keys(store, NODE_PORT_PREFIX)).sort(), [String(ports[0]), '30080'].sort());
  });
});

test('a taken node port fails the Service with a 422 and gives back what was already allocated', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator();
    await allocator.allocateNodePort(store, OTHER, 30080, false);
    const svc = service({ type: 'NodePort', clusterIP: '10.96.0.30', clusterIPs: ['10.96.0.30'], ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] });
    await assert.rejects(allocateForService(allocator, svc, store, false), (error: unknown) => {
      assert.ok(error instanceof StatusError);
      assert.equal(error.message, 'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
      return true;
    });
    assert.deepEqual(await keys(store, SERVICE_IP_PREFIX), [], 'the cluster IP was released again');
  });
});

test('a requested cluster IP out of range fails with upstream’s message', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator();
    const svc = service({ type: 'ClusterIP', clusterIP: '1.1.1.1', clusterIPs: ['1.1.1.1'], ports: [{ port: 80 }] });
    await assert.rejects(allocateForService(allocator, svc, store, false), {
      message:
        'Service "web" is invalid: spec.clusterIPs: Invalid value: ["1.1.1.1"]: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    });
  });
});

test('headless and ExternalName Services get no cluster IP; a LoadBalancer with Local policy gets a health check port', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator();
    const headless = service({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] });
    await allocateForService(allocator, headless, store, false);
    assert.deepEqual((headless.spec as JsonObject).clusterIPs, ['None']);
    const external = service({ type: 'ExternalName', externalName: 'example.com' });
    await allocateForService(allocator, external, store, false);
    assert.equal((external.spec as JsonObject).clusterIP, undefined);
    const lb = service({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] }, 'uid-3');
    await allocateForService(allocator, lb, store, false);
    const spec = lb.spec as JsonObject;
    assert.equal(typeof spec.healthCheckNodePort, 'number');
    assert.equal((spec.ports as JsonObject[])[0]?.nodePort, undefined, 'allocateLoadBalancerNodePorts=false allocates no node ports');
    assert.deepEqual(await keys(store, NODE_PORT_PREFIX), [String(spec.healthCheckNodePort)]);
  });
});

test('undo and release give back everything a Service holds', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator();
    const first = service({ type: 'NodePort', ports: [{ port: 80 }] });
    const undo = await allocateForService(allocator, first, store, false);
    await undo();
    assert.deepEqual(await keys(store, SERVICE_IP_PREFIX), []);
    assert.deepEqual(await keys(store, NODE_PORT_PREFIX), []);
    const second = service({ type: 'NodePort', ports: [{ port: 80 }] }, 'uid-9');
    await allocateForService(allocator, second, store, false);
    await allocator.allocateNodePort(store, OTHER, 30999, false);
    await releaseForService(allocator, second, store);
    assert.deepEqual(await keys(store, SERVICE_IP_PREFIX), []);
    assert.deepEqual(await keys(store, NODE_PORT_PREFIX), ['30999'], 'another Service keeps its port');
  });
});

test('a dry-run Service shows a candidate cluster IP and node port but reserves neither', async () => {
  await withStore(async (store) => {
    const allocator = new ServiceAllocator({ random: () => 0 });
    const svc = service({ type: 'NodePort', ports: [{ port: 80 }] });
    await allocateForService(allocator, svc, store, true);
    const spec = svc.spec as JsonObject;
    assert.equal(spec.clusterIP, '10.96.1.1');
    assert.equal((spec.ports as JsonObject[])[0]?.nodePort, 30086);
    assert.deepEqual(await keys(store, SERVICE_IP_PREFIX), []);
    assert.deepEqual(await keys(store, NODE_PORT_PREFIX), []);
  });
});
