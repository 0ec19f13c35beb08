import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownEffects } from '../../cases/effects.ts';
import { checkDefinition } from '../../catalogue/check-definitions.ts';
import { loadCity } from '../../catalogue/city.ts';
import { feeFor } from '../../catalogue/fees.ts';
import { validatePage } from '../../catalogue/form-validation.ts';
import type { FormData, ServiceDefinition } from '../../catalogue/service-definition.ts';
import { ageOn } from '../../id-documents/age.ts';
import { formatPhotoCode, normalisePhotoCode, photoCodeProblem } from '../../id-documents/photo-code.ts';
import { isSerialNumber, normaliseSerial } from '../../id-documents/serial-number.ts';
import { reisepass } from '../reisepass/definition.ts';
import { personalausweis } from './definition.ts';

const halle = loadCity('halle');
const TZ = 'Europe/Berlin';
const at = (iso: string) => ({ now: new Date(iso), timeZone: TZ });
const page = (def: ServiceDefinition, id: string) => def.pages.find((p) => p.id === id)!;

test('Personalausweis and Reisepass pass the start-up checks against Halle', () => {
  assert.deepEqual(checkDefinition(personalausweis, knownEffects, halle), [], 'personalausweis has no faults');
  assert.deepEqual(checkDefinition(reisepass, knownEffects, halle), [], 'reisepass has no faults');
});

test('the ID card costs 27.60 € the day before the 24th birthday and 46.00 € on it (submission day, Berlin time)', () => {
  const data = { birthdate: '2002-03-15', delivery: 'pickup' };
  assert.equal(feeFor(personalausweis, data, at('2026-03-14T12:00:00Z')).cents, 2760, 'still 23 on 14 March');
  assert.equal(feeFor(personalausweis, data, at('2026-03-15T08:00:00Z')).cents, 4600, '24 on the birthday');
  // 23:30 UTC on the 14th is already the 15th in Halle: the city's day counts, not UTC's.
  assert.equal(feeFor(personalausweis, data, at('2026-03-14T23:30:00Z')).cents, 4600, 'birthday by Berlin time');
  assert.equal(feeFor(personalausweis, data, at('2026-03-14T22:30:00Z')).cents, 2760, 'not yet the birthday in Berlin (UTC+1 in March)');
  const young = feeFor(personalausweis, data, at('2026-03-14T12:00:00Z'));
  assert.deepEqual(young.items.map((i) => i.label.de), ['Personalausweis (unter 24 Jahren)'], 'one line naming the under-24 fee');
});

test('someone born on 29 February is a year older on 1 March in common years, and 24 on 29 February', () => {
  assert.equal(ageOn('2004-02-29', at('2027-02-28T12:00:00Z')), 22, '22 on 28 Feb 2027');
  assert.equal(ageOn('2004-02-29', at('2027-03-01T12:00:00Z')), 23, '23 on 1 Mar 2027');
  // 24 years on is always a leap year (until 2100), so the fee changes on the 29th itself.
  const data = { birthdate: '2004-02-29', delivery: 'pickup' };
  assert.equal(feeFor(personalausweis, data, at('2028-02-28T12:00:00Z')).cents, 2760, '23 on 28 Feb 2028');
  assert.equal(feeFor(personalausweis, data, at('2028-02-29T12:00:00Z')).cents, 4600, '24 on 29 Feb 2028');
  assert.equal(ageOn('2003-02-29', at('2027-02-28T12:00:00Z')), undefined, 'a 29 February in a common year is no date');
  assert.equal(feeFor(personalausweis, { ...data, birthdate: '' }, at('2027-02-28T12:00:00Z')).cents, 4600, 'an unknown birthdate costs the full fee');
});

test('direct delivery by post adds 15 € as a line of its own', () => {
  const fee = feeFor(personalausweis, { birthdate: '1964-08-12', delivery: 'post' }, at('2026-11-30T10:00:00Z'));
  assert.equal(fee.cents, 6100, '46.00 + 15.00');
  assert.deepEqual(
    fee.items.map((i) => [i.label.en, i.cents]),
    [
      ['ID card (24 and older)', 4600],
      ['Direct delivery by post', 1500],
    ],
    'the breakdown names both lines',
  );
  assert.equal(feeFor(personalausweis, { birthdate: '2010-01-01', delivery: 'post' }, at('2026-11-30T10:00:00Z')).cents, 4260, '27.60 + 15.00 under 24');
});

test('the passport: 70.00 / 37.50 €, express and post as extra lines; the "from" fee is the lowest', () => {
  const ctx = at('2026-11-30T10:00:00Z');
  assert.equal(feeFor(reisepass, { birthdate: '1980-01-01', delivery: 'pickup', express: 'no' }, ctx).cents, 7000, 'adult');
  assert.equal(feeFor(reisepass, { birthdate: '2008-01-01', delivery: 'pickup', express: 'no' }, ctx).cents, 3750, 'under 24');
  assert.equal(feeFor(reisepass, { birthdate: '1980-01-01', delivery: 'post', express: 'yes' }, ctx).cents, 7000 + 3200 + 1500, 'adult, express, by post');
  assert.equal(reisepass.feeCents, 3750, 'the passport shows "from 37.50 €"');
  assert.equal(personalausweis.feeCents, 2760, 'the ID card shows "from 27.60 €"');
  assert.equal(personalausweis.pages.some((p) => p.fields.some((f) => f.id === 'express')), false, 'the ID card has no express option');
});

test('photo codes: 12 characters of A–Z and 2–9 without I and O, hyphens, spaces and case free', () => {
  for (const ok of ['K7QW-3MXA-9PZD', 'k7qw3mxa9pzd', 'K7QW 3MXA 9PZD', ' k7qw-3mxa-9pzd '])
    assert.equal(photoCodeProblem(ok), undefined, `"${ok}" is a photo code`);
  assert.equal(normalisePhotoCode('k7qw-3mxa 9pzd'), 'K7QW3MXA9PZD', 'stored without separators, upper case');
  assert.equal(formatPhotoCode('k7qw3mxa9pzd'), 'K7QW-3MXA-9PZD', 'shown in groups of four');
  const short = photoCodeProblem('K7QW-3MXA-9PZ');
  assert.match(short?.de ?? '', /12 Zeichen, Sie haben 11 eingegeben/, 'German message names the count');
  assert.match(short?.en ?? '', /12 characters; you entered 11/, 'English message names the count');
  assert.match(photoCodeProblem('K7QW-3MXA-9P0D')?.de ?? '', /I, O, 0 und 1 nicht vor/, 'look-alike characters are named');
  assert.match(photoCodeProblem('K7QW-3MXA-9P1D')?.en ?? '', /never contains I, O, 0 or 1/, 'in English too');
  assert.match(photoCodeProblem('K7QW/3MXA/9PZD')?.de ?? '', /nur Buchstaben und Ziffern/, 'other characters are refused with their own message');
  assert.match(photoCodeProblem('https://example.org/K7QW')?.en ?? '', /only letters and digits/, 'a scanned URL is not a code');
});

test('the photo page: an empty code is fine (photo at the office), a wrong one is an error at the field', () => {
  const photo = page(personalausweis, 'foto');
  const check = (photoCode: string) => validatePage(photo, { photoCode }, {}, at('2026-11-30T10:00:00Z')).errors;
  assert.deepEqual(check(''), [], 'no code: the photo is taken at the appointment');
  assert.deepEqual(check('k7qw-3mxa-9pzd'), [], 'a valid code');
  const errors = check('K7QW-3MXA');
  assert.equal(errors.length, 1, 'one error');
  assert.equal(errors[0]?.field, 'photoCode', 'at the photo code field');
});

test('serial numbers: 9 characters of digits and C F G H J K L M N P R T V W X Y Z', () => {
  for (const ok of ['L01X00T47', 'l01x00t47', 'L01X 00T47', 'CFGHJKLMN']) assert.ok(isSerialNumber(ok), `"${ok}" is a serial number`);
  for (const bad of ['L01X00T4', 'L01X00T478', 'A01X00T47', 'L01X00T4E', 'L01X00T4O', '']) assert.ok(!isSerialNumber(bad), `"${bad}" is not`);
  assert.equal(normaliseSerial(' l01x-00t47 '), 'L01X00T47', 'normalised for storage and look-up');
});

test('the start of production needs a well-formed serial number', () => {
  const start = personalausweis.process.transitions.find((t) => t.id === 'start_production')!;
  const guard = (serialNumber: string) => start.guard?.({ caseData: {}, input: { serialNumber }, now: new Date() });
  assert.equal(guard('L01X00T47'), undefined, 'accepted');
  assert.match(guard('L01X00T4')?.de ?? '', /9 Zeichen/, 'refused with the format in German');
  assert.match(guard('L01X00T4')?.en ?? '', /9 characters/, 'and in English');
  assert.ok(start.effects.includes('record_id_document_serial'), 'the serial is recorded');
});

test('arrival transitions follow the delivery chosen', () => {
  const tr = (id: string) => personalausweis.process.transitions.find((t) => t.id === id)!;
  const post: FormData = { delivery: 'post' };
  const pickup: FormData = { delivery: 'pickup' };
  const guard = (id: string, caseData: FormData) => tr(id).guard?.({ caseData, input: {}, now: new Date() });
  assert.equal(guard('mark_ready_for_pickup', pickup), undefined, 'pickup → ready for pickup');
  assert.ok(guard('mark_ready_for_pickup', post), 'a posted card is never "ready for pickup"');
  assert.equal(guard('mark_sent_by_post', post), undefined, 'post → sent by post');
  assert.ok(guard('mark_sent_by_post', pickup), 'a collected card is never "sent by post"');
});

test('only Germans get an ID card or passport: the nationality from the identity is checked', () => {
  const person = page(personalausweis, 'person');
  const base = { givenName: 'Erika', familyName: 'Mustermann', birthdate: '1964-08-12', placeOfBirth: 'Berlin', street: 'Marktplatz 1', postcode: '06108', town: 'Halle (Saale)', email: 'erika@example.org' };
  const ctx = at('2026-11-30T10:00:00Z');
  assert.deepEqual(validatePage(person, { ...base, nationality: 'DE' }, {}, ctx).errors, [], 'DE is German');
  assert.deepEqual(validatePage(person, { ...base, nationality: 'deutsch' }, {}, ctx).errors, [], 'so is "deutsch"');
  const pl = validatePage(person, { ...base, nationality: 'PL' }, {}, ctx).errors;
  assert.equal(pl[0]?.field, 'nationality', 'PL is refused at the nationality');
  assert.match(pl[0]?.message.de ?? '', /Einen Personalausweis erhalten nur deutsche Staatsangehörige/, 'with a German reason');
  assert.match(pl[0]?.message.en ?? '', /Only German nationals can get a German ID card/, 'and an English one');
});

test('identity level, prefill and appointment', () => {
  for (const def of [personalausweis, reisepass]) {
    assert.equal(def.identityLevel, 'substantial', `${def.id}: a verified identity`);
    const prefilled = Object.fromEntries(def.pages.flatMap((p) => p.fields).filter((f) => f.prefill).map((f) => [f.id, f.prefill]));
    assert.deepEqual(
      prefilled,
      { givenName: 'given_name', familyName: 'family_name', birthdate: 'birthdate', placeOfBirth: 'place_of_birth', nationality: 'nationality', street: 'street_address', postcode: 'postal_code', town: 'locality' },
      `${def.id}: the identity's claims fill the personal fields`,
    );
    assert.ok(def.appointment && def.appointment.locations.length > 0, `${def.id}: fingerprints and signature are booked`);
  }
});

test('under 16 the parents are named; a lost document gets its own notice', () => {
  const features = page(personalausweis, 'merkmale');
  const ctx = at('2026-11-30T10:00:00Z');
  const notices = (d: FormData) => (features.notices?.(d, ctx) ?? []).map((n) => n.de).join(' ');
  assert.match(notices({ birthdate: '2014-05-20' }), /Unter 16 Jahren/, '12 years old');
  assert.doesNotMatch(notices({ birthdate: '2010-11-30' }), /Unter 16 Jahren/, '16 today');
  assert.match(notices({ birthdate: '1964-08-12', applicationReason: 'lost' }), /verlorener oder gestohlener/, 'lost');
  assert.equal(notices({ birthdate: '1964-08-12', applicationReason: 'expired' }), '', 'nothing to say otherwise');
});
