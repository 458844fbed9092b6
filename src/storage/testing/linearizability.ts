/**
 * @module
 * A linearizability checker for histories of single-key operations on a revisioned store: get,
 * create, update-if-revision and delete-if-revision, each with the interval in which it ran and what
 * it returned. Pure functions, no IO, no dependencies.
 *
 * Each key is a register with a revision, and is checked on its own: linearizability is compositional
 * (Herlihy & Wing 1990), so a history of single-key operations is linearizable iff every key's
 * sub-history is. A key's sub-history is searched in the manner of Wing & Gong (1993) with Lowe's
 * memoization (Lowe 2017, "Testing for linearizability"): depth first over the operations that may go
 * next, remembering every (linearized set, state) configuration already known to be a dead end. Across
 * keys the revisions of successful writes are checked to be distinct and to respect real-time order,
 * as etcd's single global revision counter promises (etcd-io/website
 * content/en/docs/v3.6/learning/api_guarantees.md).
 *
 * Writes whose outcome is unknown (a timeout, a dropped connection) may have taken effect at any
 * point after they began, or never. When one is taken to have happened, its revision is unknown: the
 * key's modRevision becomes a wildcard, above the revision it replaced, that the next observation of
 * it (a get, or a write's expected revision that matches) binds. The model is deliberately generous
 * there: it never rejects a history that has a linearization, and may accept a few that do not.
 */

/** Failures that prove the write did not happen. */
export type DefiniteFailure = 'KeyExists' | 'KeyNotFound' | 'Conflict';

export type GetOutcome =
  | { readonly found: false }
  | { readonly found: true; readonly value: string; readonly modRevision: number };

export type WriteOutcome =
  /** For create and update the new modRevision; for delete the delete's revision. */
  | { readonly status: 'ok'; readonly revision: number }
  | { readonly status: 'failed'; readonly code: DefiniteFailure }
  /** Any other error: the write may or may not have happened, at any point after its invocation. */
  | { readonly status: 'unknown' };

export type WriteCall =
  | { readonly type: 'create'; readonly value: string }
  | { readonly type: 'update'; readonly value: string; readonly expectedRevision: number }
  | { readonly type: 'delete'; readonly expectedRevision: number };

/**
 * When the call ran, in ticks of one logical counter shared by every client: a tick is taken just
 * before the call starts and another once it has settled, so `a.complete < b.invoke` means a finished
 * before b began.
 */
export interface Timing {
  readonly client: number;
  readonly key: string;
  readonly invoke: number;
  readonly complete: number;
}

export type HistoryOperation = Timing &
  ({ readonly type: 'get'; readonly outcome: GetOutcome } | (WriteCall & { readonly outcome: WriteOutcome }));

export type History = readonly HistoryOperation[];

export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly key?: string; readonly message: string };

export interface CheckOptions {
  /**
   * Give up (and report failure, saying so) after exploring this many configurations of one key.
   * @defaultValue 2_000_000
   */
  readonly maxConfigurations?: number;
}

/**
 * Checks that `history` is linearizable, every key starting absent. Keys are checked in sorted
 * order and the first that fails is reported, then revisions across keys.
 */
export function checkLinearizable(history: History, options: CheckOptions = {}): CheckResult {
  const malformed = history.find((op) => !(op.invoke < op.complete));
  if (malformed !== undefined) {
    return { ok: false, key: malformed.key, message: `malformed history: ${describeOperation(malformed)} completes before it begins` };
  }
  const byKey = new Map<string, HistoryOperation[]>();
  for (const op of history) {
    const ops = byKey.get(op.key);
    if (ops === undefined) byKey.set(op.key, [op]);
    else ops.push(op);
  }
  for (const key of [...byKey.keys()].sort()) {
    const search = new KeySearch(byKey.get(key) ?? [], options.maxConfigurations ?? 2_000_000);
    const failure = search.run();
    if (failure !== undefined) return { ok: false, key, message: `key ${key}: ${failure}` };
  }
  const revisionFailure = checkRevisionOrder(history);
  return revisionFailure === undefined ? { ok: true } : { ok: false, message: revisionFailure };
}

// ---- The model: a register with a revision ----

/** A modRevision: known, or produced by a write of unknown outcome and so only known to be above `above`. */
type Revision = { readonly kind: 'known'; readonly revision: number } | { readonly kind: 'unbound'; readonly above: number };

interface RegisterState {
  readonly exists: boolean;
  /** Present iff `exists`. */
  readonly value?: string;
  /** The revision of the key's last write; for a deleted key the delete's; 0 before any write. */
  readonly modRevision: Revision;
}

const INITIAL: RegisterState = { exists: false, modRevision: { kind: 'known', revision: 0 } };

const known = (revision: number): Revision => ({ kind: 'known', revision });

/** `revision` as an observation of `current`: the bound revision, or undefined if it cannot be. */
function observe(current: Revision, revision: number): Revision | undefined {
  switch (current.kind) {
    case 'known':
      return current.revision === revision ? current : undefined;
    case 'unbound':
      return revision > current.above ? known(revision) : undefined;
    default: {
      const never: never = current;
      throw new Error(`unknown revision ${String(never)}`);
    }
  }
}

/** The largest revision `current` is known to be at least; a later write's revision must exceed it. */
function floor(current: Revision): number {
  return current.kind === 'known' ? current.revision : current.above;
}

/** What a write's guard allows in a state: passing (with the state it saw, wildcard bound) and/or failing. */
interface GuardVerdict {
  readonly pass: RegisterState | undefined;
  readonly fail: DefiniteFailure | undefined;
}

function guard(state: RegisterState, call: WriteCall): GuardVerdict {
  if (call.type === 'create') return state.exists ? { pass: undefined, fail: 'KeyExists' } : { pass: state, fail: undefined };
  if (!state.exists) return { pass: undefined, fail: 'KeyNotFound' };
  const bound = observe(state.modRevision, call.expectedRevision);
  // An unbound revision could differ from the expected one, so Conflict stays possible.
  const differs = state.modRevision.kind === 'unbound' || bound === undefined;
  return { pass: bound === undefined ? undefined : { ...state, modRevision: bound }, fail: differs ? 'Conflict' : undefined };
}

/** The state after `call` succeeds in `state` with `revision`. */
function effect(call: WriteCall, revision: Revision): RegisterState {
  return call.type === 'delete' ? { exists: false, modRevision: revision } : { exists: true, value: call.value, modRevision: revision };
}

/** The state after `op` takes effect in `state`, or undefined if it cannot there. */
function step(state: RegisterState, op: HistoryOperation): RegisterState | undefined {
  if (op.type === 'get') return stepGet(state, op.outcome);
  const verdict = guard(state, op);
  const outcome = op.outcome;
  switch (outcome.status) {
    case 'ok': {
      const seen = verdict.pass;
      if (seen === undefined || !(outcome.revision > floor(seen.modRevision))) return undefined;
      return effect(op, known(outcome.revision));
    }
    case 'failed':
      // A failed write changes nothing and binds nothing.
      return verdict.fail === outcome.code ? state : undefined;
    case 'unknown': {
      // Taking effect as a failure is the same as never taking effect, which needs no step.
      const seen = verdict.pass;
      return seen === undefined ? undefined : effect(op, { kind: 'unbound', above: floor(seen.modRevision) });
    }
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${String(never)}`);
    }
  }
}

function stepGet(state: RegisterState, outcome: GetOutcome): RegisterState | undefined {
  if (!outcome.found) return state.exists ? undefined : state;
  if (!state.exists || state.value !== outcome.value) return undefined;
  const bound = observe(state.modRevision, outcome.modRevision);
  return bound === undefined ? undefined : { ...state, modRevision: bound };
}

function stateKey(state: RegisterState): string {
  const revision = state.modRevision.kind === 'known' ? `${state.modRevision.revision}` : `>${state.modRevision.above}`;
  return state.exists ? `${revision}=${state.value ?? ''}` : `${revision}-`;
}

// ---- The search over one key ----

/** Where the search got furthest before every way on failed: what it had, and what could go next. */
interface DeadEnd {
  readonly linearized: number;
  readonly state: RegisterState;
  readonly candidates: readonly HistoryOperation[];
}

/**
 * A depth-first search for a linearization of one key's operations. Invariants: `done[i]` iff
 * operation i is in the current prefix, `words` is `done` as a bitset, `placed` is the prefix's
 * length, and `definiteLeft` counts the operations not in it whose outcome is known (those with an
 * unknown outcome need never be placed).
 */
class KeySearch {
  private readonly ops: readonly HistoryOperation[];
  private readonly done: Uint8Array;
  private readonly words: Uint32Array;
  private definiteLeft: number;
  private placed = 0;
  /** Configurations (`memoKey`) from which no linearization exists. */
  private readonly failed = new Set<string>();
  private deadEnd: DeadEnd | undefined;
  private explored = 0;

  constructor(
    ops: readonly HistoryOperation[],
    private readonly maxConfigurations: number,
  ) {
    this.ops = [...ops].sort((a, b) => a.invoke - b.invoke);
    this.done = new Uint8Array(this.ops.length);
    this.words = new Uint32Array(Math.ceil(this.ops.length / 32));
    this.definiteLeft = this.ops.filter((op) => !isUnknown(op)).length;
  }

  /** Undefined when the operations linearize; otherwise why not. */
  run(): string | undefined {
    if (this.explore(INITIAL)) return undefined;
    if (this.explored > this.maxConfigurations) {
      return `gave up after exploring ${this.maxConfigurations} configurations of ${this.ops.length} operations`;
    }
    const total = this.ops.length;
    const end = this.deadEnd;
    if (end === undefined) return `no linearization of ${total} operations`;
    const excerpt = end.candidates.slice(0, 8).map(describeOperation).join('; ');
    return (
      `no linearization of ${total} operations: after ordering ${end.linearized}, the key is ` +
      `${describeState(end.state)} and none of these can go next: ${excerpt || '(none is free to go)'}`
    );
  }

  /**
   * True iff the remaining operations can be linearized from `state`. Operations that may go next
   * and leave the state as it is (reads, definite failures) are taken at once without branching:
   * placing one early never prevents a linearization, since it only removes a real-time constraint.
   */
  private explore(state: RegisterState): boolean {
    const taken: number[] = [];
    const visited: string[] = [];
    let found = false;
    for (;;) {
      if (this.definiteLeft === 0) {
        found = true;
        break;
      }
      const memo = this.memoKey(state);
      if (this.failed.has(memo) || ++this.explored > this.maxConfigurations) break;
      visited.push(memo);
      const candidates = this.candidates();
      const free = candidates.find((i) => this.leavesStateAlone(state, i));
      if (free === undefined) {
        found = this.branch(state, candidates);
        break;
      }
      this.setPlaced(free, true);
      taken.push(free);
    }
    if (!found) for (const memo of visited) this.failed.add(memo);
    for (const i of taken) this.setPlaced(i, false);
    return found;
  }

  private branch(state: RegisterState, candidates: readonly number[]): boolean {
    for (const i of candidates) {
      const next = step(state, this.op(i));
      if (next === undefined) continue;
      this.setPlaced(i, true);
      const found = this.explore(next);
      this.setPlaced(i, false);
      if (found || this.explored > this.maxConfigurations) return found;
    }
    if (this.deadEnd === undefined || this.placed > this.deadEnd.linearized) {
      this.deadEnd = { linearized: this.placed, state, candidates: candidates.map((i) => this.op(i)) };
    }
    return false;
  }

  /**
   * The operations that may go next: not yet placed, and begun before every unplaced operation of
   * known outcome completed. An operation of unknown outcome may complete at any time, so it never
   * holds another back. Operations are sorted by `invoke`, so the scan stops at the first one that
   * began after the earliest pending completion.
   */
  private candidates(): number[] {
    let earliestComplete = Number.POSITIVE_INFINITY;
    const window: number[] = [];
    for (let i = 0; i < this.ops.length; i++) {
      if (this.done[i] === 1) continue;
      const op = this.op(i);
      if (op.invoke > earliestComplete) break;
      window.push(i);
      if (!isUnknown(op)) earliestComplete = Math.min(earliestComplete, op.complete);
    }
    return window.filter((i) => this.op(i).invoke < earliestComplete);
  }

  private leavesStateAlone(state: RegisterState, i: number): boolean {
    const op = this.op(i);
    if (isUnknown(op)) return false;
    const next = step(state, op);
    return next !== undefined && stateKey(next) === stateKey(state);
  }

  /** Adds operation i to the prefix (`placed`) or takes it out, keeping the invariants. */
  private setPlaced(i: number, placed: boolean): void {
    this.done[i] = placed ? 1 : 0;
    this.words[i >>> 5] = (this.words[i >>> 5] ?? 0) ^ (1 << (i & 31));
    const change = placed ? 1 : -1;
    this.placed += change;
    if (!isUnknown(this.op(i))) this.definiteLeft -= change;
  }

  private memoKey(state: RegisterState): string {
    return `${this.words.join(',')}|${stateKey(state)}`;
  }

  private op(i: number): HistoryOperation {
    const op = this.ops[i];
    if (op === undefined) throw new Error(`no operation ${i}`);
    return op;
  }
}

function isUnknown(op: HistoryOperation): boolean {
  return op.type !== 'get' && op.outcome.status === 'unknown';
}

// ---- Across keys: the global revision ----

interface AcknowledgedWrite {
  readonly op: HistoryOperation;
  readonly revision: number;
}

/**
 * Every acknowledged write has its own revision, and a write that completed before another began has
 * a smaller one. Undefined when both hold; otherwise the first violation.
 */
export function checkRevisionOrder(history: History): string | undefined {
  const writes: AcknowledgedWrite[] = [];
  for (const op of history) {
    if (op.type !== 'get' && op.outcome.status === 'ok') writes.push({ op, revision: op.outcome.revision });
  }
  const byRevision = new Map<number, HistoryOperation>();
  for (const { op, revision } of writes) {
    const other = byRevision.get(revision);
    if (other !== undefined) {
      return `two writes have revision ${revision}: ${describeOperation(other)}; ${describeOperation(op)}`;
    }
    byRevision.set(revision, op);
  }
  // Sweep the writes in order of invocation, keeping the highest revision among those completed before.
  const byComplete = [...writes].sort((a, b) => a.op.complete - b.op.complete);
  const byInvoke = [...writes].sort((a, b) => a.op.invoke - b.op.invoke);
  let latest: AcknowledgedWrite | undefined;
  let next = 0;
  for (const write of byInvoke) {
    for (let done = byComplete[next]; done !== undefined && done.op.complete < write.op.invoke; done = byComplete[++next]) {
      if (latest === undefined || done.revision > latest.revision) latest = done;
    }
    if (latest !== undefined && write.revision < latest.revision) {
      return (
        `revision went backwards in real time: ${describeOperation(latest.op)} completed before ` +
        `${describeOperation(write.op)} began, yet has the higher revision`
      );
    }
  }
  return undefined;
}

// ---- Messages ----

/** One operation, e.g. `c2 update "c2-op17" if @45 → ok@52 [t120..t131]`. */
export function describeOperation(op: HistoryOperation): string {
  const when = `[t${op.invoke}..t${op.complete}]`;
  const who = `c${op.client}`;
  switch (op.type) {
    case 'get': {
      const result = op.outcome.found ? `"${op.outcome.value}"@${op.outcome.modRevision}` : 'not found';
      return `${who} get ${op.key} → ${result} ${when}`;
    }
    case 'create':
      return `${who} create "${op.value}" ${op.key} → ${describeOutcome(op.outcome)} ${when}`;
    case 'update':
      return `${who} update "${op.value}" if @${op.expectedRevision} ${op.key} → ${describeOutcome(op.outcome)} ${when}`;
    case 'delete':
      return `${who} delete if @${op.expectedRevision} ${op.key} → ${describeOutcome(op.outcome)} ${when}`;
    default: {
      const never: never = op;
      throw new Error(`unknown operation ${String(never)}`);
    }
  }
}

function describeOutcome(outcome: WriteOutcome): string {
  switch (outcome.status) {
    case 'ok':
      return `ok@${outcome.revision}`;
    case 'failed':
      return outcome.code;
    case 'unknown':
      return 'unknown';
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${String(never)}`);
    }
  }
}

function describeState(state: RegisterState): string {
  const revision = state.modRevision.kind === 'known' ? `@${state.modRevision.revision}` : `@(above ${state.modRevision.above})`;
  return state.exists ? `"${state.value ?? ''}"${revision}` : `absent (last write ${revision})`;
}
