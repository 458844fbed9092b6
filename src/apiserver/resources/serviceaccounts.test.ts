import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { SERVICE_ACCOUNTS } from './serviceaccounts.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const { strategy } = SERVICE_ACCOUNTS;

function account(fields: JsonObject): JsonObject {
  return { metadata: { name: 'builder', namespace: 'default', creationTimestamp: '2024-04-28T12:00:00Z' }, ...fields };
}

test('ServiceAccounts are short-named sa', () => {
  assert.deepEqual(SERVICE_ACCOUNTS.shortNames, ['sa']);
  assert.equal(SERVICE_ACCOUNTS.namespaced, true);
});

test('secret references keep only the secret name, on create and on update', () => {
  const object = account({ secrets: [{ name: 'token', namespace: 'other', uid: 'x', kind: 'Secret' }, { kind: 'Secret' }] });
  strategy.prepareForCreate?.(object, CTX);
  assert.deepEqual(object.secrets, [{ name: 'token' }, {}]);
  const updated = account({ secrets: [{ name: 'pull', apiVersion: 'v1' }] });
  strategy.prepareForUpdate?.(updated, object, CTX);
  assert.deepEqual(updated.secrets, [{ name: 'pull' }]);
});

test('only metadata is validated', () => {
  assert.equal(strategy.validate, undefined);
  assert.deepEqual(strategy.selectableFields?.({}), {});
});

test('printing counts the secrets', () => {
  assert.deepEqual(SERVICE_ACCOUNTS.table?.cells(account({ secrets: [{ name: 'a' }, { name: 'b' }] }), NOW), ['builder', 2, '3d']);
  assert.deepEqual(SERVICE_ACCOUNTS.table?.cells(account({}), NOW), ['builder', 0, '3d']);
});
