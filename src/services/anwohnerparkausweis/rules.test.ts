import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feeFor } from '../../catalogue/fees.ts';
import { validateAll } from '../../catalogue/form-validation.ts';
import type { DocumentContext, FormData } from '../../catalogue/service-definition.ts';
import { anwohnerparkausweis } from './definition.ts';
import { normaliseKennzeichen, PERMIT_FEE_CENTS_PER_YEAR, validUntil } from './rules.ts';

const now = new Date('2026-11-30T10:00:00Z');
const ctx = { now, timeZone: 'Europe/Berlin' };
const FILE = '0b6c2a52-3f0e-4c51-9a57-6a1c3f4e2d10:fahrzeugschein.pdf';

function valid(overrides: FormData = {}): FormData {
  return {
    givenName: 'Erika',
    familyName: 'Mustermann',
    street: 'Marktplatz 1',
    postcode: '06108',
    town: 'Halle (Saale)',
    zone: 'altstadt',
    email: 'erika@example.org',
    kennzeichen: 'HAL-EM 123',
    holder: 'self',
    years: '1',
    ...overrides,
  };
}
const errorsFor = (overrides: FormData) => validateAll(anwohnerparkausweis, valid(overrides), ctx).errors;
const fields = (overrides: FormData) => errorsFor(overrides).map((e) => e.field);

test('a complete application is valid', () => {
  assert.deepEqual(errorsFor({}), [], 'no errors for a resident of the Altstadt with their own car');
});

test('number plates: the usual ways of writing one are accepted and normalised', () => {
  const good: Array<[string, string]> = [
    ['HAL-AB 123', 'HAL-AB 123'],
    ['hal ab 123', 'HAL-AB 123'],
    ['HAL-AB123', 'HAL-AB 123'],
    ['HAL - AB 123', 'HAL-AB 123'],
    ['B-A 1', 'B-A 1'],
    ['HAL-AB 123E', 'HAL-AB 123E'],
    ['HAL-A 12H', 'HAL-A 12H'],
    ['MÜ-XY 99', 'MÜ-XY 99'],
    ['HAL-A 1234', 'HAL-A 1234'],
  ];
  for (const [input, expected] of good) assert.equal(normaliseKennzeichen(input), expected, `${input} is a plate`);
});

test('number plates: malformed ones are refused with an example', () => {
  for (const bad of ['HALAB123', 'HAL-AB 0123', 'HAL-ABC 12', 'HAL-AB 12345', 'HAL-AB 1234', '123-AB 1', 'HAL-AB', 'HAL-AB 12X', 'HAL-ÄB 12'])
    assert.equal(normaliseKennzeichen(bad), undefined, `${bad} is not a plate`);
  const errors = errorsFor({ kennzeichen: 'HALAB123' });
  assert.deepEqual(errors.map((e) => e.field), ['kennzeichen'], 'the plate field is marked');
  assert.match(errors[0]!.message.de, /HAL-AB 123/, 'the German message shows an example');
  assert.match(errors[0]!.message.en, /for example HAL-AB 123/, 'the English message shows an example');
});

test('the verified address must lie in the chosen zone', () => {
  const wrongZone = errorsFor({ zone: 'paulusviertel' });
  assert.deepEqual(wrongZone.map((e) => e.field), ['zone'], 'the zone field carries the error, since the address is confirmed and cannot be edited');
  assert.match(wrongZone[0]!.message.de, /nicht in der Zone B – Paulusviertel\. In Frage kommt: Zone A – Altstadt/, 'the message names the fitting zone');
  const twoZones = errorsFor({ postcode: '06110', zone: 'altstadt' });
  assert.match(twoZones[0]!.message.de, /Zone C – Südliche Innenstadt oder Zone D – Medizinerviertel/, 'both zones of a shared postcode are offered');
  assert.deepEqual(fields({ postcode: '06110', zone: 'medizinerviertel' }), [], 'a shared postcode fits either zone');
  assert.match(errorsFor({ postcode: '06130', zone: 'altstadt' })[0]!.message.en, /not in any resident parking zone/, 'an address outside every zone is told so');
  assert.match(errorsFor({ town: 'Leipzig', postcode: '04107' })[0]!.message.de, /wohnen Sie nicht in Halle/, 'an address in another town is refused');
});

test('someone else’s car needs the registration certificate and the keeper’s confirmation', () => {
  assert.deepEqual(fields({ holder: 'company' }).sort(), ['registrationCertificate', 'usageConfirmation'], 'both uploads are asked for a company car');
  assert.deepEqual(fields({ holder: 'other', registrationCertificate: FILE, usageConfirmation: FILE.replace('fahrzeugschein', 'bestaetigung') }), [], 'with both uploads the page is complete');
  const own = validateAll(anwohnerparkausweis, valid({ holder: 'self', registrationCertificate: FILE }), ctx);
  assert.equal(own.values.registrationCertificate, undefined, 'an upload left over from another answer is dropped for the own car');
});

test('the fee is 30.60 EUR per year of validity, and "from 30.60 EUR" before the answer', () => {
  assert.equal(anwohnerparkausweis.feeCents, PERMIT_FEE_CENTS_PER_YEAR, 'the lowest fee is one year');
  assert.equal(feeFor(anwohnerparkausweis, {}, ctx).cents, 3060, 'an empty form costs the lowest fee');
  assert.equal(feeFor(anwohnerparkausweis, valid({ years: '1' }), ctx).cents, 3060, 'one year');
  const two = feeFor(anwohnerparkausweis, valid({ years: '2' }), ctx);
  assert.equal(two.cents, 6120, 'two years');
  assert.match(two.items[0]!.label.de, /2 Jahre/, 'the fee line names the validity');
  assert.equal(feeFor(anwohnerparkausweis, valid({ years: '7' }), ctx).cents, 3060, 'an unknown answer counts as one year');
});

test('a permit runs until the day before the same date one or two years later, in the city’s time zone', () => {
  assert.equal(validUntil(new Date('2026-11-30T10:00:00Z'), 1, 'Europe/Berlin'), '2027-11-29', 'one year');
  assert.equal(validUntil(new Date('2026-11-30T10:00:00Z'), 2, 'Europe/Berlin'), '2028-11-29', 'two years');
  assert.equal(validUntil(new Date('2026-12-31T23:30:00Z'), 1, 'Europe/Berlin'), '2027-12-31', 'issued just after midnight in Halle on 1 January');
  assert.equal(validUntil(new Date('2028-02-29T10:00:00Z'), 2, 'Europe/Berlin'), '2030-02-28', 'issued on a leap day');
  assert.equal(validUntil(new Date('2027-03-01T10:00:00Z'), 1, 'Europe/Berlin'), '2028-02-29', 'the day before 1 March in a leap year');
});

test('the permit shows the normalised plate, the zone and its validity', () => {
  const template = anwohnerparkausweis.documents!.find((d) => d.id === 'bewohnerparkausweis')!;
  const docCtx: DocumentContext = {
    reference: 'HAL-2026-000123',
    submittedAt: new Date('2026-11-30T10:00:00Z'),
    issuedAt: new Date('2026-12-03T09:00:00Z'),
    timeZone: 'Europe/Berlin',
    department: { de: 'Ordnungsamt', en: 'Public Order Office' },
    city: { de: 'Stadt Halle (Saale)', en: 'City of Halle (Saale)' },
    input: { permitNumber: 'BP-2026-00042' },
  };
  const content = template.content(valid({ kennzeichen: 'hal em 123', years: '2' }), docCtx);
  const row = (label: string) => content.rows?.find((r) => r.label.de === label)?.value;
  assert.equal(row('Ausweisnummer'), 'BP-2026-00042', 'the clerk’s permit number');
  assert.equal(row('Kennzeichen'), 'HAL-EM 123', 'the plate as written on the plate');
  assert.equal(row('Bewohnerparkzone'), 'Zone A – Altstadt', 'the zone by name');
  assert.equal(row('Gültig vom'), '3. Dezember 2026', 'valid from the day of issue');
  assert.equal(row('Gültig bis'), '2. Dezember 2028', 'valid for two years');
});

test('the permit cannot be issued on an invalid plate', () => {
  const issue = anwohnerparkausweis.process.transitions.find((t) => t.id === 'issue')!;
  assert.ok(issue.guard!({ caseData: { kennzeichen: 'HAL?' }, input: { permitNumber: '1' }, now }), 'an invalid plate blocks the permit');
  assert.equal(issue.guard!({ caseData: { kennzeichen: 'HAL-EM 123' }, input: { permitNumber: '1' }, now }), undefined, 'a valid plate lets it through');
});

test('every document prints the facts of the case, none blank or "undefined"', () => {
  const docCtx: DocumentContext = {
    reference: 'HAL-2026-000123',
    submittedAt: now,
    issuedAt: now,
    timeZone: 'Europe/Berlin',
    department: { de: 'Ordnungsamt', en: 'Public Order Office' },
    city: { de: 'Stadt Halle (Saale)', en: 'City of Halle (Saale)' },
    input: { permitNumber: 'BP-2026-00042', remarks: 'Bitte Ausweis gut sichtbar auslegen.', reason: 'Die Adresse liegt außerhalb der Zone.' },
  };
  assert.deepEqual(anwohnerparkausweis.documents!.map((d) => d.id), ['eingangsbestaetigung', 'bewohnerparkausweis', 'ablehnungsbescheid'], 'receipt, permit, refusal');
  for (const tpl of anwohnerparkausweis.documents!) {
    const c = tpl.content(valid(), docCtx);
    for (const r of c.rows ?? []) assert.ok(r.value.trim() !== '', `${tpl.id}: "${r.label.de}" has a value`);
    const texts = [...c.paragraphs, ...(c.closing ?? [])].map((p) => p.de).concat((c.rows ?? []).map((r) => r.value));
    assert.ok(!texts.some((t) => /undefined|NaN|\[object/.test(t)), `${tpl.id} prints no placeholder`);
  }
});
