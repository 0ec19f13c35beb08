import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';

/**
 * Notification settings in Chromium: from the account page to the settings, e-mail switched off
 * with a plain form, the push button shown by /assets/push.js only where the browser can push,
 * and /sw.js accepted by the browser as a service worker for the whole site (type, scope, CSP).
 * Then with JavaScript off: the page says push needs JavaScript and the form still works. axe-core
 * (WCAG 2.1 A/AA) runs on every page visited. Subscribing itself needs the browser vendor's push
 * service, which a test machine does not reach; the server side of it is tested in
 * src/notifications/notify-applicant.test.ts against a local push service.
 */
describe('notification settings', () => {
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  const step = journey();
  const EMAIL = 'benachrichtigung.e2e@example.org';

  async function signIn(p: Page): Promise<void> {
    await p.goto('/account/sign-in');
    await p.getByLabel('E-Mail-Adresse').fill(EMAIL);
    await Promise.all([p.waitForURL('**/account/sign-in/sent'), p.getByRole('button', { name: 'Link senden' }).click()]);
    const mail = await h.runtime.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', EMAIL).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const link = /http:\/\/localhost:\d+\/account\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text_body)?.[0];
    assert.ok(link, 'the mail carries the sign-in link');
    await p.goto(link);
    await Promise.all([p.waitForURL('**/my-cases'), p.getByRole('button', { name: 'Jetzt anmelden' }).click()]);
  }

  before(async () => {
    // localhost: a secure context, where browsers offer service workers and push over http.
    h = await startHarness({ publicHost: 'localhost' });
    context = await h.newContext({ viewport: DESKTOP, locale: 'de-DE' });
    page = await context.newPage();
  });
  after(async () => {
    await h?.close();
  });

  step('from the account page to the settings; the push button is offered where the browser can push', async () => {
    await signIn(page);
    await page.goto('/account');
    await Promise.all([page.waitForURL('**/account/notifications'), page.getByRole('link', { name: 'E-Mail und Push-Benachrichtigungen einstellen' }).click()]);
    const button = page.getByRole('button', { name: 'Push-Benachrichtigungen auf diesem Gerät aktivieren' });
    await button.waitFor({ state: 'visible' });
    assert.equal(await page.getByText('braucht Ihr Browser JavaScript').isVisible(), false, 'the no-JavaScript note is hidden where push works');
    await checkPage(page, 'n-01-settings');
    assert.ok(await page.getByLabel('Per E-Mail').isChecked(), 'e-mail is on by default');
    assert.ok(await page.getByLabel('Als Push-Benachrichtigung').isChecked(), 'push is on by default');

    const scope = await page.evaluate(async () => (await navigator.serviceWorker.register('/sw.js', { scope: '/' })).scope);
    assert.equal(scope, `${h.baseUrl}/`, 'the browser accepts /sw.js as the worker for the whole site');
  });

  step('switching e-mail off with the form', async () => {
    await page.getByLabel('Per E-Mail').uncheck();
    await Promise.all([page.waitForURL('**/account/notifications'), page.getByRole('button', { name: 'Einstellungen speichern' }).click()]);
    await page.waitForLoadState('load');
    await checkPage(page, 'n-02-saved');
    assert.ok((await page.getByRole('status').first().innerText()).includes('Ihre Einstellungen sind gespeichert'), 'the page confirms');
    assert.equal(await page.getByLabel('Per E-Mail').isChecked(), false);
    const prefs = await h.runtime.db.selectFrom('notification_preferences').innerJoin('citizens', 'citizens.id', 'notification_preferences.citizen_id').select(['notification_preferences.email', 'notification_preferences.push']).where('citizens.email', '=', EMAIL).executeTakeFirstOrThrow();
    assert.deepEqual(prefs, { email: false, push: true });
  });

  step('without JavaScript the page says push needs it, and the form still works', async () => {
    const noScript = await h.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'de-DE' });
    const p = await noScript.newPage();
    await p.context().addCookies(await context.cookies());
    await p.goto('/account/notifications');
    await checkPage(p, 'n-03-settings-no-js');
    assert.equal(await p.getByRole('button', { name: 'Push-Benachrichtigungen auf diesem Gerät aktivieren' }).isVisible(), false);
    assert.ok(await p.getByText('braucht Ihr Browser JavaScript').isVisible(), 'the page says what push needs');
    await p.getByLabel('Per E-Mail').check();
    await Promise.all([p.waitForURL('**/account/notifications'), p.getByRole('button', { name: 'Einstellungen speichern' }).click()]);
    assert.ok(await p.getByLabel('Per E-Mail').isChecked(), 'e-mail is on again');
    await noScript.close();
  });
});
