import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * The append-only, hash-chained audit log. Each row's hash covers its content and the previous
 * row's hash; `audit_chain_head` holds the newest id and hash, so a deleted tail is noticed too.
 * Appending locks the head row, which serialises writers; callers append as the last step of
 * their transaction to keep that lock short.
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

export function auditHash(prevHash: string, row: { id: string; at: Date; actorType: string; actorId: string | null; action: string; caseId: string | null; details: unknown }): string {
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

export async function appendAudit(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  const head = await trx.selectFrom('audit_chain_head').select(['last_id', 'last_hash']).forUpdate().executeTakeFirstOrThrow();
  const id = String(BigInt(head.last_id) + 1n);
  // Millisecond precision: the value survives the round trip through timestamptz unchanged.
  const at = new Date(Math.floor(Date.now()));
  const hash = auditHash(head.last_hash, { id, at, actorType: entry.actorType, actorId: entry.actorId, action: entry.action, caseId: entry.caseId, details: entry.details });
  await trx
    .insertInto('audit_log')
    .values({
      id,
      at,
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      case_id: entry.caseId,
      details: JSON.stringify(entry.details),
      prev_hash: head.last_hash,
      hash,
    })
    .execute();
  await trx.updateTable('audit_chain_head').set({ last_id: id, last_hash: hash }).execute();
}

export interface AuditProblem {
  readonly id: string;
  readonly problem: 'changed' | 'inserted_or_deleted' | 'tail_deleted' | 'head_mismatch';
  readonly detail: string;
}

/** Walks the whole chain in id order and reports every row that does not fit. */
export async function verifyAuditChain(db: Kysely<Database>, batchSize = 5000): Promise<{ rows: number; problems: AuditProblem[] }> {
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
  return { rows, problems };
}
