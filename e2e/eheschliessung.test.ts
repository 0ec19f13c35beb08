import { after, before, describe } from 'node:test';
import { assert } from './support/assert.ts';
import { berlinDay, checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, clickAndLoad, type ServiceJourneyResult } from './support/service-journey.ts';
import { signInStaff } from './support/staff.ts';

/**
 * Eheschließung, the one matter that stays in person:
 *   couple (phone, JavaScript off): search "heiraten" → the form → the documents for their
 *          situation before sending → status page with the same list → book the appointment
 *          for registering the intent to marry at the Standesamt
 *   Standesamt clerk (desktop): the registration taken, the wedding date reserved
 *   couple: the status page shows the reserved wedding date.
 */
describe('Eheschließung: documents, Standesamt appointment, wedding date', () => {
  let h: Harness;
  let submitted: ServiceJourneyResult;
  const step = journey();
  const WEDDING = `${berlinDay(60)}, 11:00 Uhr, Trauzimmer im Ratshof`;

  before(async () => {
    h = await startHarness();
  });
  after(async () => h?.close());

  step('the couple finds the service by "heiraten", sees their documents and books the appointment (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    submitted = await citizenServiceJourney(page, {
      service: 'eheschliessung',
      search: 'heiraten',
      prefix: 'ehe',
      answers: {
        partner1Name: 'Lena Hoffmann',
        partner2Name: 'Yusuf Demir',
        email: 'lena.hoffmann@example.org',
        residence: 'halle',
        nationality: 'foreign',
        bornAbroad: 'yes',
        previousMarriage: ['divorced'],
        commonChildren: 'no',
        wishDate: berlinDay(60),
        venue: 'standesamt',
        guests: '25',
      },
      onPage: async (p, pageId) => {
        if (pageId === 'wunsch') assert.equal(await p.inputValue('#guests'), '25', 'the guests are typed');
      },
    });
    const status = await page.locator('main').innerText();
    assert.match(status, /Eingegangen – Termin buchen/, 'the state asks to book the appointment');
    const docs = await page.getByTestId('required-documents').innerText();
    for (const d of ['Geburtenregister', 'Scheidungsurteil', 'Ehefähigkeitszeugnis', 'Ausländische Geburtsurkunde'])
      assert.ok(docs.includes(d), `the status page lists ${d}`);
    assert.ok(!docs.includes('Meldebescheinigung'), 'no registration certificate: both live in Halle');
    assert.match(await page.getByTestId('payment-panel').innerText(), /80,00\s€/, 'the fee with foreign law checked');

    await Promise.all([page.waitForURL('**/appointments/book/eheschliessung**'), page.getByRole('link', { name: /Termin buchen/ }).first().click()]);
    // Place (skipped when only one offers it) → day → time, each a plain link, until the confirmation form.
    for (let i = 0; i < 4 && (await page.getByRole('button', { name: 'Termin verbindlich buchen' }).count()) === 0; i++) {
      await checkPage(page, `ehe-1${i}-appointment`);
      const next = ['time=', 'day=', 'location=standesamt'];
      let clicked = false;
      for (const part of next) {
        const link = page.locator(`main a.kern-link[href*="${part}"]`).first();
        if ((await link.count()) === 0) continue;
        await Promise.all([page.waitForEvent('load'), link.click()]);
        clicked = true;
        break;
      }
      assert.ok(clicked, `the booking page offers a place, a day or a time (${page.url()})`);
    }
    const email = page.getByLabel('E-Mail-Adresse');
    if ((await email.count()) > 0 && (await email.inputValue()) === '') await email.fill('lena.hoffmann@example.org');
    await checkPage(page, 'ehe-15-appointment-confirm');
    await clickAndLoad(page, 'Termin verbindlich buchen');
    await checkPage(page, 'ehe-16-appointment-booked');
    assert.match(await page.locator('main').innerText(), /Standesamt Halle/, 'booked at the Standesamt');
    await context.close();
  });

  step('the Standesamt takes the registration and reserves the wedding date (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'standesamt');
    await page.goto(`/staff/cases/${submitted.caseId}`);
    await checkPage(page, 'ehe-20-staff-case');
    await clickAndLoad(page, 'Anmeldung aufgenommen');
    assert.equal(await page.getByTestId('staff-state').innerText(), 'Anmeldung aufgenommen', 'registration taken');
    const form = page.locator('form[action$="/transitions/schedule_wedding"]');
    await form.getByLabel(/^Trautermin/).fill(WEDDING);
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Trautermin reservieren' }).click()]);
    await checkPage(page, 'ehe-21-staff-scheduled');
    assert.equal(await page.getByTestId('staff-state').innerText(), 'Trautermin reserviert', 'wedding date reserved');
    await context.close();
  });

  step('the couple sees the reserved wedding date (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto('/status');
    await page.getByLabel('Aktenzeichen').fill(submitted.reference);
    await page.getByLabel('Zugangscode').fill(submitted.accessCode);
    await Promise.all([page.waitForURL(/\/status\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Stand anzeigen' }).click()]);
    await checkPage(page, 'ehe-30-status-scheduled');
    assert.equal(await page.getByTestId('state-label').innerText(), 'Trautermin reserviert', 'the state');
    assert.ok((await page.locator('main').innerText()).includes(WEDDING), 'the wedding date as the Standesamt wrote it');
    await context.close();
  });
});
