/**
 * @module
 * What a controller's reconcile function receives and returns (controller-runtime's
 * pkg/reconcile). A Request names one object — only its namespace and name, never a copy of it: the
 * reconciler reads the current state from the cache each time (level-triggered), so many events for
 * one object collapse into one reconcile. The outcome is a value (STYLE.md rule 7):
 *
 * - resolve nothing (or `{}`): done; the object's failure count is forgotten;
 * - resolve `{ requeueAfterMs }`: reconcile again after that long (polling external state);
 * - resolve `{ requeue: true }`: reconcile again, rate-limited;
 * - throw: reconcile again, rate-limited (exponential per object, 5 ms → 1000 s);
 * - throw `terminal(error)`: the error is logged and counted but never retried, since retrying
 *   cannot help (an invalid spec); a later change of the object brings a new reconcile.
 */

export interface Request {
  readonly namespace: string;
  readonly name: string;
}

export interface Result {
  readonly requeue?: boolean;
  readonly requeueAfterMs?: number;
}

export interface Reconciler {
  /** `signal` aborts when the controller stops; a long reconcile should give up then. */
  reconcile(request: Request, signal: AbortSignal): Promise<Result | void>;
}

/** A reconcile function as a Reconciler. */
export function reconcilerFrom(reconcile: (request: Request, signal: AbortSignal) => Promise<Result | void>): Reconciler {
  return { reconcile };
}

/** A failure that retrying will not fix. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';

  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** Marks `error` as terminal: the controller logs it and does not requeue. */
export function terminal(error: unknown): TerminalError {
  return error instanceof TerminalError ? error : new TerminalError(error);
}

/** The work-queue key of a request: `namespace/name`, or `name` when cluster-scoped. */
export function requestKey(request: Request): string {
  return request.namespace === '' ? request.name : `${request.namespace}/${request.name}`;
}

export function requestFromKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
