import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { createStaffUser } from '../src/identity/staff-admin.ts';
import { totpFor } from '../src/identity/staff-auth.ts';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, clickAndLoad, samplePdf, waitForStatusText, type ServiceJourneyResult } from './support/service-journey.ts';

/**
 * Wohngeld from application to Bescheid:
 *   citizen (desktop): search "Zuschuss Miete" → proves the identity (data from it) → household,
 *          flat, income, rental contract and income proof uploaded → check → send → status page
 *   Wohngeldstelle clerk (desktop): starts processing, grants 212,50 € a month for a year
 *   citizen: the status page shows "Bewilligt", the amount and period, and the sealed Bescheid.
 * The demo data has no Wohngeldstelle account, so the test creates one (Sozialamt, clerk).
 */
const CLERK = { username: 'wohngeld-e2e', displayName: 'Wiebke Graf (Wohngeldstelle)', password: 'e2e-wohngeld-2026!' };

async function signInClerk(page: Page, totpSecret: string): Promise<void> {
  await page.goto('/staff/sign-in');
  await page.getByLabel('Benutzername').fill(CLERK.username);
  await page.getByLabel('Passwort').fill(CLERK.password);
  await Promise.all([page.waitForURL('**/staff/sign-in/code'), page.getByRole('button', { name: 'Weiter' }).click()]);
  await page.getByLabel('Einmalcode').fill(totpFor(totpSecret).generate());
  await Promise.all([page.waitForURL((u) => u.pathname !== '/staff/sign-in/code'), page.getByRole('button', { name: 'Anmelden' }).click()]);
}

describe('Wohngeld: application with documents, granted with a sealed Bescheid', () => {
  let h: Harness;
  let citizen: Page;
  let filed: ServiceJourneyResult;
  const step = journey();

  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  step('the citizen finds Wohngeld by "Zuschuss Miete" and applies with a verified identity and the documents', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    citizen = await context.newPage();
    filed = await citizenServiceJourney(citizen, {
      service: 'wohngeld',
      search: 'Zuschuss Miete',
      prefix: 'wg',
      answers: {
        email: 'erika@example.org',
        iban: 'DE02 1203 0000 0000 2020 51',
        householdSize: '2',
        householdMembers: 'Max Mustermann, 02.03.2015, Sohn',
        rent: '520',
        livingSpace: '61',
        moveInDate: '2019-04-01',
        income: '1650',
        incomeKinds: ['employment', 'maintenance'],
        transferBenefits: 'no',
      },
      files: { rentalContract: samplePdf('mietvertrag.pdf'), incomeProofs: samplePdf('lohnabrechnungen.pdf') },
      onPage: async (p, pageId) => {
        if (pageId === 'person') assert.match(await p.locator('main').innerText(), /Mustermann/, 'the name comes from the verified identity');
      },
    });
    assert.equal(await citizen.getByTestId('state-label').innerText(), 'Eingegangen', 'received');
    assert.match(await citizen.locator('main').innerText(), /Wohngeldstelle/, 'the next step names the housing benefit office');
    const uploaded = await citizen.getByTestId('applicant-documents').innerText();
    assert.ok(uploaded.includes('mietvertrag.pdf') && uploaded.includes('lohnabrechnungen.pdf'), 'both uploads are in the case file');
  });

  step('the Wohngeldstelle starts processing and grants 212,50 € a month for a year', async () => {
    const { totpSecret } = await createStaffUser(h.runtime.db, { ...CLERK, grants: [{ departmentId: 'sozialamt', role: 'clerk' }] }, null);
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInClerk(page, totpSecret);
    await page.goto(`/staff/cases/${filed.caseId}`);
    await checkPage(page, 'wg-20-staff-case');
    await clickAndLoad(page, 'Bearbeitung beginnen');
    assert.equal(await page.getByTestId('staff-state').innerText(), 'In Bearbeitung', 'processing');
    const grant = page.locator('form[action$="/transitions/grant"]');
    await grant.getByLabel(/^Wohngeld pro Monat in Euro/).fill('212,50');
    await grant.getByLabel(/^Bewilligungszeitraum von/).fill('01.01.2027');
    await grant.getByLabel(/^Bewilligungszeitraum bis/).fill('31.12.2027');
    await Promise.all([page.waitForEvent('load'), grant.getByRole('button', { name: 'Bewilligen', exact: true }).click()]);
    await checkPage(page, 'wg-21-staff-granted');
    assert.equal(await page.getByTestId('staff-state').innerText(), 'Bewilligt', 'granted');
    await context.close();
  });

  step('the citizen sees the grant, its amount and period, and the sealed Bescheid', async () => {
    await citizen.reload();
    const text = await waitForStatusText(citizen, /vom Amt ausgestellt/);
    await checkPage(citizen, 'wg-30-status-granted');
    assert.equal(await citizen.getByTestId('state-label').innerText(), 'Bewilligt', 'the state');
    assert.ok(text.includes('212,50') && text.includes('31.12.2027'), 'the amount and the end of the period');
    await citizen.context().close();
  });
});
