import type { FieldError, FormData, FormPage, RuleContext } from '../catalogue/service-definition.ts';
import { zonedToday } from '../platform/i18n/time.ts';

/**
 * The two forms of the online Wohnungsgeberbestätigung, written as form-engine pages so that the
 * engine's field checks and field markup serve them too (they are not a service: no case, no
 * reference). The landlord's form asks exactly what BMG § 19(3) names, plus the usual extras
 * (storey or flat number, who confirms, the owner when the landlord is not the owner). Facts not
 * in DOMAIN.md are marked (unverified).
 */

/** How long the link mailed to the landlord works (unverified: a sensible default, ~ the 2-week period). */
export const INVITE_VALIDITY_DAYS = 14;
/** How long the landlord's code can be used for a registration (unverified). */
export const CODE_VALIDITY_DAYS = 90;
/** A move confirmed further ahead than this is refused (unverified: confirmations are given around the move). */
const MAX_DAYS_AHEAD = 90;
/** A move longer ago than this is refused here (unverified): such cases are settled at the counter. */
const MAX_DAYS_BACK = 365;
const MAX_RESIDENTS = 20;

const str = (d: FormData, k: string): string => (typeof d[k] === 'string' ? (d[k] as string).trim() : '');

/** The names on the residents field, one per line. */
function residentLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

const dayOffset = (today: string, days: number) => new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function moveDateErrors(d: FormData, ctx: RuleContext): FieldError[] {
  const date = str(d, 'moveDate');
  if (!date) return [];
  const today = zonedToday(ctx.now, ctx.timeZone);
  if (date > dayOffset(today, MAX_DAYS_AHEAD))
    return [
      {
        field: 'moveDate',
        message: {
          de: `Das Datum liegt mehr als ${MAX_DAYS_AHEAD} Tage in der Zukunft. Bitte bestätigen Sie den Ein- oder Auszug näher am Umzugstag.`,
          en: `The date is more than ${MAX_DAYS_AHEAD} days ahead. Please confirm the move closer to the moving day.`,
        },
      },
    ];
  if (date < dayOffset(today, -MAX_DAYS_BACK))
    return [
      {
        field: 'moveDate',
        message: {
          de: `Das Datum liegt mehr als ein Jahr zurück. Bitte wenden Sie sich dafür an die Meldebehörde.`,
          en: 'The date is more than a year ago. Please contact the registration office for this.',
        },
      },
    ];
  return [];
}

const flatFields = [
  { id: 'flatStreet', type: 'text', label: { de: 'Straße und Hausnummer der Wohnung', en: "Flat's street and house number" }, required: true, maxLength: 200 },
  {
    id: 'flatDetail',
    type: 'text',
    label: { de: 'Stockwerk, Wohnungsnummer oder Lage (freiwillig)', en: 'Storey, flat number or position (optional)' },
    hint: { de: 'Zum Beispiel: 2. OG links, Wohnung 7', en: 'For example: 2nd floor left, flat 7' },
    maxLength: 100,
  },
  { id: 'flatPostcode', type: 'postcode', label: { de: 'Postleitzahl der Wohnung', en: "Flat's postcode" }, required: true, maxLength: 5 },
  { id: 'flatTown', type: 'text', label: { de: 'Ort der Wohnung', en: "Flat's town" }, required: true, maxLength: 100 },
] as const satisfies FormPage['fields'];

/** The tenant asks the landlord by e-mail to confirm. */
export const requestPage: FormPage = {
  id: 'anfrage',
  title: { de: 'Wohnungsgeber um Bestätigung bitten', en: 'Ask your landlord to confirm' },
  intro: {
    de: `Ihr Wohnungsgeber erhält eine E-Mail mit einem Link, der ${INVITE_VALIDITY_DAYS} Tage gilt. Er prüft Ihre Angaben, bestätigt sie und erhält einen Code, den er Ihnen gibt. Mit dem Code melden Sie sich online an.`,
    en: `Your landlord gets an email with a link that works for ${INVITE_VALIDITY_DAYS} days. They check your details, confirm them and get a code to give you. You register online with that code.`,
  },
  fields: [
    ...flatFields,
    { id: 'moveDate', type: 'date', label: { de: 'Einzugsdatum', en: 'Move-in date' }, hint: { de: 'Zum Beispiel 01.12.2026', en: 'For example 01.12.2026' }, required: true },
    {
      id: 'residents',
      type: 'textarea',
      label: { de: 'Wer zieht ein? (freiwillig)', en: 'Who moves in? (optional)' },
      hint: { de: 'Eine Person je Zeile, Vor- und Familienname. Ihr Wohnungsgeber kann die Liste ergänzen.', en: 'One person per line, given and family name. Your landlord can add to the list.' },
      maxLength: 2000,
    },
    {
      id: 'landlordEmail',
      type: 'email',
      label: { de: 'E-Mail-Adresse Ihres Wohnungsgebers', en: "Your landlord's email address" },
      hint: { de: 'Zum Beispiel die Ihrer Vermieterin oder der Hausverwaltung.', en: 'For example that of your landlord or the property manager.' },
      required: true,
      maxLength: 254,
      autocomplete: 'off',
    },
  ],
  validate: (d, ctx) => [...moveDateErrors(d, ctx), ...residentErrors(d, false)],
};

function residentErrors(d: FormData, required: boolean): FieldError[] {
  const lines = residentLines(str(d, 'residents'));
  if (required && lines.length === 0)
    return [{ field: 'residents', message: { de: 'Bitte nennen Sie alle Personen, die ein- oder ausziehen, eine je Zeile.', en: 'Name everyone moving in or out, one per line.' } }];
  if (lines.length > MAX_RESIDENTS)
    return [
      {
        field: 'residents',
        message: {
          de: `Hier können höchstens ${MAX_RESIDENTS} Personen bestätigt werden (jetzt ${lines.length}). Für mehr Personen wenden Sie sich bitte an die Meldebehörde.`,
          en: `At most ${MAX_RESIDENTS} people can be confirmed here (now ${lines.length}). For more, please contact the registration office.`,
        },
      },
    ];
  const bad = lines.findIndex((l) => l.length < 3 || l.length > 200 || !/\p{L}/u.test(l));
  if (bad >= 0)
    return [
      {
        field: 'residents',
        message: {
          de: `Zeile ${bad + 1} ist kein Name. Bitte schreiben Sie je Zeile den Vor- und Familiennamen einer Person.`,
          en: `Line ${bad + 1} is not a name. Write one person's given and family name per line.`,
        },
      },
    ];
  return [];
}

const yesNo = [
  { value: 'yes', label: { de: 'Ja', en: 'Yes' } },
  { value: 'no', label: { de: 'Nein', en: 'No' } },
] as const;

/** The landlord's confirmation: the contents of BMG § 19(3). */
export const confirmPage: FormPage = {
  id: 'bestaetigung',
  title: { de: 'Wohnungsgeberbestätigung abgeben', en: 'Give the landlord confirmation' },
  intro: {
    de: 'Nach § 19 Bundesmeldegesetz bestätigt der Wohnungsgeber der meldepflichtigen Person den Ein- oder Auszug, innerhalb von zwei Wochen. Nach dem Absenden erhalten Sie einen Code: Geben Sie ihn der Person, die sich anmeldet.',
    en: 'Under § 19 of the Federal Registration Act (BMG), the landlord confirms the move-in or move-out to the person who must register, within two weeks. After sending you get a code: give it to the person registering.',
  },
  fields: [
    { id: 'landlordName', type: 'text', label: { de: 'Name des Wohnungsgebers (Person oder Firma)', en: "Landlord's name (person or company)" }, required: true, maxLength: 200 },
    { id: 'landlordStreet', type: 'text', label: { de: 'Straße und Hausnummer des Wohnungsgebers', en: "Landlord's street and house number" }, required: true, maxLength: 200 },
    { id: 'landlordPostcode', type: 'text', label: { de: 'Postleitzahl des Wohnungsgebers', en: "Landlord's postcode" }, required: true, maxLength: 10 },
    { id: 'landlordTown', type: 'text', label: { de: 'Ort des Wohnungsgebers (bei Ausland mit Staat)', en: "Landlord's town (with country if abroad)" }, required: true, maxLength: 100 },
    {
      id: 'movement',
      type: 'radio',
      label: { de: 'Was bestätigen Sie?', en: 'What do you confirm?' },
      required: true,
      choices: [
        { value: 'move_in', label: { de: 'Einzug', en: 'Move-in' } },
        { value: 'move_out', label: { de: 'Auszug', en: 'Move-out' } },
      ],
    },
    { id: 'moveDate', type: 'date', label: { de: 'Datum des Ein- oder Auszugs', en: 'Date of the move-in or move-out' }, hint: { de: 'Zum Beispiel 01.12.2026', en: 'For example 01.12.2026' }, required: true },
    ...flatFields,
    {
      id: 'residents',
      type: 'textarea',
      label: { de: 'Namen aller Personen, die ein- oder ausziehen', en: 'Names of everyone moving in or out' },
      hint: { de: 'Eine Person je Zeile, Vor- und Familienname.', en: 'One person per line, given and family name.' },
      required: true,
      maxLength: 4000,
    },
    {
      id: 'confirmer',
      type: 'radio',
      label: { de: 'Wer bestätigt?', en: 'Who is confirming?' },
      required: true,
      choices: [
        { value: 'landlord', label: { de: 'Der Wohnungsgeber selbst', en: 'The landlord personally' } },
        { value: 'agent', label: { de: 'Eine beauftragte Person oder Firma (zum Beispiel die Hausverwaltung)', en: 'Someone acting for the landlord (for example the property manager)' } },
      ],
    },
    {
      id: 'agentName',
      type: 'text',
      label: { de: 'Name der beauftragten Person oder Firma (nur bei Beauftragung)', en: 'Name of the person or company acting (only if acting for the landlord)' },
      maxLength: 200,
    },
    { id: 'landlordIsOwner', type: 'radio', label: { de: 'Ist der Wohnungsgeber auch Eigentümer der Wohnung?', en: 'Is the landlord also the owner of the flat?' }, required: true, choices: yesNo },
    {
      id: 'ownerName',
      type: 'text',
      label: { de: 'Name des Eigentümers (nur wenn nicht der Wohnungsgeber)', en: "Owner's name (only if not the landlord)" },
      maxLength: 200,
    },
    {
      id: 'ownerAddress',
      type: 'text',
      label: { de: 'Anschrift des Eigentümers (nur wenn nicht der Wohnungsgeber)', en: "Owner's address (only if not the landlord)" },
      maxLength: 300,
    },
    {
      id: 'declaration',
      type: 'checkboxes',
      label: { de: 'Erklärung', en: 'Declaration' },
      hint: {
        de: 'Eine falsche oder verspätete Bestätigung ist eine Ordnungswidrigkeit (Bußgeld bis 1.000 Euro). Wer eine Wohnanschrift anbietet, ohne dass ein Einzug beabsichtigt ist, riskiert bis zu 50.000 Euro.',
        en: 'A false or late confirmation is an administrative offence (fine up to 1,000 euros). Offering an address without a real move-in risks up to 50,000 euros.',
      },
      required: true,
      choices: [{ value: 'true', label: { de: 'Ich versichere, dass diese Angaben richtig sind.', en: 'I declare that these details are correct.' } }],
    },
  ],
  validate: (d, ctx) => {
    const errors = [...moveDateErrors(d, ctx), ...residentErrors(d, true)];
    if (str(d, 'confirmer') === 'agent' && !str(d, 'agentName'))
      errors.push({ field: 'agentName', message: { de: 'Bitte nennen Sie die beauftragte Person oder Firma.', en: 'Name the person or company acting for the landlord.' } });
    if (str(d, 'landlordIsOwner') === 'no') {
      if (!str(d, 'ownerName')) errors.push({ field: 'ownerName', message: { de: 'Bitte nennen Sie den Eigentümer der Wohnung.', en: 'Name the owner of the flat.' } });
      if (!str(d, 'ownerAddress')) errors.push({ field: 'ownerAddress', message: { de: 'Bitte nennen Sie die Anschrift des Eigentümers.', en: "Enter the owner's address." } });
    }
    return errors;
  },
};

/** What is stored of a confirmation (the cleaned values of the landlord's form). */
export interface ConfirmationData {
  readonly landlordName: string;
  readonly landlordStreet: string;
  readonly landlordPostcode: string;
  readonly landlordTown: string;
  readonly movement: 'move_in' | 'move_out';
  readonly moveDate: string;
  readonly flatStreet: string;
  readonly flatDetail: string;
  readonly flatPostcode: string;
  readonly flatTown: string;
  readonly residents: readonly string[];
  readonly confirmer: 'landlord' | 'agent';
  readonly agentName: string;
  readonly landlordIsOwner: boolean;
  readonly ownerName: string;
  readonly ownerAddress: string;
}

export function toConfirmationData(values: FormData): ConfirmationData {
  const agent = str(values, 'confirmer') === 'agent';
  const owner = str(values, 'landlordIsOwner') !== 'no';
  return {
    landlordName: str(values, 'landlordName'),
    landlordStreet: str(values, 'landlordStreet'),
    landlordPostcode: str(values, 'landlordPostcode'),
    landlordTown: str(values, 'landlordTown'),
    movement: str(values, 'movement') === 'move_out' ? 'move_out' : 'move_in',
    moveDate: str(values, 'moveDate'),
    flatStreet: str(values, 'flatStreet'),
    flatDetail: str(values, 'flatDetail'),
    flatPostcode: str(values, 'flatPostcode'),
    flatTown: str(values, 'flatTown'),
    residents: residentLines(str(values, 'residents')),
    confirmer: agent ? 'agent' : 'landlord',
    agentName: agent ? str(values, 'agentName') : '',
    landlordIsOwner: owner,
    ownerName: owner ? '' : str(values, 'ownerName'),
    ownerAddress: owner ? '' : str(values, 'ownerAddress'),
  };
}

/** Label/value rows of a confirmation, for the landlord's summary and the E-Akte document. */
export function confirmationRows(c: ConfirmationData, formatDate: (iso: string) => string): { label: string; value: string }[] {
  return [
    { label: 'Wohnungsgeber', value: `${c.landlordName}, ${c.landlordStreet}, ${c.landlordPostcode} ${c.landlordTown}` },
    { label: 'Art', value: c.movement === 'move_in' ? 'Einzug' : 'Auszug' },
    { label: c.movement === 'move_in' ? 'Einzugsdatum' : 'Auszugsdatum', value: formatDate(c.moveDate) },
    { label: 'Anschrift der Wohnung', value: `${c.flatStreet}${c.flatDetail ? ` (${c.flatDetail})` : ''}, ${c.flatPostcode} ${c.flatTown}` },
    { label: 'Meldepflichtige Personen', value: c.residents.join('; ') },
    { label: 'Bestätigt durch', value: c.confirmer === 'agent' ? `Beauftragte Person oder Firma: ${c.agentName}` : 'Wohnungsgeber selbst' },
    { label: 'Eigentümer', value: c.landlordIsOwner ? 'Wohnungsgeber ist Eigentümer' : `${c.ownerName}, ${c.ownerAddress}` },
  ];
}
