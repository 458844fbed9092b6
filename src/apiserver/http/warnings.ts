/**
 * @module
 * A request's warnings as `Warning` response headers, the one place they are made. After
 * k8s.io/apiserver pkg/endpoints/filters/warning.go (the recorder) and
 * k8s.io/apimachinery pkg/util/net/http.go (NewWarningHeader):
 *
 * - empty texts are dropped, and a text already warned is not repeated;
 * - a text that is not valid UTF-8 or holds a control character (a line break, say) is dropped;
 * - once the texts would pass 4,096 runes in total, every warning is cut to its first 256 runes
 *   (earlier ones too), and once that total is reached again, later warnings are dropped — so a
 *   flood of warnings can never outgrow a client's header limit, nor fail a write already stored;
 * - each header is `299 - "<text>"`, `"` and `\` escaped with a backslash, and sent as UTF-8
 *   bytes. Node writes header values as latin1, so the text is handed over as the latin1 reading
 *   of its UTF-8 bytes (a header of `€` or `✓` would otherwise be refused).
 */

/** truncateAtTotalRunes: past this many runes of warning text, warnings are truncated. */
export const TRUNCATE_AT_TOTAL_RUNES = 4 * 1024;
/** truncateItemRunes: the runes each warning keeps once truncating. */
export const TRUNCATE_ITEM_RUNES = 256;

export interface WarningLimits {
  readonly totalRunes: number;
  readonly itemRunes: number;
}

const UPSTREAM_LIMITS: WarningLimits = { totalRunes: TRUNCATE_AT_TOTAL_RUNES, itemRunes: TRUNCATE_ITEM_RUNES };

/** Control characters (Go's unicode.IsControl: C0, DEL and C1) or a lone surrogate (not UTF-8). */
const INVALID_TEXT = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * The `Warning` header values for `warnings`, in order, as the recorder would have added them one
 * by one; ready for `setHeader`/`writeHead` (latin1 strings holding the UTF-8 bytes).
 */
export function warningHeaders(warnings: readonly string[], limits: WarningLimits = UPSTREAM_LIMITS): string[] {
  if (warnings.length === 0) return [];
  const seen = new Set<string>();
  const ordered: string[] = [];
  let headers: string[] = [];
  let written = 0;
  let truncating = false;
  for (const text of warnings) {
    if (text === '' || (truncating && written >= limits.totalRunes) || seen.has(text)) continue;
    seen.add(text);
    ordered.push(text);
    if (INVALID_TEXT.test(text)) continue;
    let runes = [...text];
    if (truncating && runes.length > limits.itemRunes) runes = runes.slice(0, limits.itemRunes);
    if (written + runes.length <= limits.totalRunes || truncating) {
      written += runes.length;
      headers.push(encode(runes.join('')));
      continue;
    }
    // Over the limit for the first time: replay every warning so far, each truncated.
    truncating = true;
    written = 0;
    headers = [];
    for (const earlier of ordered) {
      if (INVALID_TEXT.test(earlier)) continue;
      const kept = [...earlier].slice(0, limits.itemRunes);
      written += kept.length;
      headers.push(encode(kept.join('')));
    }
  }
  return headers;
}

/** NewWarningHeader(299, "-", text), as the bytes Node will write. */
function encode(text: string): string {
  const quoted = `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return NON_ASCII.test(quoted) ? Buffer.from(quoted, 'utf8').toString('latin1') : quoted;
}
