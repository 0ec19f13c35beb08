import type { FeeBreakdown, FeeItem, FieldError, FormData, RequiredDocument, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { ageOnDay, zonedToday } from '../../platform/i18n/time.ts';

/**
 * The rules of an ID document for a child since the Kinderreisepass ended (1 January 2024,
 * unverified: Gesetz zur Modernisierung des Pass-, des Ausweis- und des ausländerrechtlichen
 * Dokumentenwesens): children get a Reisepass or a Personalausweis. Pure functions of the form
 * data and the clock.
 */

/** Under this age the document is for a child and the custodians apply. */
const ADULT_AGE = 18;
/** Fingerprints are taken from this age on (unverified: § 4(3) PassG, § 5(9) PAuswG). */
const FINGERPRINT_AGE = 6;

/** Fees under 24 in cents: Personalausweis 27.60 EUR (DOMAIN.md), Reisepass 37.50 EUR (unverified). */
export const FEES_UNDER_24 = { personalausweis: 2760, reisepass: 3750 } as const;
/** A photo taken at the office (DOMAIN.md: since 1 May 2025 photos are digital only). */
const OFFICE_PHOTO_CENTS = 600;

type ChildDocument = keyof typeof FEES_UNDER_24;

const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v.trim() : '';
};

const documentOf = (d: FormData): ChildDocument => (d.documentType === 'reisepass' ? 'reisepass' : 'personalausweis');
export const isJointCustody = (d: FormData): boolean => d.custody === 'joint';
export const isSoleCustody = (d: FormData): boolean => d.custody === 'sole';
export const consentByUpload = (d: FormData): boolean => isJointCustody(d) && d.secondConsent === 'upload';
export const photoByCode = (d: FormData): boolean => d.photo === 'code';

const ageOn = ageOnDay;

const childAge = (d: FormData, ctx: RuleContext): number | undefined => ageOn(str(d, 'childBirthdate'), zonedToday(ctx.now, ctx.timeZone));

export function validateChildPage(data: FormData, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const birthdate = str(data, 'childBirthdate');
  const age = childAge(data, ctx);
  if (birthdate !== '' && birthdate > zonedToday(ctx.now, ctx.timeZone))
    errors.push({ field: 'childBirthdate', message: { de: 'Das Geburtsdatum darf nicht in der Zukunft liegen.', en: 'The date of birth cannot be in the future.' } });
  else if (age !== undefined && age >= ADULT_AGE)
    errors.push({
      field: 'childBirthdate',
      message: {
        de: `Ihr Kind ist ${ADULT_AGE} Jahre oder älter und beantragt seinen Ausweis selbst. Nutzen Sie dafür „Personalausweis beantragen“ oder „Reisepass beantragen“.`,
        en: `Your child is ${ADULT_AGE} or older and applies for their own document. Use “Apply for an ID card” or “Apply for a passport”.`,
      },
    });
  if (str(data, 'childGerman') === 'no')
    errors.push({
      field: 'childGerman',
      message: {
        de: 'Reisepass und Personalausweis gibt es nur für Deutsche. Für ein Kind mit einer anderen Staatsangehörigkeit ist die Botschaft oder das Konsulat dieses Landes zuständig.',
        en: 'Passports and ID cards are only for German citizens. For a child of another nationality, the embassy or consulate of that country is responsible.',
      },
    });
  return errors;
}

/** A photographer's code: letters and digits, 8 to 64 characters (unverified: the format is not published here). */
export function validatePhotoPage(data: FormData): FieldError[] {
  if (photoByCode(data) && !/^[A-Za-z0-9-]{8,64}$/.test(str(data, 'photoCode')))
    return [
      {
        field: 'photoCode',
        message: {
          de: 'Der Fotocode besteht aus 8 bis 64 Buchstaben und Ziffern. Bitte übernehmen Sie ihn genau vom Beleg des Fotostudios.',
          en: "The photo code has 8 to 64 letters and digits. Please copy it exactly from the photographer's slip.",
        },
      },
    ];
  return [];
}

const DOCUMENT_LABEL: Record<ChildDocument, Text> = {
  personalausweis: { de: 'Personalausweis (unter 24 Jahren)', en: 'ID card (under 24)' },
  reisepass: { de: 'Reisepass (unter 24 Jahren)', en: 'Passport (under 24)' },
};

/**
 * The fee by document and age: a child (under 18, see validateChildPage) is always under 24, so
 * the reduced fee applies; plus the photo when it is taken at the office.
 */
export function kinderausweisFee(data: FormData): FeeBreakdown {
  // The child page refuses anyone 18 or older, so the age is always below 24, the reduced-fee age
  // (DOMAIN.md), here; adults apply through the Personalausweis and Reisepass services with their
  // own fee tables.
  const doc = documentOf(data);
  const items: FeeItem[] = [{ label: DOCUMENT_LABEL[doc], cents: FEES_UNDER_24[doc] }];
  if (data.photo === 'office') items.push({ label: { de: 'Foto im Bürgerservice', en: 'Photo taken at Citizen Services' }, cents: OFFICE_PHOTO_CENTS });
  return { cents: items.reduce((s, i) => s + i.cents, 0), items };
}

export function childNotices(data: FormData, ctx: RuleContext): Text[] {
  const age = childAge(data, ctx);
  if (age !== undefined && age < FINGERPRINT_AGE && age >= 0)
    return [
      {
        de: `Kinder unter ${FINGERPRINT_AGE} Jahren geben keine Fingerabdrücke ab. Ihr Kind muss trotzdem zum Termin mitkommen.`,
        en: `Children under ${FINGERPRINT_AGE} do not give fingerprints. Your child must still come to the appointment.`,
      },
    ];
  return [];
}

export const changeExplained: Text = {
  de: 'Seit dem 1. Januar 2024 werden keine neuen Kinderreisepässe mehr ausgestellt. Ein Kinderreisepass, den Ihr Kind schon hat, gilt bis zu dem Datum, das darin steht. Für Reisen bekommt Ihr Kind jetzt einen Reisepass oder einen Personalausweis. Für Reisen innerhalb Europas reicht meist der Personalausweis; für viele andere Länder braucht Ihr Kind einen Reisepass.',
  en: 'Since 1 January 2024 no new children’s passports (Kinderreisepass) are issued. A children’s passport your child already has stays valid until the date printed in it. For travel, your child now gets a passport or an ID card. Within Europe the ID card is usually enough; many other countries require a passport.',
};

/** What to bring to the appointment, by the answers. */
export function kinderausweisRequiredDocuments(data: FormData): RequiredDocument[] {
  const docs: RequiredDocument[] = [
    { label: { de: 'Geburtsurkunde des Kindes', en: "The child's birth certificate" }, hint: { de: 'Nicht nötig, wenn das Kind schon einen Ausweis oder Pass hat.', en: 'Not needed if the child already has an ID card or passport.' } },
    { label: { de: 'Bisheriger Kinderreisepass, Reisepass oder Personalausweis des Kindes, falls vorhanden', en: "The child's current children's passport, passport or ID card, if any" } },
    { label: { de: 'Ihr eigener Personalausweis oder Reisepass', en: 'Your own ID card or passport' } },
  ];
  if (consentByUpload(data))
    docs.push({ label: { de: 'Original der Einverständniserklärung und Ausweis (oder Kopie) des anderen Elternteils', en: "The original letter of consent and the other parent's ID (or a copy)" } });
  if (isJointCustody(data) && data.secondConsent === 'together') docs.push({ label: { de: 'Der andere Elternteil kommt mit seinem Ausweis mit', en: 'The other parent comes along with their ID' } });
  if (isSoleCustody(data)) docs.push({ label: { de: 'Nachweis des alleinigen Sorgerechts', en: 'Proof of sole custody' }, hint: { de: 'Zum Beispiel Beschluss des Familiengerichts oder Bescheinigung des Jugendamts.', en: "For example the family court's order or the youth welfare office's certificate." } });
  if (photoByCode(data)) docs.push({ label: { de: 'Beleg des Fotostudios mit dem Fotocode', en: "The photographer's slip with the photo code" } });
  return docs;
}
