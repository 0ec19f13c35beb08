import { sql, type Kysely } from 'kysely';
import type { JobInsert } from 'pg-boss';
import type { Logger } from 'pino';

/**
 * Installations made before pg-boss 12 have pg-boss 10's schema (schema version 24 or lower).
 * pg-boss 11 rewrote its schema and ships no migration from 10: pg-boss 12 refuses to start on it
 * ("the oldest supported starting version is 25"), and pg-boss's maintainer advises installing
 * the new version beside the old one and moving the jobs over
 * (https://github.com/timgit/pg-boss/issues/590, release notes of 11.0.0). So (ADR 0002):
 *  1. before pg-boss starts, a v10 schema `pgboss` is renamed to `pgboss_v10` (one statement,
 *     under an advisory lock, so of several processes starting at once exactly one renames it);
 *  2. pg-boss 12 installs a fresh `pgboss` and the queues are created;
 *  3. the jobs still to run (created, retry, and active ones, whose run was cut off by the
 *     upgrade: jobs are idempotent) are inserted through pg-boss's `insert`, keeping their id,
 *     payload, priority, start time and singleton key, and deleted from `pgboss_v10` in the same
 *     transaction, so a crash in between neither loses nor doubles one.
 * What stays in `pgboss_v10` (completed and failed jobs, jobs of queues that no longer exist) is
 * left there for inspection; nothing reads it afterwards and it can be dropped.
 */

export const PGBOSS_SCHEMA = 'pgboss';
const PGBOSS_V10_SCHEMA = 'pgboss_v10';
/** pg-boss 11.0's schema version, the oldest pg-boss 12 migrates from; pg-boss 10 wrote 21–24. */
const FIRST_SCHEMA_VERSION_AFTER_V10 = 25;
const LOCK = sql`select pg_advisory_xact_lock(hashtext('amtsweg:pgboss-v10-upgrade'))`;

async function schemaExists(db: Kysely<any>, name: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`select exists (select 1 from pg_namespace where nspname = ${name}) as found`.execute(db);
  return rows[0]?.found === true;
}

/**
 * Step 1: moves a pg-boss 10 schema aside. True when `pgboss_v10` exists afterwards (renamed now,
 * or earlier and perhaps not emptied yet), so that its waiting jobs get moved once pg-boss runs.
 */
export async function upgradeFromPgBoss10(db: Kysely<any>, log: Logger): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await LOCK.execute(trx);
    const { rows } = await sql<{ version: string | null }>`select to_regclass(${`${PGBOSS_SCHEMA}.version`})::text as version`.execute(trx);
    if (rows[0]?.version) {
      const found = await sql<{ version: number }>`select version from ${sql.id(PGBOSS_SCHEMA, 'version')}`.execute(trx);
      const version = Number(found.rows[0]?.version);
      if (Number.isInteger(version) && version < FIRST_SCHEMA_VERSION_AFTER_V10) {
        if (await schemaExists(trx, PGBOSS_V10_SCHEMA)) {
          throw new Error(
            `The job queue's schema "${PGBOSS_SCHEMA}" is pg-boss 10's (version ${version}) and "${PGBOSS_V10_SCHEMA}" exists already, ` +
              `so it cannot be moved aside for pg-boss 12. Move the jobs still waiting in "${PGBOSS_V10_SCHEMA}" elsewhere and drop it (docs/adr/0002).`,
          );
        }
        await sql`alter schema ${sql.id(PGBOSS_SCHEMA)} rename to ${sql.id(PGBOSS_V10_SCHEMA)}`.execute(trx);
        log.warn({ schemaVersion: version }, `pg-boss 10 schema renamed to ${PGBOSS_V10_SCHEMA}; pg-boss 12 installs a new one and takes over its waiting jobs`);
        return true;
      }
    }
    return schemaExists(trx, PGBOSS_V10_SCHEMA);
  });
}

interface V10Job {
  id: string;
  name: string;
  data: object | null;
  priority: number;
  start_after: Date | string;
  singleton_key: string | null;
}

/** Step 3: moves the jobs still to run from `pgboss_v10` into pg-boss 12's queues. */
export async function moveJobsFromPgBoss10(
  db: Kysely<any>,
  queue: { names(): string[]; insert(trx: Kysely<any>, name: string, jobs: readonly JobInsert[]): Promise<void> },
  log: Logger,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await LOCK.execute(trx);
    if (!(await schemaExists(trx, PGBOSS_V10_SCHEMA))) return;
    const names = queue.names();
    const { rows } = await sql<V10Job>`
      select id::text as id, name, data, priority, start_after, singleton_key
        from ${sql.id(PGBOSS_V10_SCHEMA, 'job')}
       where state in ('created', 'retry', 'active') and name = any(${names}::text[])
       order by created_on, id
       for update`.execute(trx);
    if (rows.length === 0) return;
    for (const name of names) {
      const jobs: JobInsert[] = rows
        .filter((r) => r.name === name)
        .map((r) => ({
          id: r.id,
          data: r.data ?? {},
          priority: r.priority,
          startAfter: new Date(r.start_after),
          ...(r.singleton_key ? { singletonKey: r.singleton_key } : {}),
        }));
      await queue.insert(trx, name, jobs);
    }
    await sql`delete from ${sql.id(PGBOSS_V10_SCHEMA, 'job')} where id = any(${rows.map((r) => r.id)}::uuid[])`.execute(trx);
    log.warn({ moved: rows.length }, `waiting jobs moved from ${PGBOSS_V10_SCHEMA} to pg-boss 12; completed and failed ones stay there`);
  });
}
