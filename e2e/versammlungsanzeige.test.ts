import { after, before, describe } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { totpFor } from '../src/identity/staff-auth.ts';
import { demoStaff } from '../src/test-support/runtime.ts';
import { assert } from './support/assert.ts';
import { berlinDay, checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import {
  buttonText,
  byId,
  detectInputFormats,
  focused,
  linkText,
  pressAndLoad,
  radio,
  tabTo,
  typeDate,
  typeInto,
  typeTime,
  timeKeys,
  type InputFormats,
} from './support/keyboard.ts';

/**
 * The Versammlungsanzeige from end to end in a real browser:
 *   citizen: home → service → six form pages (one deliberate validation error) → check your
 *            answers → send → confirmation (reference + access code)
 *   clerk:   sign-in (password, TOTP) → inbox → case → "Prüfung beginnen" → "Bestätigen" with a remark
 *   citizen: status lookup with reference + access code → "Bestätigt" and the remark.
 * Journey a) uses only the keyboard with JavaScript on (desktop size); journey b) runs with
 * JavaScript off (phone size, 390×844) using ordinary clicks and fills. axe-core (WCAG 2.1 A/AA)
 * runs on every page either journey visits, and each page is screenshotted to e2e/screenshots/.
 *
 * Dates are relative to today: the assembly three weeks ahead, the announcement one week ahead
 * (so it is no late notice and no Eilversammlung question comes up).
 *
 * How journey a) stays keyboard-only (citizen part): no mouse click, no `fill`/`check`/`focus`
 * on the app's pages. It presses Tab / Shift+Tab and reads `document.activeElement` after each
 * press until the wanted control has the focus (`tabTo`), as a sighted keyboard user watches the
 * focus ring; then it types with `page.keyboard.type`, presses Space on radios and checkboxes,
 * ArrowDown to move within a radio group, Enter on links and buttons. The skip link is used
 * (Tab, Enter, focus lands on <main>) and the error summary's link is followed with Enter.
 * Chromium's date and time inputs take digits in the browser UI's order (here en-US: MM DD YYYY,
 * 12-hour clock with AM/PM) whatever the context's `locale`; `detectInputFormats` works that
 * out on a scratch page (the only place `page.focus` is used) and the values are checked after
 * typing. Reading state (inputValue, isChecked, innerText) is used for assertions only. The clerk
 * part uses ordinary clicks and fills in both journeys.
 */

const ASSEMBLY_DATE = berlinDay(21);
const ANNOUNCEMENT_DATE = berlinDay(7);
const CITIZEN = {
  organiserName: 'Erika Mustermann',
  street: 'Marktplatz 1',
  postcode: '06108',
  town: 'Halle (Saale)',
  email: 'erika@example.org',
  leaderName: 'Max Muster',
  leaderPhone: '0345 123456',
  subject: 'Für mehr Grün in der Stadt',
  place: 'Marktplatz, vor dem Roten Turm',
  participants: '120',
  stewards: '6',
};
const REMARK = 'Bitte halten Sie die Feuerwehrzufahrt am Marktplatz frei.';

/** Waits for the background mail job to put a mail with this subject into the outbox (sent), and returns it. */
async function waitForMail(h: Harness, subject: string): Promise<{ to_address: string; text_body: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const mail = await h.runtime.db.selectFrom('mail_outbox').select(['to_address', 'text_body', 'sent_at']).where('subject', '=', subject).executeTakeFirst();
    if (mail?.sent_at) return mail;
    if (Date.now() > deadline) {
      const subjects = (await h.runtime.db.selectFrom('mail_outbox').select('subject').execute()).map((r) => r.subject);
      assert.fail(`no sent mail "${subject}" in the outbox; there are: ${JSON.stringify(subjects)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/* ---------- the clerk (shared by both journeys) ---------- */

async function clerkConfirms(h: Harness, reference: string, options: { javaScriptEnabled: boolean; viewport: { width: number; height: number }; prefix: string }): Promise<void> {
  const context = await h.newContext({ javaScriptEnabled: options.javaScriptEnabled, viewport: options.viewport });
  const page = await context.newPage();
  const clerk = demoStaff('clerk');
  const shot = (name: string) => checkPage(page, `${options.prefix}-staff-${name}`);

  // Deny by default: the inbox sends an anonymous visitor to the sign-in page.
  await page.goto('/staff');
  assert.match(new URL(page.url()).pathname, /^\/staff\/sign-in$/);
  await shot('01-sign-in');
  await page.getByLabel('Benutzername').fill(clerk.username);
  await page.getByLabel('Passwort').fill(clerk.password);
  await Promise.all([page.waitForURL('**/staff/sign-in/code'), page.getByRole('button', { name: 'Weiter' }).click()]);
  await shot('02-totp');
  await page.getByLabel('Einmalcode').fill(totpFor(clerk.totpSecret).generate());
  await Promise.all([page.waitForURL((u) => u.pathname === '/staff'), page.getByRole('button', { name: 'Anmelden' }).click()]);
  await shot('03-inbox');

  const row = page.locator('tr', { has: page.getByRole('link', { name: reference }) });
  await assert.doesNotReject(row.waitFor(), `the new case ${reference} is in the clerk's inbox`);
  assert.match(await row.innerText(), /Eingegangen/);
  assert.match(await row.innerText(), new RegExp(CITIZEN.organiserName));
  await Promise.all([page.waitForURL('**/staff/cases/*'), page.getByRole('link', { name: reference }).click()]);
  await shot('04-case');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), reference);
  assert.equal(await page.getByTestId('staff-state').innerText(), 'Eingegangen');
  assert.match(await page.locator('main').innerText(), new RegExp(CITIZEN.subject));

  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Prüfung beginnen' }).click()]);
  await shot('05-in-review');
  assert.equal(await page.getByTestId('staff-state').innerText(), 'In Prüfung');
  assert.match(await page.getByRole('status').first().innerText(), /Neuer Stand: In Prüfung/);

  const confirmForm = page.locator('form[action$="/transitions/confirm"]');
  await confirmForm.getByLabel(/^Hinweise \(freiwillig\)/).fill(REMARK);
  await Promise.all([page.waitForEvent('load'), confirmForm.getByRole('button', { name: 'Bestätigen', exact: true }).click()]);
  await shot('06-confirmed');
  assert.equal(await page.getByTestId('staff-state').innerText(), 'Bestätigt');
  assert.match(await page.locator('.aw-timeline').innerText(), new RegExp(REMARK));
  await context.close();
}

/* ---------- a) keyboard only, JavaScript on ---------- */

describe('Versammlungsanzeige, keyboard only, JavaScript on (desktop)', () => {
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  let formats: InputFormats;
  let reference = '';
  let accessCode = '';
  const shot = (name: string) => checkPage(page, `a-${name}`);
  const step = journey();

  before(async () => {
    h = await startHarness();
    context = await h.newContext({ viewport: DESKTOP, locale: 'de-DE' });
    formats = await detectInputFormats(context);
    page = await context.newPage();
  });
  after(async () => {
    await h?.close();
  });

  /** Tabs to the form's primary button and presses Enter; returns the HTTP status of the page that loads. */
  async function continueWith(label: string | RegExp = 'Weiter'): Promise<number> {
    await tabTo(page, buttonText(label), `button ${label}`);
    const response = page.waitForResponse((r) => r.request().isNavigationRequest() && (r.status() < 300 || r.status() >= 400));
    await pressAndLoad(page);
    return (await response).status();
  }

  /** Every page starts with the skip link: Tab, Enter, and the focus is on <main>. */
  async function skipToMain(): Promise<void> {
    await tabTo(page, linkText('Zum Inhalt springen'), 'skip link', { max: 1 });
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).id, 'main', 'the skip link moves the focus to <main>');
  }

  step('citizen sends a notice with the keyboard alone', async () => {
    await page.goto('/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    await shot('01-home-de');

    // Language switch to English and back, by keyboard.
    await tabTo(page, linkText('English'), 'language switch');
    await pressAndLoad(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await page.locator('h1').innerText(), /Your digital citizen office/);
    await shot('02-home-en');
    await tabTo(page, linkText('Deutsch'), 'language switch back');
    await pressAndLoad(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');

    // Home → the service's start page → the first form page.
    await tabTo(page, linkText('Versammlung anzeigen'), 'service link in the list');
    await pressAndLoad(page);
    assert.equal(new URL(page.url()).pathname, '/services/versammlungsanzeige');
    await shot('03-service-start');
    await skipToMain();
    await tabTo(page, linkText('Jetzt starten'), 'start button');
    await pressAndLoad(page);
    assert.equal(new URL(page.url()).pathname, '/services/versammlungsanzeige/form/veranstalter');

    // Page 1: organiser.
    await shot('04-form-veranstalter');
    await skipToMain();
    await typeInto(page, 'organiserName', CITIZEN.organiserName);
    await typeInto(page, 'street', CITIZEN.street); // Tab passes the optional "Organisation"
    await typeInto(page, 'postcode', CITIZEN.postcode);
    await typeInto(page, 'town', CITIZEN.town);
    await typeInto(page, 'email', CITIZEN.email);
    assert.equal(await continueWith(), 200);

    // Page 2: leader.
    assert.match(page.url(), /\/form\/leitung$/);
    await shot('05-form-leitung');
    await typeInto(page, 'leaderName', CITIZEN.leaderName);
    await typeInto(page, 'leaderPhone', CITIZEN.leaderPhone);
    assert.equal(await continueWith(), 200);

    // Page 3: subject and time, with the end before the start on purpose.
    assert.match(page.url(), /\/form\/versammlung$/);
    await shot('06-form-versammlung');
    await typeInto(page, 'subject', CITIZEN.subject);
    await tabTo(page, radio('kind'), 'first radio of "Art der Versammlung"');
    await page.keyboard.press('Space');
    assert.deepEqual([(await focused(page)).id, (await focused(page)).checked], ['kind', true], 'Space selects "Kundgebung an einem Ort"');
    await typeDate(page, 'date', ASSEMBLY_DATE, formats);
    await typeTime(page, 'startTime', '16:00', formats);
    await typeTime(page, 'endTime', '14:00', formats);
    assert.deepEqual(
      [await page.inputValue('#date'), await page.inputValue('#startTime'), await page.inputValue('#endTime')],
      [ASSEMBLY_DATE, '16:00', '14:00'],
      'date and times typed with the keyboard',
    );
    assert.equal(await continueWith(), 422);

    // The error: summary first (and focused by app.js), message at the field, everything kept.
    await shot('07-form-versammlung-error');
    assert.match(await page.title(), /^Fehler: /);
    const summary = page.locator('[data-module="error-summary"]');
    assert.match(await summary.innerText(), /Bitte korrigieren Sie Folgendes/);
    assert.match(await summary.innerText(), /Das Ende muss nach dem Beginn liegen/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-module')), 'error-summary', 'the error summary has the focus');
    assert.match(await page.locator('#endTime-error').innerText(), /Das Ende muss nach dem Beginn liegen/);
    assert.equal(await page.locator('#endTime').getAttribute('aria-invalid'), 'true');
    assert.match((await page.locator('#endTime').getAttribute('aria-describedby')) ?? '', /endTime-error/);
    assert.equal(await page.inputValue('#subject'), CITIZEN.subject);
    assert.equal(await page.isChecked('#kind'), true);
    assert.equal(await page.inputValue('#date'), ASSEMBLY_DATE);
    assert.equal(await page.inputValue('#startTime'), '16:00');
    assert.equal(await page.inputValue('#endTime'), '14:00');

    // From the summary: Tab to its link, Enter jumps into the field (hour segment); correct the end time.
    await tabTo(page, linkText(/Das Ende muss nach dem Beginn liegen/), 'link in the error summary', { max: 1 });
    await page.keyboard.press('Enter');
    assert.match(page.url(), /#endTime$/);
    assert.equal((await focused(page)).id, 'endTime', 'the summary link puts the focus into the field');
    await page.keyboard.type(timeKeys('18:00', formats.twelveHour));
    assert.equal(await page.inputValue('#endTime'), '18:00');
    assert.equal(await continueWith(), 200);

    // Page 4: place.
    assert.match(page.url(), /\/form\/ort$/);
    await shot('08-form-ort');
    await typeInto(page, 'place', CITIZEN.place);
    assert.equal(await continueWith(), 200);

    // Page 5: size and equipment (two checkboxes with Space).
    assert.match(page.url(), /\/form\/umfang$/);
    await shot('09-form-umfang');
    await typeInto(page, 'participants', CITIZEN.participants);
    await typeInto(page, 'stewards', CITIZEN.stewards);
    await tabTo(page, byId('aids-megaphone'), 'checkbox Megafon');
    await page.keyboard.press('Space');
    await tabTo(page, byId('aids-banners'), 'checkbox Transparente');
    await page.keyboard.press('Space');
    assert.deepEqual(await page.locator('input[name="aids"]:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['megaphone', 'banners']);
    assert.equal(await continueWith(), 200);

    // Page 6: announcement. "Nein" with the arrow key (a radio group is one tab stop).
    assert.match(page.url(), /\/form\/bekanntgabe$/);
    await shot('10-form-bekanntgabe');
    await tabTo(page, radio('alreadyAnnounced'), 'radio group "schon bekannt gegeben?"');
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await page.locator('input[name="alreadyAnnounced"]:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['no']);
    if ((await page.locator('#announcementDate').count()) === 0) {
      // The date fields depend on the answer and are only rendered by the server: sending the
      // page reveals them and asks for them, without calling them wrong.
      assert.equal(await continueWith(), 200);
      await shot('11-form-bekanntgabe-revealed');
      assert.match(await page.locator('main').innerText(), /Bitte ergänzen Sie/);
      assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
      assert.equal(await page.isChecked('#alreadyAnnounced-no'), true, 'the answer "Nein" is kept');
      await tabTo(page, radio('alreadyAnnounced'), 'radio group again');
    }
    await typeDate(page, 'announcementDate', ANNOUNCEMENT_DATE, formats);
    await typeTime(page, 'announcementTime', '10:00', formats);
    assert.deepEqual([await page.inputValue('#announcementDate'), await page.inputValue('#announcementTime')], [ANNOUNCEMENT_DATE, '10:00']);
    assert.equal(await continueWith(), 200);

    // Check your answers.
    assert.match(page.url(), /\/check$/);
    await shot('12-check-answers');
    const answers = await page.locator('main').innerText();
    for (const v of [CITIZEN.organiserName, CITIZEN.email, CITIZEN.leaderName, CITIZEN.subject, 'Kundgebung an einem Ort', '16:00', '18:00', CITIZEN.place, 'Megafon, Transparente, Fahnen, Schilder', '10:00'])
      assert.ok(answers.includes(v), `check-your-answers shows "${v}"`);
    assert.equal(await continueWith('Verbindlich absenden'), 200);

    // Confirmation.
    assert.match(page.url(), /\/confirmation$/);
    await shot('13-confirmation');
    reference = (await page.getByTestId('reference').innerText()).trim();
    accessCode = (await page.getByTestId('access-code').innerText()).trim();
    assert.match(reference, /^[A-Z]+-\d{4}-\d+-\d$/);
    assert.match(accessCode, /^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    // The receipt goes to the organiser; it names the reference but never the access code.
    const receipt = await waitForMail(h, `Eingangsbestätigung / Receipt ${reference}`);
    assert.equal(receipt.to_address, CITIZEN.email);
    assert.ok(!receipt.text_body.includes(accessCode), 'the access code is not in the mail');
  });

  step('clerk signs in with password and TOTP, starts the review and confirms', async () => {
    assert.ok(reference, 'the citizen journey produced a reference');
    await clerkConfirms(h, reference, { javaScriptEnabled: true, viewport: DESKTOP, prefix: 'a' });
  });

  step('citizen looks up the status with reference and access code', async () => {
    assert.ok(reference && accessCode, 'the citizen journey produced a reference and an access code');
    // From the confirmation page: the "Stand jetzt abfragen" link.
    await tabTo(page, linkText('Stand jetzt abfragen'), 'status link on the confirmation');
    await pressAndLoad(page);
    assert.equal(new URL(page.url()).pathname, '/status');
    await shot('14-status-lookup');
    await skipToMain();
    await typeInto(page, 'reference', reference);
    await typeInto(page, 'accessCode', accessCode);
    await tabTo(page, buttonText('Stand anzeigen'), 'button Stand anzeigen');
    await pressAndLoad(page);
    assert.match(new URL(page.url()).pathname, /^\/status\/[0-9a-f-]{36}$/);
    await shot('15-status');
    assert.equal(await page.getByTestId('state-label').innerText(), 'Bestätigt');
    const text = await page.locator('main').innerText();
    assert.ok(text.includes(reference), 'the status page names the reference');
    assert.ok(text.includes(REMARK), "the clerk's remark is shown to the citizen");
    assert.ok(text.includes('Die Anzeige wurde bestätigt.'), 'the status page explains the state');
    const update = await waitForMail(h, `Neuer Stand / Status update ${reference}: Bestätigt`);
    assert.equal(update.to_address, CITIZEN.email);
    assert.ok(!update.text_body.includes(accessCode), 'the access code is not in the mail');
  });
});

/* ---------- b) JavaScript off ---------- */

describe('Versammlungsanzeige, JavaScript off (phone size)', () => {
  let h: Harness;
  let context: BrowserContext;
  let page: Page;
  let reference = '';
  let accessCode = '';
  const shot = (name: string) => checkPage(page, `b-${name}`);
  const step = journey();

  before(async () => {
    h = await startHarness();
    context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'de-DE' });
    page = await context.newPage();
  });
  after(async () => {
    await h?.close();
  });

  async function submit(label = 'Weiter'): Promise<number> {
    const response = page.waitForResponse((r) => r.request().isNavigationRequest() && (r.status() < 300 || r.status() >= 400));
    await page.getByRole('button', { name: label, exact: true }).click();
    const status = (await response).status();
    await page.waitForLoadState('load');
    return status;
  }

  step('citizen sends a notice without JavaScript', async () => {
    await page.goto('/');
    await shot('01-home-de');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL((u) => u.pathname === '/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await shot('02-home-en');
    await page.getByRole('link', { name: 'Notify a public assembly' }).click();
    await page.waitForURL('**/services/versammlungsanzeige');
    await shot('03-service-start-en');
    await page.getByRole('link', { name: 'Deutsch' }).click();
    await page.waitForURL('**/services/versammlungsanzeige');
    assert.equal(await page.locator('html').getAttribute('lang'), 'de', 'the language switch returns to the same page');
    await shot('04-service-start-de');
    await page.getByRole('button', { name: 'Jetzt starten' }).click();
    await page.waitForURL('**/form/veranstalter');

    await shot('05-form-veranstalter');
    await page.getByLabel('Vor- und Nachname').fill(CITIZEN.organiserName);
    await page.getByLabel('Straße und Hausnummer').fill(CITIZEN.street);
    await page.getByLabel('Postleitzahl').fill(CITIZEN.postcode);
    await page.getByLabel('Ort', { exact: true }).fill(CITIZEN.town);
    await page.getByLabel('E-Mail-Adresse').fill(CITIZEN.email);
    assert.equal(await submit(), 200);

    assert.match(page.url(), /\/form\/leitung$/);
    await shot('06-form-leitung');
    await page.getByLabel('Name der Leiterin oder des Leiters').fill(CITIZEN.leaderName);
    await page.getByLabel('Telefon der Leitung während der Versammlung').fill(CITIZEN.leaderPhone);
    assert.equal(await submit(), 200);

    assert.match(page.url(), /\/form\/versammlung$/);
    await shot('07-form-versammlung');
    await page.getByLabel('Thema der Versammlung').fill(CITIZEN.subject);
    await page.getByLabel('Kundgebung an einem Ort').check();
    await page.getByLabel('Datum', { exact: true }).fill(ASSEMBLY_DATE);
    await page.getByLabel('Beginn (Uhrzeit)').fill('16:00');
    await page.getByLabel('Ende (Uhrzeit)').fill('14:00');
    assert.equal(await submit(), 422);

    await shot('08-form-versammlung-error');
    assert.match(await page.title(), /^Fehler: /);
    assert.match(await page.locator('[data-module="error-summary"]').innerText(), /Das Ende muss nach dem Beginn liegen/);
    assert.match(await page.locator('#endTime-error').innerText(), /Das Ende muss nach dem Beginn liegen/);
    assert.notEqual(await page.evaluate(() => document.activeElement?.getAttribute('data-module')), 'error-summary', 'app.js did not run: JavaScript is off');
    assert.equal(await page.inputValue('#subject'), CITIZEN.subject);
    assert.equal(await page.isChecked('#kind'), true);
    assert.equal(await page.inputValue('#date'), ASSEMBLY_DATE);
    assert.equal(await page.inputValue('#startTime'), '16:00');
    assert.equal(await page.inputValue('#endTime'), '14:00');
    // The summary link is an in-page link to the field.
    await page.locator('[data-module="error-summary"]').getByRole('link').click();
    assert.match(page.url(), /#endTime$/);
    await page.getByLabel('Ende (Uhrzeit)').fill('18:00');
    assert.equal(await submit(), 200);

    assert.match(page.url(), /\/form\/ort$/);
    await shot('09-form-ort');
    await page.getByLabel('Ort (Platz oder Adresse)').fill(CITIZEN.place);
    assert.equal(await submit(), 200);

    assert.match(page.url(), /\/form\/umfang$/);
    await shot('10-form-umfang');
    await page.getByLabel('Erwartete Teilnehmende').fill(CITIZEN.participants);
    await page.getByLabel('Anzahl der Ordnerinnen und Ordner').fill(CITIZEN.stewards);
    await page.getByLabel('Megafon').check();
    await page.getByLabel('Transparente, Fahnen, Schilder').check();
    assert.equal(await submit(), 200);

    assert.match(page.url(), /\/form\/bekanntgabe$/);
    await shot('11-form-bekanntgabe');
    await page.getByRole('group', { name: 'Haben Sie die Versammlung schon bekannt gegeben?' }).getByLabel('Nein').check();
    if ((await page.locator('#announcementDate').count()) === 0) {
      assert.equal(await submit(), 200); // dependent fields appear after sending, asked for, not marked wrong
      assert.match(await page.locator('main').innerText(), /Bitte ergänzen Sie/);
      await shot('12-form-bekanntgabe-revealed');
    }
    await page.getByLabel('Geplantes Datum der Bekanntgabe').fill(ANNOUNCEMENT_DATE);
    await page.getByLabel('Uhrzeit der Bekanntgabe (freiwillig)').fill('10:00');
    assert.equal(await submit(), 200);

    assert.match(page.url(), /\/check$/);
    await shot('13-check-answers');
    const answers = await page.locator('main').innerText();
    for (const v of [CITIZEN.organiserName, CITIZEN.subject, '16:00', '18:00', CITIZEN.place, 'Megafon, Transparente, Fahnen, Schilder'])
      assert.ok(answers.includes(v), `check-your-answers shows "${v}"`);
    assert.equal(await submit('Verbindlich absenden'), 200);

    assert.match(page.url(), /\/confirmation$/);
    await shot('14-confirmation');
    reference = (await page.getByTestId('reference').innerText()).trim();
    accessCode = (await page.getByTestId('access-code').innerText()).trim();
    assert.match(reference, /^[A-Z]+-\d{4}-\d+-\d$/);
    assert.match(accessCode, /^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  });

  step('clerk confirms without JavaScript', async () => {
    assert.ok(reference, 'the citizen journey produced a reference');
    await clerkConfirms(h, reference, { javaScriptEnabled: false, viewport: PHONE, prefix: 'b' });
  });

  step('citizen sees "Bestätigt" and the remark without JavaScript', async () => {
    // A fresh visitor (another device) with only the reference and the access code.
    const other = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const lookup = await other.newPage();
    await lookup.goto('/status');
    await checkPage(lookup, 'b-15-status-lookup');
    // A wrong code first: the form comes back with the reference kept.
    await lookup.getByLabel('Aktenzeichen').fill(reference);
    await lookup.getByLabel('Zugangscode').fill('AAAAA-AAAAA');
    await lookup.getByRole('button', { name: 'Stand anzeigen' }).click();
    await lookup.waitForLoadState('load');
    await checkPage(lookup, 'b-16-status-lookup-error');
    assert.match(await lookup.title(), /^Fehler: /);
    assert.equal(await lookup.inputValue('#reference'), reference);
    await lookup.getByLabel('Zugangscode').fill(accessCode);
    await Promise.all([lookup.waitForURL(/\/status\/[0-9a-f-]{36}$/), lookup.getByRole('button', { name: 'Stand anzeigen' }).click()]);
    await checkPage(lookup, 'b-17-status');
    assert.equal(await lookup.getByTestId('state-label').innerText(), 'Bestätigt');
    assert.ok((await lookup.locator('main').innerText()).includes(REMARK), "the clerk's remark is shown to the citizen");
    await other.close();
  });
});
