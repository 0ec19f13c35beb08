import type { JobDefinition } from '../../platform/jobs/queue.ts';
import { escalateOverdueCases, ESCALATION_MAIL_JOB, sendEscalationMails, type EscalationDeps, type EscalationMailDeps } from '../escalations.ts';

export const ESCALATE_OVERDUE_JOB = 'cases.escalate-overdue';

/**
 * Hourly (at minute 7, UTC): escalates the cases whose due date passed (ADR 0020).
 * Retry: 2 more attempts 5 minutes apart; after that the job shows as failed on
 * /staff/admin/jobs, and the next hourly run picks up whatever was left anyway (each escalation
 * is unique per case, state and due date, so nothing escalates twice).
 */
export function escalateOverdueJob(deps: EscalationDeps): JobDefinition<Record<string, never>> {
  return {
    name: ESCALATE_OVERDUE_JOB,
    cron: '7 * * * *',
    retry: { limit: 2, delaySeconds: 300, backoff: false },
    parse: () => ({}),
    async handle(_data, { log }) {
      const { escalated } = await escalateOverdueCases(deps);
      log.info({ escalated }, 'overdue cases escalated');
    },
  };
}

interface EscalationMailPayload {
  readonly escalationId: string;
}

/**
 * The mail to the department's supervisors about one escalation.
 * Retry: 5 attempts, 60 s apart doubling (about 30 minutes in all), then the job fails visibly on
 * /staff/admin/jobs and can be retried there; the outbox's dedupe key sends each person one mail.
 */
export function escalationMailJob(deps: EscalationMailDeps): JobDefinition<EscalationMailPayload> {
  return {
    name: ESCALATION_MAIL_JOB,
    retry: { limit: 5, delaySeconds: 60, backoff: true },
    parse(data: unknown): EscalationMailPayload {
      const d = data as Partial<EscalationMailPayload> | null;
      if (!d || typeof d.escalationId !== 'string' || !/^[0-9a-f-]{36}$/.test(d.escalationId)) throw new Error('escalation mail job: payload needs escalationId');
      return { escalationId: d.escalationId };
    },
    async handle({ escalationId }, { log }) {
      const { notified } = await sendEscalationMails(deps, escalationId);
      if (notified === 0) log.warn('no supervisor with an e-mail address: the escalation shows in the inbox only');
    },
  };
}
