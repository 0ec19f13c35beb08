import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feeFor } from '../../catalogue/fees.ts';
import { validateAll } from '../../catalogue/form-validation.ts';
import type { DocumentContext, FormData } from '../../catalogue/service-definition.ts';
import { wohngeld } from './definition.ts';
import { grantGuard, isValidIban, parseEuroAmount, periodMonths, rejectGuard, transferBenefitsNotice, transferBenefitsReminder } from './rules.ts';

const ctx = { now: new Date('2026-11-29T12:00:00Z'), timeZone: 'Europe/Berlin' };
const file = (name: string) => `0b6a1f7e-3c1d-4d2a-9a57-1f0c2b3d4e5f:${name}`;

function application(overrides: FormData = {}): FormData {
  return {
    givenName: 'Erika',
    familyName: 'Mustermann',
    birthdate: '1964-08-12',
    street: 'Marktplatz 1',
    postcode: '06108',
    town: 'Halle (Saale)',
    email: 'erika@example.org',
    iban: 'DE02 1203 0000 0000 2020 51',
    householdSize: '1',
    rent: '480',
    livingSpace: '52',
    moveInDate: '2019-04-01',
    income: '1450',
    incomeKinds: ['pension'],
    transferBenefits: 'no',
    rentalContract: file('mietvertrag.pdf'),
    incomeProofs: file('rentenbescheid.pdf'),
    ...overrides,
  };
}
const fields = (overrides: FormData) => validateAll(wohngeld, application(overrides), ctx).errors.map((e) => e.field).sort();

test('a complete application of a single person is valid and free', () => {
  const { errors, values } = validateAll(wohngeld, application({ householdMembers: 'left over' }), ctx);
  assert.deepEqual(errors, [], 'nothing missing');
  assert.equal(values.householdMembers, undefined, 'a one-person household names nobody else');
  assert.equal(feeFor(wohngeld, values, ctx).cents, 0, 'Wohngeld costs nothing');
});

test('every other household member is named on a line of their own', () => {
  assert.deepEqual(fields({ householdSize: '3' }), ['householdMembers'], 'required for more than one person');
  const one = 'Max Mustermann, 02.03.2015, Sohn';
  const errors = validateAll(wohngeld, application({ householdSize: '3', householdMembers: one }), ctx).errors;
  assert.deepEqual(errors.map((e) => e.field), ['householdMembers'], 'two others, one named');
  assert.match(errors[0]!.message.de, /alle 2 weiteren/, 'says how many are missing');
  assert.deepEqual(fields({ householdSize: '3', householdMembers: `${one}\nLena Mustermann, 11.09.2018, Tochter` }), [], 'both named');
});

test('an income below the rent needs an explanation of how the household lives', () => {
  assert.deepEqual(fields({ income: '300' }), ['livelihoodExplanation'], 'the question appears and is required');
  assert.deepEqual(fields({ income: '300', livelihoodExplanation: 'zu kurz' }), ['livelihoodExplanation'], 'a few words are not enough');
  assert.deepEqual(fields({ income: '300', livelihoodExplanation: 'Ersparnisse und Unterstützung durch meine Tochter' }), [], 'explained');
  assert.deepEqual(fields({ income: '480' }), [], 'an income equal to the rent needs no explanation');
});

test('without income no income proof and no kinds of income are asked for', () => {
  const { errors, values } = validateAll(
    wohngeld,
    application({ income: '0', incomeKinds: [], incomeProofs: '', livelihoodExplanation: 'Ich lebe von meinen Ersparnissen seit dem Studium.' }),
    ctx,
  );
  assert.deepEqual(errors, [], 'nothing missing');
  assert.equal(values.incomeProofs, undefined, 'no proof for no income');
  assert.deepEqual(fields({ incomeProofs: '' }), ['incomeProofs'], 'with income the proof is required');
  assert.deepEqual(fields({ rentalContract: '' }), ['rentalContract'], 'the rental contract is always required');
});

test('people on Bürgergeld are told that Wohngeld is usually excluded, but may still apply', () => {
  const question = wohngeld.pages.flatMap((p) => p.fields).find((f) => f.id === 'transferBenefits')!;
  assert.deepEqual(question.hint, transferBenefitsNotice, 'the rule stands beside the question');
  const next = wohngeld.pages.find((p) => p.id === 'nachweise')!;
  assert.deepEqual(next.notices?.(application({ transferBenefits: 'yes' }), ctx), [transferBenefitsReminder], 'after a "yes", the next page reminds of it');
  assert.deepEqual(next.notices?.(application(), ctx), [], 'and not otherwise');
  assert.deepEqual(fields({ transferBenefits: 'yes' }), [], 'it does not block the application');
});

test('the IBAN for the payment is checked', () => {
  assert.equal(isValidIban('DE02120300000000202051'), true, 'a valid German IBAN');
  assert.equal(isValidIban('de02 1203 0000 0000 2020 51'), true, 'spaces and lower case are fine');
  assert.equal(isValidIban('DE03120300000000202051'), false, 'wrong check digits');
  assert.equal(isValidIban('DE0212030000000020205'), false, 'a German IBAN has 22 characters');
  assert.deepEqual(fields({ iban: 'DE03 1203 0000 0000 2020 51' }), ['iban'], 'the form refuses it');
});

test('a grant needs a positive monthly amount and a period of at most 24 months', () => {
  const guard = (input: Record<string, string>) => grantGuard({ caseData: application(), input, now: ctx.now });
  const period = { periodFrom: '2027-01-01', periodTo: '2027-12-31' };
  assert.equal(guard({ amount: '212,50', ...period }), undefined, 'twelve months at 212.50 EUR');
  assert.match(guard({ amount: '0', ...period })?.de ?? '', /monatlichen Betrag/, 'nothing is not an amount');
  assert.match(guard({ amount: 'viel', ...period })?.de ?? '', /monatlichen Betrag/, 'words are not an amount');
  assert.match(guard({ amount: '212', periodFrom: '2027-12-31', periodTo: '2027-01-01' })?.de ?? '', /nach dem Beginn/, 'the end is after the start');
  assert.equal(guard({ amount: '212', periodFrom: '2027-01-01', periodTo: '2028-12-31' }), undefined, '24 months are allowed');
  assert.equal(guard({ amount: '212', periodFrom: '1.1.2027', periodTo: '31.12.2027' }), undefined, 'dates typed the German way');
  assert.match(guard({ amount: '212', periodFrom: '31.02.2027', periodTo: '31.12.2027' })?.de ?? '', /als Datum/, 'no 31 February');
  assert.match(guard({ amount: '212', periodFrom: '2027-01-01', periodTo: '2029-01-01' })?.de ?? '', /höchstens 24 Monate/, '24 months and a day are not');
  assert.equal(periodMonths('2027-01-15', '2028-01-14'), 12, 'a year from the middle of a month');
  assert.equal(periodMonths('2027-02-01', '2027-02-28'), 1, 'February');
  assert.equal(parseEuroAmount('212,5'), 21250, 'a comma and one decimal');
  assert.equal(parseEuroAmount('1.000'), 100000, 'a dot with three digits is not a decimal mark');
});

test('a rejection needs a reason of some substance', () => {
  assert.ok(rejectGuard({ caseData: {}, input: { reason: 'zu hoch' }, now: ctx.now }), 'a few words are refused');
  assert.equal(rejectGuard({ caseData: {}, input: { reason: 'Das Einkommen übersteigt die Höchstgrenze nach § 19 WoGG.' }, now: ctx.now }), undefined, 'a reason is accepted');
});

test('the Bewilligungsbescheid states the amount and the period the clerk entered', () => {
  const tpl = wohngeld.documents!.find((d) => d.id === 'bewilligungsbescheid')!;
  const docCtx: DocumentContext = {
    reference: 'HAL-2026-000123',
    submittedAt: new Date('2026-11-02T09:00:00Z'),
    issuedAt: ctx.now,
    timeZone: 'Europe/Berlin',
    department: { de: 'Fachbereich Soziales (Wohngeldstelle)', en: 'Social Services' },
    city: { de: 'Stadt Halle (Saale)', en: 'City of Halle (Saale)' },
    input: { amount: '212,50', periodFrom: '01.01.2027', periodTo: '2027-12-31' },
  };
  const content = tpl.content(application(), docCtx);
  const row = (label: string) => content.rows?.find((r) => r.label.de === label)?.value;
  assert.equal(row('Wohngeld monatlich'), '212,50\u00a0€', 'the amount in German format');
  assert.equal(row('Bewilligungszeitraum'), '1. Januar 2027 bis 31. Dezember 2027', 'the period');
  assert.match(content.paragraphs.map((p) => p.de).join(' '), /2\. November 2026/, 'names the day of the application');
});
