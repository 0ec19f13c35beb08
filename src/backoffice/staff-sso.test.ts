import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startDevIdp, type DevIdp } from '../devidp/dev-idp.tsx';
import { STAFF_TEST_OTP } from '../devidp/test-persons.ts';
import { grantsFromGroups } from '../identity/staff-sso.ts';
import { HttpClient, pageText } from '../test-support/http-client.ts';
import { formAction, IdpBrowser } from '../test-support/idp-browser.ts';
import { testApp, type TestRuntime } from '../test-support/runtime.ts';

/**
 * Staff single sign-on through the city's directory, a real OpenID Connect exchange with the
 * bundled development provider's staff issuer (its sign-in page driven over HTTP, no forged
 * tokens): directory groups become roles, the directory's second factor is required, and every
 * refusal is clear and stores nothing.
 */
const PUBLIC_URL = 'http://127.0.0.1:3999';
const CALLBACK = `${PUBLIC_URL}/staff/sign-in/directory/callback`;
const SECRET = 'a-test-secret-for-the-staff-client';
let idp: DevIdp;
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;

before(async () => {
  idp = await startDevIdp({ port: 0, citizenClients: [], staffClients: [{ clientId: 'amtsweg-staff', clientSecret: SECRET, redirectUris: [CALLBACK] }] });
  ({ app, runtime, close } = await testApp({
    config: {
      publicUrl: PUBLIC_URL,
      staffSso: { id: 'city', name: { de: 'das Verzeichnis der Stadt', en: "the city's directory" }, issuer: idp.staffIssuer, clientId: 'amtsweg-staff', clientSecret: SECRET, groupPrefix: 'amtsweg-' },
    },
  }));
});
after(async () => {
  await close();
  await idp.close();
});

/** Starts the sign-in at Amtsweg, passes the directory's page with `account`, returns the callback URL. */
async function throughDirectory(client: HttpClient, account: string, otp = STAFF_TEST_OTP): Promise<string> {
  const page = await client.get('/staff/sign-in');
  assert.match(pageText(page.body), /Mit dem Konto der Stadt anmelden/);
  const start = await client.post('/staff/sign-in/directory', {});
  assert.equal(start.status, 303);
  assert.ok(start.location?.startsWith(idp.staffIssuer), `sent to the directory (${start.location})`);
  const browser = new IdpBrowser();
  const login = await browser.follow(start.location!, CALLBACK);
  assert.equal(login.status, 200, 'the directory shows its sign-in page');
  const back = await browser.post(new URL(formAction(login.body, '/login'), idp.url).toString(), { account, otp }, CALLBACK);
  assert.ok(back.location?.startsWith(CALLBACK), `the directory sends the browser back (${back.status})`);
  return back.location!;
}
const local = (url: string) => url.slice(PUBLIC_URL.length);

test('a supervisor signs in through the directory: account created from the directory, roles from its groups, both factors', async () => {
  const client = new HttpClient(app);
  const callback = await throughDirectory(client, 'devidp-staff-0002');
  const done = await client.get(local(callback));
  assert.equal(done.status, 303);
  assert.equal(done.location, '/staff');
  assert.equal((await client.get('/staff')).status, 200, 'the inbox opens');
  assert.equal((await client.get('/staff/figures')).status, 200, 'the supervisor role came from the directory group');
  const user = await runtime.db.selectFrom('staff_users').selectAll().where('sso_provider', '=', 'city').where('sso_subject', '=', 'devidp-staff-0002').executeTakeFirstOrThrow();
  assert.equal(user.username, 's.vogt');
  assert.equal(user.password_hash, null, 'no password: this account signs in only through the directory');
  const grants = await runtime.db.selectFrom('role_grants').select(['department_id', 'role']).where('staff_user_id', '=', user.id).orderBy('role').execute();
  assert.deepEqual(grants, [
    { department_id: 'versammlungsbehoerde', role: 'clerk' },
    { department_id: 'versammlungsbehoerde', role: 'supervisor' },
  ]);
  const session = await runtime.db.selectFrom('sessions').select(['kind', 'second_factor_done']).where('staff_user_id', '=', user.id).executeTakeFirstOrThrow();
  assert.deepEqual(session, { kind: 'staff', second_factor_done: true });

  // The same answer a second time is refused: the pending sign-in was used up.
  const replay = await new HttpClient(app).get(local(callback));
  assert.equal(replay.status, 400);
  assert.match(pageText(replay.body), /keine begonnene Anmeldung/);
  // And the directory account has no password to sign in with here.
  const other = new HttpClient(app);
  await other.get('/staff/sign-in');
  assert.equal((await other.post('/staff/sign-in', { username: 's.vogt', password: 'anything-at-all' })).status, 401);
});

test('a directory account without an Amtsweg group is refused and nothing is stored', async () => {
  const client = new HttpClient(app);
  const res = await client.get(local(await throughDirectory(client, 'devidp-staff-0004')));
  assert.equal(res.status, 403);
  assert.match(pageText(res.body), /keine Rolle in Amtsweg/);
  const user = await runtime.db.selectFrom('staff_users').select('id').where('sso_subject', '=', 'devidp-staff-0004').executeTakeFirst();
  assert.equal(user, undefined, 'no account was created');
  assert.equal((await client.get('/staff')).status, 303, 'not signed in');
});

test('a tampered state is refused; a deactivated directory account stays out', async () => {
  const client = new HttpClient(app);
  const callback = new URL(await throughDirectory(client, 'devidp-staff-0001'));
  callback.searchParams.set('state', 'not-the-state-we-sent');
  const res = await client.get(local(callback.toString()));
  assert.equal(res.status, 400);
  assert.match(pageText(res.body), /Sicherheitsprüfung „state“/);
  assert.equal((await client.get('/staff')).status, 303, 'not signed in');

  await runtime.db.updateTable('staff_users').set({ active: false }).where('sso_subject', '=', 'devidp-staff-0002').execute();
  const again = new HttpClient(app);
  const refused = await again.get(local(await throughDirectory(again, 'devidp-staff-0002')));
  assert.equal(refused.status, 403);
  assert.match(pageText(refused.body), /gesperrt/);
});

test('directory groups map to department and role; anything else is ignored', () => {
  const departments = ['versammlungsbehoerde', 'gewerbeamt'];
  assert.deepEqual(
    grantsFromGroups(['amtsweg-gewerbeamt-clerk', 'amtsweg-gewerbeamt-department_admin', 'amtsweg-unknown-clerk', 'amtsweg-gewerbeamt-boss', 'other-gewerbeamt-clerk', 'amtsweg-gewerbeamt-clerk'], 'amtsweg-', departments),
    [
      { departmentId: 'gewerbeamt', role: 'clerk' },
      { departmentId: 'gewerbeamt', role: 'department_admin' },
    ],
  );
});

test('a directory sign-in without a second factor is refused: Amtsweg always needs one', async () => {
  const client = new HttpClient(app);
  const res = await client.get(local(await throughDirectory(client, 'devidp-staff-0005', '')));
  assert.equal(res.status, 403);
  assert.match(pageText(res.body), /keinen zweiten Faktor bestätigt/);
  assert.equal(await runtime.db.selectFrom('staff_users').select('id').where('sso_subject', '=', 'devidp-staff-0005').executeTakeFirst(), undefined, 'no account was created');
  assert.equal((await client.get('/staff')).status, 303, 'not signed in');
});
