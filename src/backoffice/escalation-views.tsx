import type { Lang } from '../catalogue/service-definition.ts';
import { formatDateTime } from '../platform/i18n/time.ts';

/** In the inbox's "due" column: the case's overdue period was escalated to the supervisors (ADR 0020). */
export function EscalationBadge(p: { lang: Lang; escalatedAt: Date; timeZone: string }) {
  const de = p.lang === 'de';
  const when = formatDateTime(p.escalatedAt, p.lang, p.timeZone);
  return (
    <span class="kern-badge kern-badge--warning aw-badge" data-testid="escalated" title={de ? `eskaliert am ${when}` : `escalated on ${when}`}>
      {de ? 'eskaliert' : 'escalated'}
    </span>
  );
}

/**
 * For the staff case file (CaseView `panels`): the case is overdue in its current state and the
 * supervisors were told. Nothing when it is not escalated.
 */
export function EscalationPanel(p: { lang: Lang; escalation: { escalatedAt: Date; dueAt: Date; notifiedSupervisors: number } | undefined; timeZone: string }) {
  if (!p.escalation) return null;
  const de = p.lang === 'de';
  const e = p.escalation;
  return (
    <section class="aw-escalation" aria-labelledby="escalation-title" data-testid="escalation-panel">
      <h2 class="kern-heading-medium" id="escalation-title">
        {de ? 'Frist überschritten' : 'Overdue'}
      </h2>
      <p class="kern-body">
        {de
          ? `Fällig war der Vorgang am ${formatDateTime(e.dueAt, 'de', p.timeZone)}. Am ${formatDateTime(e.escalatedAt, 'de', p.timeZone)} wurde er an die Sachgebietsleitung eskaliert (${e.notifiedSupervisors} per E-Mail benachrichtigt).`
          : `The case was due on ${formatDateTime(e.dueAt, 'en', p.timeZone)}. On ${formatDateTime(e.escalatedAt, 'en', p.timeZone)} it was escalated to the supervisors (${e.notifiedSupervisors} notified by e-mail).`}
      </p>
    </section>
  );
}
