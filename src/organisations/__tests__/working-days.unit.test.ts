import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWorkingDays, workingDaysPassed } from '../working-days.js';

test('three working days skip the weekend', () => {
  // Friday 10:00 → Wednesday 10:00 (Monday, Tuesday, Wednesday).
  assert.equal(addWorkingDays(new Date('2025-12-05T10:00:00Z'), 3).toISOString(), '2025-12-10T10:00:00.000Z');
  // Monday → Thursday.
  assert.equal(addWorkingDays(new Date('2025-12-01T08:00:00Z'), 3).toISOString(), '2025-12-04T08:00:00.000Z');
  // Saturday → Wednesday (the weekend does not count).
  assert.equal(addWorkingDays(new Date('2025-12-06T12:00:00Z'), 3).toISOString(), '2025-12-10T12:00:00.000Z');
  // Wednesday → Monday.
  assert.equal(addWorkingDays(new Date('2025-12-03T12:00:00Z'), 3).toISOString(), '2025-12-08T12:00:00.000Z');
});

test('passed from the exact moment on', () => {
  const from = new Date('2025-12-05T10:00:00Z');
  assert.equal(workingDaysPassed(from, new Date('2025-12-10T09:59:59Z'), 3), false);
  assert.equal(workingDaysPassed(from, new Date('2025-12-10T10:00:00Z'), 3), true);
  assert.equal(workingDaysPassed(from, new Date('2025-12-08T10:00:00Z'), 3), false, 'calendar days are not enough');
});
