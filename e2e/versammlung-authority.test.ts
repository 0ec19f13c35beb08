import { randomUUID } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { submitCase } from '../src/cases/submit-case.ts';
import { validAssembly } from '../src/test-support/runtime.ts';
import { cityWithTestAuthority, FakeAuthority, signedAnswer, useTestAuthoritySecret } from '../src/services/versammlungsanzeige/authority-test-support.ts';
import { assert } from './support/assert.ts';
import { checkPage, DESKTOP, journey, PHONE, startHarness, type Harness } from './support/harness.ts';
import { signInStaff } from './support/staff.ts';

/**
 * The Versammlungsanzeige where the city names an external receiving authority (ADR 0023), in a
 * real browser against the real app, with a real HTTP server on a random port as the police:
 *   two notices for the same square at overlapping times are forwarded to the police;
 *   clerk:   opens one case file → warned about the other assembly, follows the link to it, sees
 *            the deliveries to the police and no decision of their own to take;
 *   police:  confirm one notice with a remark through the signed answer API;
 *   citizen: status lookup (JavaScript off, phone size) → "Bestätigt", the police named, the remark.
 * axe-core (WCAG 2.1 A/AA) on every page; screenshots in e2e/screenshots/authority-*.png.
 */
describe('Versammlungsanzeige with an external authority: overlap warning and the authority\'s answer', () => {
  const police = new FakeAuthority();
  const secret = useTestAuthoritySecret();
  let h: Harness;
  const first = { caseId: '', reference: '', accessCode: '' };
  const second = { caseId: '', reference: '', accessCode: '' };
  const REMARK = 'Bitte halten Sie die Feuerwehrzufahrt frei.';
  const step = journey();

  before(async () => {
    await police.start();
    h = await startHarness({ city: cityWithTestAuthority(police.port) });
  });
  after(async () => {
    await h?.close();
    await police.close();
  });

  step('two overlapping notices are forwarded to the police', async () => {
    const base = validAssembly(new Date());
    const file = (data: Record<string, string | string[]>) => submitCase(h.runtime, { serviceId: 'versammlungsanzeige', data, idempotencyScope: 'api', idempotencyKey: randomUUID() });
    Object.assign(first, await file({ ...base, place: 'Marktplatz', startTime: '14:00', endTime: '16:00' }));
    Object.assign(second, await file({ ...base, organiserName: 'Otto Beispiel', subject: 'Gegen Lärm in der Innenstadt', place: 'Am Marktplatz, vor dem Roten Turm', startTime: '15:00', endTime: '17:00' }));
    for (const c of [first, second]) {
      const deadline = Date.now() + 60_000;
      let state = '';
      while (state !== 'forwarded' && Date.now() < deadline) {
        state = (await h.runtime.db.selectFrom('cases').select('state').where('id', '=', c.caseId).executeTakeFirstOrThrow()).state;
        if (state !== 'forwarded') await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(state, 'forwarded', `${c.reference} is forwarded`);
      assert.equal(police.messagesFor(c.reference).length, 1, `the police received ${c.reference} once`);
    }
  });

  step('the clerk is warned about the overlap and follows the link to the other assembly', async () => {
    const context = await h.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInStaff(page, 'clerk');
    await page.goto(`/staff/cases/${first.caseId}`);
    await checkPage(page, 'authority-01-staff-case');
    const panel = page.getByTestId('overlap-panel');
    assert.match(await panel.innerText(), /Eine andere Versammlung findet zur selben Zeit am selben Ort statt/, 'the warning');
    const deliveries = await page.getByTestId('authority-deliveries').innerText();
    assert.match(deliveries, /Polizeiinspektion Halle/, 'the case file names the authority');
    assert.match(deliveries, /zugestellt/, 'and the delivery');
    assert.equal(await page.locator('form[action*="/transitions/"]').count(), 0, 'the clerk has no decision to take: the police decide');
    await Promise.all([page.waitForURL(`**/staff/cases/${second.caseId}`), panel.getByRole('link', { name: second.reference }).click()]);
    await checkPage(page, 'authority-02-staff-other-case');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), second.reference, 'the other case file');
    assert.equal(await page.getByTestId('overlap-panel').getByRole('link', { name: first.reference }).count(), 1, 'which warns the other way round');
    await context.close();
  });

  step('the police confirm the first notice with a remark', async () => {
    const { payload, headers } = signedAnswer(secret, first.caseId, { answerId: 'PI-HAL-0001', reference: first.reference, answer: 'confirmed', text: REMARK });
    const res = await fetch(`${h.baseUrl}/api/v1/authority/answers`, { method: 'POST', headers, body: payload });
    assert.equal(res.status, 200, 'the answer is taken');
    assert.deepEqual(await res.json(), { state: 'confirmed', duplicate: false }, 'the case is confirmed');
  });

  step('the citizen sees the police\'s answer on the status page (JavaScript off, phone)', async () => {
    const context = await h.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto('/status');
    await checkPage(page, 'authority-03-status-lookup');
    await page.getByLabel('Aktenzeichen').fill(first.reference);
    await page.getByLabel('Zugangscode').fill(first.accessCode);
    await Promise.all([page.waitForURL(/\/status\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Stand anzeigen' }).click()]);
    await checkPage(page, 'authority-04-status');
    assert.equal(await page.getByTestId('state-label').innerText(), 'Bestätigt', 'the state');
    const text = await page.locator('main').innerText();
    assert.ok(text.includes('Die zuständige Behörde hat die Anzeige bestätigt.'), 'the timeline says who decided');
    assert.ok(text.includes('Polizeiinspektion Halle'), 'and names the police');
    assert.ok(text.includes(REMARK), "and shows the police's remark");
    await context.close();
  });
});
