import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { PDFDocument } from 'pdf-lib';
import { sql } from 'kysely';
import { HttpClient, hiddenValue, pageText } from '../test-support/http-client.ts';
import { submitViaForm } from '../test-support/http-forms.ts';
import { testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';
import { signInCitizen } from '../test-support/citizen-sign-in.ts';
import { sendRequestReminders } from './information-requests.ts';

/**
 * The Postfach and requests for more information over real HTTP (issue 5 items 2 and 3): the
 * clerk writes (with a template and an attachment), the citizen reads and answers; the clerk
 * asks for exactly what is missing, the citizen's form reopens with only that, the answer
 * changes the same case and the clerk sees what changed.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
let clerk: HttpClient;
let other: HttpClient;

const pdf = async () => Buffer.from(await (await PDFDocument.create()).save());
const day = (offset: number) => new Date(Date.now() + offset * 24 * 3600_000).toISOString().slice(0, 10);

/** A citizen's case (anonymous: proved by reference and access code in this client's session). */
async function citizenCase(): Promise<{ citizen: HttpClient; caseId: string; reference: string }> {
  const citizen = new HttpClient(app);
  const { reference } = await submitViaForm(citizen, validAssembly());
  const caseId = (await runtime.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
  return { citizen, caseId, reference };
}

const notifyJobs = async (topic: string) =>
  (await sql<{ n: string }>`select count(*)::text as n from pgboss.job where name = 'notify.applicant' and data->>'topic' = ${topic}`.execute(runtime.db)).rows[0]!.n;

before(async () => {
  ({ app, runtime, close } = await testApp());
  clerk = await signInStaff(app, 'clerk');
  other = await signInStaff(app, 'gewerbe');
});
after(async () => close());

describe('Postfach', () => {
  test('clerk writes with a template and an attachment; the citizen reads it, sees it as new once, and answers', async () => {
    const { citizen, caseId, reference } = await citizenCase();
    const withTemplate = await clerk.get(`/staff/cases/${caseId}?template=question`);
    assert.equal(withTemplate.status, 200);
    assert.ok(withTemplate.body.includes(`zu Ihrem Anliegen ${reference} haben wir eine Frage`), 'the template is filled in with the reference');

    const before = Number(await notifyJobs('message'));
    const sent = await clerk.postMultipart(`/staff/cases/${caseId}/messages`, { 'message-body': 'Bitte senden Sie uns den Lageplan als PDF.', 'message-file': { name: 'Hinweise.pdf', type: 'application/pdf', bytes: await pdf() } });
    assert.equal(sent.status, 303, pageText(sent.body).slice(0, 200));
    assert.equal(Number(await notifyJobs('message')), before + 1, 'the citizen is notified that a message waits');

    const status = await citizen.get(`/status/${caseId}`);
    assert.ok(pageText(status.body).includes('Bitte senden Sie uns den Lageplan als PDF.'), 'the message is on the status page');
    assert.ok(pageText(status.body).includes('(1 neu)'), 'unread count');
    assert.match(status.body, new RegExp(`/status/${caseId}/documents/[0-9a-f-]{36}`), 'the attachment can be downloaded');
    assert.ok(!pageText((await citizen.get(`/status/${caseId}`)).body).includes('(1 neu)'), 'read after the first view');

    const empty = await citizen.postMultipart(`/status/${caseId}/messages`, { 'reply-body': '   ' });
    assert.equal(empty.status, 422);
    assert.ok(pageText(empty.body).includes('Bitte schreiben Sie eine Nachricht.'), 'empty refused with the reason');
    const replied = await citizen.postMultipart(`/status/${caseId}/messages`, { 'reply-body': 'Anbei der Lageplan.', 'reply-file': { name: 'Lageplan.pdf', type: 'application/pdf', bytes: await pdf() } });
    assert.equal(replied.status, 303);
    const file = await clerk.get(`/staff/cases/${caseId}`);
    assert.ok(pageText(file.body).includes('Anbei der Lageplan.'), 'the clerk sees the answer');
    assert.match(file.body, /data-testid="staff-messages"/, 'in the Postfach');
    const docs = await runtime.db.selectFrom('documents').select(['file_name', 'message_id', 'created_by_type']).where('case_id', '=', caseId).execute();
    assert.deepEqual(docs.map((d) => [d.file_name, d.created_by_type]).sort(), [['Hinweise.pdf', 'staff'], ['Lageplan.pdf', 'applicant']], 'both attachments are in the file');
    assert.ok(docs.every((d) => d.message_id), 'each linked to its message');
  });

  test('strangers and other departments cannot write into the case', async () => {
    const { caseId } = await citizenCase();
    await other.get('/staff');
    assert.equal((await other.postMultipart(`/staff/cases/${caseId}/messages`, { 'message-body': 'fremd' })).status, 404, 'other department');
    const stranger = new HttpClient(app);
    await stranger.get('/status');
    assert.equal((await stranger.postMultipart(`/status/${caseId}/messages`, { 'reply-body': 'fremd' })).status, 404, 'a stranger');
    const count = await runtime.db.selectFrom('case_messages').select('id').where('case_id', '=', caseId).execute();
    assert.equal(count.length, 0, 'nothing written');
  });
});

describe('requests for more information', () => {
  test('the clerk asks for a field and a document; the citizen answers only that; the clerk sees what changed', async () => {
    const { citizen, caseId } = await citizenCase();
    await clerk.get(`/staff/cases/${caseId}`);
    const bad = await clerk.post(`/staff/cases/${caseId}/request`, { 'request-note': '', 'request-due': day(-1) });
    assert.equal(bad.status, 422);
    const badText = pageText(bad.body);
    assert.ok(badText.includes('Bitte wählen Sie mindestens eine Angabe oder nennen Sie ein Dokument.'), 'nothing chosen');
    await clerk.get(`/staff/cases/${caseId}`);
    const before = Number(await notifyJobs('request'));
    const asked = await clerk.post(`/staff/cases/${caseId}/request`, { 'request-fields': ['subject'], 'request-documents': 'Lageplan der Bühne', 'request-note': 'Bitte präzisieren Sie das Thema und senden Sie den Lageplan.', 'request-due': day(10) });
    assert.equal(asked.status, 303, pageText(asked.body).slice(0, 300));
    assert.equal(Number(await notifyJobs('request')), before + 1, 'the citizen is notified');
    await clerk.get(`/staff/cases/${caseId}`);
    const twice = await clerk.post(`/staff/cases/${caseId}/request`, { 'request-fields': ['subject'], 'request-note': 'noch einmal', 'request-due': day(10) });
    assert.equal(twice.status, 409, 'one open request per case');

    const status = await citizen.get(`/status/${caseId}`);
    assert.match(status.body, /data-testid="waiting-for-you"/, 'the banner');
    assert.ok(pageText(status.body).includes('Wartet auf Sie'), 'waiting for you');
    const form = await citizen.get(`/status/${caseId}/request`);
    assert.equal(form.status, 200);
    assert.match(form.body, /name="subject"/, 'the requested field');
    assert.doesNotMatch(form.body, /name="organiserName"/, 'nothing else');
    assert.ok(form.body.includes('Für mehr Grün in der Stadt'), 'prefilled with the current answer');

    const missing = await citizen.postMultipart(`/status/${caseId}/request`, { subject: '' });
    assert.equal(missing.status, 422);
    assert.ok(pageText(missing.body).includes('„Lageplan der Bühne“: Bitte wählen Sie eine Datei aus.'), 'the document is asked for');
    const unchanged = await runtime.db.selectFrom('cases').select('form_data').where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal((unchanged.form_data as Record<string, string>).subject, 'Für mehr Grün in der Stadt', 'nothing saved half-way');

    const answered = await citizen.postMultipart(`/status/${caseId}/request`, { subject: 'Mehr Bäume am Marktplatz', 'request-doc1': { name: 'buehne.pdf', type: 'application/pdf', bytes: await pdf() } });
    assert.equal(answered.status, 303, pageText(answered.body).slice(0, 300));
    const row = await runtime.db.selectFrom('cases').select(['form_data', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal((row.form_data as Record<string, string>).subject, 'Mehr Bäume am Marktplatz', 'the same case changed');
    const doc = await runtime.db.selectFrom('documents').select(['title', 'created_by_type']).where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.deepEqual(doc, { title: 'Lageplan der Bühne', created_by_type: 'applicant' });
    assert.ok(!pageText((await citizen.get(`/status/${caseId}`)).body).includes('Wartet auf Sie'), 'no longer waiting');

    const file = await clerk.get(`/staff/cases/${caseId}`);
    assert.match(file.body, /data-testid="request-answer"/, 'the answer is shown');
    assert.ok(pageText(file.body).includes('Für mehr Grün in der Stadt → Mehr Bäume am Marktplatz'), 'the clerk sees the change');
    assert.ok(pageText(file.body).includes('Nachforderung beantwortet: Thema der Versammlung, Lageplan der Bühne.'), 'and a message in the Postfach');
  });

  test('a reminder goes out once, two days before the deadline', async () => {
    const { caseId } = await citizenCase();
    await clerk.get(`/staff/cases/${caseId}`);
    assert.equal((await clerk.post(`/staff/cases/${caseId}/request`, { 'request-documents': 'Vollmacht', 'request-note': 'Bitte senden Sie die Vollmacht.', 'request-due': day(5) })).status, 303);
    const deps = { db: runtime.db, jobs: runtime.jobs };
    assert.equal(await sendRequestReminders({ ...deps, now: () => new Date() }), 0, 'not yet: five days left');
    const later = () => new Date(Date.now() + 4 * 24 * 3600_000);
    const before = Number(await notifyJobs('reminder'));
    assert.equal(await sendRequestReminders({ ...deps, now: later }), 1, 'one reminder within two days of the deadline');
    assert.equal(await sendRequestReminders({ ...deps, now: later }), 0, 'only once');
    assert.equal(Number(await notifyJobs('reminder')), before + 1, 'queued as a notification');
    // Withdrawn: the citizen is no longer asked.
    await clerk.get(`/staff/cases/${caseId}`);
    assert.equal((await clerk.post(`/staff/cases/${caseId}/request/cancel`, {})).status, 303);
    const open = await runtime.db.selectFrom('information_requests').select('status').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(open.status, 'cancelled');
    assert.ok(hiddenValue((await clerk.get(`/staff/cases/${caseId}`)).body, '_csrf'), 'the case file still opens');
  });
});

describe('"Meine Anliegen" shows what waits', () => {
  test('unread messages and an open request are marked on the list of own cases', async () => {
    const citizen = new HttpClient(app);
    await signInCitizen(runtime.db, citizen, 'postfach.test@example.org');
    const { reference } = await submitViaForm(citizen, validAssembly());
    const caseId = (await runtime.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
    await clerk.get(`/staff/cases/${caseId}`);
    assert.equal((await clerk.postMultipart(`/staff/cases/${caseId}/messages`, { 'message-body': 'Eine Frage.' })).status, 303);
    await clerk.get(`/staff/cases/${caseId}`);
    assert.equal((await clerk.post(`/staff/cases/${caseId}/request`, { 'request-documents': 'Vollmacht', 'request-note': 'Bitte die Vollmacht.', 'request-due': day(7) })).status, 303);
    const list = pageText((await citizen.get('/my-cases')).body);
    assert.ok(list.includes('2 neue Nachrichten'), `unread: ${list.slice(list.indexOf(reference) - 200, list.indexOf(reference) + 200)}`);
    assert.ok(list.includes('Wartet auf Sie'), 'waiting for you');
    await citizen.get(`/status/${caseId}`);
    assert.ok(!pageText((await citizen.get('/my-cases')).body).includes('neue Nachricht'), 'read once the status page was opened');
  });
});
