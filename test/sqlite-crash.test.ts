/**
 * Crash test for the SQLite backend: a child process serves 16 concurrent writers (creates, guarded
 * updates and deletes) while compacting, and is killed with SIGKILL at a random moment — in a third
 * of the rounds just as a compaction starts. 20 rounds on one file. After each kill the file is
 * opened again and checked: every acknowledged write is there with its revision and value (the
 * current state, and history down to the compacted revision), a write that was in flight is either
 * wholly there or wholly absent, the revision never went backwards, and the file is internally
 * consistent (integrity_check, every current key backed by its log row).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { after, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { seededRandom } from '../src/storage/testing/random.js';
import { silentLogger } from '../src/util/logger.js';

const ROUNDS = 20;
const fixture = fileURLToPath(new URL('./fixtures/crash-writer.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kubelite-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

type Op = 'create' | 'update' | 'delete';
interface KeyState {
  /** The acknowledged state: value and revision, or absent (value undefined). */
  value: string | undefined;
  revision: number;
  /** A write issued but not acknowledged when the process died. */
  pending: { readonly op: Op; readonly value: string | undefined } | undefined;
}
interface Ack {
  readonly op: Op;
  readonly key: string;
  readonly revision: number;
  readonly value: string | undefined;
}

/** Runs the writer until the kill; returns the complete lines it logged. */
async function runUntilKilled(path: string, seed: number, killDuringCompaction: boolean): Promise<string[]> {
  const random = seededRandom(seed * 7919);
  const logPath = join(dir, `round-${seed}.log`);
  const child = spawn(process.execPath, [fixture, path, logPath, String(seed)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = new LogTail(logPath);
  const started = Date.now();
  const killAfterMs = 150 + random() * 600;
  let opened = false;
  let compactions = 0;
  let compacting = false;
  // Watch the log for the moment to kill: a random time after open, or while a compaction runs.
  while (child.exitCode === null && child.signalCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const line of log.read()) {
      if (line.startsWith('open ')) opened = true;
      if (line.startsWith('compact ')) {
        compactions++;
        compacting = true;
      }
      if (line.startsWith('compacted ')) compacting = false;
    }
    if (!opened) continue;
    const due = killDuringCompaction ? compactions >= 3 && compacting : Date.now() - started > killAfterMs;
    if (due || Date.now() - started > 10_000) child.kill('SIGKILL');
  }
  await exited;
  log.read();
  return log.lines;
}

/** Reads a growing log file line by line; an unterminated last line is held back until complete. */
class LogTail {
  readonly lines: string[] = [];
  private offset = 0;
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly path: string) {}

  /** Returns the lines completed since the last call. */
  read(): string[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return [];
    }
    try {
      const chunk = Buffer.alloc(1 << 20);
      let text = '';
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, this.offset);
        if (n === 0) break;
        this.offset += n;
        text += this.decoder.write(chunk.subarray(0, n));
      }
      const lines = (this.partial + text).split('\n');
      this.partial = lines.pop() ?? '';
      this.lines.push(...lines);
      return lines;
    } finally {
      closeSync(fd);
    }
  }
}

it('acknowledged writes survive kill -9 at random moments, during compaction too, and nothing is half-written', async () => {
  const path = join(dir, 'crash.db');
  const keys = new Map<string, KeyState>();
  const acks: Ack[] = [];
  let highestRevision = 0;
  let compactKills = 0;

  for (let round = 1; round <= ROUNDS; round++) {
    const duringCompaction = round % 3 === 0;
    const lines = await runUntilKilled(path, round, duringCompaction);
    const context = `round ${round} (seed ${round}${duringCompaction ? ', killed as a compaction started' : ''})`;
    const opened = lines.find((l) => l.startsWith('open '));
    assert.ok(opened !== undefined, `${context}: the writer never opened the store`);
    assert.ok(Number(opened.split(' ')[1]) >= highestRevision, `${context}: the revision went backwards at open`);
    const lastStart = lines.findLastIndex((l) => l.startsWith('compact '));
    if (lastStart >= 0 && !lines.slice(lastStart).some((l) => l.startsWith('compacted '))) compactKills++;

    for (const line of lines) {
      const [kind, op, key, revisionOrValue, value] = line.split(' ');
      if (kind !== 'try' && kind !== 'ack') continue;
      if (key === undefined || revisionOrValue === undefined) throw new Error(`bad line: ${line}`);
      const state = keys.get(key) ?? { value: undefined, revision: 0, pending: undefined };
      keys.set(key, state);
      if (kind === 'try') {
        state.pending = { op: op as Op, value: revisionOrValue === '-' ? undefined : revisionOrValue };
      } else {
        const revision = Number(revisionOrValue);
        const written = value === '-' ? undefined : value;
        // Group commit settles a batch in revision order, so acknowledgements come in revision order.
        assert.ok(revision > (acks.at(-1)?.revision ?? 0), `${context}: acknowledged revision ${revision} is not above the last`);
        state.value = written;
        state.revision = revision;
        state.pending = undefined;
        acks.push({ op: op as Op, key, revision, value: written });
        highestRevision = Math.max(highestRevision, revision);
      }
    }

    const store = await openSqliteStore(path, { logger: silentLogger, compaction: false });
    try {
      const current = await store.currentRevision();
      assert.ok(current >= highestRevision, `${context}: current revision ${current} is below acknowledged ${highestRevision}`);
      highestRevision = current;
      for (const [key, state] of keys) {
        const stored = await store.get(key);
        const matchesAck = stored === undefined ? state.value === undefined : stored.value === state.value && stored.modRevision === state.revision;
        if (!matchesAck) {
          const pending = state.pending;
          const matchesPending =
            pending !== undefined &&
            (pending.op === 'delete' ? stored === undefined : stored !== undefined && stored.value === pending.value && stored.modRevision > state.revision);
          assert.ok(
            matchesPending,
            `${context}: ${key} holds ${stored === undefined ? 'nothing' : `revision ${stored.modRevision}`}, ` +
              `but the last acknowledged write left ${state.value === undefined ? 'nothing' : `revision ${state.revision}`}` +
              (pending === undefined ? '' : ` and the write in flight was a ${pending.op}`),
          );
          // The write in flight committed before the kill: it is now the state to keep checking.
          state.value = stored?.value;
          state.revision = stored?.modRevision ?? state.revision;
        }
        state.pending = undefined;
      }
      for (const ack of acks) {
        if (ack.revision < store.compactRevision) continue;
        const atRevision = await store.get(ack.key, { revision: ack.revision });
        assert.equal(atRevision?.value, ack.value, `${context}: ${ack.op} of ${ack.key} at revision ${ack.revision} is not in history`);
      }
    } finally {
      await store.close();
    }
    assertConsistentFile(path, context);
  }
  assert.ok(acks.length > ROUNDS * 50, `enough writes were acknowledged (${acks.length})`);
  assert.ok(compactKills > 0, 'at least one kill landed during a compaction');
});

/** integrity_check passes, the stored revision covers the log, and every current key has its log row. */
function assertConsistentFile(path: string, context: string): void {
  const db = new Database(path, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `${context}: integrity_check`);
    const revision = (db.prepare("SELECT value FROM meta WHERE name = 'revision'").get() as { value: number }).value;
    const maxLog = (db.prepare('SELECT MAX(revision) AS r FROM log').get() as { r: number | null }).r ?? 0;
    assert.ok(revision >= maxLog, `${context}: meta revision ${revision} is below the log's ${maxLog}`);
    const orphans = db
      .prepare('SELECT k.key FROM kv k LEFT JOIN log l ON l.revision = k.mod_revision AND l.key = k.key WHERE l.value IS NULL')
      .all();
    assert.deepEqual(orphans, [], `${context}: current keys without their log row`);
  } finally {
    db.close();
  }
}
