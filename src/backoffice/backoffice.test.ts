import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CaseDeps } from '../cases/case-deps.ts';
import { submitCase, type SubmitResult } from '../cases/submit-case.ts';
import { transitionCase } from '../cases/transition-case.ts';
import { hashToken } from '../identity/sessions.ts';
import { totpFor } from '../identity/staff-auth.ts';
import { controlById, escapeRegExp, hiddenValue, HttpClient, pageText, testIdText } from '../test-support/http-client.ts';
import { demoStaff, testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';

/**
 * The staff face over real HTTP (inject) and a real database: sign-in with password and TOTP,
 * the department-scoped inbox, the audited case file, transitions, notes, sign-out.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
/** Signed-in clients, one per demo account (a TOTP code works once, so each signs in once). */
let clerk: HttpClient;
let supervisor: HttpClient;
let gewerbe: HttpClient;
let clerkCode = '';

const SERVICE = 'versammlungsanzeige';
const HOUR = 3600_000;
const cases: SubmitResult[] = [];

const staffId = async (username: string) => (await runtime.db.selectFrom('staff_users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const caseRow = (id: string) => runtime.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const caseLinks = (html: string) => [...html.matchAll(/href="\/staff\/cases\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
const summaryTexts = (html: string) => {
  const box = /aw-error-summary[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...box.matchAll(/<a[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({ href: m[1]!, text: pageText(m[2]!) }));
};
const fieldError = (html: string, id: string) => {
  const m = new RegExp(`id="${escapeRegExp(id)}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  return m ? pageText(m[1]!) : undefined;
};

async function submitAt(at: Date, overrides: Record<string, string> = {}): Promise<SubmitResult> {
  const deps: CaseDeps = { ...runtime, now: () => at };
  const result = await submitCase(deps, { serviceId: SERVICE, data: validAssembly(at, overrides), idempotencyScope: 'api', idempotencyKey: randomUUID() });
  cases.push(result);
  return result;
}

/** A code of the user's TOTP that is certainly not accepted now (not the previous, current or next step). */
function wrongCode(secret: string): string {
  const totp = totpFor(secret);
  const near = new Set([-30_000, 0, 30_000].map((d) => totp.generate({ timestamp: Date.now() + d })));
  for (let i = 0; ; i++) {
    const code = String(123456 + i * 7919).slice(-6).padStart(6, '0');
    if (!near.has(code)) return code;
  }
}

async function passwordStep(client: HttpClient, username: string, password = demoStaff(username).password) {
  const page = await client.get('/staff/sign-in');
  assert.equal(page.status, 200);
  return client.post('/staff/sign-in', { username, password });
}

async function signIn(username: string, client = new HttpClient(app)): Promise<{ client: HttpClient; code: string }> {
  const first = await passwordStep(client, username);
  assert.equal(first.status, 303, `password step for ${username}`);
  assert.equal(first.location, '/staff/sign-in/code');
  assert.equal((await client.get('/staff/sign-in/code')).status, 200);
  const code = totpFor(demoStaff(username).totpSecret).generate();
  const second = await client.post('/staff/sign-in/code', { code });
  assert.equal(second.status, 303, `TOTP step for ${username}`);
  assert.equal(second.location, '/staff');
  return { client, code };
}

/** Opens the case file (for the CSRF token and the version) and posts a transition form. */
async function takeTransition(client: HttpClient, caseId: string, transition: string, inputs: Record<string, string> = {}, version?: string) {
  const page = await client.get(`/staff/cases/${caseId}`);
  assert.equal(page.status, 200);
  const form: Record<string, string> = { version: version ?? hiddenValue(page.body, 'version')!, _action: transition };
  for (const [k, v] of Object.entries(inputs)) form[`${transition}-${k}`] = v;
  const res = await client.post(`/staff/cases/${caseId}/transitions/${transition}`, form);
  if (res.status !== 303) return res;
  // Success redirects back to the case file (post/redirect/get), which then shows the result once.
  assert.equal(res.location, `/staff/cases/${caseId}`);
  return client.follow(res);
}

async function citizenStatus(result: SubmitResult) {
  const citizen = new HttpClient(app);
  await citizen.get('/status');
  const lookup = await citizen.post('/status', { reference: result.reference, accessCode: result.accessCode });
  assert.equal(lookup.status, 303);
  return citizen.get(lookup.location!);
}

before(async () => {
  ({ app, runtime, close } = await testApp());
  // 30 cases, one a minute, starting two hours ago: enough for two inbox pages.
  const start = Date.now() - 2 * HOUR;
  for (let i = 0; i < 30; i++) await submitAt(new Date(start + i * 60_000), { organiserName: `Person ${String(i).padStart(2, '0')}` });
});
after(async () => {
  await close();
});

describe('signing in', () => {
  test('/staff and a case file redirect to the sign-in page when not signed in', async () => {
    const client = new HttpClient(app);
    const inbox = await client.get('/staff');
    assert.equal(inbox.status, 303);
    assert.equal(inbox.location, '/staff/sign-in');
    const file = await client.get(`/staff/cases/${cases[0]!.caseId}`);
    assert.equal(file.status, 303);
    assert.equal(file.location, '/staff/sign-in');
    assert.doesNotMatch(file.body, new RegExp(escapeRegExp(cases[0]!.reference)));
    // A visitor with a valid CSRF token but no staff session cannot act either.
    await client.get('/staff/sign-in');
    const note = await client.post(`/staff/cases/${cases[0]!.caseId}/notes`, { note: 'von außen' });
    assert.equal(note.status, 303);
    assert.equal(note.location, '/staff/sign-in');
    // Percent-encoded paths reach the same routes and get the same answer, never the page or a 500.
    for (const path of ['/%73taff', `/%73taff/cases/${cases[0]!.caseId}`, `/st%61ff/cases/${cases[0]!.caseId}`]) {
      const res = await client.get(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.location, '/staff/sign-in', path);
    }
    const encodedNote = await client.post(`/%73taff/cases/${cases[0]!.caseId}/notes`, { note: 'von außen' });
    assert.equal(encodedNote.status, 303);
    const events = await runtime.db.selectFrom('case_events').select('id').where('case_id', '=', cases[0]!.caseId).where('kind', '=', 'note').execute();
    assert.equal(events.length, 0);
  });

  test('a wrong password or an unknown user get the same clear message; the username is kept, the password not', async () => {
    const client = new HttpClient(app);
    const wrong = await passwordStep(client, 'supervisor', 'not-the-password');
    assert.equal(wrong.status, 401);
    assert.match(pageText(wrong.body), /Benutzername oder Passwort ist falsch/);
    assert.equal(controlById(wrong.body, 'username')?.value, 'supervisor');
    assert.equal(controlById(wrong.body, 'password')?.value, '');
    assert.equal(client.cookies.get('aw_session'), undefined, 'no session for a failed sign-in');
    const unknown = await passwordStep(client, 'nobody-here', 'whatever');
    assert.equal(unknown.status, wrong.status);
    assert.deepEqual(summaryTexts(unknown.body), summaryTexts(wrong.body));
    const empty = await passwordStep(client, '', '');
    assert.equal(empty.status, 422);
    assert.deepEqual(summaryTexts(empty.body).map((e) => e.href), ['#username', '#password']);
    // The failed attempt on supervisor did not lock it: one wrong password is counted, not more.
    const row = await runtime.db.selectFrom('staff_users').select(['failed_sign_ins', 'locked_until']).where('username', '=', 'supervisor').executeTakeFirstOrThrow();
    assert.equal(row.failed_sign_ins, 1);
    assert.equal(row.locked_until, null);
  });

  test('five wrong passwords lock the account with a clear message, even for the right password', async () => {
    const client = new HttpClient(app);
    for (let i = 1; i <= 5; i++) {
      const res = await passwordStep(client, 'clerk2', `wrong-${i}`);
      assert.equal(res.status, 401, `attempt ${i}`);
    }
    const locked = await passwordStep(client, 'clerk2');
    assert.equal(locked.status, 429);
    assert.match(pageText(locked.body), /Nach 5 falschen Versuchen ist dieses Konto für 15 Minuten gesperrt \(noch etwa \d+ Minuten?\)/);
    assert.equal(client.cookies.get('aw_session'), undefined);
    const row = await runtime.db.selectFrom('staff_users').select('locked_until').where('username', '=', 'clerk2').executeTakeFirstOrThrow();
    assert.ok(row.locked_until && row.locked_until.getTime() > Date.now(), 'row.locked_until && row.locked_until.getTime() > Date.now()');
  });

  test('password + TOTP sign-in rotates the session id at each step (session fixation defence)', async () => {
    const client = new HttpClient(app);
    // A session the visitor (or an attacker who planted it) already had.
    await client.get(`/services/${SERVICE}/form/veranstalter`);
    const planted = client.cookies.get('aw_session');
    assert.ok(planted, 'planted');
    const afterPassword = await passwordStep(client, 'clerk');
    assert.equal(afterPassword.status, 303);
    const halfway = client.cookies.get('aw_session');
    assert.ok(halfway && halfway !== planted, 'new session id after the password');
    // The password alone does not open the back office.
    const tooEarly = await client.get('/staff');
    assert.equal(tooEarly.status, 303);
    assert.equal(tooEarly.location, '/staff/sign-in');
    await client.get('/staff/sign-in/code');
    clerkCode = totpFor(demoStaff('clerk').totpSecret).generate();
    const done = await client.post('/staff/sign-in/code', { code: clerkCode });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/staff');
    const signedIn = client.cookies.get('aw_session');
    assert.ok(signedIn && signedIn !== halfway && signedIn !== planted, 'new session id after the second factor');
    const inbox = await client.get('/staff');
    assert.equal(inbox.status, 200);
    assert.match(pageText(inbox.body), /Clara Klein/);
    // The earlier session ids are worthless now.
    for (const old of [planted, halfway]) {
      assert.equal(await runtime.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashToken(old)).executeTakeFirst(), undefined);
      const attacker = new HttpClient(app);
      attacker.cookies.set('aw_session', old);
      const res = await attacker.get('/staff');
      assert.equal(res.status, 303);
      assert.equal(res.location, '/staff/sign-in');
    }
    clerk = client;
  });

  test('a replayed or wrong TOTP code is rejected', async () => {
    assert.ok(clerkCode, 'depends on the sign-in test');
    const client = new HttpClient(app);
    assert.equal((await passwordStep(client, 'clerk')).status, 303);
    await client.get('/staff/sign-in/code');
    const replay = await client.post('/staff/sign-in/code', { code: clerkCode });
    assert.equal(replay.status, 422);
    assert.match(pageText(replay.body), /Der Code ist falsch oder schon benutzt/);
    const wrong = await client.post('/staff/sign-in/code', { code: wrongCode(demoStaff('clerk').totpSecret) });
    assert.equal(wrong.status, 422);
    const malformed = await client.post('/staff/sign-in/code', { code: '12ab' });
    assert.equal(malformed.status, 422);
    assert.match(pageText(malformed.body), /Der Code hat 6 Ziffern/);
    assert.equal((await client.get('/staff')).status, 303, 'still not signed in');
    const audit = await runtime.db.selectFrom('audit_entries').select('action').where('actor_id', '=', await staffId('clerk')).where('action', '=', 'staff.totp_wrong').execute();
    assert.equal(audit.length, 2, 'failed second factors are audited');
  });

  test('the other demo accounts sign in', async () => {
    supervisor = (await signIn('supervisor')).client;
    gewerbe = (await signIn('gewerbe')).client;
  });
});

describe('inbox', () => {
  test("shows the department's cases, 25 a page, and pages through all of them exactly once", async () => {
    const total = cases.length;
    const first = await clerk.get('/staff');
    assert.equal(first.status, 200);
    const page1 = caseLinks(first.body);
    assert.equal(page1.length, 25);
    assert.match(first.body, /rel="next"/);
    assert.doesNotMatch(first.body, /rel="prev"/);
    const second = await clerk.get('/staff?page=2');
    const page2 = caseLinks(second.body);
    assert.equal(page2.length, total - 25);
    assert.match(second.body, /rel="prev"/);
    assert.doesNotMatch(second.body, /rel="next"/);
    assert.deepEqual(new Set([...page1, ...page2]), new Set(cases.map((c) => c.caseId)));
    assert.equal(new Set([...page1, ...page2]).size, total, 'no case on both pages');
    // Nonsense page numbers are clamped, not errors.
    assert.equal((await clerk.get('/staff?page=-3')).status, 200);
    const beyond = await clerk.get('/staff?page=99');
    assert.equal(beyond.status, 200);
    assert.equal(caseLinks(beyond.body).length, 0);
  });

  test('sorting by receipt date, oldest or newest first', async () => {
    const oldest = caseLinks((await clerk.get('/staff?sort=submitted')).body);
    const newest = caseLinks((await clerk.get('/staff?sort=submitted_desc')).body);
    const bySubmission = cases.map((c) => c.caseId); // submitted one a minute apart, in this order
    assert.deepEqual(oldest, bySubmission.slice(0, 25));
    assert.deepEqual(newest, [...bySubmission].reverse().slice(0, 25));
  });

  test('filters by state, service and due date', async () => {
    const [a, b] = [cases[3]!, cases[7]!];
    const clerkId = await staffId('clerk');
    const actor = { type: 'staff' as const, id: clerkId, grants: [{ departmentId: 'versammlungsbehoerde', role: 'clerk' }] };
    await transitionCase(runtime, { caseId: a.caseId, transitionId: 'start_review', expectedVersion: 1, actor, input: {} });
    await runtime.db.updateTable('cases').set({ due_at: new Date(Date.now() - HOUR) }).where('id', '=', b.caseId).execute();

    assert.deepEqual(caseLinks((await clerk.get('/staff?state=in_review')).body), [a.caseId]);
    const received = caseLinks((await clerk.get('/staff?state=received&sort=submitted')).body);
    assert.ok(!received.includes(a.caseId) && received.includes(b.caseId), '!received.includes(a.caseId) && received.includes(b.caseId)');
    assert.deepEqual(caseLinks((await clerk.get('/staff?state=banned')).body), []);

    assert.equal(caseLinks((await clerk.get(`/staff?service=${SERVICE}`)).body).length, 25);
    assert.deepEqual(caseLinks((await clerk.get('/staff?service=gewerbeanmeldung')).body), []);

    assert.deepEqual(caseLinks((await clerk.get('/staff?due=overdue')).body), [b.caseId]);
    assert.deepEqual(caseLinks((await clerk.get('/staff?due=today')).body), [b.caseId]);
    const week = caseLinks((await clerk.get('/staff?due=week&page=1')).body);
    assert.equal(week.length, 25);
    assert.ok(week.includes(b.caseId), 'week.includes(b.caseId)');
    // Filters combine.
    assert.deepEqual(caseLinks((await clerk.get('/staff?state=in_review&due=overdue')).body), []);
    // The chosen filter is shown selected.
    assert.match((await clerk.get('/staff?state=in_review')).body, /<option value="in_review" selected/);
  });

  test('staff of another department see none of these cases, and opening one is a 404', async () => {
    const inbox = await gewerbe.get('/staff');
    assert.equal(inbox.status, 200);
    assert.deepEqual(caseLinks(inbox.body), []);
    const target = cases[0]!;
    const file = await gewerbe.get(`/staff/cases/${target.caseId}`);
    assert.equal(file.status, 404);
    assert.doesNotMatch(file.body, new RegExp(escapeRegExp(target.reference)));
    assert.doesNotMatch(file.body, /Person 00/);
    const transition = await gewerbe.post(`/staff/cases/${target.caseId}/transitions/start_review`, { version: '1' });
    assert.equal(transition.status, 404);
    const note = await gewerbe.post(`/staff/cases/${target.caseId}/notes`, { note: 'Fremdzugriff' });
    assert.equal(note.status, 404);
    assert.equal((await caseRow(target.caseId)).state, 'received');
    const views = await runtime.db.selectFrom('audit_entries').select('action').where('actor_id', '=', await staffId('gewerbe')).where('action', '=', 'case.view').execute();
    assert.equal(views.length, 0, 'no case was opened');
  });

  test('an unknown or malformed case id is a 404', async () => {
    assert.equal((await clerk.get(`/staff/cases/${randomUUID()}`)).status, 404);
    assert.equal((await clerk.get('/staff/cases/not-a-uuid')).status, 404);
  });
});

describe('case file', () => {
  test('shows the form data and the timeline and writes an audit entry case.view', async () => {
    const c = await submitAt(new Date(), { subject: 'Für einen autofreien Sonntag', organiserName: 'Hanna Heller' });
    const clerkId = await staffId('clerk');
    const before = await runtime.db.selectFrom('audit_entries').select('action').where('case_id', '=', c.caseId).where('action', '=', 'case.view').execute();
    assert.equal(before.length, 0);
    const page = await clerk.get(`/staff/cases/${c.caseId}`);
    assert.equal(page.status, 200);
    const text = pageText(page.body);
    for (const expected of [c.reference, 'Für einen autofreien Sonntag', 'Hanna Heller', 'Marktplatz 1', '0345 123456']) assert.ok(text.includes(expected), `case view shows ${expected}`);
    assert.match(page.body, /class="aw-timeline"[\s\S]*Eingegangen/);
    assert.equal(testIdText(page.body, 'staff-state'), 'Eingegangen');
    const audit = await runtime.db.selectFrom('audit_entries').selectAll().where('case_id', '=', c.caseId).where('action', '=', 'case.view').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_type, 'staff');
    assert.equal(audit[0]!.actor_id, clerkId);
    await clerk.get(`/staff/cases/${c.caseId}`);
    const again = await runtime.db.selectFrom('audit_entries').select('action').where('case_id', '=', c.caseId).where('action', '=', 'case.view').execute();
    assert.equal(again.length, 2, 'every opening is audited');
  });

  test('start_review then confirm via the forms: the citizen sees "Bestätigt" immediately', async () => {
    const c = await submitAt(new Date());
    const review = await takeTransition(clerk, c.caseId, 'start_review');
    assert.equal(review.status, 200);
    assert.match(pageText(review.body), /Neuer Stand: In Prüfung/);
    assert.equal(testIdText(review.body, 'staff-state'), 'In Prüfung');
    assert.equal(hiddenValue(review.body, 'version'), '2', 'the page carries the new version');
    const remarks = 'Bitte halten Sie die Feuerwehrzufahrt frei.';
    const confirm = await takeTransition(clerk, c.caseId, 'confirm', { conditions: remarks });
    assert.equal(confirm.status, 200);
    assert.equal(testIdText(confirm.body, 'staff-state'), 'Bestätigt');
    const row = await caseRow(c.caseId);
    assert.equal(row.state, 'confirmed');
    assert.equal(row.version, 3);
    const status = await citizenStatus(c);
    assert.equal(status.status, 200);
    assert.equal(testIdText(status.body, 'state-label'), 'Bestätigt');
    assert.ok(pageText(status.body).includes(remarks), 'the public remark is shown to the citizen');
    const transitions = await runtime.db.selectFrom('audit_entries').select('action').where('case_id', '=', c.caseId).where('action', 'like', 'case.transition.%').orderBy('at').orderBy('pending_id').execute();
    assert.deepEqual(transitions.map((t) => t.action), ['case.transition.start_review', 'case.transition.confirm']);
  });

  test('a stale version gets 409 and the conflict message; nothing is overwritten', async () => {
    const c = await submitAt(new Date());
    const seenByClerk = await clerk.get(`/staff/cases/${c.caseId}`);
    const staleVersion = hiddenValue(seenByClerk.body, 'version')!;
    assert.equal(staleVersion, '1');
    // Meanwhile the supervisor acts on the case.
    assert.equal((await takeTransition(supervisor, c.caseId, 'start_review')).status, 200);
    const res = await clerk.post(`/staff/cases/${c.caseId}/transitions/start_review`, { version: staleVersion });
    assert.equal(res.status, 409);
    assert.match(pageText(res.body), /Jemand anderes hat diesen Vorgang inzwischen bearbeitet/);
    assert.equal(testIdText(res.body, 'staff-state'), 'In Prüfung', 'the page shows the current state');
    const row = await caseRow(c.caseId);
    assert.equal(row.version, 2);
    const events = await runtime.db.selectFrom('case_events').select('transition_id').where('case_id', '=', c.caseId).where('kind', '=', 'transition').execute();
    assert.equal(events.length, 1);
    // A form without any version is refused too.
    const missing = await clerk.post(`/staff/cases/${c.caseId}/transitions/confirm`, {});
    assert.equal(missing.status, 409);
    assert.equal((await caseRow(c.caseId)).state, 'in_review');
  });

  test('a ban without (enough) reason is 422 with a field message; the typed text is kept', async () => {
    const c = await submitAt(new Date());
    assert.equal((await takeTransition(clerk, c.caseId, 'start_review')).status, 200);
    const empty = await takeTransition(clerk, c.caseId, 'ban', { reason: '' });
    assert.equal(empty.status, 422);
    assert.deepEqual(summaryTexts(empty.body).map((e) => e.href), ['#ban-reason']);
    assert.match(fieldError(empty.body, 'ban-reason') ?? '', /Begründung des Verbots/);
    const typed = 'Zu laut <b>hier</b>';
    const short = await takeTransition(clerk, c.caseId, 'ban', { reason: typed });
    assert.equal(short.status, 422);
    assert.match(fieldError(short.body, 'ban-reason') ?? '', /mindestens 20 Zeichen/);
    assert.equal(controlById(short.body, 'ban-reason')?.value, typed, 'typed reason kept');
    assert.doesNotMatch(short.body, /<b>hier<\/b>/);
    assert.equal(controlById(short.body, 'confirm-conditions')?.value, '', 'other forms stay empty');
    const row = await caseRow(c.caseId);
    assert.equal(row.state, 'in_review');
    assert.equal(row.version, 2);
  });

  test('no staff member can take the applicant-only withdraw, nor a transition that does not exist', async () => {
    const c = await submitAt(new Date());
    const page = await clerk.get(`/staff/cases/${c.caseId}`);
    assert.doesNotMatch(page.body, /\/transitions\/withdraw"/, 'withdraw is not offered to staff');
    assert.match(page.body, /\/transitions\/start_review"/);
    for (const client of [clerk, supervisor]) {
      const res = await takeTransition(client, c.caseId, 'withdraw');
      assert.equal(res.status, 403);
      assert.match(pageText(res.body), /Dazu sind Sie nicht berechtigt/);
    }
    const unknown = await takeTransition(clerk, c.caseId, 'approve_everything');
    assert.equal(unknown.status, 404);
    // A transition from the wrong state is a conflict, not a silent change.
    const early = await takeTransition(clerk, c.caseId, 'confirm');
    assert.equal(early.status, 409);
    assert.match(pageText(early.body), /ist im Stand „Eingegangen“ nicht mehr möglich/);
    const row = await caseRow(c.caseId);
    assert.equal(row.state, 'received');
    assert.equal(row.version, 1);
  });

  test('notes are saved, shown to staff, and never on the citizen status page', async () => {
    const c = await submitAt(new Date());
    await clerk.get(`/staff/cases/${c.caseId}`);
    const note = 'Interner Hinweis: Veranstalterin ist bekannt, Rückruf unter 0345-999.';
    const posted = await clerk.post(`/staff/cases/${c.caseId}/notes`, { note });
    assert.equal(posted.status, 303);
    const saved = await clerk.follow(posted);
    assert.equal(saved.status, 200);
    assert.match(pageText(saved.body), /Notiz gespeichert/);
    assert.doesNotMatch(pageText((await clerk.get(`/staff/cases/${c.caseId}`)).body), /Notiz gespeichert/, 'the confirmation is shown once');
    assert.match(pageText(saved.body), /Notiz gespeichert/);
    assert.ok(pageText(saved.body).includes(note), 'pageText(saved.body).includes(note)');
    const stored = await runtime.db.selectFrom('case_events').selectAll().where('case_id', '=', c.caseId).where('kind', '=', 'note').execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.public, false);
    assert.equal((stored[0]!.payload as { text: string }).text, note);
    const status = await citizenStatus(c);
    assert.equal(status.status, 200);
    assert.ok(!pageText(status.body).includes('Interner Hinweis'), 'the note is not shown to the citizen');
    assert.ok(!status.body.includes('0345-999'), '!status.body.includes(\'0345-999\')');
    const empty = await clerk.post(`/staff/cases/${c.caseId}/notes`, { note: '   ' });
    assert.equal(empty.status, 422);
    assert.match(fieldError(empty.body, 'note') ?? '', /Bitte schreiben Sie eine Notiz/);
  });
});

describe('signing out', () => {
  test('sign-out ends the session: the inbox redirects to sign-in again', async () => {
    await clerk.get('/staff');
    const token = clerk.cookies.get('aw_session')!;
    const out = await clerk.post('/staff/sign-out', {});
    assert.equal(out.status, 303);
    assert.equal(out.location, '/staff/sign-in');
    assert.equal(await runtime.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashToken(token)).executeTakeFirst(), undefined);
    const inbox = await clerk.get('/staff');
    assert.equal(inbox.status, 303);
    assert.equal(inbox.location, '/staff/sign-in');
    // Replaying the old cookie does not help either.
    const replay = new HttpClient(app);
    replay.cookies.set('aw_session', token);
    assert.equal((await replay.get('/staff')).status, 303);
  });
});
