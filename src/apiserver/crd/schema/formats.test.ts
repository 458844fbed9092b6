import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFormat } from './formats.js';

describe('string formats', () => {
  const cases: readonly (readonly [string, string, boolean])[] = [
    ['date-time', '2024-02-29T12:00:00Z', true],
    ['date-time', '2024-02-30T12:00:00Z', false],
    ['date-time', '2024-01-01T12:00:00.123+02:00', true],
    ['date', '2023-12-31', true],
    ['date', '2023-13-01', false],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
    ['uuid', 'not-a-uuid', false],
    ['ipv4', '10.0.0.1', true],
    ['ipv4', '10.0.0.256', false],
    ['ipv6', '::1', true],
    ['ipv6', '10.0.0.1', false],
    ['cidr', '10.0.0.0/8', true],
    ['cidr', '10.0.0.0/33', false],
    ['mac', '01:23:45:67:89:ab', true],
    ['mac', '01:23:45', false],
    ['hostname', 'example.com', true],
    ['hostname', 'bad_host!', false],
    ['email', 'a@example.com', true],
    ['email', 'nope', false],
    ['uri', 'https://example.com/x', true],
    ['uri', 'relative/path', false],
    ['byte', 'aGVsbG8=', true],
    ['byte', 'a', false],
    ['duration', '1h30m', true],
    ['duration', '3 days', true],
    ['duration', 'soon', false],
  ];
  for (const [format, value, valid] of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${JSON.stringify(value)} as ${format}`, () => {
      assert.equal(matchesFormat(format, value), valid);
    });
  }

  it('does not check formats the registry does not hold (int32, unknown ones)', () => {
    assert.equal(matchesFormat('int32', 'anything'), true);
    assert.equal(matchesFormat('my-format', 'anything'), true);
  });
});
