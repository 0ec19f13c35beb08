import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { onPostgres, staffActor, testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import type { Actor } from './case-deps.ts';
import { inbox, lookupStatus, openCaseForStaff } from './queries.ts';
import { parseReference } from './reference.ts';
import { submitCase } from './submit-case.ts';
import { transitionCase } from './transition-case.ts';

let rt: TestRuntime;
let clerk: Actor;
let clerk2: Actor;
let tradeClerk: Actor;

before(async () => {
  rt = await testRuntime();
  clerk = await staffActor(rt.db, 'clerk');
  clerk2 = await staffActor(rt.db, 'clerk2');
  tradeClerk = await staffActor(rt.db, 'gewerbe');
});
after(async () => rt?.close());

const count = async (table: 'cases' | 'case_events' | 'audit_entries' | 'idempotency_keys') =>
  Number((await rt.db.selectFrom(table).select(sql<string>`count(*)::text`.as('n')).executeTakeFirstOrThrow()).n);
const jobCount = async (name: string) => Number((await sql<{ n: string }>`select count(*)::text as n from pgboss.job where name = ${name}`.execute(rt.db)).rows[0]!.n);

const submit = (key: string, overrides: Record<string, string | string[]> = {}) =>
  submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now(), overrides), idempotencyScope: 'api', idempotencyKey: key });

test(`submit files one case with timeline, audit entry and receipt job in one transaction (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, async () => {
  const before = { cases: await count('cases'), audit: await count('audit_entries'), jobs: await jobCount('mail.receipt') };
  const result = await submit('submit-1');
  assert.equal(result.replayed, false);
  assert.equal(parseReference(result.reference), result.reference, 'reference carries a valid check digit');
  assert.match(result.reference, /^HAL-\d{4}-\d{6}-\d$/);
  assert.match(result.accessCode, /^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  const row = await rt.db.selectFrom('cases').selectAll().where('id', '=', result.caseId).executeTakeFirstOrThrow();
  assert.equal(row.state, 'received');
  assert.equal(row.department_id, 'versammlungsbehoerde');
  assert.notEqual(row.access_code_hash, result.accessCode, 'only a hash of the access code is stored');
  assert.ok(row.due_at && row.due_at > row.submitted_at, 'row.due_at && row.due_at > row.submitted_at');
  const events = await rt.db.selectFrom('case_events').selectAll().where('case_id', '=', result.caseId).execute();
  assert.deepEqual(events.map((e) => [e.kind, e.to_state, e.public]), [['submitted', 'received', true]]);
  assert.equal(await count('cases'), before.cases + 1);
  assert.equal(await count('audit_entries'), before.audit + 1);
  assert.equal(await jobCount('mail.receipt'), before.jobs + 1);
});

test('invalid data is rejected field by field and nothing is stored', async () => {
  const before = { cases: await count('cases'), audit: await count('audit_entries'), keys: await count('idempotency_keys') };
  await assert.rejects(submit('invalid-1', { date: '2020-01-01', postcode: '123', participants: '-5' }), (err: unknown) => {
    assert.ok(err instanceof ValidationError, 'err instanceof ValidationError');
    assert.deepEqual(err.fields.map((f) => f.field).sort(), ['announcementDate', 'date', 'participants', 'postcode']);
    return true;
  });
  assert.deepEqual({ cases: await count('cases'), audit: await count('audit_entries'), keys: await count('idempotency_keys') }, before);
});

test('the same idempotency key yields the same case, also when requests race', async () => {
  const first = await submit('retry-1');
  const again = await submit('retry-1');
  assert.equal(again.caseId, first.caseId);
  assert.equal(again.accessCode, first.accessCode);
  assert.equal(again.replayed, true);

  const before = await count('cases');
  const racing = await Promise.all(Array.from({ length: 5 }, () => submit('race-1')));
  assert.equal(new Set(racing.map((r) => r.caseId)).size, 1, 'five simultaneous requests, one case');
  assert.equal(await count('cases'), before + 1);
  assert.equal(racing.filter((r) => !r.replayed).length, 1);

  await assert.rejects(submit('retry-1', { subject: 'Etwas anderes' }), ConflictError, 'a reused key with another body is a conflict');
});

test('status by reference and access code; a wrong code looks exactly like an unknown reference', async () => {
  const r = await submit('status-1');
  const status = await lookupStatus(rt, r.reference.toLowerCase().replace(/-/g, ' '), r.accessCode.toLowerCase());
  assert.equal(status.state, 'received');
  assert.equal(status.stateLabel.de, 'Eingegangen');
  assert.equal(status.events.length, 1);
  const wrongCode = await lookupStatus(rt, r.reference, 'AAAAA-AAAAA').catch((e: unknown) => e);
  const unknownRef = await lookupStatus(rt, 'HAL-2026-999999-0', r.accessCode).catch((e: unknown) => e);
  assert.ok(wrongCode instanceof NotFoundError && unknownRef instanceof NotFoundError, 'wrongCode instanceof NotFoundError && unknownRef instanceof NotFoundError');
  assert.deepEqual(wrongCode.userMessage, unknownRef.userMessage);
});

test('transitions follow the process: state, role, version, guard and timeline', async () => {
  const r = await submit('transition-1');
  await assert.rejects(transitionCase(rt, { caseId: r.caseId, transitionId: 'confirm', expectedVersion: 1, actor: clerk, input: {} }), ConflictError, 'confirm is not possible from "received"');
  await assert.rejects(transitionCase(rt, { caseId: r.caseId, transitionId: 'withdraw', expectedVersion: 1, actor: clerk, input: {} }), ForbiddenError, 'only the applicant withdraws');
  await assert.rejects(transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: tradeClerk, input: {} }), NotFoundError, 'another department does not even find the case');

  const started = await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  assert.deepEqual(started, { caseId: r.caseId, state: 'in_review', version: 2 });
  await assert.rejects(transitionCase(rt, { caseId: r.caseId, transitionId: 'ban', expectedVersion: 2, actor: clerk, input: { reason: 'kurz' } }), (err: unknown) => {
    assert.ok(err instanceof ValidationError, 'err instanceof ValidationError');
    assert.equal(err.fields[0]?.field, 'reason');
    assert.match(err.fields[0]!.message.de, /mindestens 20 Zeichen/);
    return true;
  });
  await assert.rejects(transitionCase(rt, { caseId: r.caseId, transitionId: 'confirm', expectedVersion: 1, actor: clerk, input: {} }), ConflictError, 'a stale version never overwrites');
  const confirmed = await transitionCase(rt, { caseId: r.caseId, transitionId: 'confirm', expectedVersion: 2, actor: clerk, input: { conditions: 'Bitte Rettungswege freihalten.' } });
  assert.equal(confirmed.state, 'confirmed');

  const status = await lookupStatus(rt, r.reference, r.accessCode);
  assert.equal(status.state, 'confirmed');
  assert.equal(status.final, true);
  assert.deepEqual(status.events.map((e) => e.text.de), ['Ihr Antrag ist bei uns eingegangen.', 'Die Prüfung hat begonnen.', 'Die Anzeige wurde bestätigt.']);
  assert.equal(status.events[2]!.details[0]!.value, 'Bitte Rettungswege freihalten.');
  const audit = await rt.db.selectFrom('audit_entries').select('action').where('case_id', '=', r.caseId).orderBy('at').orderBy('pending_id').execute();
  assert.deepEqual(audit.map((a) => a.action), ['case.submitted', 'case.transition.start_review', 'case.transition.confirm']);
  assert.equal(await jobCount('notify.applicant') >= 2, true, 'each status change enqueues a notification');
});

test('the applicant withdraws their own case', async () => {
  const r = await submit('withdraw-1');
  const other = await submit('withdraw-2');
  await assert.rejects(transitionCase(rt, { caseId: other.caseId, transitionId: 'withdraw', expectedVersion: undefined, actor: { type: 'applicant', caseId: r.caseId }, input: {} }), NotFoundError, 'proof for one case opens no other');
  const done = await transitionCase(rt, { caseId: r.caseId, transitionId: 'withdraw', expectedVersion: 1, actor: { type: 'applicant', caseId: r.caseId }, input: {} });
  assert.equal(done.state, 'withdrawn');
});

test('two clerks decide at once: one wins, the other gets the conflict', async () => {
  const r = await submit('concurrent-1');
  await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  const outcomes = await Promise.allSettled([
    transitionCase(rt, { caseId: r.caseId, transitionId: 'confirm', expectedVersion: 2, actor: clerk, input: {} }),
    transitionCase(rt, { caseId: r.caseId, transitionId: 'ban', expectedVersion: 2, actor: clerk2, input: { reason: 'Gefahr für die öffentliche Sicherheit durch Bauarbeiten.' } }),
  ]);
  const won = outcomes.filter((o) => o.status === 'fulfilled');
  const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  assert.equal(won.length, 1);
  assert.equal(lost.length, 1);
  assert.ok(lost[0]!.reason instanceof ConflictError, 'lost[0]!.reason instanceof ConflictError');
  assert.match(lost[0]!.reason.userMessage.de, /Jemand anderes hat diesen Vorgang inzwischen bearbeitet/);
  const row = await rt.db.selectFrom('cases').select(['state', 'version']).where('id', '=', r.caseId).executeTakeFirstOrThrow();
  assert.equal(row.version, 3);
  const transitions = await rt.db.selectFrom('case_events').select('transition_id').where('case_id', '=', r.caseId).where('kind', '=', 'transition').execute();
  assert.equal(transitions.length, 2, 'start_review and exactly one decision');
});

test('the inbox is department-scoped, filtered and paged; opening a file is audited', async () => {
  const mine = await inbox(rt, clerk, { pageSize: 5 });
  assert.ok(mine.total >= 8, 'mine.total >= 8');
  assert.equal(mine.rows.length, 5);
  assert.equal(mine.pages, Math.ceil(mine.total / 5));
  assert.ok(mine.rows.every((row) => row.departmentId === 'versammlungsbehoerde'), 'mine.rows.every((row) => row.departmentId === \'versammlungsbehoerde\')');
  const page2 = await inbox(rt, clerk, { pageSize: 5, page: 2 });
  assert.equal(new Set([...mine.rows, ...page2.rows].map((row) => row.id)).size, mine.rows.length + page2.rows.length, 'pages do not overlap');
  const received = await inbox(rt, clerk, { state: 'received', pageSize: 100 });
  assert.ok(received.rows.length > 0 && received.rows.every((row) => row.state === 'received'), 'received.rows.length > 0 && received.rows.every((row) => row.state === \'received\')');
  assert.equal((await inbox(rt, tradeClerk, {})).total, 0, 'the trade office sees none of the assembly cases');

  const caseId = mine.rows[0]!.id;
  await assert.rejects(openCaseForStaff(rt, tradeClerk, caseId), NotFoundError);
  const view = await openCaseForStaff(rt, clerk, caseId);
  assert.equal(view.row.id, caseId);
  const viewed = await rt.db.selectFrom('audit_entries').select(['action', 'actor_id']).where('case_id', '=', caseId).where('action', '=', 'case.view').execute();
  assert.equal(viewed.length, 1);
  assert.equal(viewed[0]!.actor_id, (clerk as { id: string }).id);
});
