import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PodIPAllocator, formatCidr, nthHost, nthSubnet, parseCidr, subnetCount } from './ip-allocator.js';

test('the cluster CIDR 10.244.0.0/16 splits into 256 /24 node ranges, node i getting 10.244.i.0/24', () => {
  const cluster = parseCidr('10.244.0.0/16');
  assert.equal(subnetCount(cluster, 24), 256);
  assert.equal(formatCidr(nthSubnet(cluster, 24, 0)), '10.244.0.0/24');
  assert.equal(formatCidr(nthSubnet(cluster, 24, 255)), '10.244.255.0/24');
  assert.throws(() => nthSubnet(cluster, 24, 256), /no \/24 subnet number 256/);
});

test('a CIDR with host bits set or a malformed address is rejected', () => {
  assert.throws(() => parseCidr('10.244.0.1/16'), /host bits/);
  assert.throws(() => parseCidr('10.244.0/16'), /not an IPv4 address/);
  assert.throws(() => parseCidr('10.244.0.0'), /not an IPv4 CIDR/);
});

test('node addresses count from the first host of the range', () => {
  assert.equal(nthHost(parseCidr('172.18.0.0/16'), 0), '172.18.0.1');
  assert.equal(nthHost(parseCidr('172.18.0.0/16'), 300), '172.18.1.45');
});

test('pods get addresses from .2 up, one per uid, the same one again for the same uid', () => {
  const allocator = new PodIPAllocator('10.244.3.0/24');
  assert.equal(allocator.allocate('a'), '10.244.3.2');
  assert.equal(allocator.allocate('b'), '10.244.3.3');
  assert.equal(allocator.allocate('a'), '10.244.3.2');
  assert.equal(allocator.free, 253 - 2);
});

test('a released address is handed out again only after the range wraps around', () => {
  const allocator = new PodIPAllocator('10.0.0.0/29'); // usable .2 to .6
  for (const uid of ['a', 'b', 'c', 'd', 'e']) assert.notEqual(allocator.allocate(uid), undefined);
  assert.equal(allocator.allocate('f'), undefined, 'the range is full');
  allocator.release('b');
  assert.equal(allocator.allocate('f'), '10.0.0.3');
});

test('reserving an address records a running pod and refuses one held by another pod or outside the range', () => {
  const allocator = new PodIPAllocator('10.244.0.0/24');
  assert.equal(allocator.reserve('a', '10.244.0.9'), true);
  assert.equal(allocator.holderOf('10.244.0.9'), 'a');
  assert.equal(allocator.reserve('b', '10.244.0.9'), false);
  assert.equal(allocator.reserve('b', '10.244.1.9'), false);
  assert.equal(allocator.reserve('b', '10.244.0.1'), false, 'the gateway is never a pod address');
  assert.equal(allocator.allocate('a'), '10.244.0.9');
});
