import { randomUUID } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { submitCase } from '../src/cases/submit-case.ts';
import { validAssembly } from '../src/test-support/runtime.ts';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { signInStaff } from './support/staff.ts';

/**
 * The staff roles in a real browser, axe-core on every page:
 *   supervisor: sign-in → inbox → case → assign to a clerk → figures
 *   clerk:      sign-in → "assigned to me" → the case is there
 *   department administrator: sign-in lands on staff administration → a wrong new account
 *               (messages, values kept) → a right one (TOTP key) → that person's roles
 *   system administrator: the system state page.
 * The supervisor works on a phone-sized screen with JavaScript off, the others on a desktop.
 */

describe('staff roles', () => {
  let h: Harness;
  let reference = '';
  const step = journey();

  before(async () => {
    h = await startHarness();
    reference = (await submitCase(h.runtime, { serviceId: 'versammlungsanzeige', data: validAssembly(new Date()), idempotencyScope: 'api', idempotencyKey: randomUUID() })).reference;
  });
  after(async () => h?.close());

  step('a supervisor assigns a case and reads the figures (phone, JavaScript off)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await signInStaff(page, 'supervisor');
    await checkPage(page, 'roles-01-supervisor-inbox');
    await Promise.all([page.waitForURL('**/staff/cases/*'), page.getByRole('link', { name: reference }).click()]);
    await checkPage(page, 'roles-02-case-unassigned');
    assert.match(await page.getByTestId('assignee').innerText(), /Noch niemandem zugewiesen/);
    await page.getByLabel('Zuweisen an').selectOption({ label: 'Clara Klein (Sachbearbeitung)' });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Zuweisen' }).click()]);
    await checkPage(page, 'roles-03-case-assigned');
    assert.match(await page.getByTestId('assignee').innerText(), /Clara Klein/);
    assert.match(await page.locator('.aw-timeline').innerText(), /Zugewiesen an Clara Klein/);
    await Promise.all([page.waitForURL('**/staff'), page.getByRole('link', { name: 'Zurück zum Posteingang' }).click()]);
    await Promise.all([page.waitForURL('**/staff/figures'), page.getByRole('link', { name: 'Kennzahlen' }).click()]);
    await checkPage(page, 'roles-04-figures');
    assert.equal(await page.getByTestId('open-versammlungsbehoerde').innerText(), '1');
    await context.close();
  });

  step('the clerk finds the case under "assigned to me"', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'clerk');
    await page.getByLabel('Zuständig').selectOption({ label: 'Mir zugewiesen' });
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Anwenden' }).click()]);
    await checkPage(page, 'roles-05-clerk-assigned-to-me');
    await assert.doesNotReject(page.getByRole('link', { name: reference }).waitFor({ timeout: 5000 }), 'the assigned case is listed');
    await context.close();
  });

  step('a department administrator creates an account and sets its roles', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'deptadmin');
    assert.equal(new URL(page.url()).pathname, '/staff/admin', 'the administrator lands on the staff administration');
    await checkPage(page, 'roles-06-admin-list');
    await page.getByLabel('Benutzername').fill('lea.neumann');
    await page.getByLabel('Name', { exact: true }).fill('Lea Neumann');
    await page.getByLabel(/^Erstes Passwort/).fill('zu-kurz');
    await page.getByLabel('Abteilung', { exact: true }).selectOption('versammlungsbehoerde');
    await page.getByLabel('Sachbearbeitung').check();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Konto anlegen' }).click()]);
    await checkPage(page, 'roles-07-admin-create-error');
    assert.match(await page.locator('.aw-error-summary').innerText(), /mindestens 12 Zeichen/);
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Lea Neumann', 'the typed name is kept');
    await page.getByLabel(/^Erstes Passwort/).fill('ein-langes-erstes-passwort');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Konto anlegen' }).click()]);
    await checkPage(page, 'roles-08-admin-created');
    assert.match(await page.getByTestId('totp-secret').innerText(), /^[A-Z2-7]{16,}$/);
    await Promise.all([page.waitForURL('**/staff/admin'), page.getByRole('link', { name: 'Zurück zur Übersicht' }).click()]);
    await Promise.all([page.waitForURL('**/staff/admin/users/*'), page.getByRole('link', { name: 'Lea Neumann' }).click()]);
    await page.getByLabel('Sachgebietsleitung').check();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Rollen speichern' }).click()]);
    await checkPage(page, 'roles-09-admin-roles-saved');
    assert.equal(await page.getByLabel('Sachgebietsleitung').isChecked(), true, 'the new role is saved');
    await context.close();
  });

  step('the system administrator sees the state of the audit chain', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'sysadmin');
    await Promise.all([page.waitForURL('**/staff/admin/system'), page.getByRole('link', { name: 'Systemzustand' }).click()]);
    await checkPage(page, 'roles-10-system');
    assert.match(await page.getByTestId('audit-state').innerText(), /unverändert/);
    await context.close();
  });
});
