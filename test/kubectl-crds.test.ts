/**
 * CustomResourceDefinitions end to end with the real kubectl (on PATH) against `kubelite up` running
 * as its own process: apply the sample-controller's Foo CRD and a Foo from examples/sample-controller,
 * then get, explain, patch and delete Foos the way a user of upstream's sample-controller would.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type KubectlRun, type UpCluster, startKubeliteUp } from './support/cli-process.js';

const root = join(import.meta.dirname, '..', '..');
const CRD = join(root, 'examples', 'sample-controller', 'crd.yaml');
const EXAMPLE_FOO = join(root, 'examples', 'sample-controller', 'example-foo.yaml');

let cluster: UpCluster;

const kubectl = (args: readonly string[], input?: string): Promise<KubectlRun> => cluster.kubectl(args, input);

const ok = (args: readonly string[], input?: string): Promise<string> => cluster.ok(args, input);

before(async () => {
  cluster = await startKubeliteUp('kubelite-crds');
});

after(() => cluster.stop());

describe('kubectl with CustomResourceDefinitions', () => {
  it('applies the Foo CRD, waits for it to be established, and lists it', async () => {
    assert.match(await ok(['apply', '-f', CRD]), /customresourcedefinition.apiextensions.k8s.io\/foos.samplecontroller.k8s.io created/);
    assert.match(
      await ok(['wait', '--for', 'condition=established', '--timeout=30s', 'crd/foos.samplecontroller.k8s.io']),
      /foos.samplecontroller.k8s.io condition met/,
    );
    assert.match(await ok(['get', 'crd']), /^NAME\s+CREATED AT\nfoos\.samplecontroller\.k8s\.io\s+\d{4}-\d\d-\d\dT/);
    assert.match(await ok(['apply', '-f', CRD]), /customresourcedefinition.apiextensions.k8s.io\/foos.samplecontroller.k8s.io unchanged/);
  });

  it('applies a Foo and gets it as a table and as YAML', async () => {
    assert.match(await ok(['apply', '-f', EXAMPLE_FOO]), /foo.samplecontroller.k8s.io\/example-foo created/);
    assert.match(await ok(['get', 'foos']), /^NAME\s+AGE\nexample-foo\s+\d+s\n$/);
    const yaml = await ok(['get', 'foo', 'example-foo', '-o', 'yaml']);
    assert.match(yaml, /^apiVersion: samplecontroller.k8s.io\/v1alpha1\nkind: Foo\n/m);
    assert.match(yaml, /\n {2}name: example-foo\n/);
    assert.match(yaml, /\n {2}namespace: default\n/);
    assert.match(yaml, /\n {2}generation: 1\n/);
    assert.match(yaml, /\nspec:\n {2}deploymentName: example-foo\n {2}replicas: 1\n/);
    assert.match(await ok(['apply', '-f', EXAMPLE_FOO]), /foo.samplecontroller.k8s.io\/example-foo unchanged/);
  });

  it('re-applies an edited Foo with a merge patch and patches its status subresource', async () => {
    const manifest = readFileSync(EXAMPLE_FOO, 'utf8').replace('replicas: 1', 'replicas: 3');
    assert.match(await ok(['apply', '-f', '-'], manifest), /foo.samplecontroller.k8s.io\/example-foo configured/);
    assert.equal(await ok(['get', 'foo', 'example-foo', '-o', 'jsonpath={.spec.replicas},{.metadata.generation}']), '3,2');
    await ok(['patch', 'foo', 'example-foo', '--subresource=status', '--type=merge', '-p', '{"status":{"availableReplicas":3}}']);
    assert.equal(await ok(['get', 'foo', 'example-foo', '-o', 'jsonpath={.status.availableReplicas},{.metadata.generation}']), '3,2');
  });

  it('lists foo in api-resources and explains its fields from the CRD’s schema', async () => {
    assert.match(await ok(['api-resources', '--api-group=samplecontroller.k8s.io']), /foos\s+samplecontroller.k8s.io\/v1alpha1\s+true\s+Foo/);
    const explain = await ok(['explain', 'foo.spec']);
    assert.match(explain, /GROUP:\s+samplecontroller.k8s.io\nKIND:\s+Foo\nVERSION:\s+v1alpha1\n/);
    assert.match(explain, /FIELD:\s+spec <Object>/);
    assert.match(explain, /deploymentName\s+<string>/);
    assert.match(explain, /replicas\s+<integer>/);
  });

  it('deletes the Foo, then the CRD, after which foos are no longer served', async () => {
    assert.match(await ok(['delete', 'foo', 'example-foo']), /foo.samplecontroller.k8s.io "example-foo" deleted/);
    assert.equal(await ok(['get', 'foos', '-o', 'name']), '');
    assert.match(await ok(['apply', '-f', EXAMPLE_FOO]), /created/);
    assert.match(await ok(['delete', '-f', CRD]), /customresourcedefinition.apiextensions.k8s.io "foos.samplecontroller.k8s.io" deleted/);
    // kubectl may still know foos from its discovery cache; either way the server no longer serves them.
    const gone = await kubectl(['get', 'foos']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /the server doesn't have a resource type "foos"|the server could not find the requested resource/);
    const raw = await kubectl(['get', '--raw', '/apis/samplecontroller.k8s.io/v1alpha1/namespaces/default/foos']);
    assert.notEqual(raw.code, 0);
    assert.match(raw.stderr, /NotFound/);
    assert.doesNotMatch(await ok(['get', 'crd', '-o', 'name']), /foos/);
  });
});
