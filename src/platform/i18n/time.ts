/** Wall-clock date and time in a time zone ↔ instants, with the platform's Intl only. */

// Building an Intl.DateTimeFormat costs far more than using one (it was a fifth of the CPU of a
// submission in the benchmark), so each distinct formatter is built once and kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const QUARTER_HOUR = 15 * 60_000;

/**
 * The zone's UTC offset at an instant, in minutes. Offsets change only on quarter hours, so the
 * answer is kept per zone and quarter hour (formatToParts is the costliest call of a submission's
 * validation).
 */
function offsetMinutes(instant: number, timeZone: string): number {
  const key = `${timeZone}|${Math.floor(instant / QUARTER_HOUR)}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    offsetFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** `2026-12-01` + `14:30` in Europe/Berlin → the instant. Undefined for malformed input. */
export function zonedInstant(date: string, time: string, timeZone: string): Date | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t || !isCalendarDate(date) || !isClockTime(time)) return undefined;
  const guess = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  const first = guess - offsetMinutes(guess, timeZone) * 60000;
  return new Date(guess - offsetMinutes(first, timeZone) * 60000);
}

/** Whether `YYYY-MM-DD` names a real calendar day. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(y, mo - 1, da));
  return d.getUTCFullYear() === y && d.getUTCMonth() === mo - 1 && d.getUTCDate() === da;
}

export function isClockTime(value: string): boolean {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60;
}

/** Today's date (`YYYY-MM-DD`) in the time zone. */
export function zonedToday(now: Date, timeZone: string): string {
  return formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function formatDateTime(d: Date, lang: 'de' | 'en', timeZone: string): string {
  return formatter(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone, dateStyle: 'long', timeStyle: 'short' }).format(d);
}

export function formatDate(d: Date, lang: 'de' | 'en', timeZone: string): string {
  return formatter(lang === 'de' ? 'de-DE' : 'en-GB', { timeZone, dateStyle: 'long' }).format(d);
}

/** `2026-12-01` → `1. Dezember 2026` / `1 December 2026`. */
export function formatIsoDate(value: string, lang: 'de' | 'en'): string {
  if (!isCalendarDate(value)) return value;
  return formatDate(new Date(`${value}T12:00:00Z`), lang, 'UTC');
}

/** Adds an ISO 8601 duration of days and hours (P2D, PT12H, P1DT6H) to an instant. */
export function addDuration(from: Date, duration: string): Date {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration === 'PT') throw new Error(`Unsupported duration ${duration}`);
  const ms = (Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 3600_000;
  return new Date(from.getTime() + ms);
}

export function isSupportedDuration(duration: string): boolean {
  try {
    addDuration(new Date(0), duration);
    return true;
  } catch {
    return false;
  }
}

/** The calendar year of an instant in a time zone. */
export function zonedYear(now: Date, timeZone: string): number {
  return Number(formatter('en', { timeZone, year: 'numeric' }).format(now));
}

/** A short duration: "3 Min. 12 Sek." / "3 min 12 s", "2 Std. 5 Min." above an hour, "0,8 Sek." under ten seconds. */
export function formatDurationSeconds(seconds: number, lang: 'de' | 'en'): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m >= 60) return lang === 'de' ? `${Math.floor(m / 60)} Std. ${m % 60} Min.` : `${Math.floor(m / 60)} h ${m % 60} min`;
  if (m > 0) return lang === 'de' ? `${m} Min. ${s} Sek.` : `${m} min ${s} s`;
  const short = seconds < 10 ? Math.round(seconds * 10) / 10 : s;
  return lang === 'de' ? `${String(short).replace('.', ',')} Sek.` : `${short} s`;
}

/** `2026-03-29` + 1 → `2026-03-30`: calendar arithmetic on `YYYY-MM-DD`, no time zone involved. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` plus whole months; the day is clamped to the month's last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Age in whole years on `onDay` (both `YYYY-MM-DD`); undefined for a malformed date. Someone born
 * on 29 February turns a year older on 1 March in common years.
 */
export function ageOnDay(birthdate: string, onDay: string): number | undefined {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthdate);
  const t = /^(\d{4})-(\d{2})-(\d{2})$/.exec(onDay);
  if (!b || !t) return undefined;
  const years = Number(t[1]) - Number(b[1]);
  return `${t[2]}-${t[3]}` < `${b[2]}-${b[3]}` ? years - 1 : years;
}
