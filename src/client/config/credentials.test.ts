import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FakeClock } from '../../util/fake-clock.js';
import { CredentialProvider } from './credentials.js';
import type { ExecConfig, RestConfig } from './rest-config.js';

const root = mkdtempSync(join(tmpdir(), 'kl-credentials-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A plugin that counts its runs in PLUGIN_STATE and returns token-<run>, optionally failing or expiring. */
const script = join(root, 'plugin.cjs');
writeFileSync(
  script,
  `const fs = require('fs');
const state = process.env.PLUGIN_STATE;
const runs = (fs.existsSync(state) ? Number(fs.readFileSync(state, 'utf8')) : 0) + 1;
fs.writeFileSync(state, String(runs));
if (fs.existsSync(state + '.fail')) { process.stderr.write('plugin is broken'); process.exit(1); }
const status = { token: 'token-' + runs };
if (process.env.PLUGIN_EXPIRES) status.expirationTimestamp = process.env.PLUGIN_EXPIRES;
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
`,
);

let files = 0;
const fresh = (name: string): string => join(root, `${name}-${files++}`);

function plugin(env: Record<string, string> = {}): { exec: ExecConfig; runs: () => number; breakIt: (broken: boolean) => void } {
  const state = fresh('state');
  return {
    exec: {
      command: process.execPath,
      args: [script],
      apiVersion: 'client.authentication.k8s.io/v1',
      interactiveMode: 'Never',
      env: Object.entries({ PLUGIN_STATE: state, ...env }).map(([name, value]) => ({ name, value })),
    },
    runs: () => (existsSync(state) ? Number(readFileSync(state, 'utf8')) : 0),
    breakIt: (broken) => (broken ? writeFileSync(`${state}.fail`, '') : unlinkSync(`${state}.fail`)),
  };
}

const server = 'https://k:6443';

test('a static bearer token wins over the token file and the exec plugin', async () => {
  const tokenFile = fresh('token');
  writeFileSync(tokenFile, 'from-file');
  const { exec, runs } = plugin();
  const provider = new CredentialProvider({ server, bearerToken: 'static', bearerTokenFile: tokenFile, exec });
  assert.deepEqual(await provider.credentials(), { token: 'static' });
  assert.equal(runs(), 0);
});

test('a token file is re-read only once the token is older than a minute', async () => {
  const clock = new FakeClock();
  const tokenFile = fresh('token');
  writeFileSync(tokenFile, 'first\n');
  const provider = new CredentialProvider({ server, bearerTokenFile: tokenFile }, { clock });
  assert.deepEqual(await provider.credentials(), { token: 'first' });
  writeFileSync(tokenFile, 'rotated');
  await clock.step(60_000);
  assert.deepEqual(await provider.credentials(), { token: 'first' });
  await clock.step(1);
  assert.deepEqual(await provider.credentials(), { token: 'rotated' });
});

test('invalidate makes the next call re-read the token file at once', async () => {
  const tokenFile = fresh('token');
  writeFileSync(tokenFile, 'first');
  const provider = new CredentialProvider({ server, bearerTokenFile: tokenFile }, { clock: new FakeClock() });
  assert.deepEqual(await provider.credentials(), { token: 'first' });
  writeFileSync(tokenFile, 'rotated');
  provider.invalidate();
  assert.deepEqual(await provider.credentials(), { token: 'rotated' });
});

test('a token file that cannot be re-read keeps the previous token; with none before, it is an error', async () => {
  const clock = new FakeClock();
  const tokenFile = fresh('token');
  writeFileSync(tokenFile, 'first');
  const provider = new CredentialProvider({ server, bearerTokenFile: tokenFile }, { clock });
  await provider.credentials();
  unlinkSync(tokenFile);
  await clock.step(61_000);
  assert.deepEqual(await provider.credentials(), { token: 'first' });
  const empty = fresh('token');
  writeFileSync(empty, '  \n');
  await assert.rejects(new CredentialProvider({ server, bearerTokenFile: empty }).credentials(), /cannot read bearer token file .*: the file is empty/);
});

test('basic auth is sent as base64 of user:password', async () => {
  const provider = new CredentialProvider({ server, basicAuth: { username: 'admin', password: 'p:ss' } });
  assert.deepEqual(await provider.credentials(), { basic: Buffer.from('admin:p:ss').toString('base64') });
});

test('a config without credentials yields none', async () => {
  assert.deepEqual(await new CredentialProvider({ server }).credentials(), {});
});

test('an exec result is reused until its expirationTimestamp passes', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const { exec, runs } = plugin({ PLUGIN_EXPIRES: '2026-01-01T00:10:00Z' });
  const provider = new CredentialProvider({ server, exec }, { clock });
  assert.deepEqual(await provider.credentials(), { token: 'token-1' });
  await clock.step(10 * 60_000);
  assert.deepEqual(await provider.credentials(), { token: 'token-1' });
  assert.equal(runs(), 1);
  await clock.step(1);
  assert.deepEqual(await provider.credentials(), { token: 'token-2' });
  assert.equal(runs(), 2);
});

test('an exec result without expiry is reused until invalidate', async () => {
  const clock = new FakeClock();
  const { exec, runs } = plugin();
  const provider = new CredentialProvider({ server, exec }, { clock });
  await provider.credentials();
  await clock.step(24 * 3600_000);
  assert.deepEqual(await provider.credentials(), { token: 'token-1' });
  provider.invalidate();
  assert.deepEqual(await provider.credentials(), { token: 'token-2' });
  assert.equal(runs(), 2);
});

test('concurrent callers share one plugin run', async () => {
  const { exec, runs } = plugin();
  const provider = new CredentialProvider({ server, exec });
  const results = await Promise.all(Array.from({ length: 5 }, () => provider.credentials()));
  assert.deepEqual(results, Array.from({ length: 5 }, () => ({ token: 'token-1' })));
  assert.equal(runs(), 1);
});

test('invalidate during a run: its callers still get the result, but the next call runs the plugin again', async () => {
  const { exec, runs } = plugin();
  const provider = new CredentialProvider({ server, exec });
  const during = provider.credentials();
  provider.invalidate();
  assert.deepEqual(await during, { token: 'token-1' });
  assert.deepEqual(await provider.credentials(), { token: 'token-2' });
  assert.equal(runs(), 2);
});

test('a failed plugin run is not cached: the error reaches the caller and the next call runs it again', async () => {
  const { exec, runs, breakIt } = plugin();
  const provider = new CredentialProvider({ server, exec });
  breakIt(true);
  await assert.rejects(provider.credentials(), /exit code 1; stderr: plugin is broken/);
  breakIt(false);
  assert.deepEqual(await provider.credentials(), { token: 'token-2' });
  assert.equal(runs(), 2);
});

test('the exec plugin is not consulted when the config already has a client certificate', async () => {
  const { exec, runs } = plugin();
  const config: RestConfig = { server, exec, tls: { cert: Buffer.from('C'), key: Buffer.from('K') } };
  assert.deepEqual(await new CredentialProvider(config).credentials(), {});
  assert.equal(runs(), 0);
});
