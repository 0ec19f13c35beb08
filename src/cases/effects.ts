import { enqueueNotification, NOTIFY_JOB } from '../notifications/notify.ts';
import type { Executor, JobQueue } from '../platform/jobs/queue.ts';
import { RECORD_SERIAL_EFFECT, recordIdDocumentSerial } from '../id-documents/serials.ts';

/**
 * The effects a service definition may name, each run as a job enqueued in the transaction that
 * decided it. `check-definitions` refuses a definition that names any other.
 */
export const EFFECT_JOBS = {
  send_receipt: 'mail.receipt',
  /** A status change, told to the applicant on the channels they chose (notifications/notify.ts, ADR 0017). */
  notify_applicant: NOTIFY_JOB,
  /** The service's document templates for this submission or transition, sealed into the E-Akte (ADR 0013). */
  issue_documents: 'efile.issue-document',
  /** Forwards the submission or withdrawal to the service's external receiving authority, if the city names one (ADR 0023). */
  forward_to_authority: 'authority.forward',
  /** Only on submission: the service's `process.automatic` decides at once (jobs/decide-automatically.job.ts, ADR 0022). */
  decide_automatically: 'case.decide-automatically',
  /** A registration's Wohnungsgeberbestätigung code bound to the case, its content filed as a PDF (landlord/link-confirmation.job.ts). */
  link_landlord_confirmation: 'landlord.link-confirmation',
  /** The XGewerbeanzeige messages of an accepted trade notice, one delivery per recipient (trade/deliveries.ts, migration 0018). */
  deliver_trade_messages: 'trade.plan-messages',
} as const;

type EffectName = keyof typeof EFFECT_JOBS;

/**
 * Effects carried out inside the deciding transaction rather than as jobs: they may refuse the
 * transition (a typed error rolls it back), so they cannot wait until after the commit. Only on
 * transitions, never in `onSubmit`.
 */
const TRANSACTION_EFFECTS: Readonly<Record<string, (trx: Executor, payload: { caseId: string; eventId: string }) => Promise<void>>> = {
  /** The ordered ID card's or passport's serial number, unique (id-documents/serials.ts, migration 0016). */
  [RECORD_SERIAL_EFFECT]: recordIdDocumentSerial,
};
export const knownEffects: ReadonlySet<string> = new Set([...Object.keys(EFFECT_JOBS), ...Object.keys(TRANSACTION_EFFECTS)]);

/** The job that carries out an effect. */
export function effectJobName(effect: string): string {
  const name = EFFECT_JOBS[effect as EffectName];
  if (!name) throw new Error(`Unknown effect ${effect}`);
  return name;
}

export async function enqueueEffects(
  trx: Executor,
  jobs: JobQueue,
  effects: readonly string[],
  payload: { caseId: string; eventId: string },
): Promise<void> {
  for (const effect of effects) {
    const inTransaction = TRANSACTION_EFFECTS[effect];
    if (inTransaction) {
      await inTransaction(trx, { caseId: payload.caseId, eventId: String(payload.eventId) });
      continue;
    }
    const job = EFFECT_JOBS[effect as EffectName];
    if (!job) throw new Error(`Unknown effect ${effect}`);
    if (effect === 'notify_applicant') {
      await enqueueNotification(trx, jobs, { caseId: payload.caseId, topic: 'status', ref: String(payload.eventId) });
      continue;
    }
    // The job is committed or rolled back with the event; a job that runs twice is harmless
    // because each job is idempotent (e.g. the mail outbox's dedupe key).
    await jobs.enqueue(trx, job, { caseId: payload.caseId, eventId: String(payload.eventId) });
  }
}
