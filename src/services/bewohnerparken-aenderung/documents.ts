import type { DocumentContext, DocumentParagraph, DocumentTemplate, FormData } from '../../catalogue/service-definition.ts';
import { formatDate, formatDateTime, formatIsoDate, zonedToday } from '../../platform/i18n/time.ts';
import { normaliseKennzeichen, zoneOf } from '../anwohnerparkausweis/rules.ts';
import { changesAddress, changesVehicle, isoDateFromInput } from './rules.ts';

/**
 * The documents of a permit change (ADR 0013): the receipt on submission, the changed permit on
 * `change` and the refusal on `reject`. German only (§ 23 VwVfG); a draft for the legal office.
 */
const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? v.join(', ') : (v ?? '')).trim();
};

function changeRows(d: FormData): { label: DocumentParagraph; value: string }[] {
  const plate = str(d, 'kennzeichen');
  const changes = [changesVehicle(d) ? 'Fahrzeug (Kennzeichen)' : '', changesAddress(d) ? 'Adresse in der Zone' : ''].filter(Boolean).join(', ');
  return [
    { label: { de: 'Ausweisnummer', en: 'Permit number' }, value: str(d, 'permitNumber') },
    { label: { de: 'Name', en: 'Name' }, value: [str(d, 'givenName'), str(d, 'familyName')].filter(Boolean).join(' ') },
    { label: { de: 'Anschrift', en: 'Address' }, value: [str(d, 'street'), [str(d, 'postcode'), str(d, 'town')].filter(Boolean).join(' ')].filter(Boolean).join(', ') },
    { label: { de: 'Bewohnerparkzone', en: 'Resident parking zone' }, value: zoneOf(str(d, 'zone'))?.label.de ?? str(d, 'zone') },
    ...(changesVehicle(d) ? [{ label: { de: 'Neues Kennzeichen', en: 'New number plate' }, value: normaliseKennzeichen(plate) ?? plate }] : []),
    { label: { de: 'Geändert', en: 'Changed' }, value: changes },
  ];
}

const sealNote: DocumentParagraph = {
  de: 'Dieses Schreiben wurde elektronisch erstellt und mit dem Dienstsiegel der Stadt versehen. Es ist ohne Unterschrift gültig. Seine Echtheit können Sie mit dem QR-Code prüfen.',
  en: 'This letter was created electronically and carries the city’s official seal. It is valid without a signature. You can check that it is genuine with the QR code.',
};

const submitted = (ctx: DocumentContext) => formatDateTime(ctx.submittedAt, 'de', ctx.timeZone);

export const bewohnerparkenAenderungDocuments: readonly DocumentTemplate[] = [
  {
    id: 'eingangsbestaetigung',
    kind: 'receipt',
    issuedOn: 'submit',
    title: { de: 'Eingangsbestätigung der Änderung des Bewohnerparkausweises', en: 'Receipt of the resident parking permit change' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        { de: `Ihr Antrag auf Änderung Ihres Bewohnerparkausweises ist am ${submitted(ctx)} Uhr beim ${ctx.department.de} eingegangen. Wir haben folgende Angaben erhalten:` },
      ],
      rows: changeRows(d),
      closing: [{ de: 'Bis der geänderte Ausweis erteilt ist, gilt Ihr bisheriger Ausweis nur für das bisherige Fahrzeug.' }, sealNote],
    }),
  },
  {
    id: 'geaenderter-ausweis',
    kind: 'decision',
    issuedOn: 'change',
    title: { de: 'Bewohnerparkausweis (geändert)', en: 'Resident parking permit (changed)' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Bewohnerparkausweis nach § 45 Abs. 1b Satz 1 Nr. 2a der Straßenverkehrs-Ordnung (StVO) – geänderte Fassung', heading: true },
        { de: `Auf Ihren Antrag vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} ändern wir Ihren Bewohnerparkausweis. Er gilt ab heute in folgender Fassung:` },
      ],
      rows: [
        ...changeRows(d),
        { label: { de: 'Gültig vom', en: 'Valid from' }, value: formatIsoDate(zonedToday(ctx.issuedAt, ctx.timeZone), 'de') },
        { label: { de: 'Gültig bis', en: 'Valid until' }, value: formatIsoDate(isoDateFromInput(ctx.input.validUntil) ?? ctx.input.validUntil ?? '', 'de') },
      ],
      closing: [
        { de: 'Der bisherige Ausweis verliert mit diesem Ausweis seine Gültigkeit. Legen Sie einen Ausdruck dieses Ausweises gut lesbar hinter die Windschutzscheibe.' },
        sealNote,
      ],
    }),
  },
  {
    id: 'ablehnungsbescheid',
    kind: 'decision',
    issuedOn: 'reject',
    title: { de: 'Bescheid: Ablehnung der Änderung des Bewohnerparkausweises', en: 'Decision: resident parking permit change refused' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        { de: `Ihren Antrag vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} auf Änderung Ihres Bewohnerparkausweises lehnen wir ab.` },
      ],
      rows: changeRows(d),
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
