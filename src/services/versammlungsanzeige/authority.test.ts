import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { externalAuthorityProblems, loadCity } from '../../catalogue/city.ts';
import { submitCase } from '../../cases/submit-case.ts';
import { transitionCase } from '../../cases/transition-case.ts';
import { HttpClient, pageText, testIdText } from '../../test-support/http-client.ts';
import { staffActor, testApp, validAssembly, type TestRuntime } from '../../test-support/runtime.ts';
import { signInStaff } from '../../test-support/staff-sign-in.ts';
import { waitFor } from '../../test-support/wait-for.ts';
import { AuthoritySettingsError, callbackToken, encodeMessage, externalAuthorityFor, signatureProblem, signBody, SIGNATURE_HEADER } from './authority.ts';
import { cityWithTestAuthority, FakeAuthority, TEST_AUTHORITY_ID, TEST_AUTHORITY_SECRET_ENV, useTestAuthoritySecret } from './authority-test-support.ts';

/**
 * The external receiving authority (ADR 0023) against real parts: a real HTTP server on a random
 * port plays the police, the app's job queue delivers to it, and the police answer through the
 * app's HTTP API with signed requests; the citizen reads the result on the status page.
 */
const secret = useTestAuthoritySecret();
const AUTHORITY = TEST_AUTHORITY_ID;
const SECRET_ENV = TEST_AUTHORITY_SECRET_ENV;
const cityWithAuthority = cityWithTestAuthority;

test('the city configuration of an external authority is checked, and its secret must be set', () => {
  assert.deepEqual(
    externalAuthorityProblems({ id: 'Polizei!', name: { de: 'x' }, endpoint: 'ftp://x', secretEnv: 'lower', format: 'csv', retryLimit: -1 }).length,
    6,
    'id, name, endpoint, secretEnv, format and retryLimit are each refused',
  );
  assert.match(externalAuthorityProblems({ id: 'p', name: { de: 'P', en: 'P' }, endpoint: 'https://u:pw@example.org/', secretEnv: 'S' })[0] ?? '', /credentials/, 'no secret in the URL');
  const city = cityWithAuthority(9);
  assert.throws(() => externalAuthorityFor(city, 'versammlungsanzeige', {}, false), AuthoritySettingsError, 'a missing secret stops the start');
  assert.throws(() => externalAuthorityFor(city, 'versammlungsanzeige', { [SECRET_ENV]: 'short' }, false), AuthoritySettingsError, 'a short secret stops the start');
  assert.throws(() => externalAuthorityFor(city, 'versammlungsanzeige', { [SECRET_ENV]: secret }, true), /https in production/, 'plain http is refused in production');
  assert.equal(externalAuthorityFor(loadCity('halle'), 'versammlungsanzeige', {}, true), undefined, "Halle's demo keeps its own department");
});

test('the XML form of a message escapes what the citizen typed', () => {
  const [type, body] = encodeMessage(
    { messageId: 'm', type: 'notice', reference: 'HAL-2026-000001-0', submittedAt: 'now', service: { id: 's', version: 3, leikaKey: '99106001000000', title: 'T' }, municipalityKey: '15002000', callback: { url: 'u', token: 't' }, data: { subject: '<b>Rad & Fuß</b>', aids: ['banners', 'stage'] } },
    'xml',
  );
  assert.equal(type, 'application/xml', 'XML content type');
  assert.match(body, /<subject>&lt;b&gt;Rad &amp; Fuß&lt;\/b&gt;<\/subject>/, 'text is escaped');
  assert.match(body, /<aids><value>banners<\/value><value>stage<\/value><\/aids>/, 'a multiple choice lists its values');
});

describe('forwarding to an external authority and its answers', () => {
  const police = new FakeAuthority();
  let app: FastifyInstance;
  let runtime: TestRuntime;
  let close: () => Promise<void>;

  before(async () => {
    await police.start();
    ({ app, runtime, close } = await testApp({ city: cityWithAuthority(police.port) }));
    await runtime.jobs.work();
  });
  after(async () => {
    await close();
    await police.close();
  });

  const submit = async (overrides: Record<string, string | string[]> = {}) =>
    submitCase(runtime, { serviceId: 'versammlungsanzeige', data: validAssembly(new Date(), overrides), idempotencyScope: 'api', idempotencyKey: randomUUID() });
  const stateOf = async (caseId: string) => (await runtime.db.selectFrom('cases').select('state').where('id', '=', caseId).executeTakeFirstOrThrow()).state;
  const deliveries = (caseId: string) => runtime.db.selectFrom('authority_deliveries').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
  const forwarded = async (caseId: string) => waitFor(async () => ((await stateOf(caseId)) === 'forwarded' ? true : undefined), 'the case to be forwarded');

  /** The police's answer, signed as the police's system would sign it. */
  const answer = (body: Record<string, unknown>, options: { key?: string; at?: Date } = {}) => {
    const raw = JSON.stringify({ authority: AUTHORITY, answerId: randomUUID(), ...body });
    return new HttpClient(app).request('POST', '/api/v1/authority/answers', {
      payload: raw,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(options.key ?? secret, raw, options.at ?? new Date()) },
    });
  };
  const tokenFor = (caseId: string) => callbackToken({ id: AUTHORITY, secret }, caseId);

  test('a notice is forwarded over HTTP, signed, with the form data, reference and callback token; staff see the delivery', async () => {
    const { caseId, reference } = await submit({ subject: 'Für sichere Radwege' });
    await forwarded(caseId);
    const [message, ...more] = police.messagesFor(reference);
    assert.ok(message, 'the police received the notice');
    assert.equal(more.length, 0, 'exactly once');
    assert.equal(signatureProblem(secret, Buffer.from(message.body), message.headers[SIGNATURE_HEADER], new Date()), undefined, 'signed with the shared secret');
    assert.match(String(message.headers['content-type']), /^application\/json/, 'JSON');
    assert.equal(message.json.type, 'notice', 'a notice');
    assert.equal(message.json.data.subject, 'Für sichere Radwege', 'with the form data');
    assert.equal(message.json.data.sitePlan, undefined, 'without file references');
    assert.equal(message.json.municipalityKey, '15002000', 'from Halle');
    assert.match(message.json.callback.url, /\/api\/v1\/authority\/answers$/, 'the answer API');
    assert.equal(message.json.callback.token, tokenFor(caseId), 'the callback token of the case');
    assert.doesNotMatch(message.json.callback.url, new RegExp(`${reference}|${caseId}`), 'no case in the URL');

    const [row] = await deliveries(caseId);
    assert.equal(row?.status, 'delivered', 'the delivery is recorded');
    assert.equal(row?.attempts, 1, 'at the first attempt');
    const audit = await runtime.db.selectFrom('audit_pending').select('action').where('case_id', '=', caseId).execute();
    assert.ok(audit.some((a) => a.action === 'case.forwarded_to_authority'), 'the transfer is audited');

    const clerk = await signInStaff(app, 'clerk');
    const file = await clerk.get(`/staff/cases/${caseId}`);
    assert.equal(file.status, 200, 'the case file opens');
    const panel = /<section[^>]*data-testid="authority-deliveries"[\s\S]*?<\/section>/.exec(file.body)?.[0] ?? '';
    assert.match(pageText(panel), /Polizeiinspektion Halle/, 'the case file names the authority');
    assert.match(panel, /data-testid="delivery-delivered"/, 'and shows the delivery as delivered');
    assert.doesNotMatch(file.body, /action="\/staff\/cases\/[^"]+\/transitions\//, 'the clerk has no decision to take: the authority decides');
  });

  test('a failing authority: the delivery is retried until it arrives', async () => {
    police.failuresLeft = 2;
    const { caseId, reference } = await submit();
    await forwarded(caseId);
    const messages = police.messagesFor(reference);
    assert.equal(messages.length, 3, 'two refused attempts, then the delivery');
    assert.equal(new Set(messages.map((m) => m.json.messageId)).size, 1, 'every attempt carries the same message id');
    const [row] = await deliveries(caseId);
    assert.equal(row?.status, 'delivered', 'delivered in the end');
    assert.equal(row?.attempts, 3, 'at the third attempt');
    assert.equal(row?.last_error, null, 'the error of the failed attempts is cleared');
  });

  test('while the authority is unreachable the department can take the case over; the pending notice is then not sent', async () => {
    police.failuresLeft = 1000;
    try {
      const { caseId, reference } = await submit();
      await waitFor(async () => ((await deliveries(caseId))[0]?.status === 'retrying' ? true : undefined), 'a failed first attempt');
      const [refused] = await deliveries(caseId);
      assert.equal(refused?.last_error, 'HTTP 503', 'the error is recorded, without the body');
      await transitionCase(runtime, { caseId, transitionId: 'start_review', expectedVersion: undefined, actor: await staffActor(runtime.db, 'clerk'), input: {} });
      await waitFor(async () => ((await deliveries(caseId))[0]?.status === 'cancelled' ? true : undefined), 'the notice to be cancelled');
      const tries = police.messagesFor(reference).length;
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(police.messagesFor(reference).length, tries, 'no further attempt');
      assert.equal(await stateOf(caseId), 'in_review', 'the department reviews it');
    } finally {
      police.failuresLeft = 0;
    }
  });

  test('answers with a missing or wrong signature, or from an unknown authority, are refused', async () => {
    const { caseId, reference } = await submit();
    await forwarded(caseId);
    const body = { reference, callbackToken: tokenFor(caseId), answer: 'received' };
    const unsigned = await new HttpClient(app).sendJson('POST', '/api/v1/authority/answers', { authority: AUTHORITY, answerId: 'x1', ...body });
    assert.equal(unsigned.status, 401, 'no signature');
    assert.equal((await answer(body, { key: randomBytes(32).toString('base64url') })).status, 401, 'signed with another key');
    assert.equal((await answer(body, { at: new Date(Date.now() - 3_600_000) })).status, 401, 'an old signature (replay)');
    assert.equal((await answer({ ...body, authority: 'someone-else' })).status, 401, 'an unknown authority');
    assert.equal(await stateOf(caseId), 'forwarded', 'nothing moved');
  });

  test('an answer for an unknown case or with a wrong token is 404', async () => {
    const { caseId, reference } = await submit();
    await forwarded(caseId);
    const unknown = await answer({ reference: 'HAL-2026-999999-0', callbackToken: tokenFor(caseId), answer: 'received' });
    assert.equal(unknown.status, 404, 'unknown reference');
    assert.match(String(unknown.headers['content-type']), /problem\+json/, 'as problem+json');
    assert.equal((await answer({ reference, callbackToken: tokenFor(randomUUID()), answer: 'received' })).status, 404, 'wrong token: the same answer');
    assert.equal((await answer({ reference, callbackToken: tokenFor(caseId), answer: 'approved' })).status, 400, 'an unknown answer is unreadable');
    await runtime.db.updateTable('authority_deliveries').set({ status: 'cancelled' }).where('case_id', '=', caseId).execute();
    assert.equal((await answer({ reference, callbackToken: tokenFor(caseId), answer: 'received' })).status, 404, 'a case whose notice was never sent');
  });

  test("the authority's answers move the case through the engine and the citizen sees them", async () => {
    const { caseId, reference, accessCode } = await submit();
    await forwarded(caseId);
    const token = tokenFor(caseId);

    const received = await answer({ answerId: 'PI-1', reference, callbackToken: token, answer: 'received' });
    assert.equal(received.status, 200, 'the answer is taken');
    assert.deepEqual(received.json(), { state: 'authority_review', duplicate: false }, 'the case is under review by the authority');
    const again = await answer({ answerId: 'PI-1', reference, callbackToken: token, answer: 'received' });
    assert.deepEqual(again.json(), { state: 'authority_review', duplicate: true }, 'the same answer again changes nothing');

    const incomplete = await answer({ answerId: 'PI-2', reference, callbackToken: token, answer: 'restricted', text: 'Keine Lautsprecher nach 20 Uhr.' });
    assert.equal(incomplete.status, 422, 'restrictions need a reason');
    const restricted = await answer({ answerId: 'PI-2', reference, callbackToken: token, answer: 'restricted', text: 'Keine Lautsprecher nach 20 Uhr.', reason: 'Nachtruhe der Anwohnenden.' });
    assert.deepEqual(restricted.json(), { state: 'restricted', duplicate: false }, 'the refused answer id can be sent again, complete');
    const late = await answer({ answerId: 'PI-3', reference, callbackToken: token, answer: 'confirmed' });
    assert.equal(late.status, 409, 'a final state takes no further answer');

    const events = await runtime.db.selectFrom('case_events').select(['transition_id', 'actor_type']).where('case_id', '=', caseId).where('kind', '=', 'transition').orderBy('id').execute();
    assert.deepEqual(events.map((e) => `${e.transition_id}/${e.actor_type}`), ['forward/system', 'authority_receive/system', 'authority_restrict/system'], 'each answer is a system transition in the timeline');
    const audit = await runtime.db.selectFrom('audit_pending').select('action').where('case_id', '=', caseId).execute();
    assert.ok(audit.some((a) => a.action === 'case.transition.authority_restrict'), 'audited by the engine');
    const notice = await waitFor(
      async () => (await runtime.db.selectFrom('issued_documents').select('template_id').where('case_id', '=', caseId).where('template_id', '=', 'mitteilung-beschraenkungen').executeTakeFirst()) ?? undefined,
      'the sealed notice of the restrictions',
    );
    assert.equal(notice.template_id, 'mitteilung-beschraenkungen', 'a sealed notice is issued');

    const citizen = new HttpClient(app);
    await citizen.get('/status');
    const status = await citizen.follow(await citizen.post('/status', { reference, accessCode }));
    assert.equal(status.status, 200, 'the status page opens');
    assert.equal(testIdText(status.body, 'state-label'), 'Mit Beschränkungen bestätigt', 'the citizen sees the outcome');
    const text = pageText(status.body);
    assert.match(text, /Polizeiinspektion Halle/, 'and which authority handles it');
    assert.match(text, /Keine Lautsprecher nach 20 Uhr\./, 'the restrictions');
    assert.match(text, /Nachtruhe der Anwohnenden\./, 'and the reason');
  });

  test("the citizen's withdrawal is forwarded to the authority that has the notice", async () => {
    const { caseId, reference } = await submit();
    await forwarded(caseId);
    await transitionCase(runtime, { caseId, transitionId: 'withdraw', expectedVersion: undefined, actor: { type: 'applicant', caseId }, input: {} });
    const withdrawal = await waitFor(async () => police.messagesFor(reference).find((m) => m.json.type === 'withdrawal'), 'the withdrawal at the police');
    assert.equal(withdrawal.json.data, undefined, 'a withdrawal carries no form data');
    // The job records the delivery after the police answered, so the record may lag the message.
    const rows = await waitFor(async () => {
      const found = await deliveries(caseId);
      return found.every((r) => r.status !== 'pending') ? found : undefined;
    }, 'the withdrawal delivery to be recorded');
    assert.deepEqual(rows.map((r) => `${r.message_kind}:${r.status}`), ['notice:delivered', 'withdrawal:delivered'], 'both deliveries are recorded');
  });
});
