import type { FormData, Text } from '../catalogue/service-definition.ts';

/**
 * Which trades may start on the notice alone (GewO § 14) and which need a permit or a craft card
 * first (DOMAIN.md). The rules are data: one row per activity category the citizen chooses, with
 * the WZ 2008 keys that belong to it, so a category chosen wrongly is still caught by its key.
 *
 * Permit-free → the notice is accepted automatically (ADR 0022). A permit or a craft card → a
 * clerk checks it before the receipt is issued. Facts beyond DOMAIN.md are marked (unverified).
 */
type PermitRequirement =
  | { readonly kind: 'none' }
  | { readonly kind: 'permit'; /** Legal basis, e.g. "§ 34a GewO". */ readonly law: string; readonly what: Text }
  /** A clerk must look at it for another reason (e.g. the Gaststätte's own law). */
  | { readonly kind: 'review'; readonly law: string; readonly what: Text };

export interface ActivityCategory {
  readonly id: string;
  readonly label: Text;
  /** WZ 2008 keys (or their leading digits) that fall under this category. */
  readonly wzPrefixes: readonly string[];
  readonly requirement: PermitRequirement;
}

const none = { kind: 'none' } as const;
const permit = (law: string, de: string, en: string): PermitRequirement => ({ kind: 'permit', law, what: { de, en } });

/** The table. Order is the order of the choice on the form; `sonstiges` stays last. */
export const ACTIVITY_CATEGORIES: readonly ActivityCategory[] = [
  { id: 'einzelhandel', label: { de: 'Einzelhandel (Laden)', en: 'Retail (shop)' }, wzPrefixes: ['471', '472', '474', '475', '476', '477'], requirement: none },
  { id: 'onlinehandel', label: { de: 'Online- oder Versandhandel', en: 'Online or mail-order trade' }, wzPrefixes: ['4791'], requirement: none },
  { id: 'grosshandel', label: { de: 'Großhandel', en: 'Wholesale' }, wzPrefixes: ['46'], requirement: none },
  { id: 'it', label: { de: 'IT-Dienstleistungen, Software, Webdesign', en: 'IT services, software, web design' }, wzPrefixes: ['62', '631'], requirement: none },
  { id: 'beratung', label: { de: 'Unternehmensberatung, Büro- und Verwaltungsdienste', en: 'Management consulting, office services' }, wzPrefixes: ['702', '821'], requirement: none },
  { id: 'reinigung', label: { de: 'Gebäudereinigung, Hausmeisterdienste', en: 'Cleaning, caretaking' }, wzPrefixes: ['812', '811'], requirement: none },
  { id: 'kosmetik', label: { de: 'Kosmetik, Nagelstudio', en: 'Beauty salon, nail studio' }, wzPrefixes: ['96022'], requirement: none },
  { id: 'veranstaltung', label: { de: 'Veranstaltungsservice, DJ, Fotografie', en: 'Event services, DJ, photography' }, wzPrefixes: ['742', '9329'], requirement: none },
  { id: 'handwerk', label: { de: 'Handwerk (siehe Frage zur Handwerksordnung)', en: 'Craft (see the question on the Crafts Code)' }, wzPrefixes: [], requirement: none },
  {
    id: 'bewachung',
    label: { de: 'Bewachung, Sicherheitsdienst', en: 'Security services' },
    wzPrefixes: ['801'],
    requirement: permit('§ 34a GewO', 'Erlaubnis für das Bewachungsgewerbe', 'Permit for security services'),
  },
  {
    id: 'versteigerung',
    label: { de: 'Versteigerungen (Auktionator)', en: 'Auctions (auctioneer)' },
    wzPrefixes: ['47791'],
    requirement: permit('§ 34b GewO', 'Versteigerererlaubnis', "Auctioneer's permit"),
  },
  {
    id: 'makler',
    label: { de: 'Immobilienmakler, Darlehensvermittlung, Wohnimmobilienverwaltung', en: 'Estate agent, loan broker, residential property management' },
    wzPrefixes: ['6831', '6832'],
    requirement: permit('§ 34c GewO', 'Erlaubnis als Makler, Darlehensvermittler oder Wohnimmobilienverwalter', 'Permit as broker, loan broker or residential property manager'),
  },
  {
    id: 'bautraeger',
    label: { de: 'Bauträger, Baubetreuung', en: 'Property developer' },
    wzPrefixes: ['411'],
    requirement: permit('§ 34c GewO', 'Erlaubnis als Bauträger oder Baubetreuer', 'Permit as property developer'),
  },
  {
    id: 'versicherung',
    label: { de: 'Versicherungsvermittlung oder -beratung', en: 'Insurance broking or advice' },
    wzPrefixes: ['6622'],
    requirement: permit('§ 34d GewO', 'Erlaubnis als Versicherungsvermittler oder -berater', 'Permit as insurance intermediary or adviser'),
  },
  {
    id: 'anlageberatung',
    label: { de: 'Finanzanlagenvermittlung oder -beratung', en: 'Investment brokering or advice' },
    wzPrefixes: ['6619'],
    requirement: permit('§ 34f GewO', 'Erlaubnis als Finanzanlagenvermittler', 'Permit as investment broker'),
  },
  {
    id: 'privatklinik',
    label: { de: 'Privatkrankenanstalt (Privatklinik)', en: 'Private clinic' },
    wzPrefixes: ['861'],
    requirement: permit('§ 30 GewO', 'Konzession für Privatkrankenanstalten', 'Licence for private clinics'),
  },
  {
    id: 'spielhalle',
    label: { de: 'Spielhalle, Aufstellen von Geldspielgeräten', en: 'Amusement arcade, gaming machines' },
    wzPrefixes: ['9200'],
    // (unverified) §§ 33c, 33i GewO; not in DOMAIN.md.
    requirement: permit('§§ 33c, 33i GewO', 'Erlaubnis für Spielgeräte oder Spielhallen', 'Permit for gaming machines or arcades'),
  },
  {
    id: 'pfandleihe',
    label: { de: 'Pfandleihe', en: 'Pawnbroking' },
    wzPrefixes: ['64923'],
    // (unverified) § 34 GewO; not in DOMAIN.md.
    requirement: permit('§ 34 GewO', 'Erlaubnis für das Pfandleihgewerbe', 'Permit for pawnbroking'),
  },
  {
    id: 'gaststaette',
    label: { de: 'Gaststätte, Imbiss, Bar', en: 'Restaurant, snack bar, bar' },
    wzPrefixes: ['561', '563'],
    // (unverified) whether serving alcohol needs a permit in Sachsen-Anhalt (GastG LSA): a clerk checks.
    requirement: { kind: 'review', law: 'GastG LSA (unverified)', what: { de: 'Prüfung nach dem Gaststättenrecht', en: 'Check under the restaurant law' } },
  },
  { id: 'sonstiges', label: { de: 'Sonstige Tätigkeit', en: 'Other activity' }, wzPrefixes: [], requirement: none },
];

/** Answers about the Crafts Code (Handwerksordnung): Annex A needs a craft card (Handwerkskarte). */
export const CRAFT_ANNEX_CHOICES = [
  { value: 'a', label: { de: 'Ja, ein zulassungspflichtiges Handwerk (Anlage A der Handwerksordnung, z. B. Friseur, Elektrotechnik, Kfz)', en: 'Yes, a licensed craft (Annex A of the Crafts Code, e.g. hairdresser, electrician, car mechanic)' } },
  { value: 'b', label: { de: 'Ja, ein zulassungsfreies oder handwerksähnliches Gewerbe (Anlage B)', en: 'Yes, a craft without licence or a craft-like trade (Annex B)' } },
  { value: 'none', label: { de: 'Nein, kein Handwerk', en: 'No, not a craft' } },
] as const;

/** WZ keys of Annex A crafts, to catch a craft that was not declared as one (a sample; (unverified) list). */
const ANNEX_A_WZ_PREFIXES = ['96021' /* Friseur */, '4321' /* Elektroinstallation */, '4520' /* Kfz-Reparatur */, '4322' /* Sanitär, Heizung */, '1071' /* Bäcker */, '1011' /* Fleischer */];

export interface PermitAssessment {
  /** True when nothing needs a permit, a craft card or a clerk's check. */
  readonly permitFree: boolean;
  /** Each reason a clerk must look at it (legal basis and what is needed); empty when permit-free. */
  readonly reasons: readonly { readonly law: string; readonly what: Text }[];
  /** The craft card is required (HwO Annex A). */
  readonly craftCard: boolean;
  readonly category: ActivityCategory | undefined;
}

export interface ActivityAnswers {
  /** Category id from ACTIVITY_CATEGORIES. */
  readonly category?: string;
  /** WZ 2008 key (digits only; dots are ignored). */
  readonly wzKey?: string;
  /** 'a' | 'b' | 'none' (CRAFT_ANNEX_CHOICES). */
  readonly craftAnnex?: string;
}

export const normaliseWz = (key: string | undefined): string => (key ?? '').replace(/[^0-9]/g, '');

/**
 * Decides from the chosen category, the WZ key and the Crafts Code answer. Every matching row
 * counts: a "Sonstiges" with the WZ key of security services still needs the § 34a permit. An
 * unknown category is never permit-free (deny by default).
 */
export function assessPermits(answers: ActivityAnswers): PermitAssessment {
  const category = ACTIVITY_CATEGORIES.find((c) => c.id === answers.category);
  const wz = normaliseWz(answers.wzKey);
  const reasons: { law: string; what: Text }[] = [];
  const add = (r: PermitRequirement) => {
    if (r.kind !== 'none' && !reasons.some((x) => x.law === r.law && x.what.de === r.what.de)) reasons.push({ law: r.law, what: r.what });
  };
  if (!category) reasons.push({ law: '§ 14 GewO', what: { de: 'Tätigkeit nicht eindeutig zugeordnet', en: 'Activity not clearly classified' } });
  else add(category.requirement);
  if (wz !== '') for (const c of ACTIVITY_CATEGORIES) if (c.wzPrefixes.some((p) => wz.startsWith(p))) add(c.requirement);
  const craftCard = answers.craftAnnex === 'a' || (wz !== '' && ANNEX_A_WZ_PREFIXES.some((p) => wz.startsWith(p)));
  if (craftCard) reasons.push({ law: '§ 1 HwO, Anlage A', what: { de: 'Eintragung in die Handwerksrolle (Handwerkskarte)', en: 'Entry in the register of crafts (craft card)' } });
  return { permitFree: reasons.length === 0, reasons, craftCard, category };
}

/** The assessment for a trade form (field ids of `trade-fields.ts`), with a prefix for the Ummeldung's new activity. */
export function assessForm(data: FormData, prefix = ''): PermitAssessment {
  const s = (id: string) => {
    const v = data[`${prefix}${id}`];
    return typeof v === 'string' ? v : undefined;
  };
  return assessPermits({ category: s('activityCategory'), wzKey: s('wzKey'), craftAnnex: s('craftAnnex') });
}
