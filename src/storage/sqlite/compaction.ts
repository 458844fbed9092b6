/**
 * @module
 * Deleting compacted history from the SQLite log in small transactions (kine PR #613: one big
 * compaction transaction locks writers out). Each batch deletes the rows replaced by the batch's rows
 * and the batch's delete rows, records how far it got in `meta.compacted_through`, and yields to the
 * event loop so group commits run between batches. An interrupted compaction resumes from there.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { SqliteDatabase } from './open-database.js';
import type { Statements } from './schema.js';

export interface CompactLogOptions {
  readonly batchSize: number;
  /** Stops between batches (progress is saved; the next open resumes). */
  readonly signal: AbortSignal;
}

/** Removes every log row at or below `revision` that a later row at or below it replaced. */
export async function compactLog(db: SqliteDatabase, s: Statements, revision: number, options: CompactLogOptions): Promise<void> {
  let through = s.readMeta.get('compacted_through')?.value ?? 0;
  const deleteBatch = db.transaction((upTo: number, rows: readonly { revision: number; prev_revision: number; deleted: number }[]) => {
    for (const row of rows) {
      if (row.prev_revision > 0) s.deleteLog.run(row.prev_revision);
      if (row.deleted) s.deleteLog.run(row.revision);
    }
    s.writeMeta.run(upTo, 'compacted_through');
  });
  while (through < revision && !options.signal.aborted) {
    const rows = s.compactBatch.all(through, revision, options.batchSize);
    const upTo = rows.length < options.batchSize ? revision : (rows[rows.length - 1]?.revision ?? revision);
    deleteBatch(upTo, rows);
    through = upTo;
    await yieldToEventLoop();
  }
}
