/**
 * @module
 * The connection pool behind the REST client: a keep-alive node:http or node:https agent for the
 * server's URL, with the TLS settings of the config (CA, client certificate, insecure-skip-verify,
 * server name) — or, for an API server in the same process, an agent whose connections are
 * in-memory sockets from {@link InProcessConnector}.
 */
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import type { InProcessConnector } from '../../api/transport.js';
import type { TlsConfig } from '../config/rest-config.js';

/** Sockets kept per agent: enough for many parallel requests plus long-lived watches. */
const MAX_SOCKETS = 256;

/**
 * Idle sockets are kept up to the same number: a controller creating pods in bursts of hundreds
 * (slow-start batches) would otherwise close most connections after each burst and open them again
 * for the next.
 */
const POOL: AgentOptions = { keepAlive: true, keepAliveMsecs: 30_000, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS, scheduling: 'lifo' };

/** An agent whose every connection is a new in-process connection to the server. */
class InProcessAgent extends HttpAgent {
  constructor(private readonly connector: InProcessConnector) {
    super(POOL);
  }

  override createConnection(): Duplex {
    return this.connector.connect();
  }
}

export interface AgentSettings {
  readonly url: URL;
  readonly tls?: TlsConfig;
  /** Client certificate and key from credentials (an exec plugin), overriding the config's. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly inProcess?: InProcessConnector;
}

export function makeAgent(settings: AgentSettings): HttpAgent {
  if (settings.inProcess !== undefined) return new InProcessAgent(settings.inProcess);
  if (settings.url.protocol === 'http:') return new HttpAgent(POOL);
  if (settings.url.protocol !== 'https:') {
    throw new Error(`the server URL ${settings.url.href} must start with https:// or http://`);
  }
  const tls = settings.tls ?? {};
  const cert = settings.cert ?? tls.cert;
  const key = settings.key ?? tls.key;
  return new HttpsAgent({
    ...POOL,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    rejectUnauthorized: tls.insecureSkipTlsVerify !== true,
    ...(tls.serverName === undefined ? {} : { servername: tls.serverName }),
  });
}
