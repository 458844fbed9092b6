import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { stringify } from 'yaml';
import { decodeKubeconfig, loadKubeconfig, parseKubeconfig } from './kubeconfig.js';

const root = mkdtempSync(join(tmpdir(), 'kl-kubeconfig-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** A fresh directory holding the given files (YAML-encoded when not a string). */
function fixture(files: Record<string, unknown>): string {
  const dir = join(root, String(dirs++));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  }
  return dir;
}

interface Entries {
  clusters?: Record<string, Record<string, unknown>>;
  users?: Record<string, Record<string, unknown>>;
  contexts?: Record<string, Record<string, unknown>>;
  current?: string;
}

/** A kubeconfig document from maps of name → body. */
function kubeconfig(entries: Entries): Record<string, unknown> {
  const list = (key: string, map: Record<string, Record<string, unknown>> = {}): unknown[] =>
    Object.entries(map).map(([name, body]) => ({ name, [key]: body }));
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: list('cluster', entries.clusters),
    users: list('user', entries.users),
    contexts: list('context', entries.contexts),
    ...(entries.current !== undefined ? { 'current-context': entries.current } : {}),
  };
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

test('the first file to define a cluster or user by name wins the whole entry, even fields it leaves unset', () => {
  const dir = fixture({
    first: kubeconfig({
      clusters: { shared: { server: 'https://first:6443' } },
      users: { alice: { token: 'first-token' } },
      contexts: { ctx: { cluster: 'shared', user: 'alice' } },
      current: 'ctx',
    }),
    second: kubeconfig({
      clusters: { shared: { server: 'https://second:6443', 'tls-server-name': 'from-second' } },
      users: { alice: { token: 'second-token' } },
    }),
  });
  const config = loadKubeconfig({ paths: [join(dir, 'first'), join(dir, 'second')] });
  assert.equal(config.server, 'https://first:6443');
  assert.equal(config.bearerToken, 'first-token');
  assert.equal(config.tls, undefined, 'tls-server-name from the second file must not leak into the first file\'s cluster');
});

test('the first non-empty current-context wins, and contexts defined only in later files are usable', () => {
  const dir = fixture({
    a: kubeconfig({ clusters: { one: { server: 'https://one' } }, contexts: { one: { cluster: 'one' } } }),
    b: kubeconfig({ clusters: { two: { server: 'https://two' } }, contexts: { two: { cluster: 'two' } }, current: 'two' }),
    c: kubeconfig({ current: 'one' }),
  });
  const env = { KUBECONFIG: [join(dir, 'a'), join(dir, 'b'), join(dir, 'c')].join(delimiter) };
  assert.equal(loadKubeconfig({ env }).server, 'https://two');
  const reordered = { KUBECONFIG: [join(dir, 'c'), join(dir, 'b'), join(dir, 'a')].join(delimiter) };
  assert.equal(loadKubeconfig({ env: reordered }).server, 'https://one');
});

test('missing files listed in KUBECONFIG are skipped', () => {
  const dir = fixture({
    real: kubeconfig({ clusters: { c: { server: 'https://real' } }, contexts: { c: { cluster: 'c' } }, current: 'c' }),
  });
  const env = { KUBECONFIG: [join(dir, 'missing'), join(dir, 'real')].join(delimiter) };
  assert.equal(loadKubeconfig({ env }).server, 'https://real');
});

test('KUBECONFIG naming only missing files is an error that lists them', () => {
  const dir = fixture({});
  const env = { KUBECONFIG: [join(dir, 'x'), join(dir, 'y')].join(delimiter) };
  assert.throws(() => loadKubeconfig({ env }), (error: Error) => {
    assert.match(error.message, /none of the files in KUBECONFIG exist/);
    assert.ok(error.message.includes(join(dir, 'x')) && error.message.includes(join(dir, 'y')));
    return true;
  });
});

test('an explicitly given kubeconfig that does not exist is an error', () => {
  const dir = fixture({});
  assert.throws(() => loadKubeconfig({ paths: [join(dir, 'nope')] }), /kubeconfig .*nope not found/);
});

test('without KUBECONFIG, ~/.kube/config under HOME is read', () => {
  const home = fixture({
    '.kube/config': kubeconfig({ clusters: { c: { server: 'https://home' } }, contexts: { c: { cluster: 'c' } }, current: 'c' }),
  });
  assert.equal(loadKubeconfig({ env: { HOME: home } }).server, 'https://home');
  assert.throws(() => loadKubeconfig({ env: { HOME: join(home, 'elsewhere') } }), /\.kube[/\\]config not found/);
});

test('relative certificate, key and token paths resolve against the directory of the file that names them', () => {
  const dir = fixture({
    'certs/ca.crt': 'CA PEM',
    'certs/client.crt': 'CERT PEM',
    'certs/client.key': 'KEY PEM',
    'certs/token': 'file-token',
    'conf/kubeconfig': kubeconfig({
      clusters: { c: { server: 'https://k', 'certificate-authority': '../certs/ca.crt' } },
      users: {
        u: { 'client-certificate': '../certs/client.crt', 'client-key': '../certs/client.key', tokenFile: '../certs/token' },
      },
      contexts: { c: { cluster: 'c', user: 'u' } },
      current: 'c',
    }),
  });
  const config = loadKubeconfig({ paths: [join(dir, 'conf/kubeconfig')] });
  assert.equal(config.tls?.ca?.toString(), 'CA PEM');
  assert.equal(config.tls?.cert?.toString(), 'CERT PEM');
  assert.equal(config.tls?.key?.toString(), 'KEY PEM');
  assert.equal(config.bearerTokenFile, join(dir, 'certs/token'));
});

test('an exec command with a path separator resolves against the kubeconfig directory; a bare name does not', () => {
  const text = stringify(
    kubeconfig({
      clusters: { c: { server: 'https://k' } },
      users: {
        local: { exec: { command: './bin/plugin', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' } },
        onPath: { exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' } },
      },
      contexts: { c: { cluster: 'c', user: 'local' } },
      current: 'c',
    }),
  );
  assert.equal(parseKubeconfig(text, { baseDir: '/etc/kube' }).exec?.command, '/etc/kube/bin/plugin');
  assert.equal(parseKubeconfig(text, { baseDir: '/etc/kube', user: 'onPath' }).exec?.command, 'aws');
});

test('base64 certificate data is decoded, and data that is not base64 is rejected naming the field', () => {
  const text = (ca: string): string =>
    stringify(
      kubeconfig({
        clusters: { c: { server: 'https://k', 'certificate-authority-data': ca, 'tls-server-name': 'api.internal' } },
        users: { u: { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') } },
        contexts: { c: { cluster: 'c', user: 'u' } },
        current: 'c',
      }),
    );
  const config = parseKubeconfig(text(b64('CA DATA')), { baseDir: root });
  assert.deepEqual(
    { ca: config.tls?.ca?.toString(), cert: config.tls?.cert?.toString(), key: config.tls?.key?.toString(), name: config.tls?.serverName },
    { ca: 'CA DATA', cert: 'CERT', key: 'KEY', name: 'api.internal' },
  );
  assert.throws(() => parseKubeconfig(text('not base64!'), { baseDir: root }), /certificate-authority-data must be base64/);
});

test('a named context selects its cluster, user and namespace, and explicit overrides win', () => {
  const text = stringify(
    kubeconfig({
      clusters: { prod: { server: 'https://prod' }, dev: { server: 'https://dev' } },
      users: { admin: { token: 'admin-token' }, viewer: { token: 'viewer-token' } },
      contexts: {
        prod: { cluster: 'prod', user: 'admin', namespace: 'payments' },
        dev: { cluster: 'dev', user: 'viewer' },
      },
      current: 'dev',
    }),
  );
  const current = parseKubeconfig(text, { baseDir: root });
  assert.deepEqual([current.server, current.bearerToken, current.namespace], ['https://dev', 'viewer-token', undefined]);
  const prod = parseKubeconfig(text, { baseDir: root, context: 'prod' });
  assert.deepEqual([prod.server, prod.bearerToken, prod.namespace], ['https://prod', 'admin-token', 'payments']);
  const overridden = parseKubeconfig(text, { baseDir: root, context: 'prod', cluster: 'dev', user: 'viewer', namespace: 'other' });
  assert.deepEqual([overridden.server, overridden.bearerToken, overridden.namespace], ['https://dev', 'viewer-token', 'other']);
});

test('an unknown context is an error naming the files and the contexts that exist', () => {
  const dir = fixture({
    config: kubeconfig({ clusters: { c: { server: 'https://k' } }, contexts: { b: { cluster: 'c' }, a: { cluster: 'c' } } }),
  });
  const path = join(dir, 'config');
  assert.throws(() => loadKubeconfig({ paths: [path], context: 'x' }), {
    message: `context "x" not found in ${path}; available: a, b`,
  });
});

test('no current-context is an error that says how to choose one', () => {
  const dir = fixture({ config: kubeconfig({ clusters: { c: { server: 'https://k' } }, contexts: { a: { cluster: 'c' } } }) });
  assert.throws(
    () => loadKubeconfig({ paths: [join(dir, 'config')] }),
    /no current-context set in .*config; pass a context or run kubectl config use-context/,
  );
});

test('an empty kubeconfig file decodes to an empty config', () => {
  const decoded = decodeKubeconfig('', { baseDir: root, source: 'empty' });
  assert.deepEqual([decoded.clusters.size, decoded.users.size, decoded.contexts.size, decoded.currentContext], [0, 0, 0, undefined]);
});

test('a context whose cluster or user is missing is an error naming what exists', () => {
  const text = (context: Record<string, unknown>): string =>
    stringify(kubeconfig({ clusters: { c: { server: 'https://k' } }, users: { u: {} }, contexts: { x: context }, current: 'x' }));
  assert.throws(() => parseKubeconfig(text({ cluster: 'nope', user: 'u' }), { baseDir: root }), /cluster "nope" \(from context "x"\) not found .*available: c/);
  assert.throws(() => parseKubeconfig(text({ cluster: 'c', user: 'ghost' }), { baseDir: root }), /user "ghost" \(from context "x"\) not found .*available: u/);
  assert.throws(() => parseKubeconfig(text({ user: 'u' }), { baseDir: root }), /names no cluster/);
});

test('a cluster without a server is an error that says which field to set', () => {
  const text = stringify(kubeconfig({ clusters: { c: { 'tls-server-name': 'x' } }, contexts: { c: { cluster: 'c' } }, current: 'c' }));
  assert.throws(() => parseKubeconfig(text, { baseDir: root }), /cluster "c" .* has no server; set its server field/);
});

test('credentials and TLS settings are not used for a plain-HTTP server', () => {
  const text = stringify(
    kubeconfig({
      clusters: { c: { server: 'http://127.0.0.1:8080/' } },
      users: { u: { token: 'secret' } },
      contexts: { c: { cluster: 'c', user: 'u', namespace: 'team' } },
      current: 'c',
    }),
  );
  assert.deepEqual(parseKubeconfig(text, { baseDir: root }), { server: 'http://127.0.0.1:8080', namespace: 'team' });
});

test('a server without a scheme gets https when the cluster has TLS settings; query and trailing slash are dropped', () => {
  const text = (cluster: Record<string, unknown>): string =>
    stringify(kubeconfig({ clusters: { c: cluster }, contexts: { c: { cluster: 'c' } }, current: 'c' }));
  assert.equal(parseKubeconfig(text({ server: '10.0.0.1:6443', 'insecure-skip-tls-verify': true }), { baseDir: root }).server, 'https://10.0.0.1:6443');
  assert.equal(parseKubeconfig(text({ server: '10.0.0.1:6443' }), { baseDir: root }).server, 'http://10.0.0.1:6443');
  assert.equal(parseKubeconfig(text({ server: 'https://h:1/prefix/?x=1#f' }), { baseDir: root }).server, 'https://h:1/prefix');
});

test('conflicting settings are errors: CA file and data, CA with insecure, token with username', () => {
  const text = (cluster: Record<string, unknown>, user: Record<string, unknown> = {}): string =>
    stringify(kubeconfig({ clusters: { c: cluster }, users: { u: user }, contexts: { c: { cluster: 'c', user: 'u' } }, current: 'c' }));
  assert.throws(
    () => parseKubeconfig(text({ server: 'https://k', 'certificate-authority': '/ca', 'certificate-authority-data': b64('x') }), { baseDir: root }),
    /both certificate-authority and certificate-authority-data/,
  );
  assert.throws(
    () => parseKubeconfig(text({ server: 'https://k', 'certificate-authority-data': b64('x'), 'insecure-skip-tls-verify': true }), { baseDir: root }),
    /certificate authority and insecure-skip-tls-verify/,
  );
  assert.throws(
    () => parseKubeconfig(text({ server: 'https://k' }, { token: 't', username: 'u', password: 'p' }), { baseDir: root }),
    /more than one authentication method/,
  );
  assert.throws(() => parseKubeconfig(text({ server: 'https://k' }, { 'client-certificate-data': b64('c') }), { baseDir: root }), /no client-key/);
});

test('a certificate file that cannot be read fails at load time, naming the path', () => {
  const text = stringify(
    kubeconfig({ clusters: { c: { server: 'https://k', 'certificate-authority': 'missing-ca.crt' } }, contexts: { c: { cluster: 'c' } }, current: 'c' }),
  );
  assert.throws(() => parseKubeconfig(text, { baseDir: '/nonexistent' }), /unable to read certificate-authority \/nonexistent\/missing-ca.crt/);
});

test('exec stanzas are validated: v1 needs interactiveMode, v1beta1 defaults to IfAvailable, unknown versions are refused', () => {
  const text = (exec: Record<string, unknown>): string =>
    stringify(
      kubeconfig({
        clusters: { c: { server: 'https://k', extensions: [{ name: 'client.authentication.k8s.io/exec', extension: { audience: 'aud' } }] } },
        users: { u: { exec } },
        contexts: { c: { cluster: 'c', user: 'u' } },
        current: 'c',
      }),
    );
  assert.throws(() => parseKubeconfig(text({ command: 'p', apiVersion: 'client.authentication.k8s.io/v1' }), { baseDir: root }), /needs interactiveMode/);
  assert.throws(() => parseKubeconfig(text({ command: 'p', apiVersion: 'client.authentication.k8s.io/v1alpha1' }), { baseDir: root }), /is not supported/);
  assert.throws(() => parseKubeconfig(text({ apiVersion: 'client.authentication.k8s.io/v1beta1' }), { baseDir: root }), /exec needs a command/);
  const config = parseKubeconfig(
    text({ command: 'p', args: ['a'], env: [{ name: 'K', value: 'V' }], apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: true }),
    { baseDir: root },
  );
  assert.deepEqual(config.exec, {
    command: 'p',
    args: ['a'],
    env: [{ name: 'K', value: 'V' }],
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    interactiveMode: 'IfAvailable',
    provideClusterInfo: true,
    config: { audience: 'aud' },
  });
});

test('a kubeconfig written as JSON is read too', () => {
  const text = JSON.stringify(kubeconfig({ clusters: { c: { server: 'https://json' } }, contexts: { c: { cluster: 'c' } }, current: 'c' }));
  assert.equal(parseKubeconfig(text, { baseDir: root }).server, 'https://json');
});

test('a repeated name within one file and a field of the wrong type are errors naming the file', () => {
  const repeated = stringify({ clusters: [{ name: 'c', cluster: { server: 'a' } }, { name: 'c', cluster: { server: 'b' } }] });
  assert.throws(() => decodeKubeconfig(repeated, { baseDir: root, source: 'f.yaml' }), /kubeconfig f.yaml: duplicate name "c" in clusters/);
  const wrongType = stringify({ users: [{ name: 'u', user: { token: 42 } }] });
  assert.throws(() => decodeKubeconfig(wrongType, { baseDir: root, source: 'f.yaml' }), /user "u" in kubeconfig f.yaml: token must be a string/);
});

test('an invalid namespace name is rejected', () => {
  const text = stringify(kubeconfig({ clusters: { c: { server: 'https://k' } }, contexts: { c: { cluster: 'c', namespace: 'Bad_NS' } }, current: 'c' }));
  assert.throws(() => parseKubeconfig(text, { baseDir: root }), /namespace "Bad_NS" .* is not a valid namespace name/);
});
