import type { DocumentContext, DocumentParagraph, DocumentTemplate, FormData } from '../../catalogue/service-definition.ts';
import { formatDate, formatDateTime, formatIsoDate } from '../../platform/i18n/time.ts';

/**
 * The Halteverbot's documents (ADR 0013): the receipt on submission, the permit with the traffic
 * order (Erlaubnis und verkehrsrechtliche Anordnung) on `approve`, the refusal on `reject`.
 * German only (§ 23 VwVfG); the wording is a draft for the city's legal office.
 */
const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? v.join(', ') : (v ?? '')).trim();
};

const REASONS: Record<string, string> = { umzug: 'Umzug', lieferung: 'Anlieferung (z. B. Möbel, Baustoffe)', sonstiges: 'Sonstiges' };

function zoneRows(d: FormData): { label: DocumentParagraph; value: string }[] {
  const start = str(d, 'startDate');
  const end = str(d, 'endDate') || start;
  const days = start === end ? formatIsoDate(start, 'de') : `${formatIsoDate(start, 'de')} bis ${formatIsoDate(end, 'de')}`;
  const reason = str(d, 'reason') === 'sonstiges' && str(d, 'reasonOther') ? `Sonstiges: ${str(d, 'reasonOther')}` : (REASONS[str(d, 'reason')] ?? str(d, 'reason'));
  return [
    { label: { de: 'Antragsteller/in', en: 'Applicant' }, value: [str(d, 'applicantName'), str(d, 'organisation')].filter(Boolean).join(', ') },
    { label: { de: 'Ort', en: 'Place' }, value: [str(d, 'placeStreet'), str(d, 'placePostcode')].filter(Boolean).join(', ') },
    ...(str(d, 'placeDetails') ? [{ label: { de: 'Lage', en: 'Position' }, value: str(d, 'placeDetails') }] : []),
    { label: { de: 'Länge', en: 'Length' }, value: `${str(d, 'lengthMetres')} m` },
    { label: { de: 'Tage', en: 'Days' }, value: days },
    { label: { de: 'Uhrzeit', en: 'Time' }, value: `täglich ${str(d, 'fromTime')} bis ${str(d, 'toTime')} Uhr` },
    { label: { de: 'Anlass', en: 'Reason' }, value: reason },
  ];
}

const sealNote: DocumentParagraph = {
  de: 'Dieses Schreiben wurde elektronisch erstellt und mit dem Dienstsiegel der Stadt versehen. Es ist ohne Unterschrift gültig. Seine Echtheit können Sie mit dem QR-Code prüfen.',
  en: 'This letter was created electronically and carries the city’s official seal. It is valid without a signature. You can check that it is genuine with the QR code.',
};

const submitted = (ctx: DocumentContext) => formatDateTime(ctx.submittedAt, 'de', ctx.timeZone);

export const halteverbotDocuments: readonly DocumentTemplate[] = [
  {
    id: 'eingangsbestaetigung',
    kind: 'receipt',
    issuedOn: 'submit',
    title: { de: 'Eingangsbestätigung des Antrags auf ein Halteverbot', en: 'Receipt of the no-parking zone application' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        { de: `Ihr Antrag auf eine Sondernutzungserlaubnis für ein vorübergehendes Halteverbot ist am ${submitted(ctx)} Uhr beim ${ctx.department.de} eingegangen. Wir haben folgende Angaben erhalten:` },
      ],
      rows: zoneRows(d),
      closing: [
        { de: 'Bitte stellen Sie noch keine Schilder auf: Das Halteverbot gilt erst mit der Anordnung, die wir Ihnen nach der Prüfung schicken.' },
        sealNote,
      ],
    }),
  },
  {
    id: 'anordnung',
    kind: 'decision',
    issuedOn: 'approve',
    title: { de: 'Sondernutzungserlaubnis und verkehrsrechtliche Anordnung (Halteverbot)', en: 'Street use permit and traffic order (no-parking zone)' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        {
          de: `auf Ihren Antrag vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} erteilen wir Ihnen die Erlaubnis zur Sondernutzung der öffentlichen Straße nach § 18 des Straßengesetzes für das Land Sachsen-Anhalt und ordnen nach § 45 der Straßenverkehrs-Ordnung (StVO) ein vorübergehendes absolutes Haltverbot (Zeichen 283) an:`,
        },
      ],
      rows: zoneRows(d),
      closing: [
        { de: 'Auflagen', heading: true },
        {
          // (unverified) the usual conditions of a moving-van permit
          de: 'Die Haltverbotsschilder (Zeichen 283 mit Zusatzzeichen für Tage und Uhrzeit) sind mindestens 72 Stunden vor Beginn aufzustellen; lassen Sie die bereits parkenden Fahrzeuge dabei protokollieren (Kennzeichen, Uhrzeit). Die Schilder müssen gut sichtbar sein und sind nach Ende unverzüglich zu entfernen. Fuß- und Radwege müssen frei bleiben. Führen Sie diese Anordnung während der Nutzung mit und zeigen Sie sie auf Verlangen vor.',
        },
        ...(ctx.input.conditions ? [{ de: 'Weitere Auflagen und Hinweise', heading: true }, { de: ctx.input.conditions }] : []),
        { de: 'Rechtsbehelfsbelehrung', heading: true },
        { de: `Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden, schriftlich oder zur Niederschrift bei der ${ctx.city.de}, ${ctx.department.de}.` },
        sealNote,
      ],
    }),
  },
  {
    id: 'ablehnungsbescheid',
    kind: 'decision',
    issuedOn: 'reject',
    title: { de: 'Bescheid: Ablehnung des Halteverbots', en: 'Decision: no-parking zone refused' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        { de: `Ihren Antrag vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} auf ein vorübergehendes Halteverbot lehnen wir ab.` },
      ],
      rows: zoneRows(d),
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
