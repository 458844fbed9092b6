/**
 * @module
 * `kubelite demo`: a short tour of the storage layer on the embedded SQLite file — writes, a watch
 * seeing them, a list, a compaction — showing that revisions carry on across runs.
 */
import { join } from 'node:path';
import type { Store } from '../storage/interface.js';
import { openSqliteStore } from '../storage/sqlite/sqlite-store.js';
import { changes, readUntil, untilChanges } from '../storage/testing/watch-reader.js';
import type { Logger } from '../util/logger.js';

export async function runStorageDemo(dataDir: string, out: Logger): Promise<void> {
  const path = join(dataDir, 'kubelite.db');
  const store: Store = await openSqliteStore(path, { logger: out, compaction: false });
  try {
    const start = await store.currentRevision();
    out.info(`storage: ${path}, at revision ${start}`);
    const prefix = '/registry/configmaps/demo';
    const watch = store.watch(prefix, start);
    const key = `${prefix}/greeting`;
    const created = await store.create(key, JSON.stringify({ data: { hello: 'world' } }));
    out.info(`create ${key} -> revision ${created.modRevision}`);
    const updated = await store.update(key, JSON.stringify({ data: { hello: 'kubelite' } }), {
      expectedRevision: created.modRevision,
    });
    out.info(`update (guarded by revision ${created.modRevision}) -> revision ${updated.modRevision}`);
    const listed = await store.list(prefix);
    out.info(`list ${prefix}/ -> ${listed.items.length} key(s) at revision ${listed.revision}`);
    const deleted = await store.delete(key, { expectedRevision: updated.modRevision });
    out.info(`delete -> revision ${deleted.revision}`);
    const seen = await readUntil(watch, untilChanges(3));
    watch.close();
    for (const event of changes(seen.events)) {
      out.info(`  watch saw ${event.type} at revision ${event.revision}`);
    }
    await store.compact(deleted.revision);
    out.info(`compacted history through revision ${deleted.revision}; run again and revisions carry on from there`);
  } finally {
    await store.close();
  }
}
