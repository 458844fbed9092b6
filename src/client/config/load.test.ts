import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { stringify } from 'yaml';
import { ConfigNotFoundError, loadConfig } from './load.js';

const root = mkdtempSync(join(tmpdir(), 'kl-load-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** A kubeconfig file whose current context points at `server`; contexts named `other` point elsewhere. */
function kubeconfigFile(dir: string, name: string, server: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(
    path,
    stringify({
      clusters: [
        { name: 'main', cluster: { server } },
        { name: 'other', cluster: { server: `${server}/other` } },
      ],
      contexts: [
        { name: 'main', context: { cluster: 'main' } },
        { name: 'other', context: { cluster: 'other' } },
      ],
      'current-context': 'main',
    }),
  );
  return path;
}

/** A scene with every source present: explicit file, KUBECONFIG file, service account, ~/.kube/config. */
function scene(): { dir: string; explicit: string; fromEnv: string; serviceAccount: string; home: string } {
  const dir = join(root, String(dirs++));
  const serviceAccount = join(dir, 'sa');
  mkdirSync(serviceAccount, { recursive: true });
  writeFileSync(join(serviceAccount, 'token'), 'sa-token');
  const home = join(dir, 'home');
  kubeconfigFile(join(home, '.kube'), 'config', 'https://home');
  return {
    dir,
    explicit: kubeconfigFile(dir, 'explicit', 'https://explicit'),
    fromEnv: kubeconfigFile(dir, 'env', 'https://env'),
    serviceAccount,
    home,
  };
}

const inCluster = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };

test('an explicit kubeconfig wins over KUBECONFIG, in-cluster and ~/.kube/config', () => {
  const s = scene();
  const config = loadConfig({ kubeconfig: s.explicit, env: { ...inCluster, KUBECONFIG: s.fromEnv, HOME: s.home }, serviceAccountDir: s.serviceAccount });
  assert.equal(config.server, 'https://explicit');
});

test('KUBECONFIG is used before the in-cluster config', () => {
  const s = scene();
  const config = loadConfig({ env: { ...inCluster, KUBECONFIG: s.fromEnv, HOME: s.home }, serviceAccountDir: s.serviceAccount });
  assert.equal(config.server, 'https://env');
});

test('in a pod without KUBECONFIG the service account is used before ~/.kube/config', () => {
  const s = scene();
  const config = loadConfig({ env: { ...inCluster, HOME: s.home }, serviceAccountDir: s.serviceAccount });
  assert.equal(config.server, 'https://10.0.0.1:443');
  assert.equal(config.bearerTokenFile, join(s.serviceAccount, 'token'));
});

test('outside a pod ~/.kube/config is the last resort, and the context option selects within it', () => {
  const s = scene();
  assert.equal(loadConfig({ env: { HOME: s.home } }).server, 'https://home');
  assert.equal(loadConfig({ env: { HOME: s.home }, context: 'other' }).server, 'https://home/other');
});

test('a named context skips the in-cluster config, which has no contexts', () => {
  const s = scene();
  const config = loadConfig({ env: { ...inCluster, HOME: s.home }, serviceAccountDir: s.serviceAccount, context: 'other' });
  assert.equal(config.server, 'https://home/other');
});

test('a missing explicit kubeconfig is an error, not a reason to fall back', () => {
  const s = scene();
  assert.throws(() => loadConfig({ kubeconfig: join(s.dir, 'missing'), env: { HOME: s.home } }), /missing not found/);
});

test('when nothing is found the error lists everything tried', () => {
  const dir = join(root, String(dirs++));
  assert.throws(
    () => loadConfig({ env: { HOME: dir }, serviceAccountDir: join(dir, 'sa') }),
    (error: Error) => {
      assert.ok(error instanceof ConfigNotFoundError);
      assert.match(error.message, /KUBECONFIG \(unset\)/);
      assert.match(error.message, /in-cluster \(KUBERNETES_SERVICE_HOST\/PORT unset\)/);
      assert.ok(error.message.includes(`${join(dir, '.kube', 'config')} (not found)`));
      return true;
    },
  );
});
