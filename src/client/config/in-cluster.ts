/**
 * @module
 * The config of a process running in a pod: the API server's service address from the environment
 * the kubelet sets, and the pod's service account (token, CA, namespace) from the projected volume.
 * Follows client-go rest/config.go `InClusterConfig` and clientcmd's `inClusterClientConfig`
 * (`Possible`, `Namespace`).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../util/logger.js';
import type { Mutable, RestConfig, TlsConfig } from './rest-config.js';

/** Where the kubelet mounts the service account volume. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export class NotInClusterError extends Error {
  override readonly name = 'NotInClusterError';
}

export interface InClusterOptions {
  /** Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** The service account directory; default {@link SERVICE_ACCOUNT_DIR}. */
  readonly dir?: string;
}

/**
 * Whether an in-cluster config can be built: both service variables are set and the token file
 * exists (clientcmd `inClusterClientConfig.Possible`).
 */
export function isInCluster(env: NodeJS.ProcessEnv = process.env, dir: string = SERVICE_ACCOUNT_DIR): boolean {
  if (!env['KUBERNETES_SERVICE_HOST'] || !env['KUBERNETES_SERVICE_PORT']) return false;
  try {
    return statSync(join(dir, 'token')).isFile();
  } catch {
    return false;
  }
}

/**
 * The pod's config. The token is referenced by path, not copied, because projected service account
 * tokens are rotated by the kubelet; the credential provider re-reads it.
 */
export function inClusterConfig(options: InClusterOptions = {}): RestConfig {
  const env = options.env ?? process.env;
  const dir = options.dir ?? SERVICE_ACCOUNT_DIR;
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) {
    throw new NotInClusterError(
      'unable to load in-cluster configuration: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined ' +
        '(this process is not running in a pod); use a kubeconfig instead',
    );
  }
  const tokenFile = join(dir, 'token');
  try {
    readFileSync(tokenFile);
  } catch (error) {
    throw new NotInClusterError(
      `unable to load in-cluster configuration: cannot read the service account token ${tokenFile}: ${errorMessage(error)} ` +
        '(is automountServiceAccountToken disabled for this pod?)',
    );
  }
  const config: Mutable<RestConfig> = { server: `https://${joinHostPort(host, port)}`, bearerTokenFile: tokenFile };
  // Like InClusterConfig, a missing CA is not fatal: the system roots are used instead.
  const ca = readOptional(join(dir, 'ca.crt'));
  if (ca !== undefined && ca.length > 0) config.tls = { ca } satisfies TlsConfig;
  // POD_NAMESPACE (set through the downward API) wins over the service account's namespace,
  // as in inClusterClientConfig.Namespace.
  const namespace = env['POD_NAMESPACE'] || readOptional(join(dir, 'namespace'))?.toString('utf8').trim();
  if (namespace) config.namespace = namespace;
  return config;
}

/** host:port, with an IPv6 host in brackets (Go's net.JoinHostPort). */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
