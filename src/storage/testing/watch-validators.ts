/**
 * @module
 * Watch guarantees checked mechanically over recorded streams, after etcd's robustness validators
 * (etcd-io/etcd tests/robustness/validate/watch.go): ordered, unique, atomic, bookmarkable, reliable,
 * resumable, and consistent across watchers. Pure functions; each returns a list of violations, empty
 * when the recording is correct.
 */
import { type ChangeEvent, type WatchEvent, eventKey } from '../interface.js';
import { compareKeys } from '../keys.js';
import { describe } from './watch-reader.js';

/** One watcher's recording. */
export interface WatcherRecord {
  readonly name: string;
  /** The watch delivered changes with revisions above this. */
  readonly from: number;
  /** The watched prefix (a directory, ending with "/"). */
  readonly prefix: string;
  readonly batches: readonly (readonly WatchEvent[])[];
  /** Check reliability only up to this revision (a watcher that stopped early). */
  readonly through?: number;
}

/** A write a client saw acknowledged: it must appear in history exactly so. */
export interface AcknowledgedWrite {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly key: string;
  readonly revision: number;
  /** The value written (absent for a delete). */
  readonly value?: string;
}

/**
 * Checks every recording on its own (ordered, unique, atomic, bookmarkable), merges them into one
 * history (consistent across watchers), and checks each recording against that history up to
 * `throughRevision` (reliable and resumable), and every acknowledged write against it.
 */
export function validateWatchers(
  records: readonly WatcherRecord[],
  throughRevision: number,
  acknowledged: readonly AcknowledgedWrite[] = [],
): string[] {
  const violations = records.flatMap(validateStream);
  const { history, conflicts } = mergeHistory(records);
  violations.push(...conflicts);
  for (const record of records) {
    violations.push(...validateReliable(record, history, record.through ?? throughRevision));
  }
  violations.push(...validateAcknowledged(history, acknowledged));
  return violations;
}

/** Ordered, unique, atomic and bookmarkable, for one recording. */
export function validateStream(record: WatcherRecord): string[] {
  const violations: string[] = [];
  const seen = new Set<string>();
  const batchOfRevision = new Map<number, number>();
  let lastRevision = record.from;
  let lastBookmark = -1;
  record.batches.forEach((batch, batchIndex) => {
    for (const event of batch) {
      const label = `${record.name}: ${describe(event)}`;
      if (event.type === 'BOOKMARK') {
        if (event.revision < lastRevision) violations.push(`${label} goes back before revision ${lastRevision}`);
        lastBookmark = Math.max(lastBookmark, event.revision);
        continue;
      }
      if (event.revision <= record.from) violations.push(`${label} is at or before the watch start ${record.from}`);
      if (event.revision < lastRevision) violations.push(`${label} is out of order after revision ${lastRevision}`);
      if (event.revision <= lastBookmark) violations.push(`${label} arrived after a bookmark at ${lastBookmark}`);
      const id = `${event.revision}\0${eventKey(event)}`;
      if (seen.has(id)) violations.push(`${label} is a duplicate`);
      seen.add(id);
      const firstBatch = batchOfRevision.get(event.revision);
      if (firstBatch === undefined) batchOfRevision.set(event.revision, batchIndex);
      else if (firstBatch !== batchIndex) violations.push(`${label}: revision ${event.revision} is split across batches`);
      if (!eventKey(event).startsWith(record.prefix)) violations.push(`${label} is outside the prefix ${record.prefix}`);
      lastRevision = event.revision;
    }
  });
  return violations;
}

/** The union of all recordings' changes, in revision order; events that differ between watchers are conflicts. */
export function mergeHistory(records: readonly WatcherRecord[]): { history: ChangeEvent[]; conflicts: string[] } {
  const byId = new Map<string, { event: ChangeEvent; from: string }>();
  const conflicts: string[] = [];
  for (const record of records) {
    for (const batch of record.batches) {
      for (const event of batch) {
        if (event.type === 'BOOKMARK') continue;
        const id = `${event.revision}\0${eventKey(event)}`;
        const other = byId.get(id);
        if (other === undefined) byId.set(id, { event, from: record.name });
        else if (fingerprint(other.event) !== fingerprint(event)) {
          conflicts.push(`${record.name} and ${other.from} disagree on ${describe(event)}`);
        }
      }
    }
  }
  const history = [...byId.values()].map((entry) => entry.event).sort(byRevisionAndKey);
  return { history, conflicts };
}

/**
 * Reliable and resumable: the recording holds exactly the history's changes under its prefix with
 * revisions in (from, throughRevision], in order, with nothing missing at the start or in between.
 */
export function validateReliable(record: WatcherRecord, history: readonly ChangeEvent[], throughRevision: number): string[] {
  const expected = history.filter(
    (e) => e.revision > record.from && e.revision <= throughRevision && eventKey(e).startsWith(record.prefix),
  );
  // Events of one revision (an etcd lease expiring several keys) may come in any order among themselves.
  const got = record.batches
    .flat()
    .filter((e): e is ChangeEvent => e.type !== 'BOOKMARK' && e.revision <= throughRevision)
    .sort(byRevisionAndKey);
  const violations: string[] = [];
  const n = Math.max(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    const want = expected[i];
    const have = got[i];
    if (want === undefined || have === undefined || fingerprint(want) !== fingerprint(have)) {
      violations.push(
        `${record.name}: event ${i} is ${have === undefined ? 'missing' : describe(have)}, ` +
          `history has ${want === undefined ? 'nothing' : describe(want)}`,
      );
      break;
    }
  }
  return violations;
}

/** Every acknowledged write appears in history at its revision with its value. */
export function validateAcknowledged(history: readonly ChangeEvent[], acknowledged: readonly AcknowledgedWrite[]): string[] {
  const byId = new Map(history.map((e) => [`${e.revision}\0${eventKey(e)}`, e]));
  const violations: string[] = [];
  for (const write of acknowledged) {
    const event = byId.get(`${write.revision}\0${write.key}`);
    const label = `acknowledged ${write.type} ${write.key}@${write.revision}`;
    if (event === undefined) violations.push(`${label} never reached any watcher`);
    else if (event.type !== write.type) violations.push(`${label} was delivered as ${event.type}`);
    else if (event.type !== 'DELETED' && event.kv.value !== write.value) violations.push(`${label} was delivered with another value`);
  }
  return violations;
}

function byRevisionAndKey(a: ChangeEvent, b: ChangeEvent): number {
  return a.revision - b.revision || compareKeys(eventKey(a), eventKey(b));
}

/** Everything that identifies an event's content, for comparing deliveries. */
function fingerprint(event: ChangeEvent): string {
  switch (event.type) {
    case 'ADDED':
      return JSON.stringify([event.type, event.revision, event.kv]);
    case 'MODIFIED':
      return JSON.stringify([event.type, event.revision, event.kv, event.prev]);
    case 'DELETED':
      return JSON.stringify([event.type, event.revision, event.key, event.prev]);
    default: {
      const never: never = event;
      return String(never);
    }
  }
}
