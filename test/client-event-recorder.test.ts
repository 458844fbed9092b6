/**
 * The EventRecorder against a real API server on the wall clock, over both transports: repeats of
 * an event are one Event with a count, about the right object; and over HTTP the real kubectl
 * (on PATH) shows it in `kubectl describe`'s Events section.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { KubeClient } from '../src/client/kube-client.js';
import { EventRecorder } from '../src/client/record/event-recorder.js';
import { silentLogger } from '../src/util/logger.js';
import { kubectlOk } from './support/cli-process.js';
import { type ClientEnv, TRANSPORTS, startClientEnv } from './support/client-harness.js';

for (const transport of TRANSPORTS) {
  describe(`event recorder over ${transport}`, () => {
    let env: ClientEnv;
    let client: KubeClient;
    before(async () => {
      env = await startClientEnv(transport);
      client = env.client();
    });
    after(() => env.close());

    test('three identical events on a ConfigMap are one Event with count 3 about that ConfigMap', async () => {
      const configMap = await client.typed('v1/ConfigMap').namespace('default').create({ metadata: { name: 'x' }, data: { mode: 'fast' } });
      const recorder = new EventRecorder({ client, source: { component: 'settings-controller' }, logger: silentLogger });
      for (let i = 0; i < 3; i++) recorder.event(configMap, 'Warning', 'DeprecatedKey', 'key "mode" is deprecated; use "speed"');
      await recorder.flush();

      const events = (await client.typed('v1/Event').namespace('default').list({ fieldSelector: 'involvedObject.name=x' })).items;
      assert.equal(events.length, 1);
      const [event] = events;
      assert.equal(event?.count, 3);
      assert.equal(event?.type, 'Warning');
      assert.equal(event?.reason, 'DeprecatedKey');
      assert.deepEqual(event?.involvedObject, {
        kind: 'ConfigMap',
        apiVersion: 'v1',
        namespace: 'default',
        name: 'x',
        uid: configMap.metadata?.uid,
        resourceVersion: configMap.metadata?.resourceVersion,
      });
      assert.deepEqual(event?.source, { component: 'settings-controller' });

      if (transport !== 'http') return;
      // kubectl needs a URL; only the HTTP transport has one.
      const dir = mkdtempSync(join(tmpdir(), 'kubelite-events-'));
      try {
        const kubeconfig = join(dir, 'kubeconfig');
        writeFileSync(
          kubeconfig,
          [
            'apiVersion: v1',
            'kind: Config',
            'clusters: [{name: k, cluster: {server: "' + env.api.url + '"}}]',
            'users: [{name: k, user: {}}]',
            'contexts: [{name: k, context: {cluster: k, user: k}}]',
            'current-context: k',
            '',
          ].join('\n'),
        );
        const described = (await kubectlOk(kubeconfig, ['describe', 'configmap', 'x', '--namespace', 'default'])).stdout;
        const section = described.slice(described.indexOf('Events:'));
        assert.match(section, /Warning\s+DeprecatedKey/, described);
        assert.match(section, /key "mode" is deprecated; use "speed"/, described);
        assert.match(section, /settings-controller/, described);
        assert.match(section, /\(x3 over/, 'kubectl shows the count');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
