import { sql, type Kysely } from 'kysely';
import { PREPARE } from '../platform/db/database.ts';
import type { JobQueue } from '../platform/jobs/queue.ts';
import { effectJobName } from './effects.ts';

/** One validated submission, ready to be stored (everything but the event id is decided). */
export interface NewCase {
  readonly id: string;
  readonly reference: string;
  readonly accessCodeHash: string;
  readonly serviceId: string;
  readonly serviceVersion: number;
  readonly state: string;
  readonly departmentId: string;
  readonly applicant: object;
  readonly formData: object;
  readonly submittedAt: Date;
  readonly dueAt: Date | null;
  readonly idempotencyScope: 'form' | 'api';
  readonly idempotencyKey: string;
  /** The owning citizen's account, when submitted signed in. */
  readonly citizenId?: string | null;
  /** The answer stored with the key, returned again to a retry. */
  readonly response: object;
  readonly auditAt: Date;
  readonly auditDetails: object;
  /** Effect names from the definition's `onSubmit`, each enqueued as a job with the first event. */
  readonly effects: readonly string[];
}

interface Waiting {
  readonly row: NewCase;
  resolve(): void;
  reject(err: unknown): void;
}

export interface CaseFilerOptions {
  /** Most submissions in one transaction. */
  readonly maxBatch?: number;
  /** Transactions in flight at once; beyond that, new submissions wait and join the next batch. */
  readonly maxConcurrent?: number;
}

/**
 * Stores submissions with group commit: while transactions are in flight, new submissions wait
 * (a few milliseconds) and are then written together, in one transaction: one statement for the
 * cases, their idempotency keys, audit entries and first events, and pg-boss's `insert` for the
 * jobs.
 * A submission's promise settles only after its transaction committed, so an acknowledged
 * submission is stored; if a batch fails, each of its submissions is tried again on its own, so
 * one bad row (a key used twice at the same moment) does not fail the others, and the failing
 * one gets its own error. Under light load every batch has one submission and nothing waits.
 *
 * Why: a submission's cost was mostly per transaction (round trips, commit, fsync), not per row
 * (bench/README.md); batching divides that cost by the batch size.
 */
export class CaseFiler {
  private readonly queue: Waiting[] = [];
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxConcurrent: number;
  /** Counters for /metrics and tests: transactions committed, the largest batch, rows retried alone. */
  readonly stats = { batches: 0, rows: 0, largestBatch: 0, retriedAlone: 0 };

  constructor(
    private readonly db: Kysely<any>,
    private readonly jobs: JobQueue,
    options: CaseFilerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxConcurrent = options.maxConcurrent ?? 4;
  }

  /** Resolves once the case is committed; rejects with the database's error for this row. */
  file(row: NewCase): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      // Submissions whose requests arrived in the same turn of the event loop go together.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.running++;
      void this.write(batch).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      await this.insert(batch.map((w) => w.row));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // Nothing of the batch was stored (one transaction). Each one alone, so that only the
      // row at fault fails; a row that fails again gets its own error.
      this.stats.retriedAlone += batch.length;
      await Promise.all(batch.map((w) => this.write([w])));
      return;
    }
    this.stats.batches++;
    this.stats.rows += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    for (const w of batch) w.resolve();
  }

  private async insert(rows: NewCase[]): Promise<void> {
    // Unknown effects fail the batch before anything is written.
    for (const r of rows) for (const effect of r.effects) this.jobs.assertKnown(effectJobName(effect));
    const input = rows.map((r, ord) => ({
      ord,
      id: r.id,
      reference: r.reference,
      access_code_hash: r.accessCodeHash,
      service_id: r.serviceId,
      service_version: r.serviceVersion,
      state: r.state,
      department_id: r.departmentId,
      applicant: r.applicant,
      form_data: r.formData,
      submitted_at: r.submittedAt.toISOString(),
      due_at: r.dueAt?.toISOString() ?? null,
      scope: r.idempotencyScope,
      key: r.idempotencyKey,
      citizen_id: r.citizenId ?? null,
      response: r.response,
      audit_at: r.auditAt.toISOString(),
      audit_details: r.auditDetails,
    }));
    // One transaction for the batch: one statement for the cases, their idempotency records,
    // audit entries (sealed into the chain later, efile/audit-chain.ts) and first timeline events;
    // then pg-boss's `insert`, one statement per queue, for the jobs their effects ask for, each job
    // naming its event (ADR 0008). The jobs take their queue's retry, expiry and retention settings.
    await this.db.transaction().execute(async (trx) => {
      const { rows: events } = await sql<{ case_id: string; event_id: string }>`${sql.raw(PREPARE)}
        with input as (
          select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x (
            ord int, id uuid, reference text, access_code_hash text, service_id text, service_version int, state text,
            department_id text, applicant jsonb, form_data jsonb, submitted_at timestamptz, due_at timestamptz,
            scope text, key text, citizen_id uuid, response jsonb, audit_at timestamptz, audit_details jsonb)
        ), c as (
          insert into cases (id, reference, access_code_hash, service_id, service_version, state, department_id, applicant, form_data, submitted_at, updated_at, due_at, citizen_id)
          select id, reference, access_code_hash, service_id, service_version, state, department_id, applicant, form_data, submitted_at, submitted_at, due_at, citizen_id
          from input order by ord
          returning id
        ), k as (
          insert into idempotency_keys (scope, key, case_id, response)
          select scope, key, c.id, response from input join c using (id) order by ord
        ), a as (
          insert into audit_pending (at, actor_type, actor_id, action, case_id, details)
          select audit_at, 'applicant', null, 'case.submitted', c.id, audit_details from input join c using (id) order by ord
        )
        insert into case_events (case_id, at, kind, to_state, actor_type, public, payload)
        select c.id, submitted_at, 'submitted', state, 'applicant', true, jsonb_build_object('channel', scope)
        from input join c using (id) order by ord
        returning case_id::text as case_id, id::text as event_id`.execute(trx);
      const eventOf = new Map(events.map((e) => [e.case_id, e.event_id]));
      const jobs = new Map<string, { data: { caseId: string; eventId: string } }[]>();
      for (const r of rows) {
        const eventId = eventOf.get(r.id);
        if (!eventId) throw new Error(`No first event was written for case ${r.id}`);
        for (const effect of r.effects) {
          const name = effectJobName(effect);
          const list = jobs.get(name) ?? [];
          list.push({ data: { caseId: r.id, eventId } });
          jobs.set(name, list);
        }
      }
      for (const [name, list] of jobs) await this.jobs.insert(trx, name, list);
    });
  }
}
