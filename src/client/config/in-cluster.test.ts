import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { inClusterConfig, isInCluster, joinHostPort, NotInClusterError } from './in-cluster.js';

const root = mkdtempSync(join(tmpdir(), 'kl-incluster-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** A service account directory with the given files. */
function serviceAccount(files: Record<string, string>): string {
  const dir = join(root, String(dirs++));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

test('the config points at the service address and references the token file, CA and namespace of the service account', () => {
  const dir = serviceAccount({ token: 'tok', 'ca.crt': 'CA PEM', namespace: 'team-a\n' });
  const config = inClusterConfig({ env, dir });
  assert.equal(config.server, 'https://10.96.0.1:443');
  assert.equal(config.bearerTokenFile, join(dir, 'token'));
  assert.equal(config.bearerToken, undefined, 'the token is re-read from the file, never copied');
  assert.equal(config.tls?.ca?.toString(), 'CA PEM');
  assert.equal(config.namespace, 'team-a');
});

test('an IPv6 service host is bracketed', () => {
  const dir = serviceAccount({ token: 'tok' });
  assert.equal(inClusterConfig({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' }, dir }).server, 'https://[fd00::1]:6443');
  assert.equal(joinHostPort('[::1]', '1'), '[::1]:1');
});

test('POD_NAMESPACE wins over the service account namespace file', () => {
  const dir = serviceAccount({ token: 'tok', namespace: 'from-file' });
  assert.equal(inClusterConfig({ env: { ...env, POD_NAMESPACE: 'from-env' }, dir }).namespace, 'from-env');
});

test('a missing CA file leaves TLS to the system roots and a missing namespace file leaves the namespace unset', () => {
  const config = inClusterConfig({ env, dir: serviceAccount({ token: 'tok' }) });
  assert.equal(config.tls, undefined);
  assert.equal(config.namespace, undefined);
});

test('outside a pod the error says which variables are missing and what to use instead', () => {
  assert.throws(() => inClusterConfig({ env: {}, dir: serviceAccount({ token: 'tok' }) }), (error: Error) => {
    assert.ok(error instanceof NotInClusterError);
    assert.match(error.message, /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
    assert.match(error.message, /use a kubeconfig instead/);
    return true;
  });
});

test('a missing service account token is an error naming the file', () => {
  const dir = serviceAccount({});
  assert.throws(() => inClusterConfig({ env, dir }), new RegExp(`cannot read the service account token ${join(dir, 'token')}`));
});

test('isInCluster needs both service variables and a token file', () => {
  const dir = serviceAccount({ token: 'tok' });
  assert.equal(isInCluster(env, dir), true);
  assert.equal(isInCluster({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }, dir), false);
  assert.equal(isInCluster(env, serviceAccount({})), false);
});
