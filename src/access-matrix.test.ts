import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { signInCitizen } from './test-support/citizen-sign-in.ts';
import { csrfFrom, hiddenValue, HttpClient, type HttpResponse } from './test-support/http-client.ts';
import { submitViaForm } from './test-support/http-forms.ts';
import { testApp, validAssembly, type TestRuntime } from './test-support/runtime.ts';
import { storeDocument } from './efile/documents.ts';
import { signInStaff } from './test-support/staff-sign-in.ts';

/**
 * The access matrix: every route that names a case (or a staff account) in its path, tried by
 * every kind of visitor — anonymous, a visitor who proved case A with its access code, citizens
 * A and B (each owning one case), a clerk of the receiving department (X), a clerk of another
 * department (Y), a department administrator of X — with exactly the expected allow or deny, and
 * nothing of the case in any denied answer. A route with a path parameter that this file does not
 * know fails the test, so a new route cannot slip past the matrix.
 *
 * There are no document routes yet (the E-Akte issue adds them; they must be added here).
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;

type Who = 'anonymous' | 'visitorA' | 'citizenA' | 'citizenB' | 'clerkX' | 'clerkY' | 'adminX';
const WHO: readonly Who[] = ['anonymous', 'visitorA', 'citizenA', 'citizenB', 'clerkX', 'clerkY', 'adminX'];
const clients = {} as Record<Who, HttpClient>;
const caseA = { id: '', reference: '', accessCode: '' };
const caseB = { id: '', reference: '', accessCode: '' };
const NAME_A = 'Annegret Aaltonen';

/** Routes with path parameters this matrix covers, and those it deliberately does not (with why). */
const COVERED = new Set([
  'GET /status/:caseId',
  'GET /status/:caseId/actions/:transition',
  'POST /status/:caseId/actions/:transition',
  'GET /staff/cases/:id',
  'POST /staff/cases/:id/transitions/:transition',
  'POST /staff/cases/:id/assignment',
  'POST /staff/cases/:id/notes',
  'GET /status/:caseId/documents/:documentId',
  'POST /status/:caseId/documents',
  'POST /status/:caseId/messages',
  'GET /status/:caseId/request',
  'POST /status/:caseId/request',
  'POST /staff/cases/:id/messages',
  'POST /staff/cases/:id/request',
  'POST /staff/cases/:id/request/cancel',
  'GET /staff/cases/:id/documents/:documentId',
  'POST /staff/cases/:id/documents',
  'POST /staff/cases/:id/documents/:documentId/versions',
  'POST /staff/cases/:id/legal-hold',
  'POST /staff/cases/:id/legal-hold/release',
  'POST /staff/cases/:id/export/xdomea',
  'GET /staff/admin/users/:id',
  'POST /staff/admin/users/:id/roles',
  'POST /staff/admin/users/:id/active',
  'POST /staff/admin/jobs/:id/retry',
  'POST /status/:caseId/pay',
  'POST /staff/cases/:id/payments/:paymentId/refund',
  'POST /staff/cases/:id/trade-deliveries/:deliveryId/retry',
]);
const EXEMPT: Record<string, string> = {
  'POST /api/dev/xgewerbeanzeige/:recipientId': 'the bundled development receiver of XGewerbeanzeige messages (never in production): takes messages, answers nothing about cases (trade/trade-notices.test.ts)',
  'GET /dev/pay/:providerPaymentId': 'the development payment provider\'s hosted page (never in production): the unguessable checkout id is the capability, as at a real PSP; shows amounts and fee labels only (payments/payments.test.ts)',
  'POST /dev/pay/:providerPaymentId': 'the development payment provider\'s hosted page (never in production): the unguessable checkout id is the capability (payments/payments.test.ts)',
  'GET /services/:id': 'the public service description',
  'GET /services/:id/form/:page': "the visitor's own draft, bound to their session",
  'POST /services/:id/form/:page': "the visitor's own draft, bound to their session",
  'GET /services/:id/check': "the visitor's own draft, bound to their session",
  'POST /services/:id/submit': "the visitor's own draft, bound to their session",
  'GET /services/:id/confirmation': "the session's own last submission (tested in portal tests)",
  'GET /api/v1/services/:id': 'the public form definition',
  'POST /api/v1/services/:id/submissions': 'creates a case; reveals nothing of others',
  'GET /account/link/:token': 'a one-time sign-in link (tested in account tests)',
  'GET /wohnungsgeber/b/:token': "the landlord's link to a requested Wohnungsgeberbestätigung: the random token (kept only hashed, expires, works once) is the capability; shows only what the tenant asked to be confirmed (landlord/landlord-routes.test.ts)",
  'POST /wohnungsgeber/b/:token': 'confirms through that link once; a used, expired or unknown token is refused (landlord/landlord-routes.test.ts)',
  'GET /status/:caseId/elster-export': "the founder's ELSTER export: the same proven-case check as the status page (provenCaseOf) plus the founding service in the query; a stranger and another service's case get 404 (founding/founding.test.ts)",
  'GET /verify/:id': 'public by design: the QR code on issued documents; shows no reference, name or case data (portal/verify-routes.test.ts)',
  'POST /verify/:id': 'public by design: compares an uploaded PDF with the recorded fingerprint, nothing stored',
  'GET /appointments/book/:serviceId': 'public booking pages; a ?case= is allowed only to its prover or owner (appointments/appointments.test.ts)',
  'POST /appointments/book/:serviceId': 'books a place; a case= is allowed only to its prover or owner (appointments/appointments.test.ts)',
  'POST /appointments/waitlist/:serviceId': 'joins the waiting list; reveals nothing of others',
  'GET /appointments/manage/:token': 'the link in the appointment mail is the capability; a wrong token is 404 (appointments/appointments.test.ts)',
  'GET /appointments/manage/:token/rebook': 'the link in the appointment mail is the capability (appointments/appointments.test.ts)',
  'POST /appointments/manage/:token/rebook': 'the link in the appointment mail is the capability (appointments/appointments.test.ts)',
  'GET /appointments/manage/:token/cancel': 'the link in the appointment mail is the capability (appointments/appointments.test.ts)',
  'POST /appointments/manage/:token/cancel': 'the link in the appointment mail is the capability (appointments/appointments.test.ts)',
  'POST /appointments/manage/:token/accept': 'the link in the offer mail is the capability (appointments/appointments.test.ts)',
  'POST /staff/appointments/:bookingId/attendance': "staff of the department running the booking's location only, in the query; others get 404 (appointments/appointments.test.ts)",
};

/** Every route of the app as "METHOD /path", from Fastify's own route tree (HEAD left out). */
function routeTable(instance: FastifyInstance): string[] {
  const lines = instance.printRoutes({ commonPrefix: false }).split('\n');
  const stack: string[] = [];
  const out: string[] = [];
  for (const line of lines) {
    const m = /^([│ ]*)(?:[├└]── )?(\S+) \(([^)]+)\)$/.exec(line.replace(/\s+$/, ''));
    if (!m) continue;
    const depth = Math.round(m[1]!.length / 4);
    stack.length = depth;
    stack[depth] = m[2]!;
    const path = stack.join('').replace(/^\/+/, '/').replace(/([^/])\/\//g, '$1/');
    const full = path.startsWith('/') ? path : `/${path}`;
    for (const method of m[3]!.split(',').map((x) => x.trim())) if (method !== 'HEAD') out.push(`${method} ${full === '/' ? '/' : full.replace(/^\/\//, '/')}`);
  }
  return out;
}

const staffClient = (username: string): Promise<HttpClient> => signInStaff(app, username);

async function submitOwned(client: HttpClient, name: string, into: typeof caseA): Promise<void> {
  const { reference, accessCode } = await submitViaForm(client, validAssembly(new Date(), { organiserName: name, leaderName: name }));
  const row = await runtime.db.selectFrom('cases').select(['id', 'citizen_id']).where('reference', '=', reference).executeTakeFirstOrThrow();
  assert.ok(row.citizen_id, 'a case submitted while signed in belongs to the account');
  Object.assign(into, { id: row.id, reference, accessCode });
}

before(async () => {
  ({ app, runtime, close } = await testApp({ config: { statusLookupsPerMinute: 1000 } }));
  for (const who of WHO) clients[who] = new HttpClient(app);
  await signInCitizen(runtime.db, clients.citizenA, 'a@example.org');
  await signInCitizen(runtime.db, clients.citizenB, 'b@example.org');
  await submitOwned(clients.citizenA, NAME_A, caseA);
  await submitOwned(clients.citizenB, 'Bernd Brandt', caseB);
  await clients.visitorA.get('/status');
  assert.equal((await clients.visitorA.post('/status', { reference: caseA.reference, accessCode: caseA.accessCode })).status, 303, 'the visitor proves case A');
  clients.clerkX = await staffClient('clerk');
  clients.clerkY = await staffClient('gewerbe');
  clients.adminX = await staffClient('deptadmin');
});
after(async () => close());

/** Denied: a redirect to a sign-in, 403 or 404 — and nothing of case A in the answer. */
function assertDenied(res: HttpResponse, what: string): void {
  const redirectToSignIn = res.status === 303 && /\/(staff\/sign-in|account\/sign-in|status)$/.test(res.location ?? '');
  assert.ok(redirectToSignIn || res.status === 403 || res.status === 404, `${what}: denied (got ${res.status} ${res.location ?? ''})`);
  assert.ok(!res.body.includes(caseA.reference) && !res.body.includes(NAME_A), `${what}: nothing of case A in the answer`);
}

function assertAllowed(res: HttpResponse, what: string): void {
  assert.equal(res.status, 200, `${what}: allowed`);
  assert.ok(res.body.includes(caseA.reference), `${what}: shows case A`);
}

const expectAllowed = (allowed: readonly Who[]) => Object.fromEntries(WHO.map((w) => [w, allowed.includes(w)])) as Record<Who, boolean>;

test('every route with a path parameter is in the matrix', () => {
  const withParams = routeTable(app).filter((r) => r.includes(':'));
  assert.ok(withParams.length >= COVERED.size, `the route table was read (${withParams.length} routes with parameters)`);
  const unknown = withParams.filter((r) => !COVERED.has(r) && !(r in EXEMPT));
  assert.deepEqual(unknown, [], 'routes not classified in the access matrix');
  const gone = [...COVERED].filter((r) => !withParams.includes(r));
  assert.deepEqual(gone, [], 'matrix entries whose route no longer exists');
});

test("the citizen's status page and actions: the prover and the owner only", async () => {
  const expected = expectAllowed(['visitorA', 'citizenA']);
  for (const who of WHO) {
    const page = await clients[who].get(`/status/${caseA.id}`);
    if (expected[who]) assertAllowed(page, `${who} GET /status/A`);
    else assertDenied(page, `${who} GET /status/A`);
    const confirm = await clients[who].get(`/status/${caseA.id}/actions/withdraw`);
    if (expected[who]) assertAllowed(confirm, `${who} GET withdraw confirmation`);
    else assertDenied(confirm, `${who} GET withdraw confirmation`);
    if (!expected[who]) {
      await clients[who].get('/');
      assertDenied(await clients[who].post(`/status/${caseA.id}/actions/withdraw`, { version: '1' }), `${who} POST withdraw`);
    }
  }
  const row = await runtime.db.selectFrom('cases').select('state').where('id', '=', caseA.id).executeTakeFirstOrThrow();
  assert.equal(row.state, 'received', 'no denied request changed case A');
});

test('the staff case file and its actions: clerks of the receiving department only', async () => {
  const expected = expectAllowed(['clerkX']);
  const eventsBefore = await runtime.db.selectFrom('case_events').select('id').where('case_id', '=', caseA.id).execute();
  for (const who of WHO) {
    const page = await clients[who].get(`/staff/cases/${caseA.id}`);
    if (expected[who]) {
      assertAllowed(page, `${who} GET /staff/cases/A`);
      continue;
    }
    assertDenied(page, `${who} GET /staff/cases/A`);
    await clients[who].get('/');
    assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/notes`, { note: 'eingeschleust' }), `${who} POST note`);
    assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/transitions/start_review`, { version: '1', _action: 'start_review' }), `${who} POST transition`);
    assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/assignment`, { version: '1', assignee: 'me' }), `${who} POST assignment`);
  }
  const eventsAfter = await runtime.db.selectFrom('case_events').select('id').where('case_id', '=', caseA.id).execute();
  assert.equal(eventsAfter.length, eventsBefore.length, 'no denied request added anything to case A');
  const audit = await runtime.db.selectFrom('audit_entries').select(['actor_id', 'action']).where('case_id', '=', caseA.id).where('action', '=', 'case.view').execute();
  assert.equal(audit.length, 1, "exactly one audited opening of A's file: the allowed clerk's");
});

test("the case file's documents: the applicant (prover or owner) and the receiving department's clerks only", async () => {
  const doc = await storeDocument(runtime, { caseId: caseA.id, fileName: 'nachweis.pdf', contentType: 'application/pdf', body: Buffer.from('%PDF-1.4\n% Nachweis\n%%EOF\n'), createdBy: { type: 'applicant', id: null } });
  const applicant = expectAllowed(['visitorA', 'citizenA']);
  const staff = expectAllowed(['clerkX']);
  for (const who of WHO) {
    const own = await clients[who].get(`/status/${caseA.id}/documents/${doc.id}`);
    if (applicant[who]) assert.equal(own.status, 200, `${who} downloads the applicant's document`);
    else assertDenied(own, `${who} GET /status/A/documents`);
    const file = await clients[who].get(`/staff/cases/${caseA.id}/documents/${doc.id}`);
    if (staff[who]) assert.equal(file.status, 200, `${who} downloads from the case file`);
    else assertDenied(file, `${who} GET /staff/cases/A/documents`);
    if (!applicant[who]) {
      await clients[who].get('/');
      assertDenied(await clients[who].post(`/status/${caseA.id}/documents`, {}), `${who} POST /status/A/documents`);
    }
    if (staff[who]) continue;
    await clients[who].get('/');
    assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/documents`, { 'document-title': 'eingeschleust' }), `${who} POST document`);
    assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/documents/${doc.documentId}/versions`, {}), `${who} POST version`);
  }
  const versions = await runtime.db.selectFrom('documents').select('id').where('document_id', '=', doc.documentId).execute();
  assert.equal(versions.length, 1, 'no denied request added a version');
  const all = await runtime.db.selectFrom('documents').select('id').where('case_id', '=', caseA.id).execute();
  assert.equal(all.length, 1, 'no denied request added a document to case A');
  const downloads = await runtime.db.selectFrom('audit_entries').select('actor_id').where('case_id', '=', caseA.id).where('action', '=', 'document.download').execute();
  assert.equal(downloads.length, 1, "exactly one audited staff download: the allowed clerk's");
});

test('the Postfach and requests for more information: the applicant and the receiving department\'s clerks only', async () => {
  const applicant = expectAllowed(['visitorA', 'citizenA']);
  const staff = expectAllowed(['clerkX']);
  for (const who of WHO) {
    await clients[who].get('/');
    if (!applicant[who]) {
      assertDenied(await clients[who].post(`/status/${caseA.id}/messages`, { 'reply-body': 'eingeschleust' }), `${who} POST /status/A/messages`);
      assertDenied(await clients[who].get(`/status/${caseA.id}/request`), `${who} GET /status/A/request`);
      await clients[who].get('/');
      assertDenied(await clients[who].post(`/status/${caseA.id}/request`, { subject: 'eingeschleust' }), `${who} POST /status/A/request`);
    }
    if (!staff[who]) {
      await clients[who].get('/');
      assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/messages`, { 'message-body': 'eingeschleust' }), `${who} POST staff message`);
      assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/request`, { 'request-documents': 'x', 'request-note': 'x', 'request-due': '2099-01-01' }), `${who} POST request`);
      assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/request/cancel`, {}), `${who} POST request cancel`);
    }
  }
  // The allowed ones: the applicant writes, the clerk asks.
  await clients.citizenA.get(`/status/${caseA.id}`);
  assert.equal((await clients.citizenA.post(`/status/${caseA.id}/messages`, { 'reply-body': 'Frage zum Termin' })).status, 303, 'the owner writes');
  await clients.clerkX.get(`/staff/cases/${caseA.id}`);
  assert.equal((await clients.clerkX.post(`/staff/cases/${caseA.id}/messages`, { 'message-body': 'Antwort' })).status, 303, 'the clerk answers');
  const messages = await runtime.db.selectFrom('case_messages').select('body').where('case_id', '=', caseA.id).execute();
  assert.deepEqual(messages.map((m) => m.body).sort(), ['Antwort', 'Frage zum Termin'], 'only the allowed messages were written');
  const requests = await runtime.db.selectFrom('information_requests').select('id').where('case_id', '=', caseA.id).execute();
  assert.equal(requests.length, 0, 'no denied request asked anything');
});

test('the legal hold: supervisors of the receiving department only (none of the visitors here)', async () => {
  // Allowed for a supervisor: src/efile/retention.test.ts. Here everyone is refused, the
  // receiving department's clerk included (the permission is case.assign).
  for (const who of WHO) {
    await clients[who].get('/');
    assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/legal-hold`, { legalHoldReason: 'eingeschleust' }), `${who} POST legal hold`);
    assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/legal-hold`, { legalHoldReason: '' }), `${who} POST empty legal hold`);
    assertDenied(await clients[who].post(`/staff/cases/${caseA.id}/legal-hold/release`, {}), `${who} POST legal hold release`);
  }
  const row = await runtime.db.selectFrom('cases').select('legal_hold_at').where('id', '=', caseA.id).executeTakeFirstOrThrow();
  assert.equal(row.legal_hold_at, null, 'no denied request put case A on hold');
});

test('retrying a failed job: system administrators only (none of the visitors here)', async () => {
  // Allowed for a system administrator: src/backoffice/jobs-routes.test.ts. Here everyone is
  // refused, the department administrator included (the permission is system.manage).
  const { rows } = await sql<{ id: string }>`insert into pgboss.job (name, state, completed_on, output) values ('housekeeping', 'failed', now(), '{"message":"Testfehler"}'::jsonb) returning id::text as id`.execute(runtime.db);
  const jobId = rows[0]!.id;
  for (const who of WHO) {
    await clients[who].get('/');
    const res = await clients[who].post(`/staff/admin/jobs/${jobId}/retry`);
    assert.ok((res.status === 303 && /\/staff\/sign-in$/.test(res.location ?? '')) || res.status === 403, `${who} POST job retry: denied (got ${res.status} ${res.location ?? ''})`);
    assert.ok(!res.body.includes('Testfehler'), `${who}: nothing of the job in the answer`);
  }
  const state = await sql<{ state: string }>`select state::text as state from pgboss.job where id = ${jobId}::uuid`.execute(runtime.db);
  assert.equal(state.rows[0]?.state, 'failed', 'no denied request retried the job');
  const audit = await runtime.db.selectFrom('audit_entries').select('action').where('action', '=', 'jobs.retried').execute();
  assert.equal(audit.length, 0, 'nothing audited as retried');
});

test('"Meine Anliegen" lists only one\'s own cases; a case cannot be claimed from another account', async () => {
  const listA = await clients.citizenA.get('/my-cases');
  assert.ok(listA.body.includes(caseA.reference) && !listA.body.includes(caseB.reference), 'A sees A, not B');
  const listB = await clients.citizenB.get('/my-cases');
  assert.ok(listB.body.includes(caseB.reference) && !listB.body.includes(caseA.reference), 'B sees B, not A');
  for (const who of ['anonymous', 'visitorA', 'clerkX'] as const) assertDenied(await clients[who].get('/my-cases'), `${who} GET /my-cases`);
  await clients.citizenB.get('/my-cases');
  const claim = await clients.citizenB.post('/my-cases/claim', { reference: caseA.reference, accessCode: caseA.accessCode });
  assert.equal(claim.status, 409, "claiming another account's case is refused");
  const owner = await runtime.db.selectFrom('cases').select('citizen_id').where('id', '=', caseA.id).executeTakeFirstOrThrow();
  const a = await runtime.db.selectFrom('sessions').select('citizen_id').where('citizen_id', 'is not', null).execute();
  assert.ok(a.some((s) => s.citizen_id === owner.citizen_id), 'case A still belongs to citizen A');
});

test('the Datenschutz-Cockpit and the data export: signed-in citizens, each only their own cases', async () => {
  // Case A was opened by clerk X above: A sees that access, B must not.
  const ofA = await clients.citizenA.get('/account/data-protection');
  assertAllowed(ofA, 'citizenA GET /account/data-protection');
  const ofB = await clients.citizenB.get('/account/data-protection');
  assert.equal(ofB.status, 200, 'citizenB opens their own cockpit');
  assert.ok(!ofB.body.includes(caseA.reference) && !ofB.body.includes(NAME_A), "citizenB's cockpit shows nothing of case A");
  for (const who of ['anonymous', 'visitorA', 'clerkX', 'clerkY', 'adminX'] as const) {
    assertDenied(await clients[who].get('/account/data-protection'), `${who} GET /account/data-protection`);
    await clients[who].get('/');
    assertDenied(await clients[who].post('/account/data-export'), `${who} POST /account/data-export`);
  }
});

test('the status API answers only to the right access code', async () => {
  const anon = clients.anonymous;
  const wrong = await anon.sendJson('POST', '/api/v1/status', { reference: caseA.reference, accessCode: 'ZZZZZ-ZZZZZ' });
  assert.equal(wrong.status, 404);
  assert.ok(!wrong.body.includes(NAME_A), 'nothing of the case with a wrong code');
  const right = await anon.sendJson('POST', '/api/v1/status', { reference: caseA.reference, accessCode: caseA.accessCode });
  assert.equal(right.status, 200);
  assert.ok(!right.body.includes(NAME_A), 'the status answer carries no personal data');
});

test('staff accounts: administrators of the department only', async () => {
  const gewerbeId = (await runtime.db.selectFrom('staff_users').select('id').where('username', '=', 'gewerbe').executeTakeFirstOrThrow()).id;
  const clerkId = (await runtime.db.selectFrom('staff_users').select('id').where('username', '=', 'clerk2').executeTakeFirstOrThrow()).id;
  for (const who of WHO) {
    const page = await clients[who].get(`/staff/admin/users/${clerkId}`);
    if (who === 'adminX') assert.equal(page.status, 200, 'the department administrator opens a member of the department');
    else assert.ok([303, 403, 404].includes(page.status), `${who} cannot open a staff account (got ${page.status})`);
  }
  assert.equal((await clients.adminX.get(`/staff/admin/users/${gewerbeId}`)).status, 404, "another department's staff are out of reach");
  await clients.adminX.get(`/staff/admin/users/${clerkId}`);
  const token = hiddenValue((await clients.adminX.get(`/staff/admin/users/${clerkId}`)).body, '_csrf');
  assert.ok(token, 'the edit page carries a CSRF token');
  for (const who of ['clerkX', 'clerkY', 'citizenA', 'anonymous'] as const) {
    await clients[who].get('/');
    const res = await clients[who].post(`/staff/admin/users/${clerkId}/active`, { active: 'false' });
    assert.ok([303, 403, 404].includes(res.status), `${who} cannot deactivate staff (got ${res.status})`);
  }
  const still = await runtime.db.selectFrom('staff_users').select('active').where('id', '=', clerkId).executeTakeFirstOrThrow();
  assert.equal(still.active, true, 'no denied request deactivated the account');
});

test('the archive export (xdomea 0503): supervisors of the receiving department only, closed cases only', async () => {
  // Case C: filed anonymously, then reviewed and confirmed (a final state) by clerk X.
  const NAME_C = 'Cornelia Carstens';
  const { reference } = await submitViaForm(new HttpClient(app), validAssembly(new Date(), { organiserName: NAME_C, leaderName: NAME_C }));
  const caseC = (await runtime.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
  await clients.clerkX.get(`/staff/cases/${caseC}`);
  assert.equal((await clients.clerkX.post(`/staff/cases/${caseC}/transitions/start_review`, { version: '1' })).status, 303, 'review started');
  await clients.clerkX.get(`/staff/cases/${caseC}`);
  assert.equal((await clients.clerkX.post(`/staff/cases/${caseC}/transitions/confirm`, { version: '2', 'confirm-conditions': 'Keine Auflagen.' })).status, 303, 'case C confirmed');
  const supervisorX = await staffClient('supervisor');

  const url = `/staff/cases/${caseC}/export/xdomea`;
  const expected: Record<Who, number[]> = { anonymous: [303], visitorA: [303], citizenA: [303], citizenB: [303], clerkX: [403], clerkY: [404], adminX: [404] };
  for (const who of WHO) {
    // A page with a form first, so the post carries a valid CSRF token and meets the access check itself.
    assert.ok(csrfFrom((await clients[who].get('/status')).body), `${who} holds a CSRF token`);
    const res = await clients[who].post(url);
    assert.ok(expected[who].includes(res.status), `${who} POST export: denied with ${expected[who].join('/')} (got ${res.status})`);
    if (res.status === 303) assert.match(res.location ?? '', /\/staff\/sign-in$/, `${who} is sent to the staff sign-in`);
    assert.notEqual(res.headers['content-type'], 'application/zip', `${who} gets no container`);
    assert.ok(!res.body.includes(reference) && !res.body.includes(NAME_C), `${who}: nothing of case C in the answer`);
  }
  const denied = await runtime.db.selectFrom('audit_entries').select('action').where('case_id', '=', caseC).where('action', '=', 'case.exported_xdomea').execute();
  assert.equal(denied.length, 0, 'no denied request exported case C');

  await supervisorX.get(`/staff/cases/${caseC}`);
  const res = await supervisorX.post(url);
  assert.equal(res.status, 200, 'the supervisor of the department exports the closed case');
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="[0-9a-f-]{36}_Aussonderung\.Aussonderung\.0503\.zip"; filename\*=UTF-8''[0-9a-f-]{36}_Aussonderung\.Aussonderung\.0503\.zip$/);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(String(res.headers['cache-control']), /no-store/);
  const entries = unzipSync(new Uint8Array(res.raw.rawPayload));
  const xml = Object.entries(entries).find(([n]) => n.endsWith('_Aussonderung.Aussonderung.0503.xml'));
  assert.ok(xml && strFromU8(xml[1]).includes(reference), 'the container carries case C');

  // An open case (B, still "received") is refused: back to the case file with the reason.
  await supervisorX.get(`/staff/cases/${caseB.id}`);
  const open = await supervisorX.post(`/staff/cases/${caseB.id}/export/xdomea`);
  assert.equal(open.status, 303, 'an open case is not exported');
  assert.equal(open.location, `/staff/cases/${caseB.id}`);
  assert.match((await supervisorX.follow(open)).body, /noch nicht abgeschlossen/, 'the case file says why');
});

test('paying the fee: the prover and the owner only; refunds: clerks of the receiving department only', async () => {
  // Case A is free (Versammlungsanzeige): the allowed get past the access check to the rule
  // "no fee to pay" (409); everyone else is refused before it. Fee-bearing cases, the hosted
  // page and the webhook: src/payments/payments.test.ts.
  const payers = expectAllowed(['visitorA', 'citizenA']);
  for (const who of WHO) {
    await clients[who].get('/');
    const res = await clients[who].post(`/status/${caseA.id}/pay`);
    if (payers[who]) assert.equal(res.status, 409, `${who} POST pay: past the access check, refused by the rule (got ${res.status})`);
    else assertDenied(res, `${who} POST pay`);
  }
  // A paid payment of case A, as the provider's webhook would have left it.
  const paid = await runtime.db
    .insertInto('payments')
    .values({ case_id: caseA.id, amount_cents: 2500, provider: 'dev', provider_payment_id: 'devpay_matrix_case_a_paid', status: 'paid', paid_at: new Date(), items: JSON.stringify([{ label: { de: 'Gebühr', en: 'Fee' }, cents: 2500 }]) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const url = `/staff/cases/${caseA.id}/payments/${paid.id}/refund`;
  for (const who of WHO) {
    if (who === 'clerkX') continue;
    await clients[who].get('/');
    assertDenied(await clients[who].post(url, { refundAmount: '5', refundReason: 'eingeschleust' }), `${who} POST refund`);
  }
  assert.equal((await runtime.db.selectFrom('payment_refunds').select('id').where('payment_id', '=', paid.id).execute()).length, 0, 'no denied request asked for a refund');
  await clients.clerkX.get(`/staff/cases/${caseA.id}`);
  const refused = await clients.clerkX.post(url, { refundAmount: '30', refundReason: 'zu viel' });
  assert.equal(refused.status, 422, 'the clerk of the department gets to the form (more than was paid is refused)');
  const ok = await clients.clerkX.post(url, { refundAmount: '5', refundReason: 'Teilerstattung' });
  assert.equal(ok.status, 303, 'the clerk of the department refunds');
  const row = await runtime.db.selectFrom('payments').select(['status', 'refunded_cents']).where('id', '=', paid.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { status: 'partially_refunded', refunded_cents: 500 });
});

test('the ID document arrival page (no path parameter, moves cases by serial): Bürgerservice case workers only', async () => {
  // Nobody of this matrix works cases at the Bürgerservice, so all are refused; the allowed clerk,
  // other departments and the moves themselves: src/id-documents/arrivals.test.ts.
  for (const who of WHO) {
    assertDenied(await clients[who].get('/staff/id-documents/arrivals'), `${who} GET arrivals`);
    await clients[who].get('/');
    assertDenied(await clients[who].post('/staff/id-documents/arrivals', { serials: 'L01X00T47' }), `${who} POST arrivals`);
  }
});

test('sending a failed XGewerbeanzeige message again: clerks of the receiving department only', async () => {
  // A failed delivery on case A, as a recipient that was down would have left it (trade notices
  // and the allowed retry on a real trade case: src/trade/trade-notices.test.ts).
  const submitted = await runtime.db.selectFrom('case_events').select('id').where('case_id', '=', caseA.id).where('kind', '=', 'submitted').executeTakeFirstOrThrow();
  const failed = await runtime.db
    .insertInto('trade_message_deliveries')
    .values({ case_id: caseA.id, event_id: submitted.id, notice_kind: 'anmeldung', recipient_id: 'sta', recipient_kind: 'sta', recipient_name: 'Statistik', message_type: 'sta.gewerbemeldung.0100', message_uuid: '11111111-2222-4333-8444-555555555555', record_uuid: '11111111-2222-4333-8444-666666666666', status: 'failed', attempts: 1, last_error: 'HTTP 500' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const url = `/staff/cases/${caseA.id}/trade-deliveries/${failed.id}/retry`;
  for (const who of WHO) {
    if (who === 'clerkX') continue;
    await clients[who].get('/');
    assertDenied(await clients[who].post(url), `${who} POST trade delivery retry`);
  }
  const still = await runtime.db.selectFrom('trade_message_deliveries').select('status').where('id', '=', failed.id).executeTakeFirstOrThrow();
  assert.equal(still.status, 'failed', 'no denied request touched the delivery');
  await clients.clerkX.get(`/staff/cases/${caseA.id}`);
  const ok = await clients.clerkX.post(url);
  assert.equal(ok.status, 303, 'the clerk of the department sends it again');
  const row = await runtime.db.selectFrom('trade_message_deliveries').select('status').where('id', '=', failed.id).executeTakeFirstOrThrow();
  assert.equal(row.status, 'pending');
});
