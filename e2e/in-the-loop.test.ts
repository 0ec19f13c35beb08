import { randomUUID } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { submitCase } from '../src/cases/submit-case.ts';
import { paidTestService } from '../src/test-support/paid-test-service.ts';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { signInStaff } from './support/staff.ts';

/**
 * Fees paid online and the operators' failed-jobs page, in a real browser with axe-core on every
 * page. No shipped service has a fee yet, so a test-only service with the ID card's fee rules is
 * served beside the catalogue (src/test-support/paid-test-service.ts).
 *   citizen (phone, JavaScript off): status lookup → the fee (46 € + 15 € by post) → the
 *           development payment page → pay → paid, the sealed confirmation among the documents
 *   clerk (desktop): the payment in the case file → a partial refund
 *   system administrator: the failed-jobs page
 *   citizen (phone, JavaScript off): books an appointment at the Bürgerservice (place → day →
 *           time → e-mail), gets the confirmation mail with its manage link
 *   Bürgerservice clerk (desktop): the day view with the booking, marks it attended.
 */
describe('fees and jobs', () => {
  let h: Harness;
  let submitted: { caseId: string; reference: string; accessCode: string };
  const step = journey();

  before(async () => {
    h = await startHarness({ extraServices: [paidTestService] });
    submitted = await submitCase(h.runtime, { serviceId: paidTestService.id, data: { name: 'Erika Mustermann', birthdate: '1990-05-01', delivery: 'post' }, idempotencyScope: 'api', idempotencyKey: randomUUID() });
  });
  after(async () => h?.close());

  step('citizen pays the fee online (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto('/status');
    await page.getByLabel('Aktenzeichen').fill(submitted.reference);
    await page.getByLabel('Zugangscode').fill(submitted.accessCode);
    await Promise.all([page.waitForURL(`**/status/${submitted.caseId}`), page.getByRole('button', { name: 'Stand anzeigen' }).click()]);
    await checkPage(page, 'loop-01-fee-open');
    const panel = page.getByTestId('payment-panel');
    assert.match(await panel.innerText(), /61,00\s€/);
    await Promise.all([page.waitForURL('**/dev/pay/*'), panel.getByRole('button', { name: 'Jetzt bezahlen' }).click()]);
    await checkPage(page, 'loop-02-payment-page');
    await Promise.all([page.waitForURL(`**/status/${submitted.caseId}`), page.getByRole('button', { name: 'Bezahlen', exact: true }).click()]);
    await checkPage(page, 'loop-03-paid');
    assert.match(await page.getByTestId('payment-panel').innerText(), /Bezahlt am/);
    assert.match(await page.getByTestId('applicant-documents').innerText(), /Zahlungsbest/);
    await context.close();
  });

  step('clerk sees the payment and refunds a part of it (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'clerk');
    await page.goto(`/staff/cases/${submitted.caseId}`);
    const payments = page.getByTestId('staff-payments');
    assert.match(await payments.innerText(), /bezahlt/);
    await payments.getByLabel('Betrag in Euro').fill('15,00');
    await payments.getByLabel('Grund der Erstattung').fill('Abholung statt Versand');
    await Promise.all([page.waitForEvent('load'), payments.getByRole('button', { name: 'Erstattung veranlassen' }).click()]);
    await checkPage(page, 'loop-04-refunded');
    assert.match(await page.getByTestId('staff-payments').innerText(), /15,00\s€/);
    await context.close();
  });

  let bookedDay = '';
  step('citizen books an appointment and finds the manage link in the mail (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto('/appointments/book/termin-buergerservice');
    await checkPage(page, 'loop-06-appointment-places');
    await Promise.all([page.waitForURL('**location=*'), page.locator('main a.kern-link[href*="location=buergerservice-markt"]').first().click()]);
    await checkPage(page, 'loop-07-appointment-days');
    await Promise.all([page.waitForURL('**day=*'), page.locator('main a.kern-link[href*="day="]').first().click()]);
    bookedDay = new URL(page.url()).searchParams.get('day') ?? '';
    await checkPage(page, 'loop-08-appointment-times');
    await Promise.all([page.waitForURL('**time=*'), page.locator('main a.kern-link[href*="time="]').first().click()]);
    await page.getByLabel('E-Mail-Adresse').fill('termin.e2e@example.org');
    await checkPage(page, 'loop-09-appointment-confirm');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Termin verbindlich buchen' }).click()]);
    await checkPage(page, 'loop-10-appointment-booked');
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      const mail = await h.runtime.db.selectFrom('mail_outbox').select(['text_body', 'sent_at']).where('to_address', '=', 'termin.e2e@example.org').executeTakeFirst();
      link = mail?.sent_at ? /\/appointments\/manage\/[A-Za-z0-9_-]{43}/.exec(mail.text_body)?.[0] : undefined;
      if (!link) await new Promise((r) => setTimeout(r, 300));
    }
    assert.ok(link, 'the confirmation mail carries the manage link');
    await page.goto(link);
    await checkPage(page, 'loop-11-appointment-manage');
    await context.close();
  });

  step('the Bürgerservice clerk sees the day and marks the appointment attended (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'buergerservice');
    await page.goto(`/staff/appointments?location=buergerservice-markt&day=${bookedDay}`);
    await checkPage(page, 'loop-12-day-view');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /^Erschienen/ }).first().click()]);
    await checkPage(page, 'loop-13-day-view-attended');
    await context.close();
  });

  step('the system administrator sees the job queues and failed jobs (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'sysadmin');
    await page.goto('/staff/admin/jobs');
    await checkPage(page, 'loop-05-jobs');
    assert.match(await page.locator('main').innerText(), /Fehlgeschlagene Aufträge \(0\)/);
    await context.close();
  });
});
