/**
 * @module
 * Conformance: lists — key order, directory prefixes, paging at one revision with remaining counts,
 * lists at past revisions, and continue tokens (bad, mismatched, compacted).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { encodeContinue } from '../continue-token.js';
import type { KeyValue, Store } from '../interface.js';
import { type StoreFactory, rejectsWith, withStore } from './conformance-support.js';

const keysOf = (items: readonly KeyValue[]): string[] => items.map((kv) => kv.key);

async function createAll(store: Store, keys: readonly string[]): Promise<void> {
  for (const key of keys) await store.create(key, `value of ${key}`);
}

export function registerListTests(makeStore: StoreFactory): void {
  it('lists the keys under a prefix in bytewise key order', () =>
    withStore(makeStore, async (store) => {
      // Code point order: "z" < "é" (U+00E9) < "\uFFFD" < "😀" (U+1F600), which UTF-16 order gets wrong.
      const keys = ['/registry/x/ns/😀', '/registry/x/ns/b', '/registry/x/ns/\uFFFD', '/registry/x/ns/é', '/registry/x/ns/a.z'];
      await createAll(store, keys);
      const list = await store.list('/registry/x/ns');
      assert.deepEqual(keysOf(list.items), [
        '/registry/x/ns/a.z',
        '/registry/x/ns/b',
        '/registry/x/ns/é',
        '/registry/x/ns/\uFFFD',
        '/registry/x/ns/😀',
      ]);
      assert.equal(list.remaining, 0);
      assert.equal(list.continue, undefined);
      assert.ok(list.revision >= (await store.get('/registry/x/ns/b'))!.modRevision);
    }));

  it('a prefix is a directory: ns1 never matches ns10', () =>
    withStore(makeStore, async (store) => {
      await createAll(store, ['/registry/pods/ns1/a', '/registry/pods/ns10/b', '/registry/pods/ns1-x/c', '/registry/pods/ns1']);
      assert.deepEqual(keysOf((await store.list('/registry/pods/ns1')).items), ['/registry/pods/ns1/a']);
      assert.deepEqual(keysOf((await store.list('/registry/pods/ns1/')).items), ['/registry/pods/ns1/a']);
    }));

  it('"_" and "%" in a prefix are never wildcards', () =>
    withStore(makeStore, async (store) => {
      await createAll(store, ['/registry/x/a_b/1', '/registry/x/aXb/2', '/registry/x/a%b/3', '/registry/x/aYYb/4']);
      assert.deepEqual(keysOf((await store.list('/registry/x/a_b')).items), ['/registry/x/a_b/1']);
      assert.deepEqual(keysOf((await store.list('/registry/x/a%b')).items), ['/registry/x/a%b/3']);
    }));

  it('pages with limit share the first page revision and count what remains', () =>
    withStore(makeStore, async (store) => {
      const keys = Array.from({ length: 10 }, (_, i) => `/registry/pods/default/p${String(i).padStart(2, '0')}`);
      await createAll(store, keys);
      const seen: KeyValue[] = [];
      const sizes: number[] = [];
      const remaining: number[] = [];
      const first = await store.list('/registry/pods/default', { limit: 3 });
      let page = first;
      for (;;) {
        seen.push(...page.items);
        sizes.push(page.items.length);
        remaining.push(page.remaining);
        assert.equal(page.revision, first.revision, 'every page is at the first page revision');
        if (page.continue === undefined) break;
        if (sizes.length === 1) {
          // Changes after the first page must not show in later pages.
          await store.delete('/registry/pods/default/p05');
          await store.update('/registry/pods/default/p06', 'changed');
          await store.create('/registry/pods/default/p07a', 'new');
        }
        page = await store.list('/registry/pods/default', { limit: 3, continue: page.continue });
      }
      assert.deepEqual(keysOf(seen), keys);
      assert.ok(seen.every((kv) => kv.value === `value of ${kv.key}`), 'every value is as of the first page');
      assert.deepEqual(sizes, [3, 3, 3, 1]);
      assert.deepEqual(remaining, [7, 4, 1, 0]);
      const again = await store.list('/registry/pods/default', { limit: 3, revision: first.revision });
      assert.deepEqual(keysOf(again.items), keys.slice(0, 3));
      assert.equal(again.remaining, 7);
    }));

  it('a later page shows each key as it was at the first page revision', () =>
    withStore(makeStore, async (store) => {
      await createAll(store, ['/registry/cm/ns/a', '/registry/cm/ns/b', '/registry/cm/ns/c']);
      const first = await store.list('/registry/cm/ns', { limit: 1 });
      await store.update('/registry/cm/ns/b', 'changed');
      await store.delete('/registry/cm/ns/c');
      const rest = await store.list('/registry/cm/ns', { continue: first.continue! });
      assert.deepEqual(
        rest.items.map((kv) => [kv.key, kv.value]),
        [
          ['/registry/cm/ns/b', 'value of /registry/cm/ns/b'],
          ['/registry/cm/ns/c', 'value of /registry/cm/ns/c'],
        ],
      );
      assert.equal(rest.revision, first.revision);
    }));

  it('lists at a past revision show the keys as they were', () =>
    withStore(makeStore, async (store) => {
      await createAll(store, ['/registry/cm/ns/a', '/registry/cm/ns/b']);
      const then = await store.currentRevision();
      await store.delete('/registry/cm/ns/a');
      await store.update('/registry/cm/ns/b', 'new b');
      await store.create('/registry/cm/ns/c', 'new c');
      const past = await store.list('/registry/cm/ns', { revision: then });
      assert.equal(past.revision, then);
      assert.deepEqual(
        past.items.map((kv) => [kv.key, kv.value]),
        [
          ['/registry/cm/ns/a', 'value of /registry/cm/ns/a'],
          ['/registry/cm/ns/b', 'value of /registry/cm/ns/b'],
        ],
      );
      const paged = await store.list('/registry/cm/ns', { revision: then, limit: 1 });
      assert.deepEqual(keysOf(paged.items), ['/registry/cm/ns/a']);
      assert.equal(paged.remaining, 1);
      const now = await store.list('/registry/cm/ns');
      assert.deepEqual(
        now.items.map((kv) => [kv.key, kv.value]),
        [
          ['/registry/cm/ns/b', 'new b'],
          ['/registry/cm/ns/c', 'new c'],
        ],
      );
    }));

  it('a list at a future revision fails with FutureRevision', () =>
    withStore(makeStore, async (store) => {
      await store.create('/registry/cm/ns/a', 'v');
      await rejectsWith(store.list('/registry/cm/ns', { revision: (await store.currentRevision()) + 1000 }), 'FutureRevision');
    }));

  it('malformed continue tokens, and a revision that contradicts one, fail with InvalidArgument', () =>
    withStore(makeStore, async (store) => {
      await createAll(store, ['/registry/cm/ns/a', '/registry/cm/ns/b']);
      const first = await store.list('/registry/cm/ns', { limit: 1 });
      const traversal = encodeContinue('/registry/cm/ns/../../secrets/x', '/registry/cm/ns/', first.revision);
      for (const token of ['not a token', Buffer.from('{"v":"other"}').toString('base64url'), traversal]) {
        await rejectsWith(store.list('/registry/cm/ns', { continue: token }), 'InvalidArgument');
      }
      await rejectsWith(
        store.list('/registry/cm/ns', { continue: first.continue!, revision: first.revision + 1 }),
        'InvalidArgument',
      );
      await rejectsWith(store.list('/registry/cm/ns', { limit: -1 }), 'InvalidArgument');
      await rejectsWith(store.list('registry/cm/ns'), 'InvalidArgument');
    }));

  it('a continue token whose revision was compacted fails with Compacted and offers an inconsistent continuation', () =>
    withStore(makeStore, async (store) => {
      await createAll(store, ['/registry/cm/ns/a', '/registry/cm/ns/b', '/registry/cm/ns/c']);
      const first = await store.list('/registry/cm/ns', { limit: 1 });
      await store.update('/registry/cm/ns/c', 'changed');
      await store.create('/registry/cm/ns/d', 'new');
      await store.compact(await store.currentRevision());
      const error = await rejectsWith(store.list('/registry/cm/ns', { limit: 1, continue: first.continue! }), 'Compacted');
      assert.ok(error.continue !== undefined, 'the error carries a continue token');
      const rest = await store.list('/registry/cm/ns', { continue: error.continue });
      assert.deepEqual(
        rest.items.map((kv) => [kv.key, kv.value]),
        [
          ['/registry/cm/ns/b', 'value of /registry/cm/ns/b'],
          ['/registry/cm/ns/c', 'changed'],
          ['/registry/cm/ns/d', 'new'],
        ],
      );
      assert.ok(rest.revision > first.revision, 'the inconsistent continuation reads the latest revision');
    }));
}
