import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAll, validatePage } from '../../catalogue/form-validation.ts';
import type { FormData } from '../../catalogue/service-definition.ts';
import { abmeldung } from '../abmeldung/definition.ts';
import { isLateDeregistration } from '../abmeldung/rules.ts';
import { decideMeldebescheinigung, meldebescheinigung } from '../meldebescheinigung/definition.ts';
import { wohnsitzanmeldung } from './definition.ts';
import { ageOn } from './people.ts';
import { isLateRegistration, MAX_DAYS_BEFORE_MOVE_IN, REGISTRATION_PERIOD_DAYS } from './rules.ts';

// 30 November 2026, 10:00 in Halle: "today" is 2026-11-30 whatever the machine's zone.
const now = new Date('2026-11-30T09:00:00Z');
const ctx = { now, timeZone: 'Europe/Berlin' };
const day = (offset: number) => new Date(Date.parse('2026-11-30T12:00:00Z') + offset * 86_400_000).toISOString().slice(0, 10);

const person: FormData = {
  givenNames: 'Jonas',
  familyName: 'Weber',
  birthdate: '1985-11-30',
  placeOfBirth: 'Magdeburg',
  nationality: 'DE',
  currentStreet: 'Karl-Liebknecht-Straße 9',
  currentPostcode: '04107',
  currentTown: 'Leipzig',
  email: 'jonas@example.org',
};

function registration(overrides: FormData = {}): FormData {
  return {
    ...person,
    street: 'Große Steinstraße',
    houseNumber: '12',
    addressDetail: '',
    postcode: '06108',
    town: 'Halle (Saale)',
    moveInDate: day(-3),
    residenceType: 'main',
    keepsPrevious: 'no',
    companionCount: '0',
    landlordProof: 'code',
    landlordCode: 'ABCDE-12345',
    ...overrides,
  };
}
const fields = (def: typeof wohnsitzanmeldung, data: FormData) => validateAll(def, data, ctx).errors.map((e) => e.field);
const wohnung = wohnsitzanmeldung.pages.find((p) => p.id === 'wohnung')!;

test('a registration within the two weeks is valid and shows no notice', () => {
  assert.deepEqual(fields(wohnsitzanmeldung, registration()), [], 'three days after moving in');
  assert.equal(isLateRegistration(registration(), ctx), false, 'not late');
  assert.deepEqual(wohnung.notices?.(registration(), ctx), [], 'no notice');
  assert.equal(isLateRegistration(registration({ moveInDate: day(-REGISTRATION_PERIOD_DAYS) }), ctx), false, 'the 14th day is still in time');
});

test('a late registration is accepted, with a notice and an optional reason field', () => {
  const late = registration({ moveInDate: day(-(REGISTRATION_PERIOD_DAYS + 1)) });
  assert.equal(isLateRegistration(late, ctx), true, 'the 15th day is late');
  assert.deepEqual(fields(wohnsitzanmeldung, late), [], 'late is still accepted');
  const notices = wohnung.notices?.(late, ctx) ?? [];
  assert.equal(notices.length, 1, 'one notice');
  assert.match(notices[0]!.de, /innerhalb von zwei Wochen/, 'the notice names the rule (de)');
  assert.match(notices[0]!.en, /within two weeks/, 'the notice names the rule (en)');
  assert.ok(wohnung.fields.find((f) => f.id === 'delayReason')?.when?.(late, ctx), 'the reason field is shown for a late registration');
  assert.equal(wohnung.fields.find((f) => f.id === 'delayReason')?.when?.(registration(), ctx), false, 'and not otherwise');
});

test('a move-in more than a week ahead is refused with a clear message; a week ahead is fine', () => {
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ moveInDate: day(MAX_DAYS_BEFORE_MOVE_IN) })), [], 'exactly 7 days ahead');
  const errors = validateAll(wohnsitzanmeldung, registration({ moveInDate: day(MAX_DAYS_BEFORE_MOVE_IN + 1) }), ctx).errors;
  assert.deepEqual(errors.map((e) => e.field), ['moveInDate'], 'eight days ahead is refused');
  assert.match(errors[0]!.message.de, /höchstens 7 Tage vor dem Einzug/, 'German message');
  assert.match(errors[0]!.message.en, /at most 7 days before moving in/, 'English message');
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ moveInDate: '2026-02-30' })), ['moveInDate'], 'not a calendar date');
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ moveInDate: '1980-01-01' })), ['moveInDate'], 'before the applicant was born');
});

test('a secondary residence needs the previous home to be kept', () => {
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ residenceType: 'secondary', keepsPrevious: 'no' })), ['residenceType'], 'refused');
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ residenceType: 'secondary', keepsPrevious: 'yes' })), [], 'accepted');
});

test('people moving along: as many entries as named, each complete, adults other than a spouse register themselves', () => {
  const personen = wohnsitzanmeldung.pages.find((p) => p.id === 'personen')!;
  const two = registration({ companionCount: '2' });
  assert.deepEqual(
    fields(wohnsitzanmeldung, two).sort(),
    ['p1Birthdate', 'p1FamilyName', 'p1GivenNames', 'p1Relation', 'p2Birthdate', 'p2FamilyName', 'p2GivenNames', 'p2Relation'].sort(),
    'two entries are asked for, not five',
  );
  const filled = registration({
    companionCount: '2',
    p1GivenNames: 'Lea',
    p1FamilyName: 'Weber',
    p1Birthdate: '1987-04-01',
    p1Relation: 'spouse',
    p2GivenNames: 'Mia',
    p2FamilyName: 'Weber',
    p2Birthdate: '2016-06-15',
    p2Relation: 'child',
    p3GivenNames: 'left over',
  });
  const { errors, values } = validateAll(wohnsitzanmeldung, filled, ctx);
  assert.deepEqual(errors, [], 'a spouse and a child of 10');
  assert.equal(values.p3GivenNames, undefined, 'a third entry beyond the count is dropped');
  const adult = validatePage(personen, { p1GivenNames: 'Max', p1FamilyName: 'Muster', p1Birthdate: '2000-01-01', p1Relation: 'other' }, { companionCount: '1' }, ctx).errors;
  assert.deepEqual(adult.map((e) => e.field), ['p1Relation'], 'another adult must register themselves');
  assert.match(adult[0]!.message.de, /muss sich selbst anmelden/, 'says so');
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ companionCount: '6' })), ['companionCount'], 'at most five');
  assert.equal(ageOn('2010-12-01', '2026-11-30'), 15, 'a birthday tomorrow is not yet counted');
});

test('the landlord confirmation: a code or a paper upload, never neither', () => {
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ landlordCode: '' })), ['landlordCode'], 'a code is needed when chosen');
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ landlordProof: 'paper', landlordCode: '' })), ['landlordPaper'], 'a file is needed when chosen');
  assert.deepEqual(fields(wohnsitzanmeldung, registration({ landlordProof: '' })), ['landlordProof'], 'one of the two must be chosen');
});

test('Abmeldung: at most a week before the move-out, late still accepted with a notice, not for moves within Germany', () => {
  const abroad = (overrides: FormData = {}) => ({ ...person, country: 'Frankreich', foreignAddress: '12 rue de la Paix\n75002 Paris', moveOutDate: day(5), companionCount: '0', ...overrides });
  assert.deepEqual(fields(abmeldung, abroad()), [], 'five days ahead');
  const early = validateAll(abmeldung, abroad({ moveOutDate: day(8) }), ctx).errors;
  assert.deepEqual(early.map((e) => e.field), ['moveOutDate'], 'eight days ahead is too early');
  assert.match(early[0]!.message.de, /frühestens eine Woche vor dem Auszug/, 'German message');
  assert.match(early[0]!.message.en, /at most one week before/, 'English message');
  assert.equal(isLateDeregistration(abroad({ moveOutDate: day(-15) }), ctx), true, 'late after two weeks');
  assert.deepEqual(fields(abmeldung, abroad({ moveOutDate: day(-15) })), [], 'but accepted');
  assert.equal(abmeldung.pages.find((p) => p.id === 'ausland')!.notices?.(abroad({ moveOutDate: day(-15) }), ctx).length, 1, 'with a notice');
  assert.deepEqual(fields(abmeldung, abroad({ country: 'Deutschland' })), ['country'], 'a move within Germany is a registration elsewhere');
});

test('Meldebescheinigung: decided at once when the identity supplied everything certified', () => {
  const data = { ...person, kind: 'simple' };
  assert.deepEqual(validateAll(meldebescheinigung, data, ctx).errors, [], 'valid');
  assert.deepEqual(decideMeldebescheinigung(data, ctx), { transition: 'issue' }, 'issued automatically');
  assert.equal(decideMeldebescheinigung({ ...data, currentStreet: '' }, ctx), undefined, 'an identity without an address goes to a clerk');
  const issue = meldebescheinigung.process.transitions.find((t) => t.id === 'issue')!;
  assert.ok(issue.allowed.includes('system'), 'the system may take the transition');
  assert.ok(meldebescheinigung.process.onSubmit.includes('decide_automatically'), 'the submission decides');
});
