import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Catalogue } from '../catalogue/registry.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import type { Mailer } from '../platform/mail/mailer.ts';
import type { Database } from '../schema.ts';
import { loadPreferences } from './notification-settings.ts';
import { notificationMail, notificationPush, type NotificationContext } from './notification-texts.ts';
import { NOTIFY_JOB, type NotificationRequest, type NotificationTopic } from './notify.ts';
import { PushFailedError, type WebPushSender } from './web-push-sender.ts';

/**
 * The job behind `enqueueNotification`: finds who hears of it and on which channels, and sends.
 *  - A case owned by an account: the account's e-mail address (or, for an account without one,
 *    the address given in the form) if the citizen left e-mail on, and every browser the account
 *    subscribed to Web Push if they left push on (`notification_preferences`).
 *  - A case without an account: the address given in the form (the service's applicantEmailField,
 *    kept in `cases.applicant.email`).
 * The Postfach and the status page are the in-app channel: they show everything anyway.
 *
 * Idempotent: each mail goes through the Mailer's outbox under `notify:<topic>:<ref>:<address hash>`
 * (one mail per address, however often the job runs, and one when the account and the form give
 * the same address), each push is recorded in `push_deliveries` before it is sent and marked after.
 * A failure on one channel does not stop the others; the job then fails and is retried, and what
 * was delivered is not delivered again.
 *
 * Retry: 5 attempts, 60 s apart and doubling (about half an hour in all), then the job fails
 * visibly. An expired subscription (404/410 from the push service) is deleted, not retried.
 */
const NOTIFY_RETRY = { limit: 5, delaySeconds: 60, backoff: true } as const;

const TOPICS: ReadonlySet<string> = new Set<NotificationTopic>(['status', 'message', 'request', 'reminder', 'appointment', 'payment']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `{ caseId, topic, ref }` from `enqueueNotification`; also `{ caseId, eventId }`, the shape every
 * effect job gets (the case filer writes it for `onSubmit` effects; old `mail.status-change`
 * jobs carry it): a status change, the event being the reference.
 */
export function parseNotification(data: unknown): NotificationRequest {
  const d = (typeof data === 'object' && data !== null ? data : {}) as { caseId?: unknown; topic?: unknown; ref?: unknown; eventId?: unknown };
  if (typeof d.caseId !== 'string' || !UUID.test(d.caseId)) throw new Error('notify job: payload needs caseId (a uuid)');
  if (d.topic === undefined && (typeof d.eventId === 'string' || typeof d.eventId === 'number')) return { caseId: d.caseId, topic: 'status', ref: String(d.eventId) };
  if (typeof d.topic !== 'string' || !TOPICS.has(d.topic)) throw new Error('notify job: payload needs a known topic');
  if (typeof d.ref !== 'string' || d.ref === '' || d.ref.length > 200) throw new Error('notify job: payload needs ref');
  return { caseId: d.caseId, topic: d.topic as NotificationTopic, ref: d.ref };
}

export interface NotifyDeps {
  readonly db: Kysely<Database>;
  readonly catalogue: Catalogue;
  readonly mailer: Mailer;
  readonly publicUrl: string;
  /** Undefined: push is off (production without VAPID keys). */
  readonly webPush: WebPushSender | undefined;
}

interface NotifyOutcome {
  /** Mails handed to the Mailer now (not those it had sent before). */
  readonly mailsSent: number;
  readonly pushesSent: number;
  /** Subscriptions the push service reported gone, now deleted. */
  readonly subscriptionsRemoved: number;
  /** Nothing to say (unknown case or event, erased case): why, for the log. */
  readonly skipped?: string;
}

/** The part of the dedupe key that tells addresses apart without naming them. */
export const addressHash = (address: string): string => createHash('sha256').update(address.trim().toLowerCase()).digest('hex').slice(0, 32);

async function notifyApplicant(deps: NotifyDeps, n: NotificationRequest, log: Logger): Promise<NotifyOutcome> {
  const { db } = deps;
  const nothing = (skipped: string): NotifyOutcome => ({ mailsSent: 0, pushesSent: 0, subscriptionsRemoved: 0, skipped });
  const row = await db.selectFrom('cases').select(['id', 'reference', 'service_id', 'applicant', 'citizen_id', 'erased_at']).where('id', '=', n.caseId).executeTakeFirst();
  if (!row) return nothing('no such case');
  if (row.erased_at) return nothing('case erased');
  const def = deps.catalogue.get(row.service_id);

  let stateLabel: NotificationContext['stateLabel'];
  if (n.topic === 'status') {
    const event = /^\d{1,18}$/.test(n.ref) ? await db.selectFrom('case_events').select(['to_state']).where('id', '=', n.ref).where('case_id', '=', row.id).executeTakeFirst() : undefined;
    stateLabel = def?.process.states.find((s) => s.id === event?.to_state)?.publicLabel;
    if (!stateLabel) return nothing('unknown event or state');
  }

  const context: Omit<NotificationContext, 'settingsUrl'> = {
    topic: n.topic,
    serviceTitle: def?.title ?? { de: row.service_id, en: row.service_id },
    reference: row.reference,
    stateLabel,
    statusUrl: `${deps.publicUrl}/status/${row.id}`,
  };

  const formAddress = (row.applicant as { email?: unknown } | null)?.email;
  const addresses: string[] = [];
  let subscriptions: Array<{ id: string; endpoint: string; p256dh: string; auth: string }> = [];
  if (row.citizen_id) {
    const prefs = await loadPreferences(db, row.citizen_id);
    if (prefs.email) {
      const account = await db.selectFrom('citizens').select('email').where('id', '=', row.citizen_id).executeTakeFirst();
      const address = account?.email ?? (typeof formAddress === 'string' ? formAddress : null);
      if (address) addresses.push(address);
    }
    if (prefs.push && deps.webPush) {
      subscriptions = await db.selectFrom('push_subscriptions').select(['id', 'endpoint', 'p256dh', 'auth']).where('citizen_id', '=', row.citizen_id).orderBy('created_at').execute();
    }
  } else if (typeof formAddress === 'string' && formAddress.trim() !== '') {
    addresses.push(formAddress.trim());
  }

  const failures: string[] = [];
  let mailsSent = 0;
  if (addresses.length > 0) {
    const mail = notificationMail({ ...context, settingsUrl: row.citizen_id ? `${deps.publicUrl}/account/notifications` : undefined });
    for (const to of addresses) {
      try {
        const result = await deps.mailer.send({ dedupeKey: `notify:${n.topic}:${n.ref}:${addressHash(to)}`, caseId: row.id, to, subject: mail.subject, text: mail.text, html: mail.html });
        if (result === 'sent') mailsSent++;
      } catch (err) {
        failures.push(`mail (${(err as { code?: string }).code ?? 'error'})`);
      }
    }
  }

  let pushesSent = 0;
  let subscriptionsRemoved = 0;
  if (subscriptions.length > 0 && deps.webPush) {
    const payload = JSON.stringify(notificationPush(context));
    const key = `notify:${n.topic}:${n.ref}`;
    for (const sub of subscriptions) {
      await db.insertInto('push_deliveries').values({ subscription_id: sub.id, notification_key: key }).onConflict((oc) => oc.columns(['subscription_id', 'notification_key']).doNothing()).execute();
      const delivery = await db.selectFrom('push_deliveries').select('sent_at').where('subscription_id', '=', sub.id).where('notification_key', '=', key).executeTakeFirst();
      // No row: the subscription was removed meanwhile (its deliveries go with it).
      if (!delivery || delivery.sent_at) continue;
      try {
        const outcome = await deps.webPush.send(sub, payload);
        if (outcome === 'gone') {
          await db.deleteFrom('push_subscriptions').where('id', '=', sub.id).execute();
          subscriptionsRemoved++;
          continue;
        }
        const now = new Date();
        await db.updateTable('push_deliveries').set({ sent_at: now }).where('subscription_id', '=', sub.id).where('notification_key', '=', key).execute();
        await db.updateTable('push_subscriptions').set({ last_success_at: now, failures: 0 }).where('id', '=', sub.id).execute();
        pushesSent++;
      } catch (err) {
        if (!(err instanceof PushFailedError)) throw err;
        await db.updateTable('push_subscriptions').set((eb) => ({ failures: eb('failures', '+', 1) })).where('id', '=', sub.id).execute();
        failures.push(`push (${err.message})`);
      }
    }
  }

  log.info({ topic: n.topic, mailsSent, pushesSent, subscriptionsRemoved, failed: failures.length }, 'notification delivered');
  // Thrown after every channel had its turn: the retry repeats only what did not go out.
  if (failures.length > 0) throw new Error(`notification ${n.topic} not fully delivered: ${failures.join(', ')}`);
  return { mailsSent, pushesSent, subscriptionsRemoved };
}

export function notifyApplicantJob(deps: NotifyDeps): JobDefinition<NotificationRequest> {
  return {
    name: NOTIFY_JOB,
    retry: NOTIFY_RETRY,
    parse: parseNotification,
    async handle(n, { log }) {
      const outcome = await notifyApplicant(deps, n, log);
      if (outcome.skipped) log.info({ topic: n.topic, reason: outcome.skipped }, 'nothing to notify');
    },
  };
}

/**
 * `mail.status-change`, the job status changes were enqueued as before notifications (issue 5):
 * kept so that jobs still waiting in a database from then are delivered the new way. Nothing
 * enqueues it any more.
 */
export function legacyStatusMailJob(deps: NotifyDeps): JobDefinition<NotificationRequest> {
  return { ...notifyApplicantJob(deps), name: 'mail.status-change' };
}
