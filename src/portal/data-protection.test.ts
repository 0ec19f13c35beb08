import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { unzipSync } from 'fflate';
import { storeDocument } from '../efile/documents.ts';
import type { CitizenDataExport } from '../identity/data-export.ts';
import { signInCitizen } from '../test-support/citizen-sign-in.ts';
import { HttpClient, pageText, type HttpResponse } from '../test-support/http-client.ts';
import { submitViaForm } from '../test-support/http-forms.ts';
import { demoStaff, testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';

/**
 * The Datenschutz-Cockpit and the data export over real HTTP (inject) and a real database:
 * signed-in citizens only, each sees only their own cases, the office is named and the staff
 * member never, the export is a ZIP attachment behind CSRF and a rate limit.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;

const NAME_A = 'Annegret Aaltonen';
const OFFICE = 'Versammlungsbehörde (Ordnungsamt)';
const CLERK = demoStaff('clerk');
const citizenA = { client: undefined as unknown as HttpClient, reference: '', caseId: '' };
let citizenB: HttpClient;
let clerkClient: HttpClient;
const docBytes = Buffer.from(`%PDF-1.7\nAnlage von ${NAME_A}\n%%EOF`, 'utf8');

const staffClient = (username: string): Promise<HttpClient> => signInStaff(app, username);

/** Opens the cockpit (for the CSRF token) and asks for the export. */
async function exportOf(client: HttpClient): Promise<HttpResponse> {
  assert.equal((await client.get('/account/data-protection')).status, 200, 'the cockpit opens');
  return client.post('/account/data-export');
}

before(async () => {
  ({ app, runtime, close } = await testApp());
  citizenA.client = new HttpClient(app);
  citizenB = new HttpClient(app);
  await signInCitizen(runtime.db, citizenA.client, 'a.cockpit@example.org');
  await signInCitizen(runtime.db, citizenB, 'b.cockpit@example.org');
  const { reference } = await submitViaForm(citizenA.client, validAssembly(new Date(), { organiserName: NAME_A, leaderName: NAME_A }));
  const row = await runtime.db.selectFrom('cases').select(['id', 'citizen_id']).where('reference', '=', reference).executeTakeFirstOrThrow();
  assert.ok(row.citizen_id, "the case belongs to A's account");
  Object.assign(citizenA, { reference, caseId: row.id });
  await storeDocument(runtime, { caseId: row.id, fileName: 'Anlage.pdf', contentType: 'application/pdf', body: docBytes, createdBy: { type: 'applicant', id: row.citizen_id } });
  clerkClient = await staffClient('clerk');
});
after(async () => close());

test('visitors are sent to the sign-in, for the cockpit and for the export', async () => {
  const anon = new HttpClient(app);
  const page = await anon.get('/account/data-protection');
  assert.equal(page.status, 303);
  assert.equal(page.location, '/account/sign-in');
  await anon.get('/account/sign-in'); // a CSRF token, so only the missing sign-in stands in the way
  const exported = await anon.post('/account/data-export');
  assert.equal(exported.status, 303, 'no export without an account');
  assert.equal(exported.location, '/account/sign-in');
  assert.equal((await clerkClient.get('/account/data-protection')).status, 303, 'a staff session is no citizen session');
});

test('the account page links to the cockpit', async () => {
  const account = await citizenA.client.get('/account');
  assert.ok(account.body.includes('href="/account/data-protection"'), 'a link to the cockpit');
});

test('before any staff access the cockpit says so', async () => {
  const page = await citizenA.client.get('/account/data-protection');
  assert.equal(page.status, 200);
  assert.ok(page.body.includes('data-testid="no-access"'), 'no access yet');
  assert.ok(page.body.includes('action="/account/data-export"') && page.body.includes('name="_csrf"'), 'the export form with its CSRF token');
});

test("a staff opening shows as the office's access, never the person", async () => {
  assert.equal((await clerkClient.get(`/staff/cases/${citizenA.caseId}`)).status, 200, 'the clerk opens the case file');
  const page = await citizenA.client.get('/account/data-protection');
  assert.equal(page.status, 200);
  const text = pageText(page.body);
  assert.ok(page.body.includes('data-testid="access-log"'), 'the access table');
  assert.ok(page.body.includes('<caption') && page.body.includes('scope="col"'), 'an accessible table');
  assert.ok(text.includes(OFFICE), 'the office is named');
  assert.ok(text.includes('Akte angesehen'), 'the kind of access');
  assert.ok(text.includes(citizenA.reference), 'the case');
  const clerkId = (await runtime.db.selectFrom('staff_users').select('id').where('username', '=', CLERK.username).executeTakeFirstOrThrow()).id;
  assert.ok(!text.includes('Clara') && !text.includes('Klein') && !page.body.includes(clerkId), 'no staff name or id');
  assert.ok(!/\bclerk\b/.test(text), 'no staff user name');

  const en = await citizenA.client.get('/account/data-protection', { 'accept-language': 'en' });
  assert.ok(pageText(en.body).includes('Case file viewed') && pageText(en.body).includes('Assembly Authority'), 'in English when preferred');
});

test("citizen B's cockpit shows nothing of A's case", async () => {
  const page = await citizenB.get('/account/data-protection');
  assert.equal(page.status, 200);
  assert.ok(!page.body.includes(citizenA.reference) && !page.body.includes(NAME_A), "nothing of A's case");
  assert.ok(page.body.includes('data-testid="no-access"'), 'B has had no access');
});

test('the cockpit pages without JavaScript', async () => {
  for (let i = 0; i < 30; i++) await clerkClient.get(`/staff/cases/${citizenA.caseId}`);
  const first = await citizenA.client.get('/account/data-protection');
  const older = /href="(\/account\/data-protection\?before=[^"]+)"/.exec(first.body)?.[1];
  assert.ok(older, 'a link to older entries');
  const rowsFirst = (first.body.match(/<tr class="kern-table__row">/g) ?? []).length - 1;
  assert.equal(rowsFirst, 25, 'a full first page');
  const second = await citizenA.client.get(older.replace(/&amp;/g, '&'));
  assert.equal(second.status, 200);
  const rowsSecond = (second.body.match(/<tr class="kern-table__row">/g) ?? []).length - 1;
  assert.equal(rowsSecond, 6, 'the rest on the second page (31 openings)');
  assert.ok(second.body.includes('href="/account/data-protection"'), 'a link back to the newest');
});

test('the export: a ZIP attachment with daten.json, LIESMICH.txt and the documents', async () => {
  const res = await exportOf(citizenA.client);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/zip');
  assert.match(String(res.headers['content-disposition']), /^attachment; filename="amtsweg-daten-\d{4}-\d{2}-\d{2}\.zip"(;|$)/);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  const files = unzipSync(new Uint8Array(res.raw.rawPayload));
  assert.ok(files['LIESMICH.txt'] && files['daten.json'], 'the explanation and the data');
  const data = JSON.parse(new TextDecoder().decode(files['daten.json'])) as CitizenDataExport;
  assert.equal(data.account.email, 'a.cockpit@example.org');
  const c = data.cases.find((x) => x.reference === citizenA.reference);
  assert.ok(c, "A's case is in the export");
  assert.equal(c.formData.organiserName, NAME_A, 'with the form data');
  assert.ok(data.accessLog.length === 31 && data.accessLog.every((e) => e.kind === 'viewed' && e.office.name?.de === OFFICE), 'with the access log');
  const doc = c.documents[0];
  assert.ok(doc?.path, 'the document is listed with its path');
  assert.deepEqual(Buffer.from(files[doc.path]!), docBytes, 'the document as stored');
  assert.ok(!new TextDecoder().decode(files['daten.json']).includes('Clara Klein'), 'no staff name');
});

test("B's export holds nothing of A", async () => {
  const res = await exportOf(citizenB);
  assert.equal(res.status, 200);
  const files = unzipSync(new Uint8Array(res.raw.rawPayload));
  const json = new TextDecoder().decode(files['daten.json']);
  assert.ok(!json.includes(citizenA.reference) && !json.includes(NAME_A), "nothing of A's case");
  assert.ok(!Object.keys(files).some((p) => p.includes(citizenA.reference)), "none of A's documents");
});

test('the export needs the form’s CSRF token', async () => {
  const before = await runtime.db.selectFrom('audit_entries').select('action').where('action', '=', 'citizen.data_exported').execute();
  await citizenA.client.get('/account/data-protection');
  const res = await citizenA.client.post('/account/data-export', {}, { csrf: false });
  assert.equal(res.status, 403, 'refused without the token');
  assert.ok(!res.headers['content-disposition'], 'no attachment');
  const forged = await citizenA.client.post('/account/data-export', { _csrf: 'forged' });
  assert.equal(forged.status, 403, 'refused with a wrong token');
  const afterwards = await runtime.db.selectFrom('audit_entries').select('action').where('action', '=', 'citizen.data_exported').execute();
  assert.equal(afterwards.length, before.length, 'no export happened');
});

test('the export is limited to five an hour per account', async () => {
  const client = new HttpClient(app);
  await signInCitizen(runtime.db, client, 'c.cockpit@example.org');
  for (let i = 0; i < 5; i++) assert.equal((await exportOf(client)).status, 200, `export ${i + 1} of 5`);
  const sixth = await exportOf(client);
  assert.equal(sixth.status, 429, 'the sixth within the hour is refused');
  assert.ok(Number(sixth.headers['retry-after']) > 0, 'with the time to wait');
  // The limit is the account's, not the session's: signing in again does not reset it.
  const again = new HttpClient(app);
  await signInCitizen(runtime.db, again, 'c.cockpit@example.org');
  assert.equal((await exportOf(again)).status, 429, 'a new session of the same account is refused too');
  // Another account is not affected.
  assert.equal((await exportOf(citizenB)).status, 200, 'another account still exports');
});
