import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { CORE_EVENTS, EVENTS_V1 } from './events.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CTX: RequestContext = { subresource: undefined, dryRun: false, now: NOW };

function core(fields: JsonObject, namespace = 'default'): JsonObject {
  return { metadata: { name: 'web-0.17c', namespace }, ...fields };
}

const POD = { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{app}' };

function newStyle(fields: JsonObject = {}): JsonObject {
  return core({
    eventTime: '2024-05-01T11:59:00.000000Z',
    regarding: POD,
    reportingController: 'kubernetes.io/kubelet',
    reportingInstance: 'kubelet-n1',
    action: 'Pulling',
    reason: 'Pulling',
    type: 'Normal',
    note: 'Pulling image "nginx"',
    ...fields,
  });
}

const coreErrors = (object: JsonObject): string[] => (CORE_EVENTS.strategy.validate?.(object, CTX) ?? []).map(formatFieldError);
const v1Errors = (object: JsonObject): string[] => (EVENTS_V1.strategy.validate?.(object, CTX) ?? []).map(formatFieldError);

test('core Events are short-named ev; events.k8s.io Events are their own group', () => {
  assert.deepEqual(CORE_EVENTS.shortNames, ['ev']);
  assert.equal(EVENTS_V1.group, 'events.k8s.io');
  assert.deepEqual(EVENTS_V1.shortNames, []);
});

test('an old-style core Event must be in its object’s namespace (or default for cluster objects)', () => {
  assert.deepEqual(coreErrors(core({ involvedObject: POD, reason: 'Started' })), []);
  assert.deepEqual(coreErrors(core({ involvedObject: { kind: 'Node', name: 'n1' } })), []);
  assert.deepEqual(coreErrors(core({ involvedObject: POD }, 'other')), [
    'involvedObject.namespace: Invalid value: "default": does not match event.namespace',
  ]);
});

test('a new-style core Event needs its reporting fields, within their limits', () => {
  assert.deepEqual(
    coreErrors(core({ eventTime: '2024-05-01T11:59:00.000000Z', involvedObject: POD, reportingComponent: 'kubelet', reportingInstance: 'x'.repeat(129), message: 'm'.repeat(1025) })),
    [
      'reportingInstance: Invalid value: "": can have at most 128 characters',
      'action: Required value',
      'reason: Required value',
      'message: Invalid value: "": can have at most 1024 characters',
    ],
  );
  assert.deepEqual(coreErrors(core({ eventTime: '2024-05-01T11:59:00.000000Z', involvedObject: POD, reportingInstance: 'i', action: 'a', reason: 'r' })).slice(0, 2), [
    'reportingController: Required value',
    'reportingController: Invalid value: "": name part must be non-empty',
  ]);
});

test('core Event names only need to be usable in a path', () => {
  assert.deepEqual(CORE_EVENTS.strategy.validateName?.('Web-0.17C_x', false), []);
  assert.deepEqual(CORE_EVENTS.strategy.validateName?.('a/b', false), ["may not contain '/'"]);
});

test('events.k8s.io Events are validated strictly on create', () => {
  assert.deepEqual(v1Errors(newStyle()), []);
  assert.deepEqual(v1Errors(newStyle({ type: 'Odd', deprecatedCount: 3, deprecatedSource: { component: 'kubelet' }, series: { count: 1 } })), [
    'series.count: Invalid value: "": should be at least 2',
    'series.lastObservedTime: Required value',
    'type: Invalid value: "": has invalid value: Odd',
    'count: Invalid value: "": needs to be unset',
    'source: Invalid value: "": needs to be unset',
  ]);
  assert.deepEqual(v1Errors(core({ regarding: POD, type: 'Normal' })), ['eventTime: Required value']);
});

test('an events.k8s.io Event may change only its series on update', () => {
  const old = newStyle();
  const update = (object: JsonObject): string[] => (EVENTS_V1.strategy.validateUpdate?.(object, old, CTX) ?? []).map(formatFieldError);
  assert.deepEqual(update(newStyle({ series: { count: 2, lastObservedTime: '2024-05-01T11:59:30.000000Z' } })), []);
  assert.deepEqual(update(newStyle({ note: 'changed', reason: 'Pulled' })), [
    'reason: Invalid value: "Pulled": field is immutable',
    'message: Invalid value: "changed": field is immutable',
  ]);
});

test('selectable fields are upstream’s for each API', () => {
  assert.deepEqual(Object.keys(CORE_EVENTS.strategy.selectableFields?.({}) ?? {}).sort(), [
    'involvedObject.apiVersion', 'involvedObject.fieldPath', 'involvedObject.kind', 'involvedObject.name', 'involvedObject.namespace',
    'involvedObject.resourceVersion', 'involvedObject.uid', 'reason', 'reportingComponent', 'source', 'type',
  ]);
  assert.ok(Object.values(CORE_EVENTS.strategy.selectableFields?.({}) ?? {}).every((v) => v === ''));
  const fields = CORE_EVENTS.strategy.selectableFields?.(core({ involvedObject: POD, reason: 'Started', reportingComponent: 'kubelet', type: 'Normal' }));
  assert.equal(fields?.['involvedObject.name'], 'web-0');
  assert.equal(fields?.source, 'kubelet', 'source falls back to the reporting component');
  assert.deepEqual(Object.keys(EVENTS_V1.strategy.selectableFields?.({}) ?? {}).sort(), [
    'reason', 'regarding.apiVersion', 'regarding.fieldPath', 'regarding.kind', 'regarding.name', 'regarding.namespace',
    'regarding.resourceVersion', 'regarding.uid', 'reportingController', 'type',
  ]);
  assert.equal(EVENTS_V1.strategy.selectableFields?.(newStyle())['regarding.kind'], 'Pod');
});

test('printing shows when, what and about which object', () => {
  const old = core({
    involvedObject: POD,
    reason: 'BackOff',
    type: 'Warning',
    message: '  Back-off restarting failed container  ',
    source: { component: 'kubelet', host: 'n1' },
    firstTimestamp: '2024-05-01T11:00:00Z',
    lastTimestamp: '2024-05-01T11:58:00Z',
    count: 12,
  });
  assert.deepEqual(CORE_EVENTS.table?.cells(old, NOW), [
    '2m', 'Warning', 'BackOff', 'pod/web-0', 'spec.containers{app}', 'kubelet, n1', 'Back-off restarting failed container', '60m', 12, 'web-0.17c',
  ]);
  assert.deepEqual(EVENTS_V1.table?.cells(newStyle(), NOW), [
    '60s', 'Normal', 'Pulling', 'pod/web-0', 'spec.containers{app}', 'kubernetes.io/kubelet, kubelet-n1', 'Pulling image "nginx"', '60s', 1, 'web-0.17c',
  ]);
  const series = newStyle({ series: { count: 5, lastObservedTime: '2024-05-01T11:59:50.000000Z' } });
  assert.deepEqual(EVENTS_V1.table?.cells(series, NOW).slice(0, 1), ['10s']);
  assert.deepEqual(EVENTS_V1.table?.cells(series, NOW)[8], 5);
  assert.deepEqual(CORE_EVENTS.table?.cells(core({ involvedObject: { kind: 'Node' } }), NOW).slice(0, 4), ['<unknown>', '', '', 'node']);
  assert.deepEqual(CORE_EVENTS.table?.columns.filter((c) => c.priority === 0).map((c) => c.name), ['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
});
