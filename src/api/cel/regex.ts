/**
 * @module
 * RE2 patterns (CEL's regex dialect) as JavaScript RegExps: RE2's leading inline flags `(?i)`,
 * `(?s)`, `(?m)` become RegExp flags, and compiled patterns are cached since rules reuse them.
 * Unicode mode is on so that `.` matches a code point as RE2 does. Patterns RE2 rejects but
 * JavaScript accepts (lookarounds, backreferences) are rejected here too.
 */
const cache = new Map<string, RegExp>();

export function compileRegex(pattern: string, extraFlags: string): RegExp {
  const key = `${extraFlags}/${pattern}`;
  const cached = cache.get(key);
  if (cached !== undefined) {
    cached.lastIndex = 0;
    return cached;
  }
  let source = pattern;
  let flags = `u${extraFlags}`;
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline !== undefined && inline !== null) {
    flags += inline[1] ?? '';
    source = source.slice(inline[0].length);
  }
  if (/\(\?[=!<]|\\[1-9]/.test(source)) throw new Error(`error parsing regexp: invalid or unsupported Perl syntax: \`${pattern}\``);
  const re = new RegExp(source, flags);
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}
