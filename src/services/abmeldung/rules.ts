import type { FieldError, FormData, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { formatIsoDate, zonedToday } from '../../platform/i18n/time.ts';
import { daysBetween } from '../wohnsitzanmeldung/people.ts';

/**
 * BMG § 17(2) for moving abroad (DOMAIN.md): de-register within two weeks after moving out, and
 * at most one week before. Pure functions of the form data and the clock.
 */
const DEREGISTRATION_PERIOD_DAYS = 14;
const MAX_DAYS_BEFORE_MOVE_OUT = 7;

const str = (d: FormData, k: string): string => (typeof d[k] === 'string' ? (d[k] as string).trim() : '');

/** Days since the move-out (negative: still ahead); undefined without a date. */
function daysSinceMoveOut(data: FormData, ctx: RuleContext): number | undefined {
  const date = str(data, 'moveOutDate');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  return daysBetween(date, zonedToday(ctx.now, ctx.timeZone));
}

export function isLateDeregistration(data: FormData, ctx: RuleContext): boolean {
  const days = daysSinceMoveOut(data, ctx);
  return days !== undefined && days > DEREGISTRATION_PERIOD_DAYS;
}

export function lateDeregistrationNotice(data: FormData): Text {
  return {
    de: `Sie sind am ${formatIsoDate(str(data, 'moveOutDate'), 'de')} ausgezogen. Nach § 17 Bundesmeldegesetz muss die Abmeldung innerhalb von zwei Wochen nach dem Auszug erfolgen. Sie können sich trotzdem jetzt abmelden; eine verspätete Abmeldung kann als Ordnungswidrigkeit geahndet werden.`,
    en: `You moved out on ${formatIsoDate(str(data, 'moveOutDate'), 'en')}. Under § 17 of the Federal Registration Act, you must de-register within two weeks of moving out. You can still de-register now; a late de-registration may be treated as an administrative offence.`,
  };
}

export function validateMoveOut(data: FormData, ctx: RuleContext): FieldError[] {
  const days = daysSinceMoveOut(data, ctx);
  if (days !== undefined && -days > MAX_DAYS_BEFORE_MOVE_OUT) {
    const from = new Date(Date.parse(`${str(data, 'moveOutDate')}T12:00:00Z`) - MAX_DAYS_BEFORE_MOVE_OUT * 86_400_000).toISOString().slice(0, 10);
    return [
      {
        field: 'moveOutDate',
        message: {
          de: `Die Abmeldung ist frühestens eine Woche vor dem Auszug möglich. Bitte melden Sie sich ab dem ${formatIsoDate(from, 'de')} ab.`,
          en: `You can de-register at most one week before moving out. Please de-register from ${formatIsoDate(from, 'en')}.`,
        },
      },
    ];
  }
  if (str(data, 'country') && /^(deutschland|germany|bundesrepublik deutschland|de|brd)$/i.test(str(data, 'country')))
    return [
      {
        field: 'country',
        message: {
          de: 'Bei einem Umzug innerhalb Deutschlands melden Sie sich nicht ab, sondern am neuen Wohnort an. Die Abmeldung hier ist für einen Umzug ins Ausland.',
          en: 'When moving within Germany you do not de-register; you register at your new home. De-registration here is for moving abroad.',
        },
      },
    ];
  return [];
}
