/**
 * @module
 * Reading a watch in tests: collect batches until a condition holds, with a deadline so a missing
 * event fails the test with what did arrive instead of hanging it.
 */
import type { Watch, WatchEvent } from '../interface.js';

/** Batches read so far, and how the read ended. */
export interface WatchRecording {
  readonly batches: (readonly WatchEvent[])[];
  readonly events: WatchEvent[];
  /** The error the watch threw, if it did. */
  error: unknown;
  /** True when the watch finished by itself. */
  ended: boolean;
}

export function emptyRecording(): WatchRecording {
  return { batches: [], events: [], error: undefined, ended: false };
}

/**
 * Reads `watch` into `recording` until `done(recording)` is true, the watch ends or throws, or
 * `timeoutMs` passes (then it throws, naming what arrived). The watch stays open unless it ended.
 */
export async function readUntil(
  watch: Watch,
  done: (recording: WatchRecording) => boolean,
  options: { readonly timeoutMs?: number; readonly recording?: WatchRecording; readonly what?: string } = {},
): Promise<WatchRecording> {
  const recording = options.recording ?? emptyRecording();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const iterator = iteratorOf(watch);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    while (!done(recording)) {
      const next = await Promise.race([pending(iterator), timeout]);
      if (next === 'timeout') {
        throw new Error(
          `watch${options.what === undefined ? '' : ` (${options.what})`}: condition not met after ${timeoutMs} ms; ` +
            `received ${JSON.stringify(recording.events.map(describe))}`,
        );
      }
      if ('error' in next) {
        recording.error = next.error;
        return recording;
      }
      if (next.result.done === true) {
        recording.ended = true;
        return recording;
      }
      recording.batches.push(next.result.value);
      recording.events.push(...next.result.value);
    }
    return recording;
  } finally {
    clearTimeout(timer);
  }
}

/** Reads until an event (not a bookmark) with at least `revision` has arrived. */
export function untilRevision(revision: number): (recording: WatchRecording) => boolean {
  return (recording) => recording.events.some((e) => e.type !== 'BOOKMARK' && e.revision >= revision);
}

/** Reads until `count` change events (not bookmarks) have arrived. */
export function untilChanges(count: number): (recording: WatchRecording) => boolean {
  return (recording) => changes(recording.events).length >= count;
}

export function changes(events: readonly WatchEvent[]): Exclude<WatchEvent, { type: 'BOOKMARK' }>[] {
  return events.filter((e): e is Exclude<WatchEvent, { type: 'BOOKMARK' }> => e.type !== 'BOOKMARK');
}

/** A compact form for assertion messages: "ADDED /a@5". */
export function describe(event: WatchEvent): string {
  switch (event.type) {
    case 'ADDED':
    case 'MODIFIED':
      return `${event.type} ${event.kv.key}@${event.revision}`;
    case 'DELETED':
      return `DELETED ${event.key}@${event.revision}`;
    case 'BOOKMARK':
      return `BOOKMARK@${event.revision}`;
    default: {
      const never: never = event;
      return String(never);
    }
  }
}

type Step = { readonly result: IteratorResult<readonly WatchEvent[]> } | { readonly error: unknown };

/**
 * One `next()` per watch at a time: a read that timed out leaves its `next()` pending, and the next
 * read must await that same promise rather than call `next()` again.
 */
const inFlight = new WeakMap<AsyncIterator<readonly WatchEvent[]>, Promise<Step>>();
const iterators = new WeakMap<Watch, AsyncIterator<readonly WatchEvent[]>>();

function iteratorOf(watch: Watch): AsyncIterator<readonly WatchEvent[]> {
  let iterator = iterators.get(watch);
  if (iterator === undefined) {
    iterator = watch[Symbol.asyncIterator]();
    iterators.set(watch, iterator);
  }
  return iterator;
}

function pending(iterator: AsyncIterator<readonly WatchEvent[]>): Promise<Step> {
  let step = inFlight.get(iterator);
  if (step === undefined) {
    step = iterator.next().then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    step.finally(() => inFlight.delete(iterator)).catch(() => undefined);
    inFlight.set(iterator, step);
  }
  return step;
}
