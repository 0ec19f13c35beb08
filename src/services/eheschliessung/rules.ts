import type { FeeBreakdown, FieldError, FormData, RuleContext } from '../../catalogue/service-definition.ts';
import { addDays, addMonths, isCalendarDate, zonedToday } from '../../platform/i18n/time.ts';

/**
 * The wedding wish (*(unverified)*, a city sets its own): the Standesamt needs about two weeks
 * after the registration to check the documents, and a registration is valid for six months;
 * with the appointment up to 90 days ahead, a wish more than nine months away cannot be kept.
 */
const MIN_DAYS_AHEAD = 14;
const MAX_MONTHS_AHEAD = 9;

export function validateWishPage(data: FormData, ctx: RuleContext): FieldError[] {
  const wish = String(data.wishDate ?? '');
  if (!isCalendarDate(wish)) return [];
  const today = zonedToday(ctx.now, ctx.timeZone);
  if (wish < addDays(today, MIN_DAYS_AHEAD))
    return [
      {
        field: 'wishDate',
        message: {
          de: `Der Wunschtermin muss mindestens ${MIN_DAYS_AHEAD} Tage in der Zukunft liegen: Nach der Anmeldung prüft das Standesamt Ihre Unterlagen.`,
          en: `The preferred date must be at least ${MIN_DAYS_AHEAD} days ahead: after the registration the registry office checks your documents.`,
        },
      },
    ];
  if (wish > addMonths(today, MAX_MONTHS_AHEAD))
    return [
      {
        field: 'wishDate',
        message: {
          de: `Der Wunschtermin darf höchstens ${MAX_MONTHS_AHEAD} Monate in der Zukunft liegen, denn die Anmeldung gilt sechs Monate. Melden Sie sich später an.`,
          en: `The preferred date may be at most ${MAX_MONTHS_AHEAD} months ahead, because a registration is valid for six months. Please register later.`,
        },
      },
    ];
  return [];
}

/**
 * Fees *(unverified; each Land and city sets its own)*: registering the marriage 55.00 EUR,
 * 80.00 EUR when foreign law must be checked (a foreign nationality), a special venue +100.00 EUR.
 */
export function weddingFee(data: FormData): FeeBreakdown {
  const items =
    data.nationality === 'foreign'
      ? [{ label: { de: 'Anmeldung der Eheschließung mit Prüfung ausländischen Rechts', en: 'Registering the marriage, with foreign law checked' }, cents: 8000 }]
      : [{ label: { de: 'Anmeldung der Eheschließung', en: 'Registering the marriage' }, cents: 5500 }];
  if (data.venue === 'special') items.push({ label: { de: 'Trauung an einem besonderen Trauort', en: 'Wedding at a special venue' }, cents: 10000 });
  return { cents: items.reduce((sum, i) => sum + i.cents, 0), items };
}
