import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { EIDAS_ACR } from '../config.ts';
import { startDevIdp, type DevIdp } from '../devidp/dev-idp.tsx';
import { TEST_PERSONS } from '../devidp/test-persons.ts';
import { controlById, HttpClient, pageText, testIdText, type HttpResponse } from '../test-support/http-client.ts';
import { IdpBrowser, passCitizenIdp } from '../test-support/idp-browser.ts';
import { testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { waitFor } from '../test-support/wait-for.ts';
import { codeShape, hashCode, newConfirmationCode, normaliseCode } from './confirmation-code.ts';
import { CONFIRMATION_DOCUMENT_TITLE } from './link-confirmation.job.ts';

/**
 * The online Wohnungsgeberbestätigung over real HTTP, and the Wohnsitzanmeldung and
 * Meldebescheinigung that use it, with a citizen verified at level high through the bundled
 * identity provider (its pages filled in like a person would; no token forged).
 */
const PUBLIC_URL = 'http://127.0.0.1:3998';
const REDIRECT = `${PUBLIC_URL}/identity/callback`;
const CLIENT = { clientId: 'amtsweg-landlord-test', clientSecret: 'landlord-test-client-secret-0123456789', redirectUris: [REDIRECT] };
const JONAS = TEST_PERSONS.find((p) => p.given_name === 'Jonas')!;
const ERIKA = TEST_PERSONS[0]!;

let idp: DevIdp;
let runtime: TestRuntime;
let app: FastifyInstance;

before(async () => {
  idp = await startDevIdp({ port: 0, citizenClients: [CLIENT] });
  runtime = await testRuntime({
    config: { publicUrl: PUBLIC_URL, identityProviders: [{ id: 'dev', name: { de: 'Test-Anbieter', en: 'Test provider' }, issuer: idp.citizenIssuer, clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret, acr: EIDAS_ACR }] },
  });
  app = await buildApp(runtime);
  await app.ready();
  await runtime.jobs.work();
});
after(async () => {
  await app?.close();
  await runtime?.close();
  await idp?.close();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Europe/Berlin' });

const landlordForm = (overrides: Record<string, string | string[]> = {}) => ({
  landlordName: 'Wohnbau Saale GmbH',
  landlordStreet: 'Hansering 1',
  landlordPostcode: '06108',
  landlordTown: 'Halle (Saale)',
  movement: 'move_in',
  moveDate: day(-3),
  flatStreet: 'Große Steinstraße 12',
  flatDetail: '2. OG links',
  flatPostcode: '06108',
  flatTown: 'Halle (Saale)',
  residents: 'Jonas Weber\nLea Weber',
  confirmer: 'agent',
  agentName: 'Hausverwaltung Muster',
  landlordIsOwner: 'yes',
  ownerName: '',
  ownerAddress: '',
  declaration: ['true'],
  ...overrides,
});

/** The landlord confirms straight away; returns the code shown once. */
async function confirmAsLandlord(client: HttpClient, overrides: Record<string, string | string[]> = {}): Promise<string> {
  assert.equal((await client.get('/wohnungsgeber/bestaetigen')).status, 200, 'the form opens');
  const sent = await client.post('/wohnungsgeber/bestaetigen', landlordForm(overrides));
  assert.equal(sent.status, 303, `confirmation accepted (${pageText(sent.body).slice(0, 300)})`);
  assert.equal(sent.location, '/wohnungsgeber/code', 'no data in the URL');
  const shown = await client.get('/wohnungsgeber/code');
  const code = testIdText(shown.body, 'landlord-code');
  assert.ok(code && codeShape(code) === 'ok', `a well-formed code is shown (${code})`);
  return code;
}

/** Proves the identity with the online ID card at the bundled provider; the client's session is then at level high. */
async function verifyHigh(client: HttpClient, person: string, returnTo: string): Promise<void> {
  const gate = await client.get(returnTo);
  assert.equal(gate.status, 403, 'the form asks for the proof of identity first');
  const start = await client.post('/identity/start', { provider: 'dev', level: 'high', return: returnTo });
  assert.equal(start.status, 303, 'verification starts');
  const { callbackUrl } = await passCitizenIdp(new IdpBrowser(), start.location!, REDIRECT, { person, method: 'eid', consent: 'allow' });
  const u = new URL(callbackUrl);
  const back = await client.get(`${u.pathname}${u.search}`);
  assert.equal(back.location, returnTo, 'back at the form');
}

async function post(client: HttpClient, service: string, page: string, values: Record<string, string>): Promise<HttpResponse> {
  const form = await client.get(`/services/${service}/form/${page}`);
  assert.equal(form.status, 200, `GET ${service} ${page}`);
  return client.post(`/services/${service}/form/${page}`, values);
}

const REGISTRATION_PAGES: ReadonlyArray<[string, Record<string, string>]> = [
  ['person', { email: 'jonas@example.org' }],
  ['wohnung', { street: 'Große Steinstraße', houseNumber: '12', addressDetail: '2. OG links', postcode: '06108', town: 'Halle (Saale)', moveInDate: day(-3), residenceType: 'main', keepsPrevious: 'no' }],
  ['mitziehende', { companionCount: '1' }],
  ['personen', { p1GivenNames: 'Lea', p1FamilyName: 'Weber', p1Birthdate: '1987-04-01', p1Relation: 'spouse' }],
  ['wohnungsgeber', { landlordProof: 'code' }],
];

/** A citizen verified at level high who has filled the registration up to the code page. */
async function registrantAtCodePage(): Promise<HttpClient> {
  const client = new HttpClient(app);
  await client.get('/services/wohnsitzanmeldung');
  await verifyHigh(client, JONAS.sub, '/services/wohnsitzanmeldung/form/person');
  for (const [page, values] of REGISTRATION_PAGES) {
    const res = await post(client, 'wohnsitzanmeldung', page, values);
    assert.equal(res.status, 303, `page ${page} accepted (${pageText(res.body).slice(0, 400)})`);
  }
  return client;
}

async function enterCode(client: HttpClient, code: string): Promise<HttpResponse> {
  return post(client, 'wohnsitzanmeldung', 'wohnungsgeber-code', { landlordCode: code });
}

function assertRefusedAtField(res: HttpResponse, typed: string, message: RegExp, why: string) {
  assert.equal(res.status, 422, `${why}: refused`);
  assert.match(pageText(res.body), message, `${why}: the reason is told`);
  assert.match(res.body, /id="landlordCode-error"/, `${why}: the message stands at the field`);
  assert.equal(controlById(res.body, 'landlordCode')?.value, typed, `${why}: what was typed is kept`);
}

describe('confirmation codes', () => {
  test('a new code is well-formed; any single mistyped character is caught; typing is forgiving', () => {
    for (let i = 0; i < 200; i++) {
      const code = newConfirmationCode();
      assert.equal(codeShape(code), 'ok', 'well-formed');
      const pos = i % 10;
      const wrong = code.slice(0, pos) + (code[pos] === 'A' ? 'B' : 'A') + code.slice(pos + 1);
      assert.equal(codeShape(wrong), 'typo', `a changed character at ${pos} is a typo`);
    }
    const code = newConfirmationCode();
    const typed = `${code.slice(0, 5).toLowerCase()} - ${code.slice(5)}`;
    assert.equal(normaliseCode(typed), code, 'lower case, spaces and hyphens do not matter');
    assert.equal(hashCode(typed), hashCode(code), 'and hash the same');
    assert.equal(codeShape('ABC'), 'length', 'too short');
  });
});

describe('Wohnungsgeberbestätigung pages', () => {
  test('the landlord confirms straight away: mistakes at their fields with the input kept, then a code shown once and stored only as a hash', async () => {
    const client = new HttpClient(app);
    assert.match(pageText((await client.get('/wohnungsgeber')).body), /Ich bin Wohnungsgeber/, 'the start page');
    await client.get('/wohnungsgeber/bestaetigen');
    const noCsrf = await client.post('/wohnungsgeber/bestaetigen', landlordForm(), { csrf: false });
    assert.equal(noCsrf.status, 403, 'no CSRF token, no confirmation');
    const noNames = await client.post('/wohnungsgeber/bestaetigen', landlordForm({ residents: '' }));
    assert.equal(noNames.status, 422, 'refused without names');
    assert.match(pageText(noNames.body), /Bitte geben Sie „Namen aller Personen, die ein- oder ausziehen“ an/, 'the names are required');
    const bad = await client.post('/wohnungsgeber/bestaetigen', landlordForm({ landlordIsOwner: 'no', agentName: '', moveDate: day(200) }));
    assert.equal(bad.status, 422, 'refused');
    const text = pageText(bad.body);
    assert.match(text, /Bitte nennen Sie den Eigentümer/, 'the owner is required when the landlord is not the owner');
    assert.match(text, /beauftragte Person oder Firma/, 'the agent is required when an agent confirms');
    assert.match(text, /mehr als 90 Tage in der Zukunft/, 'a move far ahead is refused');
    assert.equal(controlById(bad.body, 'landlordName')?.value, 'Wohnbau Saale GmbH', 'what was typed is kept');

    const code = await confirmAsLandlord(client);
    const again = await client.get('/wohnungsgeber/code');
    assert.equal(testIdText(again.body, 'landlord-code'), undefined, 'the code is shown once');
    const row = await runtime.db.selectFrom('landlord_confirmations').selectAll().where('code_hash', '=', hashCode(code)).executeTakeFirstOrThrow();
    assert.equal(row.started_by, 'landlord');
    assert.deepEqual((row.confirmation as { residents: string[] }).residents, ['Jonas Weber', 'Lea Weber'], 'one name per line');
    assert.ok(!JSON.stringify(row).includes(normaliseCode(code)), 'the code itself is not stored');
  });

  test('the tenant asks: the landlord gets a mail with a link (no personal data in it), confirms the prefilled data, the link then works no more; an expired link is refused', async () => {
    const tenant = new HttpClient(app);
    await tenant.get('/wohnungsgeber/anfrage');
    const asked = await tenant.post('/wohnungsgeber/anfrage', { flatStreet: 'Große Steinstraße 12', flatDetail: '', flatPostcode: '06108', flatTown: 'Halle (Saale)', moveDate: day(-2), residents: 'Jonas Weber', landlordEmail: 'Vermieter@Example.org' });
    assert.equal(asked.status, 303, `request accepted (${pageText(asked.body).slice(0, 300)})`);
    assert.equal(asked.location, '/wohnungsgeber/anfrage/gesendet');
    const mail = await runtime.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'vermieter@example.org').executeTakeFirstOrThrow();
    const link = /https?:\/\/[^\s]+(\/wohnungsgeber\/b\/[A-Za-z0-9_-]{43})/.exec(mail.text_body)?.[1];
    assert.ok(link, 'the mail carries the link');
    assert.doesNotMatch(mail.text_body, /Steinstraße|Jonas|Weber/, 'the mail names neither the flat nor the tenant');

    const landlord = new HttpClient(app);
    const form = await landlord.get(link);
    assert.equal(form.status, 200, 'the link opens the form');
    assert.equal(form.headers['cache-control'], 'no-store', 'never cached');
    assert.equal(controlById(form.body, 'flatStreet')?.value, 'Große Steinstraße 12', 'prefilled with what the tenant asked');
    assert.equal(controlById(form.body, 'residents')?.value, 'Jonas Weber', 'names prefilled');
    const sent = await landlord.post(link, landlordForm({ moveDate: day(-2), residents: 'Jonas Weber' }));
    assert.equal(sent.status, 303, `confirmed (${pageText(sent.body).slice(0, 300)})`);
    const code = testIdText((await landlord.get(sent.location!)).body, 'landlord-code');
    assert.ok(code && codeShape(code) === 'ok', 'a code');
    const row = await runtime.db.selectFrom('landlord_confirmations').selectAll().where('code_hash', '=', hashCode(code)).executeTakeFirstOrThrow();
    assert.equal(row.started_by, 'tenant');
    assert.equal(row.invite_email, null, "the landlord's address goes once the link is used");
    const reused = await landlord.get(link);
    assert.equal(reused.status, 409, 'the link is used up');
    assert.match(testIdText(reused.body, 'invite-problem') ?? '', /schon bestätigt/);
    assert.equal((await landlord.post(link, landlordForm())).status, 409, 'and cannot be posted again');

    await tenant.get('/wohnungsgeber/anfrage');
    await tenant.post('/wohnungsgeber/anfrage', { flatStreet: 'Markt 1', flatDetail: '', flatPostcode: '06108', flatTown: 'Halle (Saale)', moveDate: day(-1), residents: '', landlordEmail: 'old@example.org' });
    const oldMail = await runtime.db.selectFrom('mail_outbox').select('text_body').where('to_address', '=', 'old@example.org').executeTakeFirstOrThrow();
    const oldLink = /(\/wohnungsgeber\/b\/[A-Za-z0-9_-]{43})/.exec(oldMail.text_body)![1]!;
    await runtime.db.updateTable('landlord_confirmations').set({ invite_expires_at: new Date(Date.now() - 1000) }).where('invite_email', '=', 'old@example.org').execute();
    const expired = await new HttpClient(app).get(oldLink);
    assert.equal(expired.status, 410, 'an expired link is refused');
    assert.match(testIdText(expired.body, 'invite-problem') ?? '', /abgelaufen/);
    assert.equal((await new HttpClient(app).get('/wohnungsgeber/b/not-a-token')).status, 404, 'a wrong token is unknown');
  });
});

describe('Wohnsitzanmeldung with the code', () => {
  test('a mistyped, unknown, expired, used or mismatching code is refused at the field with the typed value kept; a good one is accepted, bound to the case and its content filed in the case file', async () => {
    const landlord = new HttpClient(app);
    const code = await confirmAsLandlord(landlord);
    const client = await registrantAtCodePage();

    const plain = normaliseCode(code);
    const typo = plain.slice(0, 9) + (plain[9] === 'A' ? 'B' : 'A');
    assertRefusedAtField(await enterCode(client, typo), typo, /Tippfehler/, 'a mistyped code');
    const unknown = newConfirmationCode();
    assertRefusedAtField(await enterCode(client, unknown), unknown, /keine Wohnungsgeberbestätigung/, 'an unknown code');
    assertRefusedAtField(await enterCode(client, 'abc'), 'abc', /10 Zeichen/, 'a code of the wrong length');

    const expiredCode = await confirmAsLandlord(new HttpClient(app));
    await runtime.db.updateTable('landlord_confirmations').set({ code_expires_at: new Date(Date.now() - 1000) }).where('code_hash', '=', hashCode(expiredCode)).execute();
    assertRefusedAtField(await enterCode(client, expiredCode), expiredCode, /abgelaufen/, 'an expired code');

    const otherFlat = await confirmAsLandlord(new HttpClient(app), { flatStreet: 'Markt 3' });
    assertRefusedAtField(await enterCode(client, otherFlat), otherFlat, /andere Wohnung/, 'a code for another flat');
    const otherDay = await confirmAsLandlord(new HttpClient(app), { moveDate: day(-5) });
    assertRefusedAtField(await enterCode(client, otherDay), otherDay, /anderen Einzugstag/, 'a code for another move-in date');
    const moveOut = await confirmAsLandlord(new HttpClient(app), { movement: 'move_out' });
    assertRefusedAtField(await enterCode(client, moveOut), moveOut, /Auszugs/, 'a move-out confirmation');

    const typedLoosely = code.toLowerCase().replace('-', ' ');
    const accepted = await enterCode(client, typedLoosely);
    assert.equal(accepted.status, 303, `the good code is accepted (${pageText(accepted.body).slice(0, 300)})`);
    assert.equal(accepted.location, '/services/wohnsitzanmeldung/check');
    const check = await client.get('/services/wohnsitzanmeldung/check');
    assert.equal(check.status, 200, 'the summary has nothing to correct');
    assert.match(pageText(check.body), /Vornamen Jonas Familienname Weber/, 'identity data in the summary');
    const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)?.[1] ?? '';
    const sent = await client.post('/services/wohnsitzanmeldung/submit', { formToken });
    assert.equal(sent.status, 303, `submitted (${pageText(sent.body).slice(0, 300)})`);
    const filed = await runtime.db.selectFrom('cases').select(['id', 'form_data', 'state']).where('service_id', '=', 'wohnsitzanmeldung').executeTakeFirstOrThrow();
    assert.equal((filed.form_data as Record<string, string>).givenNames, 'Jonas', 'names from the identity');
    assert.equal((filed.form_data as Record<string, string>).currentTown, 'Leipzig', 'previous address from the identity');

    // The job binds the code to the case and files the landlord's data as a PDF in the case file.
    const doc = await waitFor(
      () => runtime.db.selectFrom('documents').select(['id', 'title', 'content_type']).where('case_id', '=', filed.id).where('title', '=', CONFIRMATION_DOCUMENT_TITLE).executeTakeFirst(),
      'the landlord confirmation in the case file',
    );
    assert.equal(doc.content_type, 'application/pdf');
    const row = await runtime.db.selectFrom('landlord_confirmations').select(['used_by_case_id']).where('code_hash', '=', hashCode(code)).executeTakeFirstOrThrow();
    assert.equal(row.used_by_case_id, filed.id, 'the code is bound to the case');

    // The same code again, by someone else: used.
    const second = await registrantAtCodePage();
    assertRefusedAtField(await enterCode(second, code), code, /schon für eine Anmeldung verwendet/, 'a used code');
  });

  test('a code used up between the page and the submission stops the submission, and the summary says why', async () => {
    const code = await confirmAsLandlord(new HttpClient(app));
    const client = await registrantAtCodePage();
    assert.equal((await enterCode(client, code)).status, 303, 'accepted on its page');
    const someCase = await runtime.db.selectFrom('cases').select('id').executeTakeFirstOrThrow();
    await runtime.db.updateTable('landlord_confirmations').set({ used_by_case_id: someCase.id, used_at: new Date() }).where('code_hash', '=', hashCode(code)).execute();
    const check = await client.get('/services/wohnsitzanmeldung/check');
    assert.equal(check.status, 422, 'the summary shows the problem');
    assert.match(pageText(check.body), /schon für eine Anmeldung verwendet/);
    const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)?.[1] ?? '';
    const before = await runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const sent = await client.post('/services/wohnsitzanmeldung/submit', { formToken });
    assert.equal(sent.status, 422, 'not submitted');
    const afterCount = await runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n, 'no case filed');
  });
});

describe('Meldebescheinigung', () => {
  test('issued at once for a citizen verified at level high: the sealed PDF is on the status page without any clerk', async () => {
    const client = new HttpClient(app);
    await client.get('/services/meldebescheinigung');
    await verifyHigh(client, ERIKA.sub, '/services/meldebescheinigung/form/person');
    assert.equal((await post(client, 'meldebescheinigung', 'person', { email: 'erika@example.org' })).status, 303, 'person page');
    assert.equal((await post(client, 'meldebescheinigung', 'art', { kind: 'extended', purpose: 'zur Vorlage beim Arbeitgeber' })).status, 303, 'kind page');
    const check = await client.get('/services/meldebescheinigung/check');
    const formToken = /name="formToken" value="([^"]+)"/.exec(check.body)?.[1] ?? '';
    const sent = await client.post('/services/meldebescheinigung/submit', { formToken });
    assert.equal(sent.status, 303, 'submitted');
    const filed = await runtime.db.selectFrom('cases').select(['id']).where('service_id', '=', 'meldebescheinigung').executeTakeFirstOrThrow();
    const issued = await waitFor(
      () => runtime.db.selectFrom('issued_documents').select(['template_id', 'document_id']).where('case_id', '=', filed.id).executeTakeFirst(),
      'the Meldebescheinigung issued',
    );
    assert.equal(issued.template_id, 'meldebescheinigung');
    const state = await runtime.db.selectFrom('cases').select('state').where('id', '=', filed.id).executeTakeFirstOrThrow();
    assert.equal(state.state, 'issued', 'the system took the transition');
    const event = await runtime.db.selectFrom('case_events').select(['actor_type']).where('case_id', '=', filed.id).where('transition_id', '=', 'issue').executeTakeFirstOrThrow();
    assert.equal(event.actor_type, 'system', 'taken by the system, not a clerk');
    const status = await client.get(`/status/${filed.id}`);
    assert.match(pageText(status.body), /Ausgestellt/, 'the status page says issued');
    assert.match(pageText(status.body), /Meldebescheinigung/, 'and lists the document');
  });
});
