import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * The append-only, hash-chained audit log, in two steps:
 *  1. `appendAudit` writes the entry to `audit_pending` inside the caller's transaction: one
 *     insert, no lock, so busy writers never wait for each other (the benchmark showed a
 *     chain-head lock held through every COMMIT capping submissions at a few hundred a second).
 *  2. `sealAuditLog` (run every second by the worker process) moves pending entries into
 *     `audit_log` in batches: each row's hash covers its content and the previous row's hash, and
 *     `audit_chain_head` holds the newest id and hash, so a deleted tail is noticed too.
 * An entry is tamper-evident from the moment it is sealed; `verifyAuditChain` reports how many
 * are still pending and since when.
 */
export interface AuditEntry {
  readonly actorType: 'applicant' | 'staff' | 'system' | 'anonymous';
  readonly actorId: string | null;
  /** What happened, e.g. `case.submitted`, `case.viewed`, `case.transition.confirm`, `staff.sign_in`. */
  readonly action: string;
  readonly caseId: string | null;
  /** Facts about the action. Never free-text personal data: ids, states, field names. */
  readonly details: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value as object).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

function auditHash(prevHash: string, row: { id: string; at: Date; actorType: string; actorId: string | null; action: string; caseId: string | null; details: unknown }): string {
  const body = canonical({
    id: String(row.id),
    at: row.at.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    action: row.action,
    caseId: row.caseId,
    details: row.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Appends an entry inside the caller's transaction (or alone, for an event that changes nothing else). */
export async function appendAudit(trx: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_pending')
    .values({
      // Millisecond precision: the value survives the round trip through timestamptz unchanged.
      at: new Date(Date.now()),
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      case_id: entry.caseId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}

/** Chains up to `batchSize` pending entries; returns how many it sealed. Safe to run concurrently. */
export async function sealAuditLog(db: Kysely<Database>, batchSize = 2000): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const head = await trx.selectFrom('audit_chain_head').select(['last_id', 'last_hash']).forUpdate().executeTakeFirstOrThrow();
    const pending = await trx.selectFrom('audit_pending').selectAll().orderBy('id').limit(batchSize).execute();
    if (pending.length === 0) return 0;
    let id = BigInt(head.last_id);
    let prevHash = head.last_hash;
    const rows = pending.map((p) => {
      id += 1n;
      const hash = auditHash(prevHash, { id: String(id), at: p.at, actorType: p.actor_type, actorId: p.actor_id, action: p.action, caseId: p.case_id, details: p.details });
      const row = { id: String(id), at: p.at, actor_type: p.actor_type, actor_id: p.actor_id, action: p.action, case_id: p.case_id, details: JSON.stringify(p.details), prev_hash: prevHash, hash };
      prevHash = hash;
      return row;
    });
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
    await trx.deleteFrom('audit_pending').where('id', 'in', pending.map((p) => p.id)).execute();
    await trx.updateTable('audit_chain_head').set({ last_id: String(id), last_hash: prevHash }).execute();
    return rows.length;
  });
}

/** Seals until nothing is pending (tests, the CLI's --seal, shutdown). */
export async function sealAll(db: Kysely<Database>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealAuditLog(db);
    total += n;
    if (n === 0) return total;
  }
}

export interface AuditProblem {
  readonly id: string;
  readonly problem: 'changed' | 'inserted_or_deleted' | 'tail_deleted' | 'head_mismatch';
  readonly detail: string;
}

/** Walks the whole chain in id order and reports every row that does not fit. */
export async function verifyAuditChain(db: Kysely<Database>, batchSize = 5000): Promise<{ rows: number; problems: AuditProblem[]; pending: number; oldestPending: Date | null }> {
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS;
  let prevId = 0n;
  let rows = 0;
  let after = '0';
  for (;;) {
    const batch = await db
      .selectFrom('audit_log')
      .selectAll()
      .where(sql<boolean>`id > ${after}::bigint`)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    for (const row of batch) {
      rows++;
      const id = BigInt(row.id);
      const recomputed = auditHash(row.prev_hash, {
        id: row.id,
        at: row.at,
        actorType: row.actor_type,
        actorId: row.actor_id,
        action: row.action,
        caseId: row.case_id,
        details: row.details,
      });
      if (recomputed !== row.hash) problems.push({ id: row.id, problem: 'changed', detail: 'content does not match its hash' });
      if (row.prev_hash !== prevHash || id !== prevId + 1n)
        problems.push({ id: row.id, problem: 'inserted_or_deleted', detail: `does not follow row ${prevId} (a row was inserted, deleted or re-linked)` });
      prevHash = row.hash;
      prevId = id;
    }
    if (batch.length < batchSize) break;
    after = batch[batch.length - 1]!.id;
  }
  const head = await db.selectFrom('audit_chain_head').select(['last_id', 'last_hash']).executeTakeFirst();
  if (head && (BigInt(head.last_id) !== prevId || head.last_hash !== prevHash)) {
    problems.push({
      id: String(head.last_id),
      problem: BigInt(head.last_id) > prevId ? 'tail_deleted' : 'head_mismatch',
      detail: `the chain head names row ${head.last_id}, the log ends at row ${prevId}`,
    });
  }
  const waiting = await db.selectFrom('audit_pending').select([sql<string>`count(*)::text`.as('n'), sql<Date | null>`min(at)`.as('oldest')]).executeTakeFirstOrThrow();
  return { rows, problems, pending: Number(waiting.n), oldestPending: waiting.oldest ? new Date(waiting.oldest) : null };
}
