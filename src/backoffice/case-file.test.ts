import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { submitCase } from '../cases/submit-case.ts';
import { indexPending } from '../efile/search-indexer.ts';
import { HttpClient, pageText } from '../test-support/http-client.ts';
import { testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';

/**
 * The staff case file (E-Akte items 4, 5 and 7): documents added by staff (scanned incoming mail),
 * new versions that never overwrite, the version history with who and when, audited downloads,
 * and the department boundary.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
let caseId: string;
let clerk: HttpClient;
/** Staff of another department (signed in once: a TOTP code is accepted only once). */
let other: HttpClient;

async function pdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage();
  return Buffer.from(await doc.save());
}

before(async () => {
  ({ app, runtime, close } = await testApp());
  caseId = (await submitCase(runtime, { serviceId: 'versammlungsanzeige', data: validAssembly(), idempotencyScope: 'form', idempotencyKey: randomUUID() })).caseId;
  clerk = await signInStaff(app, 'clerk');
  other = await signInStaff(app, 'gewerbe');
});
after(async () => close());

describe('documents in the staff case file', () => {
  test('the case file shows its parts: documents, decisions, messages, notes, actions, timeline', async () => {
    const page = await clerk.get(`/staff/cases/${caseId}`);
    assert.equal(page.status, 200);
    for (const anchor of ['data', 'documents', 'decisions', 'messages', 'notes', 'actions', 'timeline']) assert.match(page.body, new RegExp(`id="${anchor}"`), `section ${anchor}`);
    assert.ok(pageText(page.body).includes('Zu diesem Vorgang gibt es noch keine Dokumente.'), 'empty documents say so');
  });

  test('a scan is added with a label; a new version keeps the old one; the history shows who and when', async () => {
    await clerk.get(`/staff/cases/${caseId}`);
    const v1 = await pdf(1);
    const added = await clerk.postMultipart(`/staff/cases/${caseId}/documents`, { 'document-title': 'Posteingang vom 3. Mai', 'document-file': { name: 'C:\\Scans\\scan0001.pdf', type: 'application/pdf', bytes: v1 } });
    assert.equal(added.status, 303, `added: ${pageText(added.body).slice(0, 300)}`);
    const rows = await runtime.db.selectFrom('documents').selectAll().where('case_id', '=', caseId).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.file_name, 'scan0001.pdf', 'the Windows path is gone');
    assert.equal(rows[0]!.title, 'Posteingang vom 3. Mai');
    const documentId = rows[0]!.document_id;

    const page = await clerk.get(`/staff/cases/${caseId}`);
    assert.ok(pageText(page.body).includes('Das Dokument ist in der Akte.'), 'confirmed');
    const v2 = await pdf(2);
    const versioned = await clerk.postMultipart(`/staff/cases/${caseId}/documents/${documentId}/versions`, { [`version-${documentId}`]: { name: 'scan0001-korrigiert.pdf', type: 'application/pdf', bytes: v2 } });
    assert.equal(versioned.status, 303, `version: ${pageText(versioned.body).slice(0, 300)}`);
    const versions = await runtime.db.selectFrom('documents').selectAll().where('document_id', '=', documentId).orderBy('version').execute();
    assert.deepEqual(versions.map((v) => v.version), [1, 2], 'two versions');
    assert.equal(versions[1]!.title, 'Posteingang vom 3. Mai', 'the label carries over');

    const after = await clerk.get(`/staff/cases/${caseId}`);
    const text = pageText(after.body);
    assert.ok(text.includes('Version 2 ist gespeichert; die früheren bleiben erhalten.'), 'confirmed');
    assert.ok(text.includes('Versionen (2)'), 'history');
    assert.ok(text.includes('Version 1 : scan0001.pdf, Clara Klein (Sachbearbeitung)') || text.includes('Version 1: scan0001.pdf, Clara Klein (Sachbearbeitung)'), `who: ${text.slice(text.indexOf('Versionen'), text.indexOf('Versionen') + 300)}`);
    // Both versions stay downloadable, each with its own bytes.
    const d1 = await clerk.get(`/staff/cases/${caseId}/documents/${versions[0]!.id}`);
    const d2 = await clerk.get(`/staff/cases/${caseId}/documents/${versions[1]!.id}`);
    assert.ok(Buffer.from(d1.raw.rawPayload).equals(v1), 'version 1 unchanged');
    assert.ok(Buffer.from(d2.raw.rawPayload).equals(v2), 'version 2');
    const audit = await runtime.db.selectFrom('audit_entries').select(['action', 'details']).where('case_id', '=', caseId).where('action', 'in', ['document.uploaded', 'document.version_added', 'document.download']).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['document.download', 'document.download', 'document.uploaded', 'document.version_added'], 'each step audited');
  });

  test('refusals name the reason and keep the label', async () => {
    await clerk.get(`/staff/cases/${caseId}`);
    const none = await clerk.postMultipart(`/staff/cases/${caseId}/documents`, { 'document-title': 'Brief', 'document-file': { name: '', type: 'application/octet-stream', bytes: Buffer.alloc(0) } });
    assert.equal(none.status, 422);
    assert.ok(pageText(none.body).includes('Bitte wählen Sie eine Datei aus.'), 'no file');
    assert.match(none.body, /value="Brief"/, 'label kept');
    const exe = await clerk.postMultipart(`/staff/cases/${caseId}/documents`, { 'document-title': 'Brief', 'document-file': { name: 'brief.pdf', type: 'application/pdf', bytes: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1') } });
    assert.equal(exe.status, 422);
    assert.ok(pageText(exe.body).includes('Erlaubt sind PDF, JPEG und PNG.'), `type: ${pageText(exe.body).slice(0, 300)}`);
    const big = await clerk.postMultipart(`/staff/cases/${caseId}/documents`, { 'document-file': { name: 'riesig.pdf', type: 'application/pdf', bytes: Buffer.concat([await pdf(1), Buffer.alloc(25 * 1024 * 1024)]) } });
    assert.equal(big.status, 422);
    assert.ok(pageText(big.body).includes('Die Datei ist größer als 25 MB.'), 'size');
  });

  test('staff of another department, and anonymous visitors, get nothing', async () => {
    const row = await runtime.db.selectFrom('documents').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal((await other.get(`/staff/cases/${caseId}`)).status, 404, 'case file');
    assert.equal((await other.get(`/staff/cases/${caseId}/documents/${row.id}`)).status, 404, 'download');
    await other.get('/staff');
    const upload = await other.postMultipart(`/staff/cases/${caseId}/documents`, { 'document-file': { name: 'x.pdf', type: 'application/pdf', bytes: await pdf(1) } });
    assert.equal(upload.status, 404, 'upload');
    const anonymous = new HttpClient(app);
    const res = await anonymous.get(`/staff/cases/${caseId}/documents/${row.id}`);
    assert.equal(res.status, 303, 'to sign-in');
    const downloads = await runtime.db.selectFrom('audit_entries').select('actor_id').where('case_id', '=', caseId).where('action', '=', 'document.download').execute();
    assert.ok(downloads.every((d) => d.actor_id !== null), 'no download without a staff actor');
  });
});

describe('full-text search across case files', () => {
  test('finds a case by a word form in a PDF, a note or the form data — only in the own department', async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Auflagen: Der Lautsprecherwagen bleibt am Marktplatz stehen.', { x: 40, y: 700, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
    await clerk.get(`/staff/cases/${caseId}`);
    const added = await clerk.postMultipart(`/staff/cases/${caseId}/documents`, { 'document-file': { name: 'auflagen.pdf', type: 'application/pdf', bytes: Buffer.from(await doc.save()) } });
    assert.equal(added.status, 303, `added: ${pageText(added.body).slice(0, 300)}`);
    await clerk.get(`/staff/cases/${caseId}`);
    assert.equal((await clerk.post(`/staff/cases/${caseId}/notes`, { note: 'Kooperationsgespräch mit der Polizei vereinbart' })).status, 303);
    const reference = (await runtime.db.selectFrom('cases').select('reference').where('id', '=', caseId).executeTakeFirstOrThrow()).reference;

    const before = await clerk.get('/staff/search');
    assert.equal(before.status, 200);
    const notYet = await clerk.post('/staff/search', { q: 'Lautsprecherwagen' });
    assert.ok(!pageText(notYet.body).includes(reference), 'not indexed before the indexer ran');
    const done = await indexPending(runtime);
    assert.ok(done.documents >= 1 && done.notes >= 1 && done.cases >= 1, `indexed: ${JSON.stringify(done)}`);

    for (const q of ['Lautsprecherwagens', 'Kooperationsgespräche', 'Grün Stadt']) {
      await clerk.get('/staff/search');
      const res = await clerk.post('/staff/search', { q });
      assert.equal(res.status, 200);
      assert.ok(pageText(res.body).includes(reference), `"${q}" finds the case`);
    }
    await clerk.get('/staff/search');
    const empty = await clerk.post('/staff/search', { q: '  ' });
    assert.equal(empty.status, 422);
    assert.ok(pageText(empty.body).includes('Bitte geben Sie einen Suchbegriff ein.'), 'empty query explained');

    await other.get('/staff/search');
    const foreign = await other.post('/staff/search', { q: 'Lautsprecherwagen' });
    assert.equal(foreign.status, 200);
    assert.ok(!pageText(foreign.body).includes(reference), 'another department finds nothing');
    assert.ok(pageText(foreign.body).includes('Keine Treffer'), 'and is told so');
  });
});
