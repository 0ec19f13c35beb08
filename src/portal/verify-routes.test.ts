import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { submitCase } from '../cases/submit-case.ts';
import { readDocument } from '../efile/documents.ts';
import { issueDocumentsForEvent, type IssuedDocument } from '../efile/issued-documents.ts';
import { formatDate } from '../platform/i18n/time.ts';
import { HttpClient, pageText, testIdText } from '../test-support/http-client.ts';
import { testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';

const NAME = 'Kunigunde Prüfbar';
const SUBJECT = 'Gegen Lärm am Hallmarkt';
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
let issued: IssuedDocument;
let reference: string;
let pdf: Buffer;

before(async () => {
  ({ app, runtime, close } = await testApp());
  const r = await submitCase(runtime, { serviceId: 'versammlungsanzeige', data: validAssembly(runtime.now(), { organiserName: NAME, leaderName: NAME, subject: SUBJECT, street: 'Geheimweg 7', email: 'kunigunde@example.org' }), idempotencyScope: 'api', idempotencyKey: 'verify-1' });
  reference = r.reference;
  const event = await runtime.db.selectFrom('case_events').select('id').where('case_id', '=', r.caseId).executeTakeFirstOrThrow();
  const deps = { db: runtime.db, blobs: runtime.blobs, keyring: runtime.keyring, seal: runtime.seal, catalogue: runtime.catalogue, publicUrl: runtime.config.publicUrl, now: runtime.now };
  [issued] = (await issueDocumentsForEvent(deps, { caseId: r.caseId, eventId: String(event.id) })) as [IssuedDocument];
  const row = await runtime.db.selectFrom('documents').select('id').where('document_id', '=', issued.documentId).executeTakeFirstOrThrow();
  pdf = (await readDocument(deps, row.id)).bytes;
});
after(async () => close());

/** The text of the element marked `data-testid` (its nested markup included), up to the next marked element. */
function section(html: string, id: string): string {
  const start = html.indexOf(`data-testid="${id}"`);
  if (start < 0) return '';
  const end = html.indexOf('data-testid=', start + 1);
  return pageText(`<div ${html.slice(start, end < 0 ? undefined : end)}`);
}

/** Posts the verification form as a browser does: multipart with the CSRF token and the file. */
async function postFile(client: HttpClient, id: string, file: Buffer | undefined, options: { csrf?: boolean } = {}) {
  const boundary = `----amtsweg${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  if (options.csrf !== false) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${client.csrf ?? ''}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file ? 'Eingangsbestaetigung.pdf' : ''}"\r\nContent-Type: ${file ? 'application/pdf' : 'application/octet-stream'}\r\n\r\n`));
  if (file) parts.push(file);
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  const res = await app.inject({
    method: 'POST',
    url: `/verify/${id}`,
    headers: { cookie: client.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
    remoteAddress: client.remoteAddress,
    payload: Buffer.concat(parts),
  });
  return { status: res.statusCode, body: res.body };
}

test('the verification page confirms a genuine document with kind, title, office, date and fingerprint — and nothing personal', async () => {
  const client = new HttpClient(app);
  const res = await client.get(`/verify/${issued.id}`);
  assert.equal(res.status, 200);
  const text = pageText(res.body);
  assert.match(section(res.body, 'verdict'), /Echtes Dokument/);
  assert.ok(text.includes('Eingangsbestätigung der Versammlungsanzeige'), 'the title of the template');
  assert.ok(text.includes('Versammlungsbehörde (Ordnungsamt), Stadt Halle (Saale)'), 'the issuing office');
  assert.ok(text.includes(formatDate(issued.issuedAt, 'de', 'Europe/Berlin')), 'the issue date');
  assert.equal(testIdText(res.body, 'sha256')?.replace(/\s/g, ''), issued.sha256, 'the SHA-256 of the sealed file');
  for (const secret of [NAME, reference, SUBJECT, 'Geheimweg 7', 'kunigunde@example.org'])
    assert.ok(!res.body.includes(secret), `the page does not show "${secret}"`);
  assert.match(res.body, /enctype="multipart\/form-data"/, 'a plain form checks a file, no JavaScript needed');

  const en = await client.get(`/verify/${issued.id}`, { 'accept-language': 'en' });
  assert.ok(pageText(en.body).includes('Receipt of the assembly notice') && pageText(en.body).includes('Genuine document'), 'in English on request');
});

test('an unknown or malformed id gets a 404 page in the same look', async () => {
  const client = new HttpClient(app);
  for (const id of ['0f8fad5b-d9cb-469f-a165-70867728950e', 'not-a-uuid']) {
    const res = await client.get(`/verify/${id}`);
    assert.equal(res.status, 404, `404 for ${id}`);
    assert.match(section(res.body, 'verdict'), /Kein Dokument unter dieser Prüfnummer/);
    assert.match(res.body, /Echtheit eines Dokuments prüfen/, 'the same page heading');
  }
});

test('the uploaded PDF is compared with the recorded fingerprint: the issued file matches, a changed one does not', async () => {
  const client = new HttpClient(app);
  await client.get(`/verify/${issued.id}`);
  const match = await postFile(client, issued.id, pdf);
  assert.equal(match.status, 200);
  assert.match(section(match.body, 'file-result'), /Die Datei stimmt mit dem ausgestellten Dokument überein/);

  const changed = Buffer.from(pdf);
  const at = changed.indexOf('Eingangsbest');
  changed[at] = 'e'.charCodeAt(0);
  const mismatch = await postFile(client, issued.id, changed);
  assert.equal(mismatch.status, 200);
  assert.match(section(mismatch.body, 'file-result'), /Die Datei stimmt nicht mit dem ausgestellten Dokument überein/);
  assert.ok(!mismatch.body.includes(NAME) && !mismatch.body.includes(reference), 'still nothing personal');

  const none = await postFile(client, issued.id, undefined);
  assert.equal(none.status, 422, 'no file chosen');
  assert.match(none.body, /Bitte wählen Sie die PDF-Datei aus/);

  const unknown = await postFile(client, '0f8fad5b-d9cb-469f-a165-70867728950e', pdf);
  assert.equal(unknown.status, 404);
});

test('the form is CSRF-protected like every other', async () => {
  const client = new HttpClient(app);
  await client.get(`/verify/${issued.id}`);
  const res = await postFile(client, issued.id, pdf, { csrf: false });
  assert.equal(res.status, 403);
});
