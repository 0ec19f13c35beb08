import type { RuleContext } from '../catalogue/service-definition.ts';
import { ageOnDay, isCalendarDate, zonedToday } from '../platform/i18n/time.ts';

/**
 * Age in whole years on the day of `ctx.now` in the city's time zone, or undefined for anything
 * but a real YYYY-MM-DD date. Someone born on 29 February turns a year older on 1 March in common years.
 */
export function ageOn(birthdate: string, ctx: RuleContext): number | undefined {
  return isCalendarDate(birthdate) ? ageOnDay(birthdate, zonedToday(ctx.now, ctx.timeZone)) : undefined;
}
