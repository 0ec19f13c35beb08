import { after, before, describe } from 'node:test';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { submitCase } from '../src/cases/submit-case.ts';
import { validAssembly } from '../src/test-support/runtime.ts';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';

/**
 * A citizen's account with a passkey, in Chromium with its virtual authenticator (CTAP2, built
 * in, resident keys, user verification that always succeeds), driven over the DevTools protocol:
 *   sign up with a passkey → account page → sign out → sign in again with the passkey →
 *   "Meine Anliegen" → a passkey on a second device, the first removed. Then (phone size) the e-mail link: a bad address, the link from the outbox,
 *   its confirmation page, claiming an anonymous case (a wrong code first), its status page
 *   without the code, deleting the account. Last, with JavaScript off, the sign-in page says that
 *   passkeys need JavaScript and offers the e-mail link. axe-core (WCAG 2.1 A/AA) runs on every
 *   page visited.
 *
 * The app is served as http://localhost:<port>: a WebAuthn relying party ID must be a domain
 * name, so 127.0.0.1 would not do (harness option `publicHost`).
 */
describe('citizen account with a passkey', () => {
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let firstAuthenticator = '';
  const shot = (name: string) => checkPage(page, `c-${name}`);
  const step = journey();

  before(async () => {
    h = await startHarness({ publicHost: 'localhost' });
    context = await h.newContext({ viewport: DESKTOP, locale: 'de-DE' });
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    ({ authenticatorId: firstAuthenticator } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    }));
  });
  after(async () => {
    await h?.close();
  });

  const nav = () => page.getByRole('navigation', { name: 'Hauptnavigation' });

  step('sign up with a passkey', async () => {
    await page.goto('/');
    await nav().getByRole('link', { name: 'Anmelden' }).click();
    await page.waitForURL('**/account/sign-in');
    const signUp = page.getByRole('button', { name: 'Konto mit Passkey anlegen' });
    await signUp.waitFor({ state: 'visible' });
    assert.equal(await page.getByText('Passkeys funktionieren hier gerade nicht').first().isVisible(), false, 'the no-JavaScript note is hidden when passkeys work');
    await shot('01-sign-in');
    await Promise.all([page.waitForURL((u) => u.pathname === '/account'), signUp.click()]);
    await page.waitForLoadState('load');
    await shot('02-account-created');
    const main = await page.locator('main').innerText();
    assert.ok(main.includes('Ihr Konto ist angelegt'), 'the account page confirms the new account');
    assert.ok(main.includes('Passkey 1'), 'the new passkey is listed');
    const citizens = await h.runtime.db.selectFrom('citizens').select(['id', 'email', 'last_sign_in_at']).execute();
    assert.equal(citizens.length, 1);
    assert.equal(citizens[0]!.email, null, 'a passkey account needs no e-mail address');
    const keys = await h.runtime.db.selectFrom('citizen_passkeys').select(['citizen_id']).execute();
    assert.deepEqual(
      keys.map((k) => k.citizen_id),
      [citizens[0]!.id],
    );
    const sessions = await h.runtime.db.selectFrom('sessions').select(['kind', 'level', 'citizen_id']).where('citizen_id', '=', citizens[0]!.id).execute();
    assert.deepEqual(sessions, [{ kind: 'citizen', level: 'basic', citizen_id: citizens[0]!.id }]);
    // Its only passkey is its only way in: no "remove" button.
    assert.equal(await page.getByRole('button', { name: /^Entfernen/ }).count(), 0);
    assert.ok(await nav().getByRole('link', { name: 'Meine Anliegen' }).isVisible(), 'the header offers "Meine Anliegen"');
  });

  step('sign out', async () => {
    await Promise.all([page.waitForURL('**/account/signed-out'), page.getByRole('button', { name: 'Abmelden', exact: true }).click()]);
    await page.waitForLoadState('load');
    await shot('03-signed-out');
    assert.ok((await page.locator('main').innerText()).includes('Sie sind abgemeldet'), 'the page confirms the sign-out');
    assert.ok(await nav().getByRole('link', { name: 'Anmelden' }).isVisible(), 'the header offers "Anmelden" again');
    await page.goto('/my-cases');
    assert.equal(new URL(page.url()).pathname, '/account/sign-in', '"Meine Anliegen" needs a sign-in');
  });

  step('sign in again with the passkey and see "Meine Anliegen"', async () => {
    const signIn = page.getByRole('button', { name: 'Mit Passkey anmelden' });
    await signIn.waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL('**/my-cases'), signIn.click()]);
    await page.waitForLoadState('load');
    await shot('04-my-cases');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Meine Anliegen');
    assert.ok((await page.locator('main').innerText()).includes('noch nichts gesendet'), 'the empty state speaks to the citizen');
    const key = await h.runtime.db.selectFrom('citizen_passkeys').select(['last_used_at']).executeTakeFirstOrThrow();
    assert.ok(key.last_used_at, 'the passkey records its use');
    await nav().getByRole('link', { name: 'Mein Konto' }).click();
    await page.waitForURL((u) => u.pathname === '/account');
    await shot('05-account');
  });

  step('add a passkey on a second device, then remove the first one', async () => {
    // "Another device": the first virtual authenticator goes away, a fresh one takes its place.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: firstAuthenticator });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    const add = page.getByRole('button', { name: 'Weiteren Passkey anlegen' });
    await add.waitFor({ state: 'visible' });
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/account/passkeys/add') && r.status() === 200), add.click()]);
    await page.waitForURL((u) => u.pathname === '/account');
    await page.waitForLoadState('load');
    await page.getByText('Der Passkey ist gespeichert.').waitFor();
    await shot('06-account-two-passkeys');
    assert.equal(await h.runtime.db.selectFrom('citizen_passkeys').select('credential_id').execute().then((r) => r.length), 2);
    await Promise.all([page.waitForURL((u) => u.pathname === '/account'), page.getByRole('button', { name: 'Entfernen Passkey 1' }).click()]);
    await page.getByText('Der Passkey ist entfernt.').waitFor();
    await shot('07-account-passkey-removed');
    assert.equal(await h.runtime.db.selectFrom('citizen_passkeys').select('credential_id').execute().then((r) => r.length), 1);
    assert.equal(await page.getByRole('button', { name: /^Entfernen/ }).count(), 0, 'the last passkey cannot be removed');
  });

  step('with an e-mail link: sign in, claim an anonymous case, open it, delete the account', async () => {
    const anonymous = await submitCase(h.runtime, { serviceId: 'versammlungsanzeige', data: validAssembly(), idempotencyScope: 'api', idempotencyKey: 'e2e-claim-0001' });
    const other = await h.newContext({ viewport: PHONE, locale: 'de-DE' });
    const p = await other.newPage();
    await p.goto('/account/sign-in');
    await p.getByLabel('E-Mail-Adresse').fill('erika');
    await p.getByRole('button', { name: 'Link senden' }).click();
    await p.waitForLoadState('load');
    await checkPage(p, 'c-07-email-error');
    assert.match(await p.title(), /^Fehler: /);
    assert.equal(await p.inputValue('#email'), 'erika');
    await p.getByLabel('E-Mail-Adresse').fill('konto.e2e@example.org');
    await Promise.all([p.waitForURL('**/account/sign-in/sent'), p.getByRole('button', { name: 'Link senden' }).click()]);
    await checkPage(p, 'c-08-link-sent');
    const mail = await h.runtime.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'konto.e2e@example.org').where('subject', '=', 'Ihr Anmeldelink / Your sign-in link').executeTakeFirstOrThrow();
    const link = /http:\/\/localhost:\d+\/account\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text_body)?.[0];
    assert.ok(link, 'the mail carries the link');
    await p.goto(link);
    await checkPage(p, 'c-09-link-confirm');
    await Promise.all([p.waitForURL('**/my-cases'), p.getByRole('button', { name: 'Jetzt anmelden' }).click()]);

    await p.getByLabel('Aktenzeichen').fill(anonymous.reference);
    await p.getByLabel('Zugangscode').fill('AAAAA-AAAAA');
    await p.getByRole('button', { name: 'Hinzufügen' }).click();
    await p.waitForLoadState('load');
    await checkPage(p, 'c-10-claim-error');
    assert.ok((await p.locator('#reference-error').innerText()).includes('Wir finden keinen Vorgang'), 'a wrong code is refused at the field');
    await p.getByLabel('Zugangscode').fill(anonymous.accessCode);
    await p.getByRole('button', { name: 'Hinzufügen' }).click();
    await p.waitForLoadState('load');
    await checkPage(p, 'c-11-my-cases-claimed');
    assert.ok((await p.getByTestId('my-cases').innerText()).includes(anonymous.reference), 'the claimed case is listed');
    await Promise.all([p.waitForURL(/\/status\/[0-9a-f-]{36}$/), p.getByRole('link', { name: new RegExp(anonymous.reference) }).click()]);
    await checkPage(p, 'c-12-status-own-case');
    assert.equal(await p.getByTestId('state-label').innerText(), 'Eingegangen');

    await p.goto('/account');
    await p.getByRole('link', { name: 'Mein Konto löschen' }).click();
    await p.waitForURL('**/account/delete');
    await checkPage(p, 'c-13-delete-confirm');
    await Promise.all([p.waitForURL('**/account/deleted'), p.getByRole('button', { name: 'Ja, Konto löschen' }).click()]);
    await checkPage(p, 'c-14-deleted');
    const kept = await h.runtime.db.selectFrom('cases').select('citizen_id').where('id', '=', anonymous.caseId).executeTakeFirstOrThrow();
    assert.equal(kept.citizen_id, null, 'the case stays with the office');
    assert.equal(await h.runtime.db.selectFrom('citizens').select('id').where('email', '=', 'konto.e2e@example.org').executeTakeFirst(), undefined);
    await other.close();
  });

  step('without JavaScript the sign-in page explains passkeys and offers the e-mail link', async () => {
    const noScript = await h.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'de-DE' });
    const p = await noScript.newPage();
    await p.goto('/account/sign-in');
    await checkPage(p, 'c-15-sign-in-no-js');
    assert.equal(await p.getByRole('button', { name: 'Mit Passkey anmelden' }).isVisible(), false);
    assert.ok(await p.getByText('Passkeys funktionieren hier gerade nicht').first().isVisible(), 'the page says passkeys need JavaScript');
    assert.ok(await p.getByRole('button', { name: 'Link senden' }).isVisible(), 'the e-mail link is offered');
    await noScript.close();
  });
});
