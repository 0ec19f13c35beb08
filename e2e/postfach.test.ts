import { after, before, describe } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { PAGE_ORDER } from '../src/test-support/http-forms.ts';
import { validAssembly } from '../src/test-support/runtime.ts';
import { assert } from './support/assert.ts';
import { fillAllPages } from './support/forms.ts';
import { berlinDay, checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { signInStaff } from './support/staff.ts';

/**
 * Keeping the citizen in the loop (issue 5), in a real browser with axe-core on every page:
 *   clerk (desktop): opens the new case → asks for a missing document (Nachforderung)
 *   citizen (phone, JavaScript off): gets the e-mail → follows its link to the status page
 *           ("Wartet auf Sie") → uploads the document on the page that asks only for it
 *   clerk: sees the answer and the document → confirms the notice.
 */
describe('Postfach: a document requested, uploaded and confirmed', () => {
  let h: Harness;
  let citizen: BrowserContext;
  let reference = '';
  let caseId = '';
  const data = validAssembly(new Date(), { email: 'postfach.e2e@example.org' });
  const step = journey();

  before(async () => {
    h = await startHarness();
  });
  after(async () => h?.close());

  step('citizen sends a notice; clerk asks for a missing document (desktop)', async () => {
    citizen = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    await fillAllPages(citizen, data, PAGE_ORDER);
    const page = await citizen.newPage();
    await page.goto('/services/versammlungsanzeige/check');
    await Promise.all([page.waitForURL('**/confirmation'), page.getByRole('button', { name: 'Verbindlich absenden' }).click()]);
    reference = (await page.getByTestId('reference').innerText()).trim();
    caseId = (await h.runtime.db.selectFrom('cases').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;

    const staff = await h.newContext({ viewport: DESKTOP });
    const clerk = await staff.newPage();
    await signInStaff(clerk, 'clerk');
    await Promise.all([clerk.waitForURL('**/staff/cases/*'), clerk.getByRole('link', { name: reference }).click()]);
    await clerk.getByText('Neue Nachforderung stellen').click();
    await clerk.getByLabel('Welche Dokumente fehlen? (eines je Zeile, freiwillig)').fill('Lageplan der Bühne');
    await clerk.getByLabel('Hinweis an die Antragstellenden').fill('Bitte senden Sie uns einen Lageplan der Bühne.');
    await clerk.getByLabel('Frist').fill(berlinDay(10));
    await Promise.all([clerk.waitForEvent('load'), clerk.getByRole('button', { name: 'Nachfordern' }).click()]);
    await checkPage(clerk, 'postfach-01-request-sent');
    assert.match(await clerk.getByTestId('open-request').innerText(), /Lageplan der Bühne/);
    await staff.close();
  });

  step('citizen follows the mail to the status page and uploads the document (phone, JavaScript off)', async () => {
    const deadline = Date.now() + 60_000;
    let link: string | undefined;
    while (!link && Date.now() < deadline) {
      const mails = await h.runtime.db.selectFrom('mail_outbox').select(['text_body', 'sent_at']).where('to_address', '=', data.email as string).execute();
      link = mails.map((m) => (m.sent_at ? new RegExp(`/status/${caseId}`).exec(m.text_body)?.[0] : undefined)).find((l) => l !== undefined);
      if (!link) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(link, 'a mail with the link to the status page was sent');
    const page = await citizen.newPage();
    await page.goto(link);
    await checkPage(page, 'postfach-02-waiting-for-you');
    assert.match(await page.getByTestId('waiting-for-you').innerText(), /Wartet auf Sie/);
    await Promise.all([page.waitForURL('**/request'), page.getByRole('link', { name: 'Jetzt ergänzen' }).click()]);
    await checkPage(page, 'postfach-03-request-form');
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Lageplan: Bühne an der Nordseite', { x: 50, y: 700, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
    await page.getByLabel('Lageplan der Bühne').setInputFiles({ name: 'buehne.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) });
    await Promise.all([page.waitForURL(`**/status/${caseId}`), page.getByRole('button', { name: 'Ergänzung senden' }).click()]);
    await checkPage(page, 'postfach-04-answered');
    assert.match(await page.locator('main').innerText(), /Danke, Ihre Ergänzung ist beim Amt/);
  });

  step('clerk sees the document and confirms (desktop)', async () => {
    const staff = await h.newContext({ viewport: DESKTOP });
    const clerk = await staff.newPage();
    await signInStaff(clerk, 'clerk2');
    await clerk.goto(`/staff/cases/${caseId}`);
    await checkPage(clerk, 'postfach-05-answer-seen');
    assert.match(await clerk.getByTestId('request-answer').innerText(), /Lageplan der Bühne/);
    assert.match(await clerk.getByTestId('documents').innerText(), /buehne\.pdf/);
    await Promise.all([clerk.waitForEvent('load'), clerk.getByRole('button', { name: 'Prüfung beginnen' }).click()]);
    const confirmForm = clerk.locator('form[action$="/transitions/confirm"]');
    await Promise.all([clerk.waitForEvent('load'), confirmForm.getByRole('button', { name: 'Bestätigen', exact: true }).click()]);
    assert.equal(await clerk.getByTestId('staff-state').innerText(), 'Bestätigt');
    await staff.close();
  });
});
