import { after, before, describe } from 'node:test';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { indexPending } from '../src/efile/search-indexer.ts';
import { validAssembly } from '../src/test-support/runtime.ts';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { FORM, fillAllPages } from './support/forms.ts';
import { signInStaff } from './support/staff.ts';

/**
 * The E-Akte in a real browser, axe-core on every page:
 *   citizen (phone, JavaScript off): signs in with an e-mail link → fills the form, attaches a
 *           text file named .pdf (refused, with the reason) and then a real PDF → sends →
 *           "Meine Anliegen" → the status page lists and downloads the document
 *   clerk (desktop): the case file with the document → downloads it → adds a scanned letter and
 *           a new version of it → finds the case by a word inside the PDF → confirms the notice
 *   citizen: the data-protection cockpit shows the office's access; the data download holds it
 *   supervisor (phone, JavaScript off): retention overview, legal hold, archive export (xdomea).
 */
const EMAIL = 'akte.e2e@example.org';

async function samplePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText(text, { x: 50, y: 700, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}


async function downloadBytes(page: Page, click: () => Promise<void>): Promise<{ bytes: Buffer; name: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { bytes: Buffer.concat(chunks), name: download.suggestedFilename() };
}

describe('E-Akte: documents, search, data protection, retention and archive', () => {
  let h: Harness;
  let citizen: BrowserContext;
  let reference = '';
  let sitePlan: Buffer;
  const data = validAssembly();
  const step = journey();

  before(async () => {
    h = await startHarness();
    sitePlan = await samplePdf('Lageplan: Buehnenaufbau am Roten Turm, Lautsprecherwagen an der Nordseite');
  });
  after(async () => h?.close());

  step('citizen attaches a site plan to the notice (phone, JavaScript off)', async () => {
    citizen = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await citizen.newPage();
    await page.goto('/account/sign-in');
    await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
    await Promise.all([page.waitForURL('**/account/sign-in/sent'), page.getByRole('button', { name: 'Link senden' }).click()]);
    const mail = await h.runtime.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', EMAIL).executeTakeFirstOrThrow();
    const link = /\/account\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text_body)?.[0];
    assert.ok(link, 'the mail carries the sign-in link');
    await page.goto(link);
    await Promise.all([page.waitForURL('**/my-cases'), page.getByRole('button', { name: 'Jetzt anmelden' }).click()]);

    await fillAllPages(citizen, data, ['veranstalter', 'leitung', 'versammlung']);
    await page.goto(`${FORM}/ort`);
    await checkPage(page, 'efile-01-form-with-upload');
    await page.getByLabel('Ort (Platz oder Adresse)').fill('Marktplatz, vor dem Roten Turm');
    await page.getByLabel('Lageplan oder Skizze (freiwillig)').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Nur ein Text, kein PDF.\n') });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Weiter' }).click()]);
    await checkPage(page, 'efile-02-upload-refused');
    assert.match(await page.locator('.aw-error-summary').innerText(), /Erlaubt sind PDF, JPEG und PNG\. Diese Datei ist unbekannten Typs\./);
    assert.equal(await page.getByLabel('Ort (Platz oder Adresse)').inputValue(), 'Marktplatz, vor dem Roten Turm', 'the typed place is kept');

    await page.getByLabel('Lageplan oder Skizze (freiwillig)').setInputFiles({ name: 'Lageplan.pdf', mimeType: 'application/pdf', buffer: sitePlan });
    await Promise.all([page.waitForURL('**/form/umfang'), page.getByRole('button', { name: 'Weiter' }).click()]);
    await fillAllPages(citizen, data, ['umfang', 'bekanntgabe']);
    await page.goto('/services/versammlungsanzeige/check');
    await checkPage(page, 'efile-03-check-answers');
    assert.match(await page.locator('main').innerText(), /Lageplan\.pdf/);
    await Promise.all([page.waitForURL('**/confirmation'), page.getByRole('button', { name: 'Verbindlich absenden' }).click()]);
    reference = (await page.getByTestId('reference').innerText()).trim();

    await page.goto('/my-cases');
    await Promise.all([page.waitForURL('**/status/*'), page.getByRole('link', { name: reference }).click()]);
    await checkPage(page, 'efile-04-status-documents');
    const got = await downloadBytes(page, () => page.getByTestId('applicant-documents').getByRole('link', { name: 'Lageplan.pdf' }).click());
    assert.equal(got.name, 'Lageplan.pdf');
    assert.ok(got.bytes.equals(sitePlan), 'the citizen downloads exactly what was uploaded');
  });

  step('clerk works with the case file: download, scan, new version, search, decision (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'clerk');
    await Promise.all([page.waitForURL('**/staff/cases/*'), page.getByRole('link', { name: reference }).click()]);
    await checkPage(page, 'efile-05-case-file');
    const documents = page.getByTestId('documents');
    assert.match(await documents.innerText(), /Lageplan oder Skizze/);
    const got = await downloadBytes(page, () => documents.getByRole('link', { name: 'Lageplan.pdf' }).click());
    assert.ok(got.bytes.equals(sitePlan), 'the clerk downloads the same bytes');

    await page.getByLabel('Bezeichnung (freiwillig)').fill('Schreiben der Polizei vom 2. Mai');
    await page.getByLabel('Datei (z. B. gescannte Post)').setInputFiles({ name: 'scan-0001.pdf', mimeType: 'application/pdf', buffer: await samplePdf('Polizeidirektion: keine Bedenken') });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Zur Akte nehmen' }).click()]);
    assert.match(await page.getByRole('status').first().innerText(), /Das Dokument ist in der Akte/);
    const row = documents.locator('tr', { hasText: 'Schreiben der Polizei' });
    await row.locator('summary').click();
    await row.getByLabel('Neue Version hochladen').setInputFiles({ name: 'scan-0001-vollstaendig.pdf', mimeType: 'application/pdf', buffer: await samplePdf('Polizeidirektion: keine Bedenken, Seite 2') });
    await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: 'Version speichern' }).click()]);
    await page.getByTestId('documents').locator('tr', { hasText: 'Schreiben der Polizei' }).locator('summary').click();
    await checkPage(page, 'efile-06-case-file-versions');
    assert.match(await page.getByTestId('documents').innerText(), /Versionen \(2\)/);

    await indexPending(h.runtime);
    await Promise.all([page.waitForURL('**/staff/search'), page.getByRole('link', { name: 'Suche' }).click()]);
    await page.getByLabel('Suchbegriffe').fill('Lautsprecherwagen');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Suchen' }).click()]);
    await checkPage(page, 'efile-07-search');
    await Promise.all([page.waitForURL('**/staff/cases/*'), page.getByTestId('search-results').getByRole('link', { name: reference }).click()]);

    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Prüfung beginnen' }).click()]);
    const confirmForm = page.locator('form[action$="/transitions/confirm"]');
    await confirmForm.getByLabel(/^Hinweise \(freiwillig\)/).fill('Bitte halten Sie die Feuerwehrzufahrt frei.');
    await Promise.all([page.waitForEvent('load'), confirmForm.getByRole('button', { name: 'Bestätigen', exact: true }).click()]);
    assert.equal(await page.getByTestId('staff-state').innerText(), 'Bestätigt');
    await context.close();
  });

  step("citizen sees the office's access in the data-protection cockpit and downloads all data", async () => {
    const page = await citizen.newPage();
    await page.goto('/account');
    await Promise.all([page.waitForURL('**/account/data-protection'), page.getByRole('link', { name: 'Zum Datenschutz-Cockpit' }).click()]);
    await checkPage(page, 'efile-08-cockpit');
    const text = await page.locator('main').innerText();
    assert.match(text, /Akte angesehen/);
    assert.match(text, /Dokument heruntergeladen/);
    assert.ok(text.includes(reference), 'the case is named');
    assert.ok(!text.includes('Clara Klein'), 'no staff name');
    const got = await downloadBytes(page, () => page.getByRole('button', { name: 'Alle meine Daten herunterladen' }).click());
    const files = unzipSync(new Uint8Array(got.bytes));
    const json = JSON.parse(Buffer.from(files['daten.json']!).toString('utf8')) as { cases: Array<{ reference: string }> };
    assert.ok(json.cases.some((c) => c.reference === reference), 'the export holds the case');
    assert.ok(Object.entries(files).some(([name, bytes]) => name.startsWith('dokumente/') && Buffer.from(bytes).equals(sitePlan)), 'and the document');
  });

  step('supervisor: retention overview, legal hold and the archive export (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await signInStaff(page, 'supervisor');
    await page.goto('/staff/retention');
    await checkPage(page, 'efile-09-retention');
    const caseId = (await h.runtime.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
    await page.goto(`/staff/cases/${caseId}`);
    await page.getByLabel('Grund für die Sperre').fill('Klageverfahren anhängig');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Akte sperren' }).click()]);
    await checkPage(page, 'efile-10-legal-hold');
    assert.match(await page.getByTestId('legal-hold-state').innerText(), /Gesperrt seit/);
    const got = await downloadBytes(page, () => page.getByRole('button', { name: 'Aussonderung herunterladen (xdomea)' }).click());
    assert.match(got.name, /^[0-9a-f-]{36}_Aussonderung\.Aussonderung\.0503\.zip$/);
    const files = Object.keys(unzipSync(new Uint8Array(got.bytes)));
    assert.ok(files.some((f) => f.endsWith('_Aussonderung.Aussonderung.0503.xml')), 'the message is in the ZIP');
    await context.close();
  });
});
