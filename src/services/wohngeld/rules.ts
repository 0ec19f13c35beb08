import { isValidIban } from '../../platform/iban.ts';
import type { FieldError, FormData, GuardContext, Text } from '../../catalogue/service-definition.ts';
import { isCalendarDate } from '../../platform/i18n/time.ts';

/**
 * The rules of a Wohngeld application (Mietzuschuss, WoGG). Pure functions of the form data and
 * of the clerk's inputs, so they are tested without a server. The amount itself is computed by
 * the Wohngeldstelle's own software; the clerk enters it with the decision.
 */

/** § 25 WoGG: the period is usually 12 months; we accept up to 24 (unverified: Wohngeld-Plus practice). */
const MAX_PERIOD_MONTHS = 24;

const str = (data: FormData | Record<string, string>, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v.trim() : '';
};

const num = (data: FormData, key: string): number | undefined => {
  const v = str(data, key);
  return /^\d+$/.test(v) ? Number(v) : undefined;
};

export const livesWithOthers = (d: FormData): boolean => (num(d, 'householdSize') ?? 1) > 1;
export const hasIncome = (d: FormData): boolean => (num(d, 'income') ?? 1) > 0;
export const receivesTransferBenefits = (d: FormData): boolean => d.transferBenefits === 'yes';

/**
 * Wohngeldstellen check that a household can live on what it declares (Plausibilitätsprüfung,
 * unverified: practice under the WoGG-VwV). When the declared income does not even cover the rent,
 * the applicant explains how the household pays its living costs.
 */
export const needsLivelihoodExplanation = (d: FormData): boolean => {
  const income = num(d, 'income');
  const rent = num(d, 'rent');
  return income !== undefined && rent !== undefined && income < rent;
};

export function validateIncomePage(data: FormData): FieldError[] {
  if (needsLivelihoodExplanation(data) && str(data, 'livelihoodExplanation').length < 20)
    return [
      {
        field: 'livelihoodExplanation',
        message: {
          de: 'Ihr Einkommen ist niedriger als die Miete. Bitte beschreiben Sie in mindestens 20 Zeichen, wovon Ihr Haushalt die Miete und den Lebensunterhalt bezahlt (zum Beispiel Ersparnisse, Unterstützung durch Familie).',
          en: 'Your income is lower than the rent. Please describe in at least 20 characters how your household pays the rent and living costs (for example savings, support from family).',
        },
      },
    ];
  return [];
}

export function validateHouseholdPage(data: FormData): FieldError[] {
  const size = num(data, 'householdSize');
  const details = str(data, 'householdMembers');
  if (size !== undefined && size > 1) {
    const lines = details.split(/\n/).filter((l) => l.trim() !== '').length;
    if (lines < size - 1)
      return [
        {
          field: 'householdMembers',
          message: {
            de: `Bitte nennen Sie alle ${size - 1} weiteren Haushaltsmitglieder, jedes in einer eigenen Zeile.`,
            en: `Please name all ${size - 1} other household members, each on a line of its own.`,
          },
        },
      ];
  }
  return [];
}

/** The hint of the question. */
export const transferBenefitsNotice: Text = {
  de: 'Wer Bürgergeld, Sozialhilfe oder Grundsicherung bekommt, erhält in der Regel kein Wohngeld: die Kosten der Wohnung sind darin schon enthalten (§ 7 WoGG).',
  en: 'People who receive Bürgergeld, social assistance or basic income support usually get no housing benefit: the housing costs are already included (§ 7 WoGG).',
};

/** Shown on the next page after a "yes" (a page that reveals nothing moves on at once). */
export const transferBenefitsReminder: Text = {
  de: 'Sie haben angegeben, dass jemand im Haushalt Bürgergeld, Sozialhilfe oder Grundsicherung bekommt. Dann gibt es in der Regel kein Wohngeld (§ 7 WoGG). Sie können den Antrag trotzdem stellen; die Wohngeldstelle prüft ihn. Legen Sie dann bitte auch den aktuellen Bescheid bei.',
  en: 'You said someone in the household receives Bürgergeld, social assistance or basic income support. Then there is usually no housing benefit (§ 7 WoGG). You can still apply; the housing benefit office will check it. Please add the current decision as well.',
};

/** "312" / "312,50" / "312.50" / "1.012,50 €" euro → cents; undefined when it is not a positive amount. */
export function parseEuroAmount(value: string): number | undefined {
  let text = value.trim().replace(/\s*(?:€|eur|euro)$/i, '');
  // German thousands separators: "1.012,50" or "1.000".
  if (/^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$/.test(text)) text = text.replace(/\./g, '');
  const m = /^(\d{1,6})(?:[.,](\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return cents > 0 ? cents : undefined;
}

/** Months the period `from`–`to` (both days included) touches, a started month counted whole (1 Jan – 31 Dec = 12). */
export function periodMonths(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(ty, tm - 1, td + 1));
  const months = (end.getUTCFullYear() - fy) * 12 + (end.getUTCMonth() + 1 - fm);
  return end.getUTCDate() > fd ? months + 1 : months;
}

/**
 * A date the clerk typed into a transition input (shown as a text field): `2027-01-01` or the
 * German `1.1.2027` / `01.01.2027`, as `YYYY-MM-DD`; undefined when it is no real date.
 */
export function parseDateInput(value: string): string | undefined {
  const text = value.trim();
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const iso = german ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}` : text;
  return isCalendarDate(iso) ? iso : undefined;
}

/** Guard of "grant": a positive monthly amount and a period that starts before it ends and lasts at most 24 months. */
export function grantGuard({ input }: GuardContext): Text | undefined {
  if (parseEuroAmount(str(input, 'amount')) === undefined)
    return { de: 'Bitte geben Sie den monatlichen Betrag in Euro an, zum Beispiel 212,00.', en: 'Please enter the monthly amount in euro, for example 212.00.' };
  const from = parseDateInput(str(input, 'periodFrom'));
  const to = parseDateInput(str(input, 'periodTo'));
  if (!from || !to)
    return { de: 'Bitte geben Sie Beginn und Ende des Bewilligungszeitraums als Datum an, zum Beispiel 01.01.2027.', en: 'Please enter the start and end of the period as dates, for example 01.01.2027.' };
  if (to < from) return { de: 'Das Ende des Bewilligungszeitraums muss nach dem Beginn liegen.', en: 'The end of the period must be after its start.' };
  if (periodMonths(from, to) > MAX_PERIOD_MONTHS)
    return { de: `Der Bewilligungszeitraum darf höchstens ${MAX_PERIOD_MONTHS} Monate lang sein.`, en: `The period can be at most ${MAX_PERIOD_MONTHS} months long.` };
  return undefined;
}

/** Guard of "reject": the reason must say something (it goes into the Bescheid). */
export function rejectGuard({ input }: GuardContext): Text | undefined {
  return str(input, 'reason').length < 20
    ? { de: 'Eine Ablehnung braucht eine Begründung von mindestens 20 Zeichen.', en: 'A rejection needs a reason of at least 20 characters.' }
    : undefined;
}

export { isValidIban };

export function validatePersonPage(data: FormData): FieldError[] {
  const iban = str(data, 'iban');
  if (iban !== '' && !isValidIban(iban))
    return [
      {
        field: 'iban',
        message: {
          de: 'Diese IBAN ist nicht gültig. Bitte prüfen Sie sie, zum Beispiel DE02 1203 0000 0000 2020 51.',
          en: 'This IBAN is not valid. Please check it, for example DE02 1203 0000 0000 2020 51.',
        },
      },
    ];
  return [];
}
