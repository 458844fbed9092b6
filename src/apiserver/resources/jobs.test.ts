import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type JsonObject, cloneJson } from '../../api/json.js';
import { CONTROLLER_UID_LABEL, JOBS, JOB_NAME_LABEL } from './jobs.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { NOW, UID, errorsAt, printed, simulateCreate, simulateUpdate } from './workload-testing.js';

const POD_SPEC: JsonObject = { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] };

function job(spec: JsonObject = {}, metadata: JsonObject = {}): JsonObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', ...metadata }, spec: { template: { spec: cloneJson(POD_SPEC) }, ...spec } };
}

function specOf(object: JsonObject): JsonObject {
  const spec = object.spec;
  assert.ok(spec !== null && typeof spec === 'object' && !Array.isArray(spec));
  return spec;
}

const GENERATED = { 'controller-uid': UID, 'job-name': 'pi', [CONTROLLER_UID_LABEL]: UID, [JOB_NAME_LABEL]: 'pi' };

test('a minimal Job gets upstream defaults and a generated selector', () => {
  const { object, errors } = simulateCreate(JOBS, job());
  assert.deepEqual(printed(errors), []);
  const { template, ...rest } = specOf(object);
  assert.deepEqual(rest, {
    completions: 1,
    parallelism: 1,
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    suspend: false,
    podReplacementPolicy: 'TerminatingOrFailed',
    manualSelector: false,
    selector: { matchLabels: { [CONTROLLER_UID_LABEL]: UID } },
  });
  const expected: JsonObject = { spec: cloneJson(POD_SPEC), metadata: { labels: { ...GENERATED } } };
  defaultPodTemplateSpec(expected);
  assert.deepEqual(template, expected);
  assert.deepEqual((object.metadata as JsonObject).labels, GENERATED);
});

test('a Job with labels of its own keeps them; one without gets its template labels', () => {
  const own = simulateCreate(JOBS, job({}, { labels: { team: 'math' } })).object;
  assert.deepEqual((own.metadata as JsonObject).labels, { team: 'math' });
  const copied = simulateCreate(JOBS, job({ template: { metadata: { labels: { app: 'pi' } }, spec: cloneJson(POD_SPEC) } })).object;
  assert.deepEqual((copied.metadata as JsonObject).labels, { app: 'pi', ...GENERATED });
});

test('parallelism alone leaves completions unset, and a per-index limit lifts the global one', () => {
  const workQueue = simulateCreate(JOBS, job({ parallelism: 3 }));
  assert.deepEqual(printed(workQueue.errors), []);
  assert.equal(specOf(workQueue.object).completions, undefined);
  assert.equal(specOf(workQueue.object).parallelism, 3);
  const perIndex = simulateCreate(JOBS, job({ completions: 4, completionMode: 'Indexed', backoffLimitPerIndex: 1 }));
  assert.deepEqual(printed(perIndex.errors), []);
  assert.equal(specOf(perIndex.object).backoffLimit, 2147483647);
  assert.equal(specOf(perIndex.object).parallelism, 1);
});

test('a pod failure policy makes replacement wait for failure and defaults pattern status to True', () => {
  const policy = { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] };
  const { object, errors } = simulateCreate(JOBS, job({ podFailurePolicy: policy }));
  assert.deepEqual(printed(errors), []);
  assert.equal(specOf(object).podReplacementPolicy, 'Failed');
  assert.deepEqual(specOf(object).podFailurePolicy, { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] });
  const replacing = simulateCreate(JOBS, job({ podFailurePolicy: policy, podReplacementPolicy: 'TerminatingOrFailed' }));
  assert.deepEqual(printed(replacing.errors), ['spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"']);
});

test('pod failure policy rules are validated', () => {
  const { errors } = simulateCreate(
    JOBS,
    job({ podFailurePolicy: { rules: [{ onExitCodes: { operator: 'In', containerName: 'ghost', values: [3, 0, 3] } }, { action: 'FailIndex' }] } }),
  );
  assert.deepEqual(printed(errors), [
    'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
    'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "ghost": must be one of the container or initContainer names in the pod template',
    'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 0: must not be 0 for the In operator',
    'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3',
    'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [3,0,3]: must be ordered',
    'spec.podFailurePolicy.rules[1].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
    'spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
  ]);
});

test('a Job pod must restart OnFailure or Never, and only Never with a pod failure policy', () => {
  const manifest = job();
  delete ((specOf(manifest).template as JsonObject).spec as JsonObject).restartPolicy;
  assert.deepEqual(printed(simulateCreate(JOBS, manifest).errors), [
    'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ]);
  const onFailure = job({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } });
  ((specOf(onFailure).template as JsonObject).spec as JsonObject).restartPolicy = 'OnFailure';
  assert.deepEqual(printed(simulateCreate(JOBS, onFailure).errors), [
    'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
  ]);
});

test('a manual selector is required and must match the template', () => {
  const { errors } = simulateCreate(JOBS, job({ manualSelector: true }));
  assert.deepEqual(printed(errors), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`',
  ]);
  const manual = job({ manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { app: 'pi' } }, spec: cloneJson(POD_SPEC) } });
  const ok = simulateCreate(JOBS, manual);
  assert.deepEqual(printed(ok.errors), []);
  assert.deepEqual(specOf(ok.object).selector, { matchLabels: { app: 'pi' } });
});

test('a template label that contradicts the generated ones is rejected', () => {
  const manifest = job({ template: { metadata: { labels: { 'controller-uid': 'someone-else' } }, spec: cloneJson(POD_SPEC) } });
  const { errors } = simulateCreate(JOBS, manifest);
  assert.deepEqual(printed(errors), [
    `spec.template.metadata.labels[controller-uid]: Invalid value: ${JSON.stringify({ 'controller-uid': 'someone-else', 'job-name': 'pi', [JOB_NAME_LABEL]: 'pi', [CONTROLLER_UID_LABEL]: UID })}: must be '${UID}'`,
  ]);
});

test('Indexed Jobs need completions and a name that leaves room for the index', () => {
  const missing = simulateCreate(JOBS, job({ completionMode: 'Indexed', parallelism: 2 }));
  assert.deepEqual(printed(missing.errors), ['spec.completions: Required value: when completion mode is Indexed']);
  const name = 'x'.repeat(62);
  const long = simulateCreate(JOBS, job({ completionMode: 'Indexed', completions: 10 }, { name }));
  assert.deepEqual(errorsAt(long.errors, 'metadata.name'), [`metadata.name: Invalid value: "${name}": will not able to create pod with invalid DNS label: ${name}-9`]);
  const perIndex = simulateCreate(JOBS, job({ backoffLimitPerIndex: 1, maxFailedIndexes: 2 }));
  assert.deepEqual(printed(perIndex.errors), [
    'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
    'spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode',
  ]);
});

test('a success policy needs an Indexed Job and indexes below completions', () => {
  const nonIndexed = simulateCreate(JOBS, job({ successPolicy: { rules: [{ succeededCount: 1 }] } }));
  assert.deepEqual(printed(nonIndexed.errors), ['spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode']);
  const indexed = simulateCreate(JOBS, job({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededIndexes: '0,2-5', succeededCount: 4 }] } }));
  assert.deepEqual(printed(indexed.errors), [
    'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0,2-5": error parsing succeededIndexes: too large index: "5"',
    'spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)',
    'spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 0 (the number of indexes in the specified succeededIndexes field)',
  ]);
});

test('a running Job cannot change its template, completions or selector', () => {
  const stored = simulateCreate(JOBS, job()).object;
  const { errors } = simulateUpdate(JOBS, stored, (object) => {
    const spec = specOf(object);
    spec.completions = 2;
    ((spec.template as JsonObject).spec as JsonObject).nodeSelector = { zone: 'a' };
  });
  assert.deepEqual(errorsAt(errors, 'spec.completions'), ['spec.completions: Invalid value: 2: field is immutable']);
  assert.equal(errorsAt(errors, 'spec.template').length, 1);
  const parallel = simulateUpdate(JOBS, stored, (object) => (specOf(object).parallelism = 4));
  assert.deepEqual(printed(parallel.errors), []);
  assert.equal((parallel.object.metadata as JsonObject).generation, 2);
});

test('a suspended Job that never started may move its pods and relabel them', () => {
  const stored = simulateCreate(JOBS, job({ suspend: true })).object;
  const { errors } = simulateUpdate(JOBS, stored, (object) => {
    const template = specOf(object).template as JsonObject;
    (template.spec as JsonObject).nodeSelector = { zone: 'a' };
    (template.spec as JsonObject).tolerations = [{ key: 'gpu', operator: 'Exists' }];
    (template.metadata as JsonObject).annotations = { queue: 'fast' };
  });
  assert.deepEqual(printed(errors), []);
  const started = cloneJson(stored);
  started.status = { startTime: '2026-03-01T11:30:00Z' };
  const afterStart = simulateUpdate(JOBS, started, (object) => (((specOf(object).template as JsonObject).spec as JsonObject).nodeSelector = { zone: 'b' }));
  assert.equal(errorsAt(afterStart.errors, 'spec.template').length, 1);
});

test('an Indexed Job scales completions only together with parallelism', () => {
  const stored = simulateCreate(JOBS, job({ completionMode: 'Indexed', completions: 3, parallelism: 3 })).object;
  const alone = simulateUpdate(JOBS, stored, (object) => (specOf(object).completions = 5));
  assert.deepEqual(printed(alone.errors), ['spec.completions: Invalid value: 5: can only be modified in tandem with spec.parallelism']);
  const together = simulateUpdate(JOBS, stored, (object) => Object.assign(specOf(object), { completions: 5, parallelism: 5 }));
  assert.deepEqual(printed(together.errors), []);
});

test('a Job status may not hold negative counters or repeated uncounted pods', () => {
  const stored = simulateCreate(JOBS, job()).object;
  const { errors } = simulateUpdate(
    JOBS,
    stored,
    (object) => (object.status = { active: -1, uncountedTerminatedPods: { succeeded: ['a', ''], failed: ['a'] } }),
    'status',
  );
  assert.deepEqual(printed(errors), [
    'status.active: Invalid value: -1: must be greater than or equal to 0',
    'status.uncountedTerminatedPods.succeeded[1]: Invalid value: "": must not be empty',
    'status.uncountedTerminatedPods.failed[0]: Duplicate value: "a"',
  ]);
});

test('the table shows status, completions, duration and age', () => {
  const created = new Date(NOW - 10 * 60_000).toISOString();
  const running: JsonObject = {
    metadata: { name: 'pi', creationTimestamp: created },
    spec: { completions: 3, parallelism: 1, selector: { matchLabels: { [CONTROLLER_UID_LABEL]: UID } }, template: { spec: cloneJson(POD_SPEC) } },
    status: { startTime: new Date(NOW - 95_000).toISOString(), succeeded: 2, active: 1 },
  };
  assert.deepEqual(JOBS.table?.columns.map((c) => c.name), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(JOBS.table?.cells(running, NOW), ['pi', 'Running', '2/3', '95s', '10m', 'pi', 'perl:5.34', `${CONTROLLER_UID_LABEL}=${UID}`]);
  const done = cloneJson(running);
  done.status = {
    startTime: '2026-03-01T11:50:00Z',
    completionTime: '2026-03-01T11:53:20Z',
    succeeded: 3,
    conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }],
  };
  assert.deepEqual(JOBS.table?.cells(done, NOW).slice(1, 4), ['Complete', '3/3', '3m20s']);
  const queue: JsonObject = { metadata: { name: 'q', deletionTimestamp: '2026-03-01T12:00:00Z' }, spec: { parallelism: 3 } };
  assert.deepEqual(JOBS.table?.cells(queue, NOW).slice(1, 4), ['Terminating', '0/1 of 3', '']);
  const suspended: JsonObject = { metadata: { name: 's' }, spec: {}, status: { conditions: [{ type: 'Suspended', status: 'True' }] } };
  assert.deepEqual(JOBS.table?.cells(suspended, NOW).slice(1, 3), ['Suspended', '0/1']);
});

test('Jobs are selectable by status.successful and listed in all', () => {
  assert.deepEqual(JOBS.strategy.selectableFields?.({}), { 'status.successful': '0' });
  assert.deepEqual(JOBS.strategy.selectableFields?.({ status: { succeeded: 2 } }), { 'status.successful': '2' });
  assert.deepEqual(JOBS.shortNames, []);
  assert.deepEqual(JOBS.categories, ['all']);
  assert.equal(JOBS.scale, undefined);
  assert.equal(JOBS.statusSubresource, true);
});
