import type { FeeBreakdown, FieldError, FormData, RequiredDocument, Text } from '../../catalogue/service-definition.ts';

/**
 * The rules of an amtliche Beglaubigung (§§ 33, 34 VwVfG): certified copies and signature
 * certifications at Citizen Services. Pure functions of the form data.
 */

/** (unverified) Fees of Halle's Verwaltungskostensatzung, as examples a city sets in its definition. */
export const COPY_FIRST_PAGE_CENTS = 300;
const COPY_FURTHER_PAGE_CENTS = 50;
const SIGNATURE_CENTS = 500;

const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v : '';
};

/** A whole number from the form, or the fallback when the field is empty or malformed (the empty form). */
const count = (data: FormData, key: string, fallback: number): number => {
  const v = str(data, key).trim();
  return /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : fallback;
};

export const isCopy = (d: FormData): boolean => d.kind !== 'signature';
export const isSignature = (d: FormData): boolean => d.kind === 'signature';

/**
 * The fee: per certified copy 3 EUR for the first page and 0.50 EUR for each further page, or
 * 5 EUR per certified signature (all unverified). Before the answers are known: one copy of one page.
 */
export function beglaubigungFee(data: FormData): FeeBreakdown {
  if (isSignature(data)) {
    const n = count(data, 'signatures', 1);
    return { cents: n * SIGNATURE_CENTS, items: [{ label: { de: `Unterschriftsbeglaubigung × ${n}`, en: `Signature certification × ${n}` }, cents: n * SIGNATURE_CENTS }] };
  }
  const copies = count(data, 'copies', 1);
  const pages = count(data, 'pages', 1);
  const items = [{ label: { de: `Beglaubigte Kopie, erste Seite × ${copies}`, en: `Certified copy, first page × ${copies}` }, cents: copies * COPY_FIRST_PAGE_CENTS }];
  const further = copies * (pages - 1);
  if (further > 0) items.push({ label: { de: `Weitere Seiten × ${further}`, en: `Further pages × ${further}` }, cents: further * COPY_FURTHER_PAGE_CENTS });
  return { cents: items.reduce((s, i) => s + i.cents, 0), items };
}

/**
 * A city's Beglaubigung is an amtliche Beglaubigung: it is for presenting to authorities and
 * cannot replace a notary's public certification (§ 129 BGB), which land registries, the
 * commercial register and notaries need (unverified: § 34(1) VwVfG excludes these).
 */
export function validateUsePage(data: FormData): FieldError[] {
  if (str(data, 'usage') === 'register')
    return [
      {
        field: 'usage',
        message: {
          de: 'Für das Grundbuchamt, das Handelsregister oder einen Notar brauchen Sie eine öffentliche Beglaubigung durch eine Notarin oder einen Notar. Das Bürgeramt darf sie nicht ausstellen.',
          en: 'For the land registry, the commercial register or a notary you need a public certification by a notary. Citizen Services cannot issue it.',
        },
      },
    ];
  return [];
}

export const signatureNotice: Text = {
  de: 'Unterschreiben Sie das Dokument noch nicht. Sie unterschreiben vor Ort vor der Mitarbeiterin oder dem Mitarbeiter. Bringen Sie Ihren Personalausweis oder Reisepass mit.',
  en: 'Do not sign the document yet. You sign it at the office in front of the member of staff. Bring your ID card or passport.',
};

export const copyNotice: Text = {
  de: 'Bringen Sie zum Termin das Original und die Kopien mit. Geburts-, Heirats- und Sterbeurkunden beglaubigt nur das Standesamt, Zeugnisse ausländischer Stellen oft nur die Stelle, die sie ausgestellt hat.',
  en: 'Bring the original and the copies to your appointment. Birth, marriage and death certificates are certified only by the registry office; foreign certificates often only by whoever issued them.',
};

/** What to bring to the appointment. */
export function beglaubigungRequiredDocuments(data: FormData): RequiredDocument[] {
  const id: RequiredDocument = { label: { de: 'Personalausweis oder Reisepass', en: 'ID card or passport' } };
  if (isSignature(data))
    return [id, { label: { de: 'Das Dokument, noch nicht unterschrieben', en: 'The document, not yet signed' }, hint: { de: 'Sie unterschreiben vor Ort.', en: 'You sign it at the office.' } }];
  return [
    id,
    { label: { de: 'Das Original des Dokuments', en: 'The original document' } },
    { label: { de: 'Die Kopien, die beglaubigt werden sollen', en: 'The copies to be certified' }, hint: { de: 'Gut lesbar und vollständig, jede Seite.', en: 'Clearly legible and complete, every page.' } },
  ];
}
