/**
 * @module
 * Regular expressions as Kubernetes runs them: Go's regexp, which is RE2 — linear in the input, with
 * RE2's syntax and its error messages (`error parsing regexp: …`). A CRD's `pattern` and CEL's
 * `matches`, `find` and `findAll` are written by one user and run on every other user's input, so
 * they must never backtrack: JavaScript's RegExp takes seconds on `^(a+)+$` against thirty `a`s and
 * a `!`, blocking the event loop; RE2 (re2js, a port of RE2/J) takes microseconds.
 *
 * Compiled patterns are cached: the same few patterns run on every request.
 */
import { RE2JS } from 're2js';
import { BoundedMemo } from './bounded-memo.js';

/** A refused pattern throws from `compute`, so it is not remembered: each use reports it again. */
const compiled = new BoundedMemo<string, RE2JS>(1000, (pattern) => RE2JS.compile(pattern));

/** A compiled RE2 pattern; throws `error parsing regexp: …` when RE2 refuses it. */
export function compileRe2(pattern: string): RE2JS {
  return compiled.get(pattern);
}

/** Whether `pattern` matches anywhere in `text` (Go's regexp.MatchString). */
export function re2Test(pattern: string, text: string): boolean {
  return compileRe2(pattern).matcher(text).find();
}

/** The leftmost match of `pattern` in `text`, or undefined (Go's FindString, which gives ''). */
export function re2Find(pattern: string, text: string): string | undefined {
  const matcher = compileRe2(pattern).matcher(text);
  return matcher.find() ? (matcher.group() ?? '') : undefined;
}

/** Every non-overlapping match, at most `limit` of them when limit ≥ 0 (Go's FindAllString). */
export function re2FindAll(pattern: string, text: string, limit = -1): string[] {
  const matcher = compileRe2(pattern).matcher(text);
  const found: string[] = [];
  while ((limit < 0 || found.length < limit) && matcher.find()) found.push(matcher.group() ?? '');
  return found;
}

/** RE2's message for a pattern it refuses, or undefined when it compiles. */
export function re2Error(pattern: string): string | undefined {
  try {
    compileRe2(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
