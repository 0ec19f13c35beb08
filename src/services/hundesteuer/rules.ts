import type { FieldError, FormData, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { formatEuro } from '../../catalogue/fees.ts';
import { addDays, formatIsoDate, isCalendarDate, zonedToday } from '../../platform/i18n/time.ts';

/**
 * The rules of Hundesteuer registration and de-registration. The tax rates, the listed breeds and
 * the time limits are (unverified) defaults from typical Hundesteuersatzungen; the city's own
 * Satzung belongs here.
 */

/** Yearly tax (unverified): the first dog, each further dog, a dangerous dog. */
export const TAX_CENTS = { first: 12_000, further: 18_000, dangerous: 60_000 } as const;

/**
 * Breeds presumed dangerous in Sachsen-Anhalt, and crosses of them (unverified: GefHuG LSA § 3
 * Abs. 2). Matched on the breed the citizen types, letters only, so "Pit Bull" and "Pitbull-Mix"
 * are found; the clerk confirms.
 */
const LISTED_BREEDS: readonly { readonly key: string; readonly name: string }[] = [
  { key: 'pitbull', name: 'Pitbull-Terrier' },
  { key: 'americanstaffordshire', name: 'American Staffordshire Terrier' },
  { key: 'amstaff', name: 'American Staffordshire Terrier' },
  { key: 'staffordshirebullterrier', name: 'Staffordshire Bullterrier' },
  { key: 'bullterrier', name: 'Bullterrier' },
];

/** Register at most this many days before taking the dog in (unverified). */
const MAX_DAYS_BEFORE_KEEPING = 30;
/** Owners must register within this many days of taking the dog in (unverified). */
const REGISTER_WITHIN_DAYS = 14;
/** De-register at most this many days ahead (unverified). */
const MAX_DAYS_BEFORE_END = 30;


const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v.trim() : '';
};

export const isRegistration = (data: FormData): boolean => str(data, 'action') === 'anmeldung';
export const isDeregistration = (data: FormData): boolean => str(data, 'action') === 'abmeldung';

/** The listed breed the typed breed names, if any. */
export function listedBreed(breed: string): string | undefined {
  const letters = breed.toLowerCase().replace(/[^a-z]/g, '');
  return LISTED_BREEDS.find((b) => letters.includes(b.key))?.name;
}

/** A dog counts as dangerous when its breed is listed or an authority has declared it dangerous. */
export function isDangerous(data: FormData): boolean {
  return listedBreed(str(data, 'breed')) !== undefined || str(data, 'declaredDangerous') === 'yes';
}

/** The yearly tax for this dog: dangerous dogs pay the dangerous rate, others by how many dogs the household already has. */
export function yearlyTaxCents(data: FormData): number {
  if (isDangerous(data)) return TAX_CENTS.dangerous;
  const others = Number(str(data, 'otherDogs'));
  return Number.isInteger(others) && others > 0 ? TAX_CENTS.further : TAX_CENTS.first;
}

/** Microchip number: 15 digits (ISO 11784/11785); spaces are ignored. */
export function normaliseChip(value: string): string | undefined {
  const digits = value.replace(/\s+/g, '');
  return /^\d{15}$/.test(digits) ? digits : undefined;
}

/** Tax is owed from the first day of the month after the dog was taken in (unverified). */
export function taxFrom(keptSince: string): string {
  const [y, m] = keptSince.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

export function validateDogPage(data: FormData, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const today = zonedToday(ctx.now, ctx.timeZone);
  const born = str(data, 'dogBirthdate');
  const since = str(data, 'keptSince');
  if (born > today) errors.push({ field: 'dogBirthdate', message: { de: 'Das Geburtsdatum des Hundes darf nicht in der Zukunft liegen.', en: "The dog's date of birth cannot be in the future." } });
  if (isCalendarDate(born) && isCalendarDate(since) && since < born)
    errors.push({ field: 'keptSince', message: { de: 'Sie können den Hund nicht schon vor seiner Geburt halten. Bitte prüfen Sie beide Daten.', en: 'You cannot have kept the dog since before it was born. Please check both dates.' } });
  else if (since > addDays(today, MAX_DAYS_BEFORE_KEEPING))
    errors.push({
      field: 'keptSince',
      message: {
        de: `Sie können einen Hund höchstens ${MAX_DAYS_BEFORE_KEEPING} Tage vorher anmelden (also ab dem ${formatIsoDate(addDays(since, -MAX_DAYS_BEFORE_KEEPING), 'de')}).`,
        en: `You can register a dog at most ${MAX_DAYS_BEFORE_KEEPING} days in advance (so from ${formatIsoDate(addDays(since, -MAX_DAYS_BEFORE_KEEPING), 'en')}).`,
      },
    });
  const chip = str(data, 'chipNumber');
  if (chip !== '' && !normaliseChip(chip))
    errors.push({ field: 'chipNumber', message: { de: 'Die Chipnummer hat 15 Ziffern, z. B. 276 09 8100 123456. Sie steht im Heimtierausweis.', en: 'The microchip number has 15 digits, for example 276 09 8100 123456. It is in the pet passport.' } });
  return errors;
}

export function validateDeregistrationPage(data: FormData, ctx: RuleContext): FieldError[] {
  const today = zonedToday(ctx.now, ctx.timeZone);
  const end = str(data, 'endDate');
  if (end > addDays(today, MAX_DAYS_BEFORE_END))
    return [
      {
        field: 'endDate',
        message: {
          de: `Sie können einen Hund höchstens ${MAX_DAYS_BEFORE_END} Tage im Voraus abmelden. Bitte melden Sie ihn ab dem ${formatIsoDate(addDays(end, -MAX_DAYS_BEFORE_END), 'de')} ab.`,
          en: `You can de-register a dog at most ${MAX_DAYS_BEFORE_END} days in advance. Please de-register it from ${formatIsoDate(addDays(end, -MAX_DAYS_BEFORE_END), 'en')}.`,
        },
      },
    ];
  return [];
}

/** Explanations above the dog fields: the rates, and what a listed breed or a late registration means. */
export function dogNotices(data: FormData, ctx: RuleContext): Text[] {
  const notices: Text[] = [
    {
      de: `Die Hundesteuer beträgt im Jahr ${formatEuro(TAX_CENTS.first, 'de')} für den ersten Hund, ${formatEuro(TAX_CENTS.further, 'de')} für jeden weiteren und ${formatEuro(TAX_CENTS.dangerous, 'de')} für einen gefährlichen Hund. Die Anmeldung selbst kostet nichts; die Steuer setzen wir mit dem Bescheid fest.`,
      en: `The dog tax per year is ${formatEuro(TAX_CENTS.first, 'en')} for the first dog, ${formatEuro(TAX_CENTS.further, 'en')} for each further dog and ${formatEuro(TAX_CENTS.dangerous, 'en')} for a dangerous dog. Registering is free; the tax is set in the tax notice.`,
    },
  ];
  const breed = listedBreed(str(data, 'breed'));
  if (breed)
    notices.push({
      de: `Die Rasse „${breed}“ und ihre Kreuzungen gelten in Sachsen-Anhalt als gefährlich. Für sie gilt der Steuersatz für gefährliche Hunde, und Sie brauchen eine Erlaubnis zur Haltung nach dem Hundegesetz. Wenn Ihr Hund einen Wesenstest bestanden hat, legen Sie das Ergebnis bitte mit vor.`,
      en: `The breed “${breed}” and its crosses are considered dangerous in Sachsen-Anhalt. The rate for dangerous dogs applies, and you need a permit to keep the dog under the dog law. If your dog has passed a temperament test, please include the result.`,
    });
  const since = str(data, 'keptSince');
  const today = zonedToday(ctx.now, ctx.timeZone);
  if (isCalendarDate(since) && since < addDays(today, -REGISTER_WITHIN_DAYS))
    notices.push({
      de: `Ein Hund muss innerhalb von ${REGISTER_WITHIN_DAYS} Tagen angemeldet werden. Sie halten ihn schon länger: Die Steuer wird rückwirkend ab ${formatIsoDate(taxFrom(since), 'de')} festgesetzt.`,
      en: `A dog must be registered within ${REGISTER_WITHIN_DAYS} days. You have kept it for longer: the tax will be set retroactively from ${formatIsoDate(taxFrom(since), 'en')}.`,
    });
  return notices;
}
