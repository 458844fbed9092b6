import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPodStages } from './default-stages.js';
import { StageValidationError, parseStagesYaml, validateStages } from './stages.js';

test('a YAML list of stages parses into the stage model', () => {
  const stages = parseStagesYaml(`
- name: pod-ready
  selector:
    matchExpressions:
    - { key: .status.podIP, operator: DoesNotExist }
  delay: { durationMs: 100, jitterDurationMs: 300 }
  next:
    statusPatch: { phase: Running, podIP: '\${podIP}' }
    containers: { state: running }
`);
  assert.equal(stages.length, 1);
  assert.equal(stages[0]?.name, 'pod-ready');
  assert.deepEqual(stages[0]?.delay, { durationMs: 100, jitterDurationMs: 300 });
  assert.deepEqual(stages[0]?.next.containers, { state: 'running' });
});

test('kwok-style Stage documents, one per YAML document, parse too', () => {
  const stages = parseStagesYaml(`
apiVersion: kubelite.dev/v1alpha1
kind: Stage
metadata: { name: pod-delete }
spec:
  selector: { matchExpressions: [{ key: .metadata.deletionTimestamp, operator: Exists }] }
  next: { delete: true }
---
kind: Stage
metadata: { name: pod-event }
spec:
  next: { event: { type: Normal, reason: Pulled, message: pulled } }
`);
  assert.deepEqual(stages.map((s) => s.name), ['pod-delete', 'pod-event']);
  assert.equal(stages[0]?.next.delete, true);
});

test('an invalid stages file reports every problem with its path', () => {
  let error: unknown;
  try {
    parseStagesYaml(`
stages:
- name: a
  selector: { matchExpressions: [{ key: status.phase, operator: Matches }] }
  delay: { durationMs: -1, later: 3 }
  next: { containers: { state: sleeping } }
- name: a
  next: { delete: true, statusPatch: {} }
`);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof StageValidationError);
  assert.deepEqual(error.issues, [
    'stages[0].selector.matchExpressions[0].key: path "status.phase": must start with "." or "[" at offset 0',
    'stages[0].selector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist',
    'stages[0].delay.durationMs: must be a non-negative number of milliseconds',
    'stages[0].delay.later: unknown field',
    'stages[0].next.containers.state: must be waiting, running or terminated',
    'stages[1].name: duplicate stage name "a"',
    'stages[1].next: delete cannot be combined with a status change',
  ]);
});

test('duplicate names, In without values and a missing next are reported', () => {
  const result = validateStages([
    { name: 'x', selector: { matchExpressions: [{ key: '.a', operator: 'In' }] }, next: {} },
    { name: 'x', next: {} },
    { name: 'y' },
  ]);
  assert.equal(result.ok, false);
  assert.deepEqual(!result.ok && result.issues, [
    'stages[0].selector.matchExpressions[0].values: In needs a non-empty list of strings',
    'stages[1].name: duplicate stage name "x"',
    'stages[2].next: required, an object with statusPatch, containers, initContainers, delete or event',
  ]);
});

test('YAML syntax errors are reported as stage validation errors', () => {
  assert.throws(() => parseStagesYaml('- name: [unclosed'), StageValidationError);
});

test('the default pod stages pass their own validation', () => {
  const result = validateStages(JSON.parse(JSON.stringify(defaultPodStages({ maxTerminationMs: 5000 }))) as unknown[]);
  assert.equal(result.ok, true, result.ok ? '' : result.issues.join('\n'));
});
