import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';

/**
 * Proving who one is, in a real browser against the bundled development identity provider,
 * axe-core on every page (Amtsweg's and the provider's):
 *   citizen (phone, JavaScript off): account by e-mail link → "prove your identity" → the
 *            provider's person and method page (online ID card) → consent → back, level high,
 *            the verified identity on the account page;
 *   staff (desktop): sign-in page → "with the city's account" → the directory's page (account and
 *            one-time code) → the inbox, with the supervisor's figures from the directory group.
 */
describe('identity: citizen verification and staff single sign-on', () => {
  let h: Harness;
  const step = journey();

  before(async () => {
    h = await startHarness({ devIdp: true });
  });
  after(async () => h?.close());

  async function signInByLink(page: Page, email: string): Promise<void> {
    await page.goto('/account/sign-in');
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await Promise.all([page.waitForURL('**/account/sign-in/sent'), page.getByRole('button', { name: 'Link senden' }).click()]);
    const mail = await h.runtime.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const link = /(\/account\/link\/[A-Za-z0-9_-]{43})/.exec(mail.text_body)?.[1];
    assert.ok(link, 'the mail carries a sign-in link');
    await page.goto(link);
    await Promise.all([page.waitForURL('**/my-cases'), page.getByRole('button', { name: 'Jetzt anmelden' }).click()]);
  }

  step('a citizen proves their identity with the online ID card (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await signInByLink(page, 'erika@example.org');
    await page.goto('/account');
    await Promise.all([page.waitForURL('**/identity?**'), page.getByRole('link', { name: 'Identität jetzt nachweisen' }).click()]);
    await checkPage(page, 'id-01-prove');
    await Promise.all([page.waitForURL((u) => u.pathname.includes('/citizen/interaction/')), page.getByRole('button', { name: /^Weiter mit/ }).click()]);
    await checkPage(page, 'id-02-idp-choose');
    await page.getByLabel(/Erika Mustermann/).check();
    await page.getByLabel(/Online-Ausweis/).check();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /^Weiter/ }).click()]);
    await checkPage(page, 'id-03-idp-consent');
    assert.match(await page.locator('body').innerText(), /Geburtsdatum|birthdate/i);
    await Promise.all([page.waitForURL((u) => u.pathname === '/account'), page.getByRole('button', { name: /Erlauben/ }).click()]);
    await checkPage(page, 'id-04-account-verified');
    assert.match(await page.locator('main').innerText(), /Vertrauensniveau hoch/);
    const session = await h.runtime.db.selectFrom('sessions').select('level').where('level', '=', 'high').executeTakeFirst();
    assert.ok(session, 'a session at level high exists');
    await context.close();
  });

  step("a supervisor signs in with the city's account (desktop)", async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await page.goto('/staff/sign-in');
    await checkPage(page, 'id-05-staff-sign-in');
    await Promise.all([page.waitForURL((u) => u.pathname.includes('/staff/interaction/')), page.getByRole('button', { name: 'Mit dem Konto der Stadt anmelden' }).click()]);
    await checkPage(page, 'id-06-directory');
    await page.getByLabel(/Sabine Vogt/).check();
    await page.getByLabel(/Einmalcode/).fill('246810');
    await Promise.all([page.waitForURL((u) => u.pathname === '/staff'), page.getByRole('button', { name: /^Anmelden/ }).click()]);
    await checkPage(page, 'id-07-staff-inbox');
    await Promise.all([page.waitForURL('**/staff/figures'), page.getByRole('link', { name: 'Kennzahlen' }).click()]);
    await checkPage(page, 'id-08-staff-figures');
    await context.close();
  });
});
