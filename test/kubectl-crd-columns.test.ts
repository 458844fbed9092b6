/**
 * A CRD's additionalPrinterColumns and selectableFields with the real kubectl (on PATH) against
 * `kubelite up` as its own process: `kubectl get` prints the declared columns (blank where a path
 * finds nothing: the server sends null, as upstream does; priority columns only with `-o wide`),
 * and `--field-selector` filters on the declared fields and is refused on others.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type KubectlRun, type UpCluster, startKubeliteUp } from './support/cli-process.js';

const GROUP = 'columns.example.com';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: { color: { type: 'string' }, size: { type: 'integer' }, note: { type: 'string' } },
              },
            },
          },
        },
        additionalPrinterColumns: [
          { name: 'Color', type: 'string', jsonPath: '.spec.color' },
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Note', type: 'string', jsonPath: '.spec.note', priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        selectableFields: [{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }],
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

before(async () => {
  cluster = await startKubeliteUp('kubelite-crd-columns');
  await ok(['apply', '-f', '-'], JSON.stringify(CRD));
  await ok(['wait', '--for', 'condition=established', '--timeout=30s', `crd/widgets.${GROUP}`]);
  await ok(['apply', '-f', '-'], widget('red', { color: 'red', size: 1, note: 'first' }));
  await ok(['apply', '-f', '-'], widget('blue', { color: 'blue', size: 2 }));
  await ok(['apply', '-f', '-'], widget('plain', {}));
});

after(() => cluster.stop());

describe('kubectl with printer columns and selectable fields', () => {
  it('kubectl get prints the declared columns, blank where a path finds nothing', async () => {
    const lines = (await ok(['get', 'widgets'])).trimEnd().split('\n');
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.match(lines[0] ?? '', /^NAME\s+COLOR\s+SIZE\s+AGE$/);
    // Columns line up: each cell starts where its header does.
    const at = (name: string): number => (lines[0] ?? '').indexOf(name);
    const cell = (line: string, from: string, to: string): string => line.slice(at(from), at(to)).trim();
    assert.deepEqual(
      lines.slice(1).map((line) => [cell(line, 'NAME', 'COLOR'), cell(line, 'COLOR', 'SIZE'), cell(line, 'SIZE', 'AGE')]),
      [
        ['blue', 'blue', '2'],
        ['plain', '', ''],
        ['red', 'red', '1'],
      ],
    );
    for (const line of lines.slice(1)) assert.match(line.slice(at('AGE')), /^\d+s$/);
  });

  it('kubectl get -o wide adds the columns of higher priority', async () => {
    const lines = (await ok(['get', 'widget', 'red', '-o', 'wide'])).trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+COLOR\s+SIZE\s+NOTE\s+AGE$/);
    assert.match(lines[1] ?? '', /^red\s+red\s+1\s+first\s+\d+s$/);
  });

  it('kubectl get --field-selector filters on declared fields', async () => {
    assert.equal(await ok(['get', 'widgets', '--field-selector', 'spec.color=red', '-o', 'name']), 'widget.columns.example.com/red\n');
    assert.equal(await ok(['get', 'widgets', '--field-selector', 'spec.size=2', '-o', 'name']), 'widget.columns.example.com/blue\n');
    assert.equal(
      await ok(['get', 'widgets', '--field-selector', 'spec.color!=red', '-o', 'name']),
      'widget.columns.example.com/blue\nwidget.columns.example.com/plain\n',
    );
    assert.match(await ok(['get', 'widgets', '--field-selector', 'spec.color=blue']), /^NAME\s+COLOR\s+SIZE\s+AGE\nblue\s+blue\s+2\s+\d+s\n$/);
  });

  it('kubectl get --field-selector on an undeclared field fails as against Kubernetes', async () => {
    const run = await kubectl(['get', 'widgets', '--field-selector', 'spec.note=first']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /field label not supported: spec\.note/);
  });
});
