/**
 * A throwaway certificate authority and a serving certificate for 127.0.0.1 and localhost (and any
 * DNS names asked for), made with the machine's `openssl` (node:crypto cannot sign X.509), for tests
 * that run HTTPS servers an API server must trust through a caBundle (admission webhooks).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** PEM of the CA certificate: what a caBundle carries (base64 of it). */
  readonly ca: string;
  /** PEM of the server's certificate (signed by the CA) and key. */
  readonly cert: string;
  readonly key: string;
  /** The CA certificate, base64: a webhook's clientConfig.caBundle. */
  readonly caBundle: string;
}

export interface TestCertificateOptions {
  /** More DNS names the server certificate is valid for, e.g. a Service's `<name>.<namespace>.svc`. */
  readonly dnsNames?: readonly string[];
}

/** A new CA and a server certificate it signs, valid for 127.0.0.1, ::1, localhost and `dnsNames`. */
export function makeTestCertificates(options: TestCertificateOptions = {}): TestCertificates {
  const names = ['IP:127.0.0.1', 'IP:::1', 'DNS:localhost', ...(options.dnsNames ?? []).map((name) => `DNS:${name}`)];
  const dir = mkdtempSync(join(tmpdir(), 'kubelite-tls-'));
  const openssl = (args: readonly string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  try {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=kubelite-test-ca']);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`);
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf']);
    const ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
    return {
      ca,
      cert: readFileSync(join(dir, 'server.crt'), 'utf8'),
      key: readFileSync(join(dir, 'server.key'), 'utf8'),
      caBundle: Buffer.from(ca).toString('base64'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
