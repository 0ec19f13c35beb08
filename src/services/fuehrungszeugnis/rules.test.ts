import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feeFor, feeFaults } from '../../catalogue/fees.ts';
import { validateAll } from '../../catalogue/form-validation.ts';
import type { FormData } from '../../catalogue/service-definition.ts';
import { fuehrungszeugnis } from './definition.ts';
import { ageOn, FEE_CENTS } from './rules.ts';

const ctx = { now: new Date('2026-11-29T12:00:00Z'), timeZone: 'Europe/Berlin' };
const FILE = '0b6a1f7e-3c1d-4d2a-9a57-1f0c2b3d4e5f:aufforderung.pdf';

function application(overrides: FormData = {}): FormData {
  return {
    givenName: 'Erika',
    familyName: 'Mustermann',
    birthdate: '1964-08-12',
    placeOfBirth: 'Berlin',
    nationality: 'DE',
    street: 'Marktplatz 1',
    postcode: '06108',
    town: 'Halle (Saale)',
    email: 'erika@example.org',
    kind: 'private',
    purpose: 'Bewerbung als Erzieherin',
    feeExemption: 'no',
    ...overrides,
  };
}
const fields = (overrides: FormData) => validateAll(fuehrungszeugnis, application(overrides), ctx).errors.map((e) => e.field).sort();

test('a complete private application is valid and keeps no authority data', () => {
  const { errors, values } = validateAll(fuehrungszeugnis, application({ authorityName: 'left over', requestLetter: FILE }), ctx);
  assert.deepEqual(errors, [], 'nothing missing');
  assert.equal(values.authorityName, undefined, 'the authority belongs to a Behördenführungszeugnis only');
  assert.equal(values.requestLetter, undefined, 'the request letter belongs to an extended certificate only');
});

test('an extended certificate needs the request letter of the organisation', () => {
  assert.deepEqual(fields({ kind: 'extended' }), ['requestLetter'], 'the upload is required');
  assert.deepEqual(fields({ kind: 'extended', requestLetter: FILE }), [], 'with the letter it is complete');
});

test('a certificate for an authority needs the authority and its address', () => {
  assert.deepEqual(fields({ kind: 'authority' }), ['authorityAddress', 'authorityName'], 'name and address are required');
  assert.deepEqual(fields({ kind: 'authority', authorityName: 'Landesschulamt Sachsen-Anhalt', authorityAddress: 'Ernst-Kamieth-Straße 2, 06112 Halle (Saale)' }), [], 'the reference is optional');
});

test('a certificate is issued from the age of 14, never for a birth date in the future', () => {
  assert.equal(ageOn('2012-11-30', '2026-11-29'), 13, 'one day before the 14th birthday');
  assert.equal(ageOn('2012-11-29', '2026-11-29'), 14, 'on the 14th birthday');
  assert.deepEqual(fields({ birthdate: '2012-11-30' }), ['birthdate'], 'a 13-year-old is refused');
  assert.match(validateAll(fuehrungszeugnis, application({ birthdate: '2012-11-30' }), ctx).errors[0]!.message.de, /ab 14 Jahren/, 'the reason is named');
  assert.deepEqual(fields({ birthdate: '2012-11-29' }), [], 'a 14-year-old may apply');
  assert.deepEqual(fields({ birthdate: '2027-01-01' }), ['birthdate'], 'the future is refused');
});

test('the fee is 13 EUR, or nothing while an exemption with proof is asked for', () => {
  const paid = feeFor(fuehrungszeugnis, application(), ctx);
  assert.equal(paid.cents, FEE_CENTS, 'the normal fee');
  assert.equal(FEE_CENTS, 1300, '13.00 EUR');
  assert.deepEqual(feeFaults(paid), [], 'a well-formed breakdown');
  assert.deepEqual(fields({ feeExemption: 'yes' }), ['exemptionProof', 'exemptionReason'], 'an exemption needs a reason and a proof');
  const exempt = application({ feeExemption: 'yes', exemptionReason: 'volunteer', exemptionProof: FILE });
  assert.deepEqual(validateAll(fuehrungszeugnis, exempt, ctx).errors, [], 'complete with reason and proof');
  const fee = feeFor(fuehrungszeugnis, exempt, ctx);
  assert.equal(fee.cents, 0, 'nothing is charged online while the clerk decides');
  assert.match(fee.items[0]!.label.de, /Befreiung beantragt/, 'the breakdown says why');
  assert.equal(feeFor(fuehrungszeugnis, {}, ctx).cents, FEE_CENTS, 'before any answer the full fee is shown');
});

test('the process forwards to the Bundesamt für Justiz and ends when it has sent the certificate', () => {
  const forward = fuehrungszeugnis.process.transitions.find((t) => t.id === 'forward');
  assert.deepEqual([forward?.from, forward?.to], [['received'], 'forwarded'], 'received → forwarded');
  const sent = fuehrungszeugnis.process.states.find((s) => s.id === 'sent');
  assert.equal(sent?.final, true, 'sent by the BfJ is final');
  assert.ok(fuehrungszeugnis.pages[0]!.fields.filter((f) => f.prefill).length >= 8, 'the person comes from the verified identity');
  assert.equal(fuehrungszeugnis.identityLevel, 'high', 'an eID is needed');
});
