/**
 * @module
 * Durable commits without blocking the event loop. With `synchronous=FULL`, SQLite fsyncs the WAL
 * inside every COMMIT, and better-sqlite3 runs COMMIT on the event loop's thread: under a stream of
 * small commits (clients over TCP, each request its own turn of the loop) most of the API server's
 * time went to waiting on the disk.
 *
 * So the store commits with `synchronous=OFF` — SQLite writes the WAL frames to the file and does not
 * sync — and then syncs the WAL file itself with fdatasync on libuv's thread pool, acknowledging the
 * commit's writes only when that returns. The acknowledgement promise is the same as FULL's: a write
 * is reported done only once its WAL frames are on disk. A crash in between loses only writes nobody
 * was told about, and the WAL's checksummed frames make recovery stop at the last whole transaction.
 *
 * What `synchronous=OFF` also turns off is the syncing around checkpoints, which copy the WAL into
 * the database file and let the WAL be overwritten; without a sync of the database file first, a
 * power loss could lose both copies. So automatic checkpoints are off (`wal_autocheckpoint=0`) and
 * the store checkpoints itself through {@link WalSync.checkpoint}, under `synchronous=FULL`, which
 * syncs the WAL before copying and the database file before the WAL may be reused
 * (sqlite.org/wal.html, "Checkpointing"; sqlite.org/pragma.html#pragma_synchronous).
 */
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqliteDatabase } from './open-database.js';

/** Bytes written through the WAL between checkpoints: about SQLite's default of 1,000 pages. */
export const CHECKPOINT_BYTES = 4 * 1024 * 1024;

export class WalSync {
  private fd: number | undefined;

  /** Switches `db` (in WAL mode) to commits without sync and manual checkpoints. */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly path: string,
  ) {
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('synchronous = OFF');
  }

  /** Resolves once everything committed so far is on disk. */
  sync(): Promise<void> {
    const fd = this.walFd();
    return new Promise((resolve, reject) => {
      fdatasync(fd, (error) => (error === null ? resolve() : reject(error)));
    });
  }

  /** Copies the WAL into the database file with FULL's syncs (see the module doc). Synchronous. */
  checkpoint(mode: 'PASSIVE' | 'TRUNCATE'): void {
    this.db.pragma('synchronous = FULL');
    try {
      this.db.pragma(`wal_checkpoint(${mode})`);
    } finally {
      this.db.pragma('synchronous = OFF');
    }
  }

  /** Back to `synchronous=FULL` (for the commits and checkpoint of a close), and the WAL's descriptor closed. */
  close(): void {
    this.db.pragma('synchronous = FULL');
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * The WAL file, opened on first use (SQLite creates it with the first write). fdatasync of any
   * descriptor of a file flushes the file's data, whoever wrote it. The directory is synced once,
   * so the WAL's own entry survives a power loss too.
   */
  private walFd(): number {
    if (this.fd === undefined) {
      this.fd = openSync(`${this.path}-wal`, 'r+');
      const dir = openSync(dirname(this.path), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    }
    return this.fd;
  }
}
