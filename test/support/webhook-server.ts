/**
 * An HTTPS admission webhook for tests: a server with a certificate from a test CA (test/support/
 * tls.ts) answering with the given handler, the caBundle a webhook configuration needs to trust it,
 * and a ConfigMap to send through it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { makeTestCertificates } from './tls.js';

export interface TestWebhookServer {
  /** `https://<host>:<port>`. */
  readonly base: string;
  readonly port: number;
  /** The test CA, base64, for clientConfig.caBundle. */
  readonly caBundle: string;
  close(): Promise<void>;
}

export interface TestWebhookOptions {
  /** Where to listen. @defaultValue 127.0.0.1 */
  readonly host?: string;
  /** DNS names the certificate is also valid for (a service's `<name>.<namespace>.svc`). */
  readonly dnsNames?: readonly string[];
}

/** Starts an HTTPS server answering with `handler`, on a free port. */
export async function startWebhookServer(handler: (req: IncomingMessage, res: ServerResponse) => void, options: TestWebhookOptions = {}): Promise<TestWebhookServer> {
  const host = options.host ?? '127.0.0.1';
  const certs = makeTestCertificates(options.dnsNames === undefined ? {} : { dnsNames: options.dnsNames });
  const server = createServer({ cert: certs.cert, key: certs.key }, handler);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `https://${host}:${port}`,
    port,
    caBundle: certs.caBundle,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A ConfigMap in the default namespace, with labels. */
export function configMap(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } };
}
