import type { DocumentTemplate, FormData } from '../../catalogue/service-definition.ts';
import { formatDate, formatIsoDate } from '../../platform/i18n/time.ts';
import { personRows, SEAL_NOTE } from './people.ts';

const str = (d: FormData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');

function newAddress(d: FormData): string {
  return `${str(d, 'street')} ${str(d, 'houseNumber')}${str(d, 'addressDetail') ? ` (${str(d, 'addressDetail')})` : ''}, ${str(d, 'postcode')} ${str(d, 'town')}`;
}

/**
 * The Meldebestätigung (BMG § 24(2)): names, the address and the move-in date of everyone
 * registered, sealed by the city. Issued when the clerk accepts the registration.
 */
export const wohnsitzanmeldungDocuments: readonly DocumentTemplate[] = [
  {
    id: 'meldebestaetigung',
    kind: 'decision',
    issuedOn: 'accept',
    title: { de: 'Meldebestätigung', en: 'Registration confirmation' },
    content: (d, ctx) => ({
      paragraphs: [
        {
          de: `Die Meldebehörde der ${ctx.city.de} bestätigt die Anmeldung vom ${formatDate(ctx.submittedAt, 'de', ctx.timeZone)} nach § 24 Abs. 2 Bundesmeldegesetz für die folgenden Personen:`,
        },
      ],
      rows: [
        ...personRows(d),
        { label: { de: 'Anschrift', en: 'Address' }, value: newAddress(d) },
        { label: { de: 'Wohnungsstatus', en: 'Residence' }, value: d.residenceType === 'secondary' ? 'Nebenwohnung' : 'Hauptwohnung' },
        { label: { de: 'Tag des Einzugs', en: 'Move-in date' }, value: formatIsoDate(str(d, 'moveInDate'), 'de') },
        { label: { de: 'Tag der Anmeldung', en: 'Registration date' }, value: formatDate(ctx.submittedAt, 'de', ctx.timeZone) },
      ],
      closing: [SEAL_NOTE],
    }),
  },
];
