import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { buildApp } from '../app.ts';
import { departmentFigures } from '../cases/figures.ts';
import { submitCase } from '../cases/submit-case.ts';
import type { FormData } from '../catalogue/service-definition.ts';
import { HttpClient, pageText } from '../test-support/http-client.ts';
import { testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { waitFor } from '../test-support/wait-for.ts';
import { validTradeRegistration } from '../trade/trade-fixtures.ts';
import { foundingChecklist } from './checklist.ts';

/**
 * The Unternehmensgründung against the real runtime (jobs running): a permit-free founding is
 * accepted by the system, its receipt sealed and timed, the founder's checklist read from the case;
 * the ELSTER export only for the founder; a security firm (§ 34a GewO) waits for a clerk.
 */
let rt: TestRuntime;
let app: FastifyInstance;
before(async () => {
  rt = await testRuntime({ jobPollingSeconds: 1, config: { statusLookupsPerMinute: 1000 } });
  await rt.jobs.work();
  app = await buildApp(rt);
  await app.ready();
});
after(async () => {
  await app?.close();
  await rt?.close();
});

const TAX = { taxId: '86095742719', turnoverFirstYear: '22000', turnoverNextYear: '40000', profitFirstYear: '15000', smallBusiness: 'yes', vatIdWanted: 'no', profitMethod: 'euer', iban: 'DE89370400440532013000', accountHolder: 'Erika Mustermann', merchantScale: 'no' };

async function found(overrides: FormData = {}) {
  return submitCase(rt, { serviceId: 'unternehmensgruendung', data: { ...validTradeRegistration(rt.now()), ...TAX, ...overrides }, idempotencyScope: 'api', idempotencyKey: randomUUID() });
}

async function prover(c: { reference: string; accessCode: string }): Promise<HttpClient> {
  const client = new HttpClient(app);
  await client.get('/status');
  assert.equal((await client.post('/status', { reference: c.reference, accessCode: c.accessCode })).status, 303, 'the case is proved');
  return client;
}

test('a permit-free founding is accepted by the system and its receipt timed; the checklist shows every part', async () => {
  const c = await found();
  const receipt = await waitFor(
    () => rt.db.selectFrom('issued_documents').select(['issued_at', 'template_id']).where('case_id', '=', c.caseId).where('kind', '=', 'receipt').executeTakeFirst(),
    'the sealed receipt',
  );
  assert.equal(receipt.template_id, 'empfangsbestaetigung-automatisch', 'the automatic receipt');
  const row = await rt.db.selectFrom('cases').select(['id', 'state', 'submitted_at', 'form_data']).where('id', '=', c.caseId).executeTakeFirstOrThrow();
  assert.equal(row.state, 'accepted', 'accepted by the system');
  const list = await foundingChecklist(rt.db, row);
  assert.ok(list.receiptSeconds !== undefined && list.receiptSeconds < 24 * 3600, `receipt time measured (${list.receiptSeconds} s)`);
  const parts = Object.fromEntries(list.items.map((i) => [i.id, i.status]));
  assert.equal(parts.trade, 'done', 'trade notice done');
  assert.equal(parts.elster, 'todo', 'the questionnaire is the founder’s task');
  assert.equal(parts.register, 'not_needed', 'a small sole trader needs no register entry');
  assert.ok(['done', 'in_progress'].includes(String(parts['tax-office'])), 'the tax office message is on its way or delivered');

  // The trade office's figures show the receipt times too (counts and seconds only).
  const [figures] = await departmentFigures(rt, { type: 'staff', id: randomUUID(), grants: [{ departmentId: 'gewerbeamt', role: 'supervisor' }] });
  assert.ok(figures && figures.receiptsLast30Days >= 1, 'the receipt is counted');
  assert.ok(figures.medianSecondsToReceipt !== null && figures.maxSecondsToReceipt !== null && figures.medianSecondsToReceipt <= figures.maxSecondsToReceipt, 'median and longest time to receipt');

  const founder = await prover(c);
  const status = await founder.get(`/status/${c.caseId}`);
  assert.equal(status.status, 200, 'the status page');
  const text = pageText(status.body);
  assert.match(text, /Ihre Gründung: Stand aller Teile/, 'the checklist panel');
  assert.match(text, /Vom Absenden bis zur Empfangsbestätigung: \d+/, 'the measured time');
  assert.match(text, /Fragebogen zur steuerlichen Erfassung/, 'the questionnaire part');

  const xml = await founder.get(`/status/${c.caseId}/elster-export`);
  assert.equal(xml.status, 200, 'the founder downloads the export');
  assert.match(String(xml.headers['content-disposition']), /attachment; filename="fragebogen-steuerliche-erfassung-HAL-/, 'as a file');
  const parsed = new XMLParser().parse(xml.body).FragebogenSteuerlicheErfassung;
  assert.equal(String(parsed.AllgemeineAngaben.Identifikationsnummer), '86095742719', 'the IdNr');
  assert.equal(parsed.Umsatzsteuer.Kleinunternehmerregelung, true, 'the small-business choice');
});

test('the ELSTER export is only for the founder and only for a founding case', async () => {
  const c = await found();
  const stranger = new HttpClient(app);
  assert.equal((await stranger.get(`/status/${c.caseId}/elster-export`)).status, 404, 'a stranger gets not found');
  const other = await submitCase(rt, { serviceId: 'termin-buergerservice', data: { matter: 'sonstiges', name: 'Max', email: 'max@example.org' }, idempotencyScope: 'api', idempotencyKey: randomUUID() });
  const owner = await prover(other);
  assert.equal((await owner.get(`/status/${other.caseId}/elster-export`)).status, 404, 'no export for another service');
});

test('a security firm (§ 34a GewO) is not accepted automatically: the checklist waits for the clerk', async () => {
  const c = await found({ activityCategory: 'bewachung', wzKey: '80.10.0', activityDescription: 'Objektschutz und Bewachung', permitStatus: 'applied' });
  // The decision job has run when pg-boss has completed it; then the case is looked at.
  await waitFor(async () => {
    const { rows } = await sql<{ state: string }>`select state from pgboss.job where name = 'case.decide-automatically' and data->>'caseId' = ${c.caseId}`.execute(rt.db);
    return rows[0]?.state === 'completed' ? true : undefined;
  }, 'the automatic decision job');
  const event = await rt.db.selectFrom('cases').select('state').where('id', '=', c.caseId).executeTakeFirstOrThrow();
  assert.equal(event.state, 'received', 'left to a clerk');
  const row = await rt.db.selectFrom('cases').select(['id', 'state', 'submitted_at', 'form_data']).where('id', '=', c.caseId).executeTakeFirstOrThrow();
  const list = await foundingChecklist(rt.db, row);
  assert.equal(list.items.find((i) => i.id === 'trade')?.status, 'in_progress', 'the trade notice is being checked');
  assert.equal(list.receiptSeconds, undefined, 'no receipt yet');
});
