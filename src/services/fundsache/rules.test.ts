import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCity } from '../../catalogue/city.ts';
import { feeFor } from '../../catalogue/fees.ts';
import { validateAll } from '../../catalogue/form-validation.ts';
import { Catalogue } from '../../catalogue/registry.ts';
import type { FormData } from '../../catalogue/service-definition.ts';
import { beglaubigung } from '../beglaubigung/definition.ts';
import { fuehrungszeugnis } from '../fuehrungszeugnis/definition.ts';
import { kinderreisepass } from '../kinderreisepass/definition.ts';
import { terminBuergerservice } from '../termin-buergerservice/definition.ts';
import { wohngeld } from '../wohngeld/definition.ts';
import { fundsache } from './definition.ts';
import { addMonths, keepingPeriodGuard, lostIdCardNotice } from './rules.ts';

const ctx = { now: new Date('2026-11-29T12:00:00Z'), timeZone: 'Europe/Berlin' };

function lossReport(overrides: FormData = {}): FormData {
  return {
    reportKind: 'lost',
    category: 'keys',
    description: 'Schlüsselbund mit rotem Anhänger, drei Schlüssel',
    lostDate: '2026-11-27',
    place: 'Straßenbahnlinie 2, zwischen Markt und Rannischer Platz',
    name: 'Erika Mustermann',
    email: 'erika@example.org',
    ...overrides,
  };
}
const fields = (overrides: FormData) => validateAll(fundsache, lossReport(overrides), ctx).errors.map((e) => e.field).sort();

test('a loss report is complete without the finder questions', () => {
  const { errors, values } = validateAll(fundsache, lossReport({ ownershipClaim: 'yes', foundDate: '2026-11-01' }), ctx);
  assert.deepEqual(errors, [], 'nothing missing');
  assert.equal(values.ownershipClaim, undefined, 'the ownership claim belongs to a find');
  assert.equal(values.foundDate, undefined, 'the day of a find is dropped from a loss report');
  assert.equal(feeFor(fundsache, values, ctx).cents, 0, 'free of charge');
});

test('a report of a find asks when it was found, where the item is and whether the finder wants it', () => {
  const find = { reportKind: 'found', lostDate: '' };
  assert.deepEqual(fields(find), ['foundDate', 'itemWhereabouts', 'ownershipClaim'], 'the finder questions are required');
  assert.deepEqual(fields({ ...find, foundDate: '2026-11-28', itemWhereabouts: 'withFinder', ownershipClaim: 'yes' }), [], 'complete');
});

test('the day of the loss or find cannot be in the future', () => {
  assert.deepEqual(fields({ lostDate: '2026-11-30' }), ['lostDate'], 'tomorrow is refused');
  assert.deepEqual(fields({ lostDate: '2026-11-29' }), [], 'today is fine');
  assert.deepEqual(fields({ reportKind: 'found', foundDate: '2026-12-24', itemWhereabouts: 'handedIn', ownershipClaim: 'no' }), ['foundDate'], 'a find in the future is refused');
});

test('a lost ID card is pointed to the ID office and the blocking hotline', () => {
  // On the page after the category: the category page reveals nothing and moves on at once.
  const page = fundsache.pages.find((p) => p.id === 'wann-wo')!;
  assert.deepEqual(page.notices?.(lossReport({ category: 'idcard' }), ctx), [lostIdCardNotice], 'the notice appears for a lost ID');
  assert.deepEqual(page.notices?.(lossReport({ category: 'keys' }), ctx), [], 'not for lost keys');
  assert.ok(!page.notices?.(lossReport({ category: 'idcard', reportKind: 'found' }), ctx).includes(lostIdCardNotice), 'not for a found ID');
  assert.match(lostIdCardNotice.de, /116 116/, 'names the blocking hotline');
});

test('a report is closed as not found only after the six months of § 973 BGB', () => {
  assert.equal(addMonths('2026-05-31', 6), '2026-11-30', 'same day six months later');
  assert.equal(addMonths('2026-08-31', 6), '2027-02-28', 'clamped to the end of a shorter month');
  assert.equal(addMonths('2026-11-15', 2), '2027-01-15', 'across the year');
  const guard = (date: string, now: string) => keepingPeriodGuard({ caseData: lossReport({ lostDate: date }), input: {}, now: new Date(now) });
  assert.match(guard('2026-06-01', '2026-11-29T12:00:00Z')?.de ?? '', /läuft noch bis 2026-12-01/, 'too early: the period still runs');
  assert.equal(guard('2026-05-29', '2026-11-29T12:00:00Z'), undefined, 'six months have passed');
  const find = { caseData: lossReport({ reportKind: 'found', lostDate: '', foundDate: '2026-11-01' }), input: {}, now: new Date('2027-04-30T12:00:00Z') };
  assert.ok(keepingPeriodGuard(find), 'a find is kept six months from the day it was found');
  assert.equal(keepingPeriodGuard({ ...find, now: new Date('2027-05-01T12:00:00Z') }), undefined, 'and then may be closed');
});

test('the service list finds the lost property office by everyday words', () => {
  const catalogue = new Catalogue([fundsache, fuehrungszeugnis, wohngeld, beglaubigung, kinderreisepass, terminBuergerservice], { ...loadCity('halle'), services: {} });
  for (const query of ['Ausweis verloren', 'verloren', 'gefunden', 'Fundbüro', 'fundbuero', 'Schlüssel verloren', 'Handy verloren', 'Fahrrad gefunden', 'Geldbörse', 'lost property']) {
    const ids = catalogue.search(query, 'de').map((d) => d.id);
    assert.ok(ids.includes('fundsache'), `"${query}" finds the Fundbüro (found: ${ids.join(', ')})`);
  }
  assert.ok(!catalogue.search('Ausweis verloren', 'de').some((d) => d.id === 'termin-buergerservice'), 'every word must match: the appointment service is not a hit');
});
