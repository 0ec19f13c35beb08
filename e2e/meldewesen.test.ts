import { after, before, describe } from 'node:test';
import { assert } from './support/assert.ts';
import { berlinDay, checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { clerkAccepts, reloadUntil } from './support/meldewesen.ts';
import { citizenServiceJourney, clickAndLoad, waitForStatusText, type ServiceJourneyResult } from './support/service-journey.ts';

/**
 * Meldewesen in a real browser, with a citizen verified at level high through the bundled
 * development identity provider:
 *   landlord (desktop): confirms the move-in online at /wohnungsgeber and gets the code
 *   citizen (phone, JavaScript off): searches "umziehen", registers with that code
 *   clerk of the Bürgerservice (desktop): sees the landlord's data in the case file, accepts
 *   citizen: the status page shows "Angemeldet" and the sealed Meldebestätigung
 * (The Abmeldung and the Meldebescheinigung: meldewesen-abmeldung.test.ts.) axe-core on every page.
 */

describe('Wohnsitzanmeldung with the landlord confirmation online', () => {
  let h: Harness;
  let code = '';
  let submitted: ServiceJourneyResult;
  const step = journey();
  const moveIn = berlinDay(-4);

  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  step('the landlord confirms the move-in online and gets a code (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto('/wohnungsgeber');
    await checkPage(page, 'melde-01-landlord-start');
    await Promise.all([page.waitForURL('**/wohnungsgeber/bestaetigen'), page.getByTestId('start-landlord').click()]);
    await checkPage(page, 'melde-02-landlord-form');
    await page.getByLabel('Name des Wohnungsgebers (Person oder Firma)').fill('Wohnbau Saale GmbH');
    await page.getByLabel('Straße und Hausnummer des Wohnungsgebers').fill('Hansering 1');
    await page.getByLabel('Postleitzahl des Wohnungsgebers').fill('06108');
    await page.getByLabel('Ort des Wohnungsgebers (bei Ausland mit Staat)').fill('Halle (Saale)');
    await page.getByLabel('Einzug', { exact: true }).check();
    await page.getByLabel('Datum des Ein- oder Auszugs').fill(moveIn);
    await page.getByLabel('Straße und Hausnummer der Wohnung').fill('Große Steinstraße 12');
    await page.getByLabel('Postleitzahl der Wohnung').fill('06108');
    await page.getByLabel('Ort der Wohnung').fill('Halle (Saale)');
    await page.getByLabel('Namen aller Personen, die ein- oder ausziehen').fill('Jonas Weber');
    // First without the declaration: the form comes back with the message at its field and everything typed kept.
    await page.getByLabel('Der Wohnungsgeber selbst').check();
    await page.locator('input[name="landlordIsOwner"][value="yes"]').check();
    assert.equal(await clickAndLoad(page, 'Verbindlich bestätigen'), 422, 'the declaration is required');
    await checkPage(page, 'melde-03-landlord-error');
    assert.equal(await page.getByLabel('Straße und Hausnummer der Wohnung').inputValue(), 'Große Steinstraße 12', 'typed values kept');
    await page.getByLabel('Ich versichere, dass diese Angaben richtig sind.').check();
    assert.equal(await clickAndLoad(page, 'Verbindlich bestätigen'), 200, 'confirmed');
    await checkPage(page, 'melde-04-landlord-code');
    code = (await page.getByTestId('landlord-code').innerText()).trim();
    assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/, 'a code to hand over');
    assert.ok(!page.url().includes(code.slice(0, 5)), 'the code is not in the URL');
    await context.close();
  });

  step('the citizen finds the service by "umziehen", proves the identity with the online ID card and registers with the code (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    submitted = await citizenServiceJourney(page, {
      service: 'wohnsitzanmeldung',
      search: 'umziehen',
      prefix: 'melde-1',
      person: /Jonas Weber/,
      answers: {
        email: 'jonas.weber@example.org',
        street: 'Große Steinstraße',
        houseNumber: '12',
        postcode: '06108',
        town: 'Halle (Saale)',
        moveInDate: moveIn,
        residenceType: 'main',
        keepsPrevious: 'no',
        companionCount: '0',
        landlordProof: 'code',
        landlordCode: code.toLowerCase(),
      },
      onPage: async (p, pageId) => {
        if (pageId === 'person') assert.match(await p.getByTestId('confirmed-data').innerText(), /Jonas[\s\S]*Weber[\s\S]*Leipzig/, 'identity data shown as confirmed');
      },
    });
    assert.match(await page.getByTestId('state-label').innerText(), /Eingegangen/, 'received');
    await context.close();
  });

  step("the clerk sees the landlord's confirmation in the case file and accepts (desktop)", async () => {
    await clerkAccepts(h, submitted.caseId, 'Anmeldung annehmen', 'melde-2', async (page) => {
      await reloadUntil(page, /Wohnungsgeberbestätigung \(online abgegeben\)/, "the landlord's confirmation in the case file");
    });
  });

  step('the citizen sees the registration accepted and the sealed Meldebestätigung (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto('/status');
    await page.getByLabel('Aktenzeichen').fill(submitted.reference);
    await page.getByLabel('Zugangscode').fill(submitted.accessCode);
    await Promise.all([page.waitForURL(/\/status\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Stand anzeigen' }).click()]);
    const text = await waitForStatusText(page, /Bescheid-[A-Z0-9-]+\.pdf/);
    assert.match(text, /Angemeldet/, 'registered');
    assert.match(await page.getByTestId('applicant-documents').innerText(), /Bescheid-[A-Z0-9-]+\.pdf/, 'the sealed Meldebestätigung is listed');
    await checkPage(page, 'melde-30-status-registered');
    await context.close();
  });
});
