import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import { type JsonObject, cloneJson } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { SECRETS, base64Error } from './secrets.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };
const { strategy } = SECRETS;
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function secret(fields: JsonObject): JsonObject {
  return { metadata: { name: 's', namespace: 'default', creationTimestamp: '2024-05-01T09:00:00Z' }, ...fields };
}

function errors(object: JsonObject): string[] {
  const copy = cloneJson(object);
  strategy.defaults?.(copy);
  return (strategy.validate?.(copy, CTX) ?? []).map(formatFieldError);
}

test('a Secret defaults to Opaque, and stringData is merged into data and dropped', () => {
  const object = secret({ data: { a: b64('old'), b: b64('kept') }, stringData: { a: 'new', c: 'ünïcode' } });
  strategy.defaults?.(object);
  assert.deepEqual(object, secret({ type: 'Opaque', data: { a: b64('new'), b: b64('kept'), c: b64('ünïcode') } }));
});

test('data keys must be config keys and values base64, as Go decodes it', () => {
  assert.deepEqual(errors(secret({ data: { 'ok.key': b64('x'), empty: '' } })), []);
  assert.deepEqual(errors(secret({ data: { 'bad/key': b64('x'), broken: 'abc', garbage: 'ab!d' } })), [
    "data[bad/key]: Invalid value: \"bad/key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    'data[broken]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 0',
    'data[garbage]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 2',
  ]);
});

test('base64 errors are reported at Go’s offsets', () => {
  assert.equal(base64Error('aGVsbG8='), undefined);
  assert.equal(base64Error('aGVs\nbG8='), undefined);
  assert.equal(base64Error('aGVsbG8'), 4);
  assert.equal(base64Error('aGVsbG8=x'), 8);
  assert.equal(base64Error('aGVsbA='), 7);
  assert.equal(base64Error('a==='), 1);
  assert.equal(base64Error(''), undefined);
});

test('a Secret holds at most 1 MiB of data', () => {
  const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
  assert.deepEqual(errors(secret({ data: { big } })), ['data: Too long: may not be more than 1048576 bytes']);
});

test('well-known types require their keys', () => {
  assert.deepEqual(errors(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } })), ['data[tls.key]: Required value']);
  assert.deepEqual(errors(secret({ type: 'kubernetes.io/basic-auth', data: {} })), ['data[username]: Required value', 'data[password]: Required value']);
  assert.deepEqual(errors(secret({ type: 'kubernetes.io/basic-auth', data: { password: '' } })), []);
  assert.deepEqual(errors(secret({ type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } })), ['data[ssh-privatekey]: Required value']);
  assert.deepEqual(errors(secret({ type: 'kubernetes.io/service-account-token' })), [
    'metadata.annotations[kubernetes.io/service-account.name]: Required value',
  ]);
  assert.deepEqual(errors(secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } })), []);
  assert.deepEqual(errors(secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': 'x' } })), [
    `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'x' looking for beginning of value`,
  ]);
  assert.deepEqual(errors(secret({ type: 'kubernetes.io/dockercfg', stringData: { '.dockercfg': '[]' } })), [
    'data[.dockercfg]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
  ]);
  assert.deepEqual(errors(secret({ type: 'example.com/custom' })), []);
});

test('an update keeps the type, and an immutable Secret its data', () => {
  const old = secret({ type: 'Opaque', immutable: true, data: { a: b64('1') } });
  const update = (object: JsonObject): string[] => (strategy.validateUpdate?.(object, old, CTX) ?? []).map(formatFieldError);
  assert.deepEqual(update(secret({ type: 'Opaque', immutable: true, data: { a: b64('1') }, metadata: { name: 's', labels: { x: 'y' } } })), []);
  assert.deepEqual(update(secret({ type: 'kubernetes.io/tls', data: { a: b64('2') } })), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
});

test('Secrets are selectable by type', () => {
  assert.deepEqual(strategy.selectableFields?.({}), { type: '' });
  assert.deepEqual(strategy.selectableFields?.(secret({ type: 'kubernetes.io/tls' })), { type: 'kubernetes.io/tls' });
});

test('printing shows the type and the number of data entries', () => {
  assert.deepEqual(SECRETS.table?.cells(secret({ type: 'Opaque', data: { a: '', b: '' } }), NOW), ['s', 'Opaque', 2, '3h']);
  assert.deepEqual(SECRETS.table?.columns.map((c) => c.name), ['Name', 'Type', 'Data', 'Age']);
});
