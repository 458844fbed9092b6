/**
 * @module
 * Opening a store from a URL, the form `kubelite apiserver --storage` takes (kine registers its
 * drivers by scheme the same way):
 *
 * - `sqlite://<path>` — embedded SQLite; `sqlite://data/kubelite.db` is relative,
 *   `sqlite:///var/lib/kubelite/kubelite.db` absolute.
 * - `etcd://<host:port>[,<host:port>…][/<key prefix>]` — a real etcd cluster over plain HTTP.
 * - `memory://` — in memory, for tests.
 */
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { ScheduledCompaction } from './compaction-schedule.js';
import { openEtcdStore } from './etcd/etcd-store.js';
import { invalidArgument } from './errors.js';
import type { Store } from './interface.js';
import { MemoryStore } from './memory/memory-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export interface OpenStoreOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly compaction?: ScheduledCompaction | false;
}

export type StoreLocation =
  | { readonly backend: 'sqlite'; readonly path: string }
  | { readonly backend: 'etcd'; readonly endpoints: readonly string[]; readonly keyPrefix: string }
  | { readonly backend: 'memory' };

/** Parses a storage URL; throws InvalidArgument with the accepted forms when it is not one. */
export function parseStoreUrl(url: string): StoreLocation {
  const match = /^([a-z]+):\/\/(.*)$/.exec(url);
  const [, scheme, rest = ''] = match ?? [];
  switch (scheme) {
    case 'sqlite':
      if (rest === '') break;
      return { backend: 'sqlite', path: rest };
    case 'memory':
      return { backend: 'memory' };
    case 'etcd': {
      const slash = rest.indexOf('/');
      const hosts = slash < 0 ? rest : rest.slice(0, slash);
      const keyPrefix = slash < 0 ? '' : rest.slice(slash).replace(/\/+$/, '');
      const endpoints = hosts.split(',').filter((h) => h !== '');
      if (endpoints.length === 0 || endpoints.some((h) => !/^[\w.-]+:\d+$/.test(h))) break;
      return { backend: 'etcd', endpoints: endpoints.map((h) => `http://${h}`), keyPrefix };
    }
    default:
      break;
  }
  throw invalidArgument(
    `unrecognised storage ${JSON.stringify(url)}: use sqlite://<file>, etcd://<host:port>[,<host:port>…][/<prefix>] or memory://`,
  );
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseStoreUrl(url);
  switch (location.backend) {
    case 'sqlite':
      return openSqliteStore(location.path, options);
    case 'etcd':
      return openEtcdStore({ ...options, endpoints: location.endpoints, keyPrefix: location.keyPrefix });
    case 'memory':
      return new MemoryStore(options);
    default: {
      const never: never = location;
      throw new Error(`unknown backend ${String(never)}`);
    }
  }
}
