/**
 * The WebApp custom resource (webapps.example.com/v1), declared once with kubelite's schema
 * builder: the CRD in crd.yaml and the TypeScript types below both come from this declaration
 * (test/example-operator.test.ts checks crd.yaml is the builder's output; regenerate it with
 * `node dist/examples/operator/webapp.js > examples/operator/crd.yaml`).
 *
 * A WebApp asks for `replicas` pods of `image` behind a Service on `port`. A CEL rule keeps small
 * tiers at ten replicas or fewer; printer columns show image, replicas, readiness and age.
 */
import { type CustomResource, type CustomResourceInput, type Infer, defineCustomResource, t } from '../../src/runtime/index.js';

export const WebApp = defineCustomResource({
  group: 'example.com',
  version: 'v1',
  kind: 'WebApp',
  plural: 'webapps',
  singular: 'webapp',
  shortNames: ['wa'],
  categories: ['all'],
  scope: 'Namespaced',
  description: 'A web application: a Deployment of its image behind a Service.',
  spec: t.object({
    image: t.string({ minLength: 1, description: 'The container image to run.' }),
    replicas: t.integer({ minimum: 0, maximum: 100, default: 1, format: 'int32', description: 'How many pods to run.' }),
    tier: t.enum(['small', 'large'], { default: 'small', description: 'small WebApps run at most 10 replicas.' }),
    port: t.integer({ minimum: 1, maximum: 65535, default: 80, format: 'int32', description: 'The port the container listens on and the Service exposes.' }),
    env: t.record(t.string()).optional().describe('Environment variables of the container.'),
  }).describe('What the WebApp should run.'),
  status: t.object({
    availableReplicas: t.integer({ format: 'int32' }).optional(),
    url: t.string().optional(),
    observedGeneration: t.integer({ format: 'int64' }).optional(),
    conditions: t.conditions(),
  }).describe('What the operator last saw: available replicas, the URL, and the Ready and Progressing conditions.'),
  validations: [{ rule: "self.replicas <= 10 || self.tier == 'large'", message: 'a small WebApp runs at most 10 replicas; set tier: large for more' }],
  printerColumns: [
    { name: 'Image', type: 'string', jsonPath: '.spec.image' },
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas' },
    { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
    { name: 'URL', type: 'string', jsonPath: '.status.url', priority: 1 },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.availableReplicas' },
});

/** A WebApp as the server returns it. */
export type WebAppObject = CustomResource<typeof WebApp>;
/** A WebApp as one writes it (defaulted fields may be left out). */
export type WebAppInput = CustomResourceInput<typeof WebApp>;
export type WebAppSpec = Infer<typeof WebApp.spec>;
export type WebAppStatus = NonNullable<WebAppObject['status']>;

/** The header of crd.yaml. */
export const CRD_YAML_HEADER = `The WebApp CRD, generated from examples/operator/webapp.ts — do not edit; regenerate with
  npm run build && node dist/examples/operator/webapp.js > examples/operator/crd.yaml`;

// Run as a program: print the CRD as YAML.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(WebApp.toYaml({ header: CRD_YAML_HEADER }));
}
