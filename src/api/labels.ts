/**
 * @module
 * Label selectors, exactly as apimachinery has them: the string syntax of `?labelSelector=`
 * (`a=b,c!=d,e in (f,g),!h,i>5`), the metav1.LabelSelector object (`matchLabels` and
 * `matchExpressions`), matching against an object's labels and the canonical string form (used for
 * Scale `status.selector`). Parsing, validation, matching and error wording follow
 * apimachinery pkg/labels/selector.go, pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector) and
 * pkg/api/validate/content/kube.go, so a 400 reads as it would from kube-apiserver. Everything here is
 * linear in the input: the lexer is a single pass and no validation uses a backtracking regex, so a
 * hostile selector costs what its length costs.
 */
import { fieldErrors, formatFieldError, type FieldError } from './field-errors.js';

/** selection.Operator values (apimachinery pkg/selection/operator.go), as Requirement stores them. */
export type SelectionOperator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

/** An object's labels. `undefined` stands for an object without `metadata.labels`. */
export type Labels = Readonly<Record<string, string>>;

/** One term of a selector; a selector is the AND of its requirements. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectionOperator;
  /**
   * As constructed. For a parsed `in`/`notin` these are sorted and deduplicated (upstream builds them
   * as a sets.String); from a metav1.LabelSelector they are kept as given.
   */
  readonly values: readonly string[];
}

/** A parsed selector. Immutable, so one instance can be shared by every request and watcher. */
export interface LabelSelector {
  /** Sorted by key (stably), which makes the string form deterministic. */
  readonly requirements: readonly LabelRequirement[];
  /**
   * False only for the selector that selects nothing (a null metav1.LabelSelector); upstream's second
   * result of Requirements().
   */
  readonly selectable: boolean;
  /** True when the selector does not restrict anything (upstream Empty()); false for "nothing". */
  readonly empty: boolean;
  matches(labels: Labels | undefined): boolean;
  /** The canonical string form; see {@link labelSelectorString}. */
  toString(): string;
}

/** A malformed selector. The message is upstream's, meant for a 400 BadRequest. */
export class LabelSelectorError extends Error {
  override readonly name = 'LabelSelectorError';
}

// ---------------------------------------------------------------------------------------------
// Validation: content.IsLabelKey (a.k.a. IsQualifiedName) and content.IsLabelValue, written as
// single passes over the string instead of upstream's regexes, with upstream's messages.

const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL_NAME_MAX_BYTES = 63;
const SUBDOMAIN_MAX_BYTES = 253;

/** content.RegexError, including its odd "',  or '" joint between examples. */
function regexError(message: string, format: string, ...examples: string[]): string {
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${format}')`;
}

const maxLenError = (bytes: number): string => `must be no more than ${bytes} bytes`;

/** Upstream limits count bytes of UTF-8, not UTF-16 code units. */
function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const isAlphanumeric = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isLowerAlphanumeric = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);

/** `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$` */
function isLabelName(s: string): boolean {
  if (s.length === 0 || !isAlphanumeric(s.charCodeAt(0)) || !isAlphanumeric(s.charCodeAt(s.length - 1))) return false;
  for (let i = 1; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (!isAlphanumeric(c) && c !== 0x2d && c !== 0x5f && c !== 0x2e) return false;
  }
  return true;
}

/** `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$` */
function isSubdomainFormat(s: string): boolean {
  for (const part of s.split('.')) {
    if (part.length === 0 || !isLowerAlphanumeric(part.charCodeAt(0)) || !isLowerAlphanumeric(part.charCodeAt(part.length - 1))) {
      return false;
    }
    for (let i = 1; i < part.length - 1; i++) {
      const c = part.charCodeAt(i);
      if (!isLowerAlphanumeric(c) && c !== 0x2d) return false;
    }
  }
  return true;
}

/** content.IsDNS1123Subdomain: the problems with `value`, none when valid. */
function isDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (utf8Length(value) > SUBDOMAIN_MAX_BYTES) errors.push(maxLenError(SUBDOMAIN_MAX_BYTES));
  if (!isSubdomainFormat(value)) errors.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errors;
}

/**
 * The problems with `value` as a label key (content.IsLabelKey, alias IsQualifiedName): an optional
 * DNS-subdomain prefix and '/', then a name of at most 63 bytes. Empty when valid.
 */
export function isQualifiedName(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = value;
  } else if (parts.length === 2) {
    const [prefix = '', rest = ''] = parts;
    name = rest;
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else errors.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a valid label key ${regexError(LABEL_KEY_ERR, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (utf8Length(name) > LABEL_NAME_MAX_BYTES) errors.push(`name part ${maxLenError(LABEL_NAME_MAX_BYTES)}`);
  if (!isLabelName(name)) errors.push(`name part ${regexError(LABEL_KEY_ERR, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errors;
}

/** The problems with `value` as a label value (content.IsLabelValue): may be empty. Empty when valid. */
export function isValidLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (utf8Length(value) > LABEL_NAME_MAX_BYTES) errors.push(maxLenError(LABEL_NAME_MAX_BYTES));
  if (value.length > 0 && !isLabelName(value)) errors.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Requirements (labels.NewRequirement, Requirement.Matches, Requirement.String).

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): an optional sign and ASCII digits, within int64. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** field.ErrorList.ToAggregate().Error(): duplicates dropped; several are bracketed. */
function aggregate(errors: readonly FieldError[]): string | undefined {
  const messages = [...new Set(errors.map(formatFieldError))];
  if (messages.length === 0) return undefined;
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/**
 * labels.NewRequirement: validates and builds one requirement, throwing the aggregated field errors.
 * Field paths are relative to no parent, as every caller in kube-apiserver passes none ("key",
 * "values[0][mykey]").
 */
function newRequirement(key: string, operator: SelectionOperator, values: readonly string[]): LabelRequirement {
  const errors: FieldError[] = [];
  const keyErrors = isQualifiedName(key);
  if (keyErrors.length > 0) errors.push(fieldErrors.invalid('key', key, keyErrors.join('; ')));
  // Go prints an empty values slice here as JSON null: every caller passes nil for "no values".
  const shown = values.length === 0 ? null : values;
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errors.push(fieldErrors.invalid('values', shown, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errors.push(fieldErrors.invalid('values', shown, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errors.push(fieldErrors.invalid('values', shown, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errors.push(fieldErrors.invalid('values', shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errors.push(fieldErrors.invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      return assertNever(operator);
  }
  values.forEach((v, i) => {
    const valueErrors = isValidLabelValue(v);
    if (valueErrors.length > 0) errors.push(fieldErrors.invalid(`values[${i}][${key}]`, v, valueErrors.join('; ')));
  });
  const message = aggregate(errors);
  if (message !== undefined) throw new LabelSelectorError(message);
  return { key, operator, values };
}

function assertNever(value: never): never {
  throw new Error(`unexpected operator ${String(value)}`);
}

/** Requirement.String(): `!k`, `k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k>1`, `k<1`. */
function requirementString(r: LabelRequirement): string {
  // Values print sorted (upstream safeSort) so the form does not depend on construction order.
  const values = r.values.length === 1 ? (r.values[0] ?? '') : [...r.values].sort().join(',');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case '=':
    case '==':
    case '!=':
      return `${r.key}${r.operator}${values}`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${values})`;
    default:
      return assertNever(r.operator);
  }
}

/** A requirement with what matching needs precomputed, so matches() does no parsing per object. */
interface CompiledRequirement {
  readonly requirement: LabelRequirement;
  readonly valueSet: ReadonlySet<string>;
  /** The bound of gt/lt; undefined (never matching) if it is not one int64. */
  readonly bound: bigint | undefined;
}

function compile(requirement: LabelRequirement): CompiledRequirement {
  const { operator, values } = requirement;
  const isBound = (operator === 'gt' || operator === 'lt') && values.length === 1;
  return { requirement, valueSet: new Set(values), bound: isBound ? parseInt64(values[0] ?? '') : undefined };
}

/** Own properties only, so a label named `constructor` is not found on Object.prototype. */
function lookup(labels: Labels | undefined, key: string): string | undefined {
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

/** Requirement.Matches: `!=` and `notin` match an absent key; gt/lt never match a non-integer. */
function requirementMatches(c: CompiledRequirement, labels: Labels | undefined): boolean {
  const { key, operator } = c.requirement;
  const value = lookup(labels, key);
  switch (operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && c.valueSet.has(value);
    case 'notin':
    case '!=':
      return value === undefined || !c.valueSet.has(value);
    case 'exists':
      return value !== undefined;
    case '!':
      return value === undefined;
    case 'gt':
    case 'lt': {
      const actual = value === undefined ? undefined : parseInt64(value);
      if (actual === undefined || c.bound === undefined) return false;
      return operator === 'gt' ? actual > c.bound : actual < c.bound;
    }
    default:
      return assertNever(operator);
  }
}

class RequirementsSelector implements LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  readonly selectable: boolean;
  readonly empty: boolean;
  readonly #compiled: readonly CompiledRequirement[];

  constructor(requirements: readonly LabelRequirement[], selectable: boolean) {
    // Array.prototype.sort is stable, so requirements on one key keep their order (upstream's
    // sort.Sort is not guaranteed to).
    this.requirements = Object.freeze([...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
    this.selectable = selectable;
    this.empty = selectable && requirements.length === 0;
    this.#compiled = this.requirements.map(compile);
  }

  matches(labels: Labels | undefined): boolean {
    if (!this.selectable) return false;
    // A loop rather than every(): controllers match every object they see, and the closure was most of the cost.
    for (const compiled of this.#compiled) if (!requirementMatches(compiled, labels)) return false;
    return true;
  }

  toString(): string {
    return labelSelectorString(this);
  }
}

/** Matches every object (labels.Everything()); what the empty string parses to. */
export const everythingLabelSelector: LabelSelector = new RequirementsSelector([], true);

/** Matches no object (labels.Nothing()); what a null metav1.LabelSelector converts to. */
export const nothingLabelSelector: LabelSelector = new RequirementsSelector([], false);

/**
 * The canonical string form (Selector.String()): requirements sorted by key, values of each sorted,
 * joined by ",". Parsing it gives an equivalent selector. "Nothing" prints as "", as upstream.
 */
export function labelSelectorString(selector: LabelSelector): string {
  return selector.requirements.map(requirementString).join(',');
}

/** Whether two label sets hold the same pairs, in whatever order (a missing set is empty). */
export function labelsEqual(a: Labels | undefined, b: Labels | undefined): boolean {
  if (a === b) return true;
  let size = 0;
  for (const key in a) {
    if (b?.[key] !== a[key]) return false;
    size++;
  }
  for (const _ in b) size--;
  return size === 0;
}

/**
 * labels.SelectorFromValidatedSet: `k=v` for each entry; an empty or missing set matches everything.
 * The set is not validated (as upstream, it is expected to come from a validated object).
 */
export function selectorFromSet(set: Labels | undefined): LabelSelector {
  const entries = set === undefined ? [] : Object.entries(set);
  if (entries.length === 0) return everythingLabelSelector;
  return new RequirementsSelector(entries.map(([key, value]) => ({ key, operator: '=', values: [value] })), true);
}

// ---------------------------------------------------------------------------------------------
// The string syntax: upstream's Lexer, Parser and parse() (pkg/labels/selector.go).

type Token = 'identifier' | 'end' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

const SYMBOLS: Readonly<Record<string, Token>> = { '(': '(', ')': ')', ',': ',', '!': '!', '=': '=', '==': '==', '!=': '!=', '>': '>', '<': '<' };
const KEYWORDS: ReadonlyMap<string, Token> = new Map<string, Token>([['in', 'in'], ['notin', 'notin']]);

/** Operators upstream lists in "expected:" messages (binaryOperators, as selection.Operator strings). */
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isSpecialSymbol = (c: number): boolean =>
  c === 0x3d || c === 0x21 || c === 0x28 || c === 0x29 || c === 0x2c || c === 0x3e || c === 0x3c;

interface Scanned {
  readonly tokens: Token[];
  readonly literals: string[];
}

/**
 * The whole token stream, ending with 'end'. Upstream's read() returns 0 both at the end of input and
 * for a NUL character, so a NUL where a token would start ends the input, and a NUL right after a
 * token is swallowed as that token's terminator; we keep both quirks. Special symbols are taken
 * longest-first, which with this token set means only "==" and "!=" are two characters long.
 */
function scan(text: string): Scanned {
  const tokens: Token[] = [];
  const literals: string[] = [];
  const n = text.length;
  let pos = 0;
  const swallowNul = (): void => {
    if (pos < n && text.charCodeAt(pos) === 0) pos++;
  };
  for (;;) {
    while (pos < n && isWhitespace(text.charCodeAt(pos))) pos++;
    if (pos >= n || text.charCodeAt(pos) === 0) {
      tokens.push('end');
      literals.push('');
      return { tokens, literals };
    }
    const start = pos;
    const c = text.charCodeAt(pos++);
    if (isSpecialSymbol(c)) {
      if ((c === 0x3d || c === 0x21) && text.charCodeAt(pos) === 0x3d) pos++;
      const literal = text.slice(start, pos);
      swallowNul();
      tokens.push(SYMBOLS[literal] ?? 'identifier');
      literals.push(literal);
    } else {
      while (pos < n) {
        const d = text.charCodeAt(pos);
        if (d === 0 || isSpecialSymbol(d) || isWhitespace(d)) break;
        pos++;
      }
      const literal = text.slice(start, pos);
      swallowNul();
      tokens.push(KEYWORDS.get(literal) ?? 'identifier');
      literals.push(literal);
    }
  }
}

/**
 * In a value position `in` and `notin` are plain identifiers (`x in (in)`, `notin=in`); upstream's
 * ParserContext. Only the operator position reads them as keywords.
 */
type Context = 'keyAndOperator' | 'values';

class Parser {
  readonly #scanned: Scanned;
  #position = 0;

  constructor(scanned: Scanned) {
    this.#scanned = scanned;
  }

  private peek(context: Context): [Token, string] {
    const token = this.#scanned.tokens[this.#position] ?? 'end';
    const literal = this.#scanned.literals[this.#position] ?? '';
    return [context === 'values' && (token === 'in' || token === 'notin') ? 'identifier' : token, literal];
  }

  private next(context: Context): [Token, string] {
    const item = this.peek(context);
    // 'end' is last and is never consumed twice by a successful parse; stay on it regardless.
    if (this.#position < this.#scanned.tokens.length - 1) this.#position++;
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const [token, literal] = this.peek('values');
      switch (token) {
        case 'identifier':
        case '!': {
          try {
            requirements.push(this.parseRequirement());
          } catch (e) {
            if (e instanceof LabelSelectorError) throw new LabelSelectorError(`unable to parse requirement: ${e.message}`);
            throw e;
          }
          const [after, afterLiteral] = this.next('values');
          if (after === 'end') return requirements;
          if (after !== ',') throw new LabelSelectorError(`found '${afterLiteral}', expected: ',' or 'end of string'`);
          const [following, followingLiteral] = this.peek('values');
          if (following !== 'identifier' && following !== '!') {
            throw new LabelSelectorError(`found '${followingLiteral}', expected: identifier after ','`);
          }
          break;
        }
        case 'end':
          return requirements;
        default:
          throw new LabelSelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    let [token, key] = this.next('values');
    const negated = token === '!';
    if (negated) [token, key] = this.next('values');
    if (token !== 'identifier') throw new LabelSelectorError(`found '${key}', expected: identifier`);
    const keyErrors = isQualifiedName(key);
    // The parser validates the key itself, under a nil field path, which Go prints as "<nil>".
    if (keyErrors.length > 0) throw new LabelSelectorError(formatFieldError(fieldErrors.invalid('<nil>', key, keyErrors.join('; '))));
    // `!key` is complete whatever follows: anything else then fails as "expected ',' or end".
    if (negated) return newRequirement(key, '!', []);
    const [following] = this.peek('values');
    if (following === 'end' || following === ',') return newRequirement(key, 'exists', []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    // Upstream passes values through a sets.String: sorted and without duplicates.
    return newRequirement(key, operator, [...values].sort());
  }

  private parseOperator(): SelectionOperator {
    const [token, literal] = this.next('keyAndOperator');
    switch (token) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return token;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new LabelSelectorError(`found '${literal}', expected: ${BINARY_OPERATORS}`);
    }
  }

  /** `( values )`; `()` is the set holding only "". */
  private parseValues(): Set<string> {
    const [open, openLiteral] = this.next('values');
    if (open !== '(') throw new LabelSelectorError(`found '${openLiteral}' expected: '('`);
    const [token, literal] = this.peek('values');
    switch (token) {
      case 'identifier':
      case ',': {
        // The list returns only when ')' is next, so consuming it cannot fail.
        const values = this.parseIdentifiersList();
        this.next('values');
        return values;
      }
      case ')':
        this.next('values');
        return new Set(['']);
      default:
        throw new LabelSelectorError(`found '${literal}', expected: ',', ')' or identifier`);
    }
  }

  /** A comma-separated list in which any value may be empty: `(a,,b)`, `(,a)`, `(a,)`. */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const [token, literal] = this.next('values');
      switch (token) {
        case 'identifier': {
          values.add(literal);
          const [following, followingLiteral] = this.peek('values');
          if (following === ')') return values;
          if (following !== ',') throw new LabelSelectorError(`found '${followingLiteral}', expected: ',' or ')'`);
          break;
        }
        case ',': {
          if (values.size === 0) values.add('');
          const [following] = this.peek('values');
          if (following === ')') {
            values.add('');
            return values;
          }
          if (following === ',') values.add('');
          break;
        }
        default:
          throw new LabelSelectorError(`found '${literal}', expected: ',', or identifier`);
      }
    }
  }

  /** The single value after `=`, `==`, `!=`, `>` or `<`; nothing before `,` or the end means "". */
  private parseExactValue(): Set<string> {
    const [following] = this.peek('values');
    if (following === 'end' || following === ',') return new Set(['']);
    const [token, literal] = this.next('values');
    if (token === 'identifier') return new Set([literal]);
    throw new LabelSelectorError(`found '${literal}', expected: identifier`);
  }
}

/**
 * Parses the `labelSelector` query parameter syntax (labels.Parse). The empty string (or only
 * whitespace) selects everything. Throws {@link LabelSelectorError} with upstream's message.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements = new Parser(scan(text)).parse();
  return requirements.length === 0 ? everythingLabelSelector : new RequirementsSelector(requirements, true);
}

// ---------------------------------------------------------------------------------------------
// metav1.LabelSelector (pkg/apis/meta/v1/helpers.go LabelSelectorAsSelector).

/** metav1.LabelSelectorRequirement as it arrives in JSON. */
export interface MetaLabelSelectorRequirement {
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`; anything else is rejected when converted. */
  readonly operator: string;
  readonly values?: readonly string[] | null | undefined;
}

/** metav1.LabelSelector as it arrives in JSON (e.g. a Deployment's `spec.selector`). */
export interface MetaLabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>> | null | undefined;
  readonly matchExpressions?: readonly MetaLabelSelectorRequirement[] | null | undefined;
}

const META_OPERATORS: ReadonlyMap<string, SelectionOperator> = new Map<string, SelectionOperator>([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/**
 * metav1.LabelSelectorAsSelector: a null/absent selector matches nothing, an empty one everything;
 * `matchLabels` entries become `k=v` and `matchExpressions` their operators, each validated as
 * labels.NewRequirement does. The first invalid entry throws {@link LabelSelectorError}.
 */
export function selectorFromLabelSelector(selector: MetaLabelSelector | null | undefined): LabelSelector {
  if (selector === null || selector === undefined) return nothingLabelSelector;
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const matchExpressions = selector.matchExpressions ?? [];
  if (matchLabels.length + matchExpressions.length === 0) return everythingLabelSelector;
  const requirements = matchLabels.map(([key, value]) => newRequirement(key, '=', [value]));
  for (const expression of matchExpressions) {
    const operator = META_OPERATORS.get(expression.operator);
    if (operator === undefined) throw new LabelSelectorError(`${JSON.stringify(expression.operator)} is not a valid label selector operator`);
    requirements.push(newRequirement(expression.key, operator, [...(expression.values ?? [])]));
  }
  return new RequirementsSelector(requirements, true);
}
