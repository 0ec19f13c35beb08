import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feeFor } from '../../catalogue/fees.ts';
import { validateAll, visiblePages } from '../../catalogue/form-validation.ts';
import type { DocumentContext, FormData } from '../../catalogue/service-definition.ts';
import { CHANGE_FEE_CENTS } from '../anwohnerparkausweis/rules.ts';
import { bewohnerparkenAenderung } from './definition.ts';
import { isoDateFromInput, isPermitNumber, validUntilRefusal } from './rules.ts';

const now = new Date('2026-11-30T10:00:00Z');
const ctx = { now, timeZone: 'Europe/Berlin' };

function valid(overrides: FormData = {}): FormData {
  return {
    givenName: 'Erika',
    familyName: 'Mustermann',
    street: 'Marktplatz 1',
    postcode: '06108',
    town: 'Halle (Saale)',
    permitNumber: 'BP-2025-01234',
    zone: 'altstadt',
    changes: ['vehicle'],
    email: 'erika@example.org',
    kennzeichen: 'HAL-EM 456E',
    holder: 'self',
    ...overrides,
  };
}
const errorsFor = (overrides: FormData) => validateAll(bewohnerparkenAenderung, valid(overrides), ctx).errors;
const fields = (overrides: FormData) => errorsFor(overrides).map((e) => e.field);

test('a new number plate is a valid change', () => {
  assert.deepEqual(errorsFor({}), [], 'no errors');
  assert.deepEqual(visiblePages(bewohnerparkenAenderung, valid(), ctx).map((p) => p.id), ['ausweis', 'fahrzeug'], 'the vehicle page is asked');
});

test('a move within the zone needs no vehicle data, and stale vehicle answers are dropped', () => {
  const { errors, values } = validateAll(bewohnerparkenAenderung, valid({ changes: ['address'] }), ctx);
  assert.deepEqual(errors, [], 'no errors');
  assert.equal(values.kennzeichen, undefined, 'the plate typed before the answer changed is not kept');
  assert.deepEqual(visiblePages(bewohnerparkenAenderung, valid({ changes: ['address'] }), ctx).map((p) => p.id), ['ausweis'], 'only the permit page');
});

test('at least one change must be chosen', () => {
  assert.deepEqual(fields({ changes: [] }), ['changes'], 'nothing to change is refused');
});

test('the permit number must look like one', () => {
  for (const good of ['BP-2025-01234', '12345', 'A/123'])
    assert.equal(isPermitNumber(good), true, `${good} is accepted`);
  for (const bad of ['12', '-BP2025', 'BP 2025 ?', 'x'.repeat(31)]) assert.equal(isPermitNumber(bad), false, `${bad} is refused`);
  assert.deepEqual(fields({ permitNumber: 'BP#1' }), ['permitNumber'], 'the field is marked');
});

test('the registered address must still be in the permit’s zone; a move to another zone needs a new permit', () => {
  const errors = errorsFor({ changes: ['address'], postcode: '06114', street: 'Ludwig-Wucherer-Straße 10' });
  assert.deepEqual(errors.map((e) => e.field), ['zone'], 'the zone is marked');
  assert.match(errors[0]!.message.de, /Zone B – Paulusviertel/, 'the fitting zone is named');
  assert.match(errors[0]!.message.de, /beantragen Sie bitte einen neuen Bewohnerparkausweis/, 'the remedy is a new permit');
  assert.match(errors[0]!.message.en, /apply for a new resident parking permit/, 'in English too');
});

test('the new plate is checked like a permit’s', () => {
  assert.deepEqual(fields({ kennzeichen: 'HAL 123' }), ['kennzeichen'], 'a plate without letters is refused');
  assert.deepEqual(fields({ holder: 'company' }).sort(), ['registrationCertificate', 'usageConfirmation'], 'someone else’s car needs the documents');
});

test('the fee of a change is flat', () => {
  assert.equal(feeFor(bewohnerparkenAenderung, valid(), ctx).cents, CHANGE_FEE_CENTS, 'the change fee');
});

test('the clerk’s "valid until" must be a future date, typed either way', () => {
  assert.equal(isoDateFromInput('31.03.2027'), '2027-03-31', 'German date');
  assert.equal(isoDateFromInput('1.4.2027'), '2027-04-01', 'short German date');
  assert.equal(isoDateFromInput('2027-03-31'), '2027-03-31', 'ISO date');
  assert.equal(isoDateFromInput('31.02.2027'), undefined, 'no such day');
  assert.equal(validUntilRefusal({ validUntil: '31.03.2027' }, now), undefined, 'a future date is accepted');
  assert.ok(validUntilRefusal({ validUntil: '30.11.2026' }, now), 'today is refused: the permit would already have run out');
  assert.ok(validUntilRefusal({ validUntil: 'bald' }, now), 'text is refused');
  assert.ok(validUntilRefusal({}, now), 'a missing date is refused');
  const change = bewohnerparkenAenderung.process.transitions.find((t) => t.id === 'change')!;
  assert.ok(change.guard!({ caseData: valid({ kennzeichen: 'kaputt' }), input: { validUntil: '31.03.2027' }, now }), 'an invalid new plate blocks the change');
  assert.equal(change.guard!({ caseData: valid(), input: { validUntil: '31.03.2027' }, now }), undefined, 'a valid case passes');
  assert.equal(change.guard!({ caseData: valid({ changes: ['address'], kennzeichen: '' }), input: { validUntil: '31.03.2027' }, now }), undefined, 'an address change needs no plate');
});

test('every document prints the facts of the case, none blank or "undefined"', () => {
  const docCtx: DocumentContext = {
    reference: 'HAL-2026-000123',
    submittedAt: now,
    issuedAt: now,
    timeZone: 'Europe/Berlin',
    department: { de: 'Ordnungsamt', en: 'Public Order Office' },
    city: { de: 'Stadt Halle (Saale)', en: 'City of Halle (Saale)' },
    input: { validUntil: '31.03.2027', reason: 'Die Ausweisnummer ist uns nicht bekannt.' },
  };
  for (const data of [valid(), valid({ changes: ['address'] }), valid({ changes: ['vehicle', 'address'] })])
    for (const tpl of bewohnerparkenAenderung.documents!) {
      const c = tpl.content(data, docCtx);
      for (const r of c.rows ?? []) assert.ok(r.value.trim() !== '', `${tpl.id}: "${r.label.de}" has a value`);
      const texts = [...c.paragraphs, ...(c.closing ?? [])].map((p) => p.de).concat((c.rows ?? []).map((r) => r.value));
      assert.ok(!texts.some((t) => /undefined|NaN|\[object/.test(t)), `${tpl.id} prints no placeholder`);
    }
  const changed = bewohnerparkenAenderung.documents!.find((d) => d.id === 'geaenderter-ausweis')!.content(valid(), docCtx);
  assert.equal(changed.rows?.find((r) => r.label.de === 'Gültig bis')?.value, '31. März 2027', 'the clerk’s date, typed the German way, is printed');
  assert.equal(changed.rows?.find((r) => r.label.de === 'Neues Kennzeichen')?.value, 'HAL-EM 456E', 'the new plate');
});
