/**
 * @module
 * The storage suite's anchors: what the stores are measured against, doing the same work with no
 * store in between.
 *
 * - SQLite: raw better-sqlite3 on a file with the store's durability pragmas (locking_mode=EXCLUSIVE,
 *   journal_mode=WAL, synchronous=FULL) and one table holding what a KeyValue holds. Every INSERT is
 *   its own (autocommit) transaction, so every write pays its own commit and fsync: the rate a store
 *   without group commit could reach at best.
 * - etcd: the raw `etcd3` client with its default options, on the same etcd as the store, reading the
 *   very keys the store wrote.
 */
import Database from 'better-sqlite3';
import { Etcd3 } from 'etcd3';
import { prefixEnd } from '../src/storage/keys.js';

/** A read anchor: the same get and list the store does, done directly. */
export interface ReadAnchor {
  readonly name: string;
  get(key: string): unknown;
  list(prefix: string): unknown;
  /** How many items `list` returned, to check that the anchor reads what the store reads. */
  count(prefix: string): Promise<number>;
}

export class RawSqlite implements ReadAnchor {
  readonly name = 'raw better-sqlite3';
  private readonly db: Database.Database;
  private readonly insertRow: Database.Statement<[string, string, number, number]>;
  private readonly getRow: Database.Statement<[string]>;
  private readonly listRows: Database.Statement<[string, string]>;
  private revision = 0;

  constructor(path: string) {
    this.db = new Database(path);
    // The store's order (open-database.ts): the lock mode before WAL.
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE kv (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      create_revision INTEGER NOT NULL,
      mod_revision INTEGER NOT NULL
    )`);
    this.insertRow = this.db.prepare('INSERT INTO kv (key, value, create_revision, mod_revision) VALUES (?, ?, ?, ?)');
    this.getRow = this.db.prepare('SELECT key, value, create_revision, mod_revision FROM kv WHERE key = ?');
    this.listRows = this.db.prepare(
      'SELECT key, value, create_revision, mod_revision FROM kv WHERE key >= ? AND key < ? ORDER BY key',
    );
  }

  /** One INSERT in its own transaction: one commit, one fsync. */
  insert(key: string, value: string): void {
    this.revision++;
    this.insertRow.run(key, value, this.revision, this.revision);
  }

  get(key: string): unknown {
    return this.getRow.get(key);
  }

  list(prefix: string): unknown[] {
    return this.listRows.all(prefix, prefixEnd(prefix));
  }

  async count(prefix: string): Promise<number> {
    return this.list(prefix).length;
  }

  close(): void {
    this.db.close();
  }
}

export class RawEtcd implements ReadAnchor {
  readonly name = 'raw etcd3 client';
  private readonly client: Etcd3;

  constructor(endpoints: readonly string[]) {
    this.client = new Etcd3({ hosts: [...endpoints] });
  }

  put(key: string, value: string): Promise<unknown> {
    return this.client.put(key).value(value).exec();
  }

  /**
   * A create as the etcd store sends it (and kube-apiserver): one transaction that puts the key only if
   * its mod_revision is 0. Not the suite's anchor, which is a plain put, but it separates what the
   * store adds from what a guarded create costs etcd.
   */
  create(key: string, value: string): Promise<unknown> {
    const physical = Buffer.from(key);
    return this.client.kv.txn({
      compare: [{ key: physical, target: 'Mod', result: 'Equal', mod_revision: 0 }],
      success: [{ request_put: { key: physical, value: Buffer.from(value) } }],
    });
  }

  get(key: string): Promise<string | null> {
    return this.client.get(key).string();
  }

  list(prefix: string): Promise<Record<string, string>> {
    return this.client.getAll().prefix(prefix).strings();
  }

  async count(prefix: string): Promise<number> {
    return Object.keys(await this.list(prefix)).length;
  }

  close(): void {
    this.client.close();
  }
}

