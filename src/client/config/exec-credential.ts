/**
 * @module
 * Running a client-go credential plugin once: the plugin gets an ExecCredential request in
 * KUBERNETES_EXEC_INFO and prints an ExecCredential with a token or a client certificate on stdout
 * (client.authentication.k8s.io v1 and v1beta1). Follows client-go
 * plugin/pkg/client/auth/exec/exec.go (`refreshCredsLocked`, `wrapCmdRunErrorLocked`); caching and
 * refresh are `CredentialProvider`'s job. The command runs without a shell and without stdin: kubelite
 * is never interactive, so a plugin that waits for input is cut off by the timeout instead of hanging.
 */
import { execFile } from 'node:child_process';
import { isJsonObject, type JsonObject } from '../../api/json.js';
import type { ExecConfig, RestConfig } from './rest-config.js';

/** What the plugin returned. */
export interface ExecCredential {
  readonly token?: string;
  /** PEM client certificate (chain) and key. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** When the credential stops being valid (ms since the epoch); absent means it does not expire. */
  readonly expiresAt?: number;
}

export class ExecPluginError extends Error {
  override readonly name = 'ExecPluginError';
}

export interface RunExecOptions {
  /** The cluster being authenticated to; sent as `spec.cluster` when the config has provideClusterInfo. */
  readonly cluster?: RestConfig;
  /** Kill the plugin after this long (default 60 s). */
  readonly timeoutMs?: number;
  /** Environment the plugin inherits before the configured env is added (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

/** exec.go's `installHintVerboseHelp`, shown when the command does not exist. */
const INSTALL_HELP =
  'It looks like you are trying to use a client-go credential plugin that is not installed.\n\n' +
  'To learn more about this feature, consult the documentation available at:\n' +
  '      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins';

/** The request the plugin reads from KUBERNETES_EXEC_INFO. */
export function execCredentialRequest(exec: ExecConfig, cluster?: RestConfig): JsonObject {
  const spec: JsonObject = { interactive: false };
  if (exec.provideClusterInfo === true && cluster !== undefined) {
    // Field names of the v1/v1beta1 `Cluster` type, which shadows the kubeconfig cluster.
    const info: JsonObject = { server: cluster.server };
    if (cluster.tls?.serverName !== undefined) info['tls-server-name'] = cluster.tls.serverName;
    if (cluster.tls?.insecureSkipTlsVerify === true) info['insecure-skip-tls-verify'] = true;
    if (cluster.tls?.ca !== undefined) info['certificate-authority-data'] = cluster.tls.ca.toString('base64');
    if (isJsonObject(exec.config)) info['config'] = exec.config;
    spec['cluster'] = info;
  }
  return { apiVersion: exec.apiVersion, kind: 'ExecCredential', spec };
}

/** Runs the plugin and returns its credential, or throws an {@link ExecPluginError} that says what to fix. */
export async function runExecPlugin(exec: ExecConfig, options: RunExecOptions = {}): Promise<ExecCredential> {
  if (exec.interactiveMode === 'Always') {
    throw new ExecPluginError(
      `exec plugin ${exec.command} cannot support interactive mode: kubelite never gives plugins a terminal; ` +
        'set interactiveMode to Never or IfAvailable',
    );
  }
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  for (const { name, value } of exec.env ?? []) env[name] = value;
  env['KUBERNETES_EXEC_INFO'] = JSON.stringify(execCredentialRequest(exec, options.cluster));
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;

  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = execFile(
      exec.command,
      [...(exec.args ?? [])],
      {
        env,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (error === null) resolve({ stdout, stderr });
        else reject(runError(exec, error, stderr, timeoutMs));
      },
    );
    // No stdin: a plugin that prompts sees end-of-file rather than waiting forever.
    child.stdin?.end();
  });
  return decodeExecCredential(exec, stdout, stderr);
}

/** Turns a failed run into an error a user can act on (exec.go `wrapCmdRunErrorLocked`, plus stderr). */
function runError(exec: ExecConfig, error: Error, stderr: string, timeoutMs: number): ExecPluginError {
  const code: unknown = 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') {
    const hint = exec.installHint !== undefined ? `\n\n${exec.installHint}` : '';
    return new ExecPluginError(`exec: executable ${exec.command} not found\n\n${INSTALL_HELP}${hint}`);
  }
  const output = withStderr(stderr);
  if (error.name === 'AbortError') return new ExecPluginError(`exec: executable ${exec.command} was cancelled${output}`);
  if ('killed' in error && error.killed === true && 'signal' in error && error.signal === 'SIGKILL') {
    return new ExecPluginError(`exec: executable ${exec.command} did not finish within ${timeoutMs / 1000}s and was killed${output}`);
  }
  if (typeof code === 'number') {
    return new ExecPluginError(`exec: executable ${exec.command} failed with exit code ${code}${output}`);
  }
  return new ExecPluginError(`exec: executable ${exec.command}: ${error.message}${output}`);
}

/** Parses and checks the plugin's stdout with the rules of exec.go `refreshCredsLocked`. */
export function decodeExecCredential(exec: ExecConfig, stdout: string, stderr = ''): ExecCredential {
  const fail = (message: string): never => {
    throw new ExecPluginError(`exec plugin ${exec.command}: ${message}${withStderr(stderr)}`);
  };
  let output: unknown;
  try {
    output = JSON.parse(stdout);
  } catch (error) {
    return fail(`decoding stdout: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isJsonObject(output)) return fail('decoding stdout: expected an ExecCredential object');
  const apiVersion = output['apiVersion'];
  if (typeof apiVersion !== 'string' || apiVersion === '') return fail("decoding stdout: Object 'apiVersion' is missing");
  if (output['kind'] !== 'ExecCredential') return fail(`decoding stdout: expected kind ExecCredential, got ${JSON.stringify(output['kind'] ?? null)}`);
  if (apiVersion !== exec.apiVersion) {
    return fail(`exec plugin is configured to use API version ${exec.apiVersion}, plugin returned version ${apiVersion}`);
  }
  const status = output['status'];
  if (status === undefined || status === null) return fail("exec plugin didn't return a status field");
  if (!isJsonObject(status)) return fail('decoding stdout: status must be an object');

  const field = (name: string): string => {
    const value = status[name];
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : fail(`decoding stdout: status.${name} must be a string`);
  };
  const token = field('token');
  const certData = field('clientCertificateData');
  const keyData = field('clientKeyData');
  if (token === '' && certData === '' && keyData === '') return fail("exec plugin didn't return a token or cert/key pair");
  if ((certData === '') !== (keyData === '')) return fail('exec plugin returned only certificate or key, not both');
  if (certData !== '' && (!certData.includes('-----BEGIN') || !keyData.includes('-----BEGIN'))) {
    return fail('failed parsing client key/certificate: clientCertificateData and clientKeyData must be PEM');
  }

  const credential: { token?: string; cert?: Buffer; key?: Buffer; expiresAt?: number } = {};
  if (token !== '') credential.token = token;
  if (certData !== '') {
    credential.cert = Buffer.from(certData);
    credential.key = Buffer.from(keyData);
  }
  const expiration = field('expirationTimestamp');
  if (expiration !== '') {
    const expiresAt = Date.parse(expiration);
    if (Number.isNaN(expiresAt)) return fail(`decoding stdout: status.expirationTimestamp ${JSON.stringify(expiration)} is not an RFC 3339 time`);
    credential.expiresAt = expiresAt;
  }
  return credential;
}

/** The plugin's stderr for an error message, trimmed and cut to a readable length. */
function withStderr(stderr: string): string {
  const text = stderr.trim();
  if (text === '') return '';
  return `; stderr: ${text.length > 2000 ? `${text.slice(0, 2000)}…` : text}`;
}
