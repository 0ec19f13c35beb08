import type { FeeBreakdown, FieldError, FormData, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { addDays, formatIsoDate, isCalendarDate, zonedToday } from '../../platform/i18n/time.ts';

/**
 * The rules of a temporary no-parking zone (Haltverbotszone) on a public street, e.g. for a moving
 * van: a Sondernutzungserlaubnis (StrG LSA § 18) with a verkehrsrechtliche Anordnung (§ 45 StVO).
 * Lead time, limits and fees are (unverified) defaults a city changes here.
 */

/** Apply at least this many working days before the first day (unverified): the signs must stand 72 hours ahead. */
const MIN_WORKING_DAYS_AHEAD = 10;
/** At most this many days in a row (unverified); longer uses (building sites) go through another procedure. */
const MAX_DAYS = 14;
/** Apply at most this far ahead (unverified). */
const MAX_DAYS_AHEAD = 180;
export const MIN_METRES = 5;
export const MAX_METRES = 50;
/** Verwaltungsgebühr for the permit and the order (unverified). */
const ADMIN_FEE_CENTS = 3000;
/** Sondernutzungsgebühr per metre and started day (unverified). */
const USE_FEE_CENTS_PER_METRE_DAY = 50;

const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v.trim() : '';
};

const DAY = 24 * 3600_000;
const toUtc = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

/** Easter Sunday of a year (Gregorian, anonymous algorithm / Meeus–Jones–Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Public holidays in Sachsen-Anhalt (FeiertG LSA): New Year, Epiphany, Good Friday, Easter Monday,
 * 1 May, Ascension, Whit Monday, 3 October, Reformation Day, Christmas Day and Boxing Day.
 */
function publicHolidays(year: number): Set<string> {
  const easter = easterSunday(year);
  return new Set([
    `${year}-01-01`,
    `${year}-01-06`,
    addDays(easter, -2),
    addDays(easter, 1),
    `${year}-05-01`,
    addDays(easter, 39),
    addDays(easter, 50),
    `${year}-10-03`,
    `${year}-10-31`,
    `${year}-12-25`,
    `${year}-12-26`,
  ]);
}

export function isWorkingDay(iso: string): boolean {
  const weekday = new Date(toUtc(iso)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(Number(iso.slice(0, 4))).has(iso);
}

/** The day that is `n` working days after `iso` (Monday to Friday, not a public holiday). */
export function addWorkingDays(iso: string, n: number): string {
  let day = iso;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}

/** The first day a no-parking zone applied for now may start. */
export function earliestStart(ctx: RuleContext): string {
  return addWorkingDays(zonedToday(ctx.now, ctx.timeZone), MIN_WORKING_DAYS_AHEAD);
}

/** Days from start to end, both included; undefined when either is missing or the end is earlier. */
export function dayCount(data: FormData): number | undefined {
  const start = str(data, 'startDate');
  const end = str(data, 'endDate') || start;
  if (!isCalendarDate(start) || !isCalendarDate(end) || end < start) return undefined;
  return Math.round((toUtc(end) - toUtc(start)) / DAY) + 1;
}

function leadTimeMessage(earliest: string): Text {
  return {
    de: `Ein Halteverbot muss mindestens ${MIN_WORKING_DAYS_AHEAD} Arbeitstage vorher beantragt werden, damit wir es prüfen und die Schilder rechtzeitig (72 Stunden vorher) aufgestellt werden können. Der früheste mögliche erste Tag ist der ${formatIsoDate(earliest, 'de')}.`,
    en: `A no-parking zone must be applied for at least ${MIN_WORKING_DAYS_AHEAD} working days ahead, so that we can check it and the signs can be put up in time (72 hours before). The earliest possible first day is ${formatIsoDate(earliest, 'en')}.`,
  };
}

export function validateWhenPage(data: FormData, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const start = str(data, 'startDate');
  const end = str(data, 'endDate') || start;
  const today = zonedToday(ctx.now, ctx.timeZone);
  const earliest = earliestStart(ctx);
  if (start < earliest) errors.push({ field: 'startDate', message: leadTimeMessage(earliest) });
  else if (start > addDays(today, MAX_DAYS_AHEAD))
    errors.push({
      field: 'startDate',
      message: {
        de: `Ein Halteverbot kann höchstens ${MAX_DAYS_AHEAD} Tage im Voraus beantragt werden (erster Tag spätestens am ${formatIsoDate(addDays(today, MAX_DAYS_AHEAD), 'de')}).`,
        en: `A no-parking zone can be applied for at most ${MAX_DAYS_AHEAD} days ahead (first day ${formatIsoDate(addDays(today, MAX_DAYS_AHEAD), 'en')} at the latest).`,
      },
    });
  if (end < start)
    errors.push({ field: 'endDate', message: { de: 'Der letzte Tag darf nicht vor dem ersten Tag liegen.', en: 'The last day cannot be before the first day.' } });
  else if ((dayCount(data) ?? 0) > MAX_DAYS)
    errors.push({
      field: 'endDate',
      message: {
        de: `Ein Halteverbot für einen Umzug kann höchstens ${MAX_DAYS} Tage am Stück gelten. Für Baustellen wenden Sie sich bitte an die Straßenverkehrsbehörde.`,
        en: `A no-parking zone for a move can last at most ${MAX_DAYS} days in a row. For building sites, please contact the road traffic authority.`,
      },
    });
  const from = str(data, 'fromTime');
  const to = str(data, 'toTime');
  if (from && to && to <= from)
    errors.push({ field: 'toTime', message: { de: 'Die Uhrzeit „bis“ muss nach der Uhrzeit „von“ liegen, z. B. von 07:00 bis 18:00.', en: 'The “until” time must be after the “from” time, for example from 07:00 to 18:00.' } });
  return errors;
}

/** Shown on the dates page before anything is entered, so nobody picks a date that will be refused. */
export function leadTimeNotice(ctx: RuleContext): Text {
  const earliest = earliestStart(ctx);
  return {
    de: `Beantragen Sie das Halteverbot mindestens ${MIN_WORKING_DAYS_AHEAD} Arbeitstage vorher. Wenn Sie heute beantragen, ist der früheste erste Tag der ${formatIsoDate(earliest, 'de')}.`,
    en: `Apply at least ${MIN_WORKING_DAYS_AHEAD} working days ahead. If you apply today, the earliest first day is ${formatIsoDate(earliest, 'en')}.`,
  };
}

/**
 * The fee: the Verwaltungsgebühr plus the Sondernutzungsgebühr per metre and day. Unknown or
 * out-of-range answers count as the minimum (1 day, MIN_METRES), so the rule never throws and the
 * "from" amount on the service page is its result on an empty form.
 */
export function halteverbotFee(data: FormData): FeeBreakdown {
  const days = dayCount(data) ?? 1;
  const parsed = Number(str(data, 'lengthMetres'));
  const metres = Number.isInteger(parsed) ? Math.min(Math.max(parsed, MIN_METRES), MAX_METRES) : MIN_METRES;
  const use = days * metres * USE_FEE_CENTS_PER_METRE_DAY;
  return {
    cents: ADMIN_FEE_CENTS + use,
    items: [
      { label: { de: 'Verwaltungsgebühr (Erlaubnis und Anordnung)', en: 'Administrative fee (permit and traffic order)' }, cents: ADMIN_FEE_CENTS },
      { label: { de: `Sondernutzungsgebühr: ${metres} m an ${days} ${days === 1 ? 'Tag' : 'Tagen'}`, en: `Street use fee: ${metres} m on ${days} ${days === 1 ? 'day' : 'days'}` }, cents: use },
    ],
  };
}

/** The lowest fee (1 day, the shortest zone), shown as "from" on the service page. */
export const LOWEST_FEE_CENTS = ADMIN_FEE_CENTS + MIN_METRES * USE_FEE_CENTS_PER_METRE_DAY;
