/**
 * @module
 * The objects of the `crd` suite: a CustomResourceDefinition whose version schema has 20 properties
 * under `spec` (strings with maxLength, pattern and enum, integers and a number with bounds,
 * booleans, lists with maxItems, a nested object, an int-or-string, two defaults) and 3
 * `x-kubernetes-validations` CEL rules; a valid custom resource of it setting 18 of the 20 (the two
 * defaulted ones are left to defaulting); a ConfigMap of 20 keys padded to the custom resource's
 * byte size, the anchor; and invalid variants, one per check, that the suite posts to see that
 * validation is live before it times anything.
 *
 * The schema follows what upstream's structural-schema rules allow (apiextensions-apiserver
 * pkg/apis/apiextensions/validation/validation.go: every node typed, bounds on what CEL iterates so
 * the rules' estimated cost stays under the limit).
 */
import type { JsonObject } from '../src/api/json.js';

export const GROUP = 'bench.kubelite.dev';
export const VERSION = 'v1';
export const PLURAL = 'widgets';
export const KIND = 'Widget';
export const NAMESPACE = 'default';
export const CRD_NAME = `${PLURAL}.${GROUP}`;
export const CRDS_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
export const WIDGETS_PATH = `/apis/${GROUP}/${VERSION}/namespaces/${NAMESPACE}/${PLURAL}`;
export const CONFIGMAPS_PATH = `/api/v1/namespaces/${NAMESPACE}/configmaps`;

/** The 3 CEL rules on `spec`, as the benchmark names them. */
export const RULES = [
  { rule: 'self.minReplicas <= self.maxReplicas', message: 'minReplicas must not exceed maxReplicas' },
  { rule: "self.tier != 'free' || self.replicas <= 3", message: 'the free tier allows at most 3 replicas' },
  { rule: 'self.ports.all(p, p > 1024)', message: 'ports must be unprivileged (above 1024)' },
] as const;

const str = (extra: JsonObject = {}): JsonObject => ({ type: 'string', ...extra });
const integer = (minimum: number, maximum: number, extra: JsonObject = {}): JsonObject => ({ type: 'integer', minimum, maximum, ...extra });

/** The 20 properties of `spec`. */
export const SPEC_PROPERTIES: JsonObject = {
  tier: str({ enum: ['free', 'standard', 'premium'] }),
  replicas: integer(0, 100),
  minReplicas: integer(0, 100),
  maxReplicas: integer(1, 1000),
  image: str({ maxLength: 256, pattern: '^[a-z0-9][a-z0-9./:_-]*$' }),
  displayName: str({ maxLength: 63 }),
  region: str({ enum: ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-south-1'] }),
  ports: { type: 'array', maxItems: 8, items: integer(1, 65535) },
  paused: { type: 'boolean' },
  debug: { type: 'boolean', default: false },
  timeoutSeconds: integer(1, 3600, { default: 30 }),
  owner: str({ maxLength: 128, pattern: '^[a-z0-9._-]+@[a-z0-9.-]+$' }),
  tags: { type: 'array', maxItems: 16, items: str({ maxLength: 63 }) },
  resources: {
    type: 'object',
    required: ['cpu', 'memory'],
    properties: {
      cpu: str({ maxLength: 16, pattern: '^[0-9]+m?$' }),
      memory: str({ maxLength: 16, pattern: '^[0-9]+(Mi|Gi)$' }),
    },
  },
  schedule: str({ maxLength: 64, pattern: '^[0-9*/,-]+( [0-9*/,-]+){4}$' }),
  priority: integer(-10, 10),
  weight: { type: 'number', minimum: 0, maximum: 1 },
  strategy: str({ enum: ['Recreate', 'RollingUpdate'] }),
  maxSurge: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
  contact: str({ maxLength: 128 }),
};

/** The CRD, namespaced, one served and stored version with the status subresource. */
export function crdManifest(): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: CRD_NAME },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural: PLURAL, singular: 'widget', kind: KIND, listKind: `${KIND}List` },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['tier', 'replicas', 'minReplicas', 'maxReplicas', 'image', 'ports'],
                  properties: SPEC_PROPERTIES,
                  'x-kubernetes-validations': RULES.map((rule) => ({ ...rule })),
                },
                status: { type: 'object', properties: { ready: { type: 'boolean' }, observedGeneration: { type: 'integer' } } },
              },
            },
          },
        },
      ],
    },
  };
}

/** A valid spec: 18 of the 20 properties set (`debug` and `timeoutSeconds` come from defaults). */
export function validSpec(): JsonObject {
  return {
    tier: 'standard',
    replicas: 5,
    minReplicas: 2,
    maxReplicas: 10,
    image: 'registry.example/shop/web:1.27.3',
    displayName: 'Web shop frontend',
    region: 'eu-west-1',
    ports: [8080, 8443, 9090],
    paused: false,
    owner: 'team-web@example.com',
    tags: ['frontend', 'web', 'production'],
    resources: { cpu: '500m', memory: '256Mi' },
    schedule: '*/5 * * * *',
    priority: 3,
    weight: 0.75,
    strategy: 'RollingUpdate',
    maxSurge: '25%',
    contact: 'https://chat.example/channels/team-web',
  };
}

/** The custom resource a client POSTs to create `name`. */
export function widgetManifest(name: string, spec: JsonObject = validSpec()): JsonObject {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: KIND,
    metadata: { name, labels: { app: 'web', tier: 'frontend' } },
    spec,
  };
}

/** A ConfigMap of 20 keys whose POST body is as long as the custom resource's, to within a few bytes. */
export function configMapManifest(name: string): JsonObject {
  const keys = Array.from({ length: 20 }, (_, i) => `key-${String(i).padStart(2, '0')}`);
  const make = (valueLength: number): JsonObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'web', tier: 'frontend' } },
    data: Object.fromEntries(keys.map((key) => [key, 'v'.repeat(valueLength)])),
  });
  const target = bodyBytes(widgetManifest(name));
  const fixed = bodyBytes(make(0));
  return make(Math.max(0, Math.round((target - fixed) / keys.length)));
}

export function bodyBytes(manifest: JsonObject): number {
  return Buffer.byteLength(JSON.stringify(manifest));
}

/** A manifest as POST bodies for the load worker: the JSON before and after the (unique) name. */
export function bodyTemplate(manifestFor: (name: string) => JsonObject): { readonly before: string; readonly after: string } {
  const marker = '\u0000name\u0000';
  const parts = JSON.stringify(manifestFor(marker)).split(JSON.stringify(marker));
  const [before, after] = parts;
  if (parts.length !== 2 || before === undefined || after === undefined) throw new Error('the manifest must hold its name exactly once');
  return { before: `${before}"`, after: `"${after}` };
}

/** What a probe posts and what the server must do with it for validation to count as live. */
export interface Probe {
  readonly what: string;
  readonly body: JsonObject;
  /** 422 Invalid, or 201 with `check` holding for the object returned. */
  readonly expect: { readonly status: 422 } | { readonly status: 201; readonly check: (created: JsonObject) => boolean };
}

/** One probe per kind of check the measured creates pay for. */
export function probes(): Probe[] {
  const spec = validSpec();
  const invalid = (what: string, change: JsonObject, name: string): Probe => ({
    what,
    body: widgetManifest(name, { ...spec, ...change }),
    expect: { status: 422 },
  });
  const specOf = (created: JsonObject): JsonObject => {
    const value = created.spec;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  };
  return [
    invalid('enum (schema)', { tier: 'gold' }, 'probe-enum'),
    invalid(`CEL rule ${RULES[0].rule}`, { minReplicas: 20, maxReplicas: 10 }, 'probe-rule-1'),
    invalid(`CEL rule ${RULES[1].rule}`, { tier: 'free', replicas: 5 }, 'probe-rule-2'),
    invalid(`CEL rule ${RULES[2].rule}`, { ports: [8080, 80] }, 'probe-rule-3'),
    {
      what: 'defaults applied',
      body: widgetManifest('probe-defaults'),
      expect: { status: 201, check: (created) => specOf(created).debug === false && specOf(created).timeoutSeconds === 30 },
    },
    {
      what: 'unknown field pruned',
      body: widgetManifest('probe-prune', { ...spec, unknownField: 'dropped' }),
      expect: { status: 201, check: (created) => !('unknownField' in specOf(created)) },
    },
  ];
}
