/**
 * The `crd` suite's objects: the CRD has the 20-property schema and 3 CEL rules the issue's
 * benchmark names, the anchor ConfigMap is the custom resource's size, the load worker's templates
 * rebuild the manifests exactly, and a real server refuses each invalid probe and accepts the
 * valid custom resource — so the suite measures validation that actually runs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../src/api/json.js';
import type { KubeObject } from '../src/client/object.js';
import { isInvalid } from '../src/client/errors.js';
import { startTestCluster } from '../src/testing/index.js';
import {
  GROUP,
  KIND,
  NAMESPACE,
  PLURAL,
  RULES,
  SPEC_PROPERTIES,
  VERSION,
  bodyBytes,
  bodyTemplate,
  configMapManifest,
  crdManifest,
  probes,
  validSpec,
  widgetManifest,
} from './crd-objects.js';

const WIDGETS = { group: GROUP, version: VERSION, resource: PLURAL, namespaced: true, kind: KIND } as const;

describe('crd suite objects', () => {
  test('the CRD schema has 20 properties under spec and the 3 CEL rules of the issue', () => {
    const text = JSON.stringify(crdManifest());
    assert.equal(Object.keys(SPEC_PROPERTIES).length, 20);
    assert.equal(RULES.length, 3);
    for (const { rule } of RULES) assert.ok(text.includes(JSON.stringify(rule)), rule);
  });

  test('the valid custom resource sets every property but the two with defaults', () => {
    const set = Object.keys(validSpec());
    const unset = Object.keys(SPEC_PROPERTIES).filter((name) => !set.includes(name));
    assert.deepEqual(unset, ['debug', 'timeoutSeconds']);
    assert.ok(set.every((name) => name in SPEC_PROPERTIES));
  });

  test('the anchor ConfigMap has 20 keys and a body within 20 bytes of the custom resource', () => {
    const configMap = configMapManifest('same-name');
    assert.equal(Object.keys(configMap.data as JsonObject).length, 20);
    assert.ok(Math.abs(bodyBytes(configMap) - bodyBytes(widgetManifest('same-name'))) <= 20);
  });

  test('a body template with a name spliced in is the manifest of that name', () => {
    for (const manifestFor of [widgetManifest, configMapManifest]) {
      const { before, after } = bodyTemplate(manifestFor);
      assert.equal(`${before}c-42${after}`, JSON.stringify(manifestFor('c-42')));
    }
  });

  test('a real server accepts the custom resource and answers every probe as the suite expects', async () => {
    await using cluster = await startTestCluster({ crds: [JSON.stringify(crdManifest(), null, 2)] });
    const widgets = cluster.client.resource(WIDGETS).namespace(NAMESPACE);
    await widgets.create(widgetManifest('valid') as KubeObject);
    for (const probe of probes()) {
      if (probe.expect.status === 422) {
        await assert.rejects(widgets.create(probe.body as KubeObject), (error: unknown) => isInvalid(error), probe.what);
      } else {
        const created = (await widgets.create(probe.body as KubeObject)) as unknown as JsonObject;
        assert.ok(probe.expect.check(created), probe.what);
      }
    }
  });
});
