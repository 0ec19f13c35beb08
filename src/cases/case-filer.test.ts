import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { sealAll, verifyAuditChain } from '../efile/audit-chain.ts';
import { onPostgres, testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { waitFor } from '../test-support/wait-for.ts';
import { submitCase } from './submit-case.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime({ jobPollingSeconds: 0.5 });
});
after(async () => rt?.close());

const submit = (key: string, overrides: Record<string, string | string[]> = {}) =>
  submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now(), overrides), idempotencyScope: 'api', idempotencyKey: key });

const countFor = async (table: string, caseIds: string[]) =>
  Number((await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)} where case_id = any(${caseIds}::uuid[])`.execute(rt.db)).rows[0]!.n);

test(`simultaneous submissions are committed together, each complete (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, async () => {
  const batchesBefore = rt.caseFiler.stats.batches;
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(`batch-${i}`, { subject: `Versammlung ${i}` })));
  const ids = results.map((r) => r.caseId);
  assert.equal(new Set(ids).size, 40, 'forty distinct cases');
  assert.equal(new Set(results.map((r) => r.reference)).size, 40, 'forty distinct references');
  assert.ok(rt.caseFiler.stats.batches - batchesBefore < 40, `fewer transactions than submissions (${rt.caseFiler.stats.batches - batchesBefore})`);
  assert.ok(rt.caseFiler.stats.largestBatch > 1, 'at least one batch held several submissions');

  const rows = await rt.db.selectFrom('cases').select(['id', 'form_data']).where('id', 'in', ids).execute();
  assert.equal(rows.length, 40);
  for (const [i, r] of results.entries()) {
    const row = rows.find((x) => x.id === r.caseId);
    assert.equal((row?.form_data as Record<string, unknown>).subject, `Versammlung ${i}`, 'each case holds its own answers');
  }
  assert.equal(await countFor('case_events', ids), 40, 'one first event per case');
  assert.equal(await countFor('idempotency_keys', ids), 40, 'one idempotency record per case');
  assert.equal(await countFor('audit_entries', ids), 40, 'one audit entry per case');
  const jobs = await sql<{ case_id: string; event_id: string }>`
    select data->>'caseId' as case_id, data->>'eventId' as event_id from pgboss.job where name = 'mail.receipt' and data->>'caseId' = any(${ids})`.execute(rt.db);
  assert.equal(jobs.rows.length, 40, 'one receipt job per case');
  const events = await rt.db.selectFrom('case_events').select(['id', 'case_id']).where('case_id', 'in', ids).execute();
  for (const job of jobs.rows) {
    assert.equal(String(events.find((e) => e.case_id === job.case_id)?.id), job.event_id, 'the job names its own case\'s event');
  }
  await sealAll(rt.db);
  const chain = await verifyAuditChain(rt.db);
  assert.deepEqual(chain.problems, [], 'the audit chain verifies after the batch');
  assert.equal(chain.pending, 0, 'every entry is sealed');
});

test('a row that fails in a batch fails alone; the others of its batch are stored', async () => {
  const retriedBefore = rt.caseFiler.stats.retriedAlone;
  const first = await submit('dup-in-batch');
  // The same key again, among fresh ones, at the same moment: the batch's insert hits the
  // unique key, the batch is retried row by row, the repeat gets the first answer.
  const [a, repeat, b] = await Promise.all([submit('fresh-a'), submit('dup-in-batch'), submit('fresh-b')]);
  assert.equal(repeat!.caseId, first.caseId, 'the repeated key gets the first case');
  assert.equal(repeat!.replayed, true);
  assert.notEqual(a!.caseId, b!.caseId);
  const stored = await rt.db.selectFrom('cases').select('id').where('id', 'in', [a!.caseId, b!.caseId]).execute();
  assert.equal(stored.length, 2, 'the other two submissions of the batch are stored');
  assert.ok(rt.caseFiler.stats.retriedAlone > retriedBefore, 'the batch was retried row by row');
});

test('a batch writes its jobs in the cases\' transaction: a job that cannot be written takes its case with it', async () => {
  // A trigger on pg-boss's job table refuses the job of one case (chosen by its answers), so that
  // the batch fails after its cases were inserted, at pg-boss's `insert`.
  await sql`create function refuse_poisoned_job() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from cases where id = (new.data->>'caseId')::uuid and form_data->>'subject' = 'Gift') then
        raise exception 'job refused for the test';
      end if;
      return new;
    end $$`.execute(rt.db);
  await sql`create trigger refuse_poisoned_job before insert on pgboss.job_common for each row execute function refuse_poisoned_job()`.execute(rt.db);
  try {
    const retriedBefore = rt.caseFiler.stats.retriedAlone;
    const [a, poisoned, b] = await Promise.allSettled([submit('job-tx-a'), submit('job-tx-poisoned', { subject: 'Gift' }), submit('job-tx-b')]);
    assert.equal(poisoned.status, 'rejected', 'the submission whose job cannot be written fails');
    assert.ok(a.status === 'fulfilled' && b.status === 'fulfilled', 'the others of its batch are stored');
    assert.ok(rt.caseFiler.stats.retriedAlone > retriedBefore, 'the batch was retried row by row');
    const ids = [a.value.caseId, b.value.caseId];
    const poisonedCases = await rt.db.selectFrom('cases').select('id').where(sql<boolean>`form_data->>'subject' = 'Gift'`).execute();
    assert.deepEqual(poisonedCases, [], 'no case without its job');
    const key = await rt.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'job-tx-poisoned').executeTakeFirst();
    assert.equal(key, undefined, 'no idempotency record either');
    const jobs = await sql<{ case_id: string }>`select data->>'caseId' as case_id from pgboss.job where name = 'mail.receipt' and data->>'caseId' = any(${ids})`.execute(rt.db);
    assert.deepEqual(jobs.rows.map((j) => j.case_id).sort(), [...ids].sort(), 'one receipt job for each stored case');
  } finally {
    await sql`drop trigger refuse_poisoned_job on pgboss.job_common`.execute(rt.db);
    await sql`drop function refuse_poisoned_job()`.execute(rt.db);
  }
});

test('the jobs a batch writes carry their queue\'s retry settings and are worked', async () => {
  const r = await submit('job-settings');
  const definition = rt.jobs.definition('mail.receipt');
  const { rows } = await sql<{ id: string; retry_limit: number; retry_delay: number; retry_backoff: boolean; state: string }>`
    select id::text as id, retry_limit, retry_delay, retry_backoff, state::text as state from pgboss.job where name = 'mail.receipt' and data->>'caseId' = ${r.caseId}`.execute(rt.db);
  assert.equal(rows.length, 1, 'one receipt job');
  const job = rows[0]!;
  assert.deepEqual(
    { limit: job.retry_limit, delaySeconds: job.retry_delay, backoff: job.retry_backoff },
    { limit: definition.retry.limit, delaySeconds: definition.retry.delaySeconds, backoff: definition.retry.backoff },
    'the retry policy stated beside the job',
  );
  assert.equal(job.state, 'created');
  await rt.jobs.work();
  await waitFor(async () => ((await rt.jobs.find('mail.receipt', job.id))?.state === 'completed' ? true : undefined), 'the receipt job to complete');
  const mail = await rt.db.selectFrom('mail_outbox').select('sent_at').where('dedupe_key', '=', `receipt:${r.caseId}`).executeTakeFirst();
  assert.ok(mail?.sent_at, 'the receipt mail was sent');
});
