import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { browserKeys } from '../test-support/push-service.ts';
import { signInCitizen } from '../test-support/citizen-sign-in.ts';
import { controlById, HttpClient, pageText } from '../test-support/http-client.ts';
import { testApp, type TestRuntime } from '../test-support/runtime.ts';

/**
 * Notification settings over real HTTP (inject) and a real database: signed-in citizens only,
 * CSRF on the form and on the script's JSON post, https push endpoints only, and a device can be
 * removed only by the account it belongs to.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
let citizenA: HttpClient;
let citizenB: HttpClient;
let idA = '';

const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Mobile Safari/537.36';

const subscription = (endpoint: string) => {
  const keys = browserKeys();
  return { endpoint, expirationTime: null, keys: { p256dh: keys.p256dh, auth: keys.auth } };
};

/** What /assets/push.js does: the page's token in the `csrf-token` header, the subscription as JSON. */
async function subscribe(client: HttpClient, body: unknown, options: { token?: boolean } = {}) {
  assert.equal((await client.get('/account/notifications')).status, 200, 'the settings page opens');
  const headers: Record<string, string> = { 'user-agent': CHROME_ANDROID, accept: 'application/json' };
  if (options.token !== false) headers['csrf-token'] = client.csrf!;
  return client.sendJson('POST', '/account/push-subscriptions', body, headers);
}

before(async () => {
  ({ app, runtime, close } = await testApp());
  citizenA = new HttpClient(app);
  citizenB = new HttpClient(app);
  await signInCitizen(runtime.db, citizenA, 'a.benachrichtigung@example.org');
  await signInCitizen(runtime.db, citizenB, 'b.benachrichtigung@example.org');
  idA = (await runtime.db.selectFrom('citizens').select('id').where('email', '=', 'a.benachrichtigung@example.org').executeTakeFirstOrThrow()).id;
});
after(async () => close());

test('visitors are sent to the sign-in; the account page links to the settings', async () => {
  const anon = new HttpClient(app);
  const page = await anon.get('/account/notifications');
  assert.equal(page.status, 303);
  assert.equal(page.location, '/account/sign-in');
  await anon.get('/account/sign-in'); // a CSRF token, so only the missing sign-in stands in the way
  const saved = await anon.post('/account/notifications', { channels: 'push' });
  assert.equal(saved.status, 303, 'no settings without an account');
  assert.equal(saved.location, '/account/sign-in');
  const json = await anon.sendJson('POST', '/account/push-subscriptions', subscription('https://push.example/anon'), { 'csrf-token': anon.csrf! });
  assert.equal(json.status, 401, 'the script is told to sign in again');
  assert.match(json.json<{ error: string }>().error, /Bitte melden Sie sich erneut an/);
  assert.equal(await runtime.db.selectFrom('push_subscriptions').select('id').where('endpoint', '=', 'https://push.example/anon').executeTakeFirst(), undefined);

  const account = await citizenA.get('/account');
  assert.match(account.body, /href="\/account\/notifications"/, 'one link from the account page');
});

test('the settings page: both channels on by default, the push button hidden for the script, the server key on the page', async () => {
  const page = await citizenA.get('/account/notifications');
  assert.equal(page.status, 200);
  const text = pageText(page.body);
  assert.match(text, /Benachrichtigungen/);
  assert.match(text, /Wie möchten Sie benachrichtigt werden\?/);
  assert.ok(controlById(page.body, 'channels')?.checked, 'e-mail is on');
  assert.ok(controlById(page.body, 'channels-push')?.checked, 'push is on');
  assert.match(text, /E-Mails gehen an a\.benachrichtigung@example\.org/);
  assert.match(page.body, /<button[^>]*hidden[^>]*data-push-button/, 'the push button waits for the script');
  assert.match(text, /Push-Benachrichtigungen auf diesem Gerät aktivieren/);
  assert.match(text, /braucht Ihr Browser JavaScript/, 'without the script the page says what push needs');
  assert.ok(page.body.includes(`data-vapid-key="${runtime.webPush!.publicKey}"`), 'the VAPID public key is on the page');
  assert.match(page.body, /<script src="\/assets\/push\.js" defer>/);
  assert.doesNotMatch(page.body, /<script>(?!<)/, 'no inline script (CSP)');

  const en = await citizenA.get('/account/notifications', { 'accept-language': 'en' });
  assert.match(pageText(en.body), /How would you like to be notified\?/);
});

test('choosing channels works without JavaScript and needs the CSRF token', async () => {
  const refused = await citizenA.post('/account/notifications', { channels: 'push' }, { csrf: false });
  assert.equal(refused.status, 403);
  const saved = await citizenA.post('/account/notifications', { channels: 'push' });
  assert.equal(saved.status, 303);
  assert.equal(saved.location, '/account/notifications');
  const page = await citizenA.get('/account/notifications');
  assert.match(pageText(page.body), /Ihre Einstellungen sind gespeichert/);
  assert.equal(controlById(page.body, 'channels')?.checked, false, 'e-mail is off now');
  assert.equal(controlById(page.body, 'channels-push')?.checked, true);
  const row = await runtime.db.selectFrom('notification_preferences').select(['email', 'push']).where('citizen_id', '=', idA).executeTakeFirstOrThrow();
  assert.deepEqual(row, { email: false, push: true });

  await citizenA.post('/account/notifications', { channels: ['email', 'push'] });
  const back = await runtime.db.selectFrom('notification_preferences').select(['email', 'push']).where('citizen_id', '=', idA).executeTakeFirstOrThrow();
  assert.deepEqual(back, { email: true, push: true });
  const audit = await runtime.db.selectFrom('audit_entries').select(['action', 'details']).where('actor_id', '=', idA).where('action', '=', 'citizen.notifications_changed').execute();
  assert.equal(audit.length, 2, 'each change is audited');
});

test('the subscription endpoint: CSRF required, https only, keys checked; the device is listed by browser and system', async () => {
  const endpoint = 'https://push.example/send/device-a';
  const noToken = await subscribe(citizenA, subscription(endpoint), { token: false });
  assert.equal(noToken.status, 403, 'no CSRF token, no subscription');

  const plain = await subscribe(citizenA, subscription('http://127.0.0.1:9/internal'));
  assert.equal(plain.status, 400);
  assert.match(plain.json<{ error: string }>().error, /muss mit https:\/\/ beginnen/, 'a clear message for a non-https endpoint');
  const badKeys = await subscribe(citizenA, { endpoint, keys: { p256dh: 'abc', auth: 'def' } });
  assert.equal(badKeys.status, 400);
  assert.match(badKeys.json<{ error: string }>().error, /Schlüssel/);
  const tooLong = await subscribe(citizenA, subscription(`https://push.example/${'x'.repeat(1000)}`));
  assert.equal(tooLong.status, 400);

  const ok = await subscribe(citizenA, subscription(endpoint));
  assert.equal(ok.status, 201);
  assert.equal(ok.json<{ redirect: string }>().redirect, '/account/notifications');
  const again = await subscribe(citizenA, subscription(endpoint));
  assert.equal(again.status, 201, 'subscribing again updates the keys');
  const rows = await runtime.db.selectFrom('push_subscriptions').select(['citizen_id', 'label']).where('endpoint', '=', endpoint).execute();
  assert.deepEqual(rows, [{ citizen_id: idA, label: 'Chrome · Android' }], 'one row per browser');

  const page = await citizenA.get('/account/notifications');
  const text = pageText(page.body);
  assert.match(text, /Dieses Gerät bekommt jetzt Push-Benachrichtigungen/);
  assert.match(text, /Chrome · Android/);
  assert.match(text, /Zuletzt zugestellt: noch nie/);
  assert.ok(!page.body.includes(endpoint), 'the endpoint (a capability) is not shown');
});

test("another citizen cannot remove a device; its owner can, without JavaScript", async () => {
  const device = await runtime.db.selectFrom('push_subscriptions').select('id').where('citizen_id', '=', idA).executeTakeFirstOrThrow();

  await citizenB.get('/account/notifications');
  const foreign = await citizenB.post('/account/push-subscriptions/remove', { id: device.id });
  assert.equal(foreign.status, 303);
  assert.match(pageText((await citizenB.get('/account/notifications')).body), /Dieses Gerät gibt es nicht mehr/);
  assert.ok(await runtime.db.selectFrom('push_subscriptions').select('id').where('id', '=', device.id).executeTakeFirst(), "A's device is still there");
  const garbage = await citizenB.post('/account/push-subscriptions/remove', { id: "1' or '1'='1" });
  assert.equal(garbage.status, 303, 'a malformed id is simply not found');

  const page = await citizenA.get('/account/notifications');
  assert.ok(page.body.includes(`value="${device.id}"`), 'the owner sees a remove button for the device');
  assert.equal((await citizenA.post('/account/push-subscriptions/remove', { id: device.id }, { csrf: false })).status, 403, 'CSRF required');
  const removed = await citizenA.post('/account/push-subscriptions/remove', { id: device.id });
  assert.equal(removed.status, 303);
  assert.match(pageText((await citizenA.get('/account/notifications')).body), /Das Gerät ist entfernt/);
  assert.equal(await runtime.db.selectFrom('push_subscriptions').select('id').where('id', '=', device.id).executeTakeFirst(), undefined);
});

test("a browser that another account used before moves to the account that subscribes now", async () => {
  const endpoint = 'https://push.example/send/shared-browser';
  assert.equal((await subscribe(citizenA, subscription(endpoint))).status, 201);
  assert.equal((await subscribe(citizenB, subscription(endpoint))).status, 201);
  const rows = await runtime.db.selectFrom('push_subscriptions').innerJoin('citizens', 'citizens.id', 'push_subscriptions.citizen_id').select('citizens.email').where('endpoint', '=', endpoint).execute();
  assert.deepEqual(rows, [{ email: 'b.benachrichtigung@example.org' }]);
});

test('the service worker is served at the site root as JavaScript', async () => {
  const res = await new HttpClient(app).get('/sw.js');
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /^application\/javascript/);
  assert.match(res.body, /showNotification/);
  assert.match(res.body, /notificationclick/);
  const script = await new HttpClient(app).get('/assets/push.js');
  assert.equal(script.status, 200);
  assert.match(script.body, /'csrf-token': token/, 'the script sends the token in the header the CSRF plugin reads');
});
