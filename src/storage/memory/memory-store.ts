/**
 * @module
 * The in-memory backend: the storage contract with nothing durable, for fast tests. It keeps the
 * current state (a map plus a sorted key list) and the change log since the last compaction; a read
 * at a past revision starts from the current state and undoes the changes made after it (see
 * {@link stateAt}).
 */
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, stderrLogger } from '../../util/logger.js';
import { runPeriodically } from '../../util/periodic.js';
import { type ScheduledCompaction, runCompactionSchedule } from '../compaction-schedule.js';
import { futureRevision, unavailable } from '../errors.js';
import {
  type ChangeEvent,
  type DeleteOptions,
  type DeleteResult,
  type GetOptions,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type UpdateOptions,
  type Watch,
  type WatchOptions,
  type WriteOptions,
  eventKey,
} from '../interface.js';
import { compareKeys, lowerBoundKey, validateKey } from '../keys.js';
import { checkReadRevision, listPageOf, planList } from '../list-plan.js';
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

export interface MemoryStoreOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** @defaultValue 5000 */
  readonly progressNotifyIntervalMs?: number;
  /** How often expired TTL keys are deleted. @defaultValue 1000 */
  readonly ttlSweepIntervalMs?: number;
  /** Scheduled compaction; false turns it off. @defaultValue every 5 minutes, keeping 5 minutes */
  readonly compaction?: ScheduledCompaction | false;
  readonly maxQueuedEvents?: number;
  readonly maxQueuedBytes?: number;
}

export class MemoryStore implements Store, EventSource {
  readonly backend = 'memory';
  private currentRevision_ = 0;
  private compactRevision_ = 0;
  private readonly current = new Map<string, KeyValue>();
  /** The keys of `current`, in key order. */
  private keys: string[] = [];
  /** Change events after `compactRevision_`, in revision order. */
  private log: ChangeEvent[] = [];
  private readonly expiries = new Map<string, number>();
  private readonly hub: LocalWatchHub;
  private readonly clock: Clock;
  private readonly stop = new AbortController();
  private readonly background: Promise<unknown>;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.clock = options.clock ?? realClock;
    const logger = options.logger ?? stderrLogger;
    this.hub = new LocalWatchHub(this, {
      clock: this.clock,
      logger,
      progressNotifyIntervalMs: options.progressNotifyIntervalMs ?? 5000,
      ...(options.maxQueuedEvents === undefined ? {} : { maxQueuedEvents: options.maxQueuedEvents }),
      ...(options.maxQueuedBytes === undefined ? {} : { maxQueuedBytes: options.maxQueuedBytes }),
    });
    const { signal } = this.stop;
    this.background = Promise.all([
      this.hub.run(signal),
      runPeriodically(() => this.expire(), {
        clock: this.clock,
        logger,
        signal,
        intervalMs: options.ttlSweepIntervalMs ?? 1000,
        name: 'TTL expiry',
      }),
      runCompactionSchedule(this, options.compaction, { clock: this.clock, logger, signal }),
    ]);
  }

  get revision(): number {
    return this.currentRevision_;
  }

  get compactRevision(): number {
    return this.compactRevision_;
  }

  async get(key: string, options: GetOptions = {}): Promise<KeyValue | undefined> {
    validateKey(key);
    const revision = checkReadRevision(options.revision ?? 0, this.currentRevision_, this.compactRevision_);
    if (revision === this.currentRevision_) return this.current.get(key);
    const changed = this.stateAt(key, `${key}\0`, revision);
    return changed.has(key) ? changed.get(key) : this.current.get(key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const plan = planList(prefix, options);
    const revision = checkReadRevision(plan.revision, this.currentRevision_, this.compactRevision_, plan);
    const changed =
      revision === this.currentRevision_
        ? new Map<string, KeyValue | undefined>()
        : this.stateAt(plan.start, plan.end, revision);
    const from = lowerBoundKey(this.keys, plan.start);
    const to = lowerBoundKey(this.keys, plan.end);
    const inRange = this.keys.slice(from, to);
    // At the current revision nothing is undone: the sorted keys are the answer as they are.
    const keys = changed.size === 0 ? inRange : [...new Set([...inRange, ...changed.keys()])].sort(compareKeys);
    const items: KeyValue[] = [];
    for (const key of keys) {
      const kv = changed.has(key) ? changed.get(key) : this.current.get(key);
      if (kv !== undefined) items.push(kv);
    }
    return listPageOf(plan, revision, items);
  }

  async create(key: string, value: string, options: WriteOptions = {}): Promise<KeyValue> {
    return putResult(this.write(createOp(key, value, options)));
  }

  async update(key: string, value: string, options: UpdateOptions = {}): Promise<KeyValue> {
    return putResult(this.write(updateOp(key, value, options)));
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    return deleteResult(this.write(deleteOp(key, options)));
  }

  watch(prefix: string, fromRevision: number, options: WatchOptions = {}): Watch {
    return this.hub.watch(prefix, fromRevision, options);
  }

  async compact(revision: number): Promise<void> {
    if (revision > this.currentRevision_) throw futureRevision(revision, this.currentRevision_);
    if (revision <= this.compactRevision_) return;
    this.compactRevision_ = revision;
    const keep = lowerBoundRevision(this.log, revision + 1);
    this.log = this.log.slice(keep);
  }

  async currentRevision(): Promise<number> {
    return this.currentRevision_;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    this.hub.closeAll();
    await this.background;
  }

  readEvents(start: string, end: string, after: number, limit: number): ChangeEvent[] {
    const events: ChangeEvent[] = [];
    for (let i = lowerBoundRevision(this.log, after + 1); i < this.log.length && events.length < limit; i++) {
      const event = this.log[i] as ChangeEvent;
      const key = eventKey(event);
      if (compareKeys(key, start) >= 0 && compareKeys(key, end) < 0) events.push(event);
    }
    return events;
  }

  private write(op: WriteOp): WriteOutcome {
    if (this.closed) throw unavailable('the store is closed');
    checkWrite(op);
    const outcome = decideWrite(op, this.current.get(op.key), this.currentRevision_ + 1, this.clock.now());
    switch (outcome.kind) {
      case 'put':
        if (!this.current.has(op.key)) this.keys.splice(lowerBoundKey(this.keys, op.key), 0, op.key);
        this.current.set(op.key, outcome.kv);
        if (outcome.expiresAt === undefined) this.expiries.delete(op.key);
        else this.expiries.set(op.key, outcome.expiresAt);
        this.commit(outcome.event);
        break;
      case 'deleted':
        this.keys.splice(lowerBoundKey(this.keys, op.key), 1);
        this.current.delete(op.key);
        this.expiries.delete(op.key);
        this.commit(outcome.event);
        break;
      case 'rejected':
      case 'unchanged':
        break;
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${String(never)}`);
      }
    }
    return outcome;
  }

  private commit(event: ChangeEvent): void {
    this.currentRevision_ = event.revision;
    this.log.push(event);
    this.hub.dispatch([event]);
  }

  private expire(): void {
    const now = this.clock.now();
    for (const [key, expiresAt] of [...this.expiries]) {
      const kv = this.current.get(key);
      if (expiresAt <= now && kv !== undefined) this.write({ type: 'expire', key, expectedRevision: kv.modRevision });
    }
  }

  /**
   * The state at `revision` of every key in [start, end) that changed after it: the first later
   * change of a key tells what it was before (its `prev`, or nothing if it was created). Keys absent
   * from the map did not change and are as they are now.
   */
  private stateAt(start: string, end: string, revision: number): Map<string, KeyValue | undefined> {
    const state = new Map<string, KeyValue | undefined>();
    for (const event of this.readEvents(start, end, revision, Number.POSITIVE_INFINITY)) {
      const key = eventKey(event);
      if (!state.has(key)) state.set(key, event.type === 'ADDED' ? undefined : event.prev);
    }
    return state;
  }
}

/** The index of the first event with a revision of at least `revision`. */
function lowerBoundRevision(log: readonly ChangeEvent[], revision: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as ChangeEvent).revision < revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
