import { after, before, describe } from 'node:test';
import { assert } from './support/assert.ts';
import { berlinDay, checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, waitForStatusText, type ServiceJourneyResult } from './support/service-journey.ts';
import { clerkAccepts } from './support/meldewesen.ts';

/**
 * The shorter Meldewesen journeys (split from meldewesen.test.ts so each file stays within the
 * browser tests' time limit): the Abmeldung, accepted by the Bürgerservice clerk with a sealed
 * Abmeldebestätigung, and the Meldebescheinigung, issued at once without any clerk. Citizens are
 * verified at level high through the bundled development identity provider; axe on every page.
 */
describe('Abmeldung and Meldebescheinigung', () => {
  let h: Harness;
  let abmeldung: ServiceJourneyResult;
  const step = journey();

  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  step('a citizen moving abroad de-registers (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    abmeldung = await citizenServiceJourney(page, {
      service: 'abmeldung',
      search: 'auswandern',
      prefix: 'abmelde',
      answers: { email: 'erika@example.org', country: 'Frankreich', foreignAddress: '12 rue de la Paix\n75002 Paris', moveOutDate: berlinDay(3), companionCount: '0' },
    });
    await context.close();
  });

  step('the clerk accepts and the citizen gets the Abmeldebestätigung', async () => {
    await clerkAccepts(h, abmeldung.caseId, 'Abmeldung annehmen', 'abmelde-2');
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto('/status');
    await page.getByLabel('Aktenzeichen').fill(abmeldung.reference);
    await page.getByLabel('Zugangscode').fill(abmeldung.accessCode);
    await Promise.all([page.waitForURL(/\/status\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Stand anzeigen' }).click()]);
    assert.match(await waitForStatusText(page, /Bescheid-[A-Z0-9-]+\.pdf/), /Abgemeldet/, 'de-registered, the sealed Abmeldebestätigung listed');
    await checkPage(page, 'abmelde-30-status');
    await context.close();
  });

  step('a Meldebescheinigung is issued at once, without any clerk (desktop, JavaScript on)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await citizenServiceJourney(page, {
      service: 'meldebescheinigung',
      search: 'Meldebescheinigung',
      prefix: 'meldeb',
      answers: { email: 'erika@example.org', kind: 'simple', purpose: 'zur Vorlage beim Arbeitgeber' },
    });
    const text = await waitForStatusText(page, /Bescheid-[A-Z0-9-]+\.pdf/);
    assert.match(text, /Ausgestellt/, 'issued by the system');
    await checkPage(page, 'meldeb-30-status-issued');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('applicant-documents').getByRole('link', { name: /\.pdf$/ }).first().click()]);
    assert.match(download.suggestedFilename(), /\.pdf$/, 'a PDF');
    await context.close();
  });
});
