/**
 * @module
 * Opening the SQLite file safely, following SQLite's own advice (sqlite.org/pragma.html,
 * sqlite.org/howtocorrupt.html) and kine's lessons (../shared/reference/reliability.md §5):
 *
 * - `locking_mode=EXCLUSIVE` before WAL: this process takes the file's lock and holds it until it
 *   closes, so a second process gets a clear error instead of a second writer.
 * - `journal_mode=WAL` with `synchronous=FULL`, read back and logged: better-sqlite3 is built with
 *   WAL defaulting to NORMAL, which can lose acknowledged commits on power loss.
 * - `PRAGMA quick_check` at start, on a read-only connection; on corruption, refuse to start and say
 *   so. Nothing here deletes or rewrites the -wal or -shm files (deleting a hot WAL loses committed
 *   transactions), and the check runs read-only because closing a read-write connection would
 *   checkpoint the WAL into the damaged file.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../util/logger.js';
import { StorageError } from '../errors.js';
import { SCHEMA_VERSION, createSchema } from './schema.js';

export type SqliteDatabase = Database.Database;

/** Opens (creating if needed) the database at `path`, ready for the store, or throws Unavailable. */
export function openDatabase(path: string, logger: Logger): SqliteDatabase {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path)) checkIntegrity(path);
  let db: SqliteDatabase;
  try {
    db = new Database(path, { timeout: 250 });
  } catch (error) {
    throw refuse(path, `cannot open it: ${sqliteMessage(error)}`, error);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
    db.pragma('synchronous = FULL');
    const synchronous = db.pragma('synchronous', { simple: true });
    if (synchronous !== 2) throw new Error(`synchronous is ${String(synchronous)}, not FULL (2)`);
    // Take the write lock now and keep it (EXCLUSIVE mode never releases it) so a second process fails here.
    db.exec('BEGIN IMMEDIATE; COMMIT');
    const version = db.pragma('user_version', { simple: true });
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      throw refuse(path, `it was written by a newer kubelite (schema ${version}; this one knows ${SCHEMA_VERSION})`);
    }
    createSchema(db);
    // Bound the WAL file after checkpoints (kine #582: WAL growing without bound).
    db.pragma('journal_size_limit = 67108864');
    logger.info(
      `sqlite: ${path} journal_mode=wal synchronous=FULL locking_mode=exclusive quick_check=ok (SQLite ${sqliteVersion(db)})`,
    );
    return db;
  } catch (error) {
    db.close();
    throw explain(path, error);
  }
}

/** Runs `PRAGMA quick_check` on a read-only connection, which can neither write nor checkpoint. */
function checkIntegrity(path: string): void {
  let db: SqliteDatabase | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 250 });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw corrupt(path, `quick_check: ${String(check)}`);
  } catch (error) {
    throw explain(path, error);
  } finally {
    db?.close();
  }
}

/** A StorageError that says what went wrong with the file and what to do. */
function explain(path: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const code = sqliteCode(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return refuse(
      path,
      'another process has it open (kubelite allows one process per SQLite file). Stop the other kubelite, or give this one its own --data-dir',
      error,
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return corrupt(path, sqliteMessage(error), error);
  return refuse(path, sqliteMessage(error), error);
}

/** The SQLite result code of an error thrown by better-sqlite3 (e.g. SQLITE_BUSY), if any. */
export function sqliteCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

function sqliteMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sqliteVersion(db: SqliteDatabase): string {
  const row: unknown = db.prepare('SELECT sqlite_version() AS version').get();
  return typeof row === 'object' && row !== null && 'version' in row ? String(row.version) : 'unknown';
}

function refuse(path: string, why: string, cause?: unknown): StorageError {
  return new StorageError('Unavailable', `cannot use SQLite database ${path}: ${why}`, cause === undefined ? {} : { cause });
}

function corrupt(path: string, detail: string, cause?: unknown): StorageError {
  return refuse(
    path,
    `it is corrupt (${detail}). kubelite will not start on it and has changed nothing. ` +
      `Restore it from a backup; keep its -wal and -shm files with it and never delete them, as they may hold committed writes`,
    cause,
  );
}
