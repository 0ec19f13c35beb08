import type { DocumentContext, DocumentParagraph, DocumentTemplate, FormData } from '../../catalogue/service-definition.ts';
import { formatDate, formatDateTime, formatIsoDate } from '../../platform/i18n/time.ts';

/**
 * The Versammlungsanzeige's issued documents (ADR 0013): the receipt on submission and the
 * decisions of the confirm, restrict and ban transitions. German only: it is the official
 * language (§ 23 VwVfG); English wordings are optional and not printed.
 * The legal wording (notably the Rechtsbehelfsbelehrung) is a draft for the city's legal office.
 */
const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? v.join(', ') : (v ?? '')).trim();
};

const AIDS: Record<string, string> = {
  loudspeaker: 'Lautsprecheranlage',
  megaphone: 'Megafon',
  banners: 'Transparente, Fahnen, Schilder',
  stage: 'Bühne oder Podest',
  infoStand: 'Infostand, Pavillon',
  vehicles: 'Fahrzeuge',
};

/** The facts of the notified assembly, as the table of every document. */
export function assemblyRows(d: FormData): { label: DocumentParagraph; value: string }[] {
  const march = d.kind === 'march';
  const organiser = [str(d, 'organiserName'), str(d, 'organisation')].filter(Boolean).join(', ');
  const address = [str(d, 'street'), [str(d, 'postcode'), str(d, 'town')].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const endDate = str(d, 'endDate');
  const when = `${formatIsoDate(str(d, 'date'), 'de')}, ${str(d, 'startTime')} bis ${endDate ? `${formatIsoDate(endDate, 'de')}, ` : ''}${str(d, 'endTime')} Uhr`;
  const aids = (Array.isArray(d.aids) ? d.aids : d.aids ? [d.aids] : []).map((a) => AIDS[a] ?? a);
  const rows: { label: DocumentParagraph; value: string }[] = [
    { label: { de: 'Veranstalter/in', en: 'Organiser' }, value: organiser },
    { label: { de: 'Anschrift', en: 'Address' }, value: address },
    { label: { de: 'Leitung', en: 'Leader' }, value: [str(d, 'leaderName'), str(d, 'deputyName') ? `Stellvertretung: ${str(d, 'deputyName')}` : ''].filter(Boolean).join('; ') },
    { label: { de: 'Thema', en: 'Subject' }, value: str(d, 'subject') },
    { label: { de: 'Art', en: 'Type' }, value: march ? 'Aufzug' : 'Kundgebung an einem Ort' },
    { label: { de: 'Zeit', en: 'Time' }, value: when },
  ];
  if (march) {
    rows.push({ label: { de: 'Sammelpunkt', en: 'Assembly point' }, value: str(d, 'assemblyPoint') });
    rows.push({ label: { de: 'Wegstrecke', en: 'Route' }, value: str(d, 'route') });
    rows.push({ label: { de: 'Endpunkt', en: 'End point' }, value: str(d, 'endPoint') });
  } else {
    rows.push({ label: { de: 'Ort', en: 'Place' }, value: str(d, 'place') });
  }
  rows.push({ label: { de: 'Erwartete Teilnehmende', en: 'Expected participants' }, value: str(d, 'participants') });
  rows.push({ label: { de: 'Ordnerinnen und Ordner', en: 'Stewards' }, value: str(d, 'stewards') });
  if (aids.length > 0 || str(d, 'aidsDetails')) rows.push({ label: { de: 'Hilfsmittel', en: 'Equipment' }, value: [aids.join(', '), str(d, 'aidsDetails')].filter(Boolean).join('. ') });
  return rows;
}

export const sealNote: DocumentParagraph = {
  de: 'Dieses Schreiben wurde elektronisch erstellt und mit dem Dienstsiegel der Stadt versehen. Es ist ohne Unterschrift gültig. Seine Echtheit können Sie mit dem QR-Code prüfen.',
  en: 'This letter was created electronically and carries the city’s official seal. It is valid without a signature. You can check that it is genuine with the QR code.',
};

const submitted = (ctx: DocumentContext) => formatDateTime(ctx.submittedAt, 'de', ctx.timeZone);
export const heading = (de: string, en: string): DocumentParagraph => ({ de, en, heading: true });

export const versammlungsanzeigeDocuments: readonly DocumentTemplate[] = [
  {
    id: 'eingangsbestaetigung',
    kind: 'receipt',
    issuedOn: 'submit',
    title: { de: 'Eingangsbestätigung der Versammlungsanzeige', en: 'Receipt of the assembly notice' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        {
          de: `Ihre Anzeige einer Versammlung unter freiem Himmel nach § 12 des Versammlungsgesetzes des Landes Sachsen-Anhalt (VersammlG LSA) ist am ${submitted(ctx)} Uhr bei der ${ctx.department.de} eingegangen. Die Anzeige ist damit erstattet; eine Genehmigung brauchen Versammlungen nicht.`,
        },
        { de: 'Wir haben folgende Angaben erhalten:' },
      ],
      rows: assemblyRows(d),
      closing: [
        {
          de: 'Die Versammlungsbehörde prüft Ihre Anzeige. Sie meldet sich, wenn sie ein Kooperationsgespräch führen möchte oder Beschränkungen erwägt. Den Stand sehen Sie jederzeit auf der Statusseite des Portals mit Aktenzeichen und Zugangscode.',
        },
        { de: 'Bitte teilen Sie uns Änderungen Ihrer Planung unverzüglich mit und geben Sie dabei das Aktenzeichen an.' },
        sealNote,
      ],
    }),
  },
  {
    id: 'bestaetigung',
    kind: 'decision',
    issuedOn: 'confirm',
    title: { de: 'Bestätigung der Versammlungsanzeige', en: 'Confirmation of the assembly notice' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        {
          de: `die Versammlungsbehörde hat Ihre Anzeige vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} geprüft. Die Versammlung kann wie angezeigt stattfinden.`,
        },
      ],
      rows: assemblyRows(d),
      closing: [
        ...(ctx.input.conditions ? [heading('Hinweise der Versammlungsbehörde', 'Remarks from the authority'), { de: ctx.input.conditions }] : []),
        {
          de: 'Die Leitung muss während der ganzen Versammlung anwesend und erreichbar sein und für den ordnungsgemäßen Ablauf sorgen. Bitte teilen Sie uns Änderungen unverzüglich mit.',
        },
        sealNote,
      ],
    }),
  },
  {
    id: 'beschraenkungsbescheid',
    kind: 'decision',
    issuedOn: 'restrict',
    title: { de: 'Bescheid: Versammlung mit Beschränkungen', en: 'Decision: assembly with restrictions' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        {
          de: `die Versammlungsbehörde hat Ihre Anzeige vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} geprüft. Die Versammlung kann stattfinden, aber nur mit den unten genannten Beschränkungen nach dem Versammlungsgesetz des Landes Sachsen-Anhalt.`,
        },
      ],
      rows: assemblyRows(d),
      closing: [
        heading('Beschränkungen', 'Restrictions'),
        { de: ctx.input.restrictions ?? '' },
        heading('Begründung', 'Reasons'),
        { de: ctx.input.reason ?? '' },
        heading('Rechtsbehelfsbelehrung', 'Legal remedies'),
        {
          de: `Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden, schriftlich oder zur Niederschrift bei der ${ctx.city.de}, ${ctx.department.de}.`,
        },
        sealNote,
      ],
    }),
  },
  {
    id: 'verbotsbescheid',
    kind: 'decision',
    issuedOn: 'ban',
    title: { de: 'Bescheid: Verbot der Versammlung', en: 'Decision: ban of the assembly' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Sehr geehrte Damen und Herren,' },
        {
          de: `die Versammlungsbehörde hat Ihre Anzeige vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} geprüft. Die unten beschriebene Versammlung wird nach dem Versammlungsgesetz des Landes Sachsen-Anhalt verboten. Sie darf nicht stattfinden.`,
        },
      ],
      rows: assemblyRows(d),
      closing: [
        heading('Begründung', 'Reasons'),
        { de: ctx.input.reason ?? '' },
        heading('Rechtsbehelfsbelehrung', 'Legal remedies'),
        {
          de: 'Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht Halle erhoben werden, schriftlich oder zur Niederschrift bei der Urkundsbeamtin oder dem Urkundsbeamten der Geschäftsstelle. In Eilfällen kann beim Verwaltungsgericht vorläufiger Rechtsschutz beantragt werden.',
        },
        sealNote,
      ],
    }),
  },
];
