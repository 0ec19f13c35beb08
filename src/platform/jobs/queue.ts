import { CompiledQuery, type Kysely } from 'kysely';
import { fromKysely, PgBoss, type Db, type JobInsert } from 'pg-boss';
import type { Logger } from 'pino';
import { PGBOSS_SCHEMA, upgradeFromPgBoss10, moveJobsFromPgBoss10 } from './pgboss-v10-upgrade.ts';

/**
 * Background jobs on pg-boss 12, in the same PostgreSQL (or PGlite) as the business data.
 * pg-boss talks to the database through Kysely (its documented `fromKysely` adapter), so:
 *  - `enqueue(trx, ...)` and `insert(trx, ...)` write jobs inside the caller's transaction
 *    (pg-boss's `db` option on `send`/`insert`): a job exists if and only if the business change
 *    that asked for it committed;
 *  - on embedded PGlite, pg-boss shares the one serialised connection with everything else.
 * pg-boss sends some statements as one multi-statement text (BEGIN; advisory lock; ...; COMMIT)
 * and reads the rows of every statement in it; both of our Kysely drivers answer such a text with
 * the rows of all its statements (platform/db).
 */
interface JobContext {
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
const FAILED_JOBS_KEPT_SECONDS = 7 * 24 * 3600;

/** pg-boss on the caller's connection or transaction (the `db` option of `send` and `insert`). */
function adapter(executor: Executor): Db {
  return fromKysely(executor);
}

/**
 * pg-boss's own statements, on the shared Kysely pool (or PGlite's one session). A text without
 * parameters may be a whole transaction (`BEGIN; ...; COMMIT`); if one of its statements fails,
 * PostgreSQL leaves the session in the aborted transaction, which on PGlite's single session
 * would fail every later query of the application. So such a text runs on one connection held
 * for it, and a failure is followed by ROLLBACK on that connection (as pg-boss's own PGlite
 * adapter does).
 */
function sessionAdapter(db: Kysely<any>): Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      if (values.length > 0) return adapter(db).executeSql(text, values);
      return db.connection().execute(async (conn) => {
        try {
          return await adapter(conn).executeSql(text, values);
        } catch (err) {
          await conn.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined);
          throw err;
        }
      });
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
      db: sessionAdapter(db),
      schema: PGBOSS_SCHEMA,
      schedule: options.maintenance ?? true,
      supervise: options.maintenance ?? true,
      maintenanceIntervalSeconds: 300,
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

  /** A registered job's definition (its retry policy, for instance). */
  definition(name: string): JobDefinition<unknown> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`Unknown job ${name}`);
    return job;
  }

  async start(): Promise<void> {
    if (this.started) return;
    // pg-boss 12 cannot migrate pg-boss 10's schema; an installation that has one is moved aside
    // first and its waiting jobs carried over below (ADR 0002).
    const upgraded = await upgradeFromPgBoss10(this.db, this.log);
    await this.boss.start();
    for (const job of this.jobs.values()) {
      // Each job's retry policy is stated in code; the queue row is brought in line at every start
      // (createQueue leaves an existing queue as it is). Jobs take their queue's settings.
      const settings = {
        retryLimit: job.retry.limit,
        retryDelay: job.retry.delaySeconds,
        retryBackoff: job.retry.backoff,
        // Failed (and completed) jobs stay in the job table, where `retry` finds them, for a week;
        // /staff/admin/jobs lists the failed ones (ADR 0020).
        deleteAfterSeconds: FAILED_JOBS_KEPT_SECONDS,
      };
      await this.boss.createQueue(job.name, settings);
      await this.boss.updateQueue(job.name, settings);
      if (job.cron && (this.options.maintenance ?? true)) await this.boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
    }
    if (upgraded) await moveJobsFromPgBoss10(this.db, this, this.log);
    this.started = true;
  }

  /** Enqueue inside the caller's transaction. `singletonKey` makes a repeated enqueue a no-op. */
  async enqueue(trx: Executor, name: string, data: object, options: { singletonKey?: string } = {}): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`Unknown job ${name}`);
    await this.boss.send(name, data, { db: adapter(trx), ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}) });
  }

  /**
   * Enqueues several jobs of one queue in one statement inside the caller's transaction (pg-boss's
   * `insert` with the `db` option). The jobs take their queue's retry, expiry and retention
   * settings. Used by the case filer, which writes a whole batch of submissions at once.
   */
  async insert(trx: Executor, name: string, jobs: readonly JobInsert[]): Promise<void> {
    if (!this.jobs.has(name)) throw new Error(`Unknown job ${name}`);
    if (jobs.length === 0) return;
    await this.boss.insert(name, [...jobs], { db: adapter(trx) });
  }

  /** Throws for a job name nobody registered (checked before a transaction starts). */
  assertKnown(name: string): void {
    if (!this.jobs.has(name)) throw new Error(`Unknown job ${name}`);
  }

  /** Names of the registered jobs, which are also their queues' names. */
  names(): string[] {
    return [...this.jobs.keys()];
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
    // pg-boss 12 answers { jobs, requested, affected } although its types declare an empty object.
    const result = (await this.boss.retry(name, id)) as { affected?: number } | undefined;
    return (result?.affected ?? 0) > 0;
  }

  /** A job by its queue and id (pg-boss `findJobs`), or undefined. */
  async find(name: string, id: string): Promise<{ readonly name: string; readonly state: string } | undefined> {
    const [job] = await this.boss.findJobs(name, { id });
    return job ? { name: job.name, state: job.state } : undefined;
  }

  /**
   * A job by its id alone, in whichever queue holds it. pg-boss addresses jobs by queue and id,
   * so every queue in the database is asked (`getQueues`, then `findJobs`, a primary-key lookup
   * each): queues of other processes or retired job definitions included. For an administrator's
   * click, not for a hot path.
   */
  async findById(id: string): Promise<{ readonly name: string; readonly state: string } | undefined> {
    for (const queue of await this.boss.getQueues()) {
      const job = await this.find(queue.name, id);
      if (job) return job;
    }
    return undefined;
  }

  /**
   * Counts of jobs by state, for /metrics and tests. Read from pg-boss's job table (the parent of
   * its per-queue partitions in v12) because pg-boss's own counts (`getQueues`) are those of its
   * last monitor pass, up to a minute old, and leave out completed jobs.
   */
  async counts(): Promise<Record<string, number>> {
    const result = await this.db.executeQuery<{ state: string; n: string }>(
      CompiledQuery.raw(`select state::text as state, count(*)::text as n from ${PGBOSS_SCHEMA}.job group by state`),
    );
    return Object.fromEntries(result.rows.map((r) => [r.state, Number(r.n)]));
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, close: false, timeout: 5000 });
  }
}
