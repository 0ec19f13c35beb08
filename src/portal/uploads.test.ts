import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { clamdMissing, startClamd, eicarTestFile, type RunningClamd } from '../test-support/clamd.ts';
import { HttpClient, hiddenValue, pageText, testIdText } from '../test-support/http-client.ts';
import { pageValues, PAGE_ORDER, postPage, SERVICE, submitViaForm } from '../test-support/http-forms.ts';
import { testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';

/**
 * Uploads in the citizen's form (E-Akte item 3): the Versammlungsanzeige's optional site plan on
 * the page "ort". Real multipart posts through the app, real storage, real clamd.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
const data = validAssembly();
const ORT = `/services/${SERVICE}/form/ort`;

async function samplePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}
// The smallest valid PNG: 1×1 pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A visitor with the pages before "ort" filled in, standing on the page "ort". */
async function visitorAtPlacePage(): Promise<HttpClient> {
  const client = new HttpClient(app);
  for (const page of PAGE_ORDER.slice(0, PAGE_ORDER.indexOf('ort'))) assert.equal((await postPage(client, page, data)).status, 303, `page ${page}`);
  assert.equal((await client.get(ORT)).status, 200, 'page ort');
  return client;
}

const draftUploads = () => runtime.db.selectFrom('documents').selectAll().where('draft_id', 'is not', null).execute();

before(async () => {
  ({ app, runtime, close } = await testApp());
});
after(async () => close());

describe('uploads in the citizen form', () => {
  test('the page with a file field posts multipart and says what is allowed', async () => {
    const client = await visitorAtPlacePage();
    const page = await client.get(ORT);
    assert.match(page.body, /enctype="multipart\/form-data"/, 'the form is multipart');
    assert.match(page.body, /type="file"[^>]*name="sitePlan"|name="sitePlan"[^>]*type="file"/, 'a file input');
    assert.ok(pageText(page.body).includes('Erlaubt: PDF, JPEG, PNG, höchstens 10 MB.'), 'limits named');
    const other = await client.get(`/services/${SERVICE}/form/veranstalter`);
    assert.doesNotMatch(other.body, /multipart/, 'pages without a file post url-encoded');
  });

  test('a PDF renamed to .png with a path in its name is stored as a PDF under a safe name, and moves to the case on submission', async () => {
    const client = await visitorAtPlacePage();
    const pdf = await samplePdf('Lageplan Marktplatz');
    const before = (await draftUploads()).length;
    const res = await client.postMultipart(ORT, { ...(pageValues('ort', data) as Record<string, string>), sitePlan: { name: '../../etc/Lageplan März.png', type: 'image/png', bytes: pdf } });
    assert.equal(res.status, 303, `accepted: ${pageText(res.body).slice(0, 300)}`);
    const uploads = await draftUploads();
    assert.equal(uploads.length, before + 1, 'one stored upload');
    const row = uploads.find((u) => u.field_id === 'sitePlan' && !uploads.slice(0, before).includes(u))!;
    assert.equal(row.content_type, 'application/pdf', 'type from the content, not the name');
    assert.equal(row.file_name, 'Lageplan März.pdf', 'path removed, extension from the content');

    for (const page of PAGE_ORDER.slice(PAGE_ORDER.indexOf('ort') + 1)) assert.equal((await postPage(client, page, data)).status, 303, `page ${page}`);
    const check = await client.get(`/services/${SERVICE}/check`);
    assert.ok(pageText(check.body).includes('Lageplan März.pdf'), 'check your answers names the file');
    const sent = await client.post(`/services/${SERVICE}/submit`, { formToken: hiddenValue(check.body, 'formToken')! });
    assert.equal(sent.status, 303, 'submitted');
    const confirmation = await client.get(sent.location!);
    const reference = testIdText(confirmation.body, 'reference');
    assert.ok(reference, 'confirmation shows the reference');
    const caseId = (await runtime.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
    const attached = await runtime.db.selectFrom('documents').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.equal(attached.case_id, caseId, 'the upload belongs to the case now');
    assert.equal(attached.draft_id, null, 'and no longer to a draft');
    const caseRow = await runtime.db.selectFrom('cases').select('form_data').where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal((caseRow.form_data as Record<string, string>).sitePlan, `${row.id}:Lageplan März.pdf`, 'the case data names the document');

    // The applicant sees and downloads it from the status page.
    const status = await client.get(`/status/${caseId}`);
    assert.match(status.body, new RegExp(`/status/${caseId}/documents/${row.id}`), 'listed on the status page');
    const download = await client.get(`/status/${caseId}/documents/${row.id}`);
    assert.equal(download.status, 200, 'downloadable');
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="Lageplan M_rz\.pdf"; filename\*=UTF-8''Lageplan%20M%C3%A4rz\.pdf$/, 'as an attachment');
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.ok(Buffer.from(download.raw.rawPayload).equals(pdf), 'the same bytes');
    // Somebody else cannot, even with the ids.
    assert.equal((await new HttpClient(app).get(`/status/${caseId}/documents/${row.id}`)).status, 404, 'a stranger gets nothing');

    // Staff of the department see it in the case file; the download is audited.
    const clerk = await signInStaff(app, 'clerk');
    const file = await clerk.get(`/staff/cases/${caseId}`);
    assert.ok(pageText(file.body).includes('Lageplan oder Skizze'), 'the document is listed under its form field');
    const staffDownload = await clerk.get(`/staff/cases/${caseId}/documents/${row.id}`);
    assert.equal(staffDownload.status, 200);
    assert.ok(Buffer.from(staffDownload.raw.rawPayload).equals(pdf), 'staff get the same bytes');
    const audit = await runtime.db.selectFrom('audit_entries').selectAll().where('case_id', '=', caseId).where('action', '=', 'document.download').execute();
    assert.equal(audit.length, 1, 'one audited download');
    assert.deepEqual(audit[0]!.details, { documentId: row.document_id, version: 1 }, 'ids only');
  });

  test('an oversized file is refused with the limit, the typed answers stay and nothing is stored', async () => {
    const client = await visitorAtPlacePage();
    const before = (await draftUploads()).length;
    const big = Buffer.concat([await samplePdf('gross'), Buffer.alloc(10 * 1024 * 1024)]);
    const res = await client.postMultipart(ORT, { place: 'Vor dem Roten Turm', sitePlan: { name: 'plan.pdf', type: 'application/pdf', bytes: big } });
    assert.equal(res.status, 422);
    assert.ok(pageText(res.body).includes('„Lageplan oder Skizze (freiwillig)“: Die Datei ist größer als 10 MB.'), 'the reason with the limit');
    assert.match(res.body, /value="Vor dem Roten Turm"/, 'what was typed is kept');
    assert.equal((await draftUploads()).length, before, 'nothing stored');
  });

  test('a text file named .pdf is refused by its content', async () => {
    const client = await visitorAtPlacePage();
    const before = (await draftUploads()).length;
    const res = await client.postMultipart(ORT, { place: 'Marktplatz', sitePlan: { name: 'plan.pdf', type: 'application/pdf', bytes: Buffer.from('Dies ist kein PDF, nur Text.\n') } });
    assert.equal(res.status, 422);
    assert.ok(pageText(res.body).includes('Erlaubt sind PDF, JPEG und PNG. Diese Datei ist unbekannten Typs.'), `says why: ${pageText(res.body).slice(0, 400)}`);
    assert.equal((await draftUploads()).length, before, 'nothing stored');
  });

  test('a good file survives a mistake in another field and is kept without uploading it again', async () => {
    const client = await visitorAtPlacePage();
    const first = await client.postMultipart(ORT, { place: '', sitePlan: { name: 'skizze.png', type: 'image/png', bytes: PNG } });
    assert.equal(first.status, 422, 'the place is missing');
    assert.ok(pageText(first.body).includes('skizze.png'), 'the page shows the file as uploaded');
    const kept = hiddenValue(first.body, 'sitePlan__kept');
    assert.match(kept ?? '', /^[0-9a-f-]{36}:skizze\.png$/, 'and keeps it in the form');
    const second = await client.postMultipart(ORT, { place: 'Marktplatz', sitePlan__kept: kept!, sitePlan: { name: '', type: 'application/octet-stream', bytes: Buffer.alloc(0) } });
    assert.equal(second.status, 303, 'accepted without a new upload');
    const again = await client.get(ORT);
    assert.equal(hiddenValue(again.body, 'sitePlan__kept'), kept, 'the draft holds the file');
  });

  test("another visitor's upload cannot be taken over by its id", async () => {
    const owner = await visitorAtPlacePage();
    const res = await owner.postMultipart(ORT, { place: 'Marktplatz', sitePlan: { name: 'meins.png', type: 'image/png', bytes: PNG } });
    assert.equal(res.status, 303);
    const ownerKept = hiddenValue((await owner.get(ORT)).body, 'sitePlan__kept')!;
    const thief = await visitorAtPlacePage();
    const stolen = await thief.postMultipart(ORT, { place: 'Marktplatz', sitePlan__kept: ownerKept });
    assert.equal(stolen.status, 303);
    assert.equal(hiddenValue((await thief.get(ORT)).body, 'sitePlan__kept'), undefined, 'the foreign id was ignored');
  });

  test('a replaced upload is removed with its blob', async () => {
    const client = await visitorAtPlacePage();
    assert.equal((await client.postMultipart(ORT, { place: 'Marktplatz', sitePlan: { name: 'eins.png', type: 'image/png', bytes: PNG } })).status, 303);
    const firstKept = hiddenValue((await client.get(ORT)).body, 'sitePlan__kept')!;
    const firstRow = await runtime.db.selectFrom('documents').select(['id', 'blob_key']).where('id', '=', firstKept.slice(0, 36)).executeTakeFirstOrThrow();
    assert.equal((await client.postMultipart(ORT, { place: 'Marktplatz', sitePlan__kept: firstKept, sitePlan: { name: 'zwei.pdf', type: 'application/pdf', bytes: await samplePdf('zwei') } })).status, 303);
    assert.equal(await runtime.db.selectFrom('documents').select('id').where('id', '=', firstRow.id).executeTakeFirst(), undefined, 'the old row is gone');
    await assert.rejects(runtime.blobs.get(firstRow.blob_key), 'the old blob is gone');
    assert.match(hiddenValue((await client.get(ORT)).body, 'sitePlan__kept')!, /:zwei\.pdf$/, 'the new file is kept');
  });
});

describe('documents handed in later from the status page', () => {
  test('the applicant adds a document to the open case; a wrong one is refused with the reason; strangers cannot', async () => {
    const client = new HttpClient(app);
    const { reference } = await submitViaForm(client, data);
    const caseId = (await runtime.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
    const status = await client.get(`/status/${caseId}`);
    assert.ok(pageText(status.body).includes('Unterlagen nachreichen'), 'offered on an open case');
    const wrong = await client.postMultipart(`/status/${caseId}/documents`, { 'later-file': { name: 'brief.pdf', type: 'application/pdf', bytes: Buffer.from('nur Text') } });
    assert.equal(wrong.status, 422);
    assert.ok(pageText(wrong.body).includes('Erlaubt sind PDF, JPEG und PNG.'), 'says why');
    const pdf = await samplePdf('Vollmacht');
    const ok = await client.postMultipart(`/status/${caseId}/documents`, { 'later-file': { name: 'Vollmacht.pdf', type: 'application/pdf', bytes: pdf } });
    assert.equal(ok.status, 303, `accepted: ${pageText(ok.body).slice(0, 200)}`);
    const rows = await runtime.db.selectFrom('documents').selectAll().where('case_id', '=', caseId).execute();
    assert.equal(rows.length, 1, 'one document on the case');
    assert.equal(rows[0]!.created_by_type, 'applicant');
    assert.ok(pageText((await client.get(`/status/${caseId}`)).body).includes('Vollmacht.pdf'), 'listed on the status page');
    const audit = await runtime.db.selectFrom('audit_entries').select('action').where('case_id', '=', caseId).where('action', '=', 'document.uploaded').execute();
    assert.equal(audit.length, 1, 'audited');

    const stranger = new HttpClient(app);
    await stranger.get('/status');
    assert.equal((await stranger.postMultipart(`/status/${caseId}/documents`, { 'later-file': { name: 'x.pdf', type: 'application/pdf', bytes: pdf } })).status, 404, 'a stranger cannot add to the case');

    // A closed case takes nothing more.
    await runtime.db.updateTable('cases').set({ state: 'withdrawn' }).where('id', '=', caseId).execute();
    await client.get(`/status/${caseId}`);
    const closed = await client.postMultipart(`/status/${caseId}/documents`, { 'later-file': { name: 'spät.pdf', type: 'application/pdf', bytes: pdf } });
    assert.equal(closed.status, 409, 'refused on a closed case');
    assert.equal((await runtime.db.selectFrom('documents').select('id').where('case_id', '=', caseId).execute()).length, 1, 'nothing added');
  });
});

describe('uploads scanned by a real clamd', { skip: clamdMissing }, () => {
  let clamd: RunningClamd;
  let scanned: Awaited<ReturnType<typeof testApp>>;
  before(async () => {
    clamd = await startClamd();
    scanned = await testApp({ config: { clamdUrl: clamd.url } });
  });
  after(async () => {
    await scanned.close();
    await clamd.stop();
  });

  test('the EICAR test file is refused as malware; a clean file passes', async () => {
    const client = new HttpClient(scanned.app);
    for (const page of PAGE_ORDER.slice(0, PAGE_ORDER.indexOf('ort'))) assert.equal((await postPage(client, page, data)).status, 303, `page ${page}`);
    await client.get(ORT);
    // EICAR inside a PDF: the type check passes, the scanner must catch it.
    const infected = Buffer.concat([await samplePdf('harmlos'), Buffer.from('\n'), eicarTestFile()]);
    const refused = await client.postMultipart(ORT, { place: 'Marktplatz', sitePlan: { name: 'plan.pdf', type: 'application/pdf', bytes: infected } });
    assert.equal(refused.status, 422, 'refused');
    assert.ok(pageText(refused.body).includes('Die Datei enthält Schadsoftware und wurde nicht angenommen.'), 'says why');
    assert.equal((await scanned.runtime.db.selectFrom('documents').select('id').execute()).length, 0, 'nothing stored');
    const clean = await client.postMultipart(ORT, { place: 'Marktplatz', sitePlan: { name: 'plan.pdf', type: 'application/pdf', bytes: await samplePdf('sauber') } });
    assert.equal(clean.status, 303, 'a clean file is accepted');
  });
});
