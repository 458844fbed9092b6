/**
 * A CRD's schema as kubectl users meet it, with the real kubectl (on PATH) against `kubelite up` as
 * its own process: `kubectl explain` shows the schema's fields and descriptions (from /openapi/v3);
 * `kubectl apply --validate=strict` is refused naming an unknown field (server-side field
 * validation: 400 `strict decoding error: unknown field "spec.foo"`); an invalid custom resource
 * (wrong type, value outside the enum, missing required field) is refused with the field named;
 * `kubectl scale` works through the scale subresource; `kubectl get` prints additionalPrinterColumns.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type KubectlRun, type UpCluster, startKubeliteUp } from './support/cli-process.js';

const GROUP = 'validation.example.com';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A Widget is a thing with a color.',
            properties: {
              spec: {
                type: 'object',
                description: 'WidgetSpec is what the user wants of a Widget.',
                required: ['color'],
                properties: {
                  color: { type: 'string', description: 'Color of the widget, one of red, green or blue.', enum: ['red', 'green', 'blue'] },
                  replicas: { type: 'integer', description: 'How many copies of the widget to keep.', minimum: 0 },
                },
              },
              status: {
                type: 'object',
                properties: { replicas: { type: 'integer' }, selector: { type: 'string' } },
              },
            },
          },
        },
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
        },
        additionalPrinterColumns: [
          { name: 'Color', type: 'string', jsonPath: '.spec.color', description: 'The color' },
          { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
};

function widget(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name }, spec });
}

let cluster: UpCluster;

const kubectl = (args: readonly string[], input?: string): Promise<KubectlRun> => cluster.kubectl(args, input);

const ok = (args: readonly string[], input?: string): Promise<string> => cluster.ok(args, input);

/** Runs kubectl expecting it to fail, and returns what it printed on stderr. */
async function refused(args: readonly string[], input?: string): Promise<string> {
  const run = await kubectl(args, input);
  assert.notEqual(run.code, 0, `kubectl ${args.join(' ')} succeeded:\n${run.stdout}`);
  return run.stderr;
}

before(async () => {
  cluster = await startKubeliteUp('kubelite-crd-validation');
  await ok(['apply', '-f', '-'], JSON.stringify(CRD));
  await ok(['wait', '--for', 'condition=established', '--timeout=30s', `crd/widgets.${GROUP}`]);
});

after(() => cluster.stop());

describe('kubectl with a CRD’s schema', () => {
  it('explain shows the fields of widgets.spec with their types and descriptions', async () => {
    const explain = await ok(['explain', 'widgets.spec']);
    assert.match(explain, new RegExp(`GROUP:\\s+${GROUP.replaceAll('.', '\\.')}\\nKIND:\\s+Widget\\nVERSION:\\s+v1\\n`));
    assert.match(explain, /FIELD:\s+spec <Object>/);
    assert.match(explain, /WidgetSpec is what the user wants of a Widget\./);
    assert.match(explain, /color\s+<string> -required-\n\s+enum: red, green, blue\n\s+Color of the widget, one of red, green or blue\./);
    assert.match(explain, /replicas\s+<integer>\n\s+How many copies of the widget to keep\./);
  });

  it('explain of one field shows its description', async () => {
    const explain = await ok(['explain', 'widgets.spec.color']);
    assert.match(explain, /FIELD:\s+color <string>/);
    assert.match(explain, /Color of the widget, one of red, green or blue\./);
  });

  it('apply --validate=strict of a custom resource with an unknown field fails naming the field', async () => {
    const stderr = await refused(['apply', '--validate=strict', '-f', '-'], widget('strict', { color: 'red', foo: 1 }));
    assert.match(stderr, /strict decoding error: unknown field "spec\.foo"/);
    assert.match((await kubectl(['get', 'widget', 'strict'])).stderr, /NotFound/);
  });

  it('a custom resource with a field of the wrong type is refused naming the field', async () => {
    const stderr = await refused(['apply', '-f', '-'], widget('wrong-type', { color: 'red', replicas: 'three' }));
    assert.match(stderr, /The Widget "wrong-type" is invalid: spec\.replicas: Invalid value: "string": spec\.replicas in body must be of type integer: "string"/);
  });

  it('a custom resource with a value outside the enum is refused naming the field and the allowed values', async () => {
    const stderr = await refused(['apply', '-f', '-'], widget('wrong-enum', { color: 'purple' }));
    assert.match(stderr, /The Widget "wrong-enum" is invalid: spec\.color: Unsupported value: "purple": supported values: "red", "green", "blue"/);
  });

  it('a custom resource without a required field is refused naming the field', async () => {
    const stderr = await refused(['apply', '-f', '-'], widget('no-color', { replicas: 1 }));
    assert.match(stderr, /The Widget "no-color" is invalid: spec\.color: Required value/);
  });

  it('get prints the additionalPrinterColumns', async () => {
    await ok(['apply', '-f', '-'], widget('shown', { color: 'green', replicas: 2 }));
    assert.match(await ok(['get', 'widgets']), /^NAME\s+COLOR\s+REPLICAS\s+AGE\nshown\s+green\s+2\s+\d+s\n$/);
  });

  it('scale sets spec.replicas through the scale subresource', async () => {
    await ok(['apply', '-f', '-'], widget('scaled', { color: 'blue', replicas: 1 }));
    assert.match(await ok(['scale', 'widget', 'scaled', '--replicas=4']), new RegExp(`widget\\.${GROUP.replaceAll('.', '\\.')}/scaled scaled`));
    assert.equal(await ok(['get', 'widget', 'scaled', '-o', 'jsonpath={.spec.replicas}']), '4');
    const scale: unknown = JSON.parse(await ok(['get', '--raw', `/apis/${GROUP}/v1/namespaces/default/widgets/scaled/scale`]));
    assert.deepEqual(scale !== null && typeof scale === 'object' && 'spec' in scale ? scale.spec : undefined, { replicas: 4 });
  });

  it('scale with --current-replicas that does not match is refused', async () => {
    const stderr = await refused(['scale', 'widget', 'scaled', '--current-replicas=1', '--replicas=2']);
    assert.match(stderr, /Expected replicas to be 1, was 4/);
  });
});
