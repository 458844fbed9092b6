/**
 * @module
 * Kubeconfig files: decoding one file, merging several the way kubectl does, and turning the chosen
 * context into a {@link RestConfig}. Follows client-go tools/clientcmd: loader.go (which files, merge
 * rules, relative paths), client_config.go (choosing context, cluster and user; what becomes the
 * rest config) and validation.go (what makes a selection unusable). Errors name the file and say
 * what to change, because a kubeconfig is usually edited by hand.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { isJsonObject, type JsonObject, type JsonValue } from '../../api/json.js';
import { errorMessage } from '../../util/logger.js';
import type { ExecConfig, Mutable, RestConfig, TlsConfig } from './rest-config.js';

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

/** Exec plugin API versions client-go accepts (exec.go `apiVersions`). */
export const EXEC_API_VERSIONS: readonly string[] = [
  'client.authentication.k8s.io/v1',
  'client.authentication.k8s.io/v1beta1',
];

/** Cluster extension whose value is passed to exec plugins as `spec.cluster.config` (client_config.go). */
const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

/** Every entry remembers its file, so errors and relative paths refer to where it was written. */
interface Origin {
  readonly origin: string;
}

export interface KubeconfigCluster extends Origin {
  readonly server?: string;
  /** Absolute path (relative ones are resolved against the file's directory, as loader.go does). */
  readonly certificateAuthority?: string;
  readonly certificateAuthorityData?: Buffer;
  readonly insecureSkipTlsVerify?: boolean;
  readonly tlsServerName?: string;
  readonly execExtension?: unknown;
}

/** An exec stanza as written; it is validated only when its user is chosen (like ConfirmUsable). */
export interface KubeconfigExec {
  readonly command?: string;
  readonly args?: readonly string[];
  readonly env?: readonly { name: string; value: string }[];
  readonly apiVersion?: string;
  readonly installHint?: string;
  readonly provideClusterInfo?: boolean;
  readonly interactiveMode?: string;
}

export interface KubeconfigUser extends Origin {
  readonly token?: string;
  readonly tokenFile?: string;
  readonly clientCertificate?: string;
  readonly clientCertificateData?: Buffer;
  readonly clientKey?: string;
  readonly clientKeyData?: Buffer;
  readonly username?: string;
  readonly password?: string;
  readonly exec?: KubeconfigExec;
  readonly authProvider?: string;
  readonly impersonate?: string;
}

export interface KubeconfigContext extends Origin {
  readonly cluster?: string;
  readonly user?: string;
  readonly namespace?: string;
}

/** One file, or several merged. */
export interface Kubeconfig {
  /** The files it came from, in precedence order. */
  readonly sources: readonly string[];
  readonly clusters: ReadonlyMap<string, KubeconfigCluster>;
  readonly users: ReadonlyMap<string, KubeconfigUser>;
  readonly contexts: ReadonlyMap<string, KubeconfigContext>;
  readonly currentContext?: string;
}

/** Overrides of the file's choices, like kubectl's --context, --cluster, --user and --namespace. */
export interface KubeconfigSelection {
  readonly context?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly namespace?: string;
}

export interface LoadKubeconfigOptions extends KubeconfigSelection {
  /** Files to merge; each must exist. Default: $KUBECONFIG (missing files skipped), else ~/.kube/config. */
  readonly paths?: readonly string[];
  /** Environment read for KUBECONFIG and HOME (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Loads, merges and resolves kubeconfig files into the config of the selected context. */
export function loadKubeconfig(options: LoadKubeconfigOptions = {}): RestConfig {
  return restConfigFromKubeconfig(readKubeconfigFiles(options), options);
}

/** Decodes one kubeconfig's text and resolves its selected context; relative paths resolve against `baseDir`. */
export function parseKubeconfig(
  text: string,
  options: KubeconfigSelection & { readonly baseDir: string; readonly source?: string },
): RestConfig {
  return restConfigFromKubeconfig(decodeKubeconfig(text, options), options);
}

/** The merged kubeconfig the loading rules of {@link loadKubeconfig} find, before a context is chosen. */
export function readKubeconfigFiles(options: Pick<LoadKubeconfigOptions, 'paths' | 'env'> = {}): Kubeconfig {
  const env = options.env ?? process.env;
  const found: Kubeconfig[] = [];
  if (options.paths !== undefined) {
    // Paths the caller names are explicit choices, so a missing one is an error (loader.go ExplicitPath).
    for (const path of options.paths) found.push(readFile(path) ?? notFound(path));
    if (found.length === 0) throw new KubeconfigError('no kubeconfig paths given');
    return mergeKubeconfigs(found);
  }
  const fromEnv = kubeconfigEnvPaths(env);
  if (fromEnv.length > 0) {
    for (const path of fromEnv) {
      const kubeconfig = readFile(path);
      if (kubeconfig !== undefined) found.push(kubeconfig);
    }
    if (found.length === 0) {
      throw new KubeconfigError(
        `none of the files in KUBECONFIG exist: ${fromEnv.join(', ')}; fix KUBECONFIG or unset it to use ~/.kube/config`,
      );
    }
    return mergeKubeconfigs(found);
  }
  const home = defaultKubeconfigPath(env);
  return readFile(home) ?? notFound(home, ' (KUBECONFIG is unset)');
}

/** $KUBECONFIG split on the platform's list separator, empty entries and repeats dropped (loader.go). */
export function kubeconfigEnvPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const value = env['KUBECONFIG'] ?? '';
  return [...new Set(value.split(delimiter).filter((path) => path !== ''))];
}

/** ~/.kube/config, with HOME from `env` when set. */
export function defaultKubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const home = env['HOME'] !== undefined && env['HOME'] !== '' ? env['HOME'] : homedir();
  return join(home, '.kube', 'config');
}

function notFound(path: string, note = ''): never {
  throw new KubeconfigError(`kubeconfig ${path} not found${note}; create it or pass the path of an existing file`);
}

/** The decoded file, or undefined when it does not exist. */
function readFile(path: string): Kubeconfig | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw new KubeconfigError(`error loading kubeconfig ${path}: ${errorMessage(error)}`);
  }
  return decodeKubeconfig(text, { baseDir: dirname(resolve(path)), source: path });
}

/**
 * Merges files in precedence order (loader.go `Load`): the first file to define a cluster, user or
 * context by name wins that name whole — later files' entries of the same name are ignored, even
 * fields the first left unset — and the first non-empty current-context wins.
 */
export function mergeKubeconfigs(kubeconfigs: readonly Kubeconfig[]): Kubeconfig {
  const clusters = new Map<string, KubeconfigCluster>();
  const users = new Map<string, KubeconfigUser>();
  const contexts = new Map<string, KubeconfigContext>();
  let currentContext: string | undefined;
  for (const kubeconfig of kubeconfigs) {
    for (const [name, entry] of kubeconfig.clusters) if (!clusters.has(name)) clusters.set(name, entry);
    for (const [name, entry] of kubeconfig.users) if (!users.has(name)) users.set(name, entry);
    for (const [name, entry] of kubeconfig.contexts) if (!contexts.has(name)) contexts.set(name, entry);
    currentContext ??= kubeconfig.currentContext;
  }
  const sources = kubeconfigs.flatMap((kubeconfig) => kubeconfig.sources);
  return { sources, clusters, users, contexts, ...(currentContext !== undefined ? { currentContext } : {}) };
}

/** Decodes one file's text (YAML or JSON, kubeconfig v1); an empty file is an empty config, as in loader.go. */
export function decodeKubeconfig(text: string, options: { readonly baseDir: string; readonly source?: string }): Kubeconfig {
  const source = options.source ?? join(options.baseDir, '<kubeconfig>');
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new KubeconfigError(`error loading kubeconfig ${source}: not valid YAML: ${errorMessage(error)}`);
  }
  if (document === null || document === undefined) document = {};
  if (!isJsonObject(document)) throw new KubeconfigError(`error loading kubeconfig ${source}: the top level must be a mapping`);
  const fields = new Fields(document, `kubeconfig ${source}`);
  const base = resolve(options.baseDir);
  const path = (value: string | undefined): string | undefined =>
    value === undefined || isAbsolute(value) ? value : join(base, value);

  const clusters = namedList(document, 'clusters', 'cluster', fields.where, (f): KubeconfigCluster => {
    const cluster: Mutable<KubeconfigCluster> = { origin: source };
    assign(cluster, 'server', f.string('server'));
    assign(cluster, 'certificateAuthority', path(f.string('certificate-authority')));
    assign(cluster, 'certificateAuthorityData', f.base64('certificate-authority-data'));
    assign(cluster, 'insecureSkipTlsVerify', f.boolean('insecure-skip-tls-verify'));
    assign(cluster, 'tlsServerName', f.string('tls-server-name'));
    // Extensions are opaque to clients; only the exec plugin's own is read, and a malformed list is ignored.
    const extensions = f.object['extensions'];
    for (const item of Array.isArray(extensions) ? extensions : []) {
      if (isJsonObject(item) && item['name'] === EXEC_EXTENSION) assign(cluster, 'execExtension', item['extension']);
    }
    return cluster;
  });
  const users = namedList(document, 'users', 'user', fields.where, (f): KubeconfigUser => {
    const user: Mutable<KubeconfigUser> = { origin: source };
    assign(user, 'token', f.string('token'));
    assign(user, 'tokenFile', path(f.string('tokenFile')));
    assign(user, 'clientCertificate', path(f.string('client-certificate')));
    assign(user, 'clientCertificateData', f.base64('client-certificate-data'));
    assign(user, 'clientKey', path(f.string('client-key')));
    assign(user, 'clientKeyData', f.base64('client-key-data'));
    assign(user, 'username', f.string('username'));
    assign(user, 'password', f.string('password'));
    assign(user, 'impersonate', f.string('as'));
    const provider = f.child('auth-provider');
    if (provider !== undefined) user.authProvider = provider.string('name') ?? '(unnamed)';
    const exec = f.child('exec');
    if (exec !== undefined) {
      const decoded: Mutable<KubeconfigExec> = {};
      const command = exec.string('command');
      // Only a command with a path separator is a file path; a bare name is looked up on PATH (loader.go).
      assign(decoded, 'command', command !== undefined && command.includes(sep) ? path(command) : command);
      assign(decoded, 'args', exec.stringList('args'));
      assign(decoded, 'env', exec.envList('env'));
      assign(decoded, 'apiVersion', exec.string('apiVersion'));
      assign(decoded, 'installHint', exec.string('installHint'));
      assign(decoded, 'provideClusterInfo', exec.boolean('provideClusterInfo'));
      assign(decoded, 'interactiveMode', exec.string('interactiveMode'));
      user.exec = decoded;
    }
    return user;
  });
  const contexts = namedList(document, 'contexts', 'context', fields.where, (f): KubeconfigContext => {
    const context: Mutable<KubeconfigContext> = { origin: source };
    assign(context, 'cluster', f.string('cluster'));
    assign(context, 'user', f.string('user'));
    assign(context, 'namespace', f.string('namespace'));
    return context;
  });
  const currentContext = fields.string('current-context');
  return { sources: [source], clusters, users, contexts, ...(currentContext !== undefined ? { currentContext } : {}) };
}

/**
 * The rest config of the selected context (client_config.go `ClientConfig`): the context is the
 * override or current-context; its cluster and user may be overridden too. Certificate and key files
 * are read now, so a broken path fails at load time rather than at the first request.
 */
export function restConfigFromKubeconfig(kubeconfig: Kubeconfig, overrides: KubeconfigSelection = {}): RestConfig {
  // An empty override (an unset flag) means "not overridden", as in clientcmd.
  const selection = {
    context: orUndefined(overrides.context),
    cluster: orUndefined(overrides.cluster),
    user: orUndefined(overrides.user),
    namespace: orUndefined(overrides.namespace),
  };
  const files = kubeconfig.sources.join(', ');
  const contextName = selection.context ?? kubeconfig.currentContext;
  let context: KubeconfigContext | undefined;
  if (contextName !== undefined) {
    context = kubeconfig.contexts.get(contextName);
    if (context === undefined) {
      throw new KubeconfigError(`context "${contextName}" not found in ${files}; available: ${names(kubeconfig.contexts)}`);
    }
  } else if (selection.cluster === undefined) {
    throw new KubeconfigError(
      `no current-context set in ${files}; pass a context or run kubectl config use-context (available: ${names(kubeconfig.contexts)})`,
    );
  }
  const inContext = contextName !== undefined ? ` (from context "${contextName}")` : '';

  const clusterName = selection.cluster ?? context?.cluster;
  if (clusterName === undefined) {
    throw new KubeconfigError(`context "${contextName ?? ''}" in ${context?.origin ?? files} names no cluster; set its cluster field`);
  }
  const cluster = kubeconfig.clusters.get(clusterName);
  if (cluster === undefined) {
    throw new KubeconfigError(`cluster "${clusterName}"${inContext} not found in ${files}; available: ${names(kubeconfig.clusters)}`);
  }
  const userName = selection.user ?? context?.user;
  const user = userName !== undefined ? kubeconfig.users.get(userName) : undefined;
  if (userName !== undefined && user === undefined) {
    throw new KubeconfigError(`user "${userName}"${inContext} not found in ${files}; available: ${names(kubeconfig.users)}`);
  }
  const namespace = selection.namespace ?? context?.namespace;
  if (namespace !== undefined && !isDns1123Label(namespace)) {
    throw new KubeconfigError(`namespace "${namespace}"${inContext} is not a valid namespace name (lowercase letters, digits and '-', at most 63)`);
  }

  const where = `cluster "${clusterName}" in ${cluster.origin}`;
  if (cluster.server === undefined) throw new KubeconfigError(`${where} has no server; set its server field (e.g. https://127.0.0.1:6443)`);
  const tls = clusterTls(cluster, where);
  const server = normalizeServer(cluster.server, tls !== undefined, where);

  const config: Mutable<RestConfig> = { server };
  assign(config, 'namespace', namespace);
  // Only a TLS connection carries credentials and server TLS settings: client_config.go reads
  // neither for a plain-HTTP server, so a token is never sent in the clear.
  if (!server.startsWith('https://')) return config;
  const tlsConfig: Mutable<TlsConfig> = { ...tls };
  if (user !== undefined && userName !== undefined) applyUser(config, tlsConfig, user, `user "${userName}" in ${user.origin}`, cluster);
  if (Object.keys(tlsConfig).length > 0) config.tls = tlsConfig;
  return config;
}

/** Server-side TLS settings of a cluster (client_config.go `getServerIdentificationPartialConfig`). */
function clusterTls(cluster: KubeconfigCluster, where: string): TlsConfig | undefined {
  if (cluster.certificateAuthority !== undefined && cluster.certificateAuthorityData !== undefined) {
    throw new KubeconfigError(`${where} sets both certificate-authority and certificate-authority-data; keep one`);
  }
  const ca = cluster.certificateAuthorityData ?? readPem(cluster.certificateAuthority, 'certificate-authority', where);
  if (ca !== undefined && cluster.insecureSkipTlsVerify === true) {
    // transport/tls.go refuses a CA together with insecure: the CA would be silently ignored.
    throw new KubeconfigError(`${where} sets a certificate authority and insecure-skip-tls-verify; remove one of them`);
  }
  const tls: Mutable<TlsConfig> = {};
  assign(tls, 'ca', ca);
  if (cluster.insecureSkipTlsVerify === true) tls.insecureSkipTlsVerify = true;
  assign(tls, 'serverName', cluster.tlsServerName);
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/** User identification (client_config.go `getUserIdentificationPartialConfig`, checks from validation.go `validateAuthInfo`). */
function applyUser(config: Mutable<RestConfig>, tls: Mutable<TlsConfig>, user: KubeconfigUser, where: string, cluster: KubeconfigCluster): void {
  if (user.impersonate !== undefined) throw new KubeconfigError(`${where} uses impersonation ("as"), which kubelite does not support; remove it`);
  if (user.token !== undefined && (user.username !== undefined || user.password !== undefined)) {
    throw new KubeconfigError(`${where} sets more than one authentication method (token and username/password); keep one`);
  }
  if (user.token !== undefined) config.bearerToken = user.token;
  if (user.tokenFile !== undefined) {
    try {
      accessSync(user.tokenFile, constants.R_OK);
    } catch (error) {
      throw new KubeconfigError(`${where}: cannot read tokenFile ${user.tokenFile}: ${errorMessage(error)}`);
    }
    config.bearerTokenFile = user.tokenFile;
  }
  if (user.clientCertificate !== undefined || user.clientCertificateData !== undefined) {
    if (user.clientCertificate !== undefined && user.clientCertificateData !== undefined) {
      throw new KubeconfigError(`${where} sets both client-certificate and client-certificate-data; keep one`);
    }
    if (user.clientKey !== undefined && user.clientKeyData !== undefined) {
      throw new KubeconfigError(`${where} sets both client-key and client-key-data; keep one`);
    }
    const key = user.clientKeyData ?? readPem(user.clientKey, 'client-key', where);
    if (key === undefined) throw new KubeconfigError(`${where} has a client certificate but no client-key or client-key-data`);
    assign(tls, 'cert', user.clientCertificateData ?? readPem(user.clientCertificate, 'client-certificate', where));
    tls.key = key;
  }
  if (user.username !== undefined || user.password !== undefined) {
    config.basicAuth = { username: user.username ?? '', password: user.password ?? '' };
  }
  if (user.exec !== undefined) config.exec = validateExec(user.exec, where, cluster.execExtension);
  else if (user.authProvider !== undefined && config.bearerToken === undefined && config.bearerTokenFile === undefined) {
    throw new KubeconfigError(
      `${where} uses auth-provider "${user.authProvider}", which kubelite does not support; switch to an exec credential plugin (e.g. kubelogin)`,
    );
  }
}

/** The checks validation.go applies to an exec stanza, plus the apiVersion check of exec.go. */
function validateExec(exec: KubeconfigExec, where: string, extension: unknown): ExecConfig {
  if (exec.command === undefined) throw new KubeconfigError(`${where}: exec needs a command`);
  if (exec.apiVersion === undefined) throw new KubeconfigError(`${where}: exec needs an apiVersion (${EXEC_API_VERSIONS.join(' or ')})`);
  if (!EXEC_API_VERSIONS.includes(exec.apiVersion)) {
    throw new KubeconfigError(`${where}: exec apiVersion "${exec.apiVersion}" is not supported; use ${EXEC_API_VERSIONS.join(' or ')}`);
  }
  let mode = exec.interactiveMode;
  // clientcmd/api/v1 defaults: v1beta1 plugins predate the field and default to IfAvailable; v1
  // plugins must say whether they want stdin.
  if (mode === undefined && exec.apiVersion.endsWith('/v1beta1')) mode = 'IfAvailable';
  if (mode !== 'Never' && mode !== 'IfAvailable' && mode !== 'Always') {
    throw new KubeconfigError(
      mode === undefined
        ? `${where}: exec needs interactiveMode (Never, IfAvailable or Always) with apiVersion ${exec.apiVersion}`
        : `${where}: exec interactiveMode "${mode}" is invalid; use Never, IfAvailable or Always`,
    );
  }
  const config: Mutable<ExecConfig> = { command: exec.command, apiVersion: exec.apiVersion, interactiveMode: mode };
  assign(config, 'args', exec.args);
  assign(config, 'env', exec.env);
  assign(config, 'installHint', exec.installHint);
  assign(config, 'provideClusterInfo', exec.provideClusterInfo);
  assign(config, 'config', extension);
  return config;
}

/**
 * A server URL without query, fragment or trailing slash. A bare host:port gets https when the cluster
 * has TLS settings, else http (rest/url_utils.go `DefaultServerURL`).
 */
function normalizeServer(server: string, tls: boolean, where: string): string {
  let url: URL | undefined;
  try {
    url = new URL(server);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') {
    try {
      url = new URL(`${tls ? 'https' : 'http'}://${server}`);
    } catch {
      throw new KubeconfigError(`${where}: server "${server}" is not a valid URL`);
    }
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

function readPem(path: string | undefined, field: string, where: string): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new KubeconfigError(`${where}: unable to read ${field} ${path}: ${errorMessage(error)}`);
  }
}

/** A DNS-1123 label, the shape of a namespace name (validation.go checks the context's namespace). */
function isDns1123Label(value: string): boolean {
  return value.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value);
}

/**
 * Decodes a kubeconfig list of `{ name, <key>: {...} }` into a map; a repeated name within one file
 * is an error, as in clientcmd/api/v1 conversion.
 */
function namedList<T>(parent: JsonObject, field: string, key: string, where: string, decode: (fields: Fields) => T): Map<string, T> {
  const result = new Map<string, T>();
  const list = parent[field];
  if (list === undefined || list === null) return result;
  if (!Array.isArray(list)) throw new KubeconfigError(`${where}: ${field} must be a list`);
  list.forEach((item, index) => {
    if (!isJsonObject(item)) throw new KubeconfigError(`${where}: ${field}[${index}] must be a mapping`);
    const name = item['name'];
    if (typeof name !== 'string' || name === '') throw new KubeconfigError(`${where}: ${field}[${index}] needs a name`);
    if (result.has(name)) throw new KubeconfigError(`${where}: duplicate name "${name}" in ${field}`);
    const body = item[key] ?? {};
    if (!isJsonObject(body)) throw new KubeconfigError(`${where}: ${field}[${index}].${key} must be a mapping`);
    result.set(name, decode(new Fields(body, `${key} "${name}" in ${where}`)));
  });
  return result;
}

/** Typed reads of one mapping's fields; the wrong type is an error, empty strings count as unset (as in Go). */
class Fields {
  constructor(
    readonly object: JsonObject,
    readonly where: string,
  ) {}

  private value(key: string): JsonValue | undefined {
    const value = this.object[key];
    return value === null ? undefined : value;
  }

  private fail(key: string, expected: string): never {
    throw new KubeconfigError(`${this.where}: ${key} must be ${expected}`);
  }

  string(key: string): string | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(key, 'a string');
    return value === '' ? undefined : value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.fail(key, 'true or false');
    return value;
  }

  /** Base64 (standard alphabet, as Go's []byte JSON encoding); line breaks are tolerated. */
  base64(key: string): Buffer | undefined {
    const text = this.string(key)?.replace(/[\r\n]/g, '');
    if (text === undefined) return undefined;
    if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) this.fail(key, 'base64 data');
    return Buffer.from(text, 'base64');
  }

  stringList(key: string): string[] | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) this.fail(key, 'a list of strings');
    return value;
  }

  envList(key: string): { name: string; value: string }[] | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(key, 'a list of {name, value}');
    return value.map((item) => {
      if (!isJsonObject(item) || typeof item['name'] !== 'string' || item['name'] === '') this.fail(key, 'a list of {name, value} with names');
      const entry = item['value'] ?? '';
      if (typeof entry !== 'string') this.fail(key, 'a list of {name, value} with string values');
      return { name: item['name'], value: entry };
    });
  }

  child(key: string): Fields | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    if (!isJsonObject(value)) this.fail(key, 'a mapping');
    return new Fields(value, `${this.where} (${key})`);
  }
}

/** Sets `key` only when `value` is defined, so absent stays absent under exactOptionalPropertyTypes. */
function assign<T, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function orUndefined(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function names(map: ReadonlyMap<string, unknown>): string {
  return map.size === 0 ? '(none)' : [...map.keys()].sort().join(', ');
}

function isErrnoCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
