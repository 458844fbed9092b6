import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PathSyntaxError, compileSelector, evaluatePath, parsePath, selectorMatches } from './stage-selector.js';

const pod = {
  metadata: {
    name: 'p',
    labels: { app: 'web' },
    annotations: { 'example.com/mode': 'fast' },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'rs' }, { kind: 'Job', name: 'j' }],
  },
  spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 30 },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'False' }], podIP: null },
};

test('a path reaches fields, quoted names, every array element and filtered elements', () => {
  assert.deepEqual(evaluatePath(pod, parsePath('.status.phase')), ['Running']);
  assert.deepEqual(evaluatePath(pod, parsePath('.metadata.annotations["example.com/mode"]')), ['fast']);
  assert.deepEqual(evaluatePath(pod, parsePath('.metadata.ownerReferences[].kind')), ['ReplicaSet', 'Job']);
  assert.deepEqual(evaluatePath(pod, parsePath('.status.conditions[type=Initialized].status')), ['False']);
  assert.deepEqual(evaluatePath(pod, parsePath('.status.podIP')), [], 'null is not a value');
  assert.deepEqual(evaluatePath(pod, parsePath('.metadata.deletionTimestamp')), []);
});

test('a malformed path is a syntax error', () => {
  assert.throws(() => parsePath('status.phase'), PathSyntaxError);
  assert.throws(() => parsePath('.status[phase'), /unclosed/);
  assert.throws(() => parsePath('.status.&'), /expected a field name/);
});

test('In, NotIn, Exists and DoesNotExist compare every value a path reaches', () => {
  const matches = (key: string, operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values?: string[]): boolean =>
    selectorMatches(compileSelector({ matchExpressions: [{ key, operator, ...(values === undefined ? {} : { values }) }] }), pod);
  assert.equal(matches('.metadata.ownerReferences[].kind', 'In', ['Job']), true);
  assert.equal(matches('.metadata.ownerReferences[].kind', 'NotIn', ['Job']), false);
  assert.equal(matches('.metadata.deletionTimestamp', 'NotIn', ['x']), true, 'NotIn holds when nothing is there');
  assert.equal(matches('.spec.terminationGracePeriodSeconds', 'In', ['30']), true, 'numbers compare as text');
  assert.equal(matches('.metadata.deletionTimestamp', 'DoesNotExist'), true);
  assert.equal(matches('.status.phase', 'Exists'), true);
});

test('matchLabels and matchAnnotations must all hold, and an empty selector matches everything', () => {
  assert.equal(selectorMatches(compileSelector({ matchLabels: { app: 'web' }, matchAnnotations: { 'example.com/mode': 'fast' } }), pod), true);
  assert.equal(selectorMatches(compileSelector({ matchLabels: { app: 'db' } }), pod), false);
  assert.equal(selectorMatches(compileSelector({}), pod), true);
});
