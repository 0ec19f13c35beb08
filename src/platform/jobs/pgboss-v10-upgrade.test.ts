import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import pino from 'pino';
import { testDatabase } from '../../test-support/runtime.ts';
import { waitFor } from '../../test-support/wait-for.ts';
import { JobQueue, type JobDefinition } from './queue.ts';

const QUEUE = 'amtsweg.upgrade-probe';
const log = pino({ level: 'silent' });
let database: Awaited<ReturnType<typeof testDatabase>>;
let db: Kysely<any>;
const handled: number[] = [];
const probe: JobDefinition<{ n: number }> = {
  name: QUEUE,
  parse: (data) => {
    const n = (data as { n?: unknown } | null)?.n;
    if (typeof n !== 'number') throw new Error('payload needs n');
    return { n };
  },
  handle: async ({ n }) => {
    handled.push(n);
  },
  retry: { limit: 3, delaySeconds: 1, backoff: false },
};

function queue(): JobQueue {
  const jobs = new JobQueue(db, log, { pollingIntervalSeconds: 0.5 });
  jobs.register(probe);
  return jobs;
}

before(async () => {
  database = await testDatabase();
  db = database.db;
  // What an installation made with pg-boss 10.4.2 has: its schema, a queue and jobs in every state.
  await sql.raw(await readFile(new URL('./pgboss-v10-schema.sql', import.meta.url), 'utf8')).execute(db);
  for (const name of [QUEUE, 'amtsweg.retired']) {
    await sql`select pgboss.create_queue(${name}, ${JSON.stringify({ policy: 'standard', retryLimit: 2 })}::json)`.execute(db);
  }
  await sql`insert into pgboss.job (name, data, state, singleton_key) values
    (${QUEUE}, '{"n":1}', 'created', 'one'),
    (${QUEUE}, '{"n":2}', 'retry', null),
    (${QUEUE}, '{"n":3}', 'active', null),
    (${QUEUE}, '{"n":4}', 'failed', null),
    (${QUEUE}, '{"n":5}', 'completed', null),
    ('amtsweg.retired', '{"n":6}', 'created', null)`.execute(db);
});
after(async () => database?.close());

const schemaVersion = async (schema: string) =>
  Number((await sql<{ version: number }>`select version from ${sql.id(schema, 'version')}`.execute(db)).rows[0]?.version);
const v10States = async () =>
  (await sql<{ n: number; state: string }>`select (data->>'n')::int as n, state::text as state from pgboss_v10.job order by 1`.execute(db)).rows;

test('a pg-boss 10 schema is moved aside; its waiting jobs are taken over by pg-boss 12 and worked', async () => {
  const jobs = queue();
  await jobs.start();
  try {
    assert.ok((await schemaVersion('pgboss')) >= 25, 'pg-boss 12 installed its own schema');
    assert.equal(await schemaVersion('pgboss_v10'), 24, 'the old schema is kept under another name');
    assert.deepEqual(
      await v10States(),
      [{ n: 4, state: 'failed' }, { n: 5, state: 'completed' }, { n: 6, state: 'created' }],
      'finished jobs and jobs of queues that no longer exist stay behind',
    );
    const moved = (await sql<{ id: string; n: number; state: string; retry_limit: number; singleton_key: string | null }>`
      select id::text as id, (data->>'n')::int as n, state::text as state, retry_limit, singleton_key from pgboss.job where name = ${QUEUE} order by 2`.execute(db)).rows;
    assert.deepEqual(moved.map((j) => [j.n, j.state, j.retry_limit, j.singleton_key]), [[1, 'created', 3, 'one'], [2, 'created', 3, null], [3, 'created', 3, null]], 'the waiting jobs, with the retry policy of their queue now');
    await jobs.work();
    for (const job of moved) {
      await waitFor(async () => ((await jobs.find(QUEUE, job.id))?.state === 'completed' ? true : undefined), `job ${job.n} to complete`);
    }
    assert.deepEqual([...handled].sort(), [1, 2, 3], 'each moved job ran once');
  } finally {
    await jobs.stop();
  }
});

test('starting again after the upgrade moves nothing twice', async () => {
  const jobs = queue();
  await jobs.start();
  try {
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from pgboss.job where name = ${QUEUE}`.execute(db);
    assert.equal(Number(rows[0]!.n), 3);
    assert.equal((await v10States()).length, 3);
  } finally {
    await jobs.stop();
  }
});
