import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseSchedulerConfig } from './scheduler-config.js';

it('reads the parts of a KubeSchedulerConfiguration the scheduler has, extenders as kube-scheduler takes them', () => {
  const config = parseSchedulerConfig(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 50
podInitialBackoffSeconds: 2
podMaxBackoffSeconds: 20
profiles:
  - schedulerName: my-scheduler
extenders:
  - urlPrefix: http://127.0.0.1:8888/scheduler
    filterVerb: filter
    prioritizeVerb: prioritize
    weight: 5
    nodeCacheCapable: true
    ignorable: true
    httpTimeout: 5s
    managedResources:
      - name: example.com/gpu
        ignoredByScheduler: true
`);
  assert.deepEqual(config, {
    schedulerName: 'my-scheduler',
    percentageOfNodesToScore: 50,
    podInitialBackoffMs: 2000,
    podMaxBackoffMs: 20_000,
    extenders: [
      {
        urlPrefix: 'http://127.0.0.1:8888/scheduler',
        filterVerb: 'filter',
        prioritizeVerb: 'prioritize',
        weight: 5,
        nodeCacheCapable: true,
        ignorable: true,
        managedResources: [{ name: 'example.com/gpu' }],
        httpTimeoutMs: 5000,
      },
    ],
  });
});

it('takes an empty configuration as all defaults', () => {
  assert.deepEqual(parseSchedulerConfig('apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n'), { extenders: [] });
});

it('refuses what kubelite does not do, naming every problem with its path', () => {
  assert.throws(
    () =>
      parseSchedulerConfig(`
apiVersion: kubescheduler.config.k8s.io/v1beta3
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 150
leaderElection: { leaderElect: true }
profiles:
  - schedulerName: a
    plugins: { score: { disabled: [ { name: '*' } ] } }
extenders:
  - filterVerb: filter
  - urlPrefix: unix:///run/ext.sock
    bindVerb: bind
    httpTimeout: soon
`),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      for (const expected of [
        'apiVersion must be kubescheduler.config.k8s.io/v1, got "kubescheduler.config.k8s.io/v1beta3"',
        'leaderElection: not supported by kubelite\'s scheduler',
        'percentageOfNodesToScore must be an integer from 0 to 100, got 150',
        'profiles[0].plugins: not supported by kubelite\'s scheduler',
        'extenders[0].urlPrefix is required',
        'extenders[1].bindVerb: not supported by kubelite\'s scheduler',
        'extenders[1].urlPrefix must be an http:// or https:// URL, got "unix:///run/ext.sock"',
        'extenders[1].httpTimeout must be a duration like 30s, got "soon"',
      ]) {
        assert.ok(error.message.includes(expected), `missing "${expected}" in:\n${error.message}`);
      }
      return true;
    },
  );
});

it('says when the file is not YAML or not an object', () => {
  assert.throws(() => parseSchedulerConfig('a: [b'), /not YAML/);
  assert.throws(() => parseSchedulerConfig('- 1\n- 2\n'), /must be a KubeSchedulerConfiguration object/);
});
