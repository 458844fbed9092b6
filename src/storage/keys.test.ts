import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStorageError } from './errors.js';
import { compareKeys, normalizePrefix, prefixEnd, validateKey } from './keys.js';
import { seededRandom } from './testing/random.js';

test('compareKeys orders keys as their UTF-8 bytes, astral characters included', () => {
  const random = seededRandom(7);
  const alphabet = ['a', 'z', '/', '-', '\u00e9', '\u4e2d', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{1f600}', '\u{10ffff}'];
  const word = (): string => Array.from({ length: 1 + Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  for (let i = 0; i < 2000; i++) {
    const a = word();
    const b = word();
    const expected = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.equal(Math.sign(compareKeys(a, b)), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
});

test('a prefix is normalized to a directory and its range end excludes longer siblings', () => {
  assert.equal(normalizePrefix('/registry/pods/ns1'), '/registry/pods/ns1/');
  assert.equal(normalizePrefix('/registry/pods/ns1/'), '/registry/pods/ns1/');
  const end = prefixEnd('/registry/pods/ns1/');
  assert.ok(compareKeys('/registry/pods/ns1/zzz', end) < 0);
  assert.ok(compareKeys('/registry/pods/ns10/a', end) >= 0);
  assert.ok(compareKeys('/registry/pods/ns1', '/registry/pods/ns1/') < 0);
  assert.ok(compareKeys('/registry/pods/ns1/\u{10ffff}', end) < 0);
});

test('keys that are not rooted, are directories, or are not well-formed text are rejected', () => {
  for (const key of ['', 'a', '/', '/a/', '/a\0', `/${'\udc00'}`, `/${'x'.repeat(5000)}`]) {
    assert.throws(() => validateKey(key), (e) => isStorageError(e, 'InvalidArgument'), JSON.stringify(key).slice(0, 40));
  }
  validateKey('/registry/pods/default/a');
  validateKey('/registry/rbac/clusterroles/system:controller');
});
