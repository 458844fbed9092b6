import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type CheckResult,
  type DefiniteFailure,
  type GetOutcome,
  type History,
  type HistoryOperation,
  type Timing,
  type WriteOutcome,
  checkLinearizable,
} from './linearizability.js';
import { seededRandom } from './random.js';

const K = '/registry/lin/default/k0';
const K1 = '/registry/lin/default/k1';

const at = (client: number, invoke: number, complete: number, key = K): Timing => ({ client, key, invoke, complete });
const found = (value: string, modRevision: number): GetOutcome => ({ found: true, value, modRevision });
const absent: GetOutcome = { found: false };
const ok = (revision: number): WriteOutcome => ({ status: 'ok', revision });
const failed = (code: DefiniteFailure): WriteOutcome => ({ status: 'failed', code });
const unknown: WriteOutcome = { status: 'unknown' };

function assertPasses(history: History): void {
  const result = checkLinearizable(history);
  assert.deepEqual(result, { ok: true }, result.ok ? '' : result.message);
}

function assertFails(history: History, key?: string): Extract<CheckResult, { ok: false }> {
  const result = checkLinearizable(history);
  assert.equal(result.ok, false, 'expected the history to be rejected');
  if (result.ok) throw new Error('unreachable');
  assert.equal(result.key, key, result.message);
  return result;
}

test('a sequential history passes', () => {
  assertPasses([
    { ...at(1, 1, 2), type: 'get', outcome: absent },
    { ...at(1, 3, 4), type: 'update', value: 'x', expectedRevision: 1, outcome: failed('KeyNotFound') },
    { ...at(1, 5, 6), type: 'create', value: 'a', outcome: ok(3) },
    { ...at(2, 7, 8), type: 'create', value: 'b', outcome: failed('KeyExists') },
    { ...at(2, 9, 10), type: 'get', outcome: found('a', 3) },
    { ...at(1, 11, 12), type: 'update', value: 'c', expectedRevision: 2, outcome: failed('Conflict') },
    { ...at(1, 13, 14), type: 'update', value: 'c', expectedRevision: 3, outcome: ok(7) },
    { ...at(2, 15, 16), type: 'delete', expectedRevision: 7, outcome: ok(8) },
    { ...at(2, 17, 18), type: 'delete', expectedRevision: 8, outcome: failed('KeyNotFound') },
    { ...at(1, 19, 20), type: 'create', value: 'd', outcome: ok(9) },
    { ...at(1, 21, 22), type: 'get', outcome: found('d', 9) },
  ]);
});

test('concurrent operations with a valid order pass', () => {
  assertPasses([
    // The create takes effect between the two reads that overlap it.
    { ...at(1, 1, 10), type: 'create', value: 'a', outcome: ok(1) },
    { ...at(2, 2, 3), type: 'get', outcome: absent },
    { ...at(3, 4, 5), type: 'get', outcome: found('a', 1) },
    // An update, a delete and a create overlap; only that order explains their outcomes.
    { ...at(2, 11, 20), type: 'update', value: 'b', expectedRevision: 1, outcome: ok(2) },
    { ...at(3, 12, 14), type: 'delete', expectedRevision: 2, outcome: ok(3) },
    { ...at(1, 13, 15), type: 'create', value: 'c', outcome: ok(4) },
    { ...at(4, 16, 21), type: 'get', outcome: found('c', 4) },
    { ...at(3, 17, 18), type: 'create', value: 'd', outcome: failed('KeyExists') },
  ]);
});

test('a stale read after a completed write fails', () => {
  const result = assertFails(
    [
      { ...at(1, 1, 2), type: 'create', value: 'a', outcome: ok(1) },
      { ...at(1, 3, 4), type: 'update', value: 'b', expectedRevision: 1, outcome: ok(2) },
      { ...at(2, 5, 6), type: 'get', outcome: found('a', 1) },
    ],
    K,
  );
  assert.match(result.message, new RegExp(`key ${K}`));
  assert.match(result.message, /c2 get .* "a"@1 \[t5\.\.t6\]/);
});

test('two successful creates of one key without a delete between fail', () => {
  assertFails(
    [
      { ...at(1, 1, 4), type: 'create', value: 'a', outcome: ok(1) },
      { ...at(2, 2, 3), type: 'create', value: 'b', outcome: ok(2) },
    ],
    K,
  );
});

test('a Conflict that no state explains fails', () => {
  assertFails(
    [
      { ...at(1, 1, 2), type: 'create', value: 'a', outcome: ok(1) },
      { ...at(2, 3, 4), type: 'update', value: 'b', expectedRevision: 1, outcome: failed('Conflict') },
    ],
    K,
  );
});

test('a revision going backwards in real time fails', () => {
  const result = assertFails([
    { ...at(1, 1, 2), type: 'create', value: 'a', outcome: ok(5) },
    { ...at(2, 3, 4, K1), type: 'create', value: 'b', outcome: ok(3) },
  ]);
  assert.match(result.message, /backwards/);
});

test('overlapping writes may take their revisions in either order, but never the same one', () => {
  assertPasses([
    { ...at(1, 1, 4), type: 'create', value: 'a', outcome: ok(5) },
    { ...at(2, 2, 3, K1), type: 'create', value: 'b', outcome: ok(3) },
  ]);
  assert.match(
    assertFails([
      { ...at(1, 1, 4), type: 'create', value: 'a', outcome: ok(3) },
      { ...at(2, 2, 3, K1), type: 'create', value: 'b', outcome: ok(3) },
    ]).message,
    /two writes have revision 3/,
  );
});

test('a write must get a revision above the one it replaces', () => {
  assertFails(
    [
      { ...at(1, 1, 2), type: 'create', value: 'a', outcome: ok(4) },
      { ...at(1, 3, 4), type: 'update', value: 'b', expectedRevision: 4, outcome: ok(4) },
    ],
    K,
  );
});

test('a write of unknown outcome that later reads prove happened passes', () => {
  assertPasses([
    { ...at(1, 1, 2), type: 'create', value: 'a', outcome: ok(1) },
    { ...at(1, 3, 4), type: 'update', value: 'b', expectedRevision: 1, outcome: unknown },
    { ...at(2, 5, 6), type: 'get', outcome: found('b', 7) },
    { ...at(2, 7, 8), type: 'update', value: 'c', expectedRevision: 7, outcome: ok(9) },
  ]);
});

test('a write of unknown outcome that never shows passes', () => {
  assertPasses([
    { ...at(1, 1, 2), type: 'create', value: 'a', outcome: unknown },
    { ...at(2, 3, 4), type: 'get', outcome: absent },
    { ...at(2, 5, 6), type: 'create', value: 'b', outcome: ok(3) },
    { ...at(2, 7, 8), type: 'get', outcome: found('b', 3) },
  ]);
});

test('a write of unknown outcome may take effect after its call returned', () => {
  assertPasses([
    { ...at(1, 1, 2), type: 'create', value: 'a', outcome: unknown },
    { ...at(2, 3, 4), type: 'get', outcome: absent },
    { ...at(2, 5, 6), type: 'get', outcome: found('a', 2) },
  ]);
});

test('a write of unknown outcome explains neither a revision below the one it replaced nor another value', () => {
  const history = (seen: GetOutcome): History => [
    { ...at(1, 1, 2), type: 'create', value: 'a', outcome: ok(5) },
    { ...at(1, 3, 4), type: 'update', value: 'b', expectedRevision: 5, outcome: unknown },
    { ...at(2, 5, 6), type: 'get', outcome: seen },
  ];
  assertFails(history(found('b', 4)), K);
  assertFails(history(found('c', 6)), K);
  assertPasses(history(found('b', 6)));
});

test('the report names the first key that cannot be ordered', () => {
  const result = assertFails(
    [
      { ...at(1, 1, 2, K1), type: 'get', outcome: found('ghost', 1) },
      { ...at(1, 3, 4, K), type: 'get', outcome: found('ghost', 1) },
    ],
    K,
  );
  assert.match(result.message, /none of these can go next: c1 get/);
});

test('200 operations of 8 concurrent clients on one key check well under a second, and a stale read among them is found', () => {
  const history = simulatedHistory({ clients: 8, operations: 200, seed: 7 });
  let started = performance.now();
  assertPasses(history);
  const passMs = performance.now() - started;

  // Make a late read return the value before the last write that completed before it began.
  const staled = staleOneRead(history);
  started = performance.now();
  assertFails(staled, K);
  const failMs = performance.now() - started;
  assert.ok(passMs < 1000 && failMs < 1000, `checking took ${passMs.toFixed(0)} ms (valid) and ${failMs.toFixed(0)} ms (stale)`);
});

/**
 * A linearizable history of one register: at each tick a random client takes its next step —
 * invoke, take effect (against a reference model), or complete — so each operation takes effect
 * strictly inside its interval and up to `clients` operations overlap.
 */
function simulatedHistory(options: { clients: number; operations: number; seed: number }): HistoryOperation[] {
  const random = seededRandom(options.seed);
  let tick = 0;
  let revision = 0;
  let current: { value: string; modRevision: number } | undefined;
  const history: HistoryOperation[] = [];
  type InFlight = { invoke: number; roll: number; expected: number; result?: (complete: number) => HistoryOperation };
  const clients: (InFlight | undefined)[] = Array.from({ length: options.clients }, () => undefined);
  let started = 0;
  while (history.length < options.operations) {
    const c = Math.floor(random() * options.clients);
    const flight = clients[c];
    if (flight === undefined) {
      if (started === options.operations) continue;
      started++;
      clients[c] = { invoke: ++tick, roll: random(), expected: current !== undefined && random() < 0.7 ? current.modRevision : revision };
    } else if (flight.result === undefined) {
      const time = { client: c, key: K, invoke: flight.invoke };
      const value = `c${c}-t${flight.invoke}`;
      if (flight.roll < 0.4) {
        const outcome: GetOutcome = current === undefined ? absent : found(current.value, current.modRevision);
        flight.result = (complete) => ({ ...time, complete, type: 'get', outcome });
      } else if (flight.roll < 0.6) {
        const outcome: WriteOutcome = current === undefined ? ok(++revision) : failed('KeyExists');
        if (current === undefined) current = { value, modRevision: revision };
        flight.result = (complete) => ({ ...time, complete, type: 'create', value, outcome });
      } else {
        const outcome: WriteOutcome =
          current === undefined ? failed('KeyNotFound') : current.modRevision === flight.expected ? ok(++revision) : failed('Conflict');
        const deleting = flight.roll > 0.85;
        if (outcome.status === 'ok') current = deleting ? undefined : { value, modRevision: revision };
        const expectedRevision = flight.expected;
        flight.result = deleting
          ? (complete) => ({ ...time, complete, type: 'delete', expectedRevision, outcome })
          : (complete) => ({ ...time, complete, type: 'update', value, expectedRevision, outcome });
      }
    } else {
      history.push(flight.result(++tick));
      clients[c] = undefined;
    }
  }
  return history;
}

/**
 * The history with a late read made to return an older version: one replaced by a write that
 * completed before the read began, so no order can explain it.
 */
function staleOneRead(history: readonly HistoryOperation[]): HistoryOperation[] {
  const revisionOf = (op: HistoryOperation): number =>
    op.type !== 'get' && op.outcome.status === 'ok' ? op.outcome.revision : 0;
  for (const read of history.filter((op) => op.type === 'get').reverse()) {
    const latest = Math.max(0, ...history.filter((op) => op.complete < read.invoke).map(revisionOf));
    const older = history.find((op) => op.type !== 'delete' && revisionOf(op) > 0 && revisionOf(op) < latest);
    if (older === undefined || older.type === 'get' || older.type === 'delete') continue;
    const stale: HistoryOperation = { ...read, type: 'get', outcome: found(older.value, revisionOf(older)) };
    return history.map((op) => (op === read ? stale : op));
  }
  throw new Error('the simulated history has no read to make stale');
}
