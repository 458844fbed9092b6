/**
 * @module
 * The etcd backend: the storage contract on a real etcd v3 cluster through the `etcd3` client, so
 * several API servers can share one store. It follows kube-apiserver's etcd3 store
 * (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go): a create is a transaction comparing the
 * key's mod_revision with 0, an update or delete compares it with the revision read or expected, and
 * a failed compare reads the current value back in the same transaction.
 *
 * Keys are stored under an optional physical prefix, so several stores (tests, or several kubelite
 * clusters) can share one etcd; the prefix never shows in keys this store hands out.
 */
import { Etcd3, type ICompare, type IKeyValue, type IRangeResponse, type IRequestOp, isRecoverableError } from 'etcd3';
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry } from 'cockatiel';
import { type Clock, realClock } from '../../util/clock.js';
import { type Logger, stderrLogger } from '../../util/logger.js';
import { type ScheduledCompaction, runCompactionSchedule } from '../compaction-schedule.js';
import { MAX_VALUE_BYTES, StorageError, conflict, futureRevision, keyExists, keyNotFound, unavailable } from '../errors.js';
import type {
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
import { normalizePrefix, prefixEnd, validateKey } from '../keys.js';
import { compactedContinuation, listPage, planList } from '../list-plan.js';
import { checkWrite, createOp, deleteOp, updateOp } from '../write-op.js';
import { fromEtcdError, isSafeToRetry } from './etcd-errors.js';
import { EtcdWatch } from './etcd-watch.js';
import { LeasePool } from './lease-pool.js';

export interface EtcdStoreOptions {
  /** Client URLs of the cluster's members, e.g. `http://127.0.0.1:2379`. */
  readonly endpoints: readonly string[];
  /** A physical prefix for every key (isolation on a shared etcd), e.g. `/kubelite-a`. @defaultValue '' */
  readonly keyPrefix?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Scheduled compaction; false turns it off. @defaultValue every 5 minutes, keeping 5 minutes */
  readonly compaction?: ScheduledCompaction | false;
  /** Deadline of each etcd call. @defaultValue 30000 */
  readonly requestTimeoutMs?: number;
  readonly maxQueuedEvents?: number;
  readonly maxQueuedBytes?: number;
}

const RETRY_MAX_DELAY_MS = 500;

/** Connects to etcd, checks that it answers, and returns the store. */
export async function openEtcdStore(options: EtcdStoreOptions): Promise<EtcdStore> {
  const logger = options.logger ?? stderrLogger;
  const timeout = options.requestTimeoutMs ?? 30_000;
  if (options.endpoints.length === 0) throw new StorageError('InvalidArgument', 'etcd: no endpoints given');
  const client = new Etcd3({
    hosts: [...options.endpoints],
    // Large lists must fit in one response (grpc's default cap is 4 MiB).
    grpcOptions: { 'grpc.max_receive_message_length': -1 },
    defaultCallOptions: () => ({ deadline: Date.now() + timeout }),
    faultHandling: {
      // Retry only what never reached a member, for about as long as a call may take: re-sending a
      // write whose fate is unknown could turn its success into a false KeyExists or Conflict.
      global: retry(handleWhen(isSafeToRetry), {
        maxAttempts: Math.max(3, Math.ceil(timeout / RETRY_MAX_DELAY_MS)),
        backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: RETRY_MAX_DELAY_MS }),
      }),
      // A member that failed three calls in a row is skipped for a second, then tried again.
      host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) }),
    },
  });
  let version: string;
  try {
    version = (await client.maintenance.status()).version;
  } catch (error) {
    client.close();
    throw fromEtcdError(error, `cannot reach ${options.endpoints.join(',')}`);
  }
  logger.info(`etcd: connected to ${options.endpoints.join(',')} (etcd ${version})`);
  return new EtcdStore(client, { ...options, logger }, progressRequestsAreSafe(version));
}

/**
 * etcd orders a RequestProgress answer after pending events from 3.4.31 and 3.5.13 on (the fix
 * kube-apiserver needs for consistent reads from its cache).
 */
export function progressRequestsAreSafe(version: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  if (major !== 3) return major > 3;
  if (minor === 4) return patch >= 31;
  if (minor === 5) return patch >= 13;
  return minor > 5;
}

export class EtcdStore implements Store {
  readonly backend = 'etcd';
  private readonly keyPrefix: string;
  private readonly leases: LeasePool;
  private readonly stop = new AbortController();
  private readonly background: Promise<unknown>;
  private readonly watches = new Set<EtcdWatch>();
  private closed = false;

  /** Use {@link openEtcdStore}. */
  constructor(
    private readonly client: Etcd3,
    private readonly options: EtcdStoreOptions & { readonly logger: Logger },
    private readonly progressRequestsAreSafe: boolean,
  ) {
    this.keyPrefix = options.keyPrefix ?? '';
    const clock = options.clock ?? realClock;
    this.leases = new LeasePool(client, clock);
    this.background = runCompactionSchedule(this, options.compaction, { clock, logger: options.logger, signal: this.stop.signal });
  }

  async get(key: string, options: GetOptions = {}): Promise<KeyValue | undefined> {
    validateKey(key);
    const response = await this.call(`get ${key}`, () =>
      this.client.kv.range({ key: this.physical(key), ...(options.revision ? { revision: options.revision } : {}) }),
    );
    const kv = response.kvs[0];
    return kv === undefined ? undefined : this.toKeyValue(kv);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const plan = planList(prefix, options);
    let response: IRangeResponse;
    try {
      response = await this.call(`list ${plan.prefix}`, () =>
        this.client.kv.range({
          key: this.physical(plan.start),
          range_end: this.physical(plan.end),
          ...(plan.limit > 0 ? { limit: plan.limit } : {}),
          ...(plan.revision > 0 ? { revision: plan.revision } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof StorageError && error.code === 'Compacted') throw compactedContinuation(plan, error);
      throw error;
    }
    const revision = plan.revision > 0 ? plan.revision : Number(response.header.revision);
    const items = response.kvs.map((kv) => this.toKeyValue(kv));
    return listPage(plan, revision, items, Number(response.count) - items.length);
  }

  async create(key: string, value: string, options: WriteOptions = {}): Promise<KeyValue> {
    checkWrite(createOp(key, value, options));
    this.checkOpen();
    const put = await this.putOp(key, value, options);
    const response = await this.call(`create ${key}`, () =>
      this.client.kv.txn({
        compare: [{ key: this.physical(key), target: 'Mod', result: 'Equal', mod_revision: 0 }],
        success: [put],
      }),
    );
    if (!response.succeeded) throw keyExists(key);
    const revision = Number(response.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  /**
   * One round trip: if the key is at the expected revision (or, without one, exists), a nested
   * transaction leaves it alone when it already holds `value` (kube-apiserver skips a write whose bytes
   * equal what is stored) and puts it otherwise; if not, the same transaction reads it back. Such a
   * request carries the value twice, so values over half etcd's request limit are read first and
   * compared here instead.
   */
  async update(key: string, value: string, options: UpdateOptions = {}): Promise<KeyValue> {
    checkWrite(updateOp(key, value, options));
    this.checkOpen();
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES / 2) return this.updateAfterRead(key, value, options);
    const physical = this.physical(key);
    const put = await this.putOp(key, value, options, true);
    const response = await this.call(`update ${key}`, () =>
      this.client.kv.txn({
        compare: [this.guard(physical, options.expectedRevision)],
        success: [
          {
            request_txn: {
              compare: [{ key: physical, target: 'Value', result: 'Equal', value: Buffer.from(value) }],
              success: [{ request_range: { key: physical } }],
              failure: [put],
            },
          },
        ],
        failure: [{ request_range: { key: physical } }],
      }),
    );
    if (!response.succeeded) throw this.guardFailure(key, options.expectedRevision, response.responses[0]?.response_range);
    const inner = response.responses[0]?.response_txn;
    if (inner?.succeeded) {
      const unchanged = this.rangeResult(inner.responses[0]?.response_range);
      if (unchanged !== undefined) return unchanged;
    }
    const prev = inner?.responses[0]?.response_put?.prev_kv;
    if (prev === undefined || prev === null) throw unavailable(`etcd: update ${key}: no previous value in the response`);
    return { key, value, createRevision: Number(prev.create_revision), modRevision: Number(response.header.revision) };
  }

  /** update for large values: read, compare here, then put guarded by the revision read. */
  private async updateAfterRead(key: string, value: string, options: UpdateOptions): Promise<KeyValue> {
    const physical = this.physical(key);
    let current = await this.get(key);
    for (;;) {
      if (current === undefined) throw keyNotFound(key);
      if (options.expectedRevision !== undefined && options.expectedRevision !== current.modRevision) {
        throw conflict(key, options.expectedRevision, current);
      }
      if (current.value === value) return current;
      const put = await this.putOp(key, value, options);
      const read = current;
      const response = await this.call(`update ${key}`, () =>
        this.client.kv.txn({
          compare: [this.guard(physical, read.modRevision)],
          success: [put],
          failure: [{ request_range: { key: physical } }],
        }),
      );
      if (response.succeeded) {
        return { key, value, createRevision: current.createRevision, modRevision: Number(response.header.revision) };
      }
      // Changed since we read it: an unconditional update tries again on the new value.
      current = this.rangeResult(response.responses[0]?.response_range);
    }
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    checkWrite(deleteOp(key, options));
    this.checkOpen();
    const physical = this.physical(key);
    const response = await this.call(`delete ${key}`, () =>
      this.client.kv.txn({
        compare: [this.guard(physical, options.expectedRevision)],
        success: [{ request_delete_range: { key: physical, prev_kv: true } }],
        failure: [{ request_range: { key: physical } }],
      }),
    );
    if (!response.succeeded) throw this.guardFailure(key, options.expectedRevision, response.responses[0]?.response_range);
    const prev = response.responses[0]?.response_delete_range.prev_kvs[0];
    if (prev === undefined) throw keyNotFound(key);
    return { revision: Number(response.header.revision), prev: this.toKeyValue(prev) };
  }

  watch(prefix: string, fromRevision: number, options: WatchOptions = {}): Watch {
    const normalized = normalizePrefix(prefix);
    const watch = new EtcdWatch(
      {
        client: this.client,
        logger: this.options.logger,
        keyPrefix: this.keyPrefix,
        progressRequestsAreSafe: this.progressRequestsAreSafe,
        onEnd: (ended) => this.watches.delete(ended),
        ...(this.options.maxQueuedEvents === undefined ? {} : { maxQueuedEvents: this.options.maxQueuedEvents }),
        ...(this.options.maxQueuedBytes === undefined ? {} : { maxQueuedBytes: this.options.maxQueuedBytes }),
      },
      this.physical(normalized),
      this.physical(prefixEnd(normalized)),
      fromRevision,
      options,
    );
    if (this.closed) watch.channel.fail(unavailable('the store is closed'));
    if (!watch.channel.closed) this.watches.add(watch);
    return watch.channel;
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    const current = await this.currentRevision();
    if (revision > current) throw futureRevision(revision, current);
    try {
      await this.call(`compact ${revision}`, () => this.client.kv.compact({ revision, physical: true }));
    } catch (error) {
      // Already compacted at or past this revision (perhaps by another API server): nothing to do.
      if (error instanceof StorageError && error.code === 'Compacted') return;
      throw error;
    }
  }

  async currentRevision(): Promise<number> {
    const response = await this.call('current revision', () =>
      this.client.kv.range({ key: this.physical('/'), count_only: true }),
    );
    return Number(response.header.revision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    await this.background;
    for (const watch of [...this.watches]) watch.channel.finish();
    this.client.close();
  }

  /** The compare that guards a write: the key is at `expectedRevision`, or, without one, exists. */
  private guard(physical: Buffer, expectedRevision: number | undefined): ICompare {
    return expectedRevision === undefined
      ? { key: physical, target: 'Version', result: 'Greater', version: 0 }
      : { key: physical, target: 'Mod', result: 'Equal', mod_revision: expectedRevision };
  }

  /** Why a guard failed, from the key as the failed transaction read it. */
  private guardFailure(key: string, expectedRevision: number | undefined, range: IRangeResponse | undefined): StorageError {
    const current = this.rangeResult(range);
    if (current === undefined || expectedRevision === undefined) return keyNotFound(key);
    return conflict(key, expectedRevision, current);
  }

  /** A put of `value`, under a lease when the write has a TTL, returning the previous version if asked. */
  private async putOp(key: string, value: string, options: WriteOptions, returnPrevious = false): Promise<IRequestOp> {
    const lease =
      options.ttlSeconds === undefined
        ? undefined
        : await this.call('lease grant', () => this.leases.leaseFor(options.ttlSeconds as number));
    return {
      request_put: {
        key: this.physical(key),
        value: Buffer.from(value),
        ...(returnPrevious ? { prev_kv: true } : {}),
        ...(lease === undefined ? {} : { lease }),
      },
    };
  }

  private rangeResult(range: IRangeResponse | undefined): KeyValue | undefined {
    const kv = range?.kvs[0];
    return kv === undefined ? undefined : this.toKeyValue(kv);
  }

  private toKeyValue(kv: IKeyValue): KeyValue {
    return {
      key: kv.key.toString('utf8').slice(this.keyPrefix.length),
      value: kv.value.toString('utf8'),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }

  private physical(key: string): Buffer {
    return Buffer.from(this.keyPrefix + key);
  }

  private async call<T>(what: string, body: () => Promise<T>): Promise<T> {
    this.checkOpen();
    try {
      return await body();
    } catch (error) {
      throw fromEtcdError(error, what);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw unavailable('the store is closed');
  }
}
