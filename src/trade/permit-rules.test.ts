import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDefinition } from '../catalogue/check-definitions.ts';
import { loadCity } from '../catalogue/city.ts';
import { validateAll } from '../catalogue/form-validation.ts';
import { knownEffects } from '../cases/effects.ts';
import { gewerbeabmeldung } from '../services/gewerbeabmeldung/definition.ts';
import { gewerbeanmeldung } from '../services/gewerbeanmeldung/definition.ts';
import { gewerbeummeldung } from '../services/gewerbeummeldung/definition.ts';
import { ACTIVITY_CATEGORIES, assessPermits } from './permit-rules.ts';
import { missingRecipientKinds, recipientsFor, tradeRecipientProblems } from './recipients.ts';
import { validTradeChange, validTradeEnd, validTradeRegistration } from './trade-fixtures.ts';
import { tradeNoticeFromForm } from './trade-notice.ts';
import { clerkReasons } from './trade-process.ts';

const now = new Date('2026-11-30T09:00:00Z');
const ctx = { now, timeZone: 'Europe/Berlin' };

test('the permit table: permit-free categories are accepted, permits and craft cards go to a clerk', () => {
  const cases: Array<[string, { category?: string; wzKey?: string; craftAnnex?: string }, boolean, string[]]> = [
    ['IT services', { category: 'it', wzKey: '62019' }, true, []],
    ['online shop', { category: 'onlinehandel' }, true, []],
    ['craft-like trade (Annex B)', { category: 'handwerk', craftAnnex: 'b' }, true, []],
    ['security services', { category: 'bewachung' }, false, ['§ 34a GewO']],
    ['auctioneer', { category: 'versteigerung' }, false, ['§ 34b GewO']],
    ['estate agent', { category: 'makler' }, false, ['§ 34c GewO']],
    ['property developer', { category: 'bautraeger' }, false, ['§ 34c GewO']],
    ['investment advice', { category: 'anlageberatung' }, false, ['§ 34f GewO']],
    ['private clinic', { category: 'privatklinik' }, false, ['§ 30 GewO']],
    ['Annex A craft', { category: 'handwerk', craftAnnex: 'a' }, false, ['§ 1 HwO, Anlage A']],
    ['"other" with the WZ key of security services', { category: 'sonstiges', wzKey: '80.10.0' }, false, ['§ 34a GewO']],
    ['"beauty" with the WZ key of a hairdresser (Annex A)', { category: 'kosmetik', wzKey: '96021' }, false, ['§ 1 HwO, Anlage A']],
    ['an unknown category (deny by default)', { category: 'erfunden' }, false, ['§ 14 GewO']],
    ['no category at all', {}, false, ['§ 14 GewO']],
  ];
  for (const [what, answers, free, laws] of cases) {
    const a = assessPermits(answers);
    assert.equal(a.permitFree, free, `${what}: permit-free is ${free}`);
    assert.deepEqual(a.reasons.map((r) => r.law), laws, `${what}: reasons ${laws.join(', ') || 'none'}`);
  }
  const ids = ACTIVITY_CATEGORIES.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'category ids are unique');
  for (const c of ACTIVITY_CATEGORIES) assert.ok(c.label.de && c.label.en, `category ${c.id} has labels in de and en`);
});

test('the three definitions pass the start-up checks and a complete form of each is valid', () => {
  const city = loadCity('halle');
  for (const def of [gewerbeanmeldung, gewerbeummeldung, gewerbeabmeldung]) assert.deepEqual(checkDefinition(def, knownEffects, city), [], `${def.id} passes the checks`);
  assert.deepEqual(validateAll(gewerbeanmeldung, validTradeRegistration(now), ctx).errors, [], 'Anmeldung valid');
  assert.deepEqual(validateAll(gewerbeummeldung, validTradeChange(now), ctx).errors, [], 'Ummeldung valid');
  assert.deepEqual(validateAll(gewerbeabmeldung, validTradeEnd(now), ctx).errors, [], 'Abmeldung valid');
  const wrongWz = validateAll(gewerbeanmeldung, validTradeRegistration(now, { wzKey: '12' }), ctx).errors;
  assert.deepEqual(wrongWz.map((e) => e.field), ['wzKey'], 'a WZ key needs five digits');
  const needsPermitAnswer = validateAll(gewerbeanmeldung, validTradeRegistration(now, { activityCategory: 'bewachung' }), ctx).errors;
  assert.deepEqual(needsPermitAnswer.map((e) => e.field), ['permitStatus'], 'a trade that needs a permit asks whether it is held');
});

test('the automatic rule: permit-free notices need no clerk; permits, craft cards and residence titles do', () => {
  assert.deepEqual(clerkReasons('anmeldung', validTradeRegistration(now)), []);
  assert.equal(clerkReasons('anmeldung', validTradeRegistration(now, { activityCategory: 'bewachung', permitStatus: 'yes' })).length, 1);
  assert.equal(clerkReasons('anmeldung', validTradeRegistration(now, { activityCategory: 'handwerk', businessType: ['handwerk'], craftAnnex: 'a', permitStatus: 'yes' })).length, 1);
  assert.equal(clerkReasons('anmeldung', validTradeRegistration(now, { nationality: 'TR', residenceTitle: 'no' })).length, 1, 'a residence title that does not allow self-employment');
  assert.deepEqual(clerkReasons('anmeldung', validTradeRegistration(now, { nationality: 'TR', residenceTitle: 'yes' })), []);
  assert.deepEqual(clerkReasons('ummeldung', validTradeChange(now)), [], 'a move within the city');
  assert.equal(clerkReasons('ummeldung', validTradeChange(now, { changeKinds: ['activity'], newactivityCategory: 'makler', newactivityDescription: 'Immobilienvermittlung', newbusinessType: ['sonstiges'], newpermitStatus: 'applied' })).length, 1);
  assert.deepEqual(clerkReasons('abmeldung', validTradeEnd(now, { activityCategory: 'bewachung' })), [], 'ending a trade needs no permit');
});

test('recipients: every notice to statistics, tax and accident insurance; IHK or HWK by type; the foreigners authority and the registry court when they apply', () => {
  const city = loadCity('halle');
  const kinds = (overrides: Record<string, string | string[]>) => recipientsFor(tradeNoticeFromForm('anmeldung', validTradeRegistration(now, overrides)), city.tradeRecipients).map((r) => r.kind).sort();
  assert.deepEqual(kinds({}), ['bg', 'fa', 'ihk', 'sta']);
  assert.deepEqual(kinds({ activityCategory: 'handwerk', businessType: ['handwerk'], craftAnnex: 'a' }), ['bg', 'fa', 'hwk', 'sta']);
  assert.deepEqual(kinds({ businessType: ['handwerk', 'handel'], activityCategory: 'handwerk', craftAnnex: 'b' }), ['bg', 'fa', 'hwk', 'ihk', 'sta'], 'a mixed business belongs to both chambers');
  assert.deepEqual(kinds({ nationality: 'TR', residenceTitle: 'yes' }), ['abh', 'bg', 'fa', 'ihk', 'sta']);
  assert.deepEqual(kinds({ nationality: 'PL' }), ['bg', 'fa', 'ihk', 'sta'], 'EU nationals are no matter for the foreigners authority');
  assert.deepEqual(kinds({ registered: 'yes', registerType: 'HRB', registerNumber: '1234', registerCourt: 'Stendal', registeredName: 'X GmbH', legalForm: 'gmbh' }), ['bg', 'fa', 'ihk', 'rg', 'sta']);
  const missing = missingRecipientKinds(tradeNoticeFromForm('anmeldung', validTradeRegistration(now)), []);
  assert.deepEqual(missing.sort(), ['bg', 'fa', 'ihk', 'sta'], 'kinds without a configured office are named, not dropped');
});

test('recipient configuration is validated', () => {
  assert.deepEqual(tradeRecipientProblems(undefined), []);
  assert.deepEqual(tradeRecipientProblems([{ id: 'sta', kind: 'sta', name: 'Statistik', endpoint: 'https://example.org/in' }]), []);
  const problems = tradeRecipientProblems([
    { id: 'sta', kind: 'sta', name: 'A', endpoint: 'ftp://example.org' },
    { id: 'sta', kind: 'nope', name: '', endpoint: 'https://user:pw@example.org' },
    { id: 'x', kind: 'fa', name: 'B', endpoint: '//evil.example/path' },
  ]);
  assert.equal(problems.length, 6, `six problems: ${problems.join(' | ')}`);
});
