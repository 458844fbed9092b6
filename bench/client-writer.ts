/**
 * @module
 * The `client` suite's writes through the API, made from the suite's own process (neither the
 * server's nor an informer's): single requests to set up the data, and passes of merge patches that
 * give every informer the same stream of MODIFIED events to process.
 */
import { Agent, request as httpRequest } from 'node:http';
import { PODS_PATH } from './api-pods.js';

export interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One request to the server on loopback; the whole answer. */
export function send(agent: Agent | false, port: number, method: string, path: string, body?: string, contentType = 'application/json'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const request = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Merge-patches an annotation to `value` on pods `${prefix}0` … `${prefix}${count - 1}`, `clients`
 * requests in flight on keep-alive connections. Each patch changes the pod, so each is one MODIFIED
 * event for every watcher. Any answer but 200 fails the run.
 */
export async function patchPods(port: number, arg: { readonly prefix: string; readonly count: number; readonly value: string; readonly clients: number }): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: arg.clients });
  const body = JSON.stringify({ metadata: { annotations: { 'bench.kubelite.io/update': arg.value } } });
  let next = 0;
  const client = async (): Promise<void> => {
    for (let i = next++; i < arg.count; i = next++) {
      const reply = await send(agent, port, 'PATCH', `${PODS_PATH}/${arg.prefix}${i}`, body, 'application/merge-patch+json');
      if (reply.status !== 200) throw new Error(`patch pod ${arg.prefix}${i}: HTTP ${reply.status}: ${reply.body.slice(0, 200)}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: arg.clients }, client));
  } finally {
    agent.destroy();
  }
}
