import type { CityLocation } from '../catalogue/city.ts';
import { WEEKDAYS } from '../catalogue/city.ts';
import type { AppointmentSettings } from '../catalogue/service-definition.ts';
import { addDays, isCalendarDate, zonedInstant, zonedToday } from '../platform/i18n/time.ts';

/**
 * Which appointment slots exist, from configuration alone: a location's opening hours on a
 * calendar day (wall-clock times in the city's time zone, so a slot at 08:00 stays at 08:00 on
 * the day clocks change), cut into slots of the service's length. Whether a slot still has a free
 * place is the database's business (`appointments.ts`).
 */
export interface SlotTime {
  /** The city's calendar day, `YYYY-MM-DD`. */
  readonly day: string;
  /** Wall-clock start, `HH:MM`. */
  readonly time: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const toClock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export { addDays };

function weekdayOf(day: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!;
}

/** Every slot of the day at the location, ignoring bookings, notice and the booking window. */
export function slotsOfDay(location: CityLocation, settings: Pick<AppointmentSettings, 'slotMinutes'>, day: string, timeZone: string): SlotTime[] {
  if (!isCalendarDate(day) || location.closedDates.includes(day)) return [];
  const out: SlotTime[] = [];
  for (const [from, to] of location.openingHours[weekdayOf(day)] ?? []) {
    const end = toMinutes(to);
    for (let m = toMinutes(from); m + settings.slotMinutes <= end; m += settings.slotMinutes) {
      const time = toClock(m);
      const startsAt = zonedInstant(day, time, timeZone);
      if (!startsAt) continue;
      out.push({ day, time, startsAt, endsAt: new Date(startsAt.getTime() + settings.slotMinutes * 60_000) });
    }
  }
  return out;
}

/** The days that may be booked now: today up to `bookAheadDays` days ahead, in the city's calendar. */
export function bookableDays(settings: Pick<AppointmentSettings, 'bookAheadDays'>, now: Date, timeZone: string): string[] {
  const today = zonedToday(now, timeZone);
  return Array.from({ length: settings.bookAheadDays + 1 }, (_, i) => addDays(today, i));
}

/** The earliest start a booking made now may have. */
function earliestStart(settings: Pick<AppointmentSettings, 'minNoticeHours'>, now: Date): Date {
  return new Date(now.getTime() + (settings.minNoticeHours ?? 0) * 3600_000);
}

/** The slots of the day that may be booked now (window and notice applied), bookings ignored. */
export function bookableSlotsOfDay(location: CityLocation, settings: AppointmentSettings, day: string, now: Date, timeZone: string): SlotTime[] {
  if (!bookableDays(settings, now, timeZone).includes(day)) return [];
  const earliest = earliestStart(settings, now).getTime();
  return slotsOfDay(location, settings, day, timeZone).filter((s) => s.startsAt.getTime() >= earliest && s.startsAt.getTime() > now.getTime());
}
