import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { Catalogue } from '../catalogue/registry.ts';
import type { ServiceDefinition } from '../catalogue/service-definition.ts';
import { EIDAS_ACR } from '../config.ts';
import { startDevIdp, type DevIdp } from '../devidp/dev-idp.tsx';
import { TEST_PERSONS } from '../devidp/test-persons.ts';
import { hashToken } from '../identity/sessions.ts';
import { serviceDefinitions } from '../services/index.ts';
import { versammlungsanzeige } from '../services/versammlungsanzeige/definition.ts';
import { HttpClient, pageText, testIdText } from '../test-support/http-client.ts';
import { IdpBrowser, passCitizenIdp, type CitizenChoice } from '../test-support/idp-browser.ts';
import { testApp, testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { requiredStepUp } from './identity-routes.tsx';

/**
 * Proving one's identity with the bundled development identity provider, end to end over real
 * HTTP: the provider runs on a free port and its pages are filled in like a person would; the
 * portal is driven through inject(). No token is forged anywhere.
 */
const PUBLIC_URL = 'http://127.0.0.1:3999';
const REDIRECT = `${PUBLIC_URL}/identity/callback`;
const CLIENT = { clientId: 'amtsweg-test', clientSecret: 'test-client-secret-0123456789', redirectUris: [REDIRECT] };
const ERIKA = TEST_PERSONS[0]!;
const ZOFIA = TEST_PERSONS[2]!;

/** Test-only service: needs level high, fills name and street from the verified identity. */
const stepUpService: ServiceDefinition = {
  ...versammlungsanzeige,
  id: 'identitaetstest',
  title: { de: 'Identitätstest', en: 'Identity test' },
  identityLevel: 'high',
  applicantNameField: 'familyName',
  applicantEmailField: undefined,
  caseSummary: () => 'Identitätstest',
  pages: [
    {
      id: 'person',
      title: { de: 'Zur Person', en: 'About you' },
      fields: [
        { id: 'givenName', type: 'text', maxLength: 100, required: true, label: { de: 'Vorname', en: 'Given name' }, prefill: 'given_name' },
        { id: 'familyName', type: 'text', maxLength: 100, required: true, label: { de: 'Familienname', en: 'Family name' }, prefill: 'family_name' },
        { id: 'street', type: 'text', maxLength: 100, required: true, label: { de: 'Straße', en: 'Street' }, prefill: 'street_address' },
        { id: 'reason', type: 'text', maxLength: 200, required: true, label: { de: 'Anlass', en: 'Reason' } },
      ],
    },
  ],
};

let idp: DevIdp;
let runtime: TestRuntime;
let app: FastifyInstance;

before(async () => {
  idp = await startDevIdp({ port: 0, citizenClients: [CLIENT] });
  runtime = await testRuntime({
    config: { publicUrl: PUBLIC_URL, identityProviders: [{ id: 'dev', name: { de: 'Test-Anbieter', en: 'Test provider' }, issuer: idp.citizenIssuer, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, acr: EIDAS_ACR }] },
  });
  app = await buildApp({ ...runtime, catalogue: new Catalogue([...serviceDefinitions, stepUpService], runtime.catalogue.city) });
  await app.ready();
});
after(async () => {
  await app?.close();
  await runtime?.close();
  await idp?.close();
});

const count = async (table: 'verified_identities' | 'citizens') => Number((await runtime.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const sessionRow = (client: HttpClient) => runtime.db.selectFrom('sessions').selectAll().where('id_hash', '=', hashToken(client.cookies.get('aw_session') ?? '')).executeTakeFirst();
const pathOf = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** Starts a verification at the portal and passes the provider's pages; returns the callback path (not yet called). */
async function throughProvider(client: HttpClient, choice: CitizenChoice, level: 'substantial' | 'high' = 'substantial', returnTo = '/'): Promise<string> {
  const page = await client.get(`/identity?level=${level}&return=${encodeURIComponent(returnTo)}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /Weiter mit Test-Anbieter/);
  const start = await client.post('/identity/start', { provider: 'dev', level, return: returnTo });
  assert.equal(start.status, 303, `start redirects to the provider (${start.body.slice(0, 200)})`);
  assert.ok(start.location?.startsWith(idp.citizenIssuer), 'the redirect goes to the provider');
  const { callbackUrl } = await passCitizenIdp(new IdpBrowser(), start.location!, REDIRECT, choice);
  return pathOf(callbackUrl);
}

async function assertNothingStored(client: HttpClient) {
  assert.equal(await count('verified_identities'), 0, 'no verified identity stored');
  assert.equal(await count('citizens'), 0, 'no citizen created');
  const s = await sessionRow(client);
  assert.equal(s?.level ?? 'none', 'none');
  assert.equal(s?.citizen_id ?? null, null);
}

describe('identity verification over OpenID Connect', () => {
  test('the online ID card at the bundled provider ends in a citizen session with level high and the verified claims stored', async () => {
    const client = new HttpClient(app);
    const callback = await throughProvider(client, { person: ERIKA.sub, method: 'eid', consent: 'allow' }, 'high', '/services');
    const before = client.cookies.get('aw_session');
    const done = await client.get(callback);
    assert.equal(done.status, 303, `callback accepted (${pageText(done.body).slice(0, 300)})`);
    assert.equal(done.location, '/services');
    assert.notEqual(client.cookies.get('aw_session'), before, 'the session id is rotated');
    const session = await sessionRow(client);
    assert.equal(session?.kind, 'citizen');
    assert.equal(session?.level, 'high');
    const identity = await runtime.db.selectFrom('verified_identities').selectAll().where('subject', '=', ERIKA.sub).executeTakeFirstOrThrow();
    assert.equal(identity.provider, 'dev');
    assert.equal(identity.level, 'high');
    assert.equal(identity.citizen_id, session?.citizen_id);
    assert.deepEqual(identity.claims, { given_name: 'Erika', family_name: 'Mustermann', birthdate: '1964-08-12', place_of_birth: 'Berlin', nationality: 'DE', address: { ...ERIKA.address } });
    const audit = await runtime.db.selectFrom('audit_pending').select(['action', 'details']).where('action', 'like', 'identity.%').execute();
    assert.deepEqual(audit.map((a) => a.action), ['identity.verified']);
    assert.doesNotMatch(JSON.stringify(audit), /Erika|Mustermann|1964|Marktplatz/, 'no personal data in the audit entry');

    // The same person again (another browser): the same citizen, the identity refreshed, not duplicated.
    const again = new HttpClient(app);
    const second = await again.get(await throughProvider(again, { person: ERIKA.sub, method: 'elster', consent: 'allow' }));
    assert.equal(second.status, 303);
    assert.equal((await sessionRow(again))?.citizen_id, session?.citizen_id);
    assert.equal((await sessionRow(again))?.level, 'substantial');
    assert.equal(await count('verified_identities'), 1);
    await runtime.db.deleteFrom('citizens').execute();
  });

  test('an ELSTER-like certificate gives level substantial', async () => {
    const client = new HttpClient(app);
    const done = await client.get(await throughProvider(client, { person: ZOFIA.sub, method: 'elster', consent: 'allow' }));
    assert.equal(done.status, 303);
    assert.equal((await sessionRow(client))?.level, 'substantial');
    const identity = await runtime.db.selectFrom('verified_identities').selectAll().executeTakeFirstOrThrow();
    assert.equal(identity.level, 'substantial');
    assert.equal((identity.claims as { nationality: string }).nationality, 'PL');
    await runtime.db.deleteFrom('citizens').execute();
  });

  test('a wrong state is refused with a clear message and nothing is stored', async () => {
    const client = new HttpClient(app);
    const callback = new URL(await throughProvider(client, { person: ERIKA.sub, method: 'eid', consent: 'allow' }), PUBLIC_URL);
    callback.searchParams.set('state', 'forged-state-value');
    const res = await client.get(pathOf(callback.toString()));
    assert.equal(res.status, 400);
    assert.match(testIdText(res.body, 'verification-error') ?? '', /Sicherheitsprüfung „state“/);
    await assertNothingStored(client);
    const audit = await runtime.db.selectFrom('audit_pending').select('details').where('action', '=', 'identity.verification_failed').execute();
    assert.ok(audit.some((a) => (a.details as { reason: string }).reason === 'state'), 'the failure is audited with its reason');
  });

  test('a wrong nonce is refused with a clear message and nothing is stored', async () => {
    const client = new HttpClient(app);
    const callback = await throughProvider(client, { person: ERIKA.sub, method: 'eid', consent: 'allow' });
    const s = await sessionRow(client);
    const data = s!.data as Record<string, Record<string, unknown>>;
    await runtime.db.updateTable('sessions').set({ data: JSON.stringify({ ...data, identityPending: { ...data.identityPending, nonce: 'tampered-nonce' } }) }).where('id_hash', '=', s!.id_hash).execute();
    const res = await client.get(callback);
    assert.equal(res.status, 400);
    assert.match(testIdText(res.body, 'verification-error') ?? '', /Sicherheitsprüfung „nonce“/);
    await assertNothingStored(client);
  });

  test('cancelling on the consent page returns access_denied: "Sie haben den Nachweis abgebrochen", nothing stored', async () => {
    const client = new HttpClient(app);
    const callback = await throughProvider(client, { person: ERIKA.sub, method: 'eid', consent: 'cancel' });
    assert.match(callback, /error=access_denied/);
    const res = await client.get(callback);
    assert.equal(res.status, 200);
    assert.match(testIdText(res.body, 'verification-error') ?? '', /Sie haben den Nachweis abgebrochen/);
    assert.match(res.body, /lang="de"/);
    await assertNothingStored(client);
  });

  test('a replayed code is refused, and an answer without a pending verification too; nothing more is stored', async () => {
    const client = new HttpClient(app);
    const callback = await throughProvider(client, { person: ERIKA.sub, method: 'eid', consent: 'allow' });
    const pending = ((await sessionRow(client))!.data as Record<string, unknown>).identityPending;
    assert.equal((await client.get(callback)).status, 303, 'the first use succeeds');
    const stored = await runtime.db.selectFrom('verified_identities').select('verified_at').executeTakeFirstOrThrow();

    // The same answer again in the same browser: the verification was used up.
    const again = await client.get(callback);
    assert.equal(again.status, 400);
    assert.match(testIdText(again.body, 'verification-error') ?? '', /keinen begonnenen Nachweis/);

    // Even with state, nonce and code verifier put back (an attacker who has them all), the provider refuses the used code.
    const s = await sessionRow(client);
    await runtime.db.updateTable('sessions').set({ data: JSON.stringify({ ...(s!.data as object), identityPending: pending }) }).where('id_hash', '=', s!.id_hash).execute();
    const replay = await client.get(callback);
    assert.equal(replay.status, 400);
    assert.match(testIdText(replay.body, 'verification-error') ?? '', /schon verwendet oder ist abgelaufen/);
    assert.equal(await count('verified_identities'), 1);
    assert.deepEqual((await runtime.db.selectFrom('verified_identities').select('verified_at').executeTakeFirstOrThrow()).verified_at, stored.verified_at);
    await runtime.db.deleteFrom('citizens').execute();
  });

  test('a level lower than requested is refused', async () => {
    const client = new HttpClient(app);
    // Asked for substantial, answered substantial; then the request is made to look as if "high" had been asked for.
    const callback = await throughProvider(client, { person: ERIKA.sub, method: 'elster', consent: 'allow' });
    const s = await sessionRow(client);
    const data = s!.data as Record<string, Record<string, unknown>>;
    await runtime.db.updateTable('sessions').set({ data: JSON.stringify({ ...data, identityPending: { ...data.identityPending, level: 'high' } }) }).where('id_hash', '=', s!.id_hash).execute();
    const res = await client.get(callback);
    assert.equal(res.status, 403);
    assert.match(testIdText(res.body, 'verification-error') ?? '', /niedrigeres Vertrauensniveau/);
    await assertNothingStored(client);
  });

  test('step-up: a service needing level high asks for the proof, comes back to the same form page, and takes name and street from the identity, not from the post', async () => {
    assert.equal(requiredStepUp(stepUpService, 'none'), 'high');
    assert.equal(requiredStepUp(stepUpService, 'substantial'), 'high');
    assert.equal(requiredStepUp(stepUpService, 'high'), undefined);
    assert.equal(requiredStepUp(versammlungsanzeige, 'none'), undefined);
    const accountService = { ...stepUpService, identityLevel: 'basic' as const };
    assert.equal(requiredStepUp(accountService, 'none'), 'basic');
    assert.equal(requiredStepUp(accountService, 'basic'), undefined);
    assert.equal(requiredStepUp(accountService, 'substantial'), undefined);

    const client = new HttpClient(app);
    const formPath = '/services/identitaetstest/form/person';
    const gate = await client.get(formPath);
    assert.equal(gate.status, 403);
    assert.match(testIdText(gate.body, 'step-up-reason') ?? '', /Für „Identitätstest“ brauchen wir einen Nachweis Ihrer Identität mit dem Vertrauensniveau hoch/);
    assert.match(gate.body, new RegExp(`name="return" value="${formPath}"`));
    const blockedPost = await client.post(formPath, { givenName: 'Mallory', familyName: 'X', street: 'Y', reason: 'Z' });
    assert.equal(blockedPost.status, 403, 'the form cannot be posted around the gate');

    const start = await client.post('/identity/start', { provider: 'dev', level: 'high', return: formPath });
    const { callbackUrl, loginPage } = await passCitizenIdp(new IdpBrowser(), start.location!, REDIRECT, { person: ERIKA.sub, method: 'eid', consent: 'allow' });
    assert.doesNotMatch(loginPage, /ELSTER/, 'asked for high, the provider offers only the online ID card');
    const back = await client.get(pathOf(callbackUrl));
    assert.equal(back.location, formPath, 'back to where the citizen was');

    const form = await client.get(formPath);
    assert.equal(form.status, 200);
    const confirmed = testIdText(form.body, 'confirmed-data') ?? '';
    assert.match(pageText(form.body), /Aus Ihrem Identitätsnachweis Vorname Erika Familienname Mustermann Straße Marktplatz 1/);
    assert.match(pageText(form.body), /wenden Sie sich bitte an die Meldebehörde/);
    assert.ok(confirmed !== undefined, 'confirmed data block present');
    assert.doesNotMatch(form.body, /name="givenName"|name="familyName"|name="street"/, 'confirmed fields are not form fields, not even hidden ones');
    assert.match(form.body, /name="reason"/);

    const posted = await client.post(formPath, { givenName: 'Mallory', familyName: 'Fake', street: 'Nowhere 1', reason: 'Test' });
    assert.equal(posted.status, 303, `accepted (${pageText(posted.body).slice(0, 300)})`);
    const draft = await runtime.db.selectFrom('drafts').select('data').where('service_id', '=', 'identitaetstest').executeTakeFirstOrThrow();
    assert.deepEqual(draft.data, { givenName: 'Erika', familyName: 'Mustermann', street: 'Marktplatz 1', reason: 'Test' });

    const check = await client.get('/services/identitaetstest/check');
    assert.equal(check.status, 200);
    assert.match(pageText(check.body), /Vorname Erika/);
    assert.doesNotMatch(check.body, /form\/person\?return=check#givenName/, 'confirmed data has no change link');
    assert.match(check.body, /form\/person\?return=check#reason/);
    const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)?.[1] ?? '';
    const sent = await client.post('/services/identitaetstest/submit', { formToken });
    assert.equal(sent.status, 303, `submitted (${pageText(sent.body).slice(0, 300)})`);
    const filed = await runtime.db.selectFrom('cases').select('form_data').where('service_id', '=', 'identitaetstest').executeTakeFirstOrThrow();
    assert.equal((filed.form_data as Record<string, string>).givenName, 'Erika');

    const api = await new HttpClient(app).sendJson('POST', '/api/v1/services/identitaetstest/submissions', { data: { givenName: 'Mallory', familyName: 'X', street: 'Y', reason: 'Z' } }, { 'idempotency-key': 'identity-test-0001' });
    assert.equal(api.status, 403, 'the API, which has no citizen identity, cannot go around the level');
  });
});

test('a provider that cannot be reached gets a clear message, not an internal error', async () => {
  const { app: other, close } = await testApp({ config: { publicUrl: PUBLIC_URL, identityProviders: [{ id: 'down', name: { de: 'Nicht da', en: 'Away' }, issuer: 'http://127.0.0.1:9/nobody', clientId: 'x', clientSecret: 'y'.repeat(20), acr: EIDAS_ACR }] } });
  try {
    const client = new HttpClient(other);
    await client.get('/identity');
    const res = await client.post('/identity/start', { provider: 'down', level: 'high', return: '/' });
    assert.equal(res.status, 503);
    assert.match(testIdText(res.body, 'verification-error') ?? '', /gerade nicht erreichbar/);
  } finally {
    await close();
  }
});

test('an acr the provider configuration does not know is refused, nothing stored', async () => {
  const { app: other, runtime: rt, close } = await testApp({
    config: { publicUrl: PUBLIC_URL, identityProviders: [{ id: 'dev', name: { de: 'Test-Anbieter', en: 'Test provider' }, issuer: idp.citizenIssuer, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, acr: { substantial: 'urn:example:loa:3', high: 'urn:example:loa:4' } }] },
  });
  try {
    const client = new HttpClient(other);
    await client.get('/identity');
    const start = await client.post('/identity/start', { provider: 'dev', level: 'high', return: '/' });
    const { callbackUrl } = await passCitizenIdp(new IdpBrowser(), start.location!, REDIRECT, { person: ERIKA.sub, method: 'eid', consent: 'allow' });
    const res = await client.get(pathOf(callbackUrl));
    assert.equal(res.status, 400);
    assert.match(testIdText(res.body, 'verification-error') ?? '', /unbekanntes Vertrauensniveau/);
    assert.equal(Number((await rt.db.selectFrom('verified_identities').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n), 0);
  } finally {
    await close();
  }
});
