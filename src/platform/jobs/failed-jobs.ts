import { CompiledQuery } from 'kysely';
import type { Executor, JobQueue } from './queue.ts';

/**
 * What administrators see of the job queue (ADR 0020): jobs that failed for good (retries used
 * up) and the counts per queue. Only the job's name, id, times, attempts and the start of its
 * error message are shown — never its payload (it carries ids only, but nobody needs them there),
 * and e-mail addresses in an error message (an SMTP refusal quotes the recipient) are masked.
 */

export interface FailedJob {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly failedAt: Date | null;
  /** Attempts made after the first one. */
  readonly retryCount: number;
  readonly retryLimit: number;
  /** The error message, shortened and with e-mail addresses masked; empty when pg-boss kept none. */
  readonly error: string;
}

export interface QueueCounts {
  readonly name: string;
  readonly created: number;
  readonly retry: number;
  readonly active: number;
  readonly failed: number;
}

const ERROR_PREVIEW_CHARS = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The error message for the list: one line, e-mail addresses masked, at most ERROR_PREVIEW_CHARS. */
export function errorPreview(message: string | null | undefined): string {
  const line = String(message ?? '')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[E-Mail]')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > ERROR_PREVIEW_CHARS ? `${line.slice(0, ERROR_PREVIEW_CHARS - 1)}…` : line;
}

/**
 * Failed jobs still in pg-boss's job table (retryable), newest failure first.
 *
 * Read from the table because pg-boss 12 has no call that lists jobs by state: `findJobs` finds
 * by id, singleton key or payload within one queue, and `getQueues` gives counts only. `pgboss.job`
 * is the partitioned parent of every queue's table in pg-boss 12 (schema version 46); the columns
 * read here (id, name, state, created_on, completed_on, retry_count, retry_limit, output) are
 * those of pg-boss 10 as well. jobs-routes.test.ts proves the list against jobs pg-boss failed.
 */
export async function listFailedJobs(db: Executor, options: { limit?: number } = {}): Promise<FailedJob[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  // pg-boss stores a thrown Error as { name, message, stack }, a timeout as { value: { message } }
  // and a plain string as { value }. The stack is never read.
  const result = await db.executeQuery<{ id: string; name: string; created_on: Date | string; completed_on: Date | string | null; retry_count: number; retry_limit: number; message: string | null }>(
    CompiledQuery.raw(
      `select id::text as id, name, created_on, completed_on, retry_count, retry_limit,
              coalesce(output->>'message', output->'value'->>'message', case when jsonb_typeof(output->'value') = 'string' then output->>'value' end) as message
         from pgboss.job
        where state = 'failed'
        order by completed_on desc nulls last, id
        limit $1`,
      [limit],
    ),
  );
  return result.rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: new Date(r.created_on),
    failedAt: r.completed_on === null ? null : new Date(r.completed_on),
    retryCount: Number(r.retry_count),
    retryLimit: Number(r.retry_limit),
    error: errorPreview(r.message),
  }));
}

/**
 * Jobs per queue and state (waiting, waiting to retry, running, failed); queues without any are left out.
 * Counted in the table, not taken from `getQueues`, whose counts are those of pg-boss's last
 * monitor pass (up to a minute old): right after a retry the page must show it.
 */
export async function queueCounts(db: Executor): Promise<QueueCounts[]> {
  const result = await db.executeQuery<{ name: string; created: string; retry: string; active: string; failed: string }>(
    CompiledQuery.raw(
      `select name,
              count(*) filter (where state = 'created')::text as created,
              count(*) filter (where state = 'retry')::text as retry,
              count(*) filter (where state = 'active')::text as active,
              count(*) filter (where state = 'failed')::text as failed
         from pgboss.job
        where state in ('created', 'retry', 'active', 'failed')
        group by name
        order by name`,
    ),
  );
  return result.rows.map((r) => ({ name: r.name, created: Number(r.created), retry: Number(r.retry), active: Number(r.active), failed: Number(r.failed) }));
}

/**
 * Sends one failed job round again. Returns its queue name, or undefined when no failed job has
 * that id (already retried, archived after FAILED_JOBS_KEPT_SECONDS, or never there).
 */
export async function retryFailedJob(jobs: JobQueue, id: string): Promise<{ name: string } | undefined> {
  if (!UUID.test(id)) return undefined;
  // The form sends the id only; pg-boss finds it in its queues (findJobs) and retries it.
  const job = await jobs.findById(id);
  if (job?.state !== 'failed') return undefined;
  return (await jobs.retry(job.name, id)) ? { name: job.name } : undefined;
}
