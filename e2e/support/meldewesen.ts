import type { Page } from 'playwright-core';
import { assert } from './assert.ts';
import { checkPage, DESKTOP, type Harness } from './harness.ts';
import { clickAndLoad } from './service-journey.ts';
import { signInStaff } from './staff.ts';

/** Steps shared by the Meldewesen journeys (meldewesen*.test.ts). */
/** Reloads until the page's main text matches (background jobs file documents). */
export async function reloadUntil(page: Page, pattern: RegExp, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(await page.locator('main').innerText())) {
    if (Date.now() > deadline) assert.fail(`never showed ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
    await page.reload();
  }
}

/** The Bürgerservice clerk opens the case (optionally checks it) and takes the decision button. */
export async function clerkAccepts(h: Harness, caseId: string, button: string, prefix: string, extra?: (page: Page) => Promise<void>): Promise<void> {
  const context = await h.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await signInStaff(page, 'buergerservice');
  await page.goto(`/staff/cases/${caseId}`);
  await extra?.(page);
  await checkPage(page, `${prefix}-staff-case`);
  assert.equal(await clickAndLoad(page, button), 200, 'the decision is taken');
  await checkPage(page, `${prefix}-staff-decided`);
  await context.close();
}

