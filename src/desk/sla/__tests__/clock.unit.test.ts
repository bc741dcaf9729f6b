import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addWorkingDays, berlinDate, firstAnswerDue, isWorkingDay } from '../clock.js';
import { easterSunday, holidays, isHoliday } from '../holidays.js';

/**
 * The service-level clock with hand-checked dates (calendar of 2017, 2025 and 2026 checked by hand against the
 * Länder's Feiertagsgesetze): Easter Sunday 2026 is 5 April, so Fronleichnam (Easter + 60) is Thursday 4 June 2026;
 * Buß- und Bettag 2026 is Wednesday 18 November (23 November is a Monday); Reformationstag 2025 is a Friday;
 * summer time 2026 begins on Sunday 29 March and ends on Sunday 25 October.
 */
const iso = (d: Date) => d.toISOString();

describe('public holidays', () => {
  test('Easter Sunday of known years', () => {
    assert.deepEqual(easterSunday(2024), { month: 3, day: 31 });
    assert.deepEqual(easterSunday(2025), { month: 4, day: 20 });
    assert.deepEqual(easterSunday(2026), { month: 4, day: 5 });
  });

  test('Fronleichnam 2026-06-04 in Bayern (09), not in Berlin (11)', () => {
    assert.equal(isHoliday('2026-06-04', '09'), true);
    assert.equal(isHoliday('2026-06-04', '11'), false);
    assert.equal(isWorkingDay('2026-06-04', '09'), false);
    assert.equal(isWorkingDay('2026-06-04', '11'), true);
    assert.ok(holidays(2026, '09').some((h) => h.date === '2026-06-04' && h.name === 'Fronleichnam'));
  });

  test('Buß- und Bettag 2026-11-18 only in Sachsen (14); Reformationstag in the north and east only', () => {
    assert.equal(isHoliday('2026-11-18', '14'), true);
    assert.equal(isHoliday('2026-11-18', '16'), false);
    assert.equal(isHoliday('2025-11-19', '14'), true, 'Buß- und Bettag 2025');
    assert.equal(isHoliday('2025-10-31', '03'), true, 'Niedersachsen since 2018');
    assert.equal(isHoliday('2025-10-31', '14'), true, 'Sachsen');
    assert.equal(isHoliday('2025-10-31', '05'), false, 'not in Nordrhein-Westfalen');
    assert.equal(isHoliday('2025-10-31', '09'), false, 'not in Bayern');
    assert.equal(isHoliday('2017-10-31', '09'), true, 'everywhere in the jubilee year 2017');
    assert.equal(isHoliday('2016-10-31', '03'), false, 'Niedersachsen before 2018');
  });

  test('weekends are no working days; ordinary weekdays are', () => {
    assert.equal(isWorkingDay('2026-01-17', '16'), false, 'Saturday');
    assert.equal(isWorkingDay('2026-01-18', '16'), false, 'Sunday');
    assert.equal(isWorkingDay('2026-01-19', '16'), true, 'Monday');
  });
});

describe('addWorkingDays and firstAnswerDue', () => {
  test('Fronleichnam shifts the due time in Bayern but not in Berlin', () => {
    // Wednesday 3 June 2026, 10:00 CEST (08:00 UTC); two working days.
    const received = new Date('2026-06-03T08:00:00Z');
    assert.equal(iso(firstAnswerDue(received, 'normal', '09')), '2026-06-08T08:00:00.000Z', 'Bayern: Fri, Mon');
    assert.equal(iso(firstAnswerDue(received, 'normal', '11')), '2026-06-05T08:00:00.000Z', 'Berlin: Thu, Fri');
  });

  test('Buß- und Bettag in Sachsen', () => {
    // Tuesday 17 November 2026, 09:00 CET (08:00 UTC); one working day (high urgency).
    const received = new Date('2026-11-17T08:00:00Z');
    assert.equal(iso(firstAnswerDue(received, 'high', '14')), '2026-11-19T08:00:00.000Z');
    assert.equal(iso(firstAnswerDue(received, 'high', '16')), '2026-11-18T08:00:00.000Z');
  });

  test('Reformationstag 2025 (Friday) in Niedersachsen, not in Nordrhein-Westfalen; 2017 and Allerheiligen in Bayern', () => {
    // Thursday 30 October 2025, 10:00 CET (09:00 UTC; summer time ended on 26 October).
    const received = new Date('2025-10-30T09:00:00Z');
    assert.equal(iso(firstAnswerDue(received, 'high', '03')), '2025-11-03T09:00:00.000Z', 'over the weekend');
    assert.equal(iso(firstAnswerDue(received, 'high', '05')), '2025-10-31T09:00:00.000Z');
    // Monday 30 October 2017: Reformationstag (everywhere) and Allerheiligen (Bayern) follow.
    assert.equal(iso(firstAnswerDue(new Date('2017-10-30T09:00:00Z'), 'high', '09')), '2017-11-02T09:00:00.000Z');
  });

  test('weekends: Friday and Saturday inquiries with two working days are due on Tuesday, same time', () => {
    assert.equal(iso(firstAnswerDue(new Date('2026-01-16T09:00:00Z'), 'normal', '16')), '2026-01-20T09:00:00.000Z');
    assert.equal(iso(firstAnswerDue(new Date('2026-01-17T09:00:00Z'), 'normal', '16')), '2026-01-20T09:00:00.000Z');
    // Low urgency: five working days from Monday is the next Monday.
    assert.equal(iso(firstAnswerDue(new Date('2026-01-19T09:00:00Z'), 'low', '16')), '2026-01-26T09:00:00.000Z');
    assert.equal(iso(addWorkingDays(new Date('2026-01-19T09:00:00Z'), 0, '16')), '2026-01-19T09:00:00.000Z');
  });

  test('across the change to and from summer time the local time of day is kept', () => {
    // Friday 27 March 2026, 10:00 CET (09:00 UTC) → Tuesday 31 March, 10:00 CEST (08:00 UTC).
    assert.equal(iso(firstAnswerDue(new Date('2026-03-27T09:00:00Z'), 'normal', '16')), '2026-03-31T08:00:00.000Z');
    // Friday 23 October 2026, 10:00 CEST (08:00 UTC) → Tuesday 27 October, 10:00 CET (09:00 UTC).
    assert.equal(iso(firstAnswerDue(new Date('2026-10-23T08:00:00Z'), 'normal', '16')), '2026-10-27T09:00:00.000Z');
  });

  test('late in the evening before the change no local date is skipped or counted twice', () => {
    // Saturday 28 March 2026, 23:30 CET (22:30 UTC) → Tuesday 31 March, 23:30 CEST (21:30 UTC).
    const spring = addWorkingDays(new Date('2026-03-28T22:30:00Z'), 2, '16');
    assert.equal(iso(spring), '2026-03-31T21:30:00.000Z');
    assert.equal(berlinDate(spring), '2026-03-31');
    // Sunday 25 October 2026, 00:30 CEST (Saturday 22:30 UTC) → Tuesday 27 October, 00:30 CET (Monday 23:30 UTC).
    const autumn = addWorkingDays(new Date('2026-10-24T22:30:00Z'), 2, '16');
    assert.equal(iso(autumn), '2026-10-26T23:30:00.000Z');
    assert.equal(berlinDate(autumn), '2026-10-27');
  });
});
