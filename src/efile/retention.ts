import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../cases/case-deps.ts';
import type { Catalogue } from '../catalogue/registry.ts';
import type { ServiceDefinition } from '../catalogue/service-definition.ts';
import { departmentsWith } from '../identity/permissions.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { zonedToday } from '../platform/i18n/time.ts';
import type { Database } from '../schema.ts';
import { appendAudit } from './audit-chain.ts';
import type { BlobStore } from './blob-store.ts';

/**
 * Retention and legal hold (ADR 0015). Each service keeps its closed files for `retention` years
 * (ISO 8601, `P5Y`), counted from `closed_at`, the moment the case reached a final state. A file
 * past its period is erased: its documents (rows and blobs), its search entry and every piece of
 * personal data go; the case row stays as a stub (reference, service, department, state, dates),
 * an anonymous count goes into `retention_statistics` and the audit log records the erasure.
 * A legal hold, set by a supervisor of the case's department, stops erasure until released.
 */
export interface RetentionDeps {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly catalogue: Catalogue;
  readonly now: () => Date;
}

/** Who erases: the daily job, or a supervisor of the case's department. */
export type RetentionActor = Extract<Actor, { type: 'system' } | { type: 'staff' }>;
export type StaffActor = Extract<Actor, { type: 'staff' }>;

/** The permission that lets a supervisor set and release legal holds (and see the retention page). */
export const LEGAL_HOLD_PERMISSION = 'case.assign';
export const LEGAL_HOLD_REASON_MAX = 500;

const NOT_FOUND = { de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The number of years in a service's `retention` (`P5Y` → 5); check-definitions guarantees the shape. */
function retentionYears(def: ServiceDefinition): number {
  const m = /^P(\d+)Y$/.exec(def.retention);
  if (!m) throw new Error(`Service ${def.id}: retention "${def.retention}" is not a number of years`);
  return Number(m[1]);
}

function shiftYears(at: Date, years: number): Date {
  const d = new Date(at.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/** When a file closed at `closedAt` is due for erasure. */
export function retentionEndsAt(def: ServiceDefinition, closedAt: Date): Date {
  return shiftYears(closedAt, retentionYears(def));
}

/** Due: closed_at + retention <= now, i.e. closed_at <= now − retention (the same test in SQL and here). */
function dueCutoff(def: ServiceDefinition, now: Date): Date {
  return shiftYears(now, -retentionYears(def));
}

function finalPairs(catalogue: Catalogue): string[] {
  return catalogue.all().flatMap((def) => def.process.states.filter((s) => s.final).map((s) => `${def.id}/${s.id}`));
}

/**
 * Fills in closed_at for cases in a final state that have none: cases closed before migration 0009
 * (which cannot know the final states), or cases of a service whose process later declared a
 * state final. The closing is the last transition into the current state; failing that, the last
 * change of the row. Idempotent; the daily job runs it before looking for due files.
 */
export async function backfillClosedAt(db: Kysely<Database>, catalogue: Catalogue): Promise<number> {
  const pairs = finalPairs(catalogue);
  if (pairs.length === 0) return 0;
  const result = await db
    .updateTable('cases')
    .set({
      closed_at: sql<Date>`coalesce((select max(e.at) from case_events e where e.case_id = cases.id and e.kind = 'transition' and e.to_state = cases.state), cases.updated_at)`,
    })
    .where('closed_at', 'is', null)
    .where('erased_at', 'is', null)
    .where(sql<string>`service_id || '/' || state`, 'in', pairs)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface DueCase {
  readonly id: string;
  readonly reference: string;
  readonly serviceId: string;
  readonly departmentId: string;
  readonly state: string;
  readonly closedAt: Date;
  readonly dueAt: Date;
}

/** Cases past their service's period (per-service cut-offs, one query), not erased, not held. */
function dueCases(db: Kysely<Database>, services: readonly ServiceDefinition[], now: Date) {
  return db
    .selectFrom('cases')
    .where('erased_at', 'is', null)
    .where('legal_hold_at', 'is', null)
    .where('closed_at', 'is not', null)
    .where((eb) => eb.or(services.map((def) => eb.and([eb('service_id', '=', def.id), eb('closed_at', '<=', dueCutoff(def, now))]))));
}

/**
 * Closed files past their retention period, not erased and not on legal hold, oldest first.
 * Cases of a service no longer in the catalogue are never due (their period is unknown).
 */
export async function retentionDue(db: Kysely<Database>, catalogue: Catalogue, now: Date, departmentIds?: readonly string[], limit = 1000): Promise<DueCase[]> {
  const services = catalogue.all();
  if (services.length === 0 || departmentIds?.length === 0) return [];
  let q = dueCases(db, services, now).select(['id', 'reference', 'service_id', 'department_id', 'state', 'closed_at']);
  if (departmentIds) q = q.where('department_id', 'in', departmentIds);
  const rows = await q.orderBy('closed_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => {
    const def = catalogue.get(r.service_id)!;
    return { id: r.id, reference: r.reference, serviceId: r.service_id, departmentId: r.department_id, state: r.state, closedAt: r.closed_at!, dueAt: retentionEndsAt(def, r.closed_at!) };
  });
}

/** How many files are due (for the job's log and the page's heading), without loading them. */
export async function countRetentionDue(db: Kysely<Database>, catalogue: Catalogue, now: Date): Promise<number> {
  const services = catalogue.all();
  if (services.length === 0) return 0;
  const row = await dueCases(db, services, now).select(sql<string>`count(*)::text`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export type EraseOutcome =
  | { readonly erased: true; readonly documents: number; /** Blobs the store could not delete (unreadable without their rows). */ readonly blobsLeft: number }
  | { readonly erased: false; readonly reason: 'not-found' | 'not-due' | 'legal-hold' | 'already-erased' };

/**
 * Erases one case in one transaction: lock the row, check again that it is due, not on hold and
 * not erased (the list it came from may be a day old), then delete its documents' rows and search
 * entries, blank its personal data, count it and audit it. The blobs are deleted after the commit,
 * best effort: a blob whose row is gone is unreadable, because the row held its key (wrapped data
 * key, blob key) — a leftover is ciphertext nobody can find or open, not a copy of the file.
 * Erasing twice is a no-op that says why.
 */
export async function eraseCase(deps: RetentionDeps, caseId: string, actor: RetentionActor): Promise<EraseOutcome> {
  if (!UUID.test(caseId)) return { erased: false, reason: 'not-found' };
  const now = deps.now();
  const departments = actor.type === 'staff' ? departmentsWith(actor, LEGAL_HOLD_PERMISSION) : undefined;
  if (departments?.length === 0) return { erased: false, reason: 'not-found' };
  const result = await deps.db.transaction().execute(async (trx): Promise<{ outcome: EraseOutcome; blobKeys: string[] }> => {
    let q = trx.selectFrom('cases').selectAll().where('id', '=', caseId);
    if (departments) q = q.where('department_id', 'in', departments);
    const row = await q.forUpdate().executeTakeFirst();
    if (!row) return { outcome: { erased: false, reason: 'not-found' }, blobKeys: [] };
    if (row.erased_at) return { outcome: { erased: false, reason: 'already-erased' }, blobKeys: [] };
    if (row.legal_hold_at) return { outcome: { erased: false, reason: 'legal-hold' }, blobKeys: [] };
    const def = deps.catalogue.get(row.service_id);
    const final = def?.process.states.find((s) => s.id === row.state)?.final === true;
    if (!def || !final || !row.closed_at || row.closed_at > dueCutoff(def, now)) return { outcome: { erased: false, reason: 'not-due' }, blobKeys: [] };

    const documents = await trx.deleteFrom('documents').where('case_id', '=', row.id).returning(['blob_key']).execute();
    // The search index holds which words occur in the case's texts (migration 0008).
    await trx.deleteFrom('case_search').where('case_id', '=', row.id).execute();
    // issued_documents rows stay: they hold nothing personal (kind, template title, department,
    // date, SHA-256), so the public verification page can still say what was issued and when,
    // while the PDF itself is gone with the documents rows.
    // Stored answers to repeated submissions carry the access code (normally purged after 24 hours).
    await trx.deleteFrom('idempotency_keys').where('case_id', '=', row.id).execute();
    const eventIds = (await trx.selectFrom('case_events').select('id').where('case_id', '=', row.id).execute()).map((e) => e.id);
    // Sent mails keep their subject (reference and state only) but lose the address; an unsent
    // one years after the closing will never go out.
    const mailKeys = [`receipt:${row.id}`, ...eventIds.map((id) => `status:${id}`)];
    await trx.updateTable('mail_outbox').set({ to_address: '' }).where('dedupe_key', 'in', mailKeys).where('sent_at', 'is not', null).execute();
    await trx.deleteFrom('mail_outbox').where('dedupe_key', 'in', mailKeys).where('sent_at', 'is', null).execute();
    // Notes and transition inputs (reasons, conditions, messages) carry personal text.
    await trx.updateTable('case_events').set({ payload: '{}' }).where('case_id', '=', row.id).execute();
    // Mails that name the case (notifications, migration 0011): the address goes, unsent ones go.
    await trx.updateTable('mail_outbox').set({ to_address: '' }).where('case_id', '=', row.id).where('sent_at', 'is not', null).execute();
    await trx.deleteFrom('mail_outbox').where('case_id', '=', row.id).where('sent_at', 'is', null).execute();
    // The Postfach and the requests for more information are personal text (migration 0012); their
    // attachments went with the documents above.
    await trx.deleteFrom('case_messages').where('case_id', '=', row.id).execute();
    await trx.deleteFrom('information_requests').where('case_id', '=', row.id).execute();
    // The ID card's or passport's serial number identifies the person's document (migration 0016).
    await trx.deleteFrom('id_document_serials').where('case_id', '=', row.id).execute();
    // The landlord's confirmation the registration used (names, addresses; migration 0017); its PDF went with the documents.
    await trx.deleteFrom('landlord_confirmations').where('used_by_case_id', '=', row.id).execute();
    // Payments stay (accounting records: amounts, dates, no personal data); a refund's reason is free text.
    await trx.updateTable('payment_refunds').set({ reason: '[gelöscht]' }).where('payment_id', 'in', trx.selectFrom('payments').select('id').where('case_id', '=', row.id)).execute();
    await trx
      .updateTable('cases')
      .set({
        applicant: '{}',
        form_data: '{}',
        citizen_id: null,
        // 64 random hex digits: the shape of a hash, the hash of no code anyone holds.
        access_code_hash: randomBytes(32).toString('hex'),
        erased_at: now,
        updated_at: now,
        version: row.version + 1,
      })
      .where('id', '=', row.id)
      .execute();
    const closedYear = Number(zonedToday(row.closed_at, deps.catalogue.city.timeZone).slice(0, 4));
    await trx
      .insertInto('retention_statistics')
      .values({ department_id: row.department_id, service_id: row.service_id, closed_year: closedYear, final_state: row.state, erased_count: 1 })
      .onConflict((oc) => oc.columns(['department_id', 'service_id', 'closed_year', 'final_state']).doUpdateSet({ erased_count: sql<number>`retention_statistics.erased_count + 1` }))
      .execute();
    await appendAudit(trx, {
      actorType: actor.type,
      actorId: actor.type === 'staff' ? actor.id : null,
      action: 'case.erased',
      caseId: row.id,
      details: { serviceId: row.service_id, closedYear, finalState: row.state, documents: documents.length },
    });
    return { outcome: { erased: true, documents: documents.length, blobsLeft: 0 }, blobKeys: documents.map((d) => d.blob_key) };
  });
  if (!result.outcome.erased) return result.outcome;
  let blobsLeft = 0;
  for (const key of result.blobKeys) {
    try {
      await deps.blobs.delete(key);
    } catch {
      blobsLeft += 1;
    }
  }
  return { ...result.outcome, blobsLeft };
}

/* ---------- legal hold ---------- */

export interface LegalHold {
  readonly at: Date;
  readonly reason: string;
}

function checkReason(input: string): string {
  const reason = input.trim();
  if (reason === '') throw new ValidationError([{ field: 'legalHoldReason', message: { de: 'Bitte geben Sie den Grund für die Aufbewahrungssperre an.', en: 'Enter the reason for the legal hold.' } }]);
  if (reason.length > LEGAL_HOLD_REASON_MAX)
    throw new ValidationError([
      {
        field: 'legalHoldReason',
        message: { de: `Der Grund darf höchstens ${LEGAL_HOLD_REASON_MAX} Zeichen lang sein.`, en: `The reason must be ${LEGAL_HOLD_REASON_MAX} characters or fewer.` },
      },
    ]);
  return reason;
}

/**
 * The case as far as a legal hold is concerned, for a supervisor of its department; anyone else
 * gets the NotFoundError another department's case gives (deny by default, in the query).
 */
export async function legalHoldTarget(db: Kysely<Database>, actor: StaffActor, caseId: string): Promise<{ id: string; reference: string; departmentId: string; hold: LegalHold | null; erased: boolean }> {
  const departments = departmentsWith(actor, LEGAL_HOLD_PERMISSION);
  if (departments.length === 0 || !UUID.test(caseId)) throw new NotFoundError(NOT_FOUND);
  const row = await db
    .selectFrom('cases')
    .select(['id', 'reference', 'department_id', 'legal_hold_at', 'legal_hold_reason', 'erased_at'])
    .where('id', '=', caseId)
    .where('department_id', 'in', departments)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND);
  return {
    id: row.id,
    reference: row.reference,
    departmentId: row.department_id,
    hold: row.legal_hold_at ? { at: row.legal_hold_at, reason: row.legal_hold_reason ?? '' } : null,
    erased: row.erased_at !== null,
  };
}

async function lockForHold(db: Kysely<Database>, actor: StaffActor, caseId: string) {
  const departments = departmentsWith(actor, LEGAL_HOLD_PERMISSION);
  if (departments.length === 0 || !UUID.test(caseId)) throw new NotFoundError(NOT_FOUND);
  const row = await db
    .selectFrom('cases')
    .select(['id', 'legal_hold_at', 'erased_at'])
    .where('id', '=', caseId)
    .where('department_id', 'in', departments)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(NOT_FOUND);
  return row;
}

/**
 * Puts a case on legal hold (a court case, an inspection, a request under data protection law
 * that must be answered first). The reason is internal: it stays on the case row and is never
 * copied into the audit log, which records only that a hold was set and by whom.
 */
export async function setLegalHold(deps: Pick<RetentionDeps, 'db' | 'now'>, actor: StaffActor, caseId: string, reasonInput: string): Promise<void> {
  const reason = checkReason(reasonInput);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockForHold(trx, actor, caseId);
    if (row.erased_at) throw new ConflictError({ de: 'Dieser Vorgang ist bereits gelöscht.', en: 'This case has already been erased.' });
    if (row.legal_hold_at) throw new ConflictError({ de: 'Für diesen Vorgang besteht bereits eine Aufbewahrungssperre.', en: 'This case is already on legal hold.' });
    await trx.updateTable('cases').set({ legal_hold_at: now, legal_hold_by: actor.id, legal_hold_reason: reason }).where('id', '=', row.id).execute();
    await appendAudit(trx, { actorType: 'staff', actorId: actor.id, action: 'case.legal_hold_set', caseId: row.id, details: {} });
  });
}

/** Ends a legal hold; the case's retention period applies again from the next daily run. */
export async function releaseLegalHold(deps: Pick<RetentionDeps, 'db' | 'now'>, actor: StaffActor, caseId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await lockForHold(trx, actor, caseId);
    if (!row.legal_hold_at) throw new ConflictError({ de: 'Für diesen Vorgang besteht keine Aufbewahrungssperre.', en: 'This case is not on legal hold.' });
    await trx.updateTable('cases').set({ legal_hold_at: null, legal_hold_by: null, legal_hold_reason: null }).where('id', '=', row.id).execute();
    await appendAudit(trx, {
      actorType: 'staff',
      actorId: actor.id,
      action: 'case.legal_hold_released',
      caseId: row.id,
      details: { heldDays: Math.floor((deps.now().getTime() - row.legal_hold_at.getTime()) / 86_400_000) },
    });
  });
}

/* ---------- the supervisors' overview ---------- */

interface HeldCase {
  readonly id: string;
  readonly reference: string;
  readonly serviceId: string;
  readonly departmentId: string;
  readonly closedAt: Date | null;
  readonly heldAt: Date;
  readonly heldBy: string | null;
  readonly reason: string;
}

interface RetentionStatistic {
  readonly departmentId: string;
  readonly serviceId: string;
  readonly closedYear: number;
  readonly finalState: string;
  readonly erased: number;
}

export interface RetentionOverview {
  readonly departments: readonly string[];
  readonly due: readonly DueCase[];
  readonly held: readonly HeldCase[];
  readonly statistics: readonly RetentionStatistic[];
}

/**
 * What a supervisor sees on /staff/retention, for the departments where they hold the permission:
 * files due, files on hold and the anonymous count of erased files. Lists references only: no
 * personal data, so reading it is not a case-file access.
 */
export async function retentionOverview(deps: Pick<RetentionDeps, 'db' | 'catalogue' | 'now'>, actor: StaffActor, limit = 200): Promise<RetentionOverview> {
  const departments = departmentsWith(actor, LEGAL_HOLD_PERMISSION);
  if (departments.length === 0) return { departments, due: [], held: [], statistics: [] };
  const due = await retentionDue(deps.db, deps.catalogue, deps.now(), departments, limit);
  const held = await deps.db
    .selectFrom('cases')
    .leftJoin('staff_users', 'staff_users.id', 'cases.legal_hold_by')
    .select(['cases.id', 'cases.reference', 'cases.service_id', 'cases.department_id', 'cases.closed_at', 'cases.legal_hold_at', 'cases.legal_hold_reason', 'staff_users.display_name'])
    .where('cases.legal_hold_at', 'is not', null)
    .where('cases.department_id', 'in', departments)
    .orderBy('cases.legal_hold_at')
    .limit(limit)
    .execute();
  const statistics = await deps.db
    .selectFrom('retention_statistics')
    .selectAll()
    .where('department_id', 'in', departments)
    .orderBy('department_id')
    .orderBy('service_id')
    .orderBy('closed_year', 'desc')
    .orderBy('final_state')
    .execute();
  return {
    departments,
    due,
    held: held.map((h) => ({
      id: h.id,
      reference: h.reference,
      serviceId: h.service_id,
      departmentId: h.department_id,
      closedAt: h.closed_at,
      heldAt: h.legal_hold_at!,
      heldBy: h.display_name,
      reason: h.legal_hold_reason ?? '',
    })),
    statistics: statistics.map((s) => ({ departmentId: s.department_id, serviceId: s.service_id, closedYear: s.closed_year, finalState: s.final_state, erased: s.erased_count })),
  };
}
