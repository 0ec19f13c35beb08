import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CityLocation } from '../catalogue/city.ts';
import { loadCity, locationProblems } from '../catalogue/city.ts';
import { addDays, bookableDays, bookableSlotsOfDay, slotsOfDay } from './slots.ts';

const halle = loadCity('halle');
const TZ = halle.timeZone;
const markt = halle.locations.find((l) => l.id === 'buergerservice-markt')!;
const settings = { purpose: { de: 'Test', en: 'Test' }, slotMinutes: 15, capacityPerSlot: 2, locations: ['buergerservice-markt'], bookAheadDays: 14, minNoticeHours: 2 };
const iso = (d: Date) => d.toISOString().slice(0, 16);

test("a day's slots follow the opening hours, with the lunch break left out", () => {
  // Monday 7 December 2026: 08:00–12:00 and 13:00–16:00, 15-minute slots.
  const slots = slotsOfDay(markt, settings, '2026-12-07', TZ);
  assert.equal(slots.length, 16 + 12, '16 slots in the morning, 12 in the afternoon');
  assert.equal(slots[0]!.time, '08:00');
  assert.equal(iso(slots[0]!.startsAt), '2026-12-07T07:00', '08:00 in Halle is 07:00 UTC in winter');
  assert.equal(slots[15]!.time, '11:45', 'the last morning slot ends at 12:00');
  assert.equal(slots[16]!.time, '13:00', 'no slot in the lunch break');
  assert.ok(!slots.some((s) => s.time >= '12:00' && s.time < '13:00'), 'nothing between 12:00 and 13:00');
  assert.equal(slots.at(-1)!.time, '15:45', 'the last slot ends at closing time');
  for (const s of slots) assert.equal(s.endsAt.getTime() - s.startsAt.getTime(), 15 * 60_000, 'every slot is 15 minutes long');
  // Wednesday: mornings only. Sunday: closed.
  assert.equal(slotsOfDay(markt, settings, '2026-12-09', TZ).length, 16, 'Wednesday has the morning only');
  assert.deepEqual(slotsOfDay(markt, settings, '2026-12-06', TZ), [], 'Sunday is closed');
  // A slot length that does not divide the interval: the last slot must still end by closing time.
  const long = slotsOfDay(markt, { slotMinutes: 50 }, '2026-12-09', TZ);
  assert.deepEqual(long.map((s) => s.time), ['08:00', '08:50', '09:40', '10:30'], '50-minute slots that fit before 12:00');
});

test('slots keep their wall-clock time across the change to and from summer time', () => {
  const sundays: CityLocation = { ...markt, id: 'sunday', openingHours: { sun: [['08:00', '10:00']] }, closedDates: [] };
  // 29 March 2026: clocks go forward at 02:00 → 08:00 is 06:00 UTC that day, 07:00 UTC the Sunday before.
  assert.equal(iso(slotsOfDay(sundays, { slotMinutes: 30 }, '2026-03-22', TZ)[0]!.startsAt), '2026-03-22T07:00');
  const spring = slotsOfDay(sundays, { slotMinutes: 30 }, '2026-03-29', TZ);
  assert.deepEqual(spring.map((s) => s.time), ['08:00', '08:30', '09:00', '09:30']);
  assert.equal(iso(spring[0]!.startsAt), '2026-03-29T06:00', 'on the change day 08:00 is already summer time');
  // 25 October 2026: clocks go back at 03:00 → 08:00 is 07:00 UTC again.
  const autumn = slotsOfDay(sundays, { slotMinutes: 30 }, '2026-10-25', TZ);
  assert.equal(iso(autumn[0]!.startsAt), '2026-10-25T07:00', 'on the change back 08:00 is winter time');
  assert.equal(iso(slotsOfDay(sundays, { slotMinutes: 30 }, '2026-10-18', TZ)[0]!.startsAt), '2026-10-18T06:00');
  for (const s of [...spring, ...autumn]) assert.equal(s.endsAt.getTime() - s.startsAt.getTime(), 30 * 60_000, 'slot length is real minutes');
});

test('closed dates have no slots', () => {
  // Thursday 24 December 2026 is a closed date; Thursday 17 December is open.
  assert.deepEqual(slotsOfDay(markt, settings, '2026-12-24', TZ), [], 'Christmas Eve is closed');
  assert.equal(slotsOfDay(markt, settings, '2026-12-17', TZ).length, 16 + 20, 'an ordinary Thursday (until 18:00)');
});

test('minimum notice, the booking window and the past', () => {
  // Monday 7 December 2026, 09:10 in Halle.
  const now = new Date('2026-12-07T08:10:00Z');
  const today = bookableSlotsOfDay(markt, settings, '2026-12-07', now, TZ);
  assert.equal(today[0]!.time, '11:15', 'two hours notice: the first slot today is 11:15');
  const noNotice = bookableSlotsOfDay(markt, { ...settings, minNoticeHours: 0 }, '2026-12-07', now, TZ);
  assert.equal(noNotice[0]!.time, '09:15', 'without notice: the next slot that has not started');
  const days = bookableDays(settings, now, TZ);
  assert.equal(days[0], '2026-12-07');
  assert.equal(days.at(-1), addDays('2026-12-07', 14), 'up to bookAheadDays ahead');
  assert.deepEqual(bookableSlotsOfDay(markt, settings, '2026-12-22', now, TZ), [], 'beyond the window: nothing');
  assert.deepEqual(bookableSlotsOfDay(markt, settings, '2026-12-04', now, TZ), [], 'a day in the past: nothing');
  // Late in the evening in Halle it is already the next day in Berlin's calendar, not UTC's.
  assert.equal(bookableDays(settings, new Date('2026-12-07T23:30:00Z'), TZ)[0], '2026-12-08');
});

test("the city's locations are checked at start-up", () => {
  assert.deepEqual(locationProblems(halle.locations, halle.departments.map((d) => d.id)), [], "Halle's locations are valid");
  const problems = locationProblems(
    [
      { id: 'a', name: { de: 'A', en: 'A' }, address: 'X 1', departmentId: 'buergerservice', openingHours: { mon: [['12:00', '08:00']], fri: [['08:00', '12:00'], ['11:00', '13:00']], funday: [] }, closedDates: ['24.12.2026'] },
      { id: 'a', name: { de: 'A' }, address: '', departmentId: 'nowhere', openingHours: {} },
    ],
    ['buergerservice'],
  ).join('\n');
  assert.match(problems, /openingHours.mon interval \["12:00","08:00"\] must be/, 'from after to');
  assert.match(problems, /openingHours.fri intervals overlap/, 'overlapping intervals');
  assert.match(problems, /openingHours day "funday"/, 'unknown weekday');
  assert.match(problems, /closedDates must be a list of YYYY-MM-DD/);
  assert.match(problems, /location "a": id is used twice/);
  assert.match(problems, /name needs de and en/);
  assert.match(problems, /address missing/);
  assert.match(problems, /department "nowhere" is not one of the city's departments/);
});
