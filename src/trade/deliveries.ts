import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Catalogue } from '../catalogue/registry.ts';
import type { FormData } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { departmentsWith, type Grants } from '../identity/permissions.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import type { Database, TradeDeliveryStatus } from '../schema.ts';
import { endpointUrl, missingRecipientKinds, recipientKindSpec, recipientsFor, type TradeRecipient } from './recipients.ts';
import { tradeNoticeFromForm, type NoticeKind, type TradeNotice } from './trade-notice.ts';
import { buildGewerbemeldung, messageRootName } from './xgewerbeanzeige.ts';

/**
 * Delivery of XGewerbeanzeige messages (DOMAIN.md): for an accepted notice, one row per
 * recipient in `trade_message_deliveries` (migration 0018), each POSTed as XML to the recipient's
 * endpoint by its own job, retried with backoff, visible and retryable in the case file.
 *
 * The XML is not stored: every attempt builds it again from the case with the row's fixed
 * message uuid and creation time, so a repeated attempt sends the same message (the receiver
 * recognises it by its nachrichtenUUID) and retention, which erases the case's data, leaves no copy.
 */
export const PLAN_TRADE_MESSAGES_JOB = 'trade.plan-messages';
export const DELIVER_TRADE_MESSAGE_JOB = 'trade.deliver-message';

/** Service id → the kind of notice its form is (the Unternehmensgründung may add its own source). */
const TRADE_NOTICE_SERVICES: Readonly<Record<string, NoticeKind>> = {
  gewerbeanmeldung: 'anmeldung',
  gewerbeummeldung: 'ummeldung',
  gewerbeabmeldung: 'abmeldung',
  /** The founding journey files a Gewerbeanmeldung with the same fields (services/unternehmensgruendung). */
  unternehmensgruendung: 'anmeldung',
};

/** Turns a case's form into the notice its messages carry; undefined for a service that files none. */
type NoticeSource = (serviceId: string, data: FormData) => TradeNotice | undefined;

const formNoticeSource: NoticeSource = (serviceId, data) => {
  const kind = TRADE_NOTICE_SERVICES[serviceId];
  return kind ? tradeNoticeFromForm(kind, data) : undefined;
};

export interface TradeDeliveryDeps {
  readonly db: Kysely<Database>;
  readonly jobs: JobQueue;
  readonly catalogue: Catalogue;
  readonly now: () => Date;
  /** Base for endpoints given as a path (the bundled development receiver). */
  readonly publicUrl: string;
  /** Production has no development receiver: a path endpoint fails there with a clear reason. */
  readonly production: boolean;
  readonly noticeSource?: NoticeSource;
  /** How long one POST may take (default 15 s). */
  readonly timeoutMs?: number;
}

/** A running attempt holds its row this long at most; then another attempt may take it over. */
const LEASE_MS = 60_000;

export interface TradeDeliveryRow {
  readonly id: string;
  readonly recipientId: string;
  readonly recipientKind: string;
  readonly recipientName: string;
  readonly messageType: string;
  readonly status: TradeDeliveryStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly lastAttemptAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

/**
 * Records the messages of one accepted notice (one per recipient it needs, including those the
 * city has not configured: they fail visibly instead of being dropped) and enqueues their
 * deliveries. Idempotent per (case, event): a second call adds nothing and only re-enqueues
 * what is not delivered yet. Callable from any journey that files a trade notice.
 */
async function planTradeMessages(deps: TradeDeliveryDeps, input: { caseId: string; eventId: string; notice: TradeNotice }): Promise<TradeDeliveryRow[]> {
  const configured = deps.catalogue.city.tradeRecipients;
  const targets: { id: string; kind: string; name: string; type: string }[] = [
    ...recipientsFor(input.notice, configured).map((r) => ({ id: r.id, kind: r.kind, name: r.name, type: messageRootName(r.kind, r.messageCode) })),
    ...missingRecipientKinds(input.notice, configured).map((k) => ({ id: k, kind: k, name: recipientKindSpec(k).label.de, type: messageRootName(k) })),
  ];
  return deps.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('trade_message_deliveries').select('record_uuid').where('case_id', '=', input.caseId).where('event_id', '=', input.eventId).executeTakeFirst();
    const recordUuid = existing?.record_uuid ?? randomUUID();
    if (targets.length > 0)
      await trx
        .insertInto('trade_message_deliveries')
        .values(
          targets.map((t) => ({
            case_id: input.caseId,
            event_id: input.eventId,
            notice_kind: input.notice.kind,
            recipient_id: t.id,
            recipient_kind: t.kind,
            recipient_name: t.name,
            message_type: t.type,
            message_uuid: randomUUID(),
            record_uuid: recordUuid,
            created_at: deps.now(),
          })),
        )
        .onConflict((oc) => oc.columns(['case_id', 'event_id', 'recipient_id']).doNothing())
        .execute();
    const rows = await trx.selectFrom('trade_message_deliveries').selectAll().where('case_id', '=', input.caseId).where('event_id', '=', input.eventId).orderBy('recipient_id').execute();
    for (const row of rows) if (row.status !== 'delivered') await deps.jobs.enqueue(trx, DELIVER_TRADE_MESSAGE_JOB, { deliveryId: row.id });
    return rows.map(toRow);
  });
}

/** The messages of the accepted notice behind a case event, from the service's form (the `deliver_trade_messages` effect). */
export async function planTradeMessagesForEvent(deps: TradeDeliveryDeps, payload: { caseId: string; eventId: string }): Promise<TradeDeliveryRow[]> {
  const row = await deps.db.selectFrom('cases').select(['id', 'service_id', 'form_data']).where('id', '=', payload.caseId).executeTakeFirst();
  if (!row) throw new Error('trade.plan-messages: case not found');
  const notice = (deps.noticeSource ?? formNoticeSource)(row.service_id, row.form_data as FormData);
  if (!notice) throw new Error(`trade.plan-messages: service ${row.service_id} files no trade notice`);
  return planTradeMessages(deps, { caseId: row.id, eventId: payload.eventId, notice });
}

export type DeliveryOutcome = 'delivered' | 'already_delivered' | 'in_flight' | 'failed_permanently';

/** A failed attempt that is worth retrying later (the job throws it; pg-boss retries with backoff). */
class TradeDeliveryError extends Error {
  constructor(readonly reason: string) {
    super(`trade message delivery failed: ${reason}`);
    this.name = 'TradeDeliveryError';
  }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One attempt to deliver one message: take the row's lease, build the XML, POST it, record the
 * outcome. A delivered row is never sent again. Throws TradeDeliveryError when a later attempt
 * may succeed (network, 5xx, 429); returns `failed_permanently` when only a change of
 * configuration can help (no recipient configured, development receiver in production).
 */
export async function deliverTradeMessage(deps: TradeDeliveryDeps, deliveryId: string): Promise<DeliveryOutcome> {
  if (!uuid.test(deliveryId)) throw new Error('trade.deliver-message: deliveryId must be a uuid');
  const now = deps.now();
  const claimed = await deps.db
    .updateTable('trade_message_deliveries')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_attempt_at: now, in_flight_since: now }))
    .where('id', '=', deliveryId)
    .where('status', '<>', 'delivered')
    .where((eb) => eb.or([eb('in_flight_since', 'is', null), eb('in_flight_since', '<', new Date(now.getTime() - LEASE_MS))]))
    .returningAll()
    .executeTakeFirst();
  if (!claimed) {
    const row = await deps.db.selectFrom('trade_message_deliveries').select('status').where('id', '=', deliveryId).executeTakeFirst();
    if (!row) throw new Error('trade.deliver-message: delivery not found');
    return row.status === 'delivered' ? 'already_delivered' : 'in_flight';
  }
  const fail = async (reason: string) => {
    await deps.db.updateTable('trade_message_deliveries').set({ status: 'failed', last_error: reason.slice(0, 300), in_flight_since: null }).where('id', '=', deliveryId).where('status', '<>', 'delivered').execute();
  };

  const recipient: TradeRecipient | undefined = deps.catalogue.city.tradeRecipients.find((r) => r.id === claimed.recipient_id);
  if (!recipient) {
    await fail('Für diese Stelle ist kein Empfänger konfiguriert (tradeRecipients). / No recipient is configured for this office.');
    return 'failed_permanently';
  }
  if (recipient.endpoint.startsWith('/') && deps.production) {
    await fail('Der Entwicklungsempfänger ist im Betrieb nicht verfügbar; bitte den Endpunkt der Stelle konfigurieren. / The development receiver is not available in production.');
    return 'failed_permanently';
  }
  const kase = await deps.db.selectFrom('cases').select(['id', 'reference', 'service_id', 'form_data', 'submitted_at', 'erased_at']).where('id', '=', claimed.case_id).executeTakeFirstOrThrow();
  const notice = kase.erased_at ? undefined : (deps.noticeSource ?? formNoticeSource)(kase.service_id, kase.form_data as FormData);
  if (!notice) {
    await fail('Die Meldung lässt sich aus dem Vorgang nicht mehr bilden. / The notice can no longer be built from the case.');
    return 'failed_permanently';
  }
  const event = await deps.db.selectFrom('case_events').select('at').where('id', '=', claimed.event_id).where('case_id', '=', kase.id).executeTakeFirst();
  const city = deps.catalogue.city;
  const department = city.departments.find((d) => d.id === (deps.catalogue.get(kase.service_id)?.receivingDepartment ?? 'gewerbeamt'));
  const url = endpointUrl(recipient.endpoint, deps.publicUrl);
  const xml = buildGewerbemeldung({
    notice,
    reader: { kind: recipient.kind, name: recipient.name, readerId: recipient.id, ...(recipient.endpoint.startsWith('/') ? {} : { url: url.toString() }), ...(recipient.messageCode ? { messageCode: recipient.messageCode } : {}) },
    author: {
      municipalityKey: city.municipalityKey,
      name: `${department?.name.de ?? 'Gewerbeamt'}, ${city.name.de}`,
      ...(city.tradeOffice?.email ? { email: city.tradeOffice.email } : {}),
      ...(city.tradeOffice?.phone ? { phone: city.tradeOffice.phone } : {}),
      ...(city.tradeOffice ? { address: { street: city.tradeOffice.street, houseNumber: city.tradeOffice.houseNumber, postcode: city.tradeOffice.postcode, town: city.tradeOffice.town } } : {}),
    },
    messageId: claimed.message_uuid,
    recordId: claimed.record_uuid,
    businessId: kase.id,
    reference: kase.reference,
    createdAt: claimed.created_at,
    eventAt: event?.at ?? claimed.created_at,
    submittedAt: kase.submitted_at,
    timeZone: city.timeZone,
  });

  let status: number;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/xml; charset=utf-8', 'idempotency-key': claimed.message_uuid },
      body: xml,
      // Never follow a redirect: the message goes where the city configured it, nowhere else.
      redirect: 'error',
      signal: AbortSignal.timeout(deps.timeoutMs ?? 15_000),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.name ?? 'network error');
    await fail(reason);
    throw new TradeDeliveryError(reason);
  }
  if (status < 200 || status > 299) {
    await fail(`HTTP ${status}`);
    // A 4xx other than 408/429 will not get better by itself, but the recipient may be fixed: it still retries.
    throw new TradeDeliveryError(`HTTP ${status}`);
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('trade_message_deliveries')
      .set({ status: 'delivered', delivered_at: deps.now(), last_error: null, in_flight_since: null, sha256: createHash('sha256').update(xml, 'utf8').digest('hex') })
      .where('id', '=', deliveryId)
      .execute();
    // Personal data left the city: which office got which message is part of the file's record.
    await appendAudit(trx, { actorType: 'system', actorId: null, action: 'trade.message_delivered', caseId: kase.id, details: { deliveryId, recipient: recipient.id, messageType: claimed.message_type } });
  });
  return 'delivered';
}

function toRow(r: {
  id: string;
  recipient_id: string;
  recipient_kind: string;
  recipient_name: string;
  message_type: string;
  status: TradeDeliveryStatus;
  attempts: number;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}): TradeDeliveryRow {
  return {
    id: r.id,
    recipientId: r.recipient_id,
    recipientKind: r.recipient_kind,
    recipientName: r.recipient_name,
    messageType: r.message_type,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    lastAttemptAt: r.last_attempt_at,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
  };
}

/** The case's deliveries, oldest first; the caller has already checked the staff member may read the case. */
export async function caseTradeDeliveries(db: Kysely<Database>, caseId: string): Promise<TradeDeliveryRow[]> {
  const rows = await db.selectFrom('trade_message_deliveries').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('recipient_id').execute();
  return rows.map(toRow);
}

const NO_DELIVERY = { de: 'Diese Übermittlung gibt es nicht.', en: 'This delivery does not exist.' };

/**
 * A clerk sends a failed message again: case.work in the case's department is part of the query
 * (anyone else gets the 404 of a delivery that does not exist); only a failed delivery can be
 * retried. Marks it pending and enqueues an attempt in one transaction, with the audit entry.
 */
export async function retryTradeDelivery(deps: Pick<TradeDeliveryDeps, 'db' | 'jobs'>, actor: Grants & { readonly id: string }, caseId: string, deliveryId: string): Promise<void> {
  const departments = departmentsWith(actor, 'case.work');
  if (departments.length === 0 || !uuid.test(caseId) || !uuid.test(deliveryId)) throw new NotFoundError(NO_DELIVERY);
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('trade_message_deliveries as d')
      .innerJoin('cases as c', 'c.id', 'd.case_id')
      .select(['d.id', 'd.status', 'd.recipient_id', 'c.id as case_id'])
      .where('d.id', '=', deliveryId)
      .where('d.case_id', '=', caseId)
      .where('c.department_id', 'in', departments)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFoundError(NO_DELIVERY);
    if (row.status !== 'failed')
      throw new ConflictError({
        de: row.status === 'delivered' ? 'Diese Nachricht ist bereits zugestellt.' : 'Diese Nachricht wird gerade zugestellt.',
        en: row.status === 'delivered' ? 'This message has already been delivered.' : 'This message is being delivered.',
      });
    await trx.updateTable('trade_message_deliveries').set({ status: 'pending', in_flight_since: null }).where('id', '=', row.id).execute();
    await deps.jobs.enqueue(trx, DELIVER_TRADE_MESSAGE_JOB, { deliveryId: row.id });
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'trade.message_retry', caseId: row.case_id, details: { deliveryId: row.id, recipient: row.recipient_id } });
  });
}
