import assert from 'node:assert/strict';
import { test } from 'node:test';
import { weddingDocuments } from './definition.ts';
import { validateWishPage, weddingFee } from './rules.ts';

const ctx = { now: new Date('2026-11-30T10:00:00Z'), timeZone: 'Europe/Berlin' };

test('the wish date must leave two weeks for the checks and lie within nine months', () => {
  assert.match(validateWishPage({ wishDate: '2026-12-13' }, ctx)[0]?.message.de ?? '', /mindestens 14 Tage/, 'thirteen days is too soon');
  assert.deepEqual(validateWishPage({ wishDate: '2026-12-14' }, ctx), [], 'fourteen days is enough');
  assert.deepEqual(validateWishPage({ wishDate: '2027-08-30' }, ctx), [], 'nine months is the limit');
  assert.match(validateWishPage({ wishDate: '2027-08-31' }, ctx)[0]?.message.en ?? '', /at most 9 months/, 'beyond nine months is refused');
  assert.deepEqual(validateWishPage({ wishDate: 'kein Datum' }, ctx), [], 'a malformed date is left to the field check');
});

test('the fee depends on foreign law and the venue', () => {
  assert.equal(weddingFee({ nationality: 'german', venue: 'standesamt' }).cents, 5500, 'German couple at the registry office');
  assert.equal(weddingFee({ nationality: 'foreign', venue: 'standesamt' }).cents, 8000, 'foreign law to check');
  const special = weddingFee({ nationality: 'german', venue: 'special' });
  assert.equal(special.cents, 15500, 'special venue on top');
  assert.equal(special.items.length, 2, 'two lines');
});

test("the documents follow the couple's situation", () => {
  const base = weddingDocuments({ residence: 'halle', nationality: 'german', bornAbroad: 'no', commonChildren: 'no' }, ctx).map((d) => d.label.de);
  assert.equal(base.length, 2, 'ID and birth register extract only');
  const complex = weddingDocuments({ residence: 'elsewhere', nationality: 'foreign', bornAbroad: 'yes', commonChildren: 'yes', previousMarriage: ['divorced', 'widowed'] }, ctx).map((d) => d.label.de);
  for (const part of ['Meldebescheinigung', 'Scheidungsurteil', 'Sterbeurkunde', 'gemeinsamen Kinder', 'Ehefähigkeitszeugnis', 'Ausländische Geburtsurkunde'])
    assert.ok(complex.some((l) => l.includes(part)), `the list names ${part}`);
  assert.equal(complex.length, 8, 'every situation adds its document once');
});
