/**
 * What the SQLite backend promises beyond the shared contract: durability across reopen, one process
 * per file, refusal on corruption without touching the WAL, group commit, TTLs and interrupted
 * compactions that survive a restart, and reads that never scan history.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isStorageError } from '../src/storage/errors.js';
import { openSqliteStore, type SqliteStoreOptions } from '../src/storage/sqlite/sqlite-store.js';
import { changes, readUntil, untilChanges } from '../src/storage/testing/watch-reader.js';
import { FakeClock } from '../src/util/fake-clock.js';
import { silentLogger } from '../src/util/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'kubelite-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = (): string => join(dir, `db-${++n}.db`);
const open = (path: string, options: SqliteStoreOptions = {}) =>
  openSqliteStore(path, { logger: silentLogger, compaction: false, ...options });
const fixture = fileURLToPath(new URL('./fixtures/hold-sqlite.js', import.meta.url));

/** Starts the fixture and resolves once it has printed `line`. */
function startHolder(path: string, mode = 'hold', line = 'ready'): Promise<ChildProcess> {
  const child = spawn(process.execPath, [fixture, path, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.split('\n').includes(line)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
  });
}

/** Overwrites `length` bytes of `path` at `offset` with a pattern. */
function garble(path: string, offset: number, length: number): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  closeSync(fd);
}

async function refusedAsCorrupt(path: string): Promise<void> {
  const error = await open(path).then(
    (store) => store.close().then(() => assert.fail('the store opened on a corrupt file')),
    (e: unknown) => e,
  );
  assert.ok(isStorageError(error, 'Unavailable'), String(error));
  assert.match(error.message, /is corrupt/);
  assert.match(error.message, /never delete/);
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('sqlite store', () => {
  it('keeps every write and its revision across close and reopen, and carries on from there', async () => {
    const path = freshPath();
    const first = await open(path);
    const written = [];
    for (let i = 0; i < 20; i++) written.push(await first.create(`/registry/cm/ns/k${i}`, `v${i}`));
    await first.delete('/registry/cm/ns/k0');
    const revision = await first.currentRevision();
    await first.close();
    const second = await open(path);
    assert.equal(await second.currentRevision(), revision);
    assert.deepEqual((await second.list('/registry/cm/ns')).items, written.slice(1).sort((a, b) => (a.key < b.key ? -1 : 1)));
    const next = await second.create('/registry/cm/ns/new', 'v');
    assert.ok(next.modRevision > revision);
    await second.close();
  });

  it('refuses a second process on the same file with a clear message', async () => {
    const path = freshPath();
    const holder = await startHolder(path);
    try {
      await assert.rejects(open(path), (error) => {
        assert.ok(isStorageError(error, 'Unavailable'));
        assert.match(error.message, /another process has it open/);
        return true;
      });
    } finally {
      await kill(holder);
    }
    const reopened = await open(path);
    await reopened.close();
  });

  it('refuses to start when quick_check finds corruption, and says so', async () => {
    const path = freshPath();
    const store = await open(path);
    for (let i = 0; i < 200; i++) await store.create(`/registry/cm/ns/k${i}`, 'x'.repeat(2000));
    await store.close();
    const size = statSync(path).size;
    garble(path, Math.floor(size / 4096 / 2) * 4096, 8 * 4096); // eight pages in the middle
    await refusedAsCorrupt(path);
    assert.equal(statSync(path).size, size, 'the file is left as it was');
  });

  it('refuses to start on a damaged file with a hot WAL, and leaves the WAL untouched', async () => {
    const path = freshPath();
    const writer = await startHolder(path, 'write', 'written');
    await kill(writer);
    assert.ok(existsSync(`${path}-wal`), 'the killed writer left a WAL behind');
    const walSize = statSync(`${path}-wal`).size;
    const size = statSync(path).size;
    // The big values were checkpointed into the main file early on and never written again, so the
    // WAL holds no newer copy of these pages.
    garble(path, Math.floor(size / 4 / 4096) * 4096, Math.floor(size / 2 / 4096) * 4096);
    await refusedAsCorrupt(path);
    assert.ok(existsSync(`${path}-wal`), 'the WAL is still there');
    assert.equal(statSync(`${path}-wal`).size, walSize, 'the WAL is untouched');
  });

  it('commits writes that arrive together in one transaction', async () => {
    const store = await open(freshPath());
    const before = store.stats.commits;
    const created = await Promise.all(Array.from({ length: 64 }, (_, i) => store.create(`/registry/cm/ns/k${i}`, 'v')));
    const commits = store.stats.commits - before;
    assert.ok(commits <= 2, `64 concurrent writes took ${commits} commits`);
    assert.equal(new Set(created.map((kv) => kv.modRevision)).size, 64, 'each write still has its own revision');
    await store.close();
  });

  it('acknowledges a commit, shows it to readers and sends its events only once its WAL sync is done; writes meanwhile form the next group', async () => {
    let release: () => void = () => undefined;
    let held = false;
    const store = await open(freshPath(), {
      afterWalSync: () => {
        if (!held) return Promise.resolve();
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    const base = await store.create('/registry/cm/ns/base', 'v0');
    const watch = store.watch('/registry/cm/ns', base.modRevision);
    held = true;
    let acknowledged = false;
    const write = store.create('/registry/cm/ns/a', 'v1').then((kv) => {
      acknowledged = true;
      return kv;
    });
    // The write is committed at the next turn of the loop; then its sync is held.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(acknowledged, false, 'the write was acknowledged before its sync');
    let readDone = false;
    const read = store.get('/registry/cm/ns/a').then((kv) => {
      readDone = true;
      return kv;
    });
    const later = Promise.all([store.create('/registry/cm/ns/b', 'v2'), store.create('/registry/cm/ns/c', 'v3')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(readDone, false, 'a read saw the commit before its sync');
    assert.equal(store.revision, base.modRevision, 'the current revision moved before the sync');
    held = false;
    const commitsBefore = store.stats.commits;
    release();
    const created = await write;
    assert.equal((await read)?.modRevision, created.modRevision, 'the read waited for the sync and sees the write');
    await later;
    assert.equal(store.stats.commits - commitsBefore, 2, 'the writes made during the sync were committed as one group after it');
    const recording = await readUntil(watch, untilChanges(3));
    watch.close();
    assert.deepEqual(changes(recording.events).map((e) => (e.type === 'DELETED' ? e.key : e.kv.key)), ['/registry/cm/ns/a', '/registry/cm/ns/b', '/registry/cm/ns/c']);
    await store.close();
  });

  it('expires a TTL key that outlived a restart, with its own delete event', async () => {
    const path = freshPath();
    const clock = new FakeClock();
    const first = await open(path, { clock });
    const created = await first.create('/registry/events/ns/e', 'event', { ttlSeconds: 60 });
    await first.create('/registry/events/ns/keep', 'event');
    await first.close();
    await clock.step(61_000);
    const second = await open(path, { clock });
    const watch = second.watch('/registry/events/ns', created.modRevision);
    const recording = await readUntil(watch, untilChanges(2));
    watch.close();
    const deleted = changes(recording.events)[1];
    assert.equal(deleted?.type, 'DELETED');
    assert.equal(deleted?.type === 'DELETED' ? deleted.key : '', '/registry/events/ns/e');
    assert.equal(await second.get('/registry/events/ns/e'), undefined);
    assert.notEqual(await second.get('/registry/events/ns/keep'), undefined);
    await second.close();
  });

  it('finishes an interrupted compaction when it is opened again', async () => {
    const path = freshPath();
    const first = await open(path, { compactionBatchSize: 10 });
    await first.create('/registry/cm/ns/hot', 'v0');
    for (let i = 1; i < 300; i++) await first.update('/registry/cm/ns/hot', `v${i}`);
    const compacting = first.compact(await first.currentRevision());
    await first.close();
    await compacting;
    const logRows = (): number => {
      const db = new Database(path, { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM log').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    assert.ok(logRows() > 1, 'closing stopped the compaction part-way');
    const second = await open(path, { compactionBatchSize: 10 });
    await second.compact(second.compactRevision); // waits for the compaction resumed at open
    await second.close();
    assert.equal(logRows(), 1, 'only the latest version is left');
    const third = await open(path);
    assert.equal((await third.get('/registry/cm/ns/hot'))?.value, 'v299');
    await third.close();
  });

  it('keeps the WAL file bounded under sustained writes', async () => {
    const path = freshPath();
    const store = await open(path);
    const value = 'x'.repeat(30_000);
    let largest = 0;
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.update(`/registry/cm/ns/k${i}`, `${round}${value}`).catch(() => store.create(`/registry/cm/ns/k${i}`, value))));
      largest = Math.max(largest, statSync(`${path}-wal`).size);
    }
    await store.compact(await store.currentRevision());
    await store.close();
    // 30 MB went through the WAL; SQLite's automatic checkpoints (every 1,000 pages) keep reusing it.
    assert.ok(largest < 16 * 1024 * 1024, `the WAL grew to ${largest} bytes`);
    assert.ok(!existsSync(`${path}-wal`) || statSync(`${path}-wal`).size === 0, 'a clean close leaves no WAL to replay');
  });

  it('serves get and list from current state without scanning history', async () => {
    const path = freshPath();
    const store = await open(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    const plan = (sql: string, ...params: unknown[]): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail).join('; ');
    const current = plan('SELECT l.value FROM kv k JOIN log l ON l.revision = k.mod_revision WHERE k.key = ?', '/a');
    const list = plan(
      'SELECT k.key, l.value FROM kv k JOIN log l ON l.revision = k.mod_revision WHERE k.key >= ? AND k.key < ? ORDER BY k.key LIMIT ?',
      '/a/',
      '/a0',
      10,
    );
    db.close();
    for (const detail of [current, list]) {
      assert.doesNotMatch(detail, /SCAN (l|log)\b/, detail);
      assert.match(detail, /SEARCH l USING INTEGER PRIMARY KEY/, detail);
    }
  });
});
