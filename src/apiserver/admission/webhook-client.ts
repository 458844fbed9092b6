/**
 * @module
 * Calls one webhook: POSTs an AdmissionReview as JSON over HTTPS and returns the decoded answer.
 * Like kube-apiserver's webhook client (k8s.io/apiserver pkg/util/webhook/client.go): the server's
 * certificate is checked against clientConfig.caBundle when given, else against the system roots;
 * `?timeout=<n>s` tells the webhook its deadline, which the call enforces; a redirect is never
 * followed (any non-2xx answer, 3xx included, is a failure).
 *
 * clientConfig.service cannot be reached here: kubelite has no cluster network or DNS, so a
 * Service's name or clusterIP leads nowhere. Such a webhook fails at call time with a clear reason
 * (its failurePolicy then decides), and `url` is the way to configure one.
 */
import { request as httpsRequest } from 'node:https';
import type { WebhookClientConfig } from './webhook.js';

/** Why a call failed; the dispatcher words it as `failed calling webhook "<name>": <reason>`. */
export class WebhookCallError extends Error {
  override readonly name = 'WebhookCallError';
}

/** The bytes of an answer we read at most (kube-apiserver's limit on webhook responses is similar). */
const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

/** The transport the dispatcher calls: one review out, one parsed JSON body back. */
export type WebhookTransport = (config: WebhookClientConfig, review: string, timeoutSeconds: number) => Promise<unknown>;

/** The HTTPS transport. */
export const httpsTransport: WebhookTransport = (config, review, timeoutSeconds) => {
  if (config.url === undefined) {
    const service = config.service;
    const name = service === undefined ? 'none' : `${service.namespace}/${service.name}`;
    return Promise.reject(
      new WebhookCallError(
        `failed to call webhook: clientConfig.service (${name}) is not supported: kubelite has no cluster network to reach Services; use clientConfig.url`,
      ),
    );
  }
  const target = new URL(config.url);
  target.searchParams.set('timeout', `${timeoutSeconds}s`);
  const shown = `Post ${JSON.stringify(target.toString())}`;
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      reject(new WebhookCallError(`failed to call webhook: ${shown}: ${message}`));
    };
    const req = httpsRequest(
      target,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(Buffer.byteLength(review)) },
        ...(config.caBundle === undefined ? {} : { ca: config.caBundle }),
        agent: false,
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
};
