import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDuration, isCalendarDate, zonedInstant } from './time.ts';

test('zonedInstant converts Berlin wall-clock time in winter and summer', () => {
  assert.equal(zonedInstant('2026-12-01', '14:30', 'Europe/Berlin')?.toISOString(), '2026-12-01T13:30:00.000Z');
  assert.equal(zonedInstant('2027-07-01', '14:30', 'Europe/Berlin')?.toISOString(), '2027-07-01T12:30:00.000Z');
  assert.equal(zonedInstant('2026-13-01', '14:30', 'Europe/Berlin'), undefined);
});

test('isCalendarDate rejects impossible days', () => {
  assert.equal(isCalendarDate('2027-02-29'), false);
  assert.equal(isCalendarDate('2028-02-29'), true);
  assert.equal(isCalendarDate('29.02.2028'), false);
});

test('addDuration adds days and hours', () => {
  assert.equal(addDuration(new Date('2026-01-01T00:00:00Z'), 'P1DT6H').toISOString(), '2026-01-02T06:00:00.000Z');
  assert.throws(() => addDuration(new Date(), 'P1M'));
});
