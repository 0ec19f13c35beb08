import { after, before, describe } from 'node:test';
import { assert } from './support/assert.ts';
import { berlinDay, checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, waitForStatusText, type ServiceJourneyResult } from './support/service-journey.ts';
import { signInStaff } from './support/staff.ts';

/**
 * Unternehmensgründung, the founder's journey in a real browser:
 *   founder (phone, JavaScript off): search "gründen" → proof of identity at the development
 *           provider (ELSTER-like or eID) → trade pages with the verified data confirmed → the tax
 *           office's questions → register → check → send → status page: accepted by the system,
 *           the measured time to the receipt, the checklist of every part, the ELSTER download
 *   trade office clerk (desktop): the case file shows the XGewerbeanzeige deliveries.
 */
describe('Unternehmensgründung: one journey, accepted in minutes, checklist and ELSTER export', () => {
  let h: Harness;
  let submitted: ServiceJourneyResult;
  const step = journey();

  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  step('the founder files everything once and sees every part on the status page (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    submitted = await citizenServiceJourney(page, {
      service: 'unternehmensgruendung',
      search: 'gründen',
      prefix: 'ug',
      answers: {
        legalForm: 'einzelunternehmen',
        businessName: 'Mustermann Webdesign',
        registered: 'no',
        nationality: 'DE',
        gender: 'w',
        email: 'erika@example.org',
        activityCategory: 'it',
        activityDescription: 'Gestaltung und Programmierung von Webseiten',
        wzKey: '62.01.9',
        businessType: ['sonstiges'],
        sideBusiness: 'no',
        fullTimeStaff: '0',
        partTimeStaff: '0',
        branchType: 'haupt',
        businessStreet: 'Große Ulrichstraße 7a',
        businessPostcode: '06108',
        businessTown: 'Halle (Saale)',
        startDate: berlinDay(14),
        startReason: '01',
        taxId: '86095742719',
        turnoverFirstYear: '18000',
        turnoverNextYear: '35000',
        profitFirstYear: '9000',
        smallBusiness: 'yes',
        vatIdWanted: 'no',
        profitMethod: 'euer',
        iban: 'DE89 3704 0044 0532 0130 00',
        accountHolder: 'Erika Mustermann',
        merchantScale: 'no',
      },
    });
    const text = await waitForStatusText(page, /Vom Absenden bis zur Empfangsbestätigung/);
    await checkPage(page, 'ug-20-status-accepted');
    assert.match(text, /Eingang bestätigt/, 'accepted by the system');
    const checklist = page.getByTestId('founding-checklist');
    assert.equal(await checklist.locator('[data-part="trade"]').getAttribute('data-status'), 'done', 'the trade notice is done');
    assert.equal(await checklist.locator('[data-part="register"]').getAttribute('data-status'), 'not_needed', 'no register entry needed');
    assert.match(await page.getByTestId('applicant-documents').innerText(), /\.pdf/, 'the sealed receipt is in the file');
    const href = await checklist.getByRole('link', { name: /Angaben für ELSTER herunterladen/ }).getAttribute('href');
    assert.ok(href, 'the ELSTER download is offered');
    const xml = await context.request.get(href);
    assert.equal(xml.status(), 200, 'the export downloads');
    assert.match(await xml.text(), /<Identifikationsnummer>86095742719<\/Identifikationsnummer>/, 'with the IdNr');
    await context.close();
  });

  step('the trade office sees the deliveries to the tax office, chamber and the others (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'gewerbe');
    await page.goto(`/staff/cases/${submitted.caseId}`);
    await checkPage(page, 'ug-30-staff-case');
    const main = await page.locator('main').innerText();
    assert.match(main, /Finanzamt/, 'the tax office delivery is listed');
    assert.match(main, /IHK Halle-Dessau/, 'the chamber delivery is listed');
    await context.close();
  });
});
