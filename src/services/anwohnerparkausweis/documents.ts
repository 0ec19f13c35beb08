import type { DocumentContext, DocumentParagraph, DocumentTemplate, FormData } from '../../catalogue/service-definition.ts';
import { formatDate, formatDateTime, formatIsoDate, zonedToday } from '../../platform/i18n/time.ts';
import { normaliseKennzeichen, validUntil, zoneOf } from './rules.ts';

/**
 * The Bewohnerparkausweis's issued documents (ADR 0013): the receipt on submission, the permit on
 * `issue` and the refusal on `reject`. German only (§ 23 VwVfG). The wording is a draft for the
 * city's legal office.
 */
const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? v.join(', ') : (v ?? '')).trim();
};

const permitYears = (d: FormData): number => (str(d, 'years') === '2' ? 2 : 1);

function permitRows(d: FormData): { label: DocumentParagraph; value: string }[] {
  const plate = str(d, 'kennzeichen');
  return [
    { label: { de: 'Name', en: 'Name' }, value: [str(d, 'givenName'), str(d, 'familyName')].filter(Boolean).join(' ') },
    { label: { de: 'Anschrift', en: 'Address' }, value: [str(d, 'street'), [str(d, 'postcode'), str(d, 'town')].filter(Boolean).join(' ')].filter(Boolean).join(', ') },
    { label: { de: 'Bewohnerparkzone', en: 'Resident parking zone' }, value: zoneOf(str(d, 'zone'))?.label.de ?? str(d, 'zone') },
    { label: { de: 'Kennzeichen', en: 'Number plate' }, value: normaliseKennzeichen(plate) ?? plate },
  ];
}

const sealNote: DocumentParagraph = {
  de: 'Dieses Schreiben wurde elektronisch erstellt und mit dem Dienstsiegel der Stadt versehen. Es ist ohne Unterschrift gültig. Seine Echtheit können Sie mit dem QR-Code prüfen.',
  en: 'This letter was created electronically and carries the city’s official seal. It is valid without a signature. You can check that it is genuine with the QR code.',
};

const submitted = (ctx: DocumentContext) => formatDateTime(ctx.submittedAt, 'de', ctx.timeZone);

export const anwohnerparkausweisDocuments: readonly DocumentTemplate[] = [
  {
    id: 'eingangsbestaetigung',
    kind: 'receipt',
    issuedOn: 'submit',
    title: { de: 'Eingangsbestätigung des Antrags auf einen Bewohnerparkausweis', en: 'Receipt of the resident parking permit application' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        { de: `Ihr Antrag auf einen Bewohnerparkausweis ist am ${submitted(ctx)} Uhr beim ${ctx.department.de} eingegangen. Wir haben folgende Angaben erhalten:` },
      ],
      rows: [...permitRows(d), { label: { de: 'Gültigkeit', en: 'Validity' }, value: permitYears(d) === 2 ? '2 Jahre' : '1 Jahr' }],
      closing: [
        { de: 'Wir prüfen Ihren Antrag. Bis der Ausweis erteilt ist, dürfen Sie in der Zone noch nicht mit Bewohnerparkausweis parken. Den Stand sehen Sie jederzeit auf der Statusseite des Portals.' },
        sealNote,
      ],
    }),
  },
  {
    id: 'bewohnerparkausweis',
    kind: 'decision',
    issuedOn: 'issue',
    title: { de: 'Bewohnerparkausweis', en: 'Resident parking permit' },
    content: (d, ctx) => {
      const from = zonedToday(ctx.issuedAt, ctx.timeZone);
      return {
        paragraphs: [
          { de: 'Bewohnerparkausweis nach § 45 Abs. 1b Satz 1 Nr. 2a der Straßenverkehrs-Ordnung (StVO)', heading: true },
          { de: `Auf Ihren Antrag vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} erteilen wir Ihnen folgenden Bewohnerparkausweis:` },
        ],
        rows: [
          { label: { de: 'Ausweisnummer', en: 'Permit number' }, value: ctx.input.permitNumber ?? ctx.reference },
          ...permitRows(d),
          { label: { de: 'Gültig vom', en: 'Valid from' }, value: formatIsoDate(from, 'de') },
          { label: { de: 'Gültig bis', en: 'Valid until' }, value: formatIsoDate(validUntil(ctx.issuedAt, permitYears(d), ctx.timeZone), 'de') },
        ],
        closing: [
          ...(ctx.input.remarks ? [{ de: 'Hinweise', heading: true }, { de: ctx.input.remarks }] : []),
          {
            // (unverified) whether a printout counts as the permit is the city's choice
            de: 'Legen Sie einen Ausdruck dieses Ausweises gut lesbar hinter die Windschutzscheibe. Der Ausweis gilt nur in der genannten Zone, nur für das genannte Fahrzeug und nur auf den Flächen, die mit dem Zusatzzeichen „Bewohner mit Parkausweis“ gekennzeichnet sind. Einen Anspruch auf einen freien Parkplatz gibt er nicht.',
          },
          { de: 'Wenn Sie umziehen oder das Fahrzeug wechseln, beantragen Sie bitte eine Änderung. Wenn Sie aus der Zone wegziehen, verliert der Ausweis seine Gültigkeit.' },
          sealNote,
        ],
      };
    },
  },
  {
    id: 'ablehnungsbescheid',
    kind: 'decision',
    issuedOn: 'reject',
    title: { de: 'Bescheid: Ablehnung des Bewohnerparkausweises', en: 'Decision: resident parking permit refused' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        { de: `Ihren Antrag vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} auf einen Bewohnerparkausweis lehnen wir ab.` },
      ],
      rows: permitRows(d),
      closing: [
        { de: 'Begründung', heading: true },
        { de: ctx.input.reason ?? '' },
        { de: 'Rechtsbehelfsbelehrung', heading: true },
        { de: `Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden, schriftlich oder zur Niederschrift bei der ${ctx.city.de}, ${ctx.department.de}.` },
        sealNote,
      ],
    }),
  },
];
