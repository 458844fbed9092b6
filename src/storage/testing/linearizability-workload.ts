/**
 * @module
 * A concurrent register workload for {@link checkLinearizable}: several clients, each issuing one call
 * at a time, run random gets, creates, updates-if-revision and deletes-if-revision on a few shared
 * keys of any {@link Store}, and every call is recorded with its interval on one shared logical
 * counter. Updates and deletes expect the revision the client last saw of the key (or, now and then,
 * a random recent one), so both successes and Conflicts happen.
 *
 * The recorded intervals are conservative: the invoke tick is taken just before the call is made and
 * the complete tick when its promise settles, so each call's real effect lies inside its interval.
 */
import { isStorageError } from '../errors.js';
import type { Store } from '../interface.js';
import type { DefiniteFailure, GetOutcome, History, HistoryOperation, Timing, WriteCall, WriteOutcome } from './linearizability.js';
import { seededRandom } from './random.js';

export interface RegisterWorkloadOptions {
  /** Concurrent clients, each with one call in flight at a time. @defaultValue 8 */
  readonly clients?: number;
  /** Keys the clients share. @defaultValue 10 */
  readonly keys?: number;
  /** @defaultValue 100 */
  readonly operationsPerClient?: number;
  /** Seeds each client's choices (the interleaving of clients is the store's). @defaultValue 1 */
  readonly seed?: number;
  /** Keys are `<keyPrefix>/k<n>`. @defaultValue '/registry/lin/default' */
  readonly keyPrefix?: string;
}

/** How many of the revisions seen lately any client may pick as a (likely stale) expected revision. */
const RECENT_REVISIONS = 32;

/** The mix of calls, as cumulative probabilities. */
const GET_BELOW = 0.35;
const CREATE_BELOW = 0.55;
const UPDATE_BELOW = 0.85;
/** How often an update or delete expects a random recent revision instead of the one last seen. */
const RANDOM_EXPECTATION = 0.2;

/** What the clients share: the store, the logical clock, the recorded history and recent revisions. */
interface Workload {
  readonly store: Store;
  readonly keys: readonly string[];
  readonly operationsPerClient: number;
  readonly seed: number;
  readonly history: HistoryOperation[];
  /** The last RECENT_REVISIONS modRevisions any client saw, oldest first. */
  readonly recent: number[];
  tick(): number;
}

/**
 * Runs the workload against `store` (whose keys under `keyPrefix` must start absent) and returns the
 * history, in order of completion. Gets that fail say nothing and are left out; writes that fail
 * other than with KeyExists, KeyNotFound or Conflict are recorded with an unknown outcome.
 */
export async function runRegisterWorkload(store: Store, options: RegisterWorkloadOptions = {}): Promise<History> {
  const clients = positiveInteger('clients', options.clients ?? 8);
  const keyCount = positiveInteger('keys', options.keys ?? 10);
  const keyPrefix = options.keyPrefix ?? '/registry/lin/default';
  let counter = 0;
  const workload: Workload = {
    store,
    keys: Array.from({ length: keyCount }, (_, k) => `${keyPrefix}/k${k}`),
    operationsPerClient: positiveInteger('operationsPerClient', options.operationsPerClient ?? 100),
    seed: options.seed ?? 1,
    history: [],
    recent: [],
    tick: () => ++counter,
  };
  await Promise.all(Array.from({ length: clients }, (_, client) => runClient(workload, client)));
  return workload.history;
}

/** Counts of outcomes in a history, to show a run exercised both successes and failures. */
export interface HistorySummary {
  readonly operations: number;
  readonly found: number;
  readonly absent: number;
  readonly succeeded: number;
  readonly failed: Readonly<Record<DefiniteFailure, number>>;
  readonly unknown: number;
}

export function summarizeHistory(history: History): HistorySummary {
  const failed: Record<DefiniteFailure, number> = { KeyExists: 0, KeyNotFound: 0, Conflict: 0 };
  let found = 0;
  let absent = 0;
  let succeeded = 0;
  let unknown = 0;
  for (const op of history) {
    if (op.type === 'get') {
      if (op.outcome.found) found++;
      else absent++;
    } else if (op.outcome.status === 'ok') succeeded++;
    else if (op.outcome.status === 'failed') failed[op.outcome.code]++;
    else unknown++;
  }
  return { operations: history.length, found, absent, succeeded, failed, unknown };
}

/** One client: `operationsPerClient` calls, one at a time; `seen` is the revision it last saw per key. */
async function runClient(workload: Workload, client: number): Promise<void> {
  const random = seededRandom(workload.seed * 7919 + client);
  const seen = new Map<string, number>();
  for (let n = 0; n < workload.operationsPerClient; n++) {
    const key = pick(random, workload.keys);
    if (key === undefined) throw new Error('the workload has no keys');
    const roll = random();
    if (roll < GET_BELOW) {
      await recordGet(workload, client, key, seen);
      continue;
    }
    const value = `c${client}-op${n}`;
    const lastSeen = seen.get(key);
    const expectedRevision =
      lastSeen !== undefined && random() >= RANDOM_EXPECTATION ? lastSeen : (pick(random, workload.recent) ?? 1);
    const call: WriteCall =
      roll < CREATE_BELOW
        ? { type: 'create', value }
        : roll < UPDATE_BELOW
          ? { type: 'update', value, expectedRevision }
          : { type: 'delete', expectedRevision };
    await recordWrite(workload, client, key, call, seen);
  }
}

async function recordGet(workload: Workload, client: number, key: string, seen: Map<string, number>): Promise<void> {
  const invoke = workload.tick();
  let outcome: GetOutcome;
  try {
    const kv = await workload.store.get(key);
    outcome = kv === undefined ? { found: false } : { found: true, value: kv.value, modRevision: kv.modRevision };
  } catch {
    // A failed read constrains nothing.
    workload.tick();
    return;
  }
  const timing: Timing = { client, key, invoke, complete: workload.tick() };
  workload.history.push({ ...timing, type: 'get', outcome });
  if (outcome.found) remember(workload, seen, key, outcome.modRevision);
  else seen.delete(key);
}

async function recordWrite(
  workload: Workload,
  client: number,
  key: string,
  call: WriteCall,
  seen: Map<string, number>,
): Promise<void> {
  const invoke = workload.tick();
  let outcome: WriteOutcome;
  try {
    outcome = { status: 'ok', revision: await perform(workload.store, key, call) };
  } catch (error) {
    outcome = failureOutcome(error);
    // A Conflict tells what is stored now; the client's next try on the key will expect it.
    if (isStorageError(error, 'Conflict') && error.current !== undefined) remember(workload, seen, key, error.current.modRevision);
  }
  const timing: Timing = { client, key, invoke, complete: workload.tick() };
  workload.history.push({ ...timing, ...call, outcome });
  if (outcome.status !== 'ok') return;
  if (call.type === 'delete') seen.delete(key);
  else remember(workload, seen, key, outcome.revision);
}

/** Makes the call; the revision it returns (the new modRevision, or the delete's revision). */
async function perform(store: Store, key: string, call: WriteCall): Promise<number> {
  switch (call.type) {
    case 'create':
      return (await store.create(key, call.value)).modRevision;
    case 'update':
      return (await store.update(key, call.value, { expectedRevision: call.expectedRevision })).modRevision;
    case 'delete':
      return (await store.delete(key, { expectedRevision: call.expectedRevision })).revision;
    default: {
      const never: never = call;
      throw new Error(`unknown call ${String(never)}`);
    }
  }
}

/** KeyExists, KeyNotFound and Conflict prove the write did not happen; anything else proves nothing. */
function failureOutcome(error: unknown): WriteOutcome {
  if (!isStorageError(error)) return { status: 'unknown' };
  switch (error.code) {
    case 'KeyExists':
    case 'KeyNotFound':
    case 'Conflict':
      return { status: 'failed', code: error.code };
    default:
      return { status: 'unknown' };
  }
}

function pick<T>(random: () => number, items: readonly T[]): T | undefined {
  return items[Math.floor(random() * items.length)];
}

function remember(workload: Workload, seen: Map<string, number>, key: string, revision: number): void {
  seen.set(key, revision);
  workload.recent.push(revision);
  if (workload.recent.length > RECENT_REVISIONS) workload.recent.shift();
}

function positiveInteger(name: string, n: number): number {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}
