import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../app.ts';
import { knownEffects } from '../cases/effects.ts';
import { submitCase } from '../cases/submit-case.ts';
import { checkDefinition } from '../catalogue/check-definitions.ts';
import { feeFor } from '../catalogue/fees.ts';
import { Catalogue } from '../catalogue/registry.ts';
import type { FormData, ServiceDefinition } from '../catalogue/service-definition.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { readDocument } from '../efile/documents.ts';
import { NOTIFY_JOB } from '../notifications/notify.ts';
import { createLogger } from '../runtime.ts';
import { serviceDefinitions } from '../services/index.ts';
import { signInCitizen } from '../test-support/citizen-sign-in.ts';
import { HttpClient, pageText } from '../test-support/http-client.ts';
import { opensslVerifyDetached, pdfTextAndInfo, signatureParts } from '../test-support/pdf-inspect.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';
import { testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { paidTestService as idCard } from '../test-support/paid-test-service.ts';
import { DEV_SIGNATURE_HEADER, devWebhookBody, signDevWebhook } from './dev-payment-provider.ts';
import type { PaymentEvent } from './payment-provider.ts';
import { paymentOverview } from './payments.ts';

/**
 * Fees and online payment with the development provider, over HTTP against a real database:
 * answer-dependent fees, the hosted page, HMAC-signed webhooks (verified over the raw body),
 * idempotent events, the sealed Zahlungsbestätigung in the E-Akte, cancellations, refunds, and
 * who may pay and refund.
 */


const NOW = new Date('2026-11-30T10:00:00Z');
const ctx = { now: NOW, timeZone: 'Europe/Berlin' };
const NAME = 'Paula Payment';

let rt: TestRuntime;
const logLines: string[] = [];
let app: FastifyInstance;

before(async () => {
  // Debug-level logs are kept to prove that nothing personal (or of a webhook body) is written.
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  rt = await testRuntime({ config: { statusLookupsPerMinute: 1000 }, log: createLogger(loadConfig({ AMTSWEG_PROFILE: 'test', LOG_LEVEL: 'debug' }), sink) });
  // The shipped catalogue plus the fee-bearing test service; everything else is the real runtime.
  app = await buildApp({ ...rt, catalogue: new Catalogue([...serviceDefinitions, idCard], rt.catalogue.city) });
  await app.ready();
});
after(async () => {
  await app.close();
  await rt.close();
});

async function fileCase(data: Partial<Record<string, string>> = {}, citizenId?: string) {
  const deps = { ...rt, catalogue: new Catalogue([...serviceDefinitions, idCard], rt.catalogue.city) };
  const r = await submitCase(deps, { serviceId: idCard.id, data: { name: NAME, birthdate: '1990-05-01', delivery: 'pickup', ...data } as FormData, idempotencyScope: 'api', idempotencyKey: randomUUID(), citizenId });
  return { caseId: r.caseId, reference: r.reference, accessCode: r.accessCode };
}

/** A visitor who proved the case with reference and access code. */
async function prover(c: { reference: string; accessCode: string }): Promise<HttpClient> {
  const client = new HttpClient(app);
  await client.get('/status');
  assert.equal((await client.post('/status', { reference: c.reference, accessCode: c.accessCode })).status, 303, 'the case is proved');
  return client;
}

/** notify.applicant jobs (pg-boss's own table) whose payload has these values. */
async function notifyJobs(match: { ref?: string; caseId?: string }): Promise<number> {
  const { rows } = await sql<{ data: Record<string, unknown> }>`select data from pgboss.job where name = ${NOTIFY_JOB}`.execute(rt.db);
  return rows.filter((r) => Object.entries(match).every(([k, v]) => r.data[k] === v)).length;
}

const counts = async (caseId: string, paymentId: string) => ({
  events: (await rt.db.selectFrom('payment_events').select('id').where('payment_id', '=', paymentId).execute()).length,
  receipts: (await rt.db.selectFrom('documents').select('id').where('case_id', '=', caseId).where('title', '=', 'Zahlungsbestätigung').execute()).length,
  paidAudits: (await rt.db.selectFrom('audit_entries').select('action').where('case_id', '=', caseId).where('action', '=', 'payment.paid').execute()).length,
  notifications: await notifyJobs({ ref: paymentId }),
  status: (await rt.db.selectFrom('payments').select('status').where('id', '=', paymentId).executeTakeFirstOrThrow()).status,
});

async function postWebhook(raw: string, signature: string | undefined) {
  const res = await app.inject({ method: 'POST', url: '/payments/webhook/dev', headers: { 'content-type': 'application/json', ...(signature ? { [DEV_SIGNATURE_HEADER]: signature } : {}) }, payload: raw });
  return { status: res.statusCode, body: res.body };
}

/** Starts paying over HTTP; returns the hosted page's path and the payment. */
async function startOverHttp(client: HttpClient, caseId: string) {
  await client.get(`/status/${caseId}`);
  const res = await client.post(`/status/${caseId}/pay`);
  assert.equal(res.status, 303, `pay starts (got ${res.status} ${pageText(res.body).slice(0, 200)})`);
  assert.match(res.location ?? '', /^\/dev\/pay\/devpay_[A-Za-z0-9_-]+$/, 'to the hosted payment page');
  const payment = await rt.db.selectFrom('payments').selectAll().where('case_id', '=', caseId).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return { page: res.location!, payment };
}

test('fees follow the answers: age at filing and delivery by post', () => {
  assert.deepEqual(feeFor(idCard, { birthdate: '2004-01-01', delivery: 'pickup' }, ctx), { cents: 2760, items: [{ label: { de: 'Personalausweis (unter 24 Jahren)', en: 'ID card (under 24)' }, cents: 2760 }] });
  assert.equal(feeFor(idCard, { birthdate: '2002-11-30', delivery: 'pickup' }, ctx).cents, 4600, '24 today: the full fee');
  assert.equal(feeFor(idCard, { birthdate: '2002-12-01', delivery: 'pickup' }, ctx).cents, 2760, '24 tomorrow: still the under-24 fee');
  const post = feeFor(idCard, { birthdate: '1980-01-01', delivery: 'post' }, ctx);
  assert.equal(post.cents, 6100, '46.00 € + 15.00 € delivery');
  assert.deepEqual(post.items.map((i) => i.cents), [4600, 1500]);
  const flat = serviceDefinitions.find((d) => d.id === 'versammlungsanzeige')!;
  assert.deepEqual(feeFor(flat, {}, ctx), { cents: 0, items: [] }, 'the Versammlungsanzeige stays free');
  assert.deepEqual(feeFor({ ...flat, feeCents: 1250 }, {}, ctx), { cents: 1250, items: [{ label: { de: 'Gebühr', en: 'Fee' }, cents: 1250 }] }, 'a flat fee is one line');
  assert.throws(() => feeFor({ ...idCard, fee: () => ({ cents: 100, items: [{ label: { de: 'a', en: 'a' }, cents: 50 }] }) }, {}, ctx), /items add up to 50, not to the total 100/);
});

test('the definition checks refuse inconsistent fee rules', () => {
  const city = rt.catalogue.city;
  assert.deepEqual(checkDefinition(idCard, knownEffects, city), [], 'the test service is consistent');
  const faults = (d: ServiceDefinition) => checkDefinition(d, knownEffects, city).join('\n');
  assert.match(faults({ ...idCard, feeCents: 0 }), /fee: a fee rule needs feeCents > 0/);
  assert.match(faults({ ...idCard, fee: () => ({ cents: -5, items: [{ label: { de: 'x', en: 'x' }, cents: -5 }] }) }), /fee: on an empty form: total -5 is not a whole number of cents ≥ 0/);
  assert.match(faults({ ...idCard, fee: () => ({ cents: 12.5, items: [{ label: { de: 'x', en: 'x' }, cents: 12.5 }] }) }), /not a whole number of cents/);
  assert.match(faults({ ...idCard, fee: () => ({ cents: 100, items: [{ label: { de: 'x', en: '' }, cents: 100 }] }) }), /item 1 needs a label in de and en/);
  assert.match(faults({ ...idCard, fee: () => { throw new Error('boom'); } }), /fee: the rule throws on an empty form \(boom\)/);
  assert.match(faults({ ...idCard, feeCents: -1 }), /feeCents: must be a whole number of cents ≥ 0/);
});

test('production refuses the development payment provider; development and tests get a per-process webhook secret', () => {
  const production = { AMTSWEG_PROFILE: 'production', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://a.example', SMTP_URL: 'smtp://m', METRICS_TOKEN: 'm'.repeat(32), MASTER_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, SEAL_P12_FILE: '/x.p12', SEAL_P12_PASSWORD: 'p' };
  assert.throws(
    () => loadConfig({ ...production, PAYMENT_PROVIDER: 'dev' }),
    (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.startsWith('PAYMENT_PROVIDER must not be dev in production')),
  );
  assert.equal(loadConfig(production).paymentProvider, 'none', 'production: none until ePayBL is connected');
  const a = loadConfig({ AMTSWEG_PROFILE: 'test' });
  const b = loadConfig({ AMTSWEG_PROFILE: 'test' });
  assert.equal(a.paymentProvider, 'dev');
  assert.ok(a.paymentDevWebhookSecret && a.paymentDevWebhookSecret.length >= 32 && a.paymentDevWebhookSecret !== b.paymentDevWebhookSecret, 'a fresh secret per process');
  assert.throws(() => loadConfig({ AMTSWEG_PROFILE: 'test', PAYMENT_DEV_WEBHOOK_SECRET: 'short' }), /PAYMENT_DEV_WEBHOOK_SECRET must be at least 32 characters long/);
});

test('the whole dev flow: start → hosted page → pay → signed webhook → paid, sealed receipt in the E-Akte; a replay changes nothing', async () => {
  const c = await fileCase({ birthdate: '1980-02-02', delivery: 'post' });
  const citizen = await prover(c);
  const { page, payment } = await startOverHttp(citizen, c.caseId);
  assert.equal(payment.amount_cents, 6100, 'the fee of the answers');
  assert.equal(payment.currency, 'EUR');
  assert.deepEqual((payment.items as { cents: number }[]).map((i) => i.cents), [4600, 1500], 'items recorded: labels and amounts only');
  assert.ok(!JSON.stringify(payment.items).includes(NAME), 'no personal data in the items');

  // A second click while the checkout is open offers the same checkout, not a second payment.
  const again = await citizen.post(`/status/${c.caseId}/pay`);
  assert.equal(again.location, page, 'the same hosted page again');

  const hosted = await citizen.get(page);
  assert.equal(hosted.status, 200);
  const text = pageText(hosted.body);
  for (const s of ['61,00 €', '46,00 €', '15,00 €', 'Direktversand per Post', 'Bezahlen', 'Abbrechen']) assert.ok(text.includes(s), `the hosted page shows "${s}"`);
  assert.ok(!text.includes(NAME), 'the hosted page shows no name');

  const paid = await citizen.post(page, { outcome: 'paid' });
  assert.equal(paid.status, 303);
  assert.equal(paid.location, `/status/${c.caseId}`, 'back to the status page');
  const after = await counts(c.caseId, payment.id);
  assert.deepEqual(after, { events: 1, receipts: 1, paidAudits: 1, notifications: 1, status: 'paid' });

  const row = await rt.db.selectFrom('payments').selectAll().where('id', '=', payment.id).executeTakeFirstOrThrow();
  assert.ok(row.paid_at instanceof Date, 'paid_at is set');
  const doc = await rt.db.selectFrom('documents').selectAll().where('document_id', '=', row.receipt_document_id!).executeTakeFirstOrThrow();
  assert.equal(doc.created_by_type, 'system');
  assert.equal(doc.file_name, `Zahlungsbestaetigung-${c.reference}.pdf`);
  const { bytes } = await readDocument(rt, doc.id);
  const { text: pdf, info } = await pdfTextAndInfo(bytes);
  for (const s of ['Zahlungsbestätigung', c.reference, '61,00 €', '46,00 €', '15,00 €', 'Direktversand per Post', payment.id]) assert.ok(pdf.includes(s), `the receipt says "${s}"`);
  assert.equal(info.Title, 'Zahlungsbestätigung');
  const parts = signatureParts(bytes);
  const verified = await opensslVerifyDetached(parts.cms, parts.signed);
  assert.ok(verified.ok, `the receipt is sealed: ${verified.output}`);

  const audit = await rt.db.selectFrom('audit_entries').select(['details', 'actor_type']).where('case_id', '=', c.caseId).where('action', '=', 'payment.paid').executeTakeFirstOrThrow();
  assert.deepEqual(audit.details, { paymentId: payment.id, amountCents: 6100, provider: 'dev', receiptDocumentId: row.receipt_document_id });
  assert.equal(audit.actor_type, 'system');

  // The citizen's view: paid, the receipt among their documents, no pay button any more.
  const overview = await paymentOverview({ db: rt.db, catalogue: new Catalogue([...serviceDefinitions, idCard], rt.catalogue.city), provider: undefined }, c.caseId);
  assert.equal(overview.settled, true);
  assert.equal(overview.canPay, false);
  const status = await citizen.get(`/status/${c.caseId}`);
  assert.ok(pageText(status.body).includes('Zahlungsbestaetigung'), 'the receipt is listed among the applicant documents');

  // The exact event again (same event id, correctly signed): 200, nothing changes.
  const event = await rt.db.selectFrom('payment_events').select(['provider_event_id']).where('payment_id', '=', payment.id).executeTakeFirstOrThrow();
  const replay: PaymentEvent = { eventId: event.provider_event_id, kind: 'payment.succeeded', providerPaymentId: row.provider_payment_id!, amountCents: 6100 };
  const raw = devWebhookBody(replay, new Date());
  const res = await postWebhook(raw, signDevWebhook(rt.config.paymentDevWebhookSecret!, raw, new Date()));
  assert.equal(res.status, 200, 'a replay is acknowledged');
  assert.deepEqual(JSON.parse(res.body), { received: true, duplicate: true });
  assert.deepEqual(await counts(c.caseId, payment.id), after, 'one receipt, one audit entry, one notification job, one event');

  // A late "failed" with a new event id cannot take the payment back.
  const late = devWebhookBody({ ...replay, eventId: 'evt_late_failure', kind: 'payment.failed' }, new Date());
  assert.equal((await postWebhook(late, signDevWebhook(rt.config.paymentDevWebhookSecret!, late, new Date()))).status, 200);
  const afterLate = await counts(c.caseId, payment.id);
  assert.equal(afterLate.status, 'paid', 'out of order: still paid');
  assert.equal(afterLate.receipts, 1);

  // Paid once: paying again is refused with a message.
  const twice = await citizen.post(`/status/${c.caseId}/pay`);
  assert.equal(twice.status, 409);
  assert.ok(pageText(twice.body).includes('bereits bezahlt'), 'the page says it is paid already');
});

test('a webhook with a bad or missing signature is refused with 401 and changes nothing', async () => {
  const c = await fileCase();
  const { payment } = await startOverHttp(await prover(c), c.caseId);
  const before = await counts(c.caseId, payment.id);
  const event: PaymentEvent = { eventId: 'evt_forged_1', kind: 'payment.succeeded', providerPaymentId: payment.provider_payment_id!, amountCents: payment.amount_cents };
  const raw = devWebhookBody(event, new Date());
  const attempts: Array<[string, string | undefined, string]> = [
    ['no signature', undefined, raw],
    ['another secret', signDevWebhook('x'.repeat(40), raw, new Date()), raw],
    ['signature of another body', signDevWebhook(rt.config.paymentDevWebhookSecret!, raw, new Date()), raw.replace(`"amountCents":${payment.amount_cents}`, '"amountCents":1')],
    ['re-serialised body', signDevWebhook(rt.config.paymentDevWebhookSecret!, raw, new Date()), JSON.stringify(JSON.parse(raw), null, 1)],
    ['an old signature', signDevWebhook(rt.config.paymentDevWebhookSecret!, raw, new Date(Date.now() - 3600_000)), raw],
    ['garbage header', 't=abc,v1=zz', raw],
  ];
  for (const [what, signature, body] of attempts) {
    const res = await postWebhook(body, signature);
    assert.equal(res.status, 401, `${what}: 401`);
    assert.ok(!res.body.includes(payment.id), `${what}: nothing of the payment in the answer`);
  }
  assert.deepEqual(await counts(c.caseId, payment.id), before, 'nothing changed');
  assert.equal(before.status, 'pending');
  const unknown = devWebhookBody({ ...event, providerPaymentId: 'devpay_unknownunknown' }, new Date());
  assert.equal((await postWebhook(unknown, signDevWebhook(rt.config.paymentDevWebhookSecret!, unknown, new Date()))).status, 404, 'a signed event for an unknown payment: 404');
  const unreadable = '{"id":"x"';
  assert.equal((await postWebhook(unreadable, signDevWebhook(rt.config.paymentDevWebhookSecret!, unreadable, new Date()))).status, 400, 'signed but not JSON: 400');
  const logs = logLines.join('');
  assert.ok(logs.includes('payment webhook rejected') && logs.includes('signature does not match'), 'rejections are logged with a reason');
  for (const secret of [NAME, c.accessCode, '"amountCents"', attempts[1]![1]!, rt.config.paymentDevWebhookSecret!]) assert.ok(!logs.includes(secret), `"${secret.slice(0, 20)}…" is not in the logs`);
});

test('cancelling on the hosted page cancels; paying again starts a fresh checkout', async () => {
  const c = await fileCase({ birthdate: '2005-06-01' });
  const citizen = await prover(c);
  const first = await startOverHttp(citizen, c.caseId);
  assert.equal(first.payment.amount_cents, 2760, 'under 24');
  await citizen.get(first.page);
  const cancelled = await citizen.post(first.page, { outcome: 'cancelled' });
  assert.equal(cancelled.location, `/status/${c.caseId}`);
  assert.equal((await counts(c.caseId, first.payment.id)).status, 'cancelled');
  assert.match(pageText((await citizen.get(first.page)).body), /Stand: abgebrochen/, 'the hosted page no longer offers to pay');
  const second = await startOverHttp(citizen, c.caseId);
  assert.notEqual(second.payment.id, first.payment.id, 'a new payment');
  await citizen.get(second.page);
  await citizen.post(second.page, { outcome: 'failed' });
  assert.equal((await counts(c.caseId, second.payment.id)).status, 'failed');
  const receipts = await rt.db.selectFrom('documents').select('id').where('case_id', '=', c.caseId).execute();
  assert.equal(receipts.length, 0, 'no receipt without a payment');
});

test('only the prover or the owner may start a payment', async () => {
  const ownerClient = new HttpClient(app);
  await signInCitizen(rt.db, ownerClient, 'owner@example.org');
  const owner = await rt.db.selectFrom('citizens').select('id').where('email', '=', 'owner@example.org').executeTakeFirstOrThrow();
  const c = await fileCase({}, owner.id);
  const other = new HttpClient(app);
  await signInCitizen(rt.db, other, 'other@example.org');
  for (const [who, client] of [
    ['another citizen', other],
    ['an anonymous visitor', new HttpClient(app)],
  ] as const) {
    await client.get('/status');
    const res = await client.post(`/status/${c.caseId}/pay`);
    assert.equal(res.status, 404, `${who}: 404`);
    assert.ok(!res.body.includes(c.reference), `${who}: nothing of the case`);
  }
  assert.equal((await rt.db.selectFrom('payments').select('id').where('case_id', '=', c.caseId).execute()).length, 0, 'no payment was started');
  const mine = await startOverHttp(ownerClient, c.caseId);
  assert.equal(mine.payment.amount_cents, 4600, 'the owner starts it without an access code');
});

test('refunds: partial, then the rest; over-refunds and missing reasons refused; other departments cannot refund', async () => {
  const c = await fileCase();
  const citizen = await prover(c);
  const { page, payment } = await startOverHttp(citizen, c.caseId);
  await citizen.get(page);
  await citizen.post(page, { outcome: 'paid' });
  assert.equal((await counts(c.caseId, payment.id)).status, 'paid');
  const url = `/staff/cases/${c.caseId}/payments/${payment.id}/refund`;

  const gewerbe = await signInStaff(app, 'gewerbe');
  await gewerbe.get('/staff');
  const foreign = await gewerbe.post(url, { refundAmount: '10', refundReason: 'Versuch' });
  assert.equal(foreign.status, 404, 'a clerk of another department: 404');
  assert.ok(!foreign.body.includes(c.reference), 'nothing of the case');
  const citizenTry = await citizen.post(url, { refundAmount: '10', refundReason: 'Versuch' });
  assert.equal(citizenTry.status, 303, 'a citizen is sent to the staff sign-in');
  assert.match(citizenTry.location ?? '', /\/staff\/sign-in$/);
  assert.equal((await rt.db.selectFrom('payment_refunds').select('id').where('payment_id', '=', payment.id).execute()).length, 0, 'no refund recorded');

  const clerk = await signInStaff(app, 'clerk');
  await clerk.get(`/staff/cases/${c.caseId}`);
  const partial = await clerk.post(url, { refundAmount: '10,00', refundReason: 'Direktversand nicht möglich' });
  assert.equal(partial.status, 303, `partial refund accepted (got ${partial.status} ${pageText(partial.body).slice(0, 300)})`);
  assert.equal(partial.location, `/staff/cases/${c.caseId}`);
  let row = await rt.db.selectFrom('payments').select(['status', 'refunded_cents']).where('id', '=', payment.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { status: 'partially_refunded', refunded_cents: 1000 });

  await clerk.get(`/staff/cases/${c.caseId}`);
  const over = await clerk.post(url, { refundAmount: '36,01', refundReason: 'Zu viel' });
  assert.equal(over.status, 422, 'more than is left is refused');
  assert.ok(pageText(over.body).includes('Höchstens 36,00 € können noch erstattet werden'), 'with a message saying how much is left');
  assert.ok(over.body.includes('value="36,01"'), 'the amount as typed');
  const noReason = await clerk.post(url, { refundAmount: '5', refundReason: ' ' });
  assert.equal(noReason.status, 422);
  assert.ok(pageText(noReason.body).includes('Bitte geben Sie einen Grund für die Erstattung an.'), 'a reason is required');
  const notAmount = await clerk.post(url, { refundAmount: 'zehn', refundReason: 'x' });
  assert.equal(notAmount.status, 422);

  const rest = await clerk.post(url, { refundAmount: '36', refundReason: 'Antrag zurückgenommen' });
  assert.equal(rest.status, 303);
  row = await rt.db.selectFrom('payments').select(['status', 'refunded_cents']).where('id', '=', payment.id).executeTakeFirstOrThrow();
  assert.deepEqual(row, { status: 'refunded', refunded_cents: 4600 });
  await clerk.get(`/staff/cases/${c.caseId}`);
  const more = await clerk.post(url, { refundAmount: '1', refundReason: 'Noch mehr' });
  assert.equal(more.status, 409, 'a fully refunded payment cannot be refunded again');

  const refunds = await rt.db.selectFrom('payment_refunds').select(['amount_cents', 'status', 'provider_refund_id']).where('payment_id', '=', payment.id).orderBy('created_at').execute();
  assert.deepEqual(refunds.map((r) => [r.amount_cents, r.status]), [[1000, 'succeeded'], [3600, 'succeeded']]);
  assert.ok(refunds.every((r) => r.provider_refund_id?.startsWith('devref_')), 'the provider refund ids are recorded');
  const audits = await rt.db.selectFrom('audit_entries').select(['action', 'details']).where('case_id', '=', c.caseId).where('action', 'like', 'payment.refund%').orderBy('at').execute();
  assert.deepEqual(audits.map((a) => a.action), ['payment.refund_requested', 'payment.refunded', 'payment.refund_requested', 'payment.refunded']);
  assert.ok(audits.every((a) => !JSON.stringify(a.details).includes('Antrag')), 'no reason text in the audit log');
  // Each refund is its own notification (ref = refund id).
  assert.equal(await notifyJobs({ caseId: c.caseId }), 3, 'paid + two refunds');
});

test('the same event delivered several times at once is applied exactly once', async () => {
  const c = await fileCase();
  const { payment } = await startOverHttp(await prover(c), c.caseId);
  const event: PaymentEvent = { eventId: 'evt_parallel_1', kind: 'payment.succeeded', providerPaymentId: payment.provider_payment_id!, amountCents: payment.amount_cents };
  const raw = devWebhookBody(event, new Date());
  const signature = signDevWebhook(rt.config.paymentDevWebhookSecret!, raw, new Date());
  const answers = await Promise.all(Array.from({ length: 5 }, () => postWebhook(raw, signature)));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200], 'every delivery is acknowledged');
  assert.equal(answers.filter((a) => JSON.parse(a.body).duplicate === false).length, 1, 'exactly one applied it');
  assert.deepEqual(await counts(c.caseId, payment.id), { events: 1, receipts: 1, paidAudits: 1, notifications: 1, status: 'paid' });
});

test('a checkout paid after it was given up still counts; the newer open checkout is cancelled', async () => {
  const c = await fileCase();
  const citizen = await prover(c);
  const first = await startOverHttp(citizen, c.caseId);
  await citizen.get(first.page);
  await citizen.post(first.page, { outcome: 'cancelled' });
  const second = await startOverHttp(citizen, c.caseId);
  const late: PaymentEvent = { eventId: 'evt_late_success', kind: 'payment.succeeded', providerPaymentId: first.payment.provider_payment_id!, amountCents: first.payment.amount_cents };
  const raw = devWebhookBody(late, new Date());
  assert.equal((await postWebhook(raw, signDevWebhook(rt.config.paymentDevWebhookSecret!, raw, new Date()))).status, 200);
  assert.equal((await counts(c.caseId, first.payment.id)).status, 'paid', 'the money that arrived counts');
  assert.equal((await counts(c.caseId, second.payment.id)).status, 'cancelled', 'the open checkout is given up');
  await citizen.get(second.page);
  await citizen.post(second.page, { outcome: 'paid' });
  assert.equal((await counts(c.caseId, second.payment.id)).status, 'cancelled', 'its hosted page no longer takes money');
});
