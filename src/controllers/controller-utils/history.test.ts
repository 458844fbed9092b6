/**
 * Unit tests of the ControllerRevision helpers (history.ts) and the hashes they use (hash.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { appsV1, coreV1 } from '../../api/types/index.js';
import { ApiError } from '../../client/errors.js';
import { fnv32, fnv32a } from './hash.js';
import {
  type ControllerRevisionClient,
  controllerRevisionName,
  createControllerRevision,
  findEqualRevisions,
  hashControllerRevision,
  newControllerRevision,
  nextRevision,
  revisionTemplate,
  sortControllerRevisions,
  templatePatch,
  updateControllerRevision,
} from './history.js';

type ControllerRevision = appsV1.ControllerRevision;

const OWNER = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'shop', uid: 'set-uid' } };
const KIND = { apiVersion: 'apps/v1', kind: 'StatefulSet' };

function template(image: string): coreV1.PodTemplateSpec {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } };
}

function revisionOf(image: string, revision: number, extra: Partial<NonNullable<ControllerRevision['metadata']>> = {}): ControllerRevision {
  const made = newControllerRevision(OWNER, KIND, { app: 'web' }, templatePatch(template(image)), revision, 0);
  made.metadata = { ...made.metadata, ...extra };
  return made;
}

/** A client over a map of revisions by name; `conflicts` updates fail with 409 before one succeeds. */
class MapClient implements ControllerRevisionClient {
  readonly stored = new Map<string, ControllerRevision>();
  readonly created: string[] = [];
  conflicts = 0;
  namespace(): MapClient {
    return this;
  }
  async create(revision: ControllerRevision): Promise<ControllerRevision> {
    const name = revision.metadata?.name ?? '';
    if (this.stored.has(name)) throw new ApiError(409, 'AlreadyExists', `controllerrevisions "${name}" already exists`);
    this.stored.set(name, structuredClone(revision));
    this.created.push(name);
    return revision;
  }
  async get(name: string): Promise<ControllerRevision> {
    const found = this.stored.get(name);
    if (found === undefined) throw new ApiError(404, 'NotFound', `controllerrevisions "${name}" not found`);
    return structuredClone(found);
  }
  async update(revision: ControllerRevision): Promise<ControllerRevision> {
    if (this.conflicts > 0) {
      this.conflicts--;
      throw new ApiError(409, 'Conflict', 'the object has been modified');
    }
    this.stored.set(revision.metadata?.name ?? '', structuredClone(revision));
    return revision;
  }
  async delete(): Promise<ControllerRevision> {
    throw new Error('not used');
  }
  async patch(): Promise<ControllerRevision> {
    throw new Error('not used');
  }
}

describe('hashes', () => {
  test('fnv32 is FNV-1 and fnv32a is FNV-1a, as Go\'s hash/fnv New32 and New32a', () => {
    const a = new TextEncoder().encode('a');
    assert.equal(fnv32(a), 0x050c5d7e);
    assert.equal(fnv32a(a), 0xe40c292c);
  });

  test('a revision\'s hash changes with its data and with the collision count, and is stable otherwise', () => {
    const data = templatePatch(template('nginx:1'));
    assert.equal(hashControllerRevision(data), hashControllerRevision(templatePatch(template('nginx:1'))));
    assert.notEqual(hashControllerRevision(data), hashControllerRevision(templatePatch(template('nginx:2'))));
    assert.notEqual(hashControllerRevision(data, 0), hashControllerRevision(data, 1));
    assert.match(hashControllerRevision(data), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});

describe('ControllerRevision helpers', () => {
  test('a revision holds a strategic merge patch replacing the template, and gives the template back', () => {
    const data = templatePatch(template('nginx:1'));
    assert.deepEqual(data, { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx:1', name: 'c' }] } } } });
    assert.deepEqual(revisionTemplate(revisionOf('nginx:1', 1)), template('nginx:1'));
    assert.equal(revisionTemplate({ data: { spec: 'nonsense' } }), undefined);
  });

  test('a revision keeps empty selectors and volume sources, which mean something, and sorts keys as Go marshals a map', () => {
    const kept: coreV1.PodTemplateSpec = {
      metadata: { labels: { app: 'web' } },
      spec: {
        volumes: [{ name: 'scratch', emptyDir: {} }],
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: {}, namespaceSelector: {} }] } },
        containers: [{ name: 'c', image: 'nginx:1' }],
      },
    };
    const data = templatePatch(kept);
    assert.deepEqual(revisionTemplate({ data }), kept);
    assert.deepEqual(Object.keys((data.spec as { template: object }).template), ['$patch', 'metadata', 'spec']);
  });

  test('a revision whose data is not a pod template gives none back', () => {
    assert.equal(revisionTemplate({ data: { spec: { template: { spec: 'nonsense' } } } }), undefined);
    assert.equal(revisionTemplate({ data: { spec: { template: { spec: { containers: 'nonsense' } } } } }), undefined);
    assert.equal(revisionTemplate({ data: { spec: { template: { metadata: 7 } } } }), undefined);
  });

  test('a new revision is named <owner>-<hash>, labelled with the hash, and controlled by its owner', () => {
    const made = revisionOf('nginx:1', 4);
    const hash = made.metadata?.labels?.['controller-revision-hash'] ?? '';
    assert.equal(made.metadata?.name, `web-${hash}`);
    assert.equal(made.metadata?.namespace, 'shop');
    assert.equal(made.metadata?.labels?.app, 'web');
    assert.equal(made.revision, 4);
    assert.deepEqual(made.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
    assert.equal(controllerRevisionName('x'.repeat(300), 'h'), `${'x'.repeat(223)}-h`);
  });

  test('revisions sort by number, then creation, then name; the next number is one above the highest', () => {
    const revisions = [
      revisionOf('c', 2, { name: 'b', creationTimestamp: '2026-01-01T00:00:00Z' }),
      revisionOf('a', 1),
      revisionOf('d', 2, { name: 'a', creationTimestamp: '2026-01-01T00:00:00Z' }),
      revisionOf('e', 2, { name: 'z', creationTimestamp: '2025-01-01T00:00:00Z' }),
    ];
    assert.deepEqual(sortControllerRevisions(revisions).map((r) => [r.revision, r.metadata?.name]), [
      [1, revisions[1]?.metadata?.name],
      [2, 'z'],
      [2, 'a'],
      [2, 'b'],
    ]);
    assert.equal(nextRevision(revisions), 3);
    assert.equal(nextRevision([]), 1);
  });

  test('equal revisions are those holding the same template, whatever their number', () => {
    const revisions = [revisionOf('nginx:1', 1), revisionOf('nginx:2', 2), revisionOf('nginx:1', 3)];
    assert.deepEqual(findEqualRevisions(revisions, revisionOf('nginx:1', 9)).map((r) => r.revision), [1, 3]);
  });

  test('creating a revision whose name is taken by the same data returns the existing one', async () => {
    const client = new MapClient();
    const existing = revisionOf('nginx:1', 1);
    client.stored.set(existing.metadata?.name ?? '', existing);
    const count = { value: 0 };
    const got = await createControllerRevision(client, OWNER, revisionOf('nginx:1', 2), count);
    assert.equal(got.revision, 1);
    assert.equal(count.value, 0);
    assert.deepEqual(client.created, []);
  });

  test('creating a revision whose name is taken by other data raises the collision count and takes the next name', async () => {
    const client = new MapClient();
    const wanted = revisionOf('nginx:2', 2);
    const firstName = controllerRevisionName('web', hashControllerRevision(wanted.data, 0));
    client.stored.set(firstName, { ...revisionOf('nginx:1', 1), metadata: { name: firstName } });
    const count = { value: 0 };
    const got = await createControllerRevision(client, OWNER, wanted, count);
    assert.equal(count.value, 1);
    assert.equal(got.metadata?.name, controllerRevisionName('web', hashControllerRevision(wanted.data, 1)));
  });

  test('renumbering a revision re-reads it and retries after a conflict', async () => {
    const client = new MapClient();
    const stored = revisionOf('nginx:1', 1);
    client.stored.set(stored.metadata?.name ?? '', stored);
    client.conflicts = 1;
    const updated = await updateControllerRevision(client, stored, 3);
    assert.equal(updated.revision, 3);
    assert.equal(client.stored.get(stored.metadata?.name ?? '')?.revision, 3);
  });
});
