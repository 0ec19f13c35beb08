import type { RuleContext } from '../catalogue/service-definition.ts';
import { isCalendarDate } from '../platform/i18n/time.ts';

/**
 * Age in whole years on the day of `ctx.now` in the city's time zone, or undefined for anything
 * but a real YYYY-MM-DD date. Someone born on 29 February turns a year older on 1 March in common years.
 */
export function ageOn(birthdate: string, ctx: RuleContext): number | undefined {
  if (!isCalendarDate(birthdate)) return undefined;
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: ctx.timeZone }).format(ctx.now);
  const [by, bm, bd] = birthdate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
