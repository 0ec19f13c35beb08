import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { validateXML } from 'xmllint-wasm';
import { buildApp } from '../app.ts';
import type { FormData, ServiceDefinition } from '../catalogue/service-definition.ts';
import { EIDAS_ACR } from '../config.ts';
import { startDevIdp, type DevIdp } from '../devidp/dev-idp.tsx';
import { TEST_PERSONS } from '../devidp/test-persons.ts';
import { gewerbeabmeldung } from '../services/gewerbeabmeldung/definition.ts';
import { gewerbeanmeldung } from '../services/gewerbeanmeldung/definition.ts';
import { gewerbeummeldung } from '../services/gewerbeummeldung/definition.ts';
import { HttpClient, pageText, testIdText } from '../test-support/http-client.ts';
import { IdpBrowser, passCitizenIdp } from '../test-support/idp-browser.ts';
import { pdfTextAndInfo } from '../test-support/pdf-inspect.ts';
import { testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';
import { waitFor } from '../test-support/wait-for.ts';
import { validTradeChange, validTradeEnd, validTradeRegistration } from './trade-fixtures.ts';

/**
 * Trade notices end to end over real HTTP with the real job queue: a citizen proves their
 * identity at the bundled provider (ELSTER-like, level substantial), files the notice page by
 * page, and the jobs decide, issue the sealed receipt and POST the XGewerbeanzeige messages to a
 * real HTTP server on a random port. The default Halle configuration is used as shipped: its
 * recipients' endpoints are paths, resolved against PUBLIC_URL, which points at that server.
 */
const ERIKA = TEST_PERSONS[0]!;

interface Received {
  readonly path: string;
  readonly body: string;
  readonly contentType: string;
}
const received: Received[] = [];
/** Path → how many requests to answer with 500 before accepting. */
const failures = new Map<string, number>();

let receiver: Server;
let idp: DevIdp;
let runtime: TestRuntime;
let app: FastifyInstance;
let citizen: HttpClient;
let publicUrl: string;

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const left = failures.get(path) ?? 0;
      if (left > 0) {
        failures.set(path, left - 1);
        res.writeHead(500).end('down');
        return;
      }
      received.push({ path, body: Buffer.concat(chunks).toString('utf8'), contentType: String(req.headers['content-type'] ?? '') });
      res.writeHead(202).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  publicUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const client = { clientId: 'amtsweg-trade-test', clientSecret: 'trade-test-client-secret-0123456789', redirectUris: [`${publicUrl}/identity/callback`] };
  idp = await startDevIdp({ port: 0, citizenClients: [client] });
  runtime = await testRuntime({
    config: { publicUrl, identityProviders: [{ id: 'dev', name: { de: 'Test-Anbieter', en: 'Test provider' }, issuer: idp.citizenIssuer, clientId: client.clientId, clientSecret: client.clientSecret, acr: EIDAS_ACR }] },
  });
  app = await buildApp(runtime);
  await app.ready();
  // The worker side of the process: the jobs run as in production (role all).
  await runtime.jobs.work();
  citizen = await verifiedCitizen();
});
after(async () => {
  await app?.close();
  await runtime?.close();
  await idp?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

/** A browser session with Erika's identity proven through the ELSTER-like method (level substantial). */
async function verifiedCitizen(): Promise<HttpClient> {
  const client = new HttpClient(app);
  const formPath = '/services/gewerbeanmeldung/form/betrieb';
  const gate = await client.get(formPath);
  assert.equal(gate.status, 403, 'the form asks for a proof of identity first');
  const start = await client.post('/identity/start', { provider: 'dev', level: 'substantial', return: formPath });
  assert.equal(start.status, 303, `start redirects to the provider (${start.body.slice(0, 200)})`);
  const { callbackUrl } = await passCitizenIdp(new IdpBrowser(), start.location!, `${publicUrl}/identity/callback`, { person: ERIKA.sub, method: 'elster', consent: 'allow' });
  const u = new URL(callbackUrl);
  const back = await client.get(`${u.pathname}${u.search}`);
  assert.equal(back.location, formPath, `back at the form after the proof (${back.status})`);
  return client;
}

/** Files the service's form page by page, as a browser without JavaScript; returns the new case. */
async function file(def: ServiceDefinition, data: FormData): Promise<{ id: string; reference: string }> {
  for (const page of def.pages) {
    const form = await citizen.get(`/services/${def.id}/form/${page.id}`);
    assert.equal(form.status, 200, `GET ${def.id}/${page.id}`);
    const values = Object.fromEntries(page.fields.filter((f) => data[f.id] !== undefined).map((f) => [f.id, data[f.id]!]));
    const res = await citizen.post(`/services/${def.id}/form/${page.id}`, values);
    assert.equal(res.status, 303, `page ${def.id}/${page.id} accepted (${res.status}: ${testIdText(res.body, 'error-summary') ?? pageText(res.body).slice(0, 400)})`);
  }
  const check = await citizen.get(`/services/${def.id}/check`);
  assert.equal(check.status, 200, 'check page');
  const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)?.[1];
  assert.ok(formToken, 'check page carries the form token');
  const sent = await citizen.post(`/services/${def.id}/submit`, { formToken });
  assert.equal(sent.status, 303, `submitted (${pageText(sent.body).slice(0, 300)})`);
  const confirmation = await citizen.get(sent.location!);
  const reference = testIdText(confirmation.body, 'reference');
  assert.ok(reference, 'the confirmation shows the reference');
  const row = await runtime.db.selectFrom('cases').select(['id', 'form_data']).where('reference', '=', reference).executeTakeFirstOrThrow();
  assert.equal((row.form_data as FormData).familyName, 'Mustermann', 'the name came from the verified identity');
  return { id: row.id, reference };
}

/** The text of a table row with the given test id. */
const rowText = (html: string, id: string) => pageText(new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '');

const caseState = async (id: string) => (await runtime.db.selectFrom('cases').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
const deliveries = (caseId: string) => runtime.db.selectFrom('trade_message_deliveries').selectAll().where('case_id', '=', caseId).orderBy('recipient_id').execute();
const issued = (caseId: string) => runtime.db.selectFrom('issued_documents').select(['template_id', 'document_id']).where('case_id', '=', caseId).execute();

/** The automatic decision job for the case has finished (whatever it decided). */
async function decided(caseId: string): Promise<void> {
  await waitFor(async () => {
    const r = await sql<{ n: string }>`select count(*)::text as n from pgboss.job where name = 'case.decide-automatically' and state = 'completed' and data->>'caseId' = ${caseId}`.execute(runtime.db);
    return Number(r.rows[0]?.n ?? 0) > 0 ? true : undefined;
  }, 'the automatic decision job');
}

async function allDelivered(caseId: string, count: number) {
  return waitFor(async () => {
    const rows = await deliveries(caseId);
    return rows.length === count && rows.every((r) => r.status === 'delivered') ? rows : undefined;
  }, `${count} delivered messages`);
}

describe('trade notices over HTTP with the job queue', () => {
  test('a permit-free Gewerbeanmeldung is accepted automatically: receipt PDF on the status page, one message per recipient delivered', async () => {
    const started = Date.now();
    const { id, reference } = await file(gewerbeanmeldung, validTradeRegistration());
    await waitFor(async () => ((await caseState(id)) === 'accepted' && (await issued(id)).length === 1 ? true : undefined), 'automatic acceptance and the receipt');
    assert.ok(Date.now() - started < 60_000, 'accepted with its receipt within a minute');
    const event = await runtime.db.selectFrom('case_events').select(['actor_type', 'transition_id']).where('case_id', '=', id).where('kind', '=', 'transition').executeTakeFirstOrThrow();
    assert.deepEqual(event, { actor_type: 'system', transition_id: 'accept_automatically' }, 'the system took the decision');
    assert.equal((await issued(id))[0]!.template_id, 'empfangsbestaetigung-automatisch');

    const status = await citizen.get(`/status/${id}`);
    assert.equal(status.status, 200, 'the owner sees the status page');
    assert.equal(testIdText(status.body, 'state-label'), 'Eingang bestätigt');
    const link = /href="(\/status\/[^"]+\/documents\/[^"]+)"[^>]*download>\s*([^<]+)</.exec(status.body);
    assert.ok(link, 'the receipt is listed among the documents');
    const pdf = await citizen.get(link[1]!);
    assert.equal(pdf.status, 200, 'the receipt downloads');
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const { text } = await pdfTextAndInfo(new Uint8Array(pdf.raw.rawPayload));
    assert.match(text.replace(/\s+/g, ' '), /Empfangsbestätigung nach § 15 Abs\. 1 GewO/, 'the receipt names § 15(1) GewO');
    assert.match(text, new RegExp(reference), 'the receipt carries the reference');

    const rows = await allDelivered(id, 4);
    assert.deepEqual(rows.map((r) => r.message_type), ['bg.gewerbemeldung.0600', 'fa.gewerbemeldung.0200', 'ihk.gewerbemeldung.0300', 'sta.gewerbemeldung.0100']);
    for (const r of rows) {
      const got = received.filter((x) => x.path === `/api/dev/xgewerbeanzeige/${r.recipient_id}` && x.body.includes(r.message_uuid));
      assert.equal(got.length, 1, `${r.recipient_id}: the receiver got its message once`);
      assert.match(got[0]!.contentType, /^application\/xml/);
      assert.match(got[0]!.body, new RegExp(`<xga:${r.message_type.replace(/\./g, '\\.')} xmlns:xga="http://www\\.xgewerbeanzeige\\.de/spezifikation/2\\.2"`), `${r.recipient_id}: root and namespace`);
      const lint = await validateXML({ xml: { fileName: 'm.xml', contents: got[0]!.body }, normalization: 'c14n' });
      assert.ok(lint.valid, `${r.recipient_id}: well-formed`);
      assert.ok(r.sha256 && r.delivered_at && r.attempts === 1, `${r.recipient_id}: delivered once, fingerprint recorded`);
    }
    assert.equal(new Set(rows.map((r) => r.record_uuid)).size, 1, 'one record uuid across the recipients of one notice');
    const audit = await runtime.db.selectFrom('audit_pending').select('details').where('action', '=', 'trade.message_delivered').where('case_id', '=', id).execute();
    assert.equal(audit.length, 4, 'each delivery is in the audit trail');
    assert.doesNotMatch(JSON.stringify(audit), /Mustermann|Erika/, 'no personal data in the audit entries');
  });

  test('a § 34a security trade and an HwO Annex A craft are not accepted automatically; a clerk accepts, a failing recipient is retried from the case file', async () => {
    const security = await file(gewerbeanmeldung, validTradeRegistration(new Date(), { activityCategory: 'bewachung', activityDescription: 'Bewachung von Baustellen', wzKey: '', permitStatus: 'yes' }));
    const craft = await file(gewerbeanmeldung, validTradeRegistration(new Date(), { activityCategory: 'handwerk', activityDescription: 'Elektroinstallation', wzKey: '43210', businessType: ['handwerk'], craftAnnex: 'a', permitStatus: 'applied' }));
    for (const c of [security, craft]) {
      await decided(c.id);
      assert.equal(await caseState(c.id), 'received', 'left to a clerk');
      assert.equal((await issued(c.id)).length, 0, 'no receipt yet');
      assert.equal((await deliveries(c.id)).length, 0, 'no messages yet');
    }

    const clerk = await signInStaff(app, 'gewerbe');
    const inbox = await clerk.get('/staff?service=gewerbeanmeldung');
    assert.match(pageText(inbox.body), /Bewachung, Sicherheitsdienst, Erlaubnis oder Handwerkskarte prüfen/, 'the inbox says why the clerk must look');

    failures.set('/api/dev/xgewerbeanzeige/hwk', 1);
    const file1 = await clerk.get(`/staff/cases/${craft.id}`);
    const version = /name="version" value="(\d+)"/.exec(file1.body)?.[1];
    assert.ok(version, 'the case file carries the version');
    const accepted = await clerk.post(`/staff/cases/${craft.id}/transitions/accept`, { version, 'accept-note': 'Handwerkskarte bitte nachreichen.' });
    assert.equal(accepted.status, 303, `the clerk accepts (${pageText(accepted.body).slice(0, 300)})`);
    assert.equal(await caseState(craft.id), 'accepted');
    await waitFor(async () => ((await issued(craft.id)).some((d) => d.template_id === 'empfangsbestaetigung') ? true : undefined), 'the receipt of the clerk');

    const failed = await waitFor(async () => {
      const rows = await deliveries(craft.id);
      return rows.length === 4 && rows.filter((r) => r.status === 'delivered').length === 3 && rows.find((r) => r.recipient_id === 'hwk')?.status === 'failed' ? rows : undefined;
    }, 'three delivered, the chamber of crafts failed');
    const hwk = failed.find((r) => r.recipient_id === 'hwk')!;
    assert.deepEqual([hwk.attempts, hwk.last_error], [1, 'HTTP 500']);
    assert.ok(!failed.some((r) => r.recipient_id === 'ihk'), 'a pure craft goes to the chamber of crafts, not the chamber of commerce');

    const panel = await clerk.get(`/staff/cases/${craft.id}`);
    assert.match(rowText(panel.body, 'delivery-hwk'), /fehlgeschlagen 1 HTTP 500 Erneut senden/, 'the case file shows the failure and offers to send again');
    assert.match(rowText(panel.body, 'delivery-sta'), /Statistisches Landesamt Sachsen-Anhalt sta\.gewerbemeldung\.0100 zugestellt \(/);
    const retried = await clerk.post(`/staff/cases/${craft.id}/trade-deliveries/${hwk.id}/retry`);
    assert.equal(retried.status, 303, 'the retry is accepted');
    const done = await waitFor(async () => {
      const row = (await deliveries(craft.id)).find((r) => r.recipient_id === 'hwk');
      return row?.status === 'delivered' ? row : undefined;
    }, 'the retried delivery');
    assert.equal(done.attempts, 2, 'delivered on the second attempt');
    assert.equal(received.filter((r) => r.body.includes(hwk.message_uuid)).length, 1, 'the receiver got the message with the same uuid');
    const audit = await runtime.db.selectFrom('audit_pending').select(['actor_type', 'details']).where('action', '=', 'trade.message_retry').where('case_id', '=', craft.id).execute();
    assert.equal(audit.length, 1, 'the retry is audited');
    assert.equal(audit[0]!.actor_type, 'staff');
    const again = await clerk.post(`/staff/cases/${craft.id}/trade-deliveries/${hwk.id}/retry`);
    assert.equal(again.status, 303, 'a delivered message is not sent again (the flash says so)');
    assert.match(pageText((await clerk.follow(again)).body), /bereits zugestellt/);

    const noToken = await clerk.post(`/staff/cases/${craft.id}/trade-deliveries/${hwk.id}/retry`, {}, { csrf: false });
    assert.equal(noToken.status, 403, 'no retry without the CSRF token');
  });

  test('an Ummeldung (move) and an Abmeldung are accepted automatically and delivered', async () => {
    const change = await file(gewerbeummeldung, validTradeChange());
    const end = await file(gewerbeabmeldung, validTradeEnd(new Date(), { activityCategory: 'bewachung', wzKey: '80100' }));
    for (const c of [change, end]) await waitFor(async () => ((await caseState(c.id)) === 'accepted' && (await issued(c.id)).length === 1 ? true : undefined), 'automatic acceptance');
    const moved = await allDelivered(change.id, 4);
    const sta = received.find((r) => r.body.includes(moved.find((m) => m.recipient_id === 'sta')!.message_uuid))!;
    assert.match(sta.body, /<xga:ummeldung>/);
    assert.match(sta.body, /<xga:strasse>Leipziger Straße<\/xga:strasse>/, 'the new address');
    const ended = await allDelivered(end.id, 4);
    const endSta = received.find((r) => r.body.includes(ended.find((m) => m.recipient_id === 'sta')!.message_uuid))!;
    assert.match(endSta.body, /<xga:abmeldung>[\s\S]*<xga:grundAbmeldungSchluessel>/);
  });

  test('the bundled development receiver takes an XGewerbeanzeige message and lists it without content', async () => {
    const sample = received.find((r) => r.path.endsWith('/sta'))!.body;
    const visitor = new HttpClient(app);
    const refused = await visitor.request('POST', '/api/dev/xgewerbeanzeige/sta', { payload: '<x/>', headers: { 'content-type': 'application/xml' } });
    assert.equal(refused.status, 400, 'not a message');
    const took = await visitor.request('POST', '/api/dev/xgewerbeanzeige/sta', { payload: sample, headers: { 'content-type': 'application/xml; charset=utf-8' } });
    assert.equal(took.status, 202, 'a message is taken without a CSRF token, as from another system');
    const list = await visitor.get('/dev/xgewerbeanzeige');
    const uuid = /nachrichtenUUID>([0-9a-f-]{36})</.exec(sample)![1]!;
    assert.match(pageText(list.body), new RegExp(`sta sta\\.gewerbemeldung\\.0100 ${uuid}`));
    assert.doesNotMatch(list.body, /Mustermann/, 'no content of the message is shown');
  });
});
