import type { FieldError, FormData, RuleContext, Text } from '../../catalogue/service-definition.ts';
import { zonedInstant, zonedToday } from '../../platform/i18n/time.ts';

/**
 * The rules of VersammlG LSA §12 for a notice (see ../shared/DOMAIN.md, "Versammlungsanzeige").
 * Pure functions of the form data and the clock, so they are tested without a server.
 */

const HOUR = 3600_000;
/** §12(1): notify at least 48 hours before the assembly is announced. */
const NOTICE_HOURS_BEFORE_ANNOUNCEMENT = 48;
/** Notices more than two years ahead are not accepted. */
const MAX_YEARS_AHEAD = 2;

const str = (data: FormData, key: string): string => {
  const v = data[key];
  return typeof v === 'string' ? v : '';
};

export function assemblyStart(data: FormData, ctx: RuleContext): Date | undefined {
  return zonedInstant(str(data, 'date'), str(data, 'startTime'), ctx.timeZone);
}

export function assemblyEnd(data: FormData, ctx: RuleContext): Date | undefined {
  return zonedInstant(str(data, 'endDate') || str(data, 'date'), str(data, 'endTime'), ctx.timeZone);
}

function announcementInstant(data: FormData, ctx: RuleContext): Date | undefined {
  return zonedInstant(str(data, 'announcementDate'), str(data, 'announcementTime') || '00:00', ctx.timeZone);
}

/**
 * True when the notice comes later than 48 hours before the announcement, i.e. the
 * announcement is (or was) less than 48 hours from now. Then the form explains the rule
 * and asks whether this is an Eilversammlung.
 */
export function isLateNotice(data: FormData, ctx: RuleContext): boolean {
  if (str(data, 'alreadyAnnounced') === 'yes') return true;
  const announced = announcementInstant(data, ctx);
  if (!announced) return false;
  return announced.getTime() - ctx.now.getTime() < NOTICE_HOURS_BEFORE_ANNOUNCEMENT * HOUR;
}

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-');
  return `${Number(y) + years}-${m}-${d}`;
}

export function validateWhenPage(data: FormData, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const today = zonedToday(ctx.now, ctx.timeZone);
  const date = str(data, 'date');
  const start = assemblyStart(data, ctx);
  const end = assemblyEnd(data, ctx);
  if (date < today || (start && start.getTime() <= ctx.now.getTime())) {
    errors.push({
      field: 'date',
      message: {
        de: 'Der Beginn der Versammlung muss in der Zukunft liegen. Für eine Versammlung, die schon begonnen hat (Spontanversammlung), ist keine Anzeige nötig.',
        en: 'The assembly must start in the future. An assembly that has already begun (spontaneous assembly) needs no notice.',
      },
    });
  } else if (date > addYears(today, MAX_YEARS_AHEAD)) {
    errors.push({
      field: 'date',
      message: {
        de: `Eine Versammlung kann höchstens ${MAX_YEARS_AHEAD} Jahre im Voraus angezeigt werden (spätestens ${addYears(today, MAX_YEARS_AHEAD)}).`,
        en: `An assembly can be notified at most ${MAX_YEARS_AHEAD} years ahead (${addYears(today, MAX_YEARS_AHEAD)} at the latest).`,
      },
    });
  }
  if (start && end && end.getTime() <= start.getTime()) {
    errors.push({
      field: 'endTime',
      message: {
        de: 'Das Ende muss nach dem Beginn liegen. Endet die Versammlung erst am nächsten Tag, geben Sie das Enddatum an.',
        en: 'The end must be after the start. If the assembly ends on the next day, enter the end date.',
      },
    });
  }
  if (start && end && end.getTime() - start.getTime() > 7 * 24 * HOUR) {
    errors.push({
      field: 'endDate',
      message: {
        de: 'Eine Versammlung kann hier für höchstens 7 Tage am Stück angezeigt werden. Zeigen Sie längere Versammlungen bitte in Abschnitten an.',
        en: 'An assembly can be notified here for at most 7 days in a row. Please notify longer assemblies in parts.',
      },
    });
  }
  return errors;
}

export function validatePlacePage(data: FormData): FieldError[] {
  if (str(data, 'kind') === 'march' && str(data, 'route').length < 10) {
    return [
      {
        field: 'route',
        message: {
          de: 'Für einen Aufzug beschreiben Sie bitte den Weg: die Straßen in der Reihenfolge, in der Sie sie gehen (mindestens 10 Zeichen).',
          en: 'For a march, describe the route: the streets in the order you will walk them (at least 10 characters).',
        },
      },
    ];
  }
  return [];
}

export function validateScalePage(data: FormData): FieldError[] {
  const participants = Number(str(data, 'participants'));
  const stewards = Number(str(data, 'stewards'));
  if (Number.isFinite(participants) && Number.isFinite(stewards) && stewards > participants) {
    return [
      {
        field: 'stewards',
        message: {
          de: 'Es können nicht mehr Ordnerinnen und Ordner als Teilnehmende sein. Bitte prüfen Sie beide Zahlen.',
          en: 'There cannot be more stewards than participants. Please check both numbers.',
        },
      },
    ];
  }
  return [];
}

export function validateAnnouncementPage(data: FormData, ctx: RuleContext): FieldError[] {
  const errors: FieldError[] = [];
  const start = assemblyStart(data, ctx);
  const announced = announcementInstant(data, ctx);
  if (str(data, 'alreadyAnnounced') !== 'yes' && announced && start && announced.getTime() > start.getTime()) {
    errors.push({
      field: 'announcementDate',
      message: {
        de: 'Die Bekanntgabe muss vor dem Beginn der Versammlung liegen.',
        en: 'The announcement must be before the assembly starts.',
      },
    });
  }
  if (isLateNotice(data, ctx) && str(data, 'urgent') === 'no') {
    errors.push({
      field: 'urgent',
      message: {
        de: 'Ohne Eilversammlung muss die Anzeige mindestens 48 Stunden vor der Bekanntgabe eingehen. Bitte verschieben Sie die Bekanntgabe (Datum oben) oder wählen Sie „Ja“, wenn die Versammlung nicht früher angezeigt werden konnte.',
        en: 'Unless it is an urgent assembly, the notice must arrive at least 48 hours before the announcement. Move the announcement (date above) or choose “Yes” if the assembly could not be notified earlier.',
      },
    });
  }
  return errors;
}

export const lateNoticeExplanation: Text = {
  de: 'Nach § 12 VersammlG LSA muss eine Versammlung unter freiem Himmel spätestens 48 Stunden vor ihrer Bekanntgabe angezeigt werden. Ihre Bekanntgabe liegt weniger als 48 Stunden entfernt. Das ist nur zulässig, wenn es sich um eine Eilversammlung handelt: eine Versammlung, deren Anlass so kurzfristig entstand, dass eine frühere Anzeige nicht möglich war.',
  en: 'Under § 12 VersammlG LSA, an open-air assembly must be notified at least 48 hours before it is announced. Your announcement is less than 48 hours away. This is only allowed for an urgent assembly (Eilversammlung): one whose cause arose so recently that it could not be notified earlier.',
};
