import { CompiledQuery, type Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/**
 * Background jobs on pg-boss, in the same PostgreSQL (or PGlite) as the business data.
 * pg-boss talks to the database through Kysely (`executeSql` adapter), so:
 *  - `enqueue(trx, ...)` writes the job inside the caller's transaction: a job exists if and
 *    only if the business change that asked for it committed;
 *  - on embedded PGlite, pg-boss shares the one serialised connection with everything else.
 */
export interface JobContext {
  readonly log: Logger;
}

export interface JobDefinition<T> {
  readonly name: string;
  /** Payloads arrive as unknown: an old job may carry an old shape. Throw to fail the job. */
  parse(data: unknown): T;
  handle(data: T, ctx: JobContext): Promise<void>;
  /** Retry policy, stated beside the job (see each job file for what it means in time). */
  readonly retry: { readonly limit: number; readonly delaySeconds: number; readonly backoff: boolean };
  /** Recurring jobs: a cron expression (UTC), scheduled once per cluster by pg-boss. */
  readonly cron?: string;
}

export type Executor = Pick<Kysely<any>, 'executeQuery'>;

/** How long a failed job stays retryable before pg-boss archives it. */
export const FAILED_JOBS_KEPT_SECONDS = 7 * 24 * 3600;

function adapter(executor: Executor): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[]) {
      const result = await executor.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] as any[] };
    },
  };
}

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly jobs = new Map<string, JobDefinition<any>>();
  private started = false;

  constructor(
    private readonly db: Kysely<any>,
    private readonly log: Logger,
    private readonly options: { pollingIntervalSeconds?: number; /** Maintenance and cron: off in web-only processes. */ maintenance?: boolean } = {},
  ) {
    this.boss = new PgBoss({
      db: adapter(db),
      schema: 'pgboss',
      schedule: options.maintenance ?? true,
      supervise: options.maintenance ?? true,
      maintenanceIntervalSeconds: 300,
      // Failed jobs stay in the job table, where `retry` finds them, for a week (pg-boss's default
      // moves them to the archive after 12 hours); /staff/admin/jobs lists them (ADR 0020).
      archiveFailedAfterSeconds: FAILED_JOBS_KEPT_SECONDS,
    });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
  }

  register(job: JobDefinition<any>): void {
    if (this.jobs.has(job.name)) throw new Error(`Job ${job.name} is registered twice`);
    this.jobs.set(job.name, job);
  }

  has(name: string): boolean {
    return this.jobs.has(name);
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    for (const job of this.jobs.values()) {
      await this.boss.createQueue(job.name, {
        name: job.name,
        retryLimit: job.retry.limit,
        retryDelay: job.retry.delaySeconds,
        retryBackoff: job.retry.backoff,
      });
      if (job.cron && (this.options.maintenance ?? true)) await this.boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
    }
    this.started = true;
  }

  /** Enqueue inside the caller's transaction. `singletonKey` makes a repeated enqueue a no-op. */
  async enqueue(trx: Executor, name: string, data: object, options: { singletonKey?: string } = {}): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`Unknown job ${name}`);
    await this.boss.send(name, data, {
      db: adapter(trx),
      retryLimit: job.retry.limit,
      retryDelay: job.retry.delaySeconds,
      retryBackoff: job.retry.backoff,
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
  }

  /**
   * The name of a registered job, for statements that write job rows themselves (the case
   * filer's batch insert); an unknown name fails here, as `enqueue` would.
   */
  checkedName(name: string): string {
    if (!this.jobs.has(name)) throw new Error(`Unknown job ${name}`);
    return name;
  }

  /** Starts the workers for every registered job (process role `worker` or `all`). */
  async work(): Promise<void> {
    for (const job of this.jobs.values()) {
      await this.boss.work(
        job.name,
        { batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 },
        async ([raw]) => {
          if (!raw) return;
          const log = this.log.child({ job: job.name, jobId: raw.id });
          const data = job.parse(raw.data);
          await job.handle(data, { log });
          log.debug('job done');
        },
      );
    }
  }

  /**
   * Sends a failed job round again (pg-boss `retry`: state back to `retry`, one more attempt
   * allowed). False when no failed job of that name and id is in the job table.
   */
  async retry(name: string, id: string): Promise<boolean> {
    // pg-boss 10.4 answers { jobs, requested, affected } although its types say void.
    const result = (await this.boss.retry(name, id)) as unknown as { affected?: number } | undefined;
    return (result?.affected ?? 0) > 0;
  }

  /** Counts of jobs by state, for /metrics and tests. */
  async counts(): Promise<Record<string, number>> {
    const result = await this.db.executeQuery<{ state: string; n: string }>(
      CompiledQuery.raw('select state::text as state, count(*)::text as n from pgboss.job group by state'),
    );
    return Object.fromEntries(result.rows.map((r) => [r.state, Number(r.n)]));
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 5000 });
  }
}
