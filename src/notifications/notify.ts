import type { Executor, JobQueue } from '../platform/jobs/queue.ts';

/**
 * Telling the citizen that something happened on their case, on the channels they chose (e-mail,
 * Web Push, the in-app mailbox). Callers only say what happened, inside the transaction that
 * decided it; the job `notify.applicant` finds the recipients and channels and sends, without
 * personal details in the message, with a link to the status page.
 */
export type NotificationTopic = 'status' | 'message' | 'request' | 'reminder' | 'appointment' | 'payment';

export const NOTIFY_JOB = 'notify.applicant';

export interface NotificationRequest {
  readonly caseId: string;
  readonly topic: NotificationTopic;
  /** What it is about: the case event, message, request, appointment or payment id. */
  readonly ref: string;
}

/** Enqueues the notification in the caller's transaction; the same topic and ref are sent once. */
export async function enqueueNotification(trx: Executor, jobs: JobQueue, n: NotificationRequest): Promise<void> {
  await jobs.enqueue(trx, NOTIFY_JOB, { caseId: n.caseId, topic: n.topic, ref: n.ref }, { singletonKey: `${n.topic}:${n.ref}` });
}
