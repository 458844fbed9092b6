/**
 * @module
 * The network formats Services, Endpoints, EndpointSlices and Nodes share: IP addresses and CIDRs
 * (parsed "sloppily", as kube-apiserver's netutils.ParseIPSloppy and ParseCIDRSloppy do, so IPv4
 * octets may carry leading zeros), the special ranges endpoints may not use, port numbers and
 * names, and protocols. Messages are upstream's, from apimachinery pkg/util/validation
 * (validation.go, ip.go) and pkg/apis/core/validation ValidateNonSpecialIP.
 *
 * An IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) counts as IPv4, as Go's `To4()` makes it.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../api/validation/names.js';

export type IPFamily = 'IPv4' | 'IPv6';

/** An address: its family and its value as an unsigned 32- or 128-bit integer. */
export interface IPAddress {
  readonly family: IPFamily;
  readonly value: bigint;
}

/** A CIDR: the address as written, the prefix length, and the network (address with host bits cleared). */
export interface CIDR {
  readonly ip: IPAddress;
  readonly prefix: number;
  readonly network: bigint;
}

export const IPV4_BITS = 32;
export const IPV6_BITS = 128;

/** The protocols a port may have, sorted as upstream's sets.List prints them. */
export const SUPPORTED_PROTOCOLS: readonly string[] = ['SCTP', 'TCP', 'UDP'];

export function bitsOf(family: IPFamily): number {
  return family === 'IPv4' ? IPV4_BITS : IPV6_BITS;
}

/** netutils.ParseIPSloppy: dotted IPv4 (leading zeros allowed) or any RFC 4291 IPv6 text form. */
export function parseIP(text: string): IPAddress | undefined {
  if (text.includes(':')) {
    const value = parseIPv6(text);
    if (value === undefined) return undefined;
    // An IPv4-mapped address is an IPv4 address to Go.
    if (value >> 32n === 0xffffn) return { family: 'IPv4', value: value & 0xffffffffn };
    return { family: 'IPv6', value };
  }
  const value = parseIPv4(text);
  return value === undefined ? undefined : { family: 'IPv4', value };
}

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIPv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  // An embedded IPv4 address may only end the address.
  if (head.slice(0, -1).some((g) => g.length === 2) || tail.slice(0, -1).some((g) => g.length === 2)) return undefined;
  if (halves.length === 2 && tail.length === 0 && head.at(-1)?.length === 2) return undefined;
  const count = [...head, ...tail].reduce((n, g) => n + g.length, 0);
  if (halves.length === 1 ? count !== 8 : count >= 8) return undefined;
  const words = [...head.flat(), ...new Array<number>(8 - count).fill(0), ...tail.flat()];
  return words.reduce((value, word) => (value << 16n) | BigInt(word), 0n);
}

/** The 16-bit groups of a colon-separated run; an embedded IPv4 address is one entry of two groups. */
function groupsOf(run: string): number[][] | undefined {
  if (run === '') return [];
  const groups: number[][] = [];
  for (const part of run.split(':')) {
    if (part.includes('.')) {
      const v4 = parseIPv4(part);
      if (v4 === undefined) return undefined;
      groups.push([Number(v4 >> 16n), Number(v4 & 0xffffn)]);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push([parseInt(part, 16)]);
    } else {
      return undefined;
    }
  }
  return groups;
}

/** netutils.ParseCIDRSloppy: `address/prefix`, the prefix within the family's bits. */
export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  // The family of a CIDR is that of its text: "::ffff:1.2.3.4/120" is a 128-bit prefix.
  const v6 = addressText.includes(':');
  const ip = v6 ? parseIPv6Raw(addressText) : parseIP(addressText);
  if (ip === undefined) return undefined;
  const prefix = Number(prefixText);
  const bits = bitsOf(ip.family);
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { ip, prefix, network: (ip.value >> hostBits) << hostBits };
}

function parseIPv6Raw(text: string): IPAddress | undefined {
  const value = parseIPv6(text);
  return value === undefined ? undefined : { family: 'IPv6', value };
}

/** Go's net.IP String(): dotted IPv4, or RFC 5952 IPv6 (longest run of two or more zero groups as "::"). */
export function formatIP(ip: IPAddress): string {
  if (ip.family === 'IPv4') {
    return [24n, 16n, 8n, 0n].map((shift) => String((ip.value >> shift) & 0xffn)).join('.');
  }
  const words = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => Number((ip.value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (list: number[]): string => list.map((w) => w.toString(16)).join(':');
  if (bestStart === -1) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLength))}`;
}

/** The address `value` of `family`, formatted. */
export function formatValue(family: IPFamily, value: bigint): string {
  return formatIP({ family, value });
}

export function familyOf(text: string): IPFamily | undefined {
  return parseIP(text)?.family;
}

/** validation.IsValidIP (the field form kube-apiserver's core validation calls). */
export function isValidIP(path: string, value: string): FieldError[] {
  if (parseIP(value) !== undefined) return [];
  return [fieldErrors.invalid(path, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

export function isValidIPv4Address(path: string, value: string): FieldError[] {
  return parseIP(value)?.family === 'IPv4' ? [] : [fieldErrors.invalid(path, value, 'must be a valid IPv4 address')];
}

export function isValidIPv6Address(path: string, value: string): FieldError[] {
  return parseIP(value)?.family === 'IPv6' ? [] : [fieldErrors.invalid(path, value, 'must be a valid IPv6 address')];
}

/** validation.IsValidCIDR. */
export function isValidCIDR(path: string, value: string): FieldError[] {
  if (parseCIDR(value) !== undefined) return [];
  return [fieldErrors.invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

/**
 * ValidateNonSpecialIP: endpoints and external IPs may not be unspecified, loopback or link-local
 * (those addresses mean something else on every node).
 */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const ip = parseIP(value);
  if (ip === undefined) return [fieldErrors.invalid(path, value, 'must be a valid IP address')];
  const errors: FieldError[] = [];
  const v4 = ip.family === 'IPv4';
  const top = (bits: number): bigint => ip.value >> BigInt(bitsOf(ip.family) - bits);
  if (ip.value === 0n) errors.push(fieldErrors.invalid(path, value, `may not be unspecified (${value})`));
  if (v4 ? top(8) === 127n : ip.value === 1n) {
    errors.push(fieldErrors.invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  }
  if (v4 ? top(16) === 0xa9fen : top(10) === 0x3fan) {
    errors.push(fieldErrors.invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  // Go's IsLinkLocalMulticast: 224.0.0.0/24, or ff02::/16 whatever the flags nibble.
  if (v4 ? top(24) === 0xe00000n : (top(16) & 0xff0fn) === 0xff02n) {
    errors.push(fieldErrors.invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errors;
}

/** validation.IsValidPortNum. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** validation.IsValidPortName: an IANA service name, at most 15 characters of [-a-z0-9] with a letter. */
export function isValidPortName(port: string): string[] {
  const errors: string[] = [];
  if (port.length > 15) errors.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errors.push('must not begin or end with a hyphen');
  return errors;
}

/** ValidatePortNumOrName: an int-or-string port (a target port). */
export function validatePortNumOrName(port: number | string, path: string): FieldError[] {
  const messages = typeof port === 'number' ? isValidPortNum(port) : isValidPortName(port);
  return messages.map((msg) => fieldErrors.invalid(path, port, msg));
}

/** A port's protocol: required, and one of TCP, UDP or SCTP. */
export function validateProtocol(protocol: string, path: string): FieldError[] {
  if (protocol === '') return [fieldErrors.required(path)];
  if (!SUPPORTED_PROTOCOLS.includes(protocol)) return [fieldErrors.notSupported(path, protocol, SUPPORTED_PROTOCOLS)];
  return [];
}

/** ValidateDNS1123Label. */
export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => fieldErrors.invalid(path, value, msg));
}

/** ValidateQualifiedName (an appProtocol, a loadBalancerClass). */
export function validateQualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((msg) => fieldErrors.invalid(path, value, msg));
}

/** validation.IsFullyQualifiedDomainName: at least two DNS labels, an optional trailing dot. */
export function isFullyQualifiedDomainName(path: string, name: string): FieldError[] {
  if (name.length === 0) return [fieldErrors.required(path)];
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const subdomain = isDNS1123Subdomain(trimmed);
  if (subdomain.length > 0) return [fieldErrors.invalid(path, trimmed, subdomain.join(','))];
  const labels = trimmed.split('.');
  if (labels.length < 2) return [fieldErrors.invalid(path, trimmed, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const problems = isDNS1123Label(label);
    if (problems.length > 0) return [fieldErrors.invalid(path, label, problems.join(','))];
  }
  return [];
}

/**
 * GetWarningsForIP: an address that parses only sloppily (IPv4 octets with leading zeros, IPv4-mapped
 * IPv6) or an IPv6 address not in RFC 5952 form is accepted, with a warning naming the standard form.
 */
export function ipWarnings(path: string, value: string): string[] {
  const ip = parseIP(value);
  if (ip === undefined) return [];
  const canonical = formatIP(ip);
  const sloppyV4 = ip.family === 'IPv4' && (value.includes(':') || value.split('.').some((octet) => octet.length > 1 && octet.startsWith('0')));
  if (sloppyV4) return [`${path}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(canonical)}`];
  if (ip.family === 'IPv6' && value !== canonical) {
    return [`${path}: IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`];
  }
  return [];
}
