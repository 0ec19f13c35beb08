import { formatEuro } from '../../catalogue/fees.ts';
import type { DocumentContext, DocumentParagraph, DocumentTemplate, FormData } from '../../catalogue/service-definition.ts';
import { formatDate, formatDateTime, formatIsoDate } from '../../platform/i18n/time.ts';
import { isDangerous, isRegistration, normaliseChip, taxFrom, yearlyTaxCents } from './rules.ts';

/**
 * The Hundesteuer documents (ADR 0013): the receipt on submission, the tax notice with the tax
 * tag number (Steuermarke) on `register`, the confirmation on `deregister`. German only
 * (§ 23 VwVfG); the wording is a draft for the city's legal office.
 */
const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? v.join(', ') : (v ?? '')).trim();
};

const END_REASONS: Record<string, string> = { died: 'Der Hund ist gestorben', given_away: 'Der Hund wurde abgegeben', moved_away: 'Wegzug aus der Stadt', other: 'Sonstiges' };

function ownerRows(d: FormData): { label: DocumentParagraph; value: string }[] {
  return [
    { label: { de: 'Halter/in', en: 'Owner' }, value: [str(d, 'givenName'), str(d, 'familyName')].filter(Boolean).join(' ') },
    { label: { de: 'Anschrift', en: 'Address' }, value: [str(d, 'street'), [str(d, 'postcode'), str(d, 'town')].filter(Boolean).join(' ')].filter(Boolean).join(', ') },
    { label: { de: 'Name des Hundes', en: "Dog's name" }, value: str(d, 'dogName') },
  ];
}

function dogRows(d: FormData): { label: DocumentParagraph; value: string }[] {
  if (!isRegistration(d))
    return [
      ...(str(d, 'tagNumber') ? [{ label: { de: 'Steuermarke Nr.', en: 'Tax tag no.' }, value: str(d, 'tagNumber') }] : []),
      { label: { de: 'Grund', en: 'Reason' }, value: END_REASONS[str(d, 'endReason')] ?? str(d, 'endReason') },
      { label: { de: 'Haltung endet am', en: 'Keeping ends on' }, value: formatIsoDate(str(d, 'endDate'), 'de') },
    ];
  return [
    { label: { de: 'Rasse', en: 'Breed' }, value: str(d, 'breed') },
    { label: { de: 'Geboren am', en: 'Born on' }, value: formatIsoDate(str(d, 'dogBirthdate'), 'de') },
    { label: { de: 'Gehalten seit', en: 'Kept since' }, value: formatIsoDate(str(d, 'keptSince'), 'de') },
    { label: { de: 'Chipnummer', en: 'Microchip number' }, value: normaliseChip(str(d, 'chipNumber')) ?? str(d, 'chipNumber') },
  ];
}

const sealNote: DocumentParagraph = {
  de: 'Dieses Schreiben wurde elektronisch erstellt und mit dem Dienstsiegel der Stadt versehen. Es ist ohne Unterschrift gültig. Seine Echtheit können Sie mit dem QR-Code prüfen.',
  en: 'This letter was created electronically and carries the city’s official seal. It is valid without a signature. You can check that it is genuine with the QR code.',
};

const submitted = (ctx: DocumentContext) => formatDateTime(ctx.submittedAt, 'de', ctx.timeZone);

export const hundesteuerDocuments: readonly DocumentTemplate[] = [
  {
    id: 'eingangsbestaetigung',
    kind: 'receipt',
    issuedOn: 'submit',
    title: { de: 'Eingangsbestätigung der Hundesteuer-Meldung', en: 'Receipt of the dog tax notification' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        {
          de: `Ihre ${isRegistration(d) ? 'Anmeldung' : 'Abmeldung'} eines Hundes zur Hundesteuer ist am ${submitted(ctx)} Uhr bei der ${ctx.department.de} eingegangen. Wir haben folgende Angaben erhalten:`,
        },
      ],
      rows: [...ownerRows(d), ...dogRows(d)],
      closing: [
        {
          de: isRegistration(d)
            ? 'Wir prüfen Ihre Anmeldung und schicken Ihnen den Hundesteuerbescheid mit der Nummer Ihrer Steuermarke.'
            : 'Wir prüfen Ihre Abmeldung und bestätigen sie Ihnen. Bitte geben Sie die Steuermarke zurück oder vernichten Sie sie.',
        },
        sealNote,
      ],
    }),
  },
  {
    id: 'hundesteuerbescheid',
    kind: 'decision',
    issuedOn: 'register',
    title: { de: 'Hundesteuerbescheid', en: 'Dog tax notice' },
    content: (d, ctx) => {
      const since = str(d, 'keptSince');
      return {
        paragraphs: [
          { de: 'Sehr geehrte Damen und Herren,' },
          { de: `auf Ihre Anmeldung vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} setzen wir nach der Hundesteuersatzung der Stadt die Hundesteuer für folgenden Hund fest:` },
        ],
        rows: [
          ...ownerRows(d),
          ...dogRows(d),
          { label: { de: 'Steuermarke Nr.', en: 'Tax tag no.' }, value: ctx.input.tagNumber ?? '' },
          { label: { de: 'Steuersatz', en: 'Rate' }, value: isDangerous(d) ? 'gefährlicher Hund' : Number(str(d, 'otherDogs')) > 0 ? 'weiterer Hund' : 'erster Hund' },
          { label: { de: 'Hundesteuer im Jahr', en: 'Dog tax per year' }, value: formatEuro(yearlyTaxCents(d), 'de') },
          { label: { de: 'Steuerpflicht ab', en: 'Tax owed from' }, value: /^\d{4}-\d{2}-\d{2}$/.test(since) ? formatIsoDate(taxFrom(since), 'de') : '' },
        ],
        closing: [
          // (unverified) quarterly due dates are the common default of Hundesteuersatzungen
          { de: 'Die Steuer wird zu je einem Viertel am 15. Februar, 15. Mai, 15. August und 15. November fällig. Für das laufende Jahr berechnen wir sie anteilig ab dem oben genannten Monat.' },
          { de: 'Die Steuermarke schicken wir Ihnen mit der Post. Ihr Hund muss sie außerhalb Ihrer Wohnung sichtbar tragen.' },
          ...(ctx.input.remarks ? [{ de: 'Hinweise', heading: true }, { de: ctx.input.remarks }] : []),
          { de: 'Rechtsbehelfsbelehrung', heading: true },
          { de: `Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden, schriftlich oder zur Niederschrift bei der ${ctx.city.de}, ${ctx.department.de}. Der Widerspruch hat keine aufschiebende Wirkung; die Steuer ist trotzdem fristgerecht zu zahlen.` },
          sealNote,
        ],
      };
    },
  },
  {
    id: 'abmeldebestaetigung',
    kind: 'decision',
    issuedOn: 'deregister',
    title: { de: 'Bestätigung der Abmeldung zur Hundesteuer', en: 'Confirmation of dog tax de-registration' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        { de: `wir bestätigen die Abmeldung Ihres Hundes vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)}. Die Steuerpflicht endet mit Ablauf des Monats, in dem die Haltung endet.` },
      ],
      rows: [...ownerRows(d), ...dogRows(d)],
      closing: [
        { de: 'Zu viel gezahlte Steuer erstatten wir Ihnen. Bitte geben Sie die Steuermarke zurück oder vernichten Sie sie.' },
        ...(ctx.input.remarks ? [{ de: 'Hinweise', heading: true }, { de: ctx.input.remarks }] : []),
        sealNote,
      ],
    }),
  },
];
