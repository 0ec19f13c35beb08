import type { Field, FieldError, FormData, FormPage, RuleContext, Text } from '../catalogue/service-definition.ts';
import { isCalendarDate, zonedToday } from '../platform/i18n/time.ts';
import { ACTIVITY_CATEGORIES, assessForm, CRAFT_ANNEX_CHOICES, normaliseWz } from './permit-rules.ts';
import { isThirdCountry } from './recipients.ts';

/**
 * The GewA 1/2/3 form pages (annexes to the GewAnzV, DOMAIN.md) as building blocks, shared by
 * Gewerbeanmeldung, -ummeldung and -abmeldung and open to the Unternehmensgründung journey. The
 * field ids are what `tradeNoticeFromForm` reads; `prefix` gives a second set (the Ummeldung's new
 * activity) under other ids.
 */
const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const list = (d: FormData, id: string): string[] => {
  const v = d[id];
  return Array.isArray(v) ? v : v ? [v] : [];
};
const yesNo = [
  { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
  { value: 'no', label: { de: 'Nein', en: 'No' } },
] as const;

export const LEGAL_FORMS = [
  { value: 'einzelunternehmen', label: { de: 'Einzelunternehmen (nicht im Handelsregister)', en: 'Sole trader (not in the commercial register)' } },
  { value: 'ek', label: { de: 'Eingetragene Kauffrau / eingetragener Kaufmann (e. K.)', en: 'Registered merchant (e. K.)' } },
  { value: 'gbr', label: { de: 'Gesellschaft bürgerlichen Rechts (GbR)', en: 'Civil-law partnership (GbR)' } },
  { value: 'ohg', label: { de: 'Offene Handelsgesellschaft (OHG)', en: 'General partnership (OHG)' } },
  { value: 'kg', label: { de: 'Kommanditgesellschaft (KG)', en: 'Limited partnership (KG)' } },
  { value: 'gmbh', label: { de: 'GmbH', en: 'GmbH (limited company)' } },
  { value: 'ug', label: { de: 'UG (haftungsbeschränkt)', en: 'UG (haftungsbeschränkt)' } },
  { value: 'ag', label: { de: 'Aktiengesellschaft (AG)', en: 'Public limited company (AG)' } },
  { value: 'sonstige', label: { de: 'Andere Rechtsform', en: 'Other legal form' } },
] as const;

export const REGISTER_TYPES = [
  { value: 'HRA', label: { de: 'Handelsregister Abteilung A (HRA)', en: 'Commercial register, part A (HRA)' } },
  { value: 'HRB', label: { de: 'Handelsregister Abteilung B (HRB)', en: 'Commercial register, part B (HRB)' } },
  { value: 'GnR', label: { de: 'Genossenschaftsregister (GnR)', en: 'Register of cooperatives (GnR)' } },
  { value: 'PR', label: { de: 'Partnerschaftsregister (PR)', en: 'Register of partnerships (PR)' } },
  { value: 'VR', label: { de: 'Vereinsregister (VR)', en: 'Register of associations (VR)' } },
] as const;

const BUSINESS_TYPES = [
  { value: 'industrie', label: { de: 'Industrie', en: 'Industry' } },
  { value: 'handwerk', label: { de: 'Handwerk', en: 'Craft' } },
  { value: 'handel', label: { de: 'Handel', en: 'Trade' } },
  { value: 'sonstiges', label: { de: 'Sonstiges (z. B. Dienstleistungen)', en: 'Other (e.g. services)' } },
] as const;

export const BRANCH_TYPES = [
  { value: 'haupt', label: { de: 'Hauptniederlassung', en: 'Head office' } },
  { value: 'zweig', label: { de: 'Zweigniederlassung', en: 'Branch' } },
  { value: 'unselbst', label: { de: 'Unselbstständige Zweigstelle', en: 'Dependent branch' } },
] as const;

const GENDERS = [
  { value: 'w', label: { de: 'weiblich', en: 'female' } },
  { value: 'm', label: { de: 'männlich', en: 'male' } },
  { value: 'd', label: { de: 'divers', en: 'diverse' } },
  { value: 'x', label: { de: 'ohne Angabe', en: 'not stated' } },
] as const;

const isRegistered = (d: FormData) => d.registered === 'yes';

/** GewA fields 1–3: legal form, name, register entry. */
export function businessPage(intro?: Text): FormPage {
  return {
    id: 'betrieb',
    title: { de: 'Ihr Betrieb', en: 'Your business' },
    ...(intro ? { intro } : {}),
    fields: [
      { id: 'legalForm', type: 'select', label: { de: 'Rechtsform', en: 'Legal form' }, required: true, choices: LEGAL_FORMS },
      {
        id: 'businessName',
        type: 'text',
        label: { de: 'Geschäftsbezeichnung (freiwillig)', en: 'Trading name (optional)' },
        hint: { de: 'Der Name, unter dem Sie auftreten, zum Beispiel „Schmidt IT-Service“.', en: 'The name you trade under, for example “Schmidt IT-Service”.' },
        maxLength: 200,
        autocomplete: 'organization',
      },
      {
        id: 'registered',
        type: 'radio',
        label: { de: 'Ist der Betrieb in ein Register eingetragen (Handels-, Genossenschafts-, Partnerschafts- oder Vereinsregister)?', en: 'Is the business entered in a register (commercial, cooperative, partnership or association register)?' },
        required: true,
        choices: yesNo,
      },
      { id: 'registerType', type: 'select', label: { de: 'Registerart', en: 'Register' }, required: true, choices: REGISTER_TYPES, when: isRegistered },
      { id: 'registerNumber', type: 'text', label: { de: 'Registernummer', en: 'Register number' }, required: true, maxLength: 20, when: isRegistered },
      { id: 'registerCourt', type: 'text', label: { de: 'Registergericht (Amtsgericht)', en: 'Registry court (local court)' }, required: true, maxLength: 100, when: isRegistered },
      { id: 'registeredName', type: 'text', label: { de: 'Eingetragener Name (Firma)', en: 'Registered name (Firma)' }, required: true, maxLength: 200, when: isRegistered },
    ],
  };
}

/** GewA fields 4–10 for the person who notifies (owner, or legal representative of a company). */
export function personPage(): FormPage {
  return {
    id: 'person',
    title: { de: 'Angaben zur Person', en: 'About you' },
    intro: {
      de: 'Bei einer Gesellschaft machen Sie die Angaben als gesetzliche Vertretung (zum Beispiel als Geschäftsführerin oder Geschäftsführer). Was aus Ihrem Identitätsnachweis kommt, ist schon eingetragen.',
      en: 'For a company, answer as its legal representative (for example as managing director). What comes from your proof of identity is already filled in.',
    },
    fields: [
      { id: 'givenName', type: 'text', label: { de: 'Vorname', en: 'Given name' }, required: true, maxLength: 100, autocomplete: 'given-name', prefill: 'given_name' },
      { id: 'familyName', type: 'text', label: { de: 'Familienname', en: 'Family name' }, required: true, maxLength: 100, autocomplete: 'family-name', prefill: 'family_name' },
      { id: 'birthName', type: 'text', label: { de: 'Geburtsname, falls abweichend (freiwillig)', en: 'Name at birth, if different (optional)' }, maxLength: 100 },
      { id: 'birthDate', type: 'date', label: { de: 'Geburtsdatum', en: 'Date of birth' }, required: true, autocomplete: 'bday', prefill: 'birthdate' },
      { id: 'birthPlace', type: 'text', label: { de: 'Geburtsort', en: 'Place of birth' }, required: true, maxLength: 100, prefill: 'place_of_birth' },
      {
        id: 'nationality',
        type: 'text',
        label: { de: 'Staatsangehörigkeit (Länderkürzel)', en: 'Nationality (country code)' },
        hint: { de: 'Zwei Buchstaben, zum Beispiel DE, PL oder TR.', en: 'Two letters, for example DE, PL or TR.' },
        required: true,
        maxLength: 2,
        prefill: 'nationality',
      },
      { id: 'gender', type: 'radio', label: { de: 'Geschlecht', en: 'Gender' }, required: true, choices: GENDERS },
      { id: 'street', type: 'text', label: { de: 'Wohnanschrift: Straße und Hausnummer', en: 'Home address: street and number' }, required: true, maxLength: 200, autocomplete: 'street-address', prefill: 'street_address' },
      { id: 'postcode', type: 'postcode', label: { de: 'Postleitzahl', en: 'Postcode' }, required: true, maxLength: 5, autocomplete: 'postal-code', prefill: 'postal_code' },
      { id: 'town', type: 'text', label: { de: 'Ort', en: 'Town' }, required: true, maxLength: 100, autocomplete: 'address-level2', prefill: 'locality' },
      {
        id: 'email',
        type: 'email',
        label: { de: 'E-Mail-Adresse', en: 'Email address' },
        hint: { de: 'Hierhin senden wir die Nachricht, sobald die Empfangsbestätigung bereitliegt.', en: 'We tell you here when the receipt is ready.' },
        required: true,
        maxLength: 254,
        autocomplete: 'email',
      },
      { id: 'phone', type: 'tel', label: { de: 'Telefonnummer (freiwillig)', en: 'Phone number (optional)' }, maxLength: 30, autocomplete: 'tel' },
      {
        id: 'residenceTitle',
        type: 'radio',
        label: { de: 'Erlaubt Ihr Aufenthaltstitel eine selbstständige Tätigkeit?', en: 'Does your residence title allow self-employment?' },
        hint: { de: 'Nur für Staatsangehörige außerhalb der EU, des EWR und der Schweiz.', en: 'Only for nationals of countries outside the EU, the EEA and Switzerland.' },
        required: true,
        choices: yesNo,
        when: (d) => isThirdCountry(str(d, 'nationality')),
      },
    ],
    validate: (d) => (/^[A-Za-z]{2}$/.test(str(d, 'nationality')) ? [] : [{ field: 'nationality', message: { de: 'Bitte geben Sie das Länderkürzel mit zwei Buchstaben an, zum Beispiel DE.', en: 'Enter the two-letter country code, for example DE.' } }]),
  };
}

/** The activity fields (GewA field 15–18), under `prefix` for a second activity. */
export function activityFields(prefix = '', options: { askPermit?: boolean; when?: (d: FormData, ctx: RuleContext) => boolean } = {}): Field[] {
  const id = (x: string) => `${prefix}${x}`;
  const shown = options.when ?? (() => true);
  const craftShown = (d: FormData, ctx: RuleContext) => shown(d, ctx) && (str(d, id('activityCategory')) === 'handwerk' || list(d, id('businessType')).includes('handwerk'));
  const fields: Field[] = [
    {
      id: id('activityCategory'),
      type: 'select',
      label: { de: 'Bereich der Tätigkeit', en: 'Field of activity' },
      hint: { de: 'Danach richtet sich, ob Sie eine Erlaubnis brauchen.', en: 'This decides whether you need a permit.' },
      required: true,
      choices: ACTIVITY_CATEGORIES.map((c) => ({ value: c.id, label: c.label })),
    },
    {
      id: id('activityDescription'),
      type: 'textarea',
      label: { de: 'Angemeldete Tätigkeit, genau beschrieben', en: 'The activity, described precisely' },
      hint: { de: 'Zum Beispiel: „Entwicklung von Software und Webseiten für Unternehmen“.', en: 'For example: “Developing software and websites for businesses”.' },
      required: true,
      minLength: 5,
      maxLength: 1000,
    },
    {
      id: id('wzKey'),
      type: 'text',
      label: { de: 'Wirtschaftszweig (WZ-2008-Schlüssel, freiwillig)', en: 'Economic activity key (WZ 2008, optional)' },
      hint: { de: 'Fünf Ziffern, zum Beispiel 62.01.9. Wenn Sie ihn nicht kennen, ordnet das Gewerbeamt ihn zu.', en: 'Five digits, for example 62.01.9. If you do not know it, the trade office assigns it.' },
      maxLength: 12,
    },
    {
      id: id('businessType'),
      type: 'checkboxes',
      label: { de: 'Art des Betriebes', en: 'Type of business' },
      required: true,
      choices: BUSINESS_TYPES,
    },
    {
      id: id('craftAnnex'),
      type: 'radio',
      label: { de: 'Ist die Tätigkeit ein Handwerk nach der Handwerksordnung?', en: 'Is the activity a craft under the Crafts Code?' },
      required: true,
      choices: CRAFT_ANNEX_CHOICES,
      when: craftShown,
    },
  ];
  if (options.askPermit)
    fields.push({
      id: id('permitStatus'),
      type: 'radio',
      label: { de: 'Liegt die nötige Erlaubnis oder Handwerkskarte schon vor?', en: 'Do you already hold the permit or craft card needed?' },
      hint: { de: 'Das Gewerbeamt prüft sie, bevor es den Eingang bestätigt.', en: 'The trade office checks it before it confirms receipt.' },
      required: true,
      choices: [
        { value: 'yes', label: { de: 'Ja, sie liegt vor', en: 'Yes, I hold it' } },
        { value: 'applied', label: { de: 'Sie ist beantragt', en: 'It has been applied for' } },
        { value: 'no', label: { de: 'Nein', en: 'No' } },
      ],
      when: (d, ctx) => shown(d, ctx) && !assessForm(d, prefix).permitFree && str(d, id('activityCategory')) !== '',
    });
  return options.when ? fields.map((f) => (f.when ? f : { ...f, when: shown })) : fields;
}

export function validateActivity(d: FormData, prefix = ''): FieldError[] {
  const raw = str(d, `${prefix}wzKey`);
  if (raw !== '' && !/^\d{5}$/.test(normaliseWz(raw)))
    return [{ field: `${prefix}wzKey`, message: { de: 'Der WZ-Schlüssel hat fünf Ziffern, zum Beispiel 62.01.9 oder 62019.', en: 'The WZ key has five digits, for example 62.01.9 or 62019.' } }];
  return [];
}

export function activityPage(options: { askPermit: boolean; title?: Text }): FormPage {
  return {
    id: 'taetigkeit',
    title: options.title ?? { de: 'Was tun Sie?', en: 'What do you do?' },
    fields: [
      ...activityFields('', { askPermit: options.askPermit }),
      { id: 'sideBusiness', type: 'radio', label: { de: 'Betreiben Sie das Gewerbe im Nebenerwerb?', en: 'Is it a side business?' }, required: true, choices: yesNo },
      { id: 'fullTimeStaff', type: 'integer', label: { de: 'Vollzeitbeschäftigte (ohne Sie selbst)', en: 'Full-time staff (not counting you)' }, required: true, min: 0, max: 100_000 },
      { id: 'partTimeStaff', type: 'integer', label: { de: 'Teilzeitbeschäftigte', en: 'Part-time staff' }, required: true, min: 0, max: 100_000 },
    ],
    validate: (d) => validateActivity(d),
  };
}

/** Business address fields under `prefix` (the Ummeldung's new address uses `new`). */
export function addressFields(prefix: string, label: Text, when?: (d: FormData, ctx: RuleContext) => boolean): Field[] {
  const w = when ? { when } : {};
  return [
    { id: `${prefix}Street`, type: 'text', label: { de: `${label.de}: Straße und Hausnummer`, en: `${label.en}: street and number` }, required: true, maxLength: 200, ...w },
    { id: `${prefix}Postcode`, type: 'postcode', label: { de: 'Postleitzahl', en: 'Postcode' }, required: true, maxLength: 5, ...w },
    { id: `${prefix}Town`, type: 'text', label: { de: 'Ort', en: 'Town' }, required: true, maxLength: 100, ...w },
  ];
}

const START_REASONS = [
  { value: '01', label: { de: 'Neugründung', en: 'New business' } },
  { value: '02', label: { de: 'Übernahme (Kauf, Pacht, Erbfolge)', en: 'Takeover (purchase, lease, inheritance)' } },
  { value: '03', label: { de: 'Zuzug aus einem anderen Meldebezirk', en: 'Move from another municipality' } },
  { value: '04', label: { de: 'Wechsel der Rechtsform', en: 'Change of legal form' } },
  { value: '05', label: { de: 'Eintritt als Gesellschafterin oder Gesellschafter', en: 'Joining as a partner' } },
] as const;

/** A date at most `maxDaysAhead` days after today in the city's time zone. */
export function notTooFarAhead(field: string, maxDaysAhead: number) {
  return (d: FormData, ctx: RuleContext): FieldError[] => {
    const v = str(d, field);
    if (!isCalendarDate(v)) return [];
    const limit = new Date(`${zonedToday(ctx.now, ctx.timeZone)}T12:00:00Z`);
    limit.setUTCDate(limit.getUTCDate() + maxDaysAhead);
    return v > limit.toISOString().slice(0, 10)
      ? [{ field, message: { de: `Das Datum darf höchstens ${maxDaysAhead} Tage in der Zukunft liegen.`, en: `The date may be at most ${maxDaysAhead} days ahead.` } }]
      : [];
  };
}

/** GewA 1 fields 11–14 and 19–21: where, since when, as what kind of establishment, and why. */
export function locationPage(): FormPage {
  return {
    id: 'standort',
    title: { de: 'Wo und ab wann?', en: 'Where and from when?' },
    fields: [
      { id: 'branchType', type: 'radio', label: { de: 'Art der Niederlassung', en: 'Type of establishment' }, required: true, choices: BRANCH_TYPES },
      ...addressFields('business', { de: 'Betriebsstätte', en: 'Business premises' }),
      { id: 'startDate', type: 'date', label: { de: 'Beginn der Tätigkeit', en: 'Start of the activity' }, hint: { de: 'Zum Beispiel 01.02.2027', en: 'For example 01.02.2027' }, required: true },
      { id: 'startReason', type: 'radio', label: { de: 'Grund der Anmeldung', en: 'Reason for the registration' }, required: true, choices: START_REASONS },
    ],
    // (unverified) GewO § 14 asks for the notice at the start; a year ahead is this office's limit.
    validate: notTooFarAhead('startDate', 365),
  };
}

export const textOf = str;
export const listOf = list;
