import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCity } from '../../catalogue/city.ts';
import { feeFaults, feeFor } from '../../catalogue/fees.ts';
import { validateAll } from '../../catalogue/form-validation.ts';
import type { FormData } from '../../catalogue/service-definition.ts';
import { beglaubigung } from './definition.ts';

const ctx = { now: new Date('2026-11-29T12:00:00Z'), timeZone: 'Europe/Berlin' };

function copies(overrides: FormData = {}): FormData {
  return { kind: 'copy', documentType: 'Abiturzeugnis', copies: '1', pages: '1', usage: 'authority', name: 'Erika Mustermann', email: 'erika@example.org', ...overrides };
}
const fields = (data: FormData) => validateAll(beglaubigung, data, ctx).errors.map((e) => e.field).sort();
const cents = (data: FormData) => feeFor(beglaubigung, validateAll(beglaubigung, data, ctx).values, ctx).cents;

test('a certified copy costs 3 EUR for the first page and 0.50 EUR for each further page, per copy', () => {
  assert.equal(cents(copies()), 300, 'one copy of one page');
  assert.equal(cents(copies({ pages: '3' })), 400, 'one copy of three pages: 3.00 + 2 × 0.50');
  assert.equal(cents(copies({ copies: '2', pages: '3' })), 800, 'two copies of three pages');
  const fee = feeFor(beglaubigung, copies({ copies: '2', pages: '3' }), ctx);
  assert.deepEqual(feeFaults(fee), [], 'the breakdown adds up');
  assert.deepEqual(fee.items.map((i) => i.cents), [600, 200], 'first pages and further pages as two lines');
  assert.equal(feeFor(beglaubigung, {}, ctx).cents, beglaubigung.feeCents, 'before any answer: the lowest fee, as shown on the service page');
});

test('a signature certification costs 5 EUR per signature and asks nothing about copies', () => {
  const signature = copies({ kind: 'signature', signatures: '2', copies: '4', pages: '9' });
  const { errors, values } = validateAll(beglaubigung, signature, ctx);
  assert.deepEqual(errors, [], 'complete');
  assert.equal(values.copies, undefined, 'copies belong to certified copies only');
  assert.equal(feeFor(beglaubigung, values, ctx).cents, 1000, 'two signatures');
  assert.deepEqual(fields(copies({ kind: 'signature' })), ['signatures'], 'the number of signatures is required');
});

test('numbers of copies, pages and signatures are bounded', () => {
  assert.deepEqual(fields(copies({ copies: '0' })), ['copies'], 'at least one copy');
  assert.deepEqual(fields(copies({ pages: '51' })), ['pages'], 'at most 50 pages');
  assert.deepEqual(fields(copies({ kind: 'signature', signatures: '11' })), ['signatures'], 'at most 10 signatures');
});

test('the land registry, the commercial register and notaries need a notary, not the city', () => {
  assert.deepEqual(fields(copies({ usage: 'register' })), ['usage'], 'refused');
  assert.match(validateAll(beglaubigung, copies({ usage: 'register' }), ctx).errors[0]!.message.de, /Notarin oder einen Notar/, 'says where to go instead');
  assert.deepEqual(fields(copies({ usage: 'other' })), [], 'an employer is fine');
});

test('what to bring depends on the kind, and the appointment is at the Bürgerservice', () => {
  const bring = (d: FormData) => (beglaubigung.requiredDocuments?.(d, ctx) ?? []).map((r) => r.label.de);
  assert.ok(bring(copies()).includes('Das Original des Dokuments'), 'copies: the original');
  assert.ok(bring(copies({ kind: 'signature' })).includes('Das Dokument, noch nicht unterschrieben'), 'signature: the unsigned document');
  assert.ok(bring(copies({ kind: 'signature' })).includes('Personalausweis oder Reisepass'), 'always an ID');
  const halle = loadCity('halle');
  for (const id of beglaubigung.appointment!.locations)
    assert.equal(halle.locations.find((l) => l.id === id)?.departmentId, 'buergerservice', `${id} is a Bürgerservice location`);
});
