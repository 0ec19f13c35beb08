import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createSession } from '../../identity/sessions.ts';
import { testRuntime, validAssembly, type TestRuntime } from '../../test-support/runtime.ts';
import { submitCase } from '../submit-case.ts';
import { transitionCase } from '../transition-case.ts';
import { receiptMailJob } from './case-mail.ts';
import { housekeeping } from './housekeeping.job.ts';
import { waitFor } from '../../test-support/wait-for.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime({ jobPollingSeconds: 0.5 });
});
after(async () => rt?.close());

test('the receipt and status mails are sent by the worker, without personal details', async () => {
  await rt.jobs.work();
  const r = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now(), { organiserName: 'Hanna Geheim', email: 'hanna@example.org' }), idempotencyScope: 'api', idempotencyKey: 'mail-1' });
  const receipt = await waitFor(
    () => rt.db.selectFrom('mail_outbox').selectAll().where('dedupe_key', '=', `receipt:${r.caseId}`).where('sent_at', 'is not', null).executeTakeFirst(),
    'the receipt mail',
  );
  assert.equal(receipt.to_address, 'hanna@example.org');
  assert.match(receipt.subject, new RegExp(r.reference));
  assert.match(receipt.text_body, /Versammlung anzeigen/);
  assert.match(receipt.text_body, /Notify a public assembly/);
  for (const body of [receipt.text_body, receipt.html_body]) {
    assert.doesNotMatch(body, /Hanna Geheim/, 'no name in the mail');
    assert.ok(!body.includes(r.accessCode), 'no access code in the mail');
    assert.doesNotMatch(body, /Marktplatz/, 'no form data in the mail');
  }

  const user = await rt.db.selectFrom('staff_users').select('id').where('username', '=', 'clerk').executeTakeFirstOrThrow();
  await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: { type: 'staff', id: user.id, grants: [{ departmentId: 'versammlungsbehoerde', role: 'clerk' }] }, input: {} });
  const status = await waitFor(
    () => rt.db.selectFrom('mail_outbox').selectAll().where('dedupe_key', 'like', 'notify:status:%').where('to_address', '=', 'hanna@example.org').where('sent_at', 'is not', null).executeTakeFirst(),
    'the status mail',
  );
  assert.match(status.subject, /In Prüfung/);
});

test('a job that runs twice sends the mail once', async () => {
  const r = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now()), idempotencyScope: 'api', idempotencyKey: 'mail-twice' });
  const job = receiptMailJob({ db: rt.db, catalogue: rt.catalogue, mailer: rt.mailer, publicUrl: 'http://127.0.0.1' });
  const log = rt.log;
  await job.handle(job.parse({ caseId: r.caseId, eventId: '1' }), { log });
  await job.handle(job.parse({ caseId: r.caseId, eventId: '1' }), { log });
  const rows = await rt.db.selectFrom('mail_outbox').select('id').where('dedupe_key', '=', `receipt:${r.caseId}`).execute();
  assert.equal(rows.length, 1);
  assert.throws(() => job.parse({ caseId: 42 }), /payload needs caseId and eventId/);
});

test('housekeeping removes abandoned drafts, old idempotency answers and expired sessions only', async () => {
  const now = rt.now();
  const { session: oldSession } = await createSession(rt.db, 'visitor');
  const { session: liveSession } = await createSession(rt.db, 'visitor');
  await rt.db.updateTable('sessions').set({ expires_at: new Date(now.getTime() - 1000) }).where('id_hash', '=', oldSession.idHash).execute();
  await rt.db.insertInto('drafts').values({ session_id_hash: liveSession.idHash, service_id: 'old', data: '{}', updated_at: new Date(now.getTime() - 8 * 24 * 3600_000) }).execute();
  await rt.db.insertInto('drafts').values({ session_id_hash: liveSession.idHash, service_id: 'recent', data: '{}' }).execute();
  const r = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(now), idempotencyScope: 'api', idempotencyKey: 'old-key' });
  await sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = 'old-key'`.execute(rt.db);

  const removed = await housekeeping(rt.db, now);
  assert.ok(removed.sessions >= 1 && removed.drafts >= 1 && removed.idempotencyKeys >= 1, 'removed.sessions >= 1 && removed.drafts >= 1 && removed.idempotencyKeys >= 1');
  const drafts = await rt.db.selectFrom('drafts').select('service_id').where('session_id_hash', '=', liveSession.idHash).execute();
  assert.deepEqual(drafts.map((d) => d.service_id), ['recent']);
  assert.equal(await rt.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', oldSession.idHash).executeTakeFirst(), undefined);
  assert.ok(await rt.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', liveSession.idHash).executeTakeFirst(), 'await rt.db.selectFrom(\'sessions\').select(\'id_hash\').where(\'id_hash\', \'=\', liveSession.idHash).executeTakeFirst()');
  assert.ok(await rt.db.selectFrom('cases').select('id').where('id', '=', r.caseId).executeTakeFirst(), 'the case itself stays');
});
