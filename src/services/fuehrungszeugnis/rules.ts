import type { FeeBreakdown, FieldError, FormData, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { ageOnDay, zonedToday } from '../../platform/i18n/time.ts';

/**
 * The rules of an application for a Führungszeugnis (§§ 30, 30a BZRG), taken by the city and
 * forwarded to the Bundesamt für Justiz. Pure functions of the form data and the clock.
 */

/** Fee of one Führungszeugnis, in cents (unverified: 13 EUR, JVKostG Nr. 1130). */
export const FEE_CENTS = 1300;
/** § 30(1) BZRG: a Führungszeugnis is issued to persons from the age of 14 (unverified). */
const MIN_AGE = 14;

const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v : '';
};

export const isExtended = (d: FormData): boolean => d.kind === 'extended';
export const isForAuthority = (d: FormData): boolean => d.kind === 'authority';
export const asksExemption = (d: FormData): boolean => d.feeExemption === 'yes';

export const ageOn = ageOnDay;

export function validatePersonPage(data: FormData, ctx: RuleContext): FieldError[] {
  const today = zonedToday(ctx.now, ctx.timeZone);
  const birthdate = str(data, 'birthdate');
  if (birthdate === '') return [];
  if (birthdate > today)
    return [{ field: 'birthdate', message: { de: 'Das Geburtsdatum darf nicht in der Zukunft liegen.', en: 'The date of birth cannot be in the future.' } }];
  const age = ageOn(birthdate, today);
  if (age !== undefined && age < MIN_AGE)
    return [
      {
        field: 'birthdate',
        message: {
          de: `Ein Führungszeugnis erhalten Personen ab ${MIN_AGE} Jahren (§ 30 BZRG).`,
          en: `A certificate of good conduct is issued from the age of ${MIN_AGE} (§ 30 BZRG).`,
        },
      },
    ];
  return [];
}

/**
 * A fee exemption (unverified: BfJ practice for volunteers in non-profit organisations and for
 * people with low income) is asked for with proof; the clerk decides. While it is asked for, no
 * fee is charged online: if it is refused, the office asks for the fee separately.
 */
export function fuehrungszeugnisFee(data: FormData): FeeBreakdown {
  if (asksExemption(data))
    return { cents: 0, items: [{ label: { de: 'Gebühr: Befreiung beantragt (die Behörde entscheidet)', en: 'Fee: exemption requested (the office decides)' }, cents: 0 }] };
  return { cents: FEE_CENTS, items: [{ label: { de: 'Führungszeugnis', en: 'Certificate of good conduct' }, cents: FEE_CENTS }] };
}

export const exemptionNotice: Text = {
  de: 'Über die Befreiung entscheidet die Behörde. Sie zahlen jetzt nichts. Wird die Befreiung abgelehnt, melden wir uns wegen der Gebühr von 13,00 €.',
  en: 'The office decides on the exemption. You pay nothing now. If the exemption is refused, we will contact you about the fee of €13.00.',
};

export const extendedNotice: Text = {
  de: 'Ein erweitertes Führungszeugnis bekommen Sie nur mit einer schriftlichen Aufforderung der Stelle, die es verlangt (§ 30a BZRG). Die Stelle bestätigt darin, dass Sie mit Kindern oder Jugendlichen arbeiten oder arbeiten werden.',
  en: 'You get an extended certificate only with a written request from the organisation that asks for it (§ 30a BZRG). In it, the organisation confirms that you work or will work with children or young people.',
};
