/**
 * @module
 * Field selectors, as apimachinery has them (pkg/fields/selector.go): the `?fieldSelector=` syntax
 * `metadata.name=x,status.phase!=Running`, with `\\`, `\,` and `\=` escapes in values. A selector
 * is the AND of `field=value` (also spelled `==`) and `field!=value` requirements; an absent field
 * reads as "" (upstream's fields.Set). Which fields a kind supports is not decided here: the API
 * server checks {@link FieldSelector.requirements} and answers `field label not supported: <field>`,
 * as kube-apiserver's ConvertFieldLabel does. Parsing is one linear pass per term.
 */

/** The operator of a requirement; `==` parses to `=`, as upstream's hasTerm reports selection.Equals. */
export type FieldSelectorOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldSelectorOperator;
  /** Unescaped. */
  readonly value: string;
}

/** An object's selectable fields: a record, or a lookup (absent is `undefined`). */
export type FieldSource = Readonly<Record<string, string>> | ((field: string) => string | undefined);

export interface FieldSelector {
  /** In upstream's order: sorted by the raw term text (parseSelector sorts the terms). */
  readonly requirements: readonly FieldRequirement[];
  /** True when the selector does not restrict anything. */
  readonly empty: boolean;
  matches(fields: FieldSource): boolean;
  /** The canonical string form; see {@link fieldSelectorString}. */
  toString(): string;
}

/** A malformed field selector. The message is upstream's, meant for a 400 BadRequest. */
export class FieldSelectorError extends Error {
  override readonly name = 'FieldSelectorError';
}

class RequirementsSelector implements FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;

  constructor(requirements: readonly FieldRequirement[]) {
    this.requirements = Object.freeze([...requirements]);
    this.empty = requirements.length === 0;
  }

  matches(fields: FieldSource): boolean {
    const get = typeof fields === 'function' ? fields : (field: string) => (Object.hasOwn(fields, field) ? fields[field] : undefined);
    return this.requirements.every((r) => {
      const actual = get(r.field) ?? '';
      return r.operator === '=' ? actual === r.value : actual !== r.value;
    });
  }

  toString(): string {
    return fieldSelectorString(this);
  }
}

/** Matches every object (fields.Everything()); what the empty string parses to. */
export const everythingFieldSelector: FieldSelector = new RequirementsSelector([]);

/** `field=value` for each entry (fields.SelectorFromSet); an empty set matches everything. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): FieldSelector {
  return new RequirementsSelector(Object.entries(set).map(([field, value]) => ({ field, operator: '=', value })));
}

/**
 * The value `selector` requires `field` to equal, if it pins it with `=` (Selector.RequiresExactMatch);
 * the first such requirement wins. Lets the API server serve `metadata.name=x` without a full list.
 */
export function requiresExactMatch(selector: FieldSelector, field: string): string | undefined {
  return selector.requirements.find((r) => r.field === field && r.operator === '=')?.value;
}

/** Escapes `\`, `,` and `=` with a backslash (fields.EscapeValue). */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/**
 * Undoes {@link escapeFieldValue} (fields.UnescapeValue). Throws on a backslash before anything but
 * `\`, `,` or `=`, on a trailing backslash, and on an unescaped `,` or `=`; upstream prints the
 * offending character of the last as its decimal code point (a Go rune printed with %v).
 */
export function unescapeFieldValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = '';
  let inSlash = false;
  // for..of walks code points, as Go's range over a string walks runes.
  for (const c of value) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** splitTerms: splits on commas that are not backslash-escaped, keeping the escapes in the terms. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inSlash) inSlash = false;
    else if (c === 0x5c) inSlash = true;
    else if (c === 0x2c) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/**
 * splitTerm: the first position where `!=`, `==` or `=` starts splits field from value (in that
 * order of preference, so `a==b` is not field `a`, value `=b`). The field has no escaping at all.
 */
function splitTerm(term: string): { field: string; operator: '=' | '==' | '!='; rawValue: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c === 0x21 && term.charCodeAt(i + 1) === 0x3d) return { field: term.slice(0, i), operator: '!=', rawValue: term.slice(i + 2) };
    if (c === 0x3d) {
      const double = term.charCodeAt(i + 1) === 0x3d;
      return { field: term.slice(0, i), operator: double ? '==' : '=', rawValue: term.slice(i + (double ? 2 : 1)) };
    }
  }
  return undefined;
}

/**
 * Go orders strings by UTF-8 bytes, which is code point order; JavaScript's `<` compares UTF-16 code
 * units, which differs once astral characters meet U+E000..U+FFFF. Terms are sorted the Go way so
 * requirement order, the string form and which bad term is reported first all match upstream.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (astral code points) rank above U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * Parses the `fieldSelector` query parameter syntax (fields.ParseSelector). Terms are split on
 * unescaped commas, sorted, and empty ones skipped. Nothing is trimmed: ` a = b` has field ` a ` and
 * value ` b`. A term whose field and value are both empty (`=`, `!=`) is dropped, as upstream's
 * identity Transform drops it; any other empty field is kept for the API server's supported-field
 * check to reject. Throws {@link FieldSelectorError} with upstream's message.
 */
export function parseFieldSelector(text: string): FieldSelector {
  const terms = splitTerms(text).sort(compareCodePoints);
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (split === undefined) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const value = unescapeFieldValue(split.rawValue);
    if (split.field === '' && value === '') continue;
    requirements.push({ field: split.field, operator: split.operator === '!=' ? '!=' : '=', value });
  }
  return requirements.length === 0 ? everythingFieldSelector : new RequirementsSelector(requirements);
}

/** The canonical string form (Selector.String()): `field=value` / `field!=value`, values escaped. */
export function fieldSelectorString(selector: FieldSelector): string {
  return selector.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}
