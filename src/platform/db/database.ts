import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';

export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle<DB> {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it, PGlite in `dataDir` (or in memory for `memory://`). */
  readonly databaseUrl?: string | undefined;
  readonly dataDir?: string;
  readonly poolSize?: number;
  /** Errors of idle pooled connections (database restart, failover). Without a handler they crash the process. */
  readonly onConnectionError?: (err: Error) => void;
}

// jsonb and timestamps come back as JSON values and Date on both engines; bigint ids as strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

/** Marks a statement on the hot path: on PostgreSQL it becomes a named prepared statement. */
export const PREPARE = '/* amtsweg:prepare */';
// pg-boss's job insert (`send`/`insert`; v12 writes `pgboss.job_common` or a queue's own partition)
// is the costliest statement of a transition (bench/README.md). Its text differs per queue, so
// there is one prepared statement per queue and connection, a bounded number.
const PREPARED = [PREPARE, 'INSERT INTO pgboss.job'];
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `aw_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * A text of several statements (only possible without parameters) answers node-postgres with one
 * result per statement, which Kysely would read as no rows. pg-boss 12 sends such texts
 * (`BEGIN; SELECT pg_advisory_xact_lock(...); ...; COMMIT`) and needs the rows of every statement
 * in them, so they come back as one result with all the rows, in order, as on PGlite
 * (pglite-dialect.ts).
 */
function mergeResults(result: any): any {
  if (!Array.isArray(result)) return result;
  const last = result[result.length - 1];
  return { ...last, command: last?.command, rowCount: last?.rowCount ?? null, rows: result.flatMap((r: any) => r?.rows ?? []) };
}

/**
 * Parsing and planning cost more than executing the few statements every submission sends, so
 * those are prepared once per connection. Only marked statements: a statement whose text varies
 * (lists of ids, filters) would fill the server with plans.
 */
class PreparingClient extends pg.Client {
  override query(config: unknown, values?: unknown, callback?: unknown): any {
    let result: any;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && PREPARED.some((marker) => config.trimStart().startsWith(marker))) {
      result = (super.query as any)({ name: statementName(config), text: config, values }, callback);
    } else {
      result = (super.query as any)(config, values, callback);
    }
    return result && typeof result.then === 'function' ? result.then(mergeResults) : result;
  }
}

/**
 * The PostgreSQL major version inside the embedded PGlite (0.6 runs PostgreSQL 19; 0.3 ran 17).
 * database.test.ts checks it against the installed PGlite, so an upgrade that changes it fails there.
 */
export const PGLITE_POSTGRES_MAJOR = '19';

/**
 * PostgreSQL opens only data directories of its own major version, and PGlite 0.6 given a 0.3
 * directory fails with nothing but "PGlite failed to initialize properly". Read the directory's
 * PG_VERSION first, and refuse before PGlite touches it, with what to do (ADR 0027).
 */
function refuseOtherMajor(location: string): void {
  const versionFile = path.join(location, 'PG_VERSION');
  if (!existsSync(versionFile)) return;
  const found = readFileSync(versionFile, 'utf8').trim();
  if (found === PGLITE_POSTGRES_MAJOR) return;
  throw new Error(
    [
      `The embedded database in ${location} was written by PostgreSQL ${found}${found === '17' ? ' (PGlite 0.3, Amtsweg before ADR 0027)' : ''}; this Amtsweg embeds PGlite with PostgreSQL ${PGLITE_POSTGRES_MAJOR}, which cannot open it. Nothing was changed.`,
      `- Development data you do not need: move the directory aside (mv ${location} ${location}-pg${found}) and start again; migrations create a new database.`,
      `- Data you want to keep: dump it with the old PGlite and load the dump into a new directory, step by step in docs/adr/0027-dependency-majors-on-node-24.md.`,
    ].join('\n'),
  );
}

export async function openDatabase<DB>(options: DatabaseOptions): Promise<DatabaseHandle<DB>> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20, Client: PreparingClient });
    pool.on('error', (err) => options.onConnectionError?.(err));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  let location: string | undefined;
  if (options.dataDir && options.dataDir !== 'memory://') {
    location = path.join(options.dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
    refuseOtherMajor(location);
  }
  // Loaded only for the embedded engine: a process on PostgreSQL does not carry PGlite (ADR 0026).
  const { PGlite } = await import('@electric-sql/pglite');
  // Same value shapes as node-postgres: bigint (int8) as string.
  const pglite = new PGlite(location, { parsers: { 20: (value: string) => value } });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, engine: 'pglite', close: () => db.destroy() };
}

function migrator(db: Kysely<any>, migrations: Record<string, Migration>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Applies every pending migration in order; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>, migrations: Record<string, Migration>): Promise<string[]> {
  const { error, results } = await migrator(db, migrations).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied (used by /ready). */
export async function migrationsAreCurrent(db: Kysely<any>, migrations: Record<string, Migration>): Promise<boolean> {
  const applied = await migrator(db, migrations).getMigrations();
  return applied.every((m) => m.executedAt !== undefined);
}

export async function ping(db: Kysely<any>): Promise<void> {
  await sql`select 1`.execute(db);
}
