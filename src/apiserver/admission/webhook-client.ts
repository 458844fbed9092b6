/**
 * @module
 * Calls one webhook: POSTs an AdmissionReview as JSON over HTTPS and returns the decoded answer.
 * Like kube-apiserver's webhook client (k8s.io/apiserver pkg/util/webhook/client.go): the server's
 * certificate is checked against clientConfig.caBundle when given, else against the system roots;
 * `?timeout=<n>s` tells the webhook its deadline, which the call enforces; a redirect is never
 * followed (any non-2xx answer, 3xx included, is a failure).
 *
 * clientConfig.service: the request goes to `https://<name>.<namespace>.svc:<port><path>` — the
 * URL errors show, the Host header, and the name the certificate must be valid for (upstream sets
 * TLS ServerName so) — but the connection is made to the endpoint a {@link ServiceResolver} picks
 * (upstream's dialer resolves the service host the same way). A resolution failure is a failure to
 * call the webhook, worded as Go's client words a dial error. Without a resolver, a service webhook
 * fails with a reason saying so.
 *
 * Connections are kept alive and reused, as Go's transport (cached per client config by upstream's
 * ClientManager) does: one keep-alive agent per distinct caBundle, at most
 * {@link MAX_CACHED_AGENTS} of them, the least recently used destroyed when another is needed.
 * Idle sockets do not hold the process open and close after {@link IDLE_SOCKET_MS}.
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { ServiceResolver } from './service-resolver.js';
import type { ServiceReference, WebhookClientConfig } from './webhook.js';

/** Why a call failed; the dispatcher words it as `failed calling webhook "<name>": <reason>`. */
export class WebhookCallError extends Error {
  override readonly name = 'WebhookCallError';
}

/** The bytes of an answer we read at most (kube-apiserver's limit on webhook responses is similar). */
const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

/** Distinct caBundles whose agents are kept (upstream's client cache holds 512 clients). */
export const MAX_CACHED_AGENTS = 64;
/** How long an idle kept-alive connection stays open. */
export const IDLE_SOCKET_MS = 30_000;

/**
 * Keep-alive agents by caBundle (`''`: the system roots), least recently used first. An agent
 * evicted from the map is destroyed: its idle sockets close, and a call still using one finishes.
 */
export class AgentPool {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly capacity: number = MAX_CACHED_AGENTS) {}

  get(caBundle: string | undefined): Agent {
    const key = caBundle ?? '';
    let agent = this.agents.get(key);
    if (agent !== undefined) {
      this.agents.delete(key);
      this.agents.set(key, agent);
      return agent;
    }
    agent = new Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS, ...(caBundle === undefined ? {} : { ca: caBundle }) });
    this.agents.set(key, agent);
    while (this.agents.size > this.capacity) {
      const [oldestKey, oldest] = this.agents.entries().next().value as [string, Agent];
      this.agents.delete(oldestKey);
      oldest.destroy();
    }
    return agent;
  }

  /** How many agents are cached. */
  get size(): number {
    return this.agents.size;
  }

  /** Destroys every agent (their idle connections close). */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** The transport the dispatcher calls: one review out, one parsed JSON body back. */
export type WebhookTransport = (config: WebhookClientConfig, review: string, timeoutSeconds: number) => Promise<unknown>;

export interface HttpsTransportOptions {
  /** Finds the endpoint of a clientConfig.service. @defaultValue none: service webhooks fail */
  readonly resolveService?: ServiceResolver;
  /** The connections' agents. @defaultValue a pool of this transport's own */
  readonly agents?: AgentPool;
}

/** Where one call goes: the URL to connect to, and what upstream's client would name. */
interface Target {
  readonly connect: URL;
  /** The request URL as errors show it (the service URL for a service webhook). */
  readonly shown: string;
  /** The service's DNS name: TLS server name and Host header. */
  readonly serverName: string | undefined;
  readonly hostHeader: string | undefined;
}

/** The HTTPS transport, reaching service webhooks through `resolveService`. */
export function httpsTransportFor(options: HttpsTransportOptions = {}): WebhookTransport {
  const agents = options.agents ?? new AgentPool();
  return (config, review, timeoutSeconds) => {
    let target: Target;
    try {
      target = targetOf(config, timeoutSeconds, options.resolveService);
    } catch (error) {
      return Promise.reject(error);
    }
    return post(target, agents.get(config.caBundle), review, timeoutSeconds);
  };
}

/** The HTTPS transport for `url` webhooks only. */
export const httpsTransport: WebhookTransport = httpsTransportFor();

/**
 * The URL upstream's client posts to for a service reference, `?timeout` aside:
 * https://<name>.<namespace>.svc:<port><path>, the port always written, the path "/" when none.
 */
export function serviceUrl(service: ServiceReference): string {
  const path = service.path === undefined || service.path === '' ? '/' : service.path;
  return `https://${service.name}.${service.namespace}.svc:${service.port}${path}`;
}

function targetOf(config: WebhookClientConfig, timeoutSeconds: number, resolve: ServiceResolver | undefined): Target {
  const timeout = `${timeoutSeconds}s`;
  if (config.url !== undefined) {
    const connect = new URL(config.url);
    connect.searchParams.set('timeout', timeout);
    return { connect, shown: connect.toString(), serverName: undefined, hostHeader: undefined };
  }
  const service = config.service;
  if (service === undefined) throw new WebhookCallError('webhook configuration must have either service or URL');
  const serverName = `${service.name}.${service.namespace}.svc`;
  // Written out, not through URL, which would drop a port of 443.
  const shown = `${serviceUrl(service)}?timeout=${timeout}`;
  if (resolve === undefined) {
    throw new WebhookCallError(`failed to call webhook: Post ${JSON.stringify(shown)}: no service resolver: kubelite cannot reach clientConfig.service here`);
  }
  const resolved = resolve(service);
  if ('error' in resolved) throw new WebhookCallError(`failed to call webhook: Post ${JSON.stringify(shown)}: ${resolved.error}`);
  const connect = new URL(`https://${resolved.host}`);
  connect.pathname = new URL(serviceUrl(service)).pathname;
  connect.searchParams.set('timeout', timeout);
  return { connect, shown, serverName, hostHeader: `${serverName}:${service.port}` };
}

function post(target: Target, agent: Agent, review: string, timeoutSeconds: number): Promise<unknown> {
  const shown = `Post ${JSON.stringify(target.shown)}`;
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      reject(new WebhookCallError(`failed to call webhook: ${shown}: ${message}`));
    };
    const req = httpsRequest(
      target.connect,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'Content-Length': String(Buffer.byteLength(review)),
          ...(target.hostHeader === undefined ? {} : { Host: target.hostHeader }),
        },
        ...(target.serverName === undefined ? {} : { servername: target.serverName }),
        agent,
      },
      (res) => {
        const code = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            fail(`the response is larger than ${MAX_RESPONSE_BYTES} bytes`);
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error) => fail(error.message));
        res.on('end', () => {
          if (settled) return;
          const text = Buffer.concat(chunks).toString('utf8');
          if (code >= 300 && code < 400) return fail(`the server responded with the status code ${code} (a redirect, which is never followed)`);
          if (code < 200 || code >= 300) return fail(`the server responded with the status code ${code}: ${text.slice(0, 512)}`);
          try {
            const body: unknown = JSON.parse(text);
            settled = true;
            clearTimeout(timer);
            resolve(body);
          } catch (error) {
            fail(`the response is not JSON: ${error instanceof Error ? error.message : String(error)}`);
          }
        });
      },
    );
    const timer = setTimeout(() => {
      fail('context deadline exceeded');
      req.destroy();
    }, timeoutSeconds * 1000);
    req.on('error', (error) => {
      clearTimeout(timer);
      fail(error.message);
    });
    req.on('close', () => clearTimeout(timer));
    req.end(review);
  });
}
