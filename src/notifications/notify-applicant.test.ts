import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { submitCase } from '../cases/submit-case.ts';
import { transitionCase } from '../cases/transition-case.ts';
import { browserKeys, startPushService, type PushService } from '../test-support/push-service.ts';
import { staffActor, testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../test-support/smtp-catcher.ts';
import { savePreferences } from './notification-settings.ts';
import { addressHash, notifyApplicantJob, parseNotification } from './notify-applicant.job.ts';
import { NOTIFY_JOB, type NotificationRequest } from './notify.ts';
import { WebPushSender } from './web-push-sender.ts';

/**
 * The job `notify.applicant` against real components: mail goes over SMTP to a local smtp-server,
 * pushes go over HTTPS to a local stand-in for a push service and are decrypted with the keys a
 * browser would hold. Status changes are made by the real transition, which enqueues the job.
 */
const ece = createRequire(import.meta.url)('http_ece') as { decrypt(body: Buffer, params: { version: string; privateKey: unknown; authSecret: Buffer }): Buffer };

const PUBLIC_URL = 'https://amtsweg.example';
const NAME = 'Hanna Geheimnis';
const STREET = 'Verborgene Gasse 7';

let rt: TestRuntime;
let smtp: SmtpCatcher;
let pushService: PushService;
let sender: WebPushSender;
let clerk: Awaited<ReturnType<typeof staffActor>>;
let n = 0;

before(async () => {
  smtp = await startSmtpCatcher();
  pushService = await startPushService();
  rt = await testRuntime({ config: { smtpUrl: smtp.url, publicUrl: PUBLIC_URL } });
  assert.ok(rt.webPush, 'tests have VAPID keys');
  sender = new WebPushSender(rt.webPush.vapid, { agent: pushService.agent });
  clerk = await staffActor(rt.db, 'clerk');
});
after(async () => {
  await rt?.close();
  await smtp?.close();
  await pushService?.close();
});

const job = () => notifyApplicantJob({ db: rt.db, catalogue: rt.catalogue, mailer: rt.mailer, publicUrl: PUBLIC_URL, webPush: sender });

async function newCase(email: string) {
  n++;
  return submitCase(rt, {
    serviceId: 'versammlungsanzeige',
    data: validAssembly(rt.now(), { organiserName: NAME, leaderName: NAME, street: STREET, email }),
    idempotencyScope: 'api',
    idempotencyKey: `notify-${n}-${Date.now()}`,
  });
}

/** The notification jobs the case's transitions enqueued, oldest first. */
async function notificationsOf(caseId: string): Promise<NotificationRequest[]> {
  const rows = await sql<{ data: unknown }>`select data from pgboss.job where name = ${NOTIFY_JOB} and data->>'caseId' = ${caseId} order by created_on`.execute(rt.db);
  return rows.rows.map((r) => parseNotification(r.data));
}

async function runJob(request: NotificationRequest): Promise<void> {
  const j = job();
  await j.handle(j.parse(JSON.parse(JSON.stringify(request))), { log: rt.log });
}

async function newAccount(email: string | null): Promise<string> {
  const row = await rt.db.insertInto('citizens').values({ email }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

function assertNoPersonalData(body: string, where: string, accessCode?: string) {
  assert.ok(!body.includes(NAME), `${where}: no name`);
  assert.ok(!body.includes('Geheimnis'), `${where}: no part of the name`);
  assert.ok(!body.includes(STREET) && !body.includes('Verborgene'), `${where}: no street`);
  assert.ok(!body.includes('Für mehr Grün'), `${where}: no form data`);
  if (accessCode) assert.ok(!body.includes(accessCode), `${where}: no access code`);
}

test('a status change on a case without an account: one mail over SMTP, German and English, with the status link and nothing personal; a retried job sends nothing twice', async () => {
  const address = 'ohne-konto@example.org';
  const r = await newCase(address);
  await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  const [request, ...more] = await notificationsOf(r.caseId);
  assert.ok(request, 'the transition enqueued notify.applicant');
  assert.equal(more.length, 0, 'one notification per status change');
  assert.equal(request.topic, 'status');

  await runJob(request);
  await runJob(request); // the retry after a crash, or a second delivery by the queue
  const mails = smtp.to(address);
  assert.equal(mails.length, 1, 'exactly one mail arrived at the SMTP server');
  const mail = mails[0]!;
  assert.equal(mail.subject, `Neuer Stand / Status update ${r.reference}: In Prüfung`);
  const link = `${PUBLIC_URL}/status/${r.caseId}`;
  assert.match(mail.text, /^Guten Tag,/, 'German first');
  assert.ok(mail.text.indexOf('Guten Tag') < mail.text.indexOf('Hello'), 'then English');
  assert.match(mail.text, new RegExp(`der Stand Ihres Anliegens „Versammlung anzeigen“ \\(${r.reference}\\) hat sich geändert: In Prüfung\\.`));
  assert.match(mail.text, /The status of your “Notify a public assembly” matter .* has changed: Under review\./);
  assert.ok(mail.text.includes(`Statusseite: ${link}`) && mail.text.includes(`Status page: ${link}`), 'the text has the status link in both languages');
  assert.ok(mail.html.includes(`href="${link}"`), 'the HTML links to the status page');
  assert.match(mail.html, /<html lang="de">/);
  assert.match(mail.html, /<div lang="en">/);
  assert.match(mail.html, /In Prüfung|In Pr&#252;fung/);
  assert.match(mail.text, /weil Sie die Adresse in Ihrem Antrag angegeben haben/, 'no settings link for applicants without an account');
  for (const [body, where] of [
    [mail.raw, 'raw message'],
    [mail.text, 'text'],
    [mail.html, 'HTML'],
  ] as const)
    assertNoPersonalData(body, where, r.accessCode);

  const outbox = await rt.db.selectFrom('mail_outbox').select(['dedupe_key', 'transport', 'sent_at', 'case_id']).where('to_address', '=', address).where('dedupe_key', 'like', 'notify:%').execute();
  assert.deepEqual(outbox.map((o) => o.dedupe_key), [`notify:status:${request.ref}:${addressHash(address)}`]);
  assert.equal(outbox[0]!.transport, 'smtp');
  assert.equal(outbox[0]!.case_id, r.caseId, 'the mail names its case, for retention');
});

test("a case owned by an account: the account's address, not the form's; with e-mail switched off, no mail", async () => {
  const citizenId = await newAccount('konto@example.org');
  const r = await newCase('formular@example.org');
  await rt.db.updateTable('cases').set({ citizen_id: citizenId }).where('id', '=', r.caseId).execute();

  await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  await runJob((await notificationsOf(r.caseId))[0]!);
  assert.equal(smtp.to('konto@example.org').length, 1, 'the account gets the mail');
  assert.equal(smtp.to('formular@example.org').length, 0, "the form's address does not, when the account has one");
  const mail = smtp.to('konto@example.org')[0]!;
  assert.ok(mail.text.includes(`${PUBLIC_URL}/account/notifications`), 'account holders get the link to their settings');
  assertNoPersonalData(mail.raw, 'account mail', r.accessCode);

  await savePreferences(rt.db, citizenId, { email: false, push: true });
  await transitionCase(rt, { caseId: r.caseId, transitionId: 'confirm', expectedVersion: 2, actor: clerk, input: {} });
  const requests = await notificationsOf(r.caseId);
  assert.equal(requests.length, 2);
  await runJob(requests[1]!);
  assert.equal(smtp.to('konto@example.org').length, 1, 'no further mail once e-mail is switched off');
  assert.equal(smtp.to('formular@example.org').length, 0, 'and none to the form address either');
});

test('an account without an e-mail address is told at the address in its form', async () => {
  const citizenId = await newAccount(null);
  const r = await newCase('nur-formular@example.org');
  await rt.db.updateTable('cases').set({ citizen_id: citizenId }).where('id', '=', r.caseId).execute();
  await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  await runJob((await notificationsOf(r.caseId))[0]!);
  assert.equal(smtp.to('nur-formular@example.org').length, 1);
});

test('every topic has its own words, in both languages, and nothing personal', async () => {
  const r = await newCase('themen@example.org');
  const expected: Record<string, RegExp> = {
    message: /Sie haben eine neue Nachricht im Postfach zu Ihrem Anliegen/,
    request: /Das Amt bittet Sie um weitere Angaben oder Unterlagen/,
    reminder: /Zur Erinnerung/,
    appointment: /Zu Ihrem Termin/,
    payment: /Zur Gebühr/,
  };
  for (const [topic, words] of Object.entries(expected)) {
    await runJob({ caseId: r.caseId, topic: topic as NotificationRequest['topic'], ref: `ref-${topic}` });
    const mail = smtp.to('themen@example.org').at(-1)!;
    assert.match(mail.text, words, `${topic}: German words`);
    assert.ok(mail.text.includes('— English —'), `${topic}: English below`);
    assert.ok(mail.subject.includes(r.reference), `${topic}: the reference in the subject`);
    assert.ok(mail.text.includes(`${PUBLIC_URL}/status/${r.caseId}`), `${topic}: the status link`);
    assertNoPersonalData(mail.raw, topic, r.accessCode);
  }
  assert.equal(smtp.to('themen@example.org').length, 5, 'one mail per topic');
  assert.throws(() => parseNotification({ caseId: r.caseId, topic: 'gossip', ref: 'x' }), /known topic/);
  assert.throws(() => parseNotification({ caseId: 'not-a-uuid', topic: 'status', ref: '1' }), /caseId/);
  assert.deepEqual(parseNotification({ caseId: r.caseId, eventId: '12' }), { caseId: r.caseId, topic: 'status', ref: '12' }, 'the shape of effect jobs is a status change');
});

/** Checks the VAPID token (RFC 8292) the way a push service does; returns its claims. */
function verifyVapid(authorization: string, origin: string): { aud: string; sub: string; exp: number } {
  const m = /^vapid t=([^,]+),\s*k=(.+)$/.exec(authorization);
  assert.ok(m, `a VAPID Authorization header (got ${authorization.slice(0, 12)}…)`);
  const [, token, key] = m;
  assert.equal(key, rt.webPush!.publicKey, 'the header names the server key');
  const [h, p, s] = token!.split('.');
  const point = Buffer.from(key!, 'base64url');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url')), 'the token is signed with the VAPID key');
  assert.equal(JSON.parse(Buffer.from(h!, 'base64url').toString()).alg, 'ES256');
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as { aud: string; sub: string; exp: number };
  assert.equal(claims.aud, origin, 'the audience is the push service');
  assert.ok(claims.exp * 1000 > Date.now(), 'not expired');
  return claims;
}

test('Web Push: the message reaches the push service signed with VAPID and decrypts with the subscription keys to the status link, once', async () => {
  const citizenId = await newAccount('push@example.org');
  const r = await newCase('push-formular@example.org');
  await rt.db.updateTable('cases').set({ citizen_id: citizenId }).where('id', '=', r.caseId).execute();
  const keys = browserKeys();
  const path = `/push/${citizenId}`;
  await rt.db.insertInto('push_subscriptions').values({ citizen_id: citizenId, endpoint: `${pushService.origin}${path}`, p256dh: keys.p256dh, auth: keys.auth, label: 'Test' }).execute();

  await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  const request = (await notificationsOf(r.caseId))[0]!;
  await runJob(request);
  await runJob(request);
  const pushes = pushService.received.filter((p) => p.path === path);
  assert.equal(pushes.length, 1, 'one push, however often the job runs');
  const push = pushes[0]!;
  assert.equal(push.headers['content-encoding'], 'aes128gcm');
  assert.ok(Number(push.headers.ttl) > 0, 'a TTL is set');
  const claims = verifyVapid(String(push.headers.authorization), pushService.origin);
  assert.equal(claims.sub, rt.webPush!.vapid.subject);

  const plain = ece.decrypt(push.body, { version: 'aes128gcm', privateKey: keys.ecdh, authSecret: keys.authSecret }).toString('utf8');
  const payload = JSON.parse(plain) as { title: string; body: string; url: string };
  assert.equal(payload.url, `${PUBLIC_URL}/status/${r.caseId}`);
  assert.equal(payload.title, 'Neuer Stand / Status update');
  assert.equal(payload.body, `${r.reference}: In Prüfung / Under review`);
  assertNoPersonalData(plain, 'push payload', r.accessCode);
  assert.ok(!push.body.includes(Buffer.from(r.reference)), 'the push service sees only ciphertext');

  const sub = await rt.db.selectFrom('push_subscriptions').select(['last_success_at', 'failures']).where('citizen_id', '=', citizenId).executeTakeFirstOrThrow();
  assert.ok(sub.last_success_at, 'the delivery is recorded');
  assert.equal(smtp.to('push@example.org').length, 1, 'e-mail goes out as well');

  await savePreferences(rt.db, citizenId, { email: true, push: false });
  await runJob({ caseId: r.caseId, topic: 'message', ref: 'push-off' });
  assert.equal(pushService.received.filter((p) => p.path === path).length, 1, 'push switched off: no push');
});

test('a subscription the push service reports gone (410) is deleted; a failing one makes the job retry without repeating what went out', async () => {
  const citizenId = await newAccount('geraete@example.org');
  const r = await newCase('geraete-formular@example.org');
  await rt.db.updateTable('cases').set({ citizen_id: citizenId }).where('id', '=', r.caseId).execute();
  const add = async (name: string) => {
    const keys = browserKeys();
    await rt.db.insertInto('push_subscriptions').values({ citizen_id: citizenId, endpoint: `${pushService.origin}/push/${name}`, p256dh: keys.p256dh, auth: keys.auth, label: name }).execute();
  };
  await add('gone');
  await add('flaky');
  await add('fine');
  pushService.answer('/push/gone', 410);
  pushService.answer('/push/flaky', 500);

  const request: NotificationRequest = { caseId: r.caseId, topic: 'request', ref: 'req-1' };
  await assert.rejects(runJob(request), /not fully delivered: push \(push service answered 500\)/, 'a 500 fails the job, so the queue retries it');
  const left = await rt.db.selectFrom('push_subscriptions').select(['label', 'failures']).where('citizen_id', '=', citizenId).orderBy('label').execute();
  assert.deepEqual(left, [
    { label: 'fine', failures: 0 },
    { label: 'flaky', failures: 1 },
  ], 'the gone subscription is deleted, the failure counted');

  pushService.answer('/push/flaky', 201);
  await runJob(request);
  const count = (p: string) => pushService.received.filter((x) => x.path === p).length;
  assert.equal(count('/push/fine'), 1, 'the retry does not push again where it went out');
  assert.equal(count('/push/flaky'), 2, 'the retry delivers where it failed');
  assert.equal(count('/push/gone'), 1);
  assert.equal(smtp.to('geraete@example.org').length, 1, 'and the mail went out once');
});

test('through the real queue: a status change reaches the SMTP server', async () => {
  const address = 'warteschlange@example.org';
  const r = await newCase(address);
  await rt.jobs.work();
  await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  const subject = `Neuer Stand / Status update ${r.reference}: In Prüfung`;
  for (let i = 0; i < 150 && !smtp.to(address).some((m) => m.subject === subject); i++) await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(smtp.to(address).filter((m) => m.subject === subject).length, 1, 'the worker delivered the status mail once');
});
