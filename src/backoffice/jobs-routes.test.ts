import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { errorPreview, listFailedJobs } from '../platform/jobs/failed-jobs.ts';
import { JobQueue } from '../platform/jobs/queue.ts';
import { pageText, type HttpClient } from '../test-support/http-client.ts';
import { testApp, type TestRuntime } from '../test-support/runtime.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';
import { waitFor } from '../test-support/wait-for.ts';

/**
 * Failed jobs on /staff/admin/jobs: a job that fails for good (no retries left) is listed for
 * system administrators — name, id, times, attempts and the start of its error, never its
 * payload — and can be retried there; once the cause is fixed the retried job completes. Clerks
 * and department administrators are refused both the list and the retry.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
let flaky: JobQueue;
/** The "cause" of the failure; the test fixes it before retrying. */
let broken = true;
let runs = 0;
const JOB = 'test.flaky';
const CASE_ID = randomUUID();

before(async () => {
  ({ app, runtime, close } = await testApp());
  // A queue of its own on the test database, with one job that fails while `broken` is set and
  // is not retried by pg-boss itself (limit 0): it fails for good at once.
  flaky = new JobQueue(runtime.db, runtime.log, { pollingIntervalSeconds: 0.5, maintenance: false });
  flaky.register({
    name: JOB,
    retry: { limit: 0, delaySeconds: 1, backoff: false },
    parse: (data) => data as { caseId: string },
    async handle() {
      runs++;
      if (broken) throw new Error('Zustellung an max.mustermann@example.org abgelehnt: Postfach voll');
    },
  });
  await flaky.start();
  await flaky.work();
});
after(async () => {
  await flaky?.stop();
  await close?.();
});

async function jobState(id: string): Promise<string | undefined> {
  const { rows } = await sql<{ state: string }>`select state::text as state from pgboss.job where id = ${id}::uuid`.execute(runtime.db);
  return rows[0]?.state;
}

test('the error preview is one line, shortened, with e-mail addresses masked', () => {
  assert.equal(errorPreview('550 anna.b@example.org\n  unknown'), '550 [E-Mail] unknown');
  assert.equal(errorPreview('x'.repeat(500)).length, 200);
  assert.equal(errorPreview(null), '');
});

test('a failed job is listed for the system administrator and retried there; others are refused', async () => {
  await flaky.enqueue(runtime.db, JOB, { caseId: CASE_ID });
  const failed = await waitFor(async () => (await listFailedJobs(runtime.db)).find((j) => j.name === JOB), 'the job to fail');
  assert.equal(failed.retryCount, 0);
  assert.match(failed.error, /Postfach voll/);
  assert.ok(!failed.error.includes('max.mustermann'), 'the address in the error is masked');

  const sysadmin = await signInStaff(app, 'sysadmin');
  const system = await sysadmin.get('/staff/admin/system');
  assert.ok(system.body.includes('href="/staff/admin/jobs"'), 'the system state page links to the jobs page');
  const page = await sysadmin.get('/staff/admin/jobs');
  assert.equal(page.status, 200);
  const text = pageText(page.body);
  assert.ok(page.body.includes(failed.id) && text.includes(JOB), 'the failed job is listed with name and id');
  assert.match(text, /Postfach voll/, 'with its error message');
  assert.ok(!page.body.includes('max.mustermann'), 'no e-mail address from the error');
  assert.ok(!page.body.includes(CASE_ID), 'no payload on the page');
  assert.match(text, /Erneut versuchen/);
  assert.ok(page.body.includes(`action="/staff/admin/jobs/${failed.id}/retry"`), 'a retry form per job');
  assert.match(page.body, /data-testid="queue-counts"/, 'counts per queue');

  // Clerks and department administrators: neither the list nor the retry.
  for (const username of ['clerk', 'deptadmin']) {
    const other: HttpClient = await signInStaff(app, username);
    assert.equal((await other.get('/staff/admin/jobs')).status, 403, `${username} cannot see the failed jobs`);
    await other.get('/staff');
    assert.equal((await other.post(`/staff/admin/jobs/${failed.id}/retry`)).status, 403, `${username} cannot retry`);
  }
  assert.equal(await jobState(failed.id), 'failed', 'no refused request touched the job');

  // Without the CSRF token: refused as well.
  assert.equal((await sysadmin.post(`/staff/admin/jobs/${failed.id}/retry`, {}, { csrf: false })).status, 403, 'a post without CSRF token is refused');

  // The cause is fixed; the administrator retries and the job completes.
  broken = false;
  const before = runs;
  await sysadmin.get('/staff/admin/jobs');
  const retried = await sysadmin.post(`/staff/admin/jobs/${failed.id}/retry`);
  assert.equal(retried.status, 303);
  assert.equal(retried.location, '/staff/admin/jobs');
  assert.match(pageText((await sysadmin.follow(retried)).body), /wird erneut versucht/);
  await waitFor(async () => ((await jobState(failed.id)) === 'completed' ? true : undefined), 'the retried job to complete');
  assert.ok(runs > before, 'the job ran again');
  const audit = await runtime.db.selectFrom('audit_entries').select(['action', 'details', 'actor_type']).where('action', '=', 'jobs.retried').execute();
  assert.equal(audit.length, 1, 'the retry is audited once');
  assert.deepEqual(audit[0]!.details, { queue: JOB, jobId: failed.id });

  // A second click finds nothing to retry and changes nothing.
  await sysadmin.get('/staff/admin/jobs');
  const twice = await sysadmin.post(`/staff/admin/jobs/${failed.id}/retry`);
  assert.equal(twice.status, 303);
  assert.match(pageText((await sysadmin.follow(twice)).body), /nichts zu wiederholen/);
  assert.equal((await runtime.db.selectFrom('audit_entries').select('action').where('action', '=', 'jobs.retried').execute()).length, 1, 'nothing more audited');
  assert.equal((await listFailedJobs(runtime.db)).some((j) => j.id === failed.id), false, 'no longer listed as failed');
});
