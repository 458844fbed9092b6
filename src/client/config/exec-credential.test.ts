import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodeExecCredential, ExecPluginError, runExecPlugin } from './exec-credential.js';
import type { ExecConfig } from './rest-config.js';

const root = mkdtempSync(join(tmpdir(), 'kl-exec-'));
after(() => rmSync(root, { recursive: true, force: true }));

const V1 = 'client.authentication.k8s.io/v1';

/**
 * A real plugin: counts its runs, records what it received, and answers as PLUGIN_MODE says. Its
 * token carries the run number so tests can tell runs apart.
 */
const script = join(root, 'plugin.cjs');
writeFileSync(
  script,
  `const fs = require('fs');
const state = process.env.PLUGIN_STATE;
const runs = (fs.existsSync(state) ? Number(fs.readFileSync(state, 'utf8')) : 0) + 1;
fs.writeFileSync(state, String(runs));
fs.writeFileSync(state + '.seen', JSON.stringify({ info: JSON.parse(process.env.KUBERNETES_EXEC_INFO), extra: process.env.EXTRA }));
const version = process.env.PLUGIN_VERSION || JSON.parse(process.env.KUBERNETES_EXEC_INFO).apiVersion;
const status = {};
switch (process.env.PLUGIN_MODE) {
  case 'fail': process.stderr.write('error: refresh token expired, run "login"\\n'); process.exit(3);
  case 'hang': setInterval(() => {}, 1000); return;
  case 'garbage': process.stdout.write('not json'); return;
  case 'cert': status.clientCertificateData = '-----BEGIN CERTIFICATE-----\\nC\\n-----END CERTIFICATE-----\\n';
    status.clientKeyData = '-----BEGIN PRIVATE KEY-----\\nK\\n-----END PRIVATE KEY-----\\n'; break;
  case 'cert-only': status.clientCertificateData = '-----BEGIN CERTIFICATE-----\\nC\\n-----END CERTIFICATE-----\\n'; break;
  default: status.token = 'token-' + runs;
}
if (process.env.PLUGIN_EXPIRES) status.expirationTimestamp = process.env.PLUGIN_EXPIRES;
process.stdout.write(JSON.stringify({ apiVersion: version, kind: 'ExecCredential', status }));
`,
);

let plugins = 0;

/** An exec config running the plugin script with its own state file. */
function plugin(env: Record<string, string> = {}, overrides: Partial<ExecConfig> = {}): { exec: ExecConfig; runs: () => number; seen: () => unknown } {
  const state = join(root, `state-${plugins++}`);
  const exec: ExecConfig = {
    command: process.execPath,
    args: [script],
    apiVersion: V1,
    interactiveMode: 'Never',
    env: Object.entries({ PLUGIN_STATE: state, ...env }).map(([name, value]) => ({ name, value })),
    ...overrides,
  };
  return {
    exec,
    runs: () => (existsSync(state) ? Number(readFileSync(state, 'utf8')) : 0),
    seen: () => JSON.parse(readFileSync(`${state}.seen`, 'utf8')),
  };
}

test('the plugin gets the ExecCredential request in KUBERNETES_EXEC_INFO plus its configured env, and its token is returned', async () => {
  const { exec, runs, seen } = plugin({ EXTRA: 'configured' });
  const credential = await runExecPlugin(exec);
  assert.deepEqual(credential, { token: 'token-1' });
  assert.equal(runs(), 1);
  assert.deepEqual(seen(), {
    info: { apiVersion: V1, kind: 'ExecCredential', spec: { interactive: false } },
    extra: 'configured',
  });
});

test('with provideClusterInfo the plugin is told the server, CA, TLS name and per-cluster config', async () => {
  const { exec, seen } = plugin({}, { provideClusterInfo: true, config: { audience: 'aud-1' } });
  await runExecPlugin(exec, { cluster: { server: 'https://k:6443', tls: { ca: Buffer.from('CA'), serverName: 'api' } } });
  assert.deepEqual(seen(), {
    info: {
      apiVersion: V1,
      kind: 'ExecCredential',
      spec: {
        interactive: false,
        cluster: { server: 'https://k:6443', 'tls-server-name': 'api', 'certificate-authority-data': Buffer.from('CA').toString('base64'), config: { audience: 'aud-1' } },
      },
    },
  });
});

test('a v1beta1 plugin returning a client certificate, key and expiry is understood', async () => {
  const { exec } = plugin({ PLUGIN_MODE: 'cert', PLUGIN_EXPIRES: '2026-01-01T00:10:00Z' }, { apiVersion: 'client.authentication.k8s.io/v1beta1' });
  const credential = await runExecPlugin(exec);
  assert.match(credential.cert?.toString() ?? '', /BEGIN CERTIFICATE/);
  assert.match(credential.key?.toString() ?? '', /BEGIN PRIVATE KEY/);
  assert.equal(credential.token, undefined);
  assert.equal(credential.expiresAt, Date.UTC(2026, 0, 1, 0, 10));
});

test('a plugin that answers in another apiVersion than configured is rejected', async () => {
  const { exec } = plugin({ PLUGIN_VERSION: 'client.authentication.k8s.io/v1beta1' });
  await assert.rejects(runExecPlugin(exec), {
    name: 'ExecPluginError',
    message: new RegExp(`configured to use API version ${V1}, plugin returned version client.authentication.k8s.io/v1beta1`),
  });
});

test('a missing command fails with the install hint', async () => {
  const exec: ExecConfig = { command: join(root, 'no-such-plugin'), apiVersion: V1, installHint: 'Install it with: brew install no-such-plugin' };
  await assert.rejects(runExecPlugin(exec), (error: Error) => {
    assert.ok(error instanceof ExecPluginError);
    assert.match(error.message, /executable .*no-such-plugin not found/);
    assert.match(error.message, /brew install no-such-plugin/);
    return true;
  });
});

test('a failing plugin is reported with its exit code and stderr', async () => {
  const { exec } = plugin({ PLUGIN_MODE: 'fail' });
  await assert.rejects(runExecPlugin(exec), /failed with exit code 3; stderr: error: refresh token expired, run "login"/);
});

test('a plugin that does not finish within the timeout is killed', async () => {
  const { exec, runs } = plugin({ PLUGIN_MODE: 'hang' });
  await assert.rejects(runExecPlugin(exec, { timeoutMs: 300 }), /did not finish within 0.3s/);
  assert.equal(runs(), 1);
});

test('output that is not an ExecCredential with a token or a full key pair is rejected', async () => {
  await assert.rejects(runExecPlugin(plugin({ PLUGIN_MODE: 'garbage' }).exec), /decoding stdout: not JSON/);
  await assert.rejects(runExecPlugin(plugin({ PLUGIN_MODE: 'cert-only' }).exec), /only certificate or key, not both/);
  const exec: ExecConfig = { command: 'x', apiVersion: V1 };
  assert.throws(() => decodeExecCredential(exec, JSON.stringify({ apiVersion: V1, kind: 'ExecCredential' })), /didn't return a status field/);
  assert.throws(() => decodeExecCredential(exec, JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: {} })), /didn't return a token or cert\/key pair/);
  assert.throws(
    () => decodeExecCredential(exec, JSON.stringify({ apiVersion: V1, kind: 'ExecCredential', status: { token: 't', expirationTimestamp: 'soon' } })),
    /not an RFC 3339 time/,
  );
});

test('interactiveMode Always is refused, since plugins never get a terminal', async () => {
  const { exec, runs } = plugin({}, { interactiveMode: 'Always' });
  await assert.rejects(runExecPlugin(exec), /cannot support interactive mode/);
  assert.equal(runs(), 0);
});
