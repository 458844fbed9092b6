/**
 * @module
 * The SQLite schema and its prepared statements.
 *
 * - `log` is history: one row per revision (the revision is the rowid), holding the value written, or
 *   NULL for a delete, and `prev_revision`, the row this one replaced (0 for a create). A watch reads
 *   it in revision order; the previous value of an event is the row at `prev_revision`.
 * - `kv` is current state, kept apart from history so get and list never scan history: one small row
 *   per live key pointing at the log row that holds its value, plus its TTL.
 * - `meta` holds the current revision (so a revision is never reused, even when compaction has
 *   removed the newest rows' neighbours) and the compaction state.
 *
 * Compaction at revision C deletes every row at or below C that a later row at or below C replaced,
 * and every delete row at or below C. What remains of history at or below C is exactly the latest
 * version of each key as of C, so a read at any revision from C on is still answerable.
 */
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from './open-database.js';

export const SCHEMA_VERSION = 1;

export function createSchema(db: SqliteDatabase): void {
  db.exec(`
    BEGIN IMMEDIATE;
    CREATE TABLE IF NOT EXISTS meta (
      name TEXT PRIMARY KEY,
      value INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS log (
      revision INTEGER PRIMARY KEY,
      key TEXT NOT NULL,
      value TEXT,
      create_revision INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS kv (
      key TEXT PRIMARY KEY,
      create_revision INTEGER NOT NULL,
      mod_revision INTEGER NOT NULL,
      expires_at INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS kv_expires_at ON kv (expires_at) WHERE expires_at IS NOT NULL;
    INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 0), ('compact_revision', 0), ('compacted_through', 0);
    PRAGMA user_version = ${SCHEMA_VERSION};
    COMMIT;
  `);
}

/** A current key as read for a write decision or a get. */
export interface CurrentRow {
  readonly value: string;
  readonly create_revision: number;
  readonly mod_revision: number;
  readonly expires_at: number | null;
}

export interface ListRow {
  readonly key: string;
  readonly value: string;
  readonly create_revision: number;
  readonly mod_revision: number;
}

/** A log row joined with the row it replaced. */
export interface EventRow {
  readonly revision: number;
  readonly key: string;
  readonly value: string | null;
  readonly create_revision: number;
  readonly prev_revision: number;
  readonly prev_value: string | null;
  readonly prev_create_revision: number | null;
}

/** The first change to each key after a revision: its prev row is the key's state at that revision. */
export interface FirstChangeRow {
  readonly key: string;
  readonly revision: number;
  readonly prev_revision: number;
}

export interface VersionRow {
  readonly value: string | null;
  readonly create_revision: number;
}

export interface CompactRow {
  readonly revision: number;
  readonly prev_revision: number;
  readonly deleted: number;
}

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

/** Every statement the store runs, prepared once. */
export interface Statements {
  readonly begin: Statement<[]>;
  readonly commit: Statement<[]>;
  readonly rollback: Statement<[]>;
  readonly readMeta: Statement<[string], { value: number }>;
  readonly writeMeta: Statement<[number, string]>;
  readonly maxLogRevision: Statement<[], { revision: number | null }>;
  readonly current: Statement<[string], CurrentRow>;
  readonly insertLog: Statement<[number, string, string | null, number, number]>;
  readonly upsertKv: Statement<[string, number, number, number | null]>;
  readonly deleteKv: Statement<[string]>;
  readonly listRange: Statement<[string, string, number], ListRow>;
  readonly countRange: Statement<[string, string], { count: number }>;
  readonly events: Statement<[number, string, string, number], EventRow>;
  readonly firstChanges: Statement<[number, string, string], FirstChangeRow>;
  readonly version: Statement<[number], VersionRow>;
  readonly expired: Statement<[number, number], { key: string; mod_revision: number }>;
  readonly compactBatch: Statement<[number, number, number], CompactRow>;
  readonly deleteLog: Statement<[number]>;
}

export function prepareStatements(db: SqliteDatabase): Statements {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    readMeta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?'),
    writeMeta: db.prepare<[number, string]>('UPDATE meta SET value = ? WHERE name = ?'),
    maxLogRevision: db.prepare<[], { revision: number | null }>('SELECT MAX(revision) AS revision FROM log'),
    current: db.prepare<[string], CurrentRow>(
      `SELECT l.value AS value, k.create_revision, k.mod_revision, k.expires_at
       FROM kv k JOIN log l ON l.revision = k.mod_revision WHERE k.key = ?`,
    ),
    insertLog: db.prepare<[number, string, string | null, number, number]>(
      'INSERT INTO log (revision, key, value, create_revision, prev_revision) VALUES (?, ?, ?, ?, ?)',
    ),
    upsertKv: db.prepare<[string, number, number, number | null]>(
      `INSERT INTO kv (key, create_revision, mod_revision, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET create_revision = excluded.create_revision,
         mod_revision = excluded.mod_revision, expires_at = excluded.expires_at`,
    ),
    deleteKv: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
    listRange: db.prepare<[string, string, number], ListRow>(
      `SELECT k.key, l.value AS value, k.create_revision, k.mod_revision
       FROM kv k JOIN log l ON l.revision = k.mod_revision
       WHERE k.key >= ? AND k.key < ? ORDER BY k.key LIMIT ?`,
    ),
    countRange: db.prepare<[string, string], { count: number }>('SELECT COUNT(*) AS count FROM kv WHERE key >= ? AND key < ?'),
    events: db.prepare<[number, string, string, number], EventRow>(
      `SELECT l.revision, l.key, l.value, l.create_revision, l.prev_revision,
         p.value AS prev_value, p.create_revision AS prev_create_revision
       FROM log l LEFT JOIN log p ON p.revision = l.prev_revision
       WHERE l.revision > ? AND l.key >= ? AND l.key < ? ORDER BY l.revision LIMIT ?`,
    ),
    // SQLite takes the bare columns of a MIN() aggregate from the row holding the minimum.
    firstChanges: db.prepare<[number, string, string], FirstChangeRow>(
      `SELECT key, MIN(revision) AS revision, prev_revision FROM log
       WHERE revision > ? AND key >= ? AND key < ? GROUP BY key`,
    ),
    version: db.prepare<[number], VersionRow>('SELECT value, create_revision FROM log WHERE revision = ?'),
    expired: db.prepare<[number, number], { key: string; mod_revision: number }>(
      'SELECT key, mod_revision FROM kv WHERE expires_at <= ? ORDER BY expires_at LIMIT ?',
    ),
    compactBatch: db.prepare<[number, number, number], CompactRow>(
      `SELECT revision, prev_revision, value IS NULL AS deleted FROM log
       WHERE revision > ? AND revision <= ? ORDER BY revision LIMIT ?`,
    ),
    deleteLog: db.prepare<[number]>('DELETE FROM log WHERE revision = ?'),
  };
}
