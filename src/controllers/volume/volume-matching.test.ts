/**
 * Unit tests of the volume matching rules (upstream index_test.go's findByClaim cases): which
 * volume a claim gets, as input → output.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessModesKey, checkVolumeSatisfyClaim, findBestMatchForClaim } from './volume-matching.js';
import { claim, volume } from './volume-testing.js';

const nameOf = (v: { metadata?: { name?: string } } | undefined): string | undefined => v?.metadata?.name;

describe('findBestMatchForClaim', () => {
  test('picks the smallest Available volume large enough for the request', () => {
    const volumes = [volume('big', '10Gi'), volume('small', '1Gi'), volume('fits', '5Gi'), volume('exact', '3Gi', { phase: 'Released' })];
    assert.equal(nameOf(findBestMatchForClaim(volumes, claim('c', '3Gi'), false)), 'fits');
  });

  test('compares capacities as quantities, so 1Gi fits a request of 1000Mi', () => {
    assert.equal(nameOf(findBestMatchForClaim([volume('v', '1Gi')], claim('c', '1000Mi'), false)), 'v');
    assert.equal(findBestMatchForClaim([volume('v', '1G')], claim('c', '1Gi'), false), undefined);
  });

  test('the first of two equally small volumes wins', () => {
    assert.equal(nameOf(findBestMatchForClaim([volume('a', '2Gi'), volume('b', '2Gi')], claim('c', '1Gi'), false)), 'a');
  });

  test('searches the volumes with the fewest extra access modes first, even when a larger group has a smaller volume', () => {
    const volumes = [volume('rwo-rox', '1Gi', { modes: ['ReadWriteOnce', 'ReadOnlyMany'] }), volume('rwo', '5Gi', { modes: ['ReadWriteOnce'] }), volume('rox', '1Gi', { modes: ['ReadOnlyMany'] })];
    assert.equal(nameOf(findBestMatchForClaim(volumes, claim('c', '1Gi'), false)), 'rwo');
    assert.equal(nameOf(findBestMatchForClaim(volumes.slice(0, 1).concat(volumes.slice(2)), claim('c', '1Gi'), false)), 'rwo-rox');
  });

  test('skips volumes of another class, bound to another claim, being deleted, or that the selector rejects', () => {
    const volumes = [
      volume('other-class', '1Gi', { className: 'fast' }),
      volume('taken', '1Gi', { claim: { name: 'someone', uid: 'x' } }),
      volume('deleting', '1Gi', { deleting: true }),
      volume('wrong-labels', '1Gi', { labels: { tier: 'cold' } }),
      volume('right', '2Gi', { labels: { tier: 'hot' } }),
    ];
    const selective = claim('c', '1Gi', { selector: { matchLabels: { tier: 'hot' } } });
    assert.equal(nameOf(findBestMatchForClaim(volumes, selective, false)), 'right');
    assert.equal(nameOf(findBestMatchForClaim(volumes, claim('c', '1Gi', { className: 'fast' }), false)), 'other-class');
  });

  test('a volume pre-bound to the claim wins over a smaller one, whatever its phase or class', () => {
    const volumes = [volume('small', '1Gi'), volume('mine', '8Gi', { phase: 'Pending', className: 'other', claim: { name: 'c' } })];
    assert.equal(nameOf(findBestMatchForClaim(volumes, claim('c', '1Gi'), false)), 'mine');
  });

  test('a WaitForFirstConsumer claim matches only a pre-bound volume', () => {
    assert.equal(findBestMatchForClaim([volume('free', '1Gi')], claim('c', '1Gi'), true), undefined);
    assert.equal(nameOf(findBestMatchForClaim([volume('free', '1Gi'), volume('mine', '1Gi', { claim: { name: 'c', uid: 'uid-c' } })], claim('c', '1Gi'), true)), 'mine');
  });

  test('a claim with a malformed selector is an error', () => {
    const bad = claim('c', '1Gi', { selector: { matchExpressions: [{ key: 'tier', operator: 'Near' }] } });
    assert.throws(() => findBestMatchForClaim([volume('v', '1Gi')], bad, false), /error creating internal label selector/);
  });
});

describe('checkVolumeSatisfyClaim', () => {
  test('names the first reason a requested volume does not fit, in upstream order', () => {
    assert.equal(checkVolumeSatisfyClaim(volume('v', '1Gi', { deleting: true }), claim('c', '5Gi')), 'the volume is marked for deletion "v"');
    assert.equal(checkVolumeSatisfyClaim(volume('v', '1Gi'), claim('c', '5Gi')), 'requested PV is too small');
    assert.equal(checkVolumeSatisfyClaim(volume('v', '5Gi', { className: 'fast' }), claim('c', '5Gi')), 'storageClassName does not match');
    assert.equal(checkVolumeSatisfyClaim(volume('v', '5Gi'), claim('c', '5Gi', { modes: ['ReadWriteMany'] })), 'incompatible accessMode');
    assert.equal(checkVolumeSatisfyClaim(volume('v', '5Gi'), claim('c', '5Gi')), undefined);
  });
});

test('access-mode keys list each mode once in upstream order', () => {
  assert.equal(accessModesKey(['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce']), 'RWO,RWX');
  assert.equal(accessModesKey(undefined), '');
});
