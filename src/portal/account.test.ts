import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../runtime.ts';
import { hashToken, loadSession } from '../identity/sessions.ts';
import { purgeSignInLinks } from '../identity/email-link.ts';
import { removePasskey } from '../identity/passkeys.ts';
import { controlById, escapeRegExp, HttpClient, pageText } from '../test-support/http-client.ts';
import { submitViaForm } from '../test-support/http-forms.ts';
import { hiddenToken, linkFor as linkForIn, requestLink, signInCitizen } from '../test-support/citizen-sign-in.ts';
import { testApp, testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';

/**
 * Citizens' accounts over real HTTP (inject) and a real database: sign-in with a one-time
 * e-mail link, session rotation, sign-out, account deletion, "Meine Anliegen" with claiming
 * anonymous cases. (Passkey ceremonies need a browser: e2e/citizen-account.test.ts.)
 */
const LOOKUP_LIMIT = 50;
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;

before(async () => {
  ({ app, runtime, close } = await testApp({ config: { statusLookupsPerMinute: LOOKUP_LIMIT } }));
});
after(async () => {
  await close();
});

let mailCounter = 0;
const uniqueEmail = (name: string) => `${name}.${++mailCounter}.${Date.now()}@example.org`;

const linkFor = (email: string) => linkForIn(runtime.db, email);
const signIn = (client: HttpClient, email: string) => signInCitizen(runtime.db, client, email);

const sessionOf = (client: HttpClient) => loadSession(runtime.db, client.cookies.get('aw_session'));
const citizenIdOf = async (client: HttpClient) => {
  const s = await sessionOf(client);
  assert.ok(s?.citizenId, 'the client is signed in as a citizen');
  return s.citizenId;
};
const fieldError = (html: string, id: string) => {
  const m = new RegExp(`id="${escapeRegExp(id)}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  return m ? pageText(m[1]!) : undefined;
};

describe('sign-in with an e-mail link', () => {
  test('request → mail → confirm → signed in at level basic with a new session id', async () => {
    const client = new HttpClient(app);
    // A visitor session first (a form started), to prove it does not survive the sign-in.
    assert.equal((await client.get('/services/versammlungsanzeige/form/veranstalter')).status, 200);
    const before = client.cookies.get('aw_session');
    assert.ok(before, 'the visitor has a session');

    const email = uniqueEmail('erika');
    const sent = await requestLink(client, email);
    assert.equal(sent.status, 303);
    const sentPage = await client.follow(sent);
    assert.match(pageText(sentPage.body), /Wenn die Adresse gültig ist, haben wir Ihnen einen Anmeldelink geschickt/);
    const link = await linkFor(email);
    const stored = await runtime.db.selectFrom('email_sign_in_links').select(['token_hash', 'email']).where('email', '=', email).execute();
    assert.equal(stored.length, 1);
    assert.ok(!stored[0]!.token_hash.includes(link.split('/').pop()!), 'only a hash of the token is stored');

    // Opening the link (as a mail scanner would) does not use it up.
    const confirm = await client.get(link);
    assert.equal(confirm.status, 200);
    assert.match(pageText(confirm.body), /Anmeldung bestätigen/);
    assert.equal((await client.get(link)).status, 200, 'still valid after being opened twice');

    const done = await client.post('/account/link', { token: hiddenToken(confirm.body) });
    assert.equal(done.status, 303);
    const after = client.cookies.get('aw_session');
    assert.ok(after && after !== before, 'a new session id after sign-in');
    assert.equal(await loadSession(runtime.db, before), undefined, 'the cookie from before the sign-in is no longer valid');
    const session = await sessionOf(client);
    assert.equal(session?.kind, 'citizen');
    assert.equal(session?.level, 'basic');
    const citizen = await runtime.db.selectFrom('citizens').selectAll().where('email', '=', email).executeTakeFirst();
    assert.ok(citizen, 'the account was created on first sign-in');
    assert.equal(session?.citizenId, citizen.id);
    assert.ok(citizen.last_sign_in_at, 'last sign-in is recorded');
    // The draft started before the sign-in now belongs to the account (none was saved yet, so none listed).
    const page = await client.follow(done);
    assert.equal(page.status, 200);
    assert.match(pageText(page.body), /Meine Anliegen/);
    assert.match(page.body, /href="\/account"/, 'the header offers "Mein Konto"');
    const audit = await runtime.db.selectFrom('audit_entries').select(['action', 'details']).where('actor_id', '=', citizen.id).execute();
    assert.ok(audit.some((a) => a.action === 'citizen.signed_up'), 'the sign-up is audited');
    assert.ok(!JSON.stringify(audit).includes(email), 'no e-mail address in the audit log');
  });

  test('the answer is the same for a new address, a known one and past the per-address limit', async () => {
    const email = uniqueEmail('known');
    await signIn(new HttpClient(app), email);
    const answers = [];
    for (const address of [email, uniqueEmail('new'), email, email, email]) {
      const res = await requestLink(new HttpClient(app), address);
      answers.push([res.status, res.location]);
    }
    assert.ok(
      answers.every(([s, l]) => s === 303 && l === '/account/sign-in/sent'),
      `every request gets the same answer: ${JSON.stringify(answers)}`,
    );
  });

  test('link requests are rate-limited per client', async () => {
    const client = new HttpClient(app);
    await client.get('/account/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.post('/account/sign-in/email', { email: uniqueEmail('many') })).status);
    assert.deepEqual(statuses, [303, 303, 303, 303, 303, 429]);
  });

  test('a malformed address is refused at the field and in the summary, and kept', async () => {
    const client = new HttpClient(app);
    await client.get('/account/sign-in');
    const res = await client.post('/account/sign-in/email', { email: 'erika(at)example' });
    assert.equal(res.status, 422);
    assert.match(fieldError(res.body, 'email') ?? '', /E-Mail-Adresse in der Form name@beispiel.de/);
    assert.match(res.body, /aw-error-summary[\s\S]*href="#email"/);
    assert.equal(controlById(res.body, 'email')?.value, 'erika(at)example');
    const en = await new HttpClient(app, { headers: { 'accept-language': 'en' } }).get('/account/sign-in');
    assert.match(pageText(en.body), /Sign in with a passkey|With a passkey/);
  });

  test('without JavaScript, a passkey button explains itself and points to the e-mail link', async () => {
    const client = new HttpClient(app);
    const page = await client.get('/account/sign-in');
    assert.match(pageText(page.body), /Passkeys funktionieren hier gerade nicht/);
    assert.match(page.body, /<form method="post" action="\/account\/passkey\/unavailable" hidden/);
    const res = await client.post('/account/passkey/unavailable');
    assert.equal(res.status, 200);
    assert.match(pageText(res.body), /Passkeys brauchen JavaScript/);
    assert.match(res.body, /href="\/account\/sign-in#email"/);
  });

  test('an expired link is refused with a clear message and a way to get a new one', async () => {
    const client = new HttpClient(app);
    const email = uniqueEmail('late');
    await requestLink(client, email);
    const link = await linkFor(email);
    const confirm = await client.get(link);
    await runtime.db.updateTable('email_sign_in_links').set({ expires_at: new Date(Date.now() - 1000) }).where('email', '=', email).execute();
    const opened = await client.get(link);
    assert.equal(opened.status, 410);
    assert.match(pageText(opened.body), /Dieser Anmeldelink ist abgelaufen/);
    assert.match(opened.body, /href="\/account\/sign-in"/);
    const res = await client.post('/account/link', { token: hiddenToken(confirm.body) });
    assert.equal(res.status, 410);
    assert.match(pageText(res.body), /abgelaufen/);
    assert.equal(await runtime.db.selectFrom('citizens').select('id').where('email', '=', email).executeTakeFirst(), undefined, 'no account was created');
    assert.notEqual((await sessionOf(client))?.kind, 'citizen');
  });

  test('a used link is refused the second time', async () => {
    const client = new HttpClient(app);
    const email = uniqueEmail('twice');
    await requestLink(client, email);
    const confirm = await client.get(await linkFor(email));
    const token = hiddenToken(confirm.body);
    assert.equal((await client.post('/account/link', { token })).status, 303);
    const other = new HttpClient(app);
    await other.get('/account/sign-in');
    const again = await other.post('/account/link', { token });
    assert.equal(again.status, 410);
    assert.match(pageText(again.body), /Dieser Anmeldelink wurde schon benutzt/);
    assert.equal(await sessionOf(other), undefined, 'the second browser is not signed in');
    const unknown = await other.get(`/account/link/${'A'.repeat(43)}`);
    assert.equal(unknown.status, 404);
    assert.match(pageText(unknown.body), /ungültig/);
  });

  test('housekeeping removes links an hour past their expiry, with their address', async () => {
    const now = new Date();
    await runtime.db
      .insertInto('email_sign_in_links')
      .values([
        { token_hash: `old-${now.getTime()}`, email: 'old@example.org', expires_at: new Date(now.getTime() - 2 * 3600_000) },
        { token_hash: `recent-${now.getTime()}`, email: 'recent@example.org', expires_at: new Date(now.getTime() - 60_000) },
      ])
      .execute();
    assert.ok((await purgeSignInLinks(runtime.db, now)) >= 1, 'the old link is purged');
    const left = await runtime.db.selectFrom('email_sign_in_links').select('email').where('email', 'in', ['old@example.org', 'recent@example.org']).execute();
    assert.deepEqual(left.map((l) => l.email), ['recent@example.org']);
  });

  test('forms without the CSRF token are refused and change nothing', async () => {
    const client = new HttpClient(app);
    const email = uniqueEmail('csrf');
    await client.get('/account/sign-in');
    const noToken = await client.post('/account/sign-in/email', { email }, { csrf: false });
    assert.equal(noToken.status, 403);
    assert.equal(await runtime.db.selectFrom('email_sign_in_links').select('token_hash').where('email', '=', email).executeTakeFirst(), undefined, 'no link was made');
    await requestLink(client, email);
    const confirm = await client.get(await linkFor(email));
    const res = await client.post('/account/link', { token: hiddenToken(confirm.body) }, { csrf: false });
    assert.equal(res.status, 403);
    assert.equal((await client.get(await linkFor(email))).status, 200, 'the link is still unused');
    const signedIn = new HttpClient(app);
    await signIn(signedIn, uniqueEmail('csrf-delete'));
    const del = await signedIn.post('/account/delete', {}, { csrf: false });
    assert.equal(del.status, 403);
    assert.equal((await sessionOf(signedIn))?.kind, 'citizen', 'still signed in, account not deleted');
  });
});

describe('account', () => {
  test('sign out ends the session; sign out everywhere ends every session', async () => {
    const email = uniqueEmail('out');
    const a = new HttpClient(app);
    const b = new HttpClient(app);
    await signIn(a, email);
    await signIn(b, email);
    const account = await a.get('/account');
    assert.equal(account.status, 200);
    assert.match(pageText(account.body), new RegExp(escapeRegExp(email)));
    const out = await a.post('/account/sign-out');
    assert.equal(out.status, 303);
    assert.equal(await sessionOf(a), undefined);
    assert.equal((await b.get('/account')).status, 200, 'the other device is still signed in');
    await signIn(a, email);
    await b.get('/account');
    const everywhere = await b.post('/account/sign-out-everywhere');
    assert.equal(everywhere.status, 303);
    assert.match(pageText((await b.follow(everywhere)).body), /auf allen Geräten abgemeldet/);
    assert.equal((await a.get('/account')).location, '/account/sign-in', 'the first device is signed out too');
  });

  test('deleting the account removes its login data and keeps its cases with the office', async () => {
    const client = new HttpClient(app);
    const email = uniqueEmail('delete');
    await signIn(client, email);
    const citizenId = await citizenIdOf(client);
    const { reference } = await submitViaForm(client, validAssembly());
    const caseRow = await runtime.db.selectFrom('cases').select(['id', 'citizen_id']).where('reference', '=', reference).executeTakeFirstOrThrow();
    assert.equal(caseRow.citizen_id, citizenId, 'a case sent signed in belongs to the account');
    await runtime.db.insertInto('citizen_passkeys').values({ credential_id: `cred-${citizenId}`, citizen_id: citizenId, public_key: new Uint8Array([1, 2, 3]) }).execute();
    const confirm = await client.get('/account/delete');
    assert.equal(confirm.status, 200);
    assert.match(pageText(confirm.body), /bleiben beim Amt/);
    const res = await client.post('/account/delete');
    assert.equal(res.status, 303);
    assert.match(pageText((await client.follow(res)).body), /Ihr Konto ist gelöscht/);
    assert.equal(await runtime.db.selectFrom('citizens').select('id').where('id', '=', citizenId).executeTakeFirst(), undefined);
    assert.equal((await runtime.db.selectFrom('citizen_passkeys').select('credential_id').where('citizen_id', '=', citizenId).execute()).length, 0);
    assert.equal((await runtime.db.selectFrom('sessions').select('id_hash').where('citizen_id', '=', citizenId).execute()).length, 0);
    const kept = await runtime.db.selectFrom('cases').select(['id', 'citizen_id']).where('id', '=', caseRow.id).executeTakeFirst();
    assert.ok(kept, 'the case stays');
    assert.equal(kept.citizen_id, null);
    const audit = await runtime.db.selectFrom('audit_entries').select('action').where('actor_id', '=', citizenId).execute();
    assert.ok(audit.some((a) => a.action === 'citizen.deleted'), 'the deletion is audited');
  });

  test('the last way to sign in cannot be removed', async () => {
    const [citizen] = await runtime.db.insertInto('citizens').values({ display_name: null }).returning('id').execute();
    const id = citizen!.id;
    for (const n of [1, 2]) await runtime.db.insertInto('citizen_passkeys').values({ credential_id: `k${n}-${id}`, citizen_id: id, public_key: new Uint8Array([n]) }).execute();
    assert.equal(await removePasskey(runtime.db, id, `k1-${id}`), 'removed');
    assert.equal(await removePasskey(runtime.db, id, `k2-${id}`), 'last');
    assert.equal(await removePasskey(runtime.db, id, `k1-${id}`), 'unknown');
    const [other] = await runtime.db.insertInto('citizens').values({ display_name: null }).returning('id').execute();
    assert.equal(await removePasskey(runtime.db, other!.id, `k2-${id}`), 'unknown', "another account's passkey is not removed");
  });
});

describe('Meine Anliegen', () => {
  test("citizen A sees only A's cases and cannot open B's status page", async () => {
    const a = new HttpClient(app);
    const b = new HttpClient(app);
    await signIn(a, uniqueEmail('a'));
    await signIn(b, uniqueEmail('b'));
    const empty = await a.get('/my-cases');
    assert.match(pageText(empty.body), /noch nichts gesendet/);
    const caseA = await submitViaForm(a, validAssembly());
    const caseB = await submitViaForm(b, validAssembly());
    const list = await a.get('/my-cases');
    assert.equal(list.status, 200);
    assert.ok(list.body.includes(caseA.reference), "A's case is listed");
    assert.ok(!list.body.includes(caseB.reference), "B's case is not listed for A");
    assert.match(pageText(list.body), /Versammlung/);
    const idB = (await runtime.db.selectFrom('cases').select('id').where('reference', '=', caseB.reference).executeTakeFirstOrThrow()).id;
    const idA = (await runtime.db.selectFrom('cases').select('id').where('reference', '=', caseA.reference).executeTakeFirstOrThrow()).id;
    // A fresh sign-in (no access code in this session) still opens A's own case.
    const again = new HttpClient(app);
    const email = (await runtime.db.selectFrom('citizens').select('email').where('id', '=', await citizenIdOf(a)).executeTakeFirstOrThrow()).email!;
    await signIn(again, email);
    assert.equal((await again.get(`/status/${idA}`)).status, 200, 'own case without the access code');
    assert.equal((await again.get(`/status/${idB}`)).status, 404, "B's case stays closed");
    assert.equal((await new HttpClient(app).get('/my-cases')).location, '/account/sign-in', 'visitors are sent to sign in');
  });

  test('claiming: a wrong code looks like an unknown reference; a case of another account is never taken', async () => {
    const anonymous = new HttpClient(app);
    const anon = await submitViaForm(anonymous, validAssembly());
    const owner = new HttpClient(app);
    await signIn(owner, uniqueEmail('owner'));
    const owned = await submitViaForm(owner, validAssembly());
    const claimer = new HttpClient(app);
    await signIn(claimer, uniqueEmail('claimer'));
    const claimerId = await citizenIdOf(claimer);
    await claimer.get('/my-cases');

    const wrongCode = await claimer.post('/my-cases/claim', { reference: anon.reference, accessCode: 'AAAAA-AAAAA' });
    const unknownRef = await claimer.post('/my-cases/claim', { reference: 'HAL-2026-999999-9', accessCode: anon.accessCode });
    assert.equal(wrongCode.status, 404);
    assert.equal(unknownRef.status, wrongCode.status);
    assert.equal(fieldError(wrongCode.body, 'reference'), fieldError(unknownRef.body, 'reference'));
    assert.match(fieldError(wrongCode.body, 'reference') ?? '', /Wir finden keinen Vorgang/);
    assert.equal(controlById(wrongCode.body, 'reference')?.value, anon.reference, 'what was typed is kept');
    const anonRow = await runtime.db.selectFrom('cases').select(['id', 'citizen_id']).where('reference', '=', anon.reference).executeTakeFirstOrThrow();
    assert.equal(anonRow.citizen_id, null, 'a wrong code changes nothing');

    const empty = await claimer.post('/my-cases/claim', { reference: '', accessCode: '' });
    assert.equal(empty.status, 422);
    assert.match(fieldError(empty.body, 'accessCode') ?? '', /Zugangscode/);

    const stolen = await claimer.post('/my-cases/claim', { reference: owned.reference, accessCode: owned.accessCode });
    assert.equal(stolen.status, 409);
    assert.match(pageText(stolen.body), /gehört schon zu einem anderen Konto/);
    const ownedRow = await runtime.db.selectFrom('cases').select(['citizen_id']).where('reference', '=', owned.reference).executeTakeFirstOrThrow();
    assert.equal(ownedRow.citizen_id, await citizenIdOf(owner), 'the case stays with its account');

    const ok = await claimer.post('/my-cases/claim', { reference: anon.reference, accessCode: anon.accessCode });
    assert.equal(ok.status, 303);
    const list = await claimer.follow(ok);
    assert.ok(list.body.includes(anon.reference), 'the claimed case is listed');
    assert.match(pageText(list.body), /ist jetzt in Ihrem Konto/);
    const claimedRow = await runtime.db.selectFrom('cases').select(['citizen_id']).where('id', '=', anonRow.id).executeTakeFirstOrThrow();
    assert.equal(claimedRow.citizen_id, claimerId);
    const audit = await runtime.db.selectFrom('audit_entries').select('action').where('case_id', '=', anonRow.id).where('action', '=', 'case.claimed').execute();
    assert.equal(audit.length, 1, 'the claim is audited');
  });

  test('claiming is rate-limited per client like the status lookup', async () => {
    const client = new HttpClient(app);
    await signIn(client, uniqueEmail('hammer'));
    await client.get('/my-cases');
    const statuses: number[] = [];
    for (let i = 0; i <= LOOKUP_LIMIT; i++) statuses.push((await client.post('/my-cases/claim', { reference: `HAL-2026-${String(i).padStart(6, '0')}-0`, accessCode: 'AAAAA-AAAAA' })).status);
    assert.ok(statuses.slice(0, LOOKUP_LIMIT).every((s) => s === 404), `the first ${LOOKUP_LIMIT} attempts are answered`);
    assert.equal(statuses[LOOKUP_LIMIT], 429);
  });

  test('a form started signed in is listed as a draft to continue', async () => {
    const client = new HttpClient(app);
    await signIn(client, uniqueEmail('draft'));
    const form = await client.get('/services/versammlungsanzeige/form/veranstalter');
    assert.equal(form.status, 200);
    const data = validAssembly();
    const saved = await client.post('/services/versammlungsanzeige/form/veranstalter', {
      organiserName: data.organiserName as string,
      street: data.street as string,
      postcode: data.postcode as string,
      town: data.town as string,
      email: data.email as string,
    });
    assert.equal(saved.status, 303);
    const draft = await runtime.db.selectFrom('drafts').select('citizen_id').where('session_id_hash', '=', hashToken(client.cookies.get('aw_session')!)).executeTakeFirstOrThrow();
    assert.equal(draft.citizen_id, await citizenIdOf(client), 'the draft belongs to the account');
    const list = await client.get('/my-cases');
    assert.match(list.body, /href="\/services\/versammlungsanzeige\/form\/leitung"/);
  });
});

test('logs at debug level carry neither the address nor the sign-in link', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const rt = await testRuntime({ log: createLogger(loadConfig({ AMTSWEG_PROFILE: 'test', LOG_LEVEL: 'debug' }), sink) });
  const logged = await buildApp(rt);
  try {
    const client = new HttpClient(logged);
    const email = 'zacharias.persoenlich@example.org';
    await client.get('/account/sign-in');
    assert.equal((await client.post('/account/sign-in/email', { email })).status, 303);
    const mail = await rt.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', email).executeTakeFirstOrThrow();
    const link = /\/account\/link\/[A-Za-z0-9_-]{43}/.exec(mail.text_body)![0];
    const token = link.split('/').pop()!;
    const confirm = await client.get(link);
    assert.equal(confirm.status, 200);
    assert.equal((await client.post('/account/link', { token })).status, 303);
    assert.equal((await client.get('/my-cases')).status, 200);
    const output = lines.join('');
    assert.ok(output.includes('request completed'), 'requests are logged');
    for (const secret of [email, 'zacharias', token]) assert.ok(!output.includes(secret), `"${secret}" must not appear in the logs`);
  } finally {
    await logged.close();
    await rt.close();
  }
});
