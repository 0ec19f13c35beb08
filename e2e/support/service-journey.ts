import type { Page } from 'playwright-core';
import type { Field, ServiceDefinition } from '../../src/catalogue/service-definition.ts';
import { serviceDefinitions } from '../../src/services/index.ts';
import { assert } from './assert.ts';
import { checkPage } from './harness.ts';

/**
 * A citizen's journey through one service in a real browser, as a newcomer does it: the home
 * page's search with everyday words → the result list → the service page → "Jetzt starten" →
 * (proof of identity with the bundled development provider when the service needs it) → every
 * form page → check your answers → "Verbindlich absenden" → confirmation → the status page by
 * reference and access code. axe-core runs on every page (`checkPage`), and each is
 * screenshotted as `<prefix>-NN-<what>.png`.
 *
 * Answers are given by field id, as the definition names them. Fields a verified identity fills
 * are shown as confirmed data and skipped. A page that reveals more questions after an answer
 * (dependent fields) is filled again until it moves on.
 */
export interface UploadFile {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

export interface ServiceJourneyOptions {
  /** The service's id (slug). */
  readonly service: string;
  /** The everyday words typed into the search, e.g. "umziehen". */
  readonly search: string;
  /** Answers by field id; radio and select by choice value, checkboxes as a list of values. */
  readonly answers: Readonly<Record<string, string | readonly string[]>>;
  /** Files for file fields, by field id. */
  readonly files?: Readonly<Record<string, UploadFile>>;
  /** Screenshot name prefix, unique per journey. */
  readonly prefix: string;
  /**
   * The test person chosen at the development identity provider when the service needs a proven
   * identity (the harness must run with `devIdp: true`); default Erika Mustermann.
   */
  readonly person?: RegExp;
  /** Called on each form page after it was filled and before "Weiter" (e.g. extra assertions). */
  readonly onPage?: (page: Page, pageId: string) => Promise<void>;
}

export interface ServiceJourneyResult {
  readonly reference: string;
  /** Empty when the confirmation showed none (never for anonymous submissions). */
  readonly accessCode: string;
  /** The case id, from the status page's URL. */
  readonly caseId: string;
}

/** A small valid PDF for file fields (its content type is judged by the content). */
export function samplePdf(name = 'nachweis.pdf'): UploadFile {
  const body = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(body, 'latin1') };
}

function definitionOf(service: string): ServiceDefinition {
  const def = serviceDefinitions.find((d) => d.id === service);
  assert.ok(def, `service ${service} is in the catalogue`);
  return def;
}

/** Clicks a button (exact name) and waits for the page it loads; returns that page's HTTP status. */
export async function clickAndLoad(page: Page, name: string | RegExp): Promise<number> {
  const response = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400));
  await page.getByRole('button', { name, exact: typeof name === 'string' }).first().click();
  const status = (await response).status();
  await page.waitForLoadState('load');
  return status;
}

/** Proves the identity at the development provider from the app's "Identität nachweisen" page. */
async function proveIdentity(page: Page, person: RegExp, shot: (name: string) => Promise<void>): Promise<void> {
  await shot('identity');
  await Promise.all([page.waitForURL((u) => u.pathname.includes('/citizen/interaction/')), page.getByRole('button', { name: /^Weiter mit/ }).first().click()]);
  await page.getByLabel(person).check();
  // "high" offers only the online ID card (checked already); "substantial" also ELSTER.
  const eid = page.getByLabel(/Online-Ausweis/);
  if ((await eid.count()) > 0 && !(await eid.isChecked())) await eid.check();
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /^Weiter/ }).click()]);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/citizen/')), page.getByRole('button', { name: /Erlauben/ }).click()]);
}

async function fillField(page: Page, field: Field, value: string | readonly string[] | undefined, file: UploadFile | undefined): Promise<void> {
  const control = page.locator(`[name="${field.id}"]`);
  if ((await control.count()) === 0) return; // not shown (dependent) or confirmed from the identity
  switch (field.type) {
    case 'radio':
      if (typeof value === 'string') await page.locator(`input[name="${field.id}"][value="${value}"]`).check();
      return;
    case 'checkboxes':
      for (const v of Array.isArray(value) ? value : value ? [value] : []) await page.locator(`input[name="${field.id}"][value="${v}"]`).check();
      return;
    case 'select':
      if (typeof value === 'string') await page.selectOption(`select[name="${field.id}"]`, value);
      return;
    case 'file':
      if (file) await page.setInputFiles(`input[type="file"][name="${field.id}"]`, { name: file.name, mimeType: file.mimeType, buffer: file.buffer });
      return;
    default:
      if (typeof value === 'string') await control.first().fill(value);
  }
}

export async function citizenServiceJourney(page: Page, o: ServiceJourneyOptions): Promise<ServiceJourneyResult> {
  const def = definitionOf(o.service);
  let n = 0;
  const shot = async (what: string) => checkPage(page, `${o.prefix}-${String(++n).padStart(2, '0')}-${what}`);

  // The service list, searched with everyday words.
  await page.goto('/');
  await page.getByLabel('Was möchten Sie erledigen?').fill(o.search);
  await Promise.all([page.waitForURL((u) => u.pathname === '/services'), page.getByRole('button', { name: 'Suchen' }).click()]);
  await shot('search');
  const link = page.getByRole('link', { name: def.title.de, exact: true });
  assert.equal(await link.count(), 1, `the search "${o.search}" lists "${def.title.de}"`);
  await Promise.all([page.waitForURL((u) => u.pathname === `/services/${def.id}`), link.click()]);
  await shot('service');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Jetzt starten' }).click()]);

  // The form, page by page.
  for (let guard = 0; guard < def.pages.length * 4 + 4; guard++) {
    const path = new URL(page.url()).pathname;
    if (path === `/services/${def.id}/check`) break;
    if ((await page.getByRole('heading', { name: 'Identität nachweisen', level: 1 }).count()) > 0) {
      await proveIdentity(page, o.person ?? /Erika Mustermann/, shot);
      continue;
    }
    const pageId = /\/form\/([^/]+)$/.exec(path)?.[1];
    assert.ok(pageId, `on a form page, not ${path}`);
    const formPage = def.pages.find((p) => p.id === pageId);
    assert.ok(formPage, `page ${pageId} belongs to ${def.id}`);
    await shot(`form-${pageId}`);
    for (const field of formPage.fields) await fillField(page, field, o.answers[field.id], o.files?.[field.id]);
    await o.onPage?.(page, pageId);
    const status = await clickAndLoad(page, 'Weiter');
    if (status === 422) {
      const summary = await page.locator('[data-module="error-summary"]').innerText().catch(() => '');
      assert.fail(`page ${pageId} of ${def.id} refused the answers: ${summary}`);
    }
  }
  assert.match(new URL(page.url()).pathname, new RegExp(`/services/${def.id}/check$`), 'the journey reaches check your answers');
  await shot('check');
  assert.equal(await clickAndLoad(page, 'Verbindlich absenden'), 200, 'the submission is accepted');
  assert.match(new URL(page.url()).pathname, /\/confirmation$/, 'the confirmation follows');
  await shot('confirmation');
  const reference = (await page.getByTestId('reference').innerText()).trim();
  const code = page.getByTestId('access-code');
  const accessCode = (await code.count()) > 0 ? (await code.innerText()).trim() : '';
  assert.match(reference, /^[A-Z]+-\d{4}-\d+-\d$/, 'a reference is shown');

  // The status page, as the citizen reaches it later: reference and access code.
  if (accessCode) {
    await page.goto('/status');
    await page.getByLabel('Aktenzeichen').fill(reference);
    await page.getByLabel('Zugangscode').fill(accessCode);
    await Promise.all([page.waitForURL(/\/status\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Stand anzeigen' }).click()]);
  } else {
    await Promise.all([page.waitForURL(/\/status\/[0-9a-f-]{36}$/), page.getByRole('link', { name: 'Stand anzeigen' }).first().click()]);
  }
  await shot('status');
  const caseId = /\/status\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  assert.match(await page.locator('main').innerText(), new RegExp(reference), 'the status page names the reference');
  return { reference, accessCode, caseId };
}

/** Reloads the status page until its text matches (background jobs decide and issue documents). */
export async function waitForStatusText(page: Page, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await page.locator('main').innerText();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) assert.fail(`the status page never showed ${pattern}; it shows: ${text.slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 1000));
    await page.reload();
  }
}
