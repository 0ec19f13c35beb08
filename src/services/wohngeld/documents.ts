import type { DocumentContext, DocumentParagraph, DocumentTemplate, FormData } from '../../catalogue/service-definition.ts';
import { formatEuro } from '../../catalogue/fees.ts';
import { formatDate, formatIsoDate } from '../../platform/i18n/time.ts';
import { parseDateInput, parseEuroAmount } from './rules.ts';

/**
 * The Wohngeld decisions (ADR 0013): the Bewilligungsbescheid of "grant" with the amount and
 * period the clerk entered, and the Ablehnungsbescheid of "reject". German only (§ 23 VwVfG).
 * The legal wording (notably the Rechtsbehelfsbelehrung and the duties under § 27 WoGG, unverified)
 * is a draft for the city's legal office.
 */
const str = (d: FormData, id: string): string => {
  const v = d[id];
  return (Array.isArray(v) ? v.join(', ') : (v ?? '')).trim();
};

function applicationRows(d: FormData): { label: DocumentParagraph; value: string }[] {
  return [
    { label: { de: 'Antragsteller/in', en: 'Applicant' }, value: [str(d, 'givenName'), str(d, 'familyName')].filter(Boolean).join(' ') },
    { label: { de: 'Wohnung', en: 'Flat' }, value: [str(d, 'street'), [str(d, 'postcode'), str(d, 'town')].filter(Boolean).join(' ')].filter(Boolean).join(', ') },
    { label: { de: 'Haushaltsmitglieder', en: 'Household members' }, value: str(d, 'householdSize') },
    { label: { de: 'Bruttokaltmiete (monatlich, Angabe)', en: 'Rent excluding heating (monthly, as stated)' }, value: `${str(d, 'rent')} €` },
    { label: { de: 'Wohnfläche (Angabe)', en: 'Living space (as stated)' }, value: `${str(d, 'livingSpace')} m²` },
  ];
}

const sealNote: DocumentParagraph = {
  de: 'Dieser Bescheid wurde elektronisch erstellt und mit dem Dienstsiegel der Stadt versehen. Er ist ohne Unterschrift gültig. Seine Echtheit können Sie mit dem QR-Code prüfen.',
  en: 'This decision was created electronically and carries the city’s official seal. It is valid without a signature. You can check that it is genuine with the QR code.',
};

const heading = (de: string, en: string): DocumentParagraph => ({ de, en, heading: true });

const legalRemedy = (ctx: DocumentContext): DocumentParagraph => ({
  de: `Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden, schriftlich oder zur Niederschrift bei der ${ctx.city.de}, ${ctx.department.de}.`,
});

export const wohngeldDocuments: readonly DocumentTemplate[] = [
  {
    id: 'bewilligungsbescheid',
    kind: 'decision',
    issuedOn: 'grant',
    title: { de: 'Wohngeldbescheid (Bewilligung)', en: 'Housing benefit decision (granted)' },
    content: (d, ctx) => {
      const cents = parseEuroAmount(ctx.input.amount ?? '');
      return {
        paragraphs: [
          { de: 'Guten Tag,' },
          {
            de: `auf Ihren Antrag vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} wird Ihnen nach dem Wohngeldgesetz (WoGG) Wohngeld als Mietzuschuss bewilligt.`,
          },
        ],
        rows: [
          { label: { de: 'Wohngeld monatlich', en: 'Housing benefit per month' }, value: cents === undefined ? (ctx.input.amount ?? '') : formatEuro(cents, 'de') },
          { label: { de: 'Bewilligungszeitraum', en: 'Period' }, value: `${formatIsoDate(parseDateInput(ctx.input.periodFrom ?? '') ?? ctx.input.periodFrom ?? '', 'de')} bis ${formatIsoDate(parseDateInput(ctx.input.periodTo ?? '') ?? ctx.input.periodTo ?? '', 'de')}` },
          ...applicationRows(d),
        ],
        closing: [
          ...(ctx.input.remarks ? [heading('Hinweise', 'Remarks'), { de: ctx.input.remarks }] : []),
          heading('Ihre Pflichten', 'Your duties'),
          {
            de: 'Teilen Sie der Wohngeldstelle unverzüglich mit, wenn Sie umziehen, wenn jemand aus- oder einzieht oder wenn die Miete um mehr als 15 Prozent sinkt oder das Einkommen um mehr als 15 Prozent steigt (§ 27 WoGG). Stellen Sie einen Weiterleistungsantrag rechtzeitig vor dem Ende des Bewilligungszeitraums.',
          },
          heading('Rechtsbehelfsbelehrung', 'Legal remedies'),
          legalRemedy(ctx),
          sealNote,
        ],
      };
    },
  },
  {
    id: 'ablehnungsbescheid',
    kind: 'decision',
    issuedOn: 'reject',
    title: { de: 'Wohngeldbescheid (Ablehnung)', en: 'Housing benefit decision (rejected)' },
    content: (d, ctx) => ({
      paragraphs: [
        { de: 'Guten Tag,' },
        { de: `Ihr Antrag auf Wohngeld vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} wird abgelehnt.` },
      ],
      rows: applicationRows(d),
      closing: [heading('Begründung', 'Reasons'), { de: ctx.input.reason ?? '' }, heading('Rechtsbehelfsbelehrung', 'Legal remedies'), legalRemedy(ctx), sealNote],
    }),
  },
];
