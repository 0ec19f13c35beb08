import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feeFor } from '../../catalogue/fees.ts';
import { validateAll } from '../../catalogue/form-validation.ts';
import type { FormData } from '../../catalogue/service-definition.ts';
import { sperrmuell } from './definition.ts';
import { pickupDateRefusal, windowLimits } from './rules.ts';

const now = new Date('2026-11-30T10:00:00Z');
const ctx = { now, timeZone: 'Europe/Berlin' };

function valid(overrides: FormData = {}): FormData {
  return {
    name: 'Erika Mustermann',
    street: 'Marktplatz 1',
    postcode: '06108',
    town: 'Halle (Saale)',
    placement: '',
    email: 'erika@example.org',
    phone: '',
    items: ['furniture', 'mattresses'],
    volume: '3',
    windowFrom: '2026-12-07',
    windowTo: '2026-12-13',
    ...overrides,
  };
}
const errorsFor = (overrides: FormData) => validateAll(sperrmuell, valid(overrides), ctx).errors;
const fields = (overrides: FormData) => errorsFor(overrides).map((e) => e.field);

test('a complete booking is valid and free', () => {
  assert.deepEqual(errorsFor({}), [], 'no errors');
  assert.equal(feeFor(sperrmuell, valid(), ctx).cents, 0, 'no fee');
});

test('items: at least one, and "something else" must be described', () => {
  assert.deepEqual(fields({ items: [] }), ['items'], 'nothing chosen');
  assert.deepEqual(fields({ items: ['other'] }), ['itemsOther'], 'the description is asked for');
  assert.deepEqual(fields({ items: ['other'], itemsOther: 'Bettgestell aus Metall' }), [], 'with a description');
  assert.deepEqual(fields({ items: ['fridge'] }), ['items'], 'an item not offered is refused');
  const { values } = validateAll(sperrmuell, valid({ itemsOther: 'alter Text' }), ctx);
  assert.equal(values.itemsOther, undefined, 'a description left over from an earlier answer is dropped');
});

test('at most 5 cubic metres per pick-up, with a way out', () => {
  assert.deepEqual(fields({ volume: '5' }), [], '5 m³ is fine');
  const errors = errorsFor({ volume: '6' });
  assert.deepEqual(errors.map((e) => e.field), ['volume'], '6 m³ is too much');
  assert.match(errors[0]!.message.de, /höchstens 5 Kubikmeter.*Container/, 'the message offers a container');
  assert.deepEqual(fields({ volume: '0' }), ['volume'], 'nothing to collect');
});

test('the window starts at least a week ahead', () => {
  assert.deepEqual(windowLimits(ctx), { earliest: '2026-12-07', latest: '2027-02-28' }, 'seven and ninety days from Monday, 30 November');
  const errors = errorsFor({ windowFrom: '2026-12-06', windowTo: '2026-12-13' });
  assert.deepEqual(errors.map((e) => e.field), ['windowFrom'], 'one day too early');
  assert.match(errors[0]!.message.de, /frühestens 7 Tage nach heute.*7\. Dezember 2026/, 'the earliest day is named');
  assert.match(errors[0]!.message.en, /7 December 2026/, 'in English too');
});

test('the window spans at least seven days and ends within ninety', () => {
  assert.deepEqual(fields({ windowTo: '2026-12-12' }), ['windowTo'], 'six days are too short');
  assert.match(errorsFor({ windowTo: '2026-12-12' })[0]!.message.de, /mindestens 7 Tagen.*13\. Dezember 2026/, 'the message names the first possible end');
  assert.deepEqual(fields({ windowTo: '2026-12-06' }), ['windowTo'], 'an end before the start');
  assert.deepEqual(fields({ windowFrom: '2027-02-20', windowTo: '2027-02-28' }), [], 'the last possible day');
  assert.deepEqual(fields({ windowFrom: '2027-02-20', windowTo: '2027-03-01' }), ['windowTo'], 'one day too far');
});

test('the clerk’s pick-up date: a real date, not in the past', () => {
  assert.equal(pickupDateRefusal({ pickupDate: '09.12.2026' }, now), undefined, 'German date');
  assert.equal(pickupDateRefusal({ pickupDate: '2026-12-09' }, now), undefined, 'ISO date');
  assert.equal(pickupDateRefusal({ pickupDate: '30.11.2026' }, now), undefined, 'today is possible');
  assert.match(pickupDateRefusal({ pickupDate: '29.11.2026' }, now)?.de ?? '', /Vergangenheit/, 'yesterday is refused');
  assert.match(pickupDateRefusal({ pickupDate: 'Dienstag' }, now)?.de ?? '', /als Datum/, 'a weekday name is refused');
  assert.match(pickupDateRefusal({ pickupDate: '31.11.2026' }, now)?.en ?? '', /as a date/, 'no such day');
  const schedule = sperrmuell.process.transitions.find((t) => t.id === 'schedule')!;
  assert.ok(schedule.inputs?.some((i) => i.id === 'pickupDate' && i.public && i.required), 'the pick-up date is required and shown to the citizen');
  assert.ok(schedule.guard!({ caseData: valid(), input: { pickupDate: '01.01.2020' }, now }), 'the guard refuses a past date');
});
