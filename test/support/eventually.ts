/**
 * Waiting in integration tests for what a controller or server does in its own time: poll until a
 * read gives a value or a condition holds, failing with what was awaited (and the last error the
 * read threw) after a generous cap. Never a fixed sleep standing in for an assertion.
 */
import assert from 'node:assert/strict';

export interface WaitOptions {
  /** @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** @defaultValue 20 */
  readonly intervalMs?: number;
}

/** Polls `read` until it returns something other than undefined, and returns that. */
export async function eventually<T>(read: () => Promise<T | undefined> | T | undefined, what: string, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
  assert.fail(`timed out waiting for ${what}${last === undefined ? '' : ` (last error: ${String(last)})`}`);
}

/** Polls `condition` until it holds. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, options: WaitOptions = {}): Promise<void> {
  await eventually(async () => ((await condition()) ? true : undefined), what, options);
}
