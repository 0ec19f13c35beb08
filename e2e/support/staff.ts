import type { Page } from 'playwright-core';
import { totpFor } from '../../src/identity/staff-auth.ts';
import { demoStaff } from '../../src/test-support/runtime.ts';
import { assert } from './assert.ts';

/**
 * Signs a demo staff member in with password and TOTP, by filling the sign-in pages. A TOTP code
 * works once: when a journey signs the same person in twice within one 30-second step, the
 * second code is refused (the page stays on the code form), so it waits for the next step and
 * enters that step's code.
 */
export async function signInStaff(page: Page, username: string): Promise<void> {
  const s = demoStaff(username);
  await page.goto('/staff/sign-in');
  await page.getByLabel('Benutzername').fill(s.username);
  await page.getByLabel('Passwort').fill(s.password);
  await Promise.all([page.waitForURL('**/staff/sign-in/code'), page.getByRole('button', { name: 'Weiter' }).click()]);
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.getByLabel('Einmalcode').fill(totpFor(s.totpSecret).generate());
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Anmelden' }).click()]);
    if (new URL(page.url()).pathname !== '/staff/sign-in/code') return;
    await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
  }
  assert.fail(`${username} could not sign in: the one-time code was refused twice`);
}
