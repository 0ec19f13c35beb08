import { after, before, describe, test } from 'node:test';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, PHONE, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, clickAndLoad, type ServiceJourneyResult } from './support/service-journey.ts';
import { signInStaff } from './support/staff.ts';

/**
 * Two more of "most matters", each as a newcomer finds and files it: the service list searched
 * with everyday words → the form → check your answers → send → the status page.
 *   Führungszeugnis (eID, data from the identity; a clerk forwards it to the Bundesamt für Justiz)
 *   Fundsache ("Ausweis verloren", no account, phone with JavaScript off)
 * Wohngeld is in services-b-wohngeld.test.ts, Beglaubigung and Kinderreisepass (with an appointment)
 * in services-b-appointments.test.ts: each file stays well inside the 10-minute file timeout.
 */
describe('More services: Führungszeugnis, Fundsache', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  const statusText = async (page: import('playwright-core').Page) => page.locator('main').innerText();

  test('Führungszeugnis: found by "polizeiliches Führungszeugnis", filed with the eID, forwarded to the Bundesamt für Justiz', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const filed: ServiceJourneyResult = await citizenServiceJourney(page, {
      service: 'fuehrungszeugnis',
      search: 'polizeiliches Führungszeugnis',
      prefix: 'fz',
      answers: { email: 'erika@example.org', kind: 'private', purpose: 'Bewerbung als Erzieherin', feeExemption: 'no' },
      onPage: async (p, pageId) => {
        if (pageId === 'person') assert.match(await p.locator('main').innerText(), /Mustermann/, 'the name comes from the verified identity');
      },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Eingegangen', 'received');
    assert.match(await page.getByTestId('payment-panel').innerText(), /13,00\s€/, 'the fee of 13 EUR');

    const staff = await h.newContext({ viewport: DESKTOP });
    const clerk = await staff.newPage();
    await signInStaff(clerk, 'buergerservice');
    await clerk.goto(`/staff/cases/${filed.caseId}`);
    await checkPage(clerk, 'fz-20-staff-case');
    await clickAndLoad(clerk, 'An das Bundesamt für Justiz weiterleiten');
    assert.equal(await clerk.getByTestId('staff-state').innerText(), 'An das Bundesamt für Justiz weitergeleitet', 'forwarded');
    await staff.close();

    await page.reload();
    await checkPage(page, 'fz-21-status-forwarded');
    assert.equal(await page.getByTestId('state-label').innerText(), 'An das Bundesamt für Justiz weitergeleitet', 'the citizen sees it forwarded');
    assert.match(await statusText(page), /bis zu zwei Wochen/, 'and what happens next');
    await context.close();
  });

  test('Fundsache: "Ausweis verloren" finds the lost property office; a loss report without an account (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await citizenServiceJourney(page, {
      service: 'fundsache',
      search: 'Ausweis verloren',
      prefix: 'fund',
      answers: {
        reportKind: 'lost',
        category: 'idcard',
        description: 'Personalausweis in einer blauen Hülle, dazu eine Bibliothekskarte',
        lostDate: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date()),
        place: 'Straßenbahnlinie 2, zwischen Markt und Rannischer Platz',
        name: 'Erika Mustermann',
        email: 'erika@example.org',
      },
      onPage: async (p, pageId) => {
        if (pageId === 'wann-wo') assert.match(await p.locator('main').innerText(), /116 116/, 'a lost ID card: the notice about blocking it');
      },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Eingegangen', 'received');
    assert.match(await statusText(page), /Fundbüro/, 'the next step names the lost property office');
    await context.close();
  });
});
