import type { Field, FieldError, FormData, FormPage, RuleContext } from '../../catalogue/service-definition.ts';
import { ageOnDay, formatIsoDate, zonedToday } from '../../platform/i18n/time.ts';

/**
 * What the registration services (Wohnsitzanmeldung, Abmeldung, Meldebescheinigung) share: the
 * person as the verified identity states it, and the people moving along.
 *
 * People moving along are asked as up to MAX_COMPANIONS structured entries (given names, family
 * name, birth date, relation), not as free text: each of them becomes a registration record of
 * its own (in XMeld one `person` per record), which needs the parts separately. The form engine
 * has no repeatable group, so the entries are fixed fields shown for as many people as the
 * applicant names on the page before (`when`). Larger households are registered at the counter.
 */
const MAX_COMPANIONS = 5;

const str = (d: FormData, k: string): string => (typeof d[k] === 'string' ? (d[k] as string).trim() : '');

/** The applicant's data from the verified identity (once-only): shown as confirmed, not typed. */
export function identityFields(options: { address: 'current' | 'previous' }): Field[] {
  const prev = options.address === 'previous';
  return [
    { id: 'givenNames', type: 'text', label: { de: 'Vornamen', en: 'Given names' }, required: true, maxLength: 200, prefill: 'given_name', autocomplete: 'given-name' },
    { id: 'familyName', type: 'text', label: { de: 'Familienname', en: 'Family name' }, required: true, maxLength: 200, prefill: 'family_name', autocomplete: 'family-name' },
    { id: 'birthdate', type: 'date', label: { de: 'Geburtsdatum', en: 'Date of birth' }, required: true, prefill: 'birthdate', autocomplete: 'bday' },
    { id: 'placeOfBirth', type: 'text', label: { de: 'Geburtsort', en: 'Place of birth' }, required: true, maxLength: 200, prefill: 'place_of_birth' },
    { id: 'nationality', type: 'text', label: { de: 'Staatsangehörigkeit', en: 'Nationality' }, required: true, maxLength: 100, prefill: 'nationality' },
    {
      id: 'currentStreet',
      type: 'text',
      label: prev ? { de: 'Bisherige Anschrift: Straße und Hausnummer', en: 'Previous address: street and number' } : { de: 'Anschrift: Straße und Hausnummer', en: 'Address: street and number' },
      required: true,
      maxLength: 200,
      prefill: 'street_address',
    },
    // Text, not postcode: a previous address may be abroad.
    { id: 'currentPostcode', type: 'text', label: prev ? { de: 'Bisherige Anschrift: Postleitzahl', en: 'Previous address: postcode' } : { de: 'Anschrift: Postleitzahl', en: 'Address: postcode' }, required: true, maxLength: 10, prefill: 'postal_code' },
    { id: 'currentTown', type: 'text', label: prev ? { de: 'Bisherige Anschrift: Ort', en: 'Previous address: town' } : { de: 'Anschrift: Ort', en: 'Address: town' }, required: true, maxLength: 100, prefill: 'locality' },
  ];
}

export const emailField: Field = {
  id: 'email',
  type: 'email',
  label: { de: 'E-Mail-Adresse', en: 'Email address' },
  hint: { de: 'Hierhin senden wir Nachrichten zum Stand Ihres Anliegens.', en: 'We send news about your case here.' },
  required: true,
  maxLength: 254,
  autocomplete: 'email',
};

export const countOf = (d: FormData): number => {
  const n = Number(str(d, 'companionCount'));
  // An out-of-range count is refused on its own page; until then nobody is asked about.
  return Number.isInteger(n) && n > 0 && n <= MAX_COMPANIONS ? n : 0;
};

const RELATIONS = [
  { value: 'spouse', label: { de: 'Ehegatte oder eingetragene Lebenspartnerin, eingetragener Lebenspartner', en: 'Spouse or registered civil partner' } },
  { value: 'child', label: { de: 'Kind', en: 'Child' } },
  { value: 'other', label: { de: 'Andere Person', en: 'Other person' } },
] as const;

export function companionCountPage(movement: { de: string; en: string }): FormPage {
  return {
    id: 'mitziehende',
    title: { de: `Wer ${movement.de} mit Ihnen?`, en: `Who ${movement.en} with you?` },
    intro: {
      de: 'Kinder unter 16 Jahren melden Sie mit an. Ihr Ehegatte oder eingetragene Lebenspartner kann mit angemeldet werden. Andere Personen ab 16 Jahren melden sich selbst.',
      en: 'You register children under 16 together with you. Your spouse or registered partner can be registered with you. Other people aged 16 or over register themselves.',
    },
    fields: [
      {
        id: 'companionCount',
        type: 'integer',
        label: { de: 'Anzahl der Personen, die mit Ihnen umziehen (ohne Sie selbst)', en: 'Number of people moving with you (not counting yourself)' },
        hint: { de: `0, wenn Sie allein umziehen. Höchstens ${MAX_COMPANIONS}; für mehr Personen buchen Sie bitte einen Termin.`, en: `0 if you move alone. At most ${MAX_COMPANIONS}; for more people please book an appointment.` },
        required: true,
        min: 0,
        max: MAX_COMPANIONS,
      },
    ],
  };
}

/** One page with the entries of everyone moving along (shown when there is at least one). */
export function companionsPage(): FormPage {
  const fields: Field[] = [];
  for (let i = 1; i <= MAX_COMPANIONS; i++) {
    const shown = (d: FormData) => countOf(d) >= i;
    const who = { de: `Person ${i}`, en: `Person ${i}` };
    fields.push(
      { id: `p${i}GivenNames`, type: 'text', label: { de: `${who.de}: Vornamen`, en: `${who.en}: given names` }, required: true, maxLength: 200, when: shown },
      { id: `p${i}FamilyName`, type: 'text', label: { de: `${who.de}: Familienname`, en: `${who.en}: family name` }, required: true, maxLength: 200, when: shown },
      { id: `p${i}Birthdate`, type: 'date', label: { de: `${who.de}: Geburtsdatum`, en: `${who.en}: date of birth` }, hint: { de: 'Zum Beispiel 03.02.2015', en: 'For example 03.02.2015' }, required: true, when: shown },
      { id: `p${i}Relation`, type: 'radio', label: { de: `${who.de}: Beziehung zu Ihnen`, en: `${who.en}: relation to you` }, required: true, choices: RELATIONS, when: shown },
    );
  }
  return {
    id: 'personen',
    title: { de: 'Angaben zu den Personen, die mit Ihnen umziehen', en: 'About the people moving with you' },
    fields,
    validate: validateCompanions,
  };
}

/** Age in whole years on `onDate` (both `YYYY-MM-DD`, already checked by the field rules). */
export const ageOn = (birthdate: string, onDate: string): number => ageOnDay(birthdate, onDate) ?? 0;

/** Birth dates in the past; adults who are not spouses register themselves (unverified: the eWA practice). */
function validateCompanions(d: FormData, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const today = zonedToday(ctx.now, ctx.timeZone);
  for (let i = 1; i <= countOf(d); i++) {
    const birth = str(d, `p${i}Birthdate`);
    if (!birth) continue;
    if (birth > today || birth < '1900-01-01') {
      errors.push({ field: `p${i}Birthdate`, message: { de: `Das Geburtsdatum von Person ${i} muss in der Vergangenheit liegen.`, en: `Person ${i}'s date of birth must be in the past.` } });
      continue;
    }
    const relation = str(d, `p${i}Relation`);
    const age = ageOn(birth, today);
    if ((relation === 'other' && age >= 16) || (relation === 'child' && age >= 18))
      errors.push({
        field: `p${i}Relation`,
        message: {
          de: `Person ${i} ist ${age} Jahre alt und muss sich selbst anmelden (mit eigenem Online-Ausweis oder im Bürgerservice). Bitte nehmen Sie sie hier heraus.`,
          en: `Person ${i} is ${age} years old and must register themselves (with their own online ID or at Citizen Services). Please leave them out here.`,
        },
      });
  }
  return errors;
}

/** Everyone the application covers, for documents and the clerk: the applicant first. */
export function personRows(d: FormData): { label: { de: string; en: string }; value: string }[] {
  const rows = [{ label: { de: 'Person', en: 'Person' }, value: `${str(d, 'familyName')}, ${str(d, 'givenNames')}, geboren am ${formatIsoDate(str(d, 'birthdate'), 'de')}` }];
  for (let i = 1; i <= countOf(d); i++)
    rows.push({
      label: { de: `Mitziehende Person ${i}`, en: `Person moving along ${i}` },
      value: `${str(d, `p${i}FamilyName`)}, ${str(d, `p${i}GivenNames`)}, geboren am ${formatIsoDate(str(d, `p${i}Birthdate`), 'de')}`,
    });
  return rows;
}

/** Days between two `YYYY-MM-DD` dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T12:00:00Z`) - Date.parse(`${a}T12:00:00Z`)) / 86_400_000);
}

export const SEAL_NOTE: { de: string } = { de: 'Dieses Dokument wurde elektronisch erstellt und mit dem Siegel der Stadt versehen; es ist ohne Unterschrift gültig.' };

