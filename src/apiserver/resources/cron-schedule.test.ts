import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cronScheduleError, durationError, isKnownLocation, timeZoneErrors } from './cron-schedule.js';

test('standard five-field schedules, names, ranges, steps and lists parse', () => {
  for (const schedule of ['* * * * *', '0 0 1 1 *', '*/15 9-17 * * MON-FRI', '5,35 */2 1-31/2 jan,jul sun', '0 12 ? * 0', '  0   3 * * *  ']) {
    assert.equal(cronScheduleError(schedule), undefined, schedule);
  }
});

test('descriptors parse, and @every needs a Go duration', () => {
  for (const schedule of ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@every 90s', '@every 1h30m', '@every 1.5h']) {
    assert.equal(cronScheduleError(schedule), undefined, schedule);
  }
  assert.equal(cronScheduleError('@fortnightly'), 'unrecognized descriptor: @fortnightly');
  assert.equal(cronScheduleError('@every 5'), 'failed to parse duration @every 5: time: missing unit in duration "5"');
  assert.equal(cronScheduleError('@every 5y'), 'failed to parse duration @every 5y: time: unknown unit "y" in duration "5y"');
});

test('a wrong number of fields is reported with the fields found', () => {
  assert.equal(cronScheduleError(''), 'empty spec string');
  assert.equal(cronScheduleError('0 0 * *'), 'expected exactly 5 fields, found 4: [0 0 * *]');
  assert.equal(cronScheduleError('0 0 0 * * * *'), 'expected exactly 5 fields, found 7: [0 0 0 * * * *]');
});

test('out-of-range and malformed fields get robfig/cron messages', () => {
  assert.equal(cronScheduleError('60 * * * *'), 'end of range (60) above maximum (59): 60');
  assert.equal(cronScheduleError('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
  assert.equal(cronScheduleError('* 5-2 * * *'), 'beginning of range (5) beyond end of range (2): 5-2');
  assert.equal(cronScheduleError('*/0 * * * *'), 'step of range should be a positive number: */0');
  assert.equal(cronScheduleError('1-2-3 * * * *'), 'too many hyphens: 1-2-3');
  assert.equal(cronScheduleError('1/2/3 * * * *'), 'too many slashes: 1/2/3');
  assert.equal(cronScheduleError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(cronScheduleError('* * * foo *'), 'failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax');
  assert.equal(cronScheduleError('* * * * 7'), 'end of range (7) above maximum (6): 7');
});

test('a time zone prefix must name a known zone and be followed by the schedule', () => {
  assert.equal(cronScheduleError('TZ=Europe/Paris 0 9 * * *'), undefined);
  assert.equal(cronScheduleError('CRON_TZ=Nowhere/Else 0 9 * * *'), 'provided bad location Nowhere/Else: unknown time zone Nowhere/Else');
  assert.equal(cronScheduleError('TZ=UTC'), 'invalid schedule format: runtime error: slice bounds out of range [3:-1]');
});

test('durations follow time.ParseDuration', () => {
  assert.equal(durationError('0'), undefined);
  assert.equal(durationError('-1m'), undefined);
  assert.equal(durationError('300ms'), undefined);
  assert.equal(durationError(''), 'time: invalid duration ""');
  assert.equal(durationError('h'), 'time: invalid duration "h"');
});

test('time zones are IANA names spelt with their own case', () => {
  assert.equal(isKnownLocation('America/New_York'), true);
  assert.equal(isKnownLocation('america/new_york'), false);
  assert.equal(isKnownLocation('UTC'), true);
  assert.deepEqual(timeZoneErrors('Asia/Tokyo'), []);
  assert.deepEqual(timeZoneErrors('../etc/passwd'), ['unknown time zone ../etc/passwd']);
  assert.deepEqual(timeZoneErrors('local'), [
    'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
    'unknown time zone local',
  ]);
});
