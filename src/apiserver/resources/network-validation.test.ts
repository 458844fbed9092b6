import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFieldError } from '../../api/field-errors.js';
import {
  formatIP,
  isFullyQualifiedDomainName,
  isValidCIDR,
  isValidIP,
  isValidPortName,
  parseCIDR,
  parseIP,
  validateNonSpecialIP,
} from './network-validation.js';

const format = (ip: string): string | undefined => {
  const parsed = parseIP(ip);
  return parsed === undefined ? undefined : formatIP(parsed);
};

test('IPv4 addresses parse sloppily, leading zeros included, and print in dotted form', () => {
  assert.equal(format('10.96.0.1'), '10.96.0.1');
  assert.equal(format('010.096.000.001'), '10.96.0.1');
  for (const bad of ['10.96.0', '10.96.0.256', '10.96.0.1.2', '1.2.3.-4', '', 'a.b.c.d', '1.2.3.4 ']) assert.equal(parseIP(bad), undefined, bad);
});

test('IPv6 addresses parse in every RFC 4291 form and print as RFC 5952', () => {
  assert.equal(format('2001:0db8:0000:0000:0000:0000:0000:0001'), '2001:db8::1');
  assert.equal(format('::'), '::');
  assert.equal(format('::1'), '::1');
  assert.equal(format('fe80::'), 'fe80::');
  assert.equal(format('1:0:0:2:0:0:0:3'), '1:0:0:2::3');
  assert.equal(format('1:0:2:3:4:5:6:7'), '1:0:2:3:4:5:6:7');
  assert.equal(format('64:ff9b::1.2.3.4'), '64:ff9b::102:304');
  assert.equal(parseIP('::ffff:1.2.3.4')?.family, 'IPv4', 'an IPv4-mapped address is IPv4, as Go sees it');
  for (const bad of [':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1.2.3.4::', '::1.2.3.4:5']) assert.equal(parseIP(bad), undefined, bad);
});

test('CIDRs carry their network and prefix', () => {
  const cidr = parseCIDR('10.96.5.7/12');
  assert.equal(cidr?.prefix, 12);
  assert.equal(cidr === undefined ? '' : formatIP({ family: 'IPv4', value: cidr.network }), '10.96.0.0');
  assert.equal(parseCIDR('fd00::/64')?.ip.family, 'IPv6');
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '::/129', '10.0.0.0/x']) assert.equal(parseCIDR(bad), undefined, bad);
});

test('IP and CIDR validation use upstream messages', () => {
  assert.deepEqual(isValidIP('f', '1.2.3').map(formatFieldError), ['f: Invalid value: "1.2.3": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  assert.deepEqual(isValidCIDR('f', '1.2.3.4').map(formatFieldError), ['f: Invalid value: "1.2.3.4": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
  assert.deepEqual(isValidIP('f', '2001:db8::1'), []);
});

test('special addresses are refused for endpoints', () => {
  const check = (ip: string): string[] => validateNonSpecialIP(ip, 'ip').map((e) => e.detail ?? '');
  assert.deepEqual(check('0.0.0.0'), ['may not be unspecified (0.0.0.0)']);
  assert.deepEqual(check('::'), ['may not be unspecified (::)']);
  assert.deepEqual(check('127.0.0.5'), ['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(check('::1'), ['may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(check('169.254.1.1'), ['may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
  assert.deepEqual(check('fe80::1'), ['may not be in the link-local range (169.254.0.0/16, fe80::/10)']);
  assert.deepEqual(check('224.0.0.1'), ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
  assert.deepEqual(check('ff02::1'), ['may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)']);
  assert.deepEqual(check('10.1.2.3'), []);
  assert.deepEqual(check('nope'), ['must be a valid IP address']);
});

test('port names follow the IANA service name rules', () => {
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('1234'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('-a--b'), ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
  assert.deepEqual(isValidPortName('a-very-long-port-name'), ['must be no more than 15 characters']);
});

test('a fully qualified domain name has at least two labels', () => {
  assert.deepEqual(isFullyQualifiedDomainName('a', 'example.com.'), []);
  assert.deepEqual(isFullyQualifiedDomainName('a', 'localhost').map(formatFieldError), [
    'a: Invalid value: "localhost": should be a domain with at least two segments separated by dots',
  ]);
  assert.deepEqual(isFullyQualifiedDomainName('a', '').map(formatFieldError), ['a: Required value']);
});
