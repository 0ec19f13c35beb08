import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ELSTER_EXPORT_NAMESPACE, elsterExport } from './elster-export.ts';
import { isValidIban, isValidTaxId, registerAdvice, SMALL_BUSINESS_FIRST_YEAR_LIMIT_EUR, validateTaxPage } from './tax-questionnaire.ts';

const ctx = { now: new Date('2026-11-30T10:00:00Z'), timeZone: 'Europe/Berlin' };

test('the tax identification number is checked by its ISO 7064 MOD 11,10 check digit', () => {
  // Published BMF sample numbers (first one) and a number built with the algorithm.
  assert.ok(isValidTaxId('86095742719'), 'a valid sample IdNr');
  assert.ok(isValidTaxId('86 095 742 719'), 'spaces are allowed');
  assert.ok(!isValidTaxId('86095742718'), 'a wrong check digit is refused');
  assert.ok(!isValidTaxId('06095742719'), 'no leading zero');
  assert.ok(!isValidTaxId('8609574271'), 'ten digits are too few');
});

test('the IBAN is checked by ISO 13616 mod 97 and the German length', () => {
  assert.ok(isValidIban('DE89 3704 0044 0532 0130 00'), 'the standard German example');
  assert.ok(!isValidIban('DE89 3704 0044 0532 0130 01'), 'one digit changed');
  assert.ok(!isValidIban('DE89370400440532013'), 'too short for Germany');
  assert.ok(isValidIban('GB82WEST12345698765432'), 'a valid foreign IBAN');
});

test('the tax page refuses a wrong IdNr, a wrong IBAN, the small-business rule above its limit and profit above turnover', () => {
  const good = { taxId: '86095742719', iban: 'DE89370400440532013000', turnoverFirstYear: '20000', profitFirstYear: '12000', smallBusiness: 'yes' };
  assert.deepEqual(validateTaxPage(good), [], 'good answers pass');
  const fields = validateTaxPage({ ...good, taxId: '86095742718', iban: 'DE00370400440532013000', turnoverFirstYear: String(SMALL_BUSINESS_FIRST_YEAR_LIMIT_EUR + 1), profitFirstYear: '99999' }).map((e) => e.field);
  assert.deepEqual(fields.sort(), ['iban', 'profitFirstYear', 'smallBusiness', 'taxId'], 'each problem at its field');
});

test('the register advice follows legal form and size', () => {
  assert.equal(registerAdvice({ legalForm: 'gmbh' }).needed, 'yes', 'a GmbH needs the entry');
  assert.match(registerAdvice({ legalForm: 'gmbh' }).how.de, /Notar/, 'through a notary');
  assert.equal(registerAdvice({ legalForm: 'einzelunternehmen', merchantScale: 'no' }).needed, 'no', 'a small sole trader does not');
  assert.equal(registerAdvice({ legalForm: 'einzelunternehmen', merchantScale: 'yes' }).needed, 'yes', 'a merchant does');
  assert.equal(registerAdvice({ legalForm: 'gbr' }).needed, 'optional', 'a GbR may');
  assert.equal(registerAdvice({ legalForm: 'gmbh', registered: 'yes' }).needed, 'already', 'an entered company is');
});

test('the ELSTER export is well-formed, in its namespace, with the answers in the questionnaire order', () => {
  const xml = elsterExport(
    { familyName: 'Schmidt', givenName: 'Jana', birthDate: '1990-04-01', taxId: '86095742719', street: 'Markt 1', postcode: '06108', town: 'Halle (Saale)', legalForm: 'einzelunternehmen', activityDescription: 'IT-Service & Beratung <Netzwerke>', startDate: '2027-01-15', iban: 'DE89370400440532013000', accountHolder: 'Jana Schmidt', profitMethod: 'euer', profitFirstYear: '15000', turnoverFirstYear: '22000', turnoverNextYear: '40000', smallBusiness: 'yes', vatIdWanted: 'no', fullTimeStaff: '0', partTimeStaff: '1', merchantScale: 'no' },
    { reference: 'HAL-2026-000001-5', createdAt: new Date('2026-11-30T10:00:00Z'), municipalityKey: '15002000' },
    ctx,
  );
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const root = new XMLParser({ ignoreAttributes: false }).parse(xml).FragebogenSteuerlicheErfassung;
  assert.equal(root['@_xmlns'], ELSTER_EXPORT_NAMESPACE, 'its namespace');
  assert.deepEqual(Object.keys(root).filter((k) => !k.startsWith('@_')), ['Hinweis', 'AllgemeineAngaben', 'AngabenZumUnternehmen', 'Bankverbindung', 'Einkuenfte', 'Umsatzsteuer', 'Lohnsteuer'], 'sections in order');
  assert.equal(root.AngabenZumUnternehmen.Taetigkeit, 'IT-Service & Beratung <Netzwerke>', 'special characters survive escaping');
  assert.equal(root.Bankverbindung.IBAN, 'DE89 3704 0044 0532 0130 00', 'the IBAN grouped');
  assert.equal(root.Umsatzsteuer.UmsatzEroeffnungsjahr['@_jahr'], '2027', 'the founding year from the start date');
  assert.equal(root.Lohnsteuer.Anzahl, 1, 'one employee');
});

test('the receipt time reads well at every scale', async () => {
  const { formatSeconds } = await import('./checklist.ts');
  assert.equal(formatSeconds(61).de, '1 Min. 1 Sek.', 'a minute and a second');
  assert.deepEqual(formatSeconds(0.84), { de: '0,8 Sek.', en: '0.8 s' }, 'under a second');
  assert.deepEqual(formatSeconds(42), { de: '42 Sek.', en: '42 s' }, 'seconds');
  assert.deepEqual(formatSeconds(192), { de: '3 Min. 12 Sek.', en: '3 min 12 s' }, 'minutes');
  assert.deepEqual(formatSeconds(3 * 3600 + 5 * 60), { de: '3 Std. 5 Min.', en: '3 h 5 min' }, 'hours');
});
