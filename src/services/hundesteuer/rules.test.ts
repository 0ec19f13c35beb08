import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateAll, visiblePages } from '../../catalogue/form-validation.ts';
import type { DocumentContext, FormData } from '../../catalogue/service-definition.ts';
import { hundesteuer } from './definition.ts';
import { dogNotices, listedBreed, normaliseChip, taxFrom, TAX_CENTS, yearlyTaxCents } from './rules.ts';

const now = new Date('2026-11-30T10:00:00Z');
const ctx = { now, timeZone: 'Europe/Berlin' };

const owner: FormData = {
  givenName: 'Erika',
  familyName: 'Mustermann',
  birthdate: '1964-08-12',
  street: 'Marktplatz 1',
  postcode: '06108',
  town: 'Halle (Saale)',
  email: 'erika@example.org',
  phone: '',
};
function registration(overrides: FormData = {}): FormData {
  return {
    action: 'anmeldung',
    dogName: 'Bello',
    ...owner,
    breed: 'Labrador-Mischling',
    dogBirthdate: '2026-06-01',
    keptSince: '2026-11-25',
    chipNumber: '276 09 8100 123456',
    declaredDangerous: 'no',
    otherDogs: '0',
    ...overrides,
  };
}
function deregistration(overrides: FormData = {}): FormData {
  return { action: 'abmeldung', dogName: 'Bello', ...owner, tagNumber: 'HAL-0815', endReason: 'died', endDate: '2026-11-20', ...overrides };
}
const fields = (data: FormData) => validateAll(hundesteuer, data, ctx).errors.map((e) => e.field);

test('registration and de-registration each ask only their own page', () => {
  assert.deepEqual(fields(registration()), [], 'a complete registration');
  assert.deepEqual(fields(deregistration()), [], 'a complete de-registration');
  assert.deepEqual(visiblePages(hundesteuer, registration(), ctx).map((p) => p.id), ['anliegen', 'halter', 'hund'], 'registration pages');
  assert.deepEqual(visiblePages(hundesteuer, deregistration(), ctx).map((p) => p.id), ['anliegen', 'halter', 'abmeldung'], 'de-registration pages');
  const { values } = validateAll(hundesteuer, { ...registration(), endReason: 'died', endDate: '2026-11-20' }, ctx);
  assert.equal(values.endReason, undefined, 'de-registration answers are not kept on a registration');
});

test('listed breeds are recognised however they are written', () => {
  assert.equal(listedBreed('Pitbull'), 'Pitbull-Terrier', 'Pitbull');
  assert.equal(listedBreed('American Pit Bull Terrier'), 'Pitbull-Terrier', 'with spaces');
  assert.equal(listedBreed('AmStaff-Mix'), 'American Staffordshire Terrier', 'short name of a cross');
  assert.equal(listedBreed('Staffordshire Bullterrier'), 'Staffordshire Bullterrier', 'the Staffordshire, not the plain Bullterrier');
  assert.equal(listedBreed('Bull Terrier'), 'Bullterrier', 'Bull Terrier');
  for (const harmless of ['Labrador', 'Bulldogge', 'Bullmastiff', 'Jack Russell Terrier', 'Staffordshire-Spaniel']) assert.equal(listedBreed(harmless), undefined, `${harmless} is not listed`);
});

test('the yearly tax: first dog, further dog, dangerous dog', () => {
  assert.equal(yearlyTaxCents(registration()), TAX_CENTS.first, 'first dog');
  assert.equal(yearlyTaxCents(registration({ otherDogs: '1' })), TAX_CENTS.further, 'second dog');
  assert.equal(yearlyTaxCents(registration({ otherDogs: '3' })), TAX_CENTS.further, 'fourth dog');
  assert.equal(yearlyTaxCents(registration({ breed: 'Pitbull-Mix' })), TAX_CENTS.dangerous, 'listed breed');
  assert.equal(yearlyTaxCents(registration({ declaredDangerous: 'yes' })), TAX_CENTS.dangerous, 'declared dangerous by an authority');
  assert.equal(yearlyTaxCents(registration({ otherDogs: '2', breed: 'Bullterrier' })), TAX_CENTS.dangerous, 'the dangerous rate wins over the further-dog rate');
});

test('the notices explain the rates, a listed breed and a late registration', () => {
  const plain = dogNotices(registration(), ctx);
  assert.equal(plain.length, 1, 'only the rates');
  assert.match(plain[0]!.de, /120,00\s€ für den ersten Hund/, 'the first-dog rate in German');
  assert.match(plain[0]!.en, /€120\.00 for the first dog/, 'and in English');
  const listed = dogNotices(registration({ breed: 'Pit Bull' }), ctx);
  assert.ok(listed.some((n) => /„Pitbull-Terrier“.*gefährlich/.test(n.de)), 'a listed breed is flagged');
  const late = dogNotices(registration({ keptSince: '2026-11-15' }), ctx);
  assert.ok(late.some((n) => /innerhalb von 14 Tagen.*rückwirkend ab 1\. Dezember 2026/.test(n.de)), 'a late registration is explained');
  assert.equal(dogNotices(registration({ keptSince: '2026-11-16' }), ctx).length, 1, 'exactly 14 days is not late');
});

test('the dog’s dates must make sense', () => {
  assert.deepEqual(fields(registration({ dogBirthdate: '2026-12-01', keptSince: '2026-12-01' })), ['dogBirthdate'], 'born tomorrow');
  assert.deepEqual(fields(registration({ dogBirthdate: '2026-11-30', keptSince: '2026-11-30' })), [], 'born today, kept from today');
  assert.deepEqual(fields(registration({ keptSince: '2026-05-31' })), ['keptSince'], 'kept before it was born');
  assert.deepEqual(fields(registration({ keptSince: '2026-12-30' })), [], 'registered 30 days ahead');
  const early = validateAll(hundesteuer, registration({ keptSince: '2026-12-31' }), ctx).errors;
  assert.deepEqual(early.map((e) => e.field), ['keptSince'], '31 days ahead is too early');
  assert.match(early[0]!.message.de, /höchstens 30 Tage vorher.*1\. Dezember 2026/, 'the message names the first day to register');
});

test('the microchip number has 15 digits', () => {
  assert.equal(normaliseChip('276 09 8100 123456'), '276098100123456', 'spaces are ignored');
  assert.equal(normaliseChip('276098100123456'), '276098100123456', 'plain digits');
  assert.equal(normaliseChip('27609810012345'), undefined, '14 digits');
  assert.equal(normaliseChip('27609810012345X'), undefined, 'a letter');
  assert.deepEqual(fields(registration({ chipNumber: '1234' })), ['chipNumber'], 'the field is marked');
  assert.deepEqual(fields(registration({ chipNumber: '' })), ['chipNumber'], 'required');
});

test('de-registration: the details each reason needs, and not far ahead', () => {
  assert.deepEqual(fields(deregistration({ endReason: 'given_away' })), ['newKeeper'], 'the new owner is asked for');
  assert.deepEqual(fields(deregistration({ endReason: 'moved_away' })), ['newAddress'], 'the new address is asked for');
  assert.deepEqual(fields(deregistration({ endReason: 'other' })), ['endOther'], 'another reason is described');
  assert.deepEqual(fields(deregistration({ endDate: '2026-12-30' })), [], '30 days ahead');
  assert.deepEqual(fields(deregistration({ endDate: '2026-12-31' })), ['endDate'], '31 days ahead');
  assert.deepEqual(fields(deregistration({ endDate: '2020-01-31' })), [], 'a late de-registration is accepted');
});

test('the owner’s details are required without a verified identity', () => {
  assert.deepEqual(fields(registration({ givenName: '', birthdate: '' })).sort(), ['birthdate', 'givenName'], 'typed fields are required');
  assert.equal(hundesteuer.identityLevel, 'basic', 'an account is enough');
  const prefilled = hundesteuer.pages.flatMap((p) => p.fields).filter((f) => f.prefill).map((f) => f.id);
  assert.deepEqual(prefilled, ['givenName', 'familyName', 'birthdate', 'street', 'postcode', 'town'], 'a verified identity fills the owner');
});

test('tax is owed from the month after the dog came', () => {
  assert.equal(taxFrom('2026-11-25'), '2026-12-01', 'November → December');
  assert.equal(taxFrom('2026-12-01'), '2027-01-01', 'December → January of the next year');
});

test('the clerk can only register a registration and confirm a de-registration', () => {
  const register = hundesteuer.process.transitions.find((t) => t.id === 'register')!;
  const deregister = hundesteuer.process.transitions.find((t) => t.id === 'deregister')!;
  assert.equal(register.guard!({ caseData: registration(), input: { tagNumber: '1' }, now }), undefined, 'register a registration');
  assert.ok(register.guard!({ caseData: deregistration(), input: { tagNumber: '1' }, now }), 'not a de-registration');
  assert.equal(deregister.guard!({ caseData: deregistration(), input: {}, now }), undefined, 'confirm a de-registration');
  assert.ok(deregister.guard!({ caseData: registration(), input: {}, now }), 'not a registration');
});

test('the tax notice names the tag, the rate and the start', () => {
  const template = hundesteuer.documents!.find((d) => d.id === 'hundesteuerbescheid')!;
  const docCtx: DocumentContext = {
    reference: 'HAL-2026-000124',
    submittedAt: now,
    issuedAt: new Date('2026-12-02T09:00:00Z'),
    timeZone: 'Europe/Berlin',
    department: { de: 'Steuerabteilung', en: 'Tax Department' },
    city: { de: 'Stadt Halle (Saale)', en: 'City of Halle (Saale)' },
    input: { tagNumber: 'HAL-0815' },
  };
  const content = template.content(registration({ otherDogs: '1' }), docCtx);
  const row = (label: string) => content.rows?.find((r) => r.label.de === label)?.value;
  assert.equal(row('Steuermarke Nr.'), 'HAL-0815', 'the tag number');
  assert.equal(row('Steuersatz'), 'weiterer Hund', 'the rate');
  assert.match(row('Hundesteuer im Jahr') ?? '', /180,00/, 'the yearly amount');
  assert.equal(row('Steuerpflicht ab'), '1. Dezember 2026', 'the start');
  assert.equal(row('Chipnummer'), '276098100123456', 'the chip without spaces');
});

test('every document prints the facts of the case, none blank or "undefined"', () => {
  const docCtx: DocumentContext = {
    reference: 'HAL-2026-000124',
    submittedAt: now,
    issuedAt: now,
    timeZone: 'Europe/Berlin',
    department: { de: 'Steuerabteilung', en: 'Tax Department' },
    city: { de: 'Stadt Halle (Saale)', en: 'City of Halle (Saale)' },
    input: { tagNumber: 'HAL-0815', remarks: 'Die Marke kommt mit der Post.' },
  };
  const cases: Array<[string, FormData]> = [
    ['eingangsbestaetigung', registration()],
    ['eingangsbestaetigung', deregistration()],
    ['hundesteuerbescheid', registration()],
    ['abmeldebestaetigung', deregistration({ endReason: 'given_away', newKeeper: 'Max Muster, Halle' })],
  ];
  for (const [id, data] of cases) {
    const c = hundesteuer.documents!.find((d) => d.id === id)!.content(data, docCtx);
    for (const r of c.rows ?? []) assert.ok(r.value.trim() !== '', `${id}: "${r.label.de}" has a value`);
    const texts = [...c.paragraphs, ...(c.closing ?? [])].map((p) => p.de).concat((c.rows ?? []).map((r) => r.value));
    assert.ok(!texts.some((t) => /undefined|NaN|\[object/.test(t)), `${id} prints no placeholder`);
  }
});
