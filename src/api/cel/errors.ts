/**
 * @module
 * Engine errors worded as cel-go words them, since users see them in 422s: a compile error is
 * `ERROR: <input>:<line>:<column>: <message>` followed by the source line and a caret under the
 * column (cel-go common/errors.go ToDisplayString), and runtime errors are lower-case (`no such key:
 * foo`). Messages of the engine with no cel-go counterpart are passed through.
 */

interface EngineError {
  readonly code?: unknown;
  readonly summary?: unknown;
  readonly range?: unknown;
  readonly message?: unknown;
}

function asEngineError(error: unknown): EngineError {
  return typeof error === 'object' && error !== null ? (error as EngineError) : { message: String(error) };
}

function summaryOf(error: EngineError): string {
  const summary = typeof error.summary === 'string' ? error.summary : typeof error.message === 'string' ? error.message : 'unknown error';
  if (error.code === 'no_such_key') return summary.replace(/^No such key: (.*)$/, "undefined field '$1'");
  if (error.code === 'unknown_variable') return summary.replace(/^Unknown variable: (.*)$/, "undeclared reference to '$1' (in container '')");
  return summary;
}

function startOf(error: EngineError): number {
  const range = error.range;
  if (typeof range === 'object' && range !== null && 'start' in range && typeof range.start === 'number') return range.start;
  return 0;
}

/** A compile error of `expression`, as cel-go's Issues.String() prints it. */
export function compileErrorMessage(expression: string, error: unknown): string {
  const e = asEngineError(error);
  const start = Math.min(startOf(e), expression.length);
  const before = expression.slice(0, start).split('\n');
  const line = before.length;
  const column = (before[before.length - 1] ?? '').length;
  const sourceLine = expression.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${column + 1}: ${summaryOf(e)}\n | ${sourceLine}\n | ${'.'.repeat(column)}^`;
}

/** A runtime error's message, as cel-go's types.Err prints it. */
export function runtimeErrorMessage(error: unknown): string {
  const e = asEngineError(error);
  const summary = typeof e.summary === 'string' ? e.summary : typeof e.message === 'string' ? e.message : String(error);
  if (e.code === 'no_such_key') return summary.replace(/^No such key: /, 'no such key: ');
  // cel-go's runtime overload error names no types.
  if (summary.startsWith('no such overload')) return 'no such overload';
  return summary.split('\n')[0] ?? summary;
}
