import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../app.ts';
import type { Actor } from '../cases/case-deps.ts';
import type { CityConfig } from '../catalogue/city.ts';
import { loadConfig, type Config } from '../config.ts';
import { DEMO_STAFF, seedDemoStaff } from '../identity/demo-data.ts';
import { openDatabase } from '../platform/db/database.ts';
import { createRuntime, type Runtime } from '../runtime.ts';

/**
 * Real databases for tests. By default an in-memory PGlite; with TEST_DATABASE=postgres a fresh
 * database `amtsweg_test_<random>` on the machine's PostgreSQL (TEST_PG_ADMIN_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped again by `close()`.
 */
export const onPostgres = process.env.TEST_DATABASE === 'postgres';
const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestRuntime extends Runtime {
  /** Closes the runtime and drops the test database. */
  close(): Promise<void>;
}

async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `amtsweg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A bare test database (no migrations, no runtime), for tests of what comes before start-up. */
export async function testDatabase(): Promise<{ db: Kysely<any>; close(): Promise<void> }> {
  const database = onPostgres ? await createTestDatabase() : undefined;
  const handle = await openDatabase<any>({ databaseUrl: database?.url, dataDir: 'memory://' });
  return {
    db: handle.db,
    async close() {
      await handle.close();
      await database?.drop();
    },
  };
}

export async function testRuntime(options: { now?: () => Date; config?: Partial<Config>; jobPollingSeconds?: number; log?: Logger; /** A city configuration instead of cities/halle.json (e.g. with an external authority). */ city?: CityConfig } = {}): Promise<TestRuntime> {
  const database = onPostgres ? await createTestDatabase() : undefined;
  const config = loadConfig({ AMTSWEG_PROFILE: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }, { dataDir: 'memory://', databaseUrl: database?.url, ...options.config });
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, { ...(options.now ? { now: options.now } : {}), ...(options.log ? { log: options.log } : {}), ...(options.city ? { city: options.city } : {}), jobPollingSeconds: options.jobPollingSeconds ?? 0.5 });
  } catch (err) {
    await database?.drop();
    throw err;
  }
  await seedDemoStaff(runtime.db);
  return {
    ...runtime,
    async close() {
      await runtime.close();
      await database?.drop();
    },
  };
}

export async function testApp(options: Parameters<typeof testRuntime>[0] = {}): Promise<{ app: FastifyInstance; runtime: TestRuntime; close(): Promise<void> }> {
  const runtime = await testRuntime(options);
  const app = await buildApp(runtime);
  await app.ready();
  return {
    app,
    runtime,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

export const demoStaff = (username: string) => {
  const s = DEMO_STAFF.find((d) => d.username === username);
  if (!s) throw new Error(`no demo staff ${username}`);
  return s;
};

/** A complete, valid Versammlungsanzeige relative to `now` (assembly in 3 weeks, announcement in 1 week). */
export function validAssembly(now: Date = new Date(), overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const day = (offset: number) => new Date(now.getTime() + offset * 24 * 3600_000).toISOString().slice(0, 10);
  return {
    organiserName: 'Erika Mustermann',
    organisation: '',
    street: 'Marktplatz 1',
    postcode: '06108',
    town: 'Halle (Saale)',
    email: 'erika@example.org',
    phone: '',
    leaderName: 'Erika Mustermann',
    leaderPhone: '0345 123456',
    deputyName: '',
    subject: 'Für mehr Grün in der Stadt',
    kind: 'stationary',
    date: day(21),
    startTime: '14:00',
    endTime: '16:00',
    endDate: '',
    place: 'Marktplatz',
    participants: '100',
    stewards: '5',
    aids: ['banners'],
    aidsDetails: '',
    alreadyAnnounced: 'no',
    announcementDate: day(7),
    announcementTime: '10:00',
    ...overrides,
  };
}

/** A demo staff member as a case-function actor (their role grants from the database). */
export async function staffActor(db: Runtime['db'], username: string): Promise<Extract<Actor, { type: 'staff' }>> {
  const user = await db.selectFrom('staff_users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const grants = await db.selectFrom('role_grants').select(['department_id', 'role']).where('staff_user_id', '=', user.id).execute();
  return { type: 'staff', id: user.id, grants: grants.map((g) => ({ departmentId: g.department_id, role: g.role })) };
}
