/**
 * @module
 * The pods the `api` suite serves. A pod is what a workload controller typically creates — labels,
 * one container with ports, resources, an env var and a readiness probe — and the suite creates one
 * through the API first, so the object it reads back carries everything the server adds (defaults,
 * default tolerations, uid, status). Pods written straight to the store, to fill a list or drive the
 * watchers quickly, are copies of that object under other names: stored as the API would store them
 * (no resourceVersion), so the server serves them exactly as it would serve pods created over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { type JsonObject, isJsonObject } from '../src/api/json.js';
import { storageKey } from '../src/apiserver/registry/registry.js';
import { PODS } from '../src/apiserver/resources/pods.js';
import { encodeForStorage, fromObject } from '../src/apiserver/watch-cache/cached-object.js';

export const NAMESPACE = 'default';
export const PODS_PATH = `/api/v1/namespaces/${NAMESPACE}/pods`;

/** The manifest a client POSTs to create pod `name`. */
export function podManifest(name: string): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: { app: 'web', tier: 'frontend', 'pod-template-hash': '7d4b9c8f6d' },
      annotations: { 'kubernetes.io/description': 'api benchmark pod' },
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'registry.example/web:1.27.3',
          ports: [{ name: 'http', containerPort: 8080 }],
          env: [{ name: 'MODE', value: 'production' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
        },
      ],
    },
  };
}

/** The manifest as POST bodies for the load worker: everything before and after the name. */
export function manifestTemplate(): { readonly before: string; readonly after: string } {
  const marker = '\u0000name\u0000';
  const [before, after] = JSON.stringify(podManifest(marker)).split(JSON.stringify(marker));
  if (before === undefined || after === undefined) throw new Error('the manifest has no name to template');
  return { before: `${before}"`, after: `"${after}` };
}

/** The storage key of pod `name` in the suite's namespace. */
export function podStorageKey(name: string): string {
  return storageKey(PODS, NAMESPACE, name);
}

/** `template` (a pod as the API returned it) renamed to `name`, with a uid of its own. */
export function renamed(template: JsonObject, name: string): JsonObject {
  const metadata = isJsonObject(template.metadata) ? template.metadata : {};
  return { ...template, metadata: { ...metadata, name, uid: randomUUID() } };
}

/** Pod `name` as the API server stores it. */
export function storedPod(template: JsonObject, name: string): string {
  return encodeForStorage(renamed(template, name));
}

/** The watch line the server sends when pod `name` is added at `revision`: the same bytes, built the same way. */
export function addedEventLine(template: JsonObject, name: string, revision: number): Buffer {
  const object = fromObject(podStorageKey(name), renamed(template, name), revision, () => ({}));
  return Buffer.from(`{"type":"ADDED","object":${object.json}}\n`);
}
