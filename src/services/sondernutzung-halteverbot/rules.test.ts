import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feeFaults, feeFor } from '../../catalogue/fees.ts';
import { validateAll } from '../../catalogue/form-validation.ts';
import type { DocumentContext, FormData } from '../../catalogue/service-definition.ts';
import { sondernutzungHalteverbot } from './definition.ts';
import { addWorkingDays, dayCount, earliestStart, easterSunday, halteverbotFee, isWorkingDay, LOWEST_FEE_CENTS } from './rules.ts';

// Monday, 30 November 2026, 11:00 in Halle: ten working days later is Monday, 14 December.
const now = new Date('2026-11-30T10:00:00Z');
const ctx = { now, timeZone: 'Europe/Berlin' };

function valid(overrides: FormData = {}): FormData {
  return {
    applicantName: 'Erika Mustermann',
    organisation: '',
    street: 'Marktplatz 1',
    postcode: '06108',
    town: 'Halle (Saale)',
    email: 'erika@example.org',
    phone: '0345 123456',
    placeStreet: 'Große Ulrichstraße 7',
    placePostcode: '06108',
    placeDetails: '',
    lengthMetres: '15',
    reason: 'umzug',
    startDate: '2026-12-14',
    endDate: '',
    fromTime: '07:00',
    toTime: '18:00',
    ...overrides,
  };
}
const errorsFor = (overrides: FormData, at = ctx) => validateAll(sondernutzungHalteverbot, valid(overrides), at).errors;
const fields = (overrides: FormData, at = ctx) => errorsFor(overrides, at).map((e) => e.field);

test('a complete application on the earliest possible day is valid', () => {
  assert.deepEqual(errorsFor({}), [], 'no errors');
});

test('easter and the public holidays of Sachsen-Anhalt', () => {
  assert.equal(easterSunday(2024), '2024-03-31', 'Easter 2024');
  assert.equal(easterSunday(2026), '2026-04-05', 'Easter 2026');
  assert.equal(easterSunday(2027), '2027-03-28', 'Easter 2027');
  assert.equal(easterSunday(2038), '2038-04-25', 'the latest Easter of the century so far');
  for (const holiday of ['2027-01-01', '2027-01-06', '2027-03-26', '2027-03-29', '2027-05-06', '2027-05-17', '2026-10-03', '2026-10-31', '2026-12-25', '2026-12-26'])
    assert.equal(isWorkingDay(holiday), false, `${holiday} is a holiday or weekend`);
  for (const workday of ['2026-12-24', '2026-12-31', '2027-03-25', '2027-03-30', '2026-11-18'])
    assert.equal(isWorkingDay(workday), true, `${workday} is a working day in Sachsen-Anhalt`);
});

test('ten working days skip weekends and holidays', () => {
  assert.equal(addWorkingDays('2026-11-30', 10), '2026-12-14', 'two weekends');
  assert.equal(addWorkingDays('2026-12-15', 10), '2026-12-30', 'Christmas Day and Boxing Day do not count');
  assert.equal(addWorkingDays('2027-03-19', 10), '2027-04-06', 'Good Friday and Easter Monday do not count');
  assert.equal(earliestStart(ctx), '2026-12-14', 'from Monday, 30 November');
  assert.equal(earliestStart({ now: new Date('2026-11-29T23:30:00Z'), timeZone: 'Europe/Berlin' }), '2026-12-14', 'just after midnight in Halle it is already Monday, whatever UTC says');
  assert.equal(earliestStart({ now: new Date('2026-11-29T22:30:00Z'), timeZone: 'Europe/Berlin' }), '2026-12-11', 'late on Sunday evening the count starts on Monday');
});

test('less than ten working days ahead is refused with a clear message naming the earliest day', () => {
  const errors = errorsFor({ startDate: '2026-12-11' });
  assert.deepEqual(errors.map((e) => e.field), ['startDate'], 'the first day is marked');
  assert.match(errors[0]!.message.de, /mindestens 10 Arbeitstage vorher/, 'the rule in German');
  assert.match(errors[0]!.message.de, /14\. Dezember 2026/, 'the earliest day in German');
  assert.match(errors[0]!.message.en, /at least 10 working days ahead.*14 December 2026/, 'the rule and the day in English');
  assert.deepEqual(fields({ startDate: '2026-11-30' }), ['startDate'], 'today is refused');
  assert.deepEqual(fields({ startDate: '2026-12-15' }), [], 'a day after the earliest is fine');
});

test('the last day, the length of the use and the times must fit', () => {
  assert.deepEqual(fields({ startDate: '2026-12-15', endDate: '2026-12-14' }), ['endDate'], 'the end before the start');
  assert.deepEqual(fields({ endDate: '2026-12-27' }), [], '14 days in a row are allowed');
  assert.match(errorsFor({ endDate: '2026-12-28' })[0]!.message.de, /höchstens 14 Tage/, '15 days are refused');
  assert.deepEqual(fields({ fromTime: '18:00', toTime: '07:00' }), ['toTime'], 'until before from');
  assert.deepEqual(fields({ fromTime: '07:00', toTime: '07:00' }), ['toTime'], 'no empty time span');
});

test('at most 180 days ahead', () => {
  assert.deepEqual(fields({ startDate: '2027-05-29' }), [], 'exactly 180 days ahead');
  assert.deepEqual(fields({ startDate: '2027-05-31' }), ['startDate'], 'more than 180 days ahead');
});

test('the length must be between 5 and 50 metres', () => {
  assert.deepEqual(fields({ lengthMetres: '4' }), ['lengthMetres'], 'too short');
  assert.deepEqual(fields({ lengthMetres: '51' }), ['lengthMetres'], 'too long');
  assert.deepEqual(fields({ lengthMetres: '5' }), [], 'shortest');
  assert.deepEqual(fields({ lengthMetres: '50' }), [], 'longest');
});

test('another reason must be described', () => {
  assert.deepEqual(fields({ reason: 'sonstiges' }), ['reasonOther'], 'the description is asked for');
  assert.deepEqual(fields({ reason: 'sonstiges', reasonOther: 'Kranaufstellung' }), [], 'with a description');
});

test('the fee: 30 EUR administrative fee plus 0.50 EUR per metre and day', () => {
  assert.equal(sondernutzungHalteverbot.feeCents, LOWEST_FEE_CENTS, '"from" is the lowest fee');
  const empty = feeFor(sondernutzungHalteverbot, {}, ctx);
  assert.equal(empty.cents, 3250, 'an empty form costs the lowest fee (5 m, 1 day)');
  assert.equal(empty.cents, LOWEST_FEE_CENTS, 'and matches the "from" amount');
  assert.equal(feeFor(sondernutzungHalteverbot, valid(), ctx).cents, 3750, '15 m on one day');
  const twoDays = feeFor(sondernutzungHalteverbot, valid({ endDate: '2026-12-15' }), ctx);
  assert.equal(twoDays.cents, 4500, '15 m on two days');
  assert.deepEqual(feeFaults(twoDays), [], 'the items add up');
  assert.match(twoDays.items[1]!.label.de, /15 m an 2 Tagen/, 'the fee line explains the amount');
  assert.equal(halteverbotFee(valid({ lengthMetres: '50', endDate: '2026-12-27' })).cents, 3000 + 50 * 14 * 50, 'the largest use');
  assert.equal(halteverbotFee(valid({ lengthMetres: 'viel' })).cents, 3250, 'an unreadable length counts as the minimum');
  assert.equal(halteverbotFee(valid({ startDate: '2026-12-15', endDate: '2026-12-14' })).cents, 3750, 'an end before the start counts as one day');
});

test('days are counted with both ends included', () => {
  assert.equal(dayCount({ startDate: '2026-12-14' }), 1, 'one day without an end');
  assert.equal(dayCount({ startDate: '2027-03-27', endDate: '2027-03-29' }), 3, 'over the change to summer time');
  assert.equal(dayCount({ startDate: '2026-12-14', endDate: '2026-12-13' }), undefined, 'end before start');
});

test('citizens find the service by the words they use for moving house', () => {
  for (const word of ['umziehen', 'umzug', 'halteverbot', 'umzugswagen']) assert.ok(sondernutzungHalteverbot.keywords.includes(word), `keyword ${word}`);
});

test('every document prints the facts of the case, none blank or "undefined"', () => {
  const docCtx: DocumentContext = {
    reference: 'HAL-2026-000123',
    submittedAt: now,
    issuedAt: now,
    timeZone: 'Europe/Berlin',
    department: { de: 'Ordnungsamt', en: 'Public Order Office' },
    city: { de: 'Stadt Halle (Saale)', en: 'City of Halle (Saale)' },
    input: { conditions: 'Die Baumscheibe vor Nr. 7 bleibt frei.', reason: 'An diesem Tag ist dort Markt.' },
  };
  for (const data of [valid(), valid({ endDate: '2026-12-15', reason: 'sonstiges', reasonOther: 'Kran', placeDetails: 'vor Nr. 7' })])
    for (const tpl of sondernutzungHalteverbot.documents!) {
      const c = tpl.content(data, docCtx);
      for (const r of c.rows ?? []) assert.ok(r.value.trim() !== '', `${tpl.id}: "${r.label.de}" has a value`);
      const texts = [...c.paragraphs, ...(c.closing ?? [])].map((p) => p.de).concat((c.rows ?? []).map((r) => r.value));
      assert.ok(!texts.some((t) => /undefined|NaN|\[object/.test(t)), `${tpl.id} prints no placeholder`);
    }
  const order = sondernutzungHalteverbot.documents!.find((d) => d.id === 'anordnung')!.content(valid({ endDate: '2026-12-15' }), docCtx);
  assert.equal(order.rows?.find((r) => r.label.de === 'Tage')?.value, '14. Dezember 2026 bis 15. Dezember 2026', 'both days');
  assert.ok(order.closing?.some((p) => /72 Stunden/.test(p.de)), 'the order states when the signs must stand');
});
