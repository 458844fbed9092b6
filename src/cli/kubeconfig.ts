/**
 * @module
 * Writing the kubeconfig that points kubectl (and any client) at a kubelite API server.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

/** Writes a kubeconfig with one cluster, user and context named "kubelite" (atomically: temp + rename). */
export function writeKubeconfig(path: string, server: string, namespace = 'default'): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubelite', cluster: { server } }],
    users: [{ name: 'kubelite', user: {} }],
    contexts: [{ name: 'kubelite', context: { cluster: 'kubelite', user: 'kubelite', namespace } }],
    'current-context': 'kubelite',
  };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, stringify(config), { mode: 0o600 });
  renameSync(temporary, path);
}
