import type { Kysely, Selectable, Transaction } from 'kysely';
import { feeFor, formatEuro } from '../catalogue/fees.ts';
import type { Catalogue } from '../catalogue/registry.ts';
import type { FeeBreakdown, FeeItem, FormData } from '../catalogue/service-definition.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import type { BlobStore } from '../efile/blob-store.ts';
import type { MasterKeyring } from '../efile/document-crypto.ts';
import { storeDocument } from '../efile/documents.ts';
import { sealPdf, type CitySeal } from '../efile/seal.ts';
import { departmentsWith, type Grants } from '../identity/permissions.ts';
import { enqueueNotification } from '../notifications/notify.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import { formatDateTime } from '../platform/i18n/time.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { renderPdf } from '../platform/pdf/render-pdf.ts';
import type { CaseRow, Database, PaymentStatus, PaymentTable } from '../schema.ts';
import type { PaymentEvent, PaymentProvider } from './payment-provider.ts';

/**
 * Fees paid online (ADR 0019). The fee comes from the service definition (`feeFor`, fixed at
 * submission time); a payment is one checkout at the configured provider. Provider events are
 * applied once: the event id is recorded in the same transaction as its effect, under the
 * payment row's lock, so a replayed webhook changes nothing and an event arriving late (a
 * "failed" after a "succeeded") cannot take a paid payment back. When a payment is paid, the
 * sealed Zahlungsbestätigung goes into the E-Akte, the audit log gets ids and amounts only, and
 * the citizen is notified — all in that one transaction.
 */
export interface PaymentDeps {
  readonly db: Kysely<Database>;
  readonly jobs: JobQueue;
  readonly catalogue: Catalogue;
  readonly blobs: BlobStore;
  readonly keyring: MasterKeyring;
  readonly seal: CitySeal;
  readonly now: () => Date;
  /** Undefined when online payment is off (PAYMENT_PROVIDER=none): fees are shown, paid at the office. */
  readonly provider: PaymentProvider | undefined;
}

export type PaymentRow = Selectable<PaymentTable>;

export interface PaymentSummary {
  readonly id: string;
  readonly status: PaymentStatus;
  readonly amountCents: number;
  readonly refundedCents: number;
  readonly items: readonly FeeItem[];
  readonly provider: string;
  readonly createdAt: Date;
  readonly paidAt: Date | null;
  /** `documents.document_id` of the Zahlungsbestätigung. */
  readonly receiptDocumentId: string | null;
}

interface RefundSummary {
  readonly id: string;
  readonly paymentId: string;
  readonly amountCents: number;
  readonly status: 'requested' | 'succeeded' | 'failed';
  readonly reason: string;
  readonly createdAt: Date;
}

/** Payment states that hold the citizen's money: the fee counts as paid. */
const SETTLED: readonly PaymentStatus[] = ['paid', 'partially_refunded', 'refunded'];
/** A checkout that is still open: the same one is offered again instead of a second. */
const OPEN: readonly PaymentStatus[] = ['created', 'pending'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_CASE = { de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' };

function parseItems(raw: unknown): FeeItem[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? (JSON.parse(raw) as unknown[]) : [];
  return list.flatMap((i) => {
    const item = i as { label?: { de?: unknown; en?: unknown }; cents?: unknown };
    return typeof item?.label?.de === 'string' && typeof item.label.en === 'string' && typeof item.cents === 'number' ? [{ label: { de: item.label.de, en: item.label.en }, cents: item.cents }] : [];
  });
}

export const toSummary = (r: PaymentRow): PaymentSummary => ({
  id: r.id,
  status: r.status,
  amountCents: r.amount_cents,
  refundedCents: r.refunded_cents,
  items: parseItems(r.items),
  provider: r.provider,
  createdAt: r.created_at,
  paidAt: r.paid_at,
  receiptDocumentId: r.receipt_document_id,
});

/** The fee of a case as filed: its answers, with the submission time as "now" (an age is taken at filing). */
function caseFee(catalogue: Catalogue, row: Pick<CaseRow, 'service_id' | 'form_data' | 'submitted_at'>): FeeBreakdown {
  const def = catalogue.get(row.service_id);
  if (!def) return { cents: 0, items: [] };
  return feeFor(def, row.form_data as FormData, { now: row.submitted_at, timeZone: catalogue.city.timeZone });
}

export interface PaymentOverview {
  readonly fee: FeeBreakdown;
  readonly payments: readonly PaymentSummary[];
  /** The fee is paid (possibly refunded since): nothing more to pay. */
  readonly settled: boolean;
  /** The citizen can pay online now. */
  readonly canPay: boolean;
}

/** What the citizen's status page shows of the fee. The caller has proved the case (status page rules). */
export async function paymentOverview(deps: Pick<PaymentDeps, 'db' | 'catalogue' | 'provider'>, caseId: string): Promise<PaymentOverview> {
  if (!UUID.test(caseId)) throw new NotFoundError(NO_CASE);
  const row = await deps.db.selectFrom('cases').select(['service_id', 'form_data', 'submitted_at']).where('id', '=', caseId).executeTakeFirst();
  if (!row) throw new NotFoundError(NO_CASE);
  const fee = caseFee(deps.catalogue, row);
  const payments = (await deps.db.selectFrom('payments').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute()).map(toSummary);
  const settled = payments.some((p) => SETTLED.includes(p.status));
  return { fee, payments, settled, canPay: fee.cents > 0 && !settled && deps.provider !== undefined };
}

/**
 * Starts (or resumes) paying the case's fee: one payment row, one checkout at the provider;
 * returns where to send the citizen. The caller has proved the case is theirs. An open checkout
 * is offered again, so a double click or a second tab never pays twice.
 */
export async function startPayment(deps: PaymentDeps, caseId: string, options: { returnUrl: string; actorId?: string | null } = { returnUrl: '/' }): Promise<{ paymentId: string; redirectUrl: string }> {
  const provider = deps.provider;
  if (!provider)
    throw new ConflictError({
      de: 'Online bezahlen ist hier noch nicht möglich. Bitte bezahlen Sie die Gebühr bei Ihrem Termin im Amt.',
      en: 'Paying online is not possible here yet. Please pay the fee at your appointment at the office.',
    });
  if (!UUID.test(caseId)) throw new NotFoundError(NO_CASE);
  const prepared = await deps.db.transaction().execute(async (trx) => {
    // The case row's lock serialises two starts for the same case.
    const row = await trx.selectFrom('cases').select(['id', 'reference', 'service_id', 'form_data', 'submitted_at']).where('id', '=', caseId).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError(NO_CASE);
    const fee = caseFee(deps.catalogue, row);
    if (fee.cents <= 0) throw new ConflictError({ de: 'Für dieses Anliegen ist keine Gebühr zu zahlen.', en: 'There is no fee to pay for this matter.' });
    const existing = await trx.selectFrom('payments').selectAll().where('case_id', '=', row.id).where('status', 'in', [...SETTLED, ...OPEN]).orderBy('created_at', 'desc').execute();
    if (existing.some((p) => SETTLED.includes(p.status))) throw new ConflictError({ de: 'Die Gebühr für dieses Anliegen ist bereits bezahlt.', en: 'The fee for this matter has already been paid.' });
    const open = existing.find((p) => p.status === 'pending' && p.provider === provider.name && p.checkout_url);
    if (open) return { kind: 'resume', paymentId: open.id, redirectUrl: open.checkout_url! } as const;
    // A checkout that never reached the provider (it failed or the process stopped) is given up.
    if (existing.length > 0) await trx.updateTable('payments').set({ status: 'failed' }).where('id', 'in', existing.map((p) => p.id)).where('status', 'in', OPEN).execute();
    const payment = await trx
      .insertInto('payments')
      .values({ case_id: row.id, amount_cents: fee.cents, provider: provider.name, items: JSON.stringify(fee.items) })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, { actorType: 'applicant', actorId: options.actorId ?? null, action: 'payment.started', caseId: row.id, details: { paymentId: payment.id, amountCents: fee.cents, provider: provider.name } });
    return { kind: 'create', paymentId: payment.id, reference: row.reference, fee } as const;
  });
  if (prepared.kind === 'resume') return { paymentId: prepared.paymentId, redirectUrl: prepared.redirectUrl };

  const { paymentId, reference, fee } = prepared;
  // The provider is called outside any transaction: no row stays locked while it answers.
  let checkout;
  try {
    checkout = await provider.createCheckout({ paymentId, reference, amountCents: fee.cents, currency: 'EUR', items: fee.items, returnUrl: options.returnUrl });
  } catch (err) {
    await deps.db.updateTable('payments').set({ status: 'failed' }).where('id', '=', paymentId).where('status', '=', 'created').execute();
    throw err;
  }
  await deps.db
    .updateTable('payments')
    .set({ status: 'pending', provider_payment_id: checkout.providerPaymentId, checkout_url: checkout.redirectUrl })
    .where('id', '=', paymentId)
    .where('status', '=', 'created')
    .execute();
  return { paymentId, redirectUrl: checkout.redirectUrl };
}

export interface EventOutcome {
  readonly paymentId: string;
  /** The event id was seen before: nothing was changed. */
  readonly duplicate: boolean;
  /** The payment's status after the event. */
  readonly status: PaymentStatus;
}

/**
 * Applies a verified provider event exactly once. Unknown payments are a `NotFoundError`.
 *  - payment.succeeded: created/pending/failed/cancelled → paid (money that arrived counts), with
 *    the receipt, the audit entry and the notification; a paid payment stays as it is.
 *  - payment.failed / payment.cancelled: only an open checkout changes; a paid one never goes back.
 *  - refund.succeeded: the refund is booked once; refunded or partially_refunded.
 */
export async function handlePaymentEvent(deps: Omit<PaymentDeps, 'provider'>, providerName: string, event: PaymentEvent): Promise<EventOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const known = await trx.selectFrom('payments').select(['id', 'case_id']).where('provider', '=', providerName).where('provider_payment_id', '=', event.providerPaymentId).executeTakeFirst();
    if (!known) throw new NotFoundError({ de: 'Diese Zahlung ist nicht bekannt.', en: 'This payment is not known.' });
    // The case row first, then the payment: every event of a case (and startPayment) queue in one order.
    await trx.selectFrom('cases').select('id').where('id', '=', known.case_id).forUpdate().executeTakeFirstOrThrow();
    const payment = await trx.selectFrom('payments').selectAll().where('id', '=', known.id).forUpdate().executeTakeFirstOrThrow();
    const recorded = await trx
      .insertInto('payment_events')
      .values({ payment_id: payment.id, provider: providerName, provider_event_id: event.eventId, kind: event.kind })
      .onConflict((oc) => oc.columns(['provider', 'provider_event_id']).doNothing())
      .returning(['id'])
      .executeTakeFirst();
    if (!recorded) return { paymentId: payment.id, duplicate: true, status: payment.status };
    const status = await applyEvent(deps, trx, payment, event);
    return { paymentId: payment.id, duplicate: false, status };
  });
}

async function applyEvent(deps: Omit<PaymentDeps, 'provider'>, trx: Transaction<Database>, payment: PaymentRow, event: PaymentEvent): Promise<PaymentStatus> {
  const system = { actorType: 'system' as const, actorId: null, caseId: payment.case_id };
  switch (event.kind) {
    case 'payment.succeeded': {
      if (SETTLED.includes(payment.status)) return payment.status;
      if (event.amountCents !== payment.amount_cents) throw new Error(`payment event for ${payment.id}: amount ${event.amountCents} differs from ${payment.amount_cents}`);
      const paidAt = new Date(Math.floor(deps.now().getTime() / 1000) * 1000);
      const receipt = await storeReceipt(deps, trx, payment, paidAt);
      await trx.updateTable('payments').set({ status: 'paid', paid_at: paidAt, receipt_document_id: receipt }).where('id', '=', payment.id).execute();
      // Paid: any other open checkout of the case is given up (were it paid as well, that payment
      // would still be recorded, and show for the office to refund).
      const given = await trx.updateTable('payments').set({ status: 'cancelled' }).where('case_id', '=', payment.case_id).where('id', '!=', payment.id).where('status', 'in', OPEN).returning('id').execute();
      for (const g of given) await appendAudit(trx, { ...system, action: 'payment.cancelled', details: { paymentId: g.id, because: 'another payment of the case was paid' } });
      await appendAudit(trx, { ...system, action: 'payment.paid', details: { paymentId: payment.id, amountCents: payment.amount_cents, provider: payment.provider, receiptDocumentId: receipt } });
      await enqueueNotification(trx, deps.jobs, { caseId: payment.case_id, topic: 'payment', ref: payment.id });
      return 'paid';
    }
    case 'payment.failed':
    case 'payment.cancelled': {
      if (!OPEN.includes(payment.status)) return payment.status;
      const status = event.kind === 'payment.failed' ? 'failed' : 'cancelled';
      await trx.updateTable('payments').set({ status }).where('id', '=', payment.id).execute();
      await appendAudit(trx, { ...system, action: `payment.${status}`, details: { paymentId: payment.id } });
      return status;
    }
    case 'refund.succeeded':
    case 'refund.failed': {
      const refund = event.refundId
        ? await trx.selectFrom('payment_refunds').selectAll().where('id', '=', event.refundId).where('payment_id', '=', payment.id).executeTakeFirst()
        : undefined;
      if (!refund) throw new Error(`refund event for payment ${payment.id} names no refund of it`);
      if (refund.status !== 'requested') return payment.status;
      if (event.kind === 'refund.failed') {
        await trx.updateTable('payment_refunds').set({ status: 'failed', completed_at: deps.now() }).where('id', '=', refund.id).execute();
        await appendAudit(trx, { ...system, action: 'payment.refund_failed', details: { paymentId: payment.id, refundId: refund.id } });
        return payment.status;
      }
      if (event.amountCents !== refund.amount_cents) throw new Error(`refund event for ${refund.id}: amount ${event.amountCents} differs from ${refund.amount_cents}`);
      const refunded = payment.refunded_cents + refund.amount_cents;
      const status: PaymentStatus = refunded >= payment.amount_cents ? 'refunded' : 'partially_refunded';
      await trx
        .updateTable('payment_refunds')
        .set({ status: 'succeeded', completed_at: deps.now(), ...(event.providerRefundId ? { provider_refund_id: event.providerRefundId } : {}) })
        .where('id', '=', refund.id)
        .execute();
      await trx.updateTable('payments').set({ status, refunded_cents: refunded }).where('id', '=', payment.id).execute();
      await appendAudit(trx, { ...system, action: 'payment.refunded', details: { paymentId: payment.id, refundId: refund.id, amountCents: refund.amount_cents, refundedCents: refunded } });
      await enqueueNotification(trx, deps.jobs, { caseId: payment.case_id, topic: 'payment', ref: refund.id });
      return status;
    }
  }
}

const RECEIPT_TITLE = 'Zahlungsbestätigung';

function receiptFileName(reference: string): string {
  return `Zahlungsbestaetigung-${reference.replace(/[^A-Za-z0-9-]/g, '_')}.pdf`;
}

/** Renders, seals and stores the Zahlungsbestätigung in the caller's transaction; returns its document id. */
async function storeReceipt(deps: Omit<PaymentDeps, 'provider'>, trx: Transaction<Database>, payment: PaymentRow, paidAt: Date): Promise<string> {
  const row = await trx.selectFrom('cases').select(['id', 'reference', 'service_id', 'department_id']).where('id', '=', payment.case_id).executeTakeFirstOrThrow();
  const city = deps.catalogue.city;
  const department = city.departments.find((d) => d.id === row.department_id)?.name.de ?? row.department_id;
  const service = deps.catalogue.get(row.service_id)?.title.de ?? row.service_id;
  const items = parseItems(payment.items);
  const pdf = await renderPdf({
    letterhead: { organisation: city.name.de, office: department, contact: city.contact.de },
    title: RECEIPT_TITLE,
    reference: { label: 'Aktenzeichen', value: row.reference },
    date: { label: 'Datum', value: formatDateTime(paidAt, 'de', city.timeZone) },
    blocks: [
      { kind: 'paragraph', text: `Wir bestätigen den Eingang Ihrer Zahlung für das Anliegen „${service}“. Bitte bewahren Sie diese Bestätigung auf.` },
      { kind: 'rows', rows: items.map((i) => ({ label: i.label.de, value: formatEuro(i.cents, 'de') })) },
      {
        kind: 'rows',
        rows: [
          { label: 'Gezahlt insgesamt', value: formatEuro(payment.amount_cents, 'de') },
          { label: 'Eingegangen am', value: formatDateTime(paidAt, 'de', city.timeZone) },
          { label: 'Zahlungsreferenz', value: payment.id },
          { label: 'Zahlungsweg', value: payment.provider === 'dev' ? 'Online (Testanbieter der Entwicklungsumgebung – kein echtes Geld)' : `Online (${payment.provider})` },
        ],
      },
    ],
    footer: `${city.name.de} · ${department} · Elektronisch gesiegelt, ohne Unterschrift gültig`,
    metadata: { title: RECEIPT_TITLE, author: `${city.name.de}, ${department}`, subject: `Aktenzeichen ${row.reference}`, lang: 'de-DE', createdAt: paidAt },
  });
  const sealed = await sealPdf(pdf, deps.seal, { reason: RECEIPT_TITLE, signingTime: paidAt });
  const stored = await storeDocument(
    { db: trx, blobs: deps.blobs, keyring: deps.keyring },
    { caseId: row.id, fileName: receiptFileName(row.reference), title: RECEIPT_TITLE, contentType: 'application/pdf', body: sealed, createdBy: { type: 'system', id: null } },
  );
  return stored.documentId;
}

/* ---------- staff: payments of a case and refunds ---------- */

export interface StaffActorLike extends Grants {
  readonly id: string;
}

export interface StaffPayments {
  readonly caseId: string;
  readonly fee: FeeBreakdown;
  readonly payments: readonly PaymentSummary[];
  readonly refunds: readonly RefundSummary[];
  /** The actor may refund (case.work in the case's department). */
  readonly canRefund: boolean;
}

/** The payments of a case for staff who may read it (the department is part of the query). */
export async function staffPayments(deps: Pick<PaymentDeps, 'db' | 'catalogue'>, actor: StaffActorLike, caseId: string): Promise<StaffPayments> {
  const departments = departmentsWith(actor, 'case.read');
  if (departments.length === 0 || !UUID.test(caseId)) throw new NotFoundError(NO_CASE);
  const row = await deps.db.selectFrom('cases').select(['id', 'department_id', 'service_id', 'form_data', 'submitted_at']).where('id', '=', caseId).where('department_id', 'in', departments).executeTakeFirst();
  if (!row) throw new NotFoundError(NO_CASE);
  const payments = (await deps.db.selectFrom('payments').selectAll().where('case_id', '=', row.id).orderBy('created_at').orderBy('id').execute()).map(toSummary);
  const refunds =
    payments.length === 0
      ? []
      : await deps.db
          .selectFrom('payment_refunds')
          .select(['id', 'payment_id', 'amount_cents', 'status', 'reason', 'created_at'])
          .where('payment_id', 'in', payments.map((p) => p.id))
          .orderBy('created_at')
          .execute();
  return {
    caseId: row.id,
    fee: caseFee(deps.catalogue, row),
    payments,
    refunds: refunds.map((r) => ({ id: r.id, paymentId: r.payment_id, amountCents: r.amount_cents, status: r.status, reason: r.reason, createdAt: r.created_at })),
    canRefund: departmentsWith(actor, 'case.work').includes(row.department_id),
  };
}

export const REFUND_REASON_MAX = 500;

/** "12,50", "12.50", "12" → cents; undefined when it is not an amount. */
function parseEuroCents(input: string): number | undefined {
  const m = /^\s*(\d{1,6})(?:[.,](\d{1,2}))?\s*(?:€|EUR)?\s*$/i.exec(input);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/**
 * A clerk pays part or all of a payment back. The department (case.work) is part of the query;
 * the amount may not exceed what was paid minus what is refunded or being refunded. The refund
 * is recorded first (so two clerks cannot both refund the remainder), then the provider is asked;
 * it is booked when the provider confirms it (`refund.succeeded`).
 */
export async function requestRefund(
  deps: PaymentDeps,
  actor: StaffActorLike,
  ref: { caseId: string; paymentId: string },
  input: { amount: string; reason: string },
): Promise<{ refundId: string; status: PaymentStatus }> {
  const provider = deps.provider;
  const departments = departmentsWith(actor, 'case.work');
  if (departments.length === 0 || !UUID.test(ref.caseId) || !UUID.test(ref.paymentId)) throw new NotFoundError(NO_CASE);
  const reason = input.reason.trim();
  const cents = parseEuroCents(input.amount);
  const prepared = await deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('cases').select('id').where('id', '=', ref.caseId).where('department_id', 'in', departments).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError(NO_CASE);
    const payment = await trx.selectFrom('payments').selectAll().where('id', '=', ref.paymentId).where('case_id', '=', row.id).forUpdate().executeTakeFirst();
    if (!payment) throw new NotFoundError({ de: 'Diese Zahlung gibt es nicht.', en: 'This payment does not exist.' });
    if (!['paid', 'partially_refunded'].includes(payment.status) || !payment.provider_payment_id)
      throw new ConflictError({ de: 'Diese Zahlung kann nicht erstattet werden: Sie ist nicht (mehr) bezahlt.', en: 'This payment cannot be refunded: it is not (or no longer) paid.' });
    if (!provider || provider.name !== payment.provider)
      throw new ConflictError({ de: 'Der Zahlungsanbieter dieser Zahlung ist nicht angebunden. Bitte erstatten Sie über die Kasse.', en: "This payment's provider is not connected. Please refund through the cash office." });
    const pending = await trx.selectFrom('payment_refunds').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), eb.lit(0)).as('sum')).where('payment_id', '=', payment.id).where('status', '=', 'requested').executeTakeFirstOrThrow();
    const available = payment.amount_cents - payment.refunded_cents - Number(pending.sum);
    const problems: FieldProblem[] = [];
    if (cents === undefined || cents <= 0) problems.push({ field: 'refundAmount', message: { de: 'Bitte geben Sie einen Betrag in Euro an, z. B. 12,50.', en: 'Enter an amount in euros, for example 12.50.' } });
    else if (cents > available)
      problems.push({
        field: 'refundAmount',
        message: {
          de: `Höchstens ${formatEuro(available, 'de')} können noch erstattet werden (bezahlt ${formatEuro(payment.amount_cents, 'de')}, erstattet oder in Erstattung ${formatEuro(payment.amount_cents - available, 'de')}).`,
          en: `At most ${formatEuro(available, 'en')} can still be refunded (paid ${formatEuro(payment.amount_cents, 'en')}, refunded or being refunded ${formatEuro(payment.amount_cents - available, 'en')}).`,
        },
      });
    if (reason === '') problems.push({ field: 'refundReason', message: { de: 'Bitte geben Sie einen Grund für die Erstattung an.', en: 'Enter a reason for the refund.' } });
    else if (reason.length > REFUND_REASON_MAX) problems.push({ field: 'refundReason', message: { de: `Der Grund darf höchstens ${REFUND_REASON_MAX} Zeichen lang sein.`, en: `The reason must be ${REFUND_REASON_MAX} characters or fewer.` } });
    if (problems.length > 0) throw new ValidationError(problems);
    const refund = await trx.insertInto('payment_refunds').values({ payment_id: payment.id, amount_cents: cents!, reason, requested_by: actor.id }).returning(['id']).executeTakeFirstOrThrow();
    // The reason is kept with the refund (internal), never in the audit log.
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'payment.refund_requested', caseId: row.id, details: { paymentId: payment.id, refundId: refund.id, amountCents: cents! } });
    return { refundId: refund.id, payment: { id: payment.id, providerPaymentId: payment.provider_payment_id, amountCents: payment.amount_cents } };
  });

  let providerRefundId: string;
  try {
    ({ providerRefundId } = await provider!.refund(prepared.payment, { refundId: prepared.refundId, amountCents: cents! }));
  } catch {
    await deps.db.updateTable('payment_refunds').set({ status: 'failed', completed_at: deps.now() }).where('id', '=', prepared.refundId).where('status', '=', 'requested').execute();
    throw new ConflictError({ de: 'Der Zahlungsanbieter hat die Erstattung nicht angenommen. Bitte versuchen Sie es später erneut.', en: 'The payment provider did not accept the refund. Please try again later.' });
  }
  await deps.db.updateTable('payment_refunds').set({ provider_refund_id: providerRefundId }).where('id', '=', prepared.refundId).where('provider_refund_id', 'is', null).execute();
  const after = await deps.db.selectFrom('payments').select('status').where('id', '=', prepared.payment.id).executeTakeFirstOrThrow();
  return { refundId: prepared.refundId, status: after.status };
}
