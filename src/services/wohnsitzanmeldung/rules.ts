import type { FieldError, FormData, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { formatIsoDate, zonedToday } from '../../platform/i18n/time.ts';
import { daysBetween } from './people.ts';

/**
 * The date rules of BMG § 17(1) for a registration (see ../shared/DOMAIN.md): register within two
 * weeks of moving in. Pure functions of the form data and the clock, tested without a server.
 */

/** § 17(1) BMG: within two weeks after moving in. */
export const REGISTRATION_PERIOD_DAYS = 14;
/**
 * How far ahead a move-in may be registered online (unverified: BMG speaks of registering after
 * the move-in; a few days ahead are accepted so that a move on a weekend can be registered
 * before it). A city may change it here.
 */
export const MAX_DAYS_BEFORE_MOVE_IN = 7;

const str = (d: FormData, k: string): string => (typeof d[k] === 'string' ? (d[k] as string).trim() : '');

/** Days since the move-in (negative: it is still ahead); undefined without a date. */
function daysSinceMoveIn(data: FormData, ctx: RuleContext): number | undefined {
  const date = str(data, 'moveInDate');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  return daysBetween(date, zonedToday(ctx.now, ctx.timeZone));
}

/** Later than two weeks after the move-in: still accepted, with an explanation. */
export function isLateRegistration(data: FormData, ctx: RuleContext): boolean {
  const days = daysSinceMoveIn(data, ctx);
  return days !== undefined && days > REGISTRATION_PERIOD_DAYS;
}

export function lateRegistrationNotice(data: FormData): Text {
  const date = formatIsoDate(str(data, 'moveInDate'), 'de');
  const dateEn = formatIsoDate(str(data, 'moveInDate'), 'en');
  return {
    de: `Sie sind am ${date} eingezogen. Nach § 17 Bundesmeldegesetz muss die Anmeldung innerhalb von zwei Wochen nach dem Einzug erfolgen. Sie können sich trotzdem jetzt anmelden; die Meldebehörde kann eine verspätete Anmeldung als Ordnungswidrigkeit ahnden. Bitte nennen Sie im nächsten Feld, wenn Sie möchten, den Grund der Verspätung.`,
    en: `You moved in on ${dateEn}. Under § 17 of the Federal Registration Act, you must register within two weeks of moving in. You can still register now; the registration office may treat a late registration as an administrative offence. If you like, give the reason for the delay in the next field.`,
  };
}

export function validateMoveIn(data: FormData, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const days = daysSinceMoveIn(data, ctx);
  if (days !== undefined && -days > MAX_DAYS_BEFORE_MOVE_IN)
    errors.push({
      field: 'moveInDate',
      message: {
        de: `Sie können sich höchstens ${MAX_DAYS_BEFORE_MOVE_IN} Tage vor dem Einzug anmelden. Bitte melden Sie sich ab dem ${formatIsoDate(shift(str(data, 'moveInDate'), -MAX_DAYS_BEFORE_MOVE_IN), 'de')} an.`,
        en: `You can register at most ${MAX_DAYS_BEFORE_MOVE_IN} days before moving in. Please register from ${formatIsoDate(shift(str(data, 'moveInDate'), -MAX_DAYS_BEFORE_MOVE_IN), 'en')}.`,
      },
    });
  else if (str(data, 'moveInDate') && str(data, 'birthdate') && str(data, 'moveInDate') < str(data, 'birthdate'))
    errors.push({ field: 'moveInDate', message: { de: 'Das Einzugsdatum liegt vor Ihrem Geburtsdatum. Bitte prüfen Sie es.', en: 'The move-in date is before your date of birth. Please check it.' } });
  if (str(data, 'residenceType') === 'secondary' && str(data, 'keepsPrevious') === 'no')
    errors.push({
      field: 'residenceType',
      message: {
        de: 'Eine Nebenwohnung setzt eine weitere Wohnung voraus. Wenn Sie Ihre bisherige Wohnung aufgeben, ist die neue Wohnung Ihre Hauptwohnung.',
        en: 'A secondary residence needs another home. If you give up your previous home, the new one is your main residence.',
      },
    });
  return errors;
}

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
