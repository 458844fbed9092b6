/**
 * @module
 * The credentials a request carries right now. A static token is fixed, but a token file rotates
 * (projected service account tokens) and an exec plugin's token expires, so the REST client asks
 * `credentials()` before each request and calls `invalidate()` after a 401. Follows client-go
 * transport/token_source.go (cached file token, re-read each minute, reset after a 401) and
 * plugin/pkg/client/auth/exec/exec.go (cached plugin result until expiry; one run at a time).
 */
import { readFile } from 'node:fs/promises';
import { realClock, type Clock } from '../../util/clock.js';
import { errorMessage } from '../../util/logger.js';
import { runExecPlugin, type ExecCredential, type RunExecOptions } from './exec-credential.js';
import type { RestConfig } from './rest-config.js';

export interface Credentials {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** A client certificate and key from an exec plugin (a kubeconfig's own are in `RestConfig.tls`). */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** base64 of `user:password`, sent as `Authorization: Basic <basic>`. */
  readonly basic?: string;
}

export interface CredentialProviderOptions {
  readonly clock?: Clock;
  /** Passed to the exec plugin run (timeout, base environment). */
  readonly exec?: Pick<RunExecOptions, 'timeoutMs' | 'env'>;
}

/** How long a token read from a file is used before the file is read again (token_source.go). */
export const TOKEN_FILE_TTL_MS = 60_000;

interface Cached<T> {
  readonly value: T;
  /** Clock time after which the value is stale; undefined means never. */
  readonly staleAfter: number | undefined;
}

export class CredentialProvider {
  private readonly clock: Clock;
  private readonly basic: string | undefined;
  /** The last good value; kept while a refresh is pending, and when a token file read fails. */
  private cached: Cached<Credentials> | undefined;
  /** The refresh in flight, shared by every caller that arrives meanwhile. */
  private pending: Promise<Credentials> | undefined;
  /**
   * Bumped by `invalidate()`: a refresh started before the bump still answers its callers but does
   * not refill the cache, so the next call after a 401 really goes back to the source.
   */
  private generation = 0;

  constructor(
    private readonly config: RestConfig,
    private readonly options: CredentialProviderOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    const auth = config.basicAuth;
    this.basic = auth !== undefined ? Buffer.from(`${auth.username}:${auth.password}`).toString('base64') : undefined;
  }

  /**
   * Precedence as client-go's transport builds it: a static token; else the token file; else
   * username/password; else the exec plugin — which, as in exec.go `UpdateTransportConfig`, is not
   * consulted when the config already has a client certificate.
   */
  credentials(): Promise<Credentials> {
    const { bearerToken, bearerTokenFile, exec, tls } = this.config;
    if (bearerToken !== undefined) return Promise.resolve({ token: bearerToken });
    if (bearerTokenFile === undefined && this.basic !== undefined) return Promise.resolve({ basic: this.basic });
    if (bearerTokenFile === undefined && (exec === undefined || tls?.cert !== undefined)) return Promise.resolve({});

    const cached = this.cached;
    if (cached !== undefined && (cached.staleAfter === undefined || this.clock.now() <= cached.staleAfter)) {
      return Promise.resolve(cached.value);
    }
    if (this.pending !== undefined) return this.pending;
    const generation = this.generation;
    const refresh = bearerTokenFile !== undefined ? this.readTokenFile(bearerTokenFile) : this.runPlugin();
    const pending = refresh
      .then((fresh) => {
        if (generation === this.generation) this.cached = fresh;
        return fresh.value;
      })
      .finally(() => {
        // A failure is not cached: the next caller starts a new refresh.
        if (this.pending === pending) this.pending = undefined;
      });
    this.pending = pending;
    return pending;
  }

  /** Forgets the cached token or plugin result; the REST client calls this after a 401. */
  invalidate(): void {
    this.generation++;
    this.cached = undefined;
    this.pending = undefined;
  }

  private async readTokenFile(path: string): Promise<Cached<Credentials>> {
    const staleAfter = this.clock.now() + TOKEN_FILE_TTL_MS;
    let token: string;
    try {
      token = (await readFile(path, 'utf8')).trim();
      if (token === '') throw new Error('the file is empty');
    } catch (error) {
      // token_source.go keeps using the previous token when a re-read fails: a rotation in
      // progress should not fail requests that the old token still authorizes.
      const previous = this.cached?.value;
      if (previous !== undefined) return { value: previous, staleAfter };
      throw new Error(`cannot read bearer token file ${path}: ${errorMessage(error)}`);
    }
    return { value: { token }, staleAfter };
  }

  private async runPlugin(): Promise<Cached<Credentials>> {
    const exec = this.config.exec;
    if (exec === undefined) throw new Error('no exec plugin configured');
    const credential: ExecCredential = await runExecPlugin(exec, { ...this.options.exec, cluster: this.config });
    const value: { token?: string; cert?: Buffer; key?: Buffer } = {};
    if (credential.token !== undefined) value.token = credential.token;
    if (credential.cert !== undefined && credential.key !== undefined) {
      value.cert = credential.cert;
      value.key = credential.key;
    }
    return { value, staleAfter: credential.expiresAt };
  }
}
