/**
 * @module
 * What a client needs to reach one API server and prove who it is, whatever it was loaded from
 * (a kubeconfig, the pod's service account, or code). It is plain data: credentials that change
 * over time (token files, exec plugins) are named here and resolved by `CredentialProvider`.
 * Mirrors client-go `rest.Config` (staging/src/k8s.io/client-go/rest/config.go), reduced to the
 * fields kubelite's REST client uses.
 */

export interface TlsConfig {
  /** PEM bundle that signs the server's certificate; absent means the system roots. */
  readonly ca?: Buffer;
  /** PEM client certificate and key, presented during the TLS handshake. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Skips server certificate verification; never set together with `ca` (client-go refuses both). */
  readonly insecureSkipTlsVerify?: boolean;
  /** Name checked against the server's certificate (and sent as SNI) instead of the URL's host. */
  readonly serverName?: string;
}

/**
 * A client-go credential plugin (kubeconfig `users[].user.exec`), run by `runExecPlugin`.
 * Field meanings follow clientcmd/api `ExecConfig`.
 */
export interface ExecConfig {
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to this process's environment for the plugin. */
  readonly env?: readonly { name: string; value: string }[];
  /** `client.authentication.k8s.io/v1` or `/v1beta1`; the plugin must answer in the same version. */
  readonly apiVersion: string;
  /** Shown when the command is not installed. */
  readonly installHint?: string;
  /** Pass the cluster (server, CA, TLS name, `config`) to the plugin in KUBERNETES_EXEC_INFO. */
  readonly provideClusterInfo?: boolean;
  readonly interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  /**
   * Per-cluster plugin configuration: the cluster's `client.authentication.k8s.io/exec` extension,
   * handed to the plugin as `spec.cluster.config` when `provideClusterInfo` is set (upstream
   * `ExecConfig.Config`).
   */
  readonly config?: unknown;
}

export interface RestConfig {
  /** Base URL, e.g. https://127.0.0.1:6443 (may include a path prefix); no trailing slash. */
  readonly server: string;
  /** The context's namespace, if set; see {@link defaultNamespace}. */
  readonly namespace?: string;
  readonly tls?: TlsConfig;
  readonly bearerToken?: string;
  /** Re-read at most once a minute (in-cluster tokens rotate), and after a 401. */
  readonly bearerTokenFile?: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  readonly exec?: ExecConfig;
  readonly userAgent?: string;
  readonly qps?: number;
  readonly burst?: number;
  readonly timeoutMs?: number;
}

/** The namespace a namespaced request goes to when the caller names none: the context's, else "default" (clientcmd `Namespace()`). */
export function defaultNamespace(config: RestConfig): string {
  return config.namespace !== undefined && config.namespace !== '' ? config.namespace : 'default';
}

/** Same object with `readonly` dropped, for building a config field by field under exactOptionalPropertyTypes. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
