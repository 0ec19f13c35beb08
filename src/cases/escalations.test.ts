import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { checkDefinition } from '../catalogue/check-definitions.ts';
import { loadCity } from '../catalogue/city.ts';
import { Catalogue } from '../catalogue/registry.ts';
import type { ServiceDefinition } from '../catalogue/service-definition.ts';
import { serviceDefinitions } from '../services/index.ts';
import { versammlungsanzeige } from '../services/versammlungsanzeige/definition.ts';
import { pageText } from '../test-support/http-client.ts';
import { demoStaff, staffActor, testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';
import { stateDueAt } from './deadlines.ts';
import { EFFECT_JOBS, knownEffects } from './effects.ts';
import { currentEscalation, escalateOverdueCases, SUPERVISOR_ROLES } from './escalations.ts';
import { ESCALATE_OVERDUE_JOB } from './jobs/escalate-overdue.job.ts';
import { inbox } from './queries.ts';
import { submitCase } from './submit-case.ts';
import { transitionCase } from './transition-case.ts';
import { waitFor } from '../test-support/wait-for.ts';

/**
 * Deadlines and escalation against the real database, with a clock the tests move: the due date
 * comes from the state's deadline (or its expected duration) on entering it; a case still there
 * after it escalates exactly once per overdue period, with an internal event, an audit entry and
 * a mail to the department's supervisors (not the clerks); a case moved on in time never does.
 */
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = new Date('2026-03-02T08:00:00Z');
let current = T0;
const clock = () => new Date(current.getTime());

let app: FastifyInstance;
let rt: TestRuntime;
let close: () => Promise<void>;
let SUPERVISOR_ID = '';
before(async () => {
  ({ app, runtime: rt, close } = await testApp({ now: clock, jobPollingSeconds: 0.5 }));
  SUPERVISOR_ID = (await rt.db.selectFrom('staff_users').select('id').where('username', '=', 'supervisor').executeTakeFirstOrThrow()).id;
});
after(async () => close?.());

const halle = loadCity('halle');

async function submit(name: string): Promise<{ caseId: string; reference: string }> {
  return submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(clock(), { organiserName: name, leaderName: name }), idempotencyScope: 'api', idempotencyKey: randomUUID() });
}

/** A trade-notice-like service built for the test: the 3-day receipt as a deadline (GewO § 15(1)). */
const withDeadline: ServiceDefinition = {
  ...versammlungsanzeige,
  id: 'testfrist',
  receivingDepartment: 'gewerbeamt',
  process: {
    ...versammlungsanzeige.process,
    onSubmit: [],
    states: versammlungsanzeige.process.states.map((s) => (s.id === 'received' ? { ...s, expectedDuration: 'P1D', deadline: 'P3D' } : s)),
  },
  documents: (versammlungsanzeige.documents ?? []).filter((d) => d.issuedOn !== 'submit'),
};

test('the due date comes from the deadline when the state has one, else from the expected duration; final states have none', () => {
  const at = new Date('2026-03-02T08:00:00Z');
  assert.equal(stateDueAt({ deadline: 'P3D', expectedDuration: 'P1D' }, at)?.toISOString(), '2026-03-05T08:00:00.000Z', 'the deadline wins');
  assert.equal(stateDueAt({ expectedDuration: 'P2D' }, at)?.toISOString(), '2026-03-04T08:00:00.000Z', 'without a deadline: the expected duration');
  assert.equal(stateDueAt({ deadline: 'PT12H' }, at)?.toISOString(), '2026-03-02T20:00:00.000Z', 'hours work too');
  // Calendar days: a Friday's 3 days end on Monday, weekend included.
  assert.equal(stateDueAt({ deadline: 'P3D' }, new Date('2026-03-06T10:00:00Z'))?.toISOString(), '2026-03-09T10:00:00.000Z', 'calendar days, not business days');
  assert.equal(stateDueAt({ final: true, expectedDuration: 'P2D' }, at), null, 'final states are never due');
  assert.equal(stateDueAt({}, at), null, 'no duration, no due date');
});

test('the definition checks accept a deadline and refuse a malformed one, one on a final state or one shorter than the expected duration', () => {
  const city = { ...halle, services: {} };
  assert.deepEqual(checkDefinition(withDeadline, knownEffects, city), [], 'a state with a deadline is fine');
  const onlyDeadline = { ...withDeadline, process: { ...withDeadline.process, states: withDeadline.process.states.map((s) => (s.id === 'received' ? { ...s, expectedDuration: undefined, deadline: 'P3D' } : s)) } } as ServiceDefinition;
  assert.deepEqual(checkDefinition(onlyDeadline, knownEffects, city), [], 'a deadline alone is enough for an open state');
  const variant = (change: Record<string, unknown>, stateId = 'received') =>
    checkDefinition({ ...withDeadline, process: { ...withDeadline.process, states: withDeadline.process.states.map((s) => (s.id === stateId ? { ...s, ...change } : s)) } } as ServiceDefinition, knownEffects, city).join('\n');
  assert.match(variant({ deadline: '3 Tage' }), /testfrist: state received: deadline "3 Tage" must be like P3D or PT12H/);
  assert.match(variant({ deadline: 'P3D' }, 'confirmed'), /testfrist: state confirmed: is final and cannot have a deadline/);
  assert.match(variant({ expectedDuration: 'P5D', deadline: 'P3D' }), /testfrist: state received: expectedDuration "P5D" is longer than the deadline "P3D"/);
  assert.match(variant({ expectedDuration: undefined, deadline: undefined }), /state received: needs an expectedDuration or a deadline/);
});

test('a case filed into a state with a deadline is due at the deadline and escalates only after it', async () => {
  current = new Date(T0.getTime());
  // The runtime's own catalogue plus the test service: the case functions take it from their deps.
  const catalogue = new Catalogue([...serviceDefinitions, withDeadline], rt.catalogue.city);
  const deps = { ...rt, catalogue };
  const r = await submitCase(deps, { serviceId: 'testfrist', data: validAssembly(clock()), idempotencyScope: 'api', idempotencyKey: randomUUID() });
  const row = await rt.db.selectFrom('cases').select(['due_at', 'department_id']).where('id', '=', r.caseId).executeTakeFirstOrThrow();
  assert.equal(row.due_at?.toISOString(), new Date(T0.getTime() + 3 * DAY).toISOString(), 'due three days after filing, not after the one-day estimate');

  current = new Date(T0.getTime() + 2 * DAY);
  await escalateOverdueCases(deps);
  assert.equal(await currentEscalation(rt.db, r.caseId), undefined, 'past the estimate but within the deadline: no escalation');
  current = new Date(T0.getTime() + 3 * DAY + HOUR);
  await escalateOverdueCases(deps);
  const esc = await currentEscalation(rt.db, r.caseId);
  assert.ok(esc, 'past the deadline: escalated');
  assert.equal(esc.dueAt.toISOString(), row.due_at?.toISOString());
});

test('an overdue case escalates once, with an internal event, an audit entry and a mail to the supervisors only; one moved on in time never escalates', async () => {
  current = new Date(T0.getTime());
  const NAME = 'Oskar Überfällig';
  const late = await submit(NAME);
  const onTime = await submit('Petra Pünktlich');
  const clerk = await staffActor(rt.db, 'clerk');

  // The second case is taken up after a day, well before its two days ran out.
  current = new Date(T0.getTime() + DAY);
  await transitionCase(rt, { caseId: onTime.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  const onTimeRow = await rt.db.selectFrom('cases').select('due_at').where('id', '=', onTime.caseId).executeTakeFirstOrThrow();
  assert.equal(onTimeRow.due_at?.toISOString(), new Date(T0.getTime() + 6 * DAY).toISOString(), 'the new state sets a new due date (P5D)');

  current = new Date(T0.getTime() + 2 * DAY + HOUR);
  const first = await escalateOverdueCases(rt);
  assert.ok(first.escalated >= 1, 'the overdue case is escalated');
  const again = await escalateOverdueCases(rt);
  assert.equal(again.escalated, 0, 'a second run escalates nothing new');

  const rows = await rt.db.selectFrom('case_escalations').selectAll().where('case_id', '=', late.caseId).execute();
  assert.equal(rows.length, 1, 'exactly one escalation for the overdue period');
  assert.equal(rows[0]!.state, 'received');
  assert.equal(rows[0]!.escalated_at.toISOString(), clock().toISOString(), 'escalated at the clock of the run');
  assert.equal((await rt.db.selectFrom('case_escalations').select('id').where('case_id', '=', onTime.caseId).execute()).length, 0, 'the case moved on in time never escalates');

  const events = await rt.db.selectFrom('case_events').selectAll().where('case_id', '=', late.caseId).where('kind', '=', 'escalation').execute();
  assert.equal(events.length, 1, 'one escalation event on the timeline');
  assert.equal(events[0]!.public, false, 'the escalation is internal, never shown to the citizen');
  const audit = await rt.db.selectFrom('audit_entries').select(['action', 'details', 'actor_type']).where('case_id', '=', late.caseId).where('action', '=', 'case.escalated').execute();
  assert.equal(audit.length, 1, 'one audit entry case.escalated');
  assert.ok(!JSON.stringify(audit[0]!.details).includes(NAME), 'no applicant data in the audit details');

  // The mail job runs on the worker and reaches the department's supervisor, not the clerk.
  await rt.jobs.work();
  const supervisorMail = demoStaff('supervisor').email!;
  const mail = await waitFor(
    () => rt.db.selectFrom('mail_outbox').selectAll().where('dedupe_key', '=', `escalation:${rows[0]!.id}:${SUPERVISOR_ID}`).where('sent_at', 'is not', null).executeTakeFirst(),
    'the escalation mail',
  );
  assert.equal(mail.to_address, supervisorMail);
  assert.match(mail.subject, new RegExp(late.reference));
  for (const body of [mail.text_body, mail.html_body]) {
    assert.ok(body.includes(`/staff/cases/${late.caseId}`), 'the mail links to the case file');
    assert.match(body, /Versammlung anzeigen/, 'the mail names the service');
    assert.match(body, /Eingegangen/, 'the mail names the state');
    assert.doesNotMatch(body, new RegExp(NAME), 'no applicant name in the mail');
    assert.doesNotMatch(body, /Marktplatz|erika@example\.org/, 'no form data in the mail');
  }
  const allToCase = await rt.db.selectFrom('mail_outbox').select('to_address').where('dedupe_key', 'like', `escalation:${rows[0]!.id}:%`).execute();
  assert.deepEqual(allToCase.map((m) => m.to_address), [supervisorMail], 'only the supervisor is mailed, not the clerk');
  const notified = await waitFor(async () => {
    const r = await rt.db.selectFrom('case_escalations').select(['notified_supervisors', 'notified_at']).where('id', '=', rows[0]!.id).executeTakeFirstOrThrow();
    return r.notified_at ? r : undefined;
  }, 'the escalation marked as notified');
  assert.equal(notified.notified_supervisors, 1);

  // The inbox marks it, and the supervisor's filter "Eskaliert" lists it and not the other.
  const supervisor = await staffActor(rt.db, 'supervisor');
  const escalatedOnly = await inbox(rt, supervisor, { due: 'escalated' });
  assert.deepEqual(escalatedOnly.rows.map((x) => x.id).filter((id) => id === late.caseId || id === onTime.caseId), [late.caseId], 'the filter lists the escalated case only');
  assert.ok(escalatedOnly.rows.every((x) => x.escalatedAt !== null), 'every row of the filter is escalated');
  const http = await signInStaff(app, 'supervisor');
  const page = await http.get('/staff?due=escalated');
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(late.reference) && !page.body.includes(onTime.reference), 'the page lists the escalated case only');
  assert.match(pageText(page.body), /eskaliert/, 'with the badge');
  assert.match(page.body, /<option value="escalated" selected/, 'the filter "Eskaliert" is offered and kept');

  // Taken up now: the escalation is over; if the new due date passes too, it escalates again, once.
  current = new Date(T0.getTime() + 3 * DAY);
  await transitionCase(rt, { caseId: late.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  assert.equal(await currentEscalation(rt.db, late.caseId), undefined, 'moved on: no open escalation');
  assert.equal((await inbox(rt, supervisor, { due: 'escalated' })).rows.some((x) => x.id === late.caseId), false, 'no longer in the filter');
  current = new Date(T0.getTime() + 9 * DAY);
  await escalateOverdueCases(rt);
  await escalateOverdueCases(rt);
  assert.equal((await rt.db.selectFrom('case_escalations').select('id').where('case_id', '=', late.caseId).execute()).length, 2, 'a new overdue period escalates once more');
});

test('supervisors are the roles with case.assign', () => {
  assert.deepEqual([...SUPERVISOR_ROLES], ['supervisor']);
});

test('every effect runs through the job queue with retries and backoff or a delay', async () => {
  assert.ok(Object.keys(EFFECT_JOBS).length > 0, 'there are effects');
  const names = [...new Set(Object.values(EFFECT_JOBS) as string[]), ESCALATE_OVERDUE_JOB, 'cases.escalation-mail'];
  for (const name of names) {
    assert.ok(rt.jobs.has(name), `${name} is registered in the runtime`);
    // What pg-boss itself will apply (the queue as created at start), not only what the code says.
    const { rows } = await sql<{ retry_limit: number; retry_delay: number; retry_backoff: boolean }>`select retry_limit, retry_delay, retry_backoff from pgboss.queue where name = ${name}`.execute(rt.db);
    const q = rows[0];
    assert.ok(q, `${name} has a pg-boss queue`);
    assert.ok(q.retry_limit >= 1, `${name} retries at least once (limit ${q.retry_limit})`);
    assert.ok(q.retry_backoff || q.retry_delay > 0, `${name} waits between attempts (delay ${q.retry_delay}s, backoff ${q.retry_backoff})`);
  }
});
