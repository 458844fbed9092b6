/**
 * `npm test`: runs every test file (unit tests beside the code, integration tests in test/) with
 * node:test against a real etcd that this script finds (installing Debian's etcd-server when missing
 * and running as root), starts on a free loopback port with a temporary data directory, and stops
 * afterwards. The etcd suites are never skipped: without etcd the run fails.
 *
 * kubectl gets a discovery cache of the run's own (KUBECACHEDIR): its default cache, kept for hours
 * under ~/.kube by host and port, would hand a test server the resources another server once served
 * on the same loopback port ("Unable to list columns.example.com/v1 widgets").
 *
 * `npm test -- <text>` runs only the test files whose path contains <text>.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findEtcdBinary, startEtcdCluster } from '../src/testing/etcd-server.js';

const dist = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const files = ['src', 'test', 'bench']
  .flatMap((dir) => testFiles(join(dist, dir)))
  .filter((file) => filters.length === 0 || filters.some((f) => relative(dist, file).includes(f)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`no test files match ${filters.join(' ')}\n`);
  process.exit(1);
}

const binary = findEtcdBinary({ install: true });
const etcd = await startEtcdCluster({ binary });
process.stderr.write(`etcd ${binary} is serving at ${etcd.endpoints.join(',')}\n`);

const kubectlCache = mkdtempSync(join(tmpdir(), 'kubelite-test-kubectl-cache-'));
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, KUBELITE_TEST_ETCD: etcd.endpoints.join(','), KUBELITE_ETCD_BIN: binary, KUBECACHEDIR: kubectlCache },
});
const stopOnSignal = (): void => {
  child.kill('SIGTERM');
};
process.on('SIGINT', stopOnSignal);
process.on('SIGTERM', stopOnSignal);
const code = await new Promise<number>((resolve) => {
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
});
await etcd.stop();
rmSync(kubectlCache, { recursive: true, force: true });
process.exit(code);
