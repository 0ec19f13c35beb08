import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, clickAndLoad, type ServiceJourneyResult } from './support/service-journey.ts';
import { signInStaff } from './support/staff.ts';

/**
 * Personalausweis and Reisepass, prepared online and finished in person:
 *   citizen Erika (phone, JavaScript off): search "Ausweis" → proof of identity (development
 *          provider) → the form with her verified data, a mistyped photo code corrected → check →
 *          send → status page with the fee (46,00 €) → books the appointment for fingerprints
 *   citizen Ben (phone, JavaScript off): a passport, under 24, express and by post (84,50 €)
 *   Bürgerservice clerk (desktop): orders both, recording each serial number; then the cards
 *          arrive and are scanned on the bulk page (one unknown number among them)
 *   both citizens: the status page says "Abholbereit" / "Per Post versandt".
 */
describe('Personalausweis and Reisepass: prepare, appointment, bulk arrival', () => {
  let h: Harness;
  const step = journey();
  let idCard: ServiceJourneyResult;
  let passport: ServiceJourneyResult;
  let erika: { context: BrowserContext; page: Page };
  let ben: { context: BrowserContext; page: Page };
  const ID_SERIAL = 'L01X00T47';
  const PASS_SERIAL = 'C33XYZ004';

  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => {
    await erika?.context.close();
    await ben?.context.close();
    await h?.close();
  });

  async function bookAppointment(page: Page, prefix: string, email: string): Promise<string> {
    await Promise.all([page.waitForURL('**/appointments/book/**'), page.getByTestId('appointment-panel').getByRole('link', { name: /Termin buchen/ }).click()]);
    // Place → day → time, each a plain link, until the confirmation form.
    for (let i = 0; i < 4 && (await page.getByRole('button', { name: 'Termin verbindlich buchen' }).count()) === 0; i++) {
      await checkPage(page, `${prefix}-${i}-appointment`);
      let clicked = false;
      for (const part of ['time=', 'day=', 'location=buergerservice-markt']) {
        const link = page.locator(`main a.kern-link[href*="${part}"]`).first();
        if ((await link.count()) === 0) continue;
        await Promise.all([page.waitForEvent('load'), link.click()]);
        clicked = true;
        break;
      }
      assert.ok(clicked, `the booking page offers a place, a day or a time (${page.url()})`);
    }
    const field = page.getByLabel('E-Mail-Adresse');
    if ((await field.count()) > 0 && (await field.inputValue()) === '') await field.fill(email);
    await checkPage(page, `${prefix}-5-appointment-confirm`);
    await clickAndLoad(page, 'Termin verbindlich buchen');
    await checkPage(page, `${prefix}-6-appointment-booked`);
    return page.locator('main').innerText();
  }

  step('Erika prepares her Personalausweis and books the appointment (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    erika = { context, page };
    idCard = await citizenServiceJourney(page, {
      service: 'personalausweis',
      search: 'Ausweis',
      prefix: 'ausweis',
      person: /Erika Mustermann/,
      answers: {
        email: 'erika.mustermann@example.org',
        applicationReason: 'expired',
        heightCm: '172',
        eyeColour: 'blau',
        photoCode: 'k7qw-3mxa-9pzd',
        delivery: 'pickup',
      },
      onPage: async (p, pageId) => {
        if (pageId === 'person') {
          const main = await p.locator('main').innerText();
          for (const verified of ['Erika', 'Mustermann', 'Berlin', 'Marktplatz 1']) assert.ok(main.includes(verified), `the verified identity shows ${verified}`);
        }
        if (pageId === 'foto') {
          // A typo first: the 0 that is a Q on the slip.
          await p.locator('[name="photoCode"]').fill('K7QW-3MXA-9P0D');
          assert.equal(await clickAndLoad(p, 'Weiter'), 422, 'the mistyped photo code is refused');
          await checkPage(p, 'ausweis-photo-code-error');
          assert.match(await p.locator('[data-module="error-summary"]').innerText(), /I, O, 0 und 1/, 'the error says which characters never occur');
          await p.locator('[name="photoCode"]').fill('k7qw-3mxa-9pzd');
        }
      },
    });
    const status = await page.locator('main').innerText();
    assert.equal(await page.getByTestId('state-label').innerText(), 'Beantragt', 'the application is in');
    assert.match(status, /Termin für Fingerabdrücke und Unterschrift/, 'the next step is the appointment');
    assert.match(await page.getByTestId('payment-panel').innerText(), /46,00\s€/, 'the fee for 24 and older');
    const booked = await bookAppointment(page, 'ausweis-1', 'erika.mustermann@example.org');
    assert.match(booked, /Bürgerservice/, 'booked at the Bürgerservice');
  });

  step('Ben prepares a Reisepass, express and by post (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    ben = { context, page };
    passport = await citizenServiceJourney(page, {
      service: 'reisepass',
      search: 'Reisepass',
      prefix: 'pass',
      person: /Ben Schulze/,
      answers: {
        email: 'ben.schulze@example.org',
        applicationReason: 'first',
        heightCm: '151',
        eyeColour: 'braun',
        photoCode: 'T4HB-K7QW-3MXA',
        delivery: 'post',
        express: 'yes',
      },
      onPage: async (p, pageId) => {
        if (pageId === 'merkmale') assert.match(await p.locator('main').innerText(), /Unter 16 Jahren stellen die Sorgeberechtigten den Antrag/, 'a 12-year-old is told about the parents');
      },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Beantragt', 'the application is in');
    // Under 24: 37,50 € + express 32,00 € + post 15,00 €.
    assert.match(await page.getByTestId('payment-panel').innerText(), /84,50\s€/, 'the fee by age with express and post');
  });

  step('the Bürgerservice orders both documents with their serial numbers (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'buergerservice');
    for (const [c, serial, name] of [
      [idCard, ID_SERIAL, 'ausweis'],
      [passport, PASS_SERIAL, 'pass'],
    ] as const) {
      await page.goto(`/staff/cases/${c.caseId}`);
      await checkPage(page, `${name}-20-staff-case`);
      const form = page.locator('form[action$="/transitions/start_production"]');
      await form.getByLabel(/^Seriennummer/).fill(serial.toLowerCase());
      await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Bei der Bundesdruckerei bestellt' }).click()]);
      assert.equal(await page.getByTestId('staff-state').innerText(), 'In Herstellung (Bundesdruckerei)', `${name}: in production`);
    }
    await context.close();
  });

  step('the cards arrive: the clerk scans them on the bulk page (desktop, keyboard)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'buergerservice');
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Ausweise eingetroffen' }).first().click()]);
    assert.match(new URL(page.url()).pathname, /\/staff\/id-documents\/arrivals$/, 'the navigation leads to the arrival page');
    await checkPage(page, 'ausweis-30-arrivals');
    // A scanner types each number and presses Enter.
    const field = page.getByLabel('Seriennummern, eine je Zeile');
    await field.focus();
    for (const serial of [ID_SERIAL, PASS_SERIAL, 'ZZZZZZZZ9']) {
      await page.keyboard.type(serial);
      await page.keyboard.press('Enter');
    }
    await clickAndLoad(page, 'Als eingetroffen verbuchen');
    await checkPage(page, 'ausweis-31-arrivals-done');
    const results = await page.getByTestId('arrival-results').innerText();
    assert.match(results, new RegExp(`${ID_SERIAL}\\s+Verbucht, jetzt „Abholbereit“`), 'the ID card is ready for pickup');
    assert.match(results, new RegExp(`${PASS_SERIAL}\\s+Verbucht, jetzt „Per Post versandt“`), 'the passport is sent by post');
    assert.match(results, /ZZZZZZZZ9\s+Unbekannte Seriennummer/, 'the unknown number is reported');
    assert.equal((await field.inputValue()).trim(), 'ZZZZZZZZ9', 'and kept in the field to correct');
    await context.close();
  });

  step("the citizens' status pages say the documents are there (phone, JavaScript off)", async () => {
    await erika.page.goto(`/status/${idCard.caseId}`);
    await checkPage(erika.page, 'ausweis-40-status-ready');
    assert.equal(await erika.page.getByTestId('state-label').innerText(), 'Abholbereit', 'Erika: ready for pickup');
    assert.match(await erika.page.locator('main').innerText(), /Ihr Personalausweis ist da und kann abgeholt werden/, 'the timeline says so');
    await ben.page.goto(`/status/${passport.caseId}`);
    await checkPage(ben.page, 'pass-40-status-sent');
    assert.equal(await ben.page.getByTestId('state-label').innerText(), 'Per Post versandt', 'Ben: sent by post');
  });
});
