import type { FieldError, FormData, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { addDays, formatIsoDate, isCalendarDate, zonedToday } from '../../platform/i18n/time.ts';

/**
 * The rules of a bulky waste pick-up (Sperrmüll). Lead time, window and volume are (unverified)
 * defaults a city changes here: the waste service plans its routes a week ahead.
 */

/** The window may start this many days after today at the earliest (unverified). */
const MIN_DAYS_AHEAD = 7;
/** The window must span at least this many days, so a route can be found (unverified). */
const MIN_WINDOW_DAYS = 7;
/** The window may end at most this many days ahead (unverified). */
export const MAX_DAYS_AHEAD = 90;
/** Most cubic metres per pick-up (unverified); more needs a container. */
export const MAX_CUBIC_METRES = 5;


const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v.trim() : '';
};
const list = (data: FormData, key: string): string[] => {
  const v = data[key];
  return Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : [];
};

export const wantsOther = (data: FormData): boolean => list(data, 'items').includes('other');

export function validateItemsPage(data: FormData): FieldError[] {
  const errors: FieldError[] = [];
  const volume = Number(str(data, 'volume'));
  if (Number.isFinite(volume) && volume > MAX_CUBIC_METRES)
    errors.push({
      field: 'volume',
      message: {
        de: `Wir holen höchstens ${MAX_CUBIC_METRES} Kubikmeter auf einmal ab. Bitte melden Sie den Rest später an oder bestellen Sie einen Container.`,
        en: `We collect at most ${MAX_CUBIC_METRES} cubic metres at a time. Please book the rest later or order a skip.`,
      },
    });
  return errors;
}

export function windowLimits(ctx: RuleContext): { earliest: string; latest: string } {
  const today = zonedToday(ctx.now, ctx.timeZone);
  return { earliest: addDays(today, MIN_DAYS_AHEAD), latest: addDays(today, MAX_DAYS_AHEAD) };
}

export function validateWindowPage(data: FormData, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const from = str(data, 'windowFrom');
  const to = str(data, 'windowTo');
  const { earliest, latest } = windowLimits(ctx);
  if (from < earliest)
    errors.push({
      field: 'windowFrom',
      message: {
        de: `Der Zeitraum kann frühestens ${MIN_DAYS_AHEAD} Tage nach heute beginnen, also am ${formatIsoDate(earliest, 'de')}, weil wir die Touren eine Woche im Voraus planen.`,
        en: `The period can start ${MIN_DAYS_AHEAD} days from today at the earliest, on ${formatIsoDate(earliest, 'en')}, because we plan the rounds a week ahead.`,
      },
    });
  if (to > latest)
    errors.push({
      field: 'windowTo',
      message: {
        de: `Der Zeitraum darf höchstens bis ${MAX_DAYS_AHEAD} Tage nach heute reichen, also bis zum ${formatIsoDate(latest, 'de')}.`,
        en: `The period can reach at most ${MAX_DAYS_AHEAD} days from today, until ${formatIsoDate(latest, 'en')}.`,
      },
    });
  else if (isCalendarDate(from) && isCalendarDate(to) && to < addDays(from, MIN_WINDOW_DAYS - 1))
    errors.push({
      field: 'windowTo',
      message: {
        de: `Bitte geben Sie einen Zeitraum von mindestens ${MIN_WINDOW_DAYS} Tagen an (bis frühestens ${formatIsoDate(addDays(from, MIN_WINDOW_DAYS - 1), 'de')}), damit wir einen Termin auf unserer Tour finden.`,
        en: `Please give a period of at least ${MIN_WINDOW_DAYS} days (until ${formatIsoDate(addDays(from, MIN_WINDOW_DAYS - 1), 'en')} at the earliest) so we can find a date on our round.`,
      },
    });
  return errors;
}

export function windowNotice(ctx: RuleContext): Text {
  const { earliest } = windowLimits(ctx);
  return {
    de: `Nennen Sie einen Zeitraum von mindestens ${MIN_WINDOW_DAYS} Tagen, frühestens ab dem ${formatIsoDate(earliest, 'de')}. Den genauen Abholtag teilen wir Ihnen mit.`,
    en: `Give a period of at least ${MIN_WINDOW_DAYS} days, starting on ${formatIsoDate(earliest, 'en')} at the earliest. We will tell you the exact pick-up day.`,
  };
}

/** A date a clerk typed (the staff form's inputs are text): `2027-03-31` or `31.03.2027` → ISO, else undefined. */
function isoDateFromInput(value: string | undefined): string | undefined {
  const text = (value ?? '').trim();
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const iso = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : text;
  return isCalendarDate(iso) ? iso : undefined;
}

/**
 * The clerk's pick-up date: a real date, not in the past. Compared with the UTC date of `now`
 * (the guard has no time zone); the date outside the citizen's window is allowed, since the
 * round decides, and the citizen sees the date on the status page.
 */
export function pickupDateRefusal(input: Record<string, string>, now: Date): Text | undefined {
  const date = isoDateFromInput(input.pickupDate);
  if (!date) return { de: 'Bitte geben Sie den Abholtag als Datum an, z. B. 14.12.2026.', en: 'Enter the pick-up day as a date, for example 14.12.2026.' };
  if (date < now.toISOString().slice(0, 10)) return { de: 'Der Abholtag darf nicht in der Vergangenheit liegen.', en: 'The pick-up day cannot be in the past.' };
  return undefined;
}
