import { after, before, describe, test } from 'node:test';
import { validTradeRegistration } from '../src/trade/trade-fixtures.ts';
import { assert } from './support/assert.ts';
import { berlinDay, checkPage, DESKTOP, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, waitForStatusText } from './support/service-journey.ts';
import { signInStaff } from './support/staff.ts';

/**
 * Trade notices as a founder files them, in a real browser with the bundled identity provider:
 *   Gewerbeanmeldung (permit-free IT services): service list → proof of identity → four pages →
 *   send → the status page turns to "Eingang bestätigt" with the sealed receipt, without any
 *   clerk; the Gewerbeamt's clerk sees in the case file that the XGewerbeanzeige messages went to
 *   the statistics office, the tax office, the IHK and the accident insurance (the harness's
 *   PUBLIC_URL is the app itself, so Halle's recipients are the bundled development receiver).
 * Gewerbeummeldung and Gewerbeabmeldung: e2e/gewerbe-um-abmeldung.test.ts (a file of their own, so
 * each file stays within the per-file time limit on a busy machine).
 */
const answersOf = (data: Record<string, string | string[]>) => data as Readonly<Record<string, string | readonly string[]>>;

describe('Gewerbe: Anmeldung with its deliveries', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  test('a permit-free Gewerbeanmeldung is accepted at once with its receipt; the clerk sees the deliveries', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const filed = await citizenServiceJourney(page, {
      service: 'gewerbeanmeldung',
      search: 'Gewerbe anmelden',
      prefix: 'gewerbe-an',
      answers: answersOf(validTradeRegistration(new Date(), { startDate: berlinDay(10), activityDescription: 'Entwicklung von Software und Webseiten für kleine Unternehmen' })),
      onPage: async (p, pageId) => {
        if (pageId === 'person') assert.match(await p.locator('main').innerText(), /Mustermann/, 'the name comes from the verified identity');
      },
    });
    const text = await waitForStatusText(page, /Eingang bestätigt/);
    assert.match(text, /Empfangsbestätigung nach § 15 Abs\. 1 GewO liegt unten/, 'what happens next names the receipt');
    assert.equal(await page.getByTestId('state-label').innerText(), 'Eingang bestätigt', 'accepted');
    const documents = page.getByTestId('applicant-documents').getByRole('link');
    assert.equal(await documents.count(), 1, 'the receipt is listed');
    assert.match(await page.getByTestId('applicant-documents').innerText(), /vom Amt ausgestellt/, 'issued by the office');
    await checkPage(page, 'gewerbe-an-20-status-accepted');
    const download = await Promise.all([page.waitForEvent('download'), documents.first().click()]);
    assert.match(download[0].suggestedFilename(), /\.pdf$/, 'the receipt downloads as a PDF');
    await context.close();

    const staff = await h.newContext({ viewport: DESKTOP });
    const clerk = await staff.newPage();
    await signInStaff(clerk, 'gewerbe');
    await clerk.goto(`/staff/cases/${filed.caseId}`);
    const deadline = Date.now() + 60_000;
    while (!/zugestellt[\s\S]*zugestellt[\s\S]*zugestellt[\s\S]*zugestellt/.test((await clerk.getByTestId('trade-deliveries').innerText().catch(() => '')).replace(/wird zugestellt/g, ''))) {
      assert.ok(Date.now() < deadline, 'all four messages are delivered within a minute');
      await new Promise((r) => setTimeout(r, 1000));
      await clerk.reload();
    }
    const table = await clerk.getByTestId('trade-deliveries').innerText();
    for (const type of ['sta.gewerbemeldung.0100', 'fa.gewerbemeldung.0200', 'ihk.gewerbemeldung.0300', 'bg.gewerbemeldung.0600']) assert.match(table, new RegExp(type.replace(/\./g, '\\.')), `a message ${type}`);
    assert.doesNotMatch(table, /hwk|abh/, 'no message to the chamber of crafts or the foreigners authority for this trade');
    await checkPage(clerk, 'gewerbe-an-21-staff-deliveries');
    await clerk.goto('/dev/xgewerbeanzeige');
    assert.equal(await clerk.getByTestId('dev-received').locator('tbody tr').count(), 4, 'the development receiver got the four messages');
    await staff.close();
  });
});
