/**
 * @module
 * The string formats Kubernetes names, label keys and label values must have: RFC 1123 labels and
 * subdomains, RFC 1035 labels, qualified names (label keys), label values, and names that are safe
 * as a URL path segment. Each check returns upstream's messages, word for word, so a 422 reads as it
 * does against a real API server; an empty list means valid.
 *
 * Follows apimachinery pkg/util/validation/validation.go, pkg/api/validate/content (kube.go, dns.go,
 * path.go, errors.go), pkg/api/validation/path/name.go and pkg/api/validation/generic.go. Two
 * wordings coexist upstream and are kept: the DNS checks say "must be no more than N characters"
 * (validation.MaxLenError), the label key and value checks say "... N bytes" (content.MaxLenError).
 *
 * Lengths are UTF-8 byte lengths, as Go's `len` counts them. The formats are checked by scanning
 * the string once rather than by regular expressions, so hostile input of any length costs linear
 * time; the regular expressions appear only in the messages, as upstream prints them.
 */

/** A kind's name rule (generic.go ValidateNameFunc); `prefix` is true for a generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[];

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;
const LABEL_KEY_NAME_MAX_LENGTH = 63;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_ERR_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_ERR_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_ERR_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_KEY_ERR_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const LABEL_VALUE_ERR_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** validation.MaxLenError: the wording of the DNS checks. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** content.MaxLenError: the wording of the label key and value checks. */
export function maxLenBytesError(length: number): string {
  return `must be no more than ${length} bytes`;
}

export function emptyError(): string {
  return 'must be non-empty';
}

/** RegexError: the message, examples if any, and the regular expression the format is written as. */
export function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  // Each example ends in ", " and the next starts with " or ", hence upstream's double space.
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${format}')`;
}

/** The length Go's `len` gives: UTF-8 bytes (a lone surrogate counts as U+FFFD, three bytes). */
export function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

const isLowerAlnum = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isAlnum = (c: number): boolean => isLowerAlnum(c) || (c >= 0x41 && c <= 0x5a);
const HYPHEN = 0x2d;
const DOT = 0x2e;
const UNDERSCORE = 0x5f;

/**
 * Whether `value[start, end)` is one or more characters, the first passing `first`, the last
 * `edge`, and all in between `edge` or `middle` — the shape every format here has.
 */
function hasShape(
  value: string,
  start: number,
  end: number,
  first: (c: number) => boolean,
  edge: (c: number) => boolean,
  middle: (c: number) => boolean,
): boolean {
  if (end <= start || !first(value.charCodeAt(start)) || !edge(value.charCodeAt(end - 1))) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = value.charCodeAt(i);
    if (!edge(c) && !middle(c)) return false;
  }
  return true;
}

const isHyphen = (c: number): boolean => c === HYPHEN;
const isLabelKeyPunctuation = (c: number): boolean => c === HYPHEN || c === UNDERSCORE || c === DOT;

/** `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$` over `value[start, end)`. */
function matchesDNS1123Label(value: string, start = 0, end = value.length): boolean {
  return hasShape(value, start, end, isLowerAlnum, isLowerAlnum, isHyphen);
}

/** `^label(\.label)*$`: dot-separated labels, none empty. */
function matchesDNS1123Subdomain(value: string): boolean {
  let start = 0;
  for (;;) {
    const dot = value.indexOf('.', start);
    const end = dot === -1 ? value.length : dot;
    if (!matchesDNS1123Label(value, start, end)) return false;
    if (dot === -1) return true;
    start = dot + 1;
  }
}

function matchesLabelKeyName(value: string): boolean {
  return hasShape(value, 0, value.length, isAlnum, isAlnum, isLabelKeyPunctuation);
}

/** IsDNS1123Label: at most 63 characters of [a-z0-9-], starting and ending alphanumeric. */
export function isDNS1123Label(value: string): string[] {
  const errors: string[] = [];
  if (utf8Length(value) > DNS1123_LABEL_MAX_LENGTH) errors.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!matchesDNS1123Label(value)) {
    // A valid subdomain that is not a valid label can only have failed for its dots.
    if (matchesDNS1123Subdomain(value)) errors.push('must not contain dots');
    else errors.push(regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errors;
}

/** IsDNS1123Subdomain: at most 253 characters of DNS-1123 labels joined by dots. */
export function isDNS1123Subdomain(value: string): string[] {
  return checkSubdomain(value, maxLenError);
}

function checkSubdomain(value: string, tooLong: (length: number) => string): string[] {
  const errors: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errors.push(tooLong(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!matchesDNS1123Subdomain(value)) errors.push(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errors;
}

const WILDCARD_DNS1123_SUBDOMAIN_FMT = `\\*\\.${DNS1123_SUBDOMAIN_FMT}`;
const WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

/** IsWildcardDNS1123Subdomain: `*.` and a DNS-1123 subdomain, at most 253 characters in all (Ingress hosts). */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errors.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!value.startsWith('*.') || !matchesDNS1123Subdomain(value.slice(2))) {
    errors.push(regexError(WILDCARD_DNS1123_SUBDOMAIN_ERR_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, '*.example.com'));
  }
  return errors;
}

/** IsDNS1035Label: like a DNS-1123 label, but starting with a letter. */
export function isDNS1035Label(value: string): string[] {
  const errors: string[] = [];
  if (utf8Length(value) > DNS1035_LABEL_MAX_LENGTH) errors.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!hasShape(value, 0, value.length, isLower, isLowerAlnum, isHyphen)) {
    errors.push(regexError(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  }
  return errors;
}

/**
 * IsQualifiedName (content.IsLabelKey): a name of at most 63 bytes of [A-Za-z0-9-_.], starting and
 * ending alphanumeric, optionally after a DNS-1123 subdomain prefix and a '/'.
 */
export function isQualifiedName(value: string): string[] {
  const errors: string[] = [];
  const slash = value.indexOf('/');
  let name = value;
  if (slash !== -1) {
    if (value.indexOf('/', slash + 1) !== -1) {
      return [
        `a valid label key ${regexError(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}` +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ];
    }
    const prefix = value.slice(0, slash);
    name = value.slice(slash + 1);
    if (prefix.length === 0) errors.push(`prefix part ${emptyError()}`);
    else errors.push(...checkSubdomain(prefix, maxLenBytesError).map((msg) => `prefix part ${msg}`));
  }
  if (name.length === 0) errors.push(`name part ${emptyError()}`);
  else if (utf8Length(name) > LABEL_KEY_NAME_MAX_LENGTH) errors.push(`name part ${maxLenBytesError(LABEL_KEY_NAME_MAX_LENGTH)}`);
  if (!matchesLabelKeyName(name)) {
    errors.push(`name part ${regexError(LABEL_KEY_ERR_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errors;
}

/** IsValidLabelValue (content.IsLabelValue): empty, or a label key's name part. */
export function isValidLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (utf8Length(value) > LABEL_VALUE_MAX_LENGTH) errors.push(maxLenBytesError(LABEL_VALUE_MAX_LENGTH));
  if (value.length !== 0 && !matchesLabelKeyName(value)) {
    errors.push(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errors;
}

/**
 * IsValidPathSegmentName: a name that can be a URL path segment and a storage key segment — not
 * `.` or `..`, no `/` or `%`. As upstream, neither emptiness nor length is checked.
 */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return isValidPathSegmentPrefix(name);
}

/** IsValidPathSegmentPrefix: a generateName, which a suffix may still rescue from being `.` or `..`. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errors: string[] = [];
  if (name.includes('/')) errors.push(`may not contain '/'`);
  if (name.includes('%')) errors.push(`may not contain '%'`);
  return errors;
}

/** ValidatePathSegmentName: the name rule of kinds that only need URL-safe names (custom resources). */
export const validatePathSegmentName: NameValidator = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);

/**
 * maskTrailingDash: a generateName may end in '-' because a suffix follows, so the dash is masked
 * before checking. Upstream cuts two *bytes* and appends "a" (`name[:len-2] + "a"`): "ab-" is checked
 * as "aa". When the character before the dash is multi-byte, that cut leaves a broken character
 * that fails every format; NUL bytes of the same length stand in for it, so the verdict and the
 * length upstream measures are both the same.
 */
export function maskTrailingDash(name: string): string {
  if (name.length <= 1 || !name.endsWith('-')) return name;
  const beforeDash = name.slice(0, -1);
  // Where the character before the dash starts: a surrogate pair is one character.
  let start = beforeDash.length - 1;
  const low = beforeDash.charCodeAt(start);
  const high = beforeDash.charCodeAt(start - 1);
  if (low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff) start--;
  const width = utf8Length(beforeDash.slice(start));
  return `${beforeDash.slice(0, start)}${'\0'.repeat(width - 1)}a`;
}

/** NameIsDNSSubdomain: the name rule of most kinds (Pods, ConfigMaps, Deployments, …). */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** NameIsDNSLabel: the name rule of Namespaces and other kinds whose names become DNS labels. */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** NameIsDNS1035Label: the name rule of Services. */
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** ValidateNamespaceName. */
export const validateNamespaceName: NameValidator = nameIsDNSLabel;
