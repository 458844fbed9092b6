/**
 * Table tests of the cron parser and of next-activation computation on fixed dates.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CronParseError, parseCronSchedule, parseField, parseGoDuration } from './cron-schedule.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('cron schedule', () => {
  test('fields accept stars, steps, ranges, lists and names', () => {
    const cases: [string, { min: number; max: number; names?: ReadonlyMap<string, number> }, number[], boolean][] = [
      ['*', { min: 0, max: 5 }, [0, 1, 2, 3, 4, 5], true],
      ['*/2', { min: 0, max: 5 }, [0, 2, 4], false],
      ['1-3', { min: 0, max: 5 }, [1, 2, 3], false],
      ['1,4', { min: 0, max: 5 }, [1, 4], false],
      ['3/2', { min: 0, max: 9 }, [3, 5, 7, 9], false],
      ['1-6/3', { min: 0, max: 9 }, [1, 4], false],
      ['mon-WED', { min: 0, max: 6, names: new Map([['mon', 1], ['wed', 3]]) }, [1, 2, 3], false],
    ];
    for (const [text, bounds, values, star] of cases) {
      const field = parseField(text, bounds);
      assert.deepEqual([...field.values].sort((a, b) => a - b), values, text);
      assert.equal(field.star, star, text);
    }
  });

  test('malformed schedules are rejected with a CronParseError', () => {
    for (const bad of ['', '* * * *', '* * * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 7', '5-1 * * * *', '*/0 * * * *', 'a * * * *', '@fortnightly', 'TZ=UTC * * * * *', '@every 5x']) {
      assert.throws(() => parseCronSchedule(bad), CronParseError, JSON.stringify(bad));
    }
    assert.throws(() => parseCronSchedule('* * * * *', 'Mars/Olympus'), CronParseError);
  });

  test('next activations on fixed dates', () => {
    const cases: [string, string, string | undefined][] = [
      ['*/1 * * * *', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00.000Z'],
      ['*/1 * * * *', '2026-01-01T00:00:30Z', '2026-01-01T00:01:00.000Z'],
      ['*/15 * * * *', '2026-01-01T00:16:00Z', '2026-01-01T00:30:00.000Z'],
      ['0 * * * *', '2026-01-01T23:10:00Z', '2026-01-02T00:00:00.000Z'],
      ['30 9 * * MON-FRI', '2026-01-02T10:00:00Z', '2026-01-05T09:30:00.000Z'], // Friday after 9:30 → Monday
      ['0 0 1 JAN *', '2026-03-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
      ['0 0 29 2 *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
      ['0 0 31 * *', '2026-04-01T00:00:00Z', '2026-05-31T00:00:00.000Z'],
      // Both day fields restricted: either matches (the 13th, or a Friday).
      ['0 0 13 * 5', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'],
      // Day of month restricted, day of week '*': both must match.
      ['0 0 13 * *', '2026-01-01T00:00:00Z', '2026-01-13T00:00:00.000Z'],
      ['@hourly', '2026-01-01T00:59:59Z', '2026-01-01T01:00:00.000Z'],
      ['@daily', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'],
      ['@weekly', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00.000Z'],
      ['@monthly', '2026-01-15T00:00:00Z', '2026-02-01T00:00:00.000Z'],
      ['@yearly', '2026-01-15T00:00:00Z', '2027-01-01T00:00:00.000Z'],
      ['@every 90s', '2026-01-01T00:00:00.500Z', '2026-01-01T00:01:30.000Z'],
      ['0 0 30 2 *', '2026-01-01T00:00:00Z', undefined],
    ];
    for (const [spec, after, expected] of cases) {
      assert.equal(iso(parseCronSchedule(spec).next(at(after))), expected, `${spec} after ${after}`);
    }
  });

  test('a time zone moves the wall-clock schedule, across daylight saving time', () => {
    const ny = parseCronSchedule('0 9 * * *', 'America/New_York');
    assert.equal(iso(ny.next(at('2026-01-10T00:00:00Z'))), '2026-01-10T14:00:00.000Z'); // EST, UTC-5
    assert.equal(iso(ny.next(at('2026-07-10T00:00:00Z'))), '2026-07-10T13:00:00.000Z'); // EDT, UTC-4
    const tokyo = parseCronSchedule('@daily', 'Asia/Tokyo');
    assert.equal(iso(tokyo.next(at('2026-01-01T00:00:00Z'))), '2026-01-01T15:00:00.000Z');
  });

  test('Go durations parse to milliseconds', () => {
    assert.equal(parseGoDuration('1h30m'), 5_400_000);
    assert.equal(parseGoDuration('1.5s'), 1500);
    assert.throws(() => parseGoDuration('5'), CronParseError);
  });
});
