import type { FieldError, FormData, GuardContext, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { addMonths, zonedToday } from '../../platform/i18n/time.ts';

/**
 * The rules of a Verlustmeldung or Fundanzeige at the Fundbüro (§§ 965 ff. BGB). Pure functions
 * of the form data and the clock.
 */

/**
 * § 973 BGB: six months after the find was reported to the Fundbehörde, the finder becomes the
 * owner unless the owner came forward. The Fundbüro keeps finds that long (unverified: Halle's
 * practice), so a report is closed as "nothing found" only after it.
 */
export const KEEP_MONTHS = 6;

const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v : '';
};

export const isLost = (d: FormData): boolean => d.reportKind === 'lost';
export const isFound = (d: FormData): boolean => d.reportKind === 'found';

/** The day the item was lost or found, as reported. */
const reportedDate = (d: FormData): string => str(d, isFound(d) ? 'foundDate' : 'lostDate');

export { addMonths };

export function validateWhenWherePage(data: FormData, ctx: RuleContext): FieldError[] {
  const field = isFound(data) ? 'foundDate' : 'lostDate';
  const date = str(data, field);
  if (date !== '' && date > zonedToday(ctx.now, ctx.timeZone))
    return [{ field, message: { de: 'Das Datum darf nicht in der Zukunft liegen.', en: 'The date cannot be in the future.' } }];
  return [];
}

/** Guard of "close as not found": only once the keeping period after the reported day has passed. */
export function keepingPeriodGuard(ctx: GuardContext): Text | undefined {
  const date = reportedDate(ctx.caseData);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const until = addMonths(date, KEEP_MONTHS);
  if (zonedToday(ctx.now, 'Europe/Berlin') < until)
    return {
      de: `Die Aufbewahrungsfrist von ${KEEP_MONTHS} Monaten läuft noch bis ${until}. Erst danach kann die Meldung ohne Ergebnis abgeschlossen werden.`,
      en: `The keeping period of ${KEEP_MONTHS} months runs until ${until}. Only after that can the report be closed without a result.`,
    };
  return undefined;
}

export const lostIdCardNotice: Text = {
  de: 'Ein verlorener Personalausweis oder Reisepass muss außerdem unverzüglich bei der Ausweisbehörde als verloren gemeldet werden. Die Online-Ausweisfunktion sperren Sie über den Sperr-Notruf 116 116.',
  en: 'A lost ID card or passport must also be reported to the passport and ID office without delay. You can block the online ID function through the emergency number 116 116.',
};

export const findersRightsNotice: Text = {
  de: 'Als Finderin oder Finder haben Sie Anspruch auf Finderlohn (§ 971 BGB). Meldet sich die Eigentümerin oder der Eigentümer nicht innerhalb von 6 Monaten, können Sie den Gegenstand erhalten (§ 973 BGB), wenn Sie das möchten.',
  en: 'As the finder you are entitled to a finder’s reward (§ 971 BGB). If the owner does not come forward within 6 months, you can have the item (§ 973 BGB) if you want it.',
};
