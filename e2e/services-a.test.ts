import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createStaffUser } from '../src/identity/staff-admin.ts';
import { totpFor } from '../src/identity/staff-auth.ts';
import { earliestStart } from '../src/services/sondernutzung-halteverbot/rules.ts';
import { assert } from './support/assert.ts';
import { berlinDay, checkPage, DESKTOP, PHONE, startHarness, type Harness } from './support/harness.ts';
import { citizenServiceJourney, clickAndLoad, samplePdf, waitForStatusText } from './support/service-journey.ts';

/**
 * Services A in a real browser, each from the service list (searched with everyday words) to the
 * status page, axe-core on every page:
 *   Bewohnerparkausweis (desktop): "Parkausweis" → proof of identity (substantial, the address
 *        comes from it) → zone, plate, validity → fee 61,20 € → the Ordnungsamt's clerk issues the
 *        permit → the citizen sees "Ausweis erteilt" and the sealed permit;
 *   Bewohnerparkausweis ändern (phone, JavaScript off): "neues Auto" → a company car with both uploads;
 *   Halteverbot (phone, JavaScript off): "umziehen" → a first day too soon is refused with the
 *        earliest possible day named → fee 45,00 €;
 *   Sperrmüll (phone): "Sofa entsorgen" → the Stadtwirtschaft's clerk sets the pick-up day → the
 *        citizen sees it on the status page;
 *   Hundesteuer (desktop, JavaScript off): an account only (level basic), owner data typed, "Hund".
 * The city's demo staff has nobody in the Ordnungsamt or the Stadtwirtschaft, so each gets a clerk
 * created in the test's database.
 */

interface Clerk {
  readonly username: string;
  readonly password: string;
  readonly totpSecret: string;
}

async function signInClerk(page: Page, clerk: Clerk): Promise<void> {
  await page.goto('/staff/sign-in');
  await page.getByLabel('Benutzername').fill(clerk.username);
  await page.getByLabel('Passwort').fill(clerk.password);
  await Promise.all([page.waitForURL('**/staff/sign-in/code'), page.getByRole('button', { name: 'Weiter' }).click()]);
  await page.getByLabel('Einmalcode').fill(totpFor(clerk.totpSecret).generate());
  await Promise.all([page.waitForURL((u) => u.pathname === '/staff'), page.getByRole('button', { name: 'Anmelden' }).click()]);
}

describe('services A: resident parking, no-parking zone, bulky waste, dog tax', () => {
  let h: Harness;
  const clerks: Record<string, Clerk> = {};

  before(async () => {
    h = await startHarness({ devIdp: true });
    for (const [username, displayName, departmentId] of [
      ['ordnung', 'Olga Ott (Ordnungsamt)', 'ordnungsamt'],
      ['abfall', 'Anton Asch (Stadtwirtschaft)', 'stadtwirtschaft'],
    ] as const) {
      const password = `e2e-${username}-password-2026`;
      const { totpSecret } = await createStaffUser(h.runtime.db, { username, displayName, password, grants: [{ departmentId, role: 'clerk' }] }, null);
      clerks[username] = { username, password, totpSecret };
    }
  });
  after(async () => h?.close());

  test('Bewohnerparkausweis: the address comes from the proven identity, the clerk issues the permit (desktop)', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const { caseId, reference } = await citizenServiceJourney(page, {
      service: 'anwohnerparkausweis',
      search: 'Parkausweis',
      prefix: 'svc-a-park',
      answers: { zone: 'altstadt', email: 'erika@example.org', kennzeichen: 'hal em 123', holder: 'self', years: '2' },
      onPage: async (p, pageId) => {
        if (pageId === 'wohnung') assert.match(await p.getByTestId('confirmed-data').innerText(), /Marktplatz 1[\s\S]*06108[\s\S]*Halle/, 'the address is confirmed from the identity, not typed');
      },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Eingegangen', 'the case is received');
    assert.match(await page.getByTestId('payment-panel').innerText(), /61,20\s€/, 'two years cost 61,20 €');

    const staff = await h.newContext({ viewport: DESKTOP });
    const clerkPage = await staff.newPage();
    await signInClerk(clerkPage, clerks.ordnung!);
    await clerkPage.goto(`/staff/cases/${caseId}`);
    assert.equal(await clerkPage.getByRole('heading', { level: 1 }).innerText(), reference, 'the clerk sees the case');
    await Promise.all([clerkPage.waitForEvent('load'), clerkPage.getByRole('button', { name: 'Prüfung beginnen' }).click()]);
    const issue = clerkPage.locator('form[action$="/transitions/issue"]');
    await issue.getByLabel(/^Ausweisnummer/).fill('BP-2026-00042');
    await Promise.all([clerkPage.waitForEvent('load'), issue.getByRole('button', { name: 'Ausweis erteilen' }).click()]);
    await checkPage(clerkPage, 'svc-a-park-20-staff-issued');
    assert.equal(await clerkPage.getByTestId('staff-state').innerText(), 'Ausweis erteilt', 'the permit is issued');

    await page.reload();
    const text = await waitForStatusText(page, /Ausweis erteilt[\s\S]*BP-2026-00042/);
    assert.match(text, /Drucken Sie ihn aus/, 'the citizen is told what to do with the permit');
    await waitForStatusText(page, /Ihre Dokumente[\s\S]*vom Amt ausgestellt[\s\S]*vom Amt ausgestellt/);
    await checkPage(page, 'svc-a-park-21-status-issued');
    assert.equal(await page.getByTestId('applicant-documents').locator('li').count(), 2, 'the receipt and the sealed permit');
    await context.close();
    await staff.close();
  });

  test('Bewohnerparkausweis ändern: a company car with both documents uploaded (phone, JavaScript off)', async () => {
    const context = await h.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await citizenServiceJourney(page, {
      service: 'bewohnerparken-aenderung',
      search: 'neues Auto',
      prefix: 'svc-a-park-change',
      person: /Zofia Kowalska/,
      answers: { permitNumber: 'BP-2025-01234', zone: 'altstadt', changes: ['vehicle'], email: 'zofia@example.org', kennzeichen: 'HAL-BK 42E', holder: 'company' },
      files: { registrationCertificate: samplePdf('fahrzeugschein.pdf'), usageConfirmation: samplePdf('bestaetigung-arbeitgeber.pdf') },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Eingegangen', 'the change is received');
    const docs = await page.getByTestId('applicant-documents').innerText();
    assert.match(docs, /fahrzeugschein\.pdf/, 'the registration certificate is in the file');
    assert.match(docs, /bestaetigung-arbeitgeber\.pdf/, 'the employer’s confirmation is in the file');
    assert.match(await page.getByTestId('payment-panel').innerText(), /10,20\s€/, 'the change fee');
    await context.close();
  });

  test('Halteverbot: "umziehen" finds it; a first day too soon is refused with the earliest day named (phone, JavaScript off)', async () => {
    const context = await h.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    const first = earliestStart({ now: new Date(), timeZone: 'Europe/Berlin' });
    const second = new Date(Date.parse(`${first}T12:00:00Z`) + 24 * 3600_000).toISOString().slice(0, 10);
    const answers = {
      applicantName: 'Zofia Kowalska',
      street: 'Große Ulrichstraße 7',
      postcode: '06108',
      town: 'Halle (Saale)',
      email: 'zofia@example.org',
      phone: '0345 987654',
      placeStreet: 'Große Ulrichstraße 7',
      placePostcode: '06108',
      placeDetails: 'Vor dem Haus, Straßenseite mit den ungeraden Hausnummern',
      lengthMetres: '15',
      reason: 'umzug',
      startDate: first,
      endDate: second,
      fromTime: '07:00',
      toTime: '18:00',
    };
    await citizenServiceJourney(page, {
      service: 'sondernutzung-halteverbot',
      search: 'umziehen',
      prefix: 'svc-a-halteverbot',
      answers,
      onPage: async (p, pageId) => {
        if (pageId !== 'zeit') return;
        assert.match(await p.locator('main').innerText(), /mindestens 10 Arbeitstage vorher/, 'the lead time is explained before any date is entered');
        await p.locator('[name="startDate"]').fill(berlinDay(3));
        assert.equal(await clickAndLoad(p, 'Weiter'), 422, 'a first day three days ahead is refused');
        await checkPage(p, 'svc-a-halteverbot-zeit-error');
        const summary = await p.locator('main').innerText();
        assert.match(summary, /mindestens 10 Arbeitstage vorher beantragt werden/, 'the refusal names the rule');
        assert.match(summary, /Der früheste mögliche erste Tag ist der/, 'and the earliest possible day');
        for (const id of ['startDate', 'endDate', 'fromTime', 'toTime'] as const) await p.locator(`[name="${id}"]`).fill(answers[id]);
      },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Eingegangen', 'the application is received');
    assert.match(await page.getByTestId('payment-panel').innerText(), /45,00\s€/, '30 € plus 15 m on 2 days at 0,50 €');
    await context.close();
  });

  test('Sperrmüll: "Sofa entsorgen" finds it; the clerk sets the pick-up day, the citizen sees it (phone)', async () => {
    const context = await h.newContext({ viewport: PHONE });
    const page = await context.newPage();
    const { caseId } = await citizenServiceJourney(page, {
      service: 'sperrmuell',
      search: 'Sofa entsorgen',
      prefix: 'svc-a-sperrmuell',
      answers: {
        name: 'Ben Becker',
        street: 'Leipziger Straße 42',
        postcode: '06108',
        town: 'Halle (Saale)',
        email: 'ben@example.org',
        items: ['furniture', 'other'],
        itemsOther: 'Ein Bettgestell aus Metall',
        volume: '3',
        windowFrom: berlinDay(8),
        windowTo: berlinDay(20),
      },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Eingegangen', 'the booking is received');

    const pickup = berlinDay(12);
    const german = `${pickup.slice(8, 10)}.${pickup.slice(5, 7)}.${pickup.slice(0, 4)}`;
    const staff = await h.newContext({ viewport: DESKTOP });
    const clerkPage = await staff.newPage();
    await signInClerk(clerkPage, clerks.abfall!);
    await clerkPage.goto(`/staff/cases/${caseId}`);
    const schedule = clerkPage.locator('form[action$="/transitions/schedule"]');
    await schedule.getByLabel(/^Abholtag/).fill(german);
    await Promise.all([clerkPage.waitForEvent('load'), schedule.getByRole('button', { name: 'Abholtag festlegen' }).click()]);
    await checkPage(clerkPage, 'svc-a-sperrmuell-20-staff-scheduled');
    assert.equal(await clerkPage.getByTestId('staff-state').innerText(), 'Abholtag steht fest', 'the pick-up is scheduled');

    await page.reload();
    const text = await waitForStatusText(page, /Abholtag steht fest/);
    assert.ok(text.includes(german), `the status page shows the pick-up day ${german}`);
    assert.match(text, /am Abend vor dem Abholtag/, 'and what to do before it');
    await checkPage(page, 'svc-a-sperrmuell-21-status-scheduled');
    await context.close();
    await staff.close();
  });

  test('Hundesteuer: with an account only, the owner types the data; "Hund" finds it (desktop, JavaScript off)', async () => {
    const context = await h.newContext({ viewport: DESKTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    const email = 'jonas.dog@example.org';
    await page.goto('/account/sign-in');
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await Promise.all([page.waitForURL('**/account/sign-in/sent'), page.getByRole('button', { name: 'Link senden' }).click()]);
    const mail = await h.runtime.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const link = /(\/account\/link\/[A-Za-z0-9_-]{43})/.exec(mail.text_body)?.[1];
    assert.ok(link, 'the mail carries a sign-in link');
    await page.goto(link);
    await Promise.all([page.waitForURL('**/my-cases'), page.getByRole('button', { name: 'Jetzt anmelden' }).click()]);

    await citizenServiceJourney(page, {
      service: 'hundesteuer',
      search: 'Hund',
      prefix: 'svc-a-hund',
      answers: {
        action: 'anmeldung',
        dogName: 'Bello',
        givenName: 'Jonas',
        familyName: 'Weber',
        birthdate: '1990-04-17',
        street: 'Karl-Liebknecht-Straße 9',
        postcode: '06114',
        town: 'Halle (Saale)',
        email,
        breed: 'Labrador-Mischling',
        dogBirthdate: berlinDay(-200),
        keptSince: berlinDay(-3),
        chipNumber: '276 09 8100 123456',
        declaredDangerous: 'no',
        otherDogs: '0',
      },
      onPage: async (p, pageId) => {
        if (pageId === 'halter') assert.equal(await p.getByTestId('confirmed-data').count(), 0, 'without a proven identity nothing is prefilled');
        if (pageId === 'hund') assert.match(await p.locator('main').innerText(), /120,00\s€ für den ersten Hund/, 'the yearly tax is shown');
      },
    });
    assert.equal(await page.getByTestId('state-label').innerText(), 'Eingegangen', 'the registration is received');
    assert.equal(await page.getByTestId('payment-panel').count(), 0, 'registering costs nothing');
    await context.close();
  });
});
