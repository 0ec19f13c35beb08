import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { validTradeChange, validTradeEnd } from '../src/trade/trade-fixtures.ts';
import { assert } from './support/assert.ts';
import { berlinDay, checkPage, DESKTOP, PHONE, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, waitForStatusText } from './support/service-journey.ts';

/**
 * The shorter trade notices in a real browser with the bundled identity provider (the
 * registration with its deliveries: e2e/gewerbe.test.ts): a Gewerbeummeldung (a move within the
 * city) and a Gewerbeabmeldung (phone size, JavaScript off), each accepted at once by the system
 * with its sealed receipt on the status page.
 */
const answersOf = (data: Record<string, string | string[]>) => data as Readonly<Record<string, string | readonly string[]>>;

describe('Gewerbe: Ummeldung and Abmeldung', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  async function shortJourney(page: Page, service: string, search: string, prefix: string, answers: Record<string, string | string[]>) {
    await citizenServiceJourney(page, { service, search, prefix, answers: answersOf(answers) });
    await waitForStatusText(page, /Eingang bestätigt/);
    await checkPage(page, `${prefix}-20-status-accepted`);
    assert.equal(await page.getByTestId('applicant-documents').getByRole('link').count(), 1, 'the receipt is listed');
  }

  test('a Gewerbeummeldung (move within the city) is accepted at once', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    await shortJourney(await context.newPage(), 'gewerbeummeldung', 'Gewerbe ummelden', 'gewerbe-um', validTradeChange(new Date(), { changeDate: berlinDay(5) }));
    await context.close();
  });

  test('a Gewerbeabmeldung is accepted at once (phone, JavaScript off)', async () => {
    const context = await h.newContext({ viewport: PHONE, javaScriptEnabled: false });
    await shortJourney(await context.newPage(), 'gewerbeabmeldung', 'Gewerbe abmelden', 'gewerbe-ab', validTradeEnd(new Date(), { endDate: berlinDay(3) }));
    await context.close();
  });
});
