import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCity } from '../../catalogue/city.ts';
import { feeFaults, feeFor } from '../../catalogue/fees.ts';
import { validateAll } from '../../catalogue/form-validation.ts';
import { Catalogue } from '../../catalogue/registry.ts';
import type { FormData } from '../../catalogue/service-definition.ts';
import { kinderreisepass } from './definition.ts';
import { childNotices, FEES_UNDER_24 } from './rules.ts';

const ctx = { now: new Date('2026-11-29T12:00:00Z'), timeZone: 'Europe/Berlin' };
const FILE = '0b6a1f7e-3c1d-4d2a-9a57-1f0c2b3d4e5f:einverstaendnis.pdf';

function application(overrides: FormData = {}): FormData {
  return {
    documentType: 'personalausweis',
    childGivenName: 'Mia',
    childFamilyName: 'Mustermann',
    childBirthdate: '2019-05-17',
    childPlaceOfBirth: 'Halle (Saale)',
    childGerman: 'yes',
    parentName: 'Erika Mustermann',
    email: 'erika@example.org',
    custody: 'joint',
    secondConsent: 'together',
    photo: 'code',
    photoCode: 'FOTO2026ABC123',
    ...overrides,
  };
}
const fields = (overrides: FormData) => validateAll(kinderreisepass, application(overrides), ctx).errors.map((e) => e.field).sort();
const fee = (overrides: FormData) => feeFor(kinderreisepass, validateAll(kinderreisepass, application(overrides), ctx).values, ctx);

test('a complete application for a child with both parents at the appointment is valid', () => {
  assert.deepEqual(fields({}), [], 'nothing missing');
});

test('the document is for a German child under 18', () => {
  assert.deepEqual(fields({ childBirthdate: '2008-11-29' }), ['childBirthdate'], 'on the 18th birthday the child applies alone');
  assert.match(validateAll(kinderreisepass, application({ childBirthdate: '2008-11-29' }), ctx).errors[0]!.message.de, /selbst/, 'says so');
  assert.deepEqual(fields({ childBirthdate: '2008-11-30' }), [], 'one day before the 18th birthday is still a child');
  assert.deepEqual(fields({ childBirthdate: '2026-12-01' }), ['childBirthdate'], 'not born yet');
  assert.deepEqual(fields({ childGerman: 'no' }), ['childGerman'], 'only Germans get these documents');
});

test("both custodians consent: the other parent comes along or sends a signed consent", () => {
  assert.deepEqual(fields({ secondConsent: '' }), ['secondConsent'], 'with joint custody the question is required');
  assert.deepEqual(fields({ secondConsent: 'upload' }), ['consentFile'], 'a consent by letter needs the upload');
  assert.deepEqual(fields({ secondConsent: 'upload', consentFile: FILE }), [], 'with the upload it is complete');
  const sole = validateAll(kinderreisepass, application({ custody: 'sole', secondConsent: 'upload', consentFile: FILE }), ctx);
  assert.deepEqual(sole.errors, [], 'sole custody needs no second consent');
  assert.equal(sole.values.consentFile, undefined, 'and keeps no left-over consent');
  const bring = (d: FormData) => (kinderreisepass.requiredDocuments?.(d, ctx) ?? []).map((r) => r.label.de).join(' | ');
  assert.match(bring(application({ custody: 'sole' })), /alleinigen Sorgerechts/, 'sole custody: bring the proof');
  assert.match(bring(application({ secondConsent: 'upload', consentFile: FILE })), /Original der Einverständniserklärung/, 'consent by letter: bring the original');
  assert.match(bring(application()), /anderen Elternteil kommt mit|andere Elternteil kommt mit/, 'or the other parent comes');
});

test('the fee depends on the document and the photo', () => {
  assert.equal(fee({}).cents, 2760, 'Personalausweis under 24: 27.60 EUR');
  assert.equal(fee({ documentType: 'reisepass' }).cents, 3750, 'Reisepass under 24: 37.50 EUR');
  assert.equal(fee({ photo: 'office', photoCode: '' }).cents, 2760 + 600, 'a photo at the office adds 6 EUR');
  assert.deepEqual(feeFaults(fee({ documentType: 'reisepass', photo: 'office' })), [], 'the breakdown adds up');
  assert.equal(kinderreisepass.feeCents, Math.min(FEES_UNDER_24.personalausweis, FEES_UNDER_24.reisepass), 'the service page shows the lowest fee');
});

test("the photographer's code is checked for its form", () => {
  assert.deepEqual(fields({ photoCode: 'abc' }), ['photoCode'], 'too short');
  assert.deepEqual(fields({ photoCode: 'FOTO 2026' }), ['photoCode'], 'no spaces');
  assert.deepEqual(fields({ photo: 'office', photoCode: 'abc' }), [], 'no code needed when the photo is taken at the office');
});

test('children under 6 are told they give no fingerprints', () => {
  assert.equal(childNotices(application({ childBirthdate: '2021-06-01' }), ctx).length, 1, 'a five-year-old');
  assert.equal(childNotices(application({ childBirthdate: '2019-05-17' }), ctx).length, 0, 'a seven-year-old');
});

test('parents who search for the old name find the service, which explains the change', () => {
  const catalogue = new Catalogue([kinderreisepass], { ...loadCity('halle'), services: {} });
  for (const query of ['Kinderreisepass', 'Reisepass Kind', 'Personalausweis Kind', 'Kinderausweis'])
    assert.ok(catalogue.search(query, 'de').some((d) => d.id === 'kinderreisepass'), `"${query}" finds it`);
  assert.match(kinderreisepass.summary.de, /gibt es seit 2024 nicht mehr/, 'the summary says the Kinderreisepass is gone');
});
