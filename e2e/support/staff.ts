import type { Page } from 'playwright-core';
import { totpFor } from '../../src/identity/staff-auth.ts';
import { demoStaff } from '../../src/test-support/runtime.ts';

/** Signs a demo staff member in with password and TOTP, by filling the sign-in pages. */
export async function signInStaff(page: Page, username: string): Promise<void> {
  const s = demoStaff(username);
  await page.goto('/staff/sign-in');
  await page.getByLabel('Benutzername').fill(s.username);
  await page.getByLabel('Passwort').fill(s.password);
  await Promise.all([page.waitForURL('**/staff/sign-in/code'), page.getByRole('button', { name: 'Weiter' }).click()]);
  await page.getByLabel('Einmalcode').fill(totpFor(s.totpSecret).generate());
  await Promise.all([page.waitForURL((u) => u.pathname !== '/staff/sign-in/code'), page.getByRole('button', { name: 'Anmelden' }).click()]);
}
