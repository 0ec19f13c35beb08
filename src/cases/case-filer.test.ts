import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { sealAll, verifyAuditChain } from '../efile/audit-chain.ts';
import { onPostgres, testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { submitCase } from './submit-case.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
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

test('the job rows the filer writes are the rows pg-boss itself writes for the same queue', async () => {
  const ours = await submit('job-row-compat');
  await rt.db.transaction().execute((trx) => rt.jobs.enqueue(trx, 'mail.receipt', { caseId: 'compat-probe', eventId: '0' }));
  const columns = sql`name, priority, state::text as state, retry_limit, retry_count, retry_delay, retry_backoff, expire_in::text as expire_in,
    singleton_key, singleton_on, dead_letter, policy, extract(epoch from keep_until - start_after)::int as keep_seconds`;
  const ofData = async (filter: string) =>
    (await sql<Record<string, unknown>>`select ${columns} from pgboss.job where name = 'mail.receipt' and data->>'caseId' = ${filter}`.execute(rt.db)).rows;
  const [filerRow] = await ofData(ours.caseId);
  const [bossRow] = await ofData('compat-probe');
  await sql`delete from pgboss.job where name = 'mail.receipt' and data->>'caseId' = 'compat-probe'`.execute(rt.db);
  assert.ok(filerRow && bossRow, 'both job rows exist');
  const { keep_seconds: ourKeep, ...ourRest } = filerRow;
  const { keep_seconds: bossKeep, ...bossRest } = bossRow;
  assert.deepEqual(ourRest, bossRest, 'same queue settings, state and policy as a job pg-boss enqueued');
  assert.ok(Math.abs(Number(ourKeep) - Number(bossKeep)) <= 5, `kept as long (${ourKeep} s vs ${bossKeep} s)`);
});
