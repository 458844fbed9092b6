/**
 * @module
 * The embedded SQLite backend (better-sqlite3), the default store: durable in one file.
 *
 * Writes are group-committed: every write that arrives before the next turn of the event loop joins
 * one `BEGIN IMMEDIATE … COMMIT` transaction, so concurrent writers share one fsync. Each write in the
 * batch still gets its own revision and its own outcome (one failing guard does not fail the others).
 *
 * A commit is made durable off the event loop (wal-sync.ts): COMMIT writes the WAL frames, then the
 * WAL file is fdatasync'd on libuv's thread pool. A write's promise resolves only after that sync, so
 * an acknowledged write survives a crash or power loss; then, in the same synchronous turn, its events
 * go to watchers — pushed from the write path, never polled. One commit is synced at a time: writes
 * arriving meanwhile wait and form the next, larger, group. Reads wait for a sync in progress, so
 * nothing a reader or watcher sees can be lost: they see acknowledged writes only.
 *
 * One process owns the file (see open-database.ts), so the current revision lives in memory and in
 * `meta`; reads run on the same connection and see exactly the committed state.
 */
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, errorMessage, stderrLogger } from '../../util/logger.js';
import { runPeriodically } from '../../util/periodic.js';
import { type ScheduledCompaction, runCompactionSchedule } from '../compaction-schedule.js';
import { StorageError, futureRevision, unavailable } from '../errors.js';
import type {
  ChangeEvent,
  DeleteOptions,
  DeleteResult,
  GetOptions,
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  UpdateOptions,
  Watch,
  WatchOptions,
  WriteOptions,
} from '../interface.js';
import { compareKeys, validateKey } from '../keys.js';
import { checkReadRevision, listPage, planList } from '../list-plan.js';
import { type EventSource, LocalWatchHub } from '../local-watch-hub.js';
import {
  type WriteOp,
  type WriteOutcome,
  checkWrite,
  createOp,
  decideWrite,
  deleteOp,
  deleteResult,
  putResult,
  updateOp,
} from '../write-op.js';
import { compactLog } from './compaction.js';
import { type SqliteDatabase, openDatabase, sqliteCode } from './open-database.js';
import { type EventRow, type Statements, prepareStatements } from './schema.js';
import { CHECKPOINT_BYTES, WalSync } from './wal-sync.js';

export interface SqliteStoreOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** @defaultValue 5000 */
  readonly progressNotifyIntervalMs?: number;
  /** How often expired TTL keys are deleted. @defaultValue 1000 */
  readonly ttlSweepIntervalMs?: number;
  /** Scheduled compaction; false turns it off. @defaultValue every 5 minutes, keeping 5 minutes */
  readonly compaction?: ScheduledCompaction | false;
  /** Log rows deleted per compaction transaction. @defaultValue 500 */
  readonly compactionBatchSize?: number;
  /** Called as each compaction starts (crash tests use it to kill mid-compaction). */
  readonly onCompactionStart?: (revision: number) => void;
  readonly maxQueuedEvents?: number;
  readonly maxQueuedBytes?: number;
  /**
   * Awaited after each WAL sync, before its writes are acknowledged: tests hold it to look into the
   * window between a commit and its acknowledgement.
   */
  readonly afterWalSync?: () => Promise<void>;
}

/** Writes per transaction, so one commit never holds the event loop for long. */
const MAX_BATCH_WRITES = 1000;

/** Counters for metrics and tests. */
export interface SqliteStoreStats {
  /** Write transactions committed (group commits). */
  readonly commits: number;
  /** Writes acknowledged (including rejected and unchanged ones). */
  readonly writes: number;
}

interface PendingWrite {
  readonly op: WriteOp;
  readonly resolve: (outcome: WriteOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/** A committed group of writes, waiting for its WAL sync to be acknowledged. */
interface CommittedBatch {
  readonly batch: readonly PendingWrite[];
  readonly outcomes: readonly WriteOutcome[];
  readonly events: ChangeEvent[];
  readonly revision: number;
  /** About how many bytes went through the WAL. */
  readonly bytes: number;
}

/** Opens the store on the SQLite file at `path` (created if missing). */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const logger = options.logger ?? stderrLogger;
  return new SqliteStore(path, openDatabase(path, logger), { ...options, logger });
}

export class SqliteStore implements Store, EventSource {
  readonly backend = 'sqlite';
  private revision_: number;
  private compactRevision_: number;
  private readonly statements: Statements;
  private readonly hub: LocalWatchHub;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private readonly stop = new AbortController();
  private readonly background: Promise<unknown>;
  private compaction: Promise<void> = Promise.resolve();
  private closing = false;
  private commits = 0;
  private writes = 0;
  private readonly walSync: WalSync;
  /** The sync of the last commit, while it runs; no other commit starts meanwhile. */
  private syncing: Promise<void> | undefined;
  /** Why the store stopped taking writes: a WAL sync failed, so what is on disk is unknown. */
  private broken: StorageError | undefined;
  private bytesSinceCheckpoint = 0;

  /** Use {@link openSqliteStore}. */
  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    private readonly options: SqliteStoreOptions & { readonly logger: Logger },
  ) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger;
    this.statements = prepareStatements(db);
    this.walSync = new WalSync(db, path);
    const meta = (name: string): number => this.statements.readMeta.get(name)?.value ?? 0;
    // The stored revision never lags the log; the log's maximum is a second witness.
    this.revision_ = Math.max(meta('revision'), this.statements.maxLogRevision.get()?.revision ?? 0);
    this.compactRevision_ = meta('compact_revision');
    this.hub = new LocalWatchHub(this, {
      clock: this.clock,
      logger: this.logger,
      progressNotifyIntervalMs: options.progressNotifyIntervalMs ?? 5000,
      ...(options.maxQueuedEvents === undefined ? {} : { maxQueuedEvents: options.maxQueuedEvents }),
      ...(options.maxQueuedBytes === undefined ? {} : { maxQueuedBytes: options.maxQueuedBytes }),
    });
    const { signal } = this.stop;
    if (meta('compacted_through') < this.compactRevision_) {
      // A compaction was interrupted (crash or shutdown): finish it.
      this.compaction = this.runCompaction(this.compactRevision_);
    }
    this.background = Promise.all([
      this.hub.run(signal),
      runPeriodically(() => this.expire(), {
        clock: this.clock,
        logger: this.logger,
        signal,
        intervalMs: options.ttlSweepIntervalMs ?? 1000,
        name: 'TTL expiry',
        runFirst: true,
      }),
      runCompactionSchedule(this, options.compaction, { clock: this.clock, logger: this.logger, signal }),
    ]);
    this.logger.info(`sqlite: opened at revision ${this.revision_} (compacted through ${this.compactRevision_}); commits are synced off the event loop before they are acknowledged`);
  }

  get revision(): number {
    return this.revision_;
  }

  get stats(): SqliteStoreStats {
    return { commits: this.commits, writes: this.writes };
  }

  get compactRevision(): number {
    return this.compactRevision_;
  }

  async get(key: string, options: GetOptions = {}): Promise<KeyValue | undefined> {
    validateKey(key);
    await this.durable();
    this.checkOpen();
    const revision = checkReadRevision(options.revision ?? 0, this.revision_, this.compactRevision_);
    return this.read(() => {
      if (revision !== this.revision_) {
        const changed = this.stateAt(key, `${key}\0`, revision);
        if (changed.has(key)) return changed.get(key);
      }
      return this.currentKv(key);
    });
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const plan = planList(prefix, options);
    await this.durable();
    this.checkOpen();
    const revision = checkReadRevision(plan.revision, this.revision_, this.compactRevision_, plan);
    return this.read(() => {
      const { start, end, limit } = plan;
      const changed = revision === this.revision_ ? new Map<string, KeyValue | undefined>() : this.stateAt(start, end, revision);
      // A changed key can displace at most one current row, so this many rows cover the page.
      const rows = this.statements.listRange.all(start, end, limit > 0 ? limit + changed.size : -1);
      let items: KeyValue[] = [];
      for (const row of rows) {
        if (!changed.has(row.key)) {
          items.push({ key: row.key, value: row.value, createRevision: row.create_revision, modRevision: row.mod_revision });
        }
      }
      let existedThen = 0;
      let existsNow = 0;
      for (const [key, kv] of changed) {
        if (kv !== undefined) {
          items.push(kv);
          existedThen++;
        }
        if (this.statements.current.get(key) !== undefined) existsNow++;
      }
      if (changed.size > 0) items.sort((a, b) => compareKeys(a.key, b.key));
      // Fewer items than the limit means the range ran out: nothing remains.
      if (limit === 0 || items.length < limit) return listPage(plan, revision, items, 0);
      items = items.slice(0, limit);
      // Keys in [start, end) at the list's revision: today's, minus the changed ones that exist
      // today, plus the changed ones that existed then.
      const total = (this.statements.countRange.get(start, end)?.count ?? 0) - existsNow + existedThen;
      return listPage(plan, revision, items, total - items.length);
    });
  }

  async create(key: string, value: string, options: WriteOptions = {}): Promise<KeyValue> {
    return putResult(await this.write(createOp(key, value, options)));
  }

  async update(key: string, value: string, options: UpdateOptions = {}): Promise<KeyValue> {
    return putResult(await this.write(updateOp(key, value, options)));
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    return deleteResult(await this.write(deleteOp(key, options)));
  }

  watch(prefix: string, fromRevision: number, options: WatchOptions = {}): Watch {
    return this.hub.watch(prefix, fromRevision, options);
  }

  /**
   * Marks history at and below `revision` as gone (reads below it fail from now on), then deletes
   * the superseded rows in small transactions in the background of this call.
   */
  async compact(revision: number): Promise<void> {
    this.checkOpen();
    if (revision > this.revision_) throw futureRevision(revision, this.revision_);
    if (revision <= this.compactRevision_) return this.compaction;
    this.read(() => this.statements.writeMeta.run(revision, 'compact_revision'));
    this.compactRevision_ = revision;
    const previous = this.compaction;
    this.compaction = previous.then(() => this.runCompaction(revision));
    return this.compaction;
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision_;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.stop.abort();
    await this.background;
    await this.compaction.catch(() => undefined);
    while (this.syncing !== undefined) await this.syncing;
    // From here every COMMIT syncs (synchronous=FULL): what is left is committed and acknowledged at once.
    this.walSync.close();
    while (this.pending.length > 0 && this.broken === undefined) {
      const committed = this.commit(this.pending.splice(0, MAX_BATCH_WRITES));
      if (committed !== undefined) this.acknowledge(committed);
    }
    for (const write of this.pending.splice(0)) write.reject(this.broken ?? unavailable('the store is closed'));
    this.hub.closeAll();
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      this.logger.warn(`sqlite: checkpoint at close failed: ${errorMessage(error)}`);
    }
    this.db.close();
  }

  readEvents(start: string, end: string, after: number, limit: number): ChangeEvent[] {
    // Rows of a commit whose sync is still running are not history yet: they come with its dispatch.
    const rows = this.statements.events.all(after, start, end, limit);
    return (this.syncing === undefined ? rows : rows.filter((row) => row.revision <= this.revision_)).map(toEvent);
  }

  /** Queues a write for the next group commit. */
  private write(op: WriteOp): Promise<WriteOutcome> {
    this.checkOpen();
    checkWrite(op);
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Flushes at the next turn of the event loop, unless a flush is due or a sync runs (its end flushes). */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.syncing !== undefined || this.pending.length === 0 || this.broken !== undefined) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Resolves once no commit is waiting for its sync (reads see acknowledged writes only). */
  private async durable(): Promise<void> {
    while (this.syncing !== undefined) await this.syncing;
  }

  /**
   * Commits the next group of pending writes and syncs it; when the sync returns, acknowledges the
   * group and flushes the writes that arrived meanwhile.
   */
  private flush(): void {
    if (this.syncing !== undefined || this.broken !== undefined) return;
    const committed = this.commit(this.pending.splice(0, MAX_BATCH_WRITES));
    if (committed === undefined) {
      this.scheduleFlush();
      return;
    }
    const afterSync = this.options.afterWalSync;
    const synced = afterSync === undefined ? this.walSync.sync() : this.walSync.sync().then(afterSync);
    this.syncing = synced.then(
      () => {
        this.syncing = undefined;
        this.acknowledge(committed);
        this.checkpointIfDue(committed.bytes);
        this.scheduleFlush();
      },
      (error: unknown) => {
        this.syncing = undefined;
        this.breakDown(committed, error);
      },
    );
  }

  /**
   * Commits up to MAX_BATCH_WRITES writes in one transaction (not yet synced). If anything fails, the
   * transaction rolls back and every write in the batch fails with Unavailable.
   */
  private commit(batch: PendingWrite[]): CommittedBatch | undefined {
    if (batch.length === 0) return undefined;
    const s = this.statements;
    const now = this.clock.now();
    let revision = this.revision_;
    let bytes = 0;
    const outcomes: WriteOutcome[] = [];
    const events: ChangeEvent[] = [];
    try {
      s.begin.run();
      for (const { op } of batch) {
        const outcome = decideWrite(op, this.currentKv(op.key), revision + 1, now);
        outcomes.push(outcome);
        if (outcome.kind === 'put') {
          revision++;
          const prev = outcome.event.type === 'MODIFIED' ? outcome.event.prev.modRevision : 0;
          s.insertLog.run(revision, op.key, outcome.kv.value, outcome.kv.createRevision, prev);
          s.upsertKv.run(op.key, outcome.kv.createRevision, revision, outcome.expiresAt ?? null);
          events.push(outcome.event);
          bytes += op.key.length + outcome.kv.value.length;
        } else if (outcome.kind === 'deleted') {
          revision++;
          const { prev } = outcome.result;
          s.insertLog.run(revision, op.key, null, prev.createRevision, prev.modRevision);
          s.deleteKv.run(op.key);
          events.push(outcome.event);
          bytes += op.key.length;
        }
      }
      if (revision !== this.revision_) s.writeMeta.run(revision, 'revision');
      s.commit.run();
    } catch (error) {
      if (this.db.inTransaction) {
        try {
          s.rollback.run();
        } catch (rollbackError) {
          this.logger.error(`sqlite: rollback failed: ${errorMessage(rollbackError)}`);
        }
      }
      const failure = unavailable(`sqlite write failed (${sqliteCode(error) ?? 'error'}): ${errorMessage(error)}`, error);
      this.logger.error(failure.message);
      for (const write of batch) write.reject(failure);
      return undefined;
    }
    return { batch, outcomes, events, revision, bytes };
  }

  /** The group is on disk: it becomes the current revision, its events go out and its writers hear back. */
  private acknowledge({ batch, outcomes, events, revision }: CommittedBatch): void {
    this.revision_ = revision;
    this.commits++;
    this.writes += batch.length;
    this.hub.dispatch(events);
    batch.forEach((write, i) => write.resolve(outcomes[i] as WriteOutcome));
  }

  /** Checkpoints once about CHECKPOINT_BYTES went through the WAL since the last one. */
  private checkpointIfDue(bytes: number): void {
    this.bytesSinceCheckpoint += bytes;
    if (this.bytesSinceCheckpoint < CHECKPOINT_BYTES) return;
    this.bytesSinceCheckpoint = 0;
    try {
      this.walSync.checkpoint('PASSIVE');
    } catch (error) {
      this.logger.warn(`sqlite: checkpoint failed: ${errorMessage(error)}`);
    }
  }

  /**
   * A WAL sync failed: the group's writes may or may not be on disk, and a later sync succeeding
   * would not say (the kernel may have dropped the dirty pages). Like PostgreSQL after a failed
   * fsync, the store stops: the group and every later write fail with Unavailable, and it must be
   * reopened, which replays the WAL from what the disk really holds.
   */
  private breakDown(committed: CommittedBatch, error: unknown): void {
    this.broken = unavailable(`sqlite: syncing the WAL failed, so acknowledged state is unknown; restart kubelite: ${errorMessage(error)}`, error);
    this.logger.error(this.broken.message);
    for (const write of [...committed.batch, ...this.pending.splice(0)]) write.reject(this.broken);
  }

  private async expire(): Promise<void> {
    if (this.closing) return;
    const due = this.read(() => this.statements.expired.all(this.clock.now(), MAX_BATCH_WRITES));
    await Promise.all(due.map((row) => this.write({ type: 'expire', key: row.key, expectedRevision: row.mod_revision })));
  }

  private async runCompaction(revision: number): Promise<void> {
    this.options.onCompactionStart?.(revision);
    await compactLog(this.db, this.statements, revision, {
      batchSize: this.options.compactionBatchSize ?? 500,
      signal: this.stop.signal,
    });
    if (!this.stop.signal.aborted) {
      this.read(() => this.walSync.checkpoint('PASSIVE'));
    }
  }

  private currentKv(key: string): KeyValue | undefined {
    const row = this.statements.current.get(key);
    return row === undefined
      ? undefined
      : { key, value: row.value, createRevision: row.create_revision, modRevision: row.mod_revision };
  }

  /**
   * The state at `revision` of every key in [start, end) changed after it: the first later change of
   * a key points at the version it replaced (or at nothing, for a create).
   */
  private stateAt(start: string, end: string, revision: number): Map<string, KeyValue | undefined> {
    const state = new Map<string, KeyValue | undefined>();
    for (const first of this.statements.firstChanges.all(revision, start, end)) {
      if (first.prev_revision === 0) {
        state.set(first.key, undefined);
        continue;
      }
      const version = this.statements.version.get(first.prev_revision);
      if (version === undefined || version.value === null) {
        throw unavailable(`sqlite history is inconsistent: revision ${first.prev_revision} of ${first.key} is missing`);
      }
      state.set(first.key, {
        key: first.key,
        value: version.value,
        createRevision: version.create_revision,
        modRevision: first.prev_revision,
      });
    }
    return state;
  }

  private read<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      if (error instanceof StorageError) throw error;
      throw unavailable(`sqlite read failed (${sqliteCode(error) ?? 'error'}): ${errorMessage(error)}`, error);
    }
  }

  private checkOpen(): void {
    if (this.broken !== undefined) throw this.broken;
    if (this.closing) throw unavailable('the store is closed');
  }
}

function toEvent(row: EventRow): ChangeEvent {
  const { key, revision } = row;
  if (row.value !== null && row.prev_revision === 0) {
    return { type: 'ADDED', revision, kv: { key, value: row.value, createRevision: row.create_revision, modRevision: revision } };
  }
  if (row.prev_value === null || row.prev_create_revision === null) {
    throw unavailable(`sqlite history is inconsistent: revision ${row.prev_revision}, replaced at ${revision}, is missing`);
  }
  const prev: KeyValue = { key, value: row.prev_value, createRevision: row.prev_create_revision, modRevision: row.prev_revision };
  if (row.value === null) return { type: 'DELETED', revision, key, prev };
  return {
    type: 'MODIFIED',
    revision,
    kv: { key, value: row.value, createRevision: row.create_revision, modRevision: revision },
    prev,
  };
}
