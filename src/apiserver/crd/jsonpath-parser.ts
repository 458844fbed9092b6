/**
 * @module
 * The parser of Kubernetes' JSONPath templates (client-go util/jsonpath/parser.go): text with
 * `{…}` actions holding fields (`.a.b`, `['a.b']`), array indices and slices (`[0]`, `[-1]`,
 * `[1:3:2]`, `[*]`), unions (`[0,2]`), filters (`[?(@.type=="Ready")]`), recursive descent
 * (`..name`), wildcards, quoted text and literals. It reads the grammar upstream reads, byte for
 * byte where it matters (`@` and `$` are skipped, not roots; a field runs to the next terminator),
 * and fails with upstream's messages. Evaluation lives in jsonpath.ts.
 */

/** A parameter of an array node: `[start:end:step]`, each maybe absent. */
export interface SliceParam {
  readonly known: boolean;
  readonly value: number;
  /** The end of `[n]`, derived as n+1 (so `[-1]` ends at the length). */
  readonly derived: boolean;
}

export type JsonPathNode =
  | { readonly type: 'list'; readonly nodes: readonly JsonPathNode[] }
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'array'; readonly params: readonly [SliceParam, SliceParam, SliceParam] }
  | { readonly type: 'filter'; readonly left: ListNode; readonly right: ListNode; readonly operator: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'wildcard' }
  | { readonly type: 'recursive' }
  | { readonly type: 'union'; readonly nodes: readonly ListNode[] }
  | { readonly type: 'identifier'; readonly name: string };

export type ListNode = Extract<JsonPathNode, { type: 'list' }>;

/** A template that did not parse or could not be evaluated; the message is upstream's. */
export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

const DICT_KEY = /^'([^']*)'$/;
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const FILTER = /^([^!<>=]+)([!<>=]+)(.+?)$/;

/** Parses a whole template: the root list of text and action lists. */
export function parseTemplate(text: string): ListNode {
  return new Parser(text).parse();
}

/** Parses the inside of one action (upstream parseAction): `{text}`'s first list. */
function parseAction(text: string): ListNode {
  const root = parseTemplate(`{${text}}`);
  const first = root.nodes[0];
  if (first === undefined || first.type !== 'list') throw new JsonPathError('invalid action');
  return first;
}

class Parser {
  private pos = 0;
  private start = 0;
  private readonly root: JsonPathNode[] = [];

  constructor(private readonly input: string) {}

  parse(): ListNode {
    this.parseText();
    return { type: 'list', nodes: this.root };
  }

  private consumeText(): string {
    const value = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return value;
  }

  /** The next code point, or undefined at the end. */
  private next(): string | undefined {
    const r = this.input.codePointAt(this.pos);
    if (r === undefined) return undefined;
    const char = String.fromCodePoint(r);
    this.pos += char.length;
    this.width = char.length;
    return char;
  }

  private width = 0;

  private backup(): void {
    this.pos -= this.width;
  }

  private peek(): string | undefined {
    const r = this.next();
    if (r !== undefined) this.backup();
    return r;
  }

  private rest(): string {
    return this.input.slice(this.pos);
  }

  private parseText(): void {
    for (;;) {
      if (this.rest().startsWith('{')) {
        if (this.pos > this.start) this.root.push({ type: 'text', text: this.consumeText() });
        this.pos += 1;
        this.consumeText();
        const action: JsonPathNode[] = [];
        this.root.push({ type: 'list', nodes: action });
        this.parseInsideAction(action);
        return;
      }
      if (this.next() === undefined) break;
    }
    if (this.pos > this.start) this.root.push({ type: 'text', text: this.consumeText() });
  }

  private parseInsideAction(cur: JsonPathNode[]): void {
    for (;;) {
      const rest = this.rest();
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consumeText();
        this.parseText();
        return;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        this.parseRecursive(cur);
        continue;
      }
      const r = this.next();
      if (r === undefined || r === '\r' || r === '\n') throw new JsonPathError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') this.consumeText();
      else if (r === '[') this.parseArray(cur);
      else if (r === '"' || r === "'") this.parseQuote(cur, r);
      else if (r === '.') this.parseField(cur);
      else if (r === '+' || r === '-' || isDigit(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else throw new JsonPathError(`unrecognized character in action: ${goUnicode(r)}`);
    }
  }

  private parseIdentifier(cur: JsonPathNode[]): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        if (r !== undefined) this.backup();
        break;
      }
    }
    const value = this.consumeText();
    cur.push(value === 'true' || value === 'false' ? { type: 'bool', value: value === 'true' } : { type: 'identifier', name: value });
  }

  private parseRecursive(cur: JsonPathNode[]): void {
    if (cur.at(-1)?.type === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
    this.pos += 2;
    this.consumeText();
    cur.push({ type: 'recursive' });
    const r = this.peek();
    if (r !== undefined && isAlphaNumeric(r)) this.parseField(cur);
  }

  private parseNumber(cur: JsonPathNode[]): void {
    const first = this.peek();
    if (first === '+' || first === '-') this.next();
    for (;;) {
      const r = this.next();
      if (r === undefined) break;
      if (r !== '.' && !isDigit(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[+-]?\d+$/.test(value)) cur.push({ type: 'int', value: Number.parseInt(value, 10) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.push({ type: 'float', value: Number.parseFloat(value) });
    else throw new JsonPathError(`cannot parse number ${value}`);
  }

  private parseArray(cur: JsonPathNode[]): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consumeText().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      cur.push({ type: 'union', nodes: parts.map((part) => parseAction(`[${part.trim()}]`)) });
      return;
    }
    const key = DICT_KEY.exec(text);
    if (key !== null) {
      cur.push(...parseAction(`.${key[1] ?? ''}`).nodes);
      return;
    }
    const slice = SLICE.exec(text);
    if (slice === null) throw new JsonPathError(`invalid array index ${text}`);
    const params: SliceParam[] = [];
    for (let i = 0; i < 3; i++) {
      let raw = slice[i + 1];
      if (raw !== undefined && raw !== '') {
        if (i > 0) raw = raw.slice(1);
        if (i > 0 && raw === '') params.push({ known: false, value: 0, derived: false });
        else {
          if (!/^-?\d+$/.test(raw)) throw new JsonPathError(`array index ${raw} is not a number`);
          params.push({ known: true, value: Number.parseInt(raw, 10), derived: false });
        }
      } else if (i === 1) params.push({ known: true, value: (params[0]?.value ?? 0) + 1, derived: true });
      else params.push({ known: false, value: 0, derived: false });
    }
    const [a, b, c] = params as [SliceParam, SliceParam, SliceParam];
    cur.push({ type: 'array', params: [a, b, c] });
  }

  private parseFilter(cur: JsonPathNode[]): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]');
    const text = this.consumeText().slice(0, -2);
    const parts = FILTER.exec(text);
    if (parts === null) {
      cur.push({ type: 'filter', left: parseAction(text), right: { type: 'list', nodes: [] }, operator: 'exists' });
      return;
    }
    cur.push({ type: 'filter', left: parseAction(parts[1] ?? ''), right: parseAction(parts[3] ?? ''), operator: parts[2] ?? '' });
  }

  private parseQuote(cur: JsonPathNode[], end: string): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consumeText();
    cur.push({ type: 'text', text: unquote(value) });
  }

  private parseField(cur: JsonPathNode[]): void {
    this.consumeText();
    for (;;) {
      const r = this.next();
      if (r === '\\') {
        this.next();
        continue;
      }
      if (isTerminator(r)) {
        if (r !== undefined) this.backup();
        break;
      }
    }
    const value = this.consumeText();
    cur.push(value === '*' ? { type: 'wildcard' } : { type: 'field', name: value.replaceAll('\\', '') });
  }
}

/** UnquoteExtend: Go's strconv.Unquote, for single quotes too. */
function unquote(quoted: string): string {
  const quote = quoted[0];
  const body = quoted.slice(1, -1);
  if (!body.includes('\\')) return body;
  const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)/g, (match: string, escape: string) => {
    if (escape.length > 1) return String.fromCodePoint(Number.parseInt(escape.slice(1), 16));
    const replacement = escapes[escape];
    if (replacement === undefined || (escape === "'" && quote === '"') || (escape === '"' && quote === "'")) {
      throw new JsonPathError(`unquote string ${quoted} error invalid syntax`);
    }
    return replacement ?? match;
  });
}

function isTerminator(r: string | undefined): boolean {
  return r === undefined || ' \t\r\n.,[]$@{}'.includes(r);
}

function isDigit(r: string): boolean {
  return /^\p{Nd}$/u.test(r);
}

function isAlphaNumeric(r: string): boolean {
  return r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
}

/** Go's %#U: `U+0023 '#'`. */
function goUnicode(r: string): string {
  return `U+${(r.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}
