/**
 * @module
 * The floor of the `client` suite's informer comparison: the least any Node.js informer over
 * JSON can do — one LIST, one watch from its resourceVersion, each line `JSON.parse`d and kept in a
 * Map by name. No retries, no queue, no indexes, no handlers beyond counting. What an informer
 * costs above this is its machinery; nothing can cost less.
 *
 * With `parse: false` it is the transport's floor for updates: the list is parsed as before (so it
 * syncs), but each watch line is only found and counted as an update, never parsed or kept — what
 * receiving the stream over node:http costs before any decoding.
 */
import { Agent, request } from 'node:http';
import type { InformerEvents, InformerUnderTest } from './client-informer.js';

export function startBareInformer(
  target: { readonly server: string; readonly namespace: string },
  events: InformerEvents,
  options: { readonly parse: boolean } = { parse: true },
): InformerUnderTest {
  const url = new URL(target.server);
  const agent = new Agent({ keepAlive: true });
  const path = `/api/v1/namespaces/${target.namespace}/pods`;
  const cache = new Map<string, unknown>();
  let synced = false;
  let watch: ReturnType<typeof request> | undefined;
  const get = (query: string, onText: (text: string) => void, onEnd: () => void): ReturnType<typeof request> => {
    const req = request({ host: url.hostname, port: url.port, path: `${path}?${query}`, agent }, (res) => {
      res.setEncoding('utf8');
      res.on('data', onText);
      res.on('end', onEnd);
      res.on('error', (error) => events.failed(error));
    });
    req.on('error', (error) => events.failed(error));
    req.end();
    return req;
  };
  let body = '';
  get('resourceVersion=0', (text) => (body += text), () => {
    const list = JSON.parse(body) as { metadata: { resourceVersion: string }; items: { metadata: { name: string } }[] };
    body = '';
    for (const item of list.items) cache.set(item.metadata.name, item);
    synced = true;
    for (let i = 0; i < list.items.length; i++) events.added();
    let partial = '';
    watch = get(`watch=1&resourceVersion=${list.metadata.resourceVersion}`, (chunk) => {
      const text = partial + chunk;
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        if (!options.parse) {
          start = end + 1;
          events.updated();
          continue;
        }
        const event = JSON.parse(text.slice(start, end)) as { type: string; object: { metadata: { name: string } } };
        start = end + 1;
        if (event.type === 'DELETED') {
          cache.delete(event.object.metadata.name);
          events.deleted();
        } else if (event.type !== 'BOOKMARK') {
          const had = cache.has(event.object.metadata.name);
          cache.set(event.object.metadata.name, event.object);
          if (had) events.updated();
          else events.added();
        }
      }
      partial = text.slice(start);
    }, () => undefined);
  });
  return {
    synced: () => synced,
    cached: () => cache.size,
    async stop() {
      watch?.destroy();
      agent.destroy();
    },
  };
}
