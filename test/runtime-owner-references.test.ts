/**
 * Owner references as controller-runtime's controllerutil and apimachinery's controller_ref.go:
 * one controller per object, blockOwnerDeletion set, same owner replaced rather than repeated,
 * namespace rules enforced, and isControlledBy by uid.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KubeObject } from '../src/client/object.js';
import {
  AlreadyOwnedError,
  getControllerOf,
  hasControllerReference,
  isControlledBy,
  removeOwnerReference,
  removeControllerReference,
  hasOwnerReference,
  setControllerReference,
  setOwnerReference,
} from '../src/runtime/index.js';

const owner = (name: string, uid: string, namespace?: string, apiVersion = 'example.com/v1', kind = 'WebApp'): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, uid, ...(namespace === undefined ? {} : { namespace }) },
});
const child = (namespace?: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'child', ...(namespace === undefined ? {} : { namespace }) } });

describe('owner references', () => {
  test('setControllerReference adds a controller reference that blocks owner deletion', () => {
    const object = child('default');
    setControllerReference(owner('a', 'uid-a', 'default'), object);
    assert.deepEqual(object.metadata?.ownerReferences, [{ apiVersion: 'example.com/v1', kind: 'WebApp', name: 'a', uid: 'uid-a', blockOwnerDeletion: true, controller: true }]);
    assert.equal(hasControllerReference(object), true);
    assert.equal(getControllerOf(object)?.name, 'a');
  });

  test('setting the same controller again, at another version, replaces its reference instead of adding one', () => {
    const object = child('default');
    setControllerReference(owner('a', 'uid-a', 'default'), object);
    setControllerReference(owner('a', 'uid-a2', 'default', 'example.com/v2'), object);
    assert.equal(object.metadata?.ownerReferences?.length, 1);
    assert.equal(object.metadata?.ownerReferences?.[0]?.uid, 'uid-a2');
  });

  test('a second controller is refused with upstream wording', () => {
    const object = child('default');
    setControllerReference(owner('a', 'uid-a', 'default'), object);
    assert.throws(
      () => setControllerReference(owner('b', 'uid-b', 'default'), object),
      (error: unknown) => error instanceof AlreadyOwnedError && error.message === 'Object default/child is already owned by another WebApp controller a',
    );
  });

  test('a namespaced owner across namespaces, or of a cluster-scoped object, is refused', () => {
    assert.throws(() => setControllerReference(owner('a', 'uid-a', 'one'), child('two')), /cross-namespace owner references are disallowed, owner's namespace one, obj's namespace two/);
    assert.throws(() => setOwnerReference(owner('a', 'uid-a', 'one'), child()), /cluster-scoped resource must not have a namespace-scoped owner, owner's namespace one/);
  });

  test('a cluster-scoped owner may own a namespaced object', () => {
    const object = child('default');
    setControllerReference(owner('node-1', 'uid-n', undefined, 'v1', 'Node'), object);
    assert.equal(getControllerOf(object)?.kind, 'Node');
  });

  test('setOwnerReference adds a plain owner beside the controller', () => {
    const object = child('default');
    setControllerReference(owner('a', 'uid-a', 'default'), object);
    setOwnerReference(owner('b', 'uid-b', 'default'), object);
    assert.deepEqual(object.metadata?.ownerReferences?.[1], { apiVersion: 'example.com/v1', kind: 'WebApp', name: 'b', uid: 'uid-b' });
    assert.equal(hasOwnerReference(object.metadata?.ownerReferences, owner('b', 'uid-b', 'default')), true);
    removeOwnerReference(owner('b', 'uid-b', 'default'), object);
    assert.equal(object.metadata?.ownerReferences?.length, 1);
    assert.equal(hasOwnerReference(object.metadata?.ownerReferences, owner('b', 'uid-b', 'default')), false);
    assert.throws(() => removeOwnerReference(owner('b', 'uid-b', 'default'), object), /does not have an owner reference for WebApp b/);
  });

  test('removeControllerReference removes only the controller', () => {
    const object = child('default');
    setControllerReference(owner('a', 'uid-a', 'default'), object);
    setOwnerReference(owner('b', 'uid-b', 'default'), object);
    assert.throws(() => removeControllerReference(owner('b', 'uid-b', 'default'), object), /owner is not the controller reference/);
    removeControllerReference(owner('a', 'uid-a', 'default'), object);
    assert.equal(hasControllerReference(object), false);
    assert.throws(() => removeControllerReference(owner('a', 'uid-a', 'default'), object), /does not have a owner reference with controller equals true/);
  });

  test('isControlledBy compares the controller by uid', () => {
    const object = child('default');
    setControllerReference(owner('a', 'uid-a', 'default'), object);
    assert.equal(isControlledBy(object, owner('a', 'uid-a', 'default')), true);
    assert.equal(isControlledBy(object, owner('a', 'another-uid', 'default')), false);
    setOwnerReference(owner('b', 'uid-b', 'default'), object);
    assert.equal(isControlledBy(object, owner('b', 'uid-b', 'default')), false);
  });

  test('an owner without apiVersion and kind needs them given, and one without a uid is refused', () => {
    const bare: KubeObject = { metadata: { name: 'd', uid: 'uid-d', namespace: 'default' } };
    assert.throws(() => setControllerReference(bare, child('default')), /pass options.gvk/);
    const object = child('default');
    setControllerReference(bare, object, { gvk: { apiVersion: 'apps/v1', kind: 'Deployment' } });
    assert.equal(getControllerOf(object)?.apiVersion, 'apps/v1');
    assert.throws(() => setControllerReference(owner('a', '', 'default'), child('default')), /must have a name and a uid/);
  });
});
