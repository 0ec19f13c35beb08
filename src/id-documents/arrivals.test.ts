import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { submitCase } from '../cases/submit-case.ts';
import { transitionCase } from '../cases/transition-case.ts';
import { ValidationError } from '../platform/errors.ts';
import { HttpClient, pageText } from '../test-support/http-client.ts';
import { staffActor, testApp, type TestRuntime } from '../test-support/runtime.ts';
import { signInStaff } from '../test-support/staff-sign-in.ts';
import { waitFor } from '../test-support/wait-for.ts';

/**
 * The bulk arrival page over real HTTP and a real database: a Bürgerservice clerk enters serial
 * numbers, each matching case in production moves on through the engine (audited, the applicant
 * told); unknown, malformed, repeated and already-moved numbers are reported; other departments'
 * staff are refused.
 */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
let clerk: HttpClient;

const PATH = '/staff/id-documents/arrivals';

const applicant = (overrides: Record<string, string> = {}) => ({
  givenName: 'Erika',
  familyName: 'Mustermann',
  birthName: '',
  birthdate: '1964-08-12',
  placeOfBirth: 'Berlin',
  nationality: 'DE',
  street: 'Marktplatz 1',
  postcode: '06108',
  town: 'Halle (Saale)',
  email: 'erika@example.org',
  applicationReason: 'expired',
  heightCm: '172',
  eyeColour: 'blau',
  photoCode: 'K7QW-3MXA-9PZD',
  delivery: 'pickup',
  ...overrides,
});

/** An application filed and ordered from the Bundesdruckerei with this serial (as the clerk does in the case file). */
async function inProduction(serviceId: string, serial: string, overrides: Record<string, string> = {}): Promise<{ id: string; reference: string }> {
  const filed = await submitCase(runtime, { serviceId, data: applicant(overrides), idempotencyScope: 'api', idempotencyKey: randomUUID() });
  await transitionCase(runtime, { caseId: filed.caseId, transitionId: 'start_production', expectedVersion: undefined, actor: await staffActor(runtime.db, 'buergerservice'), input: { serialNumber: serial } });
  return { id: filed.caseId, reference: filed.reference };
}

const stateOf = async (id: string) => (await runtime.db.selectFrom('cases').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
const outcomes = (html: string) => [...html.matchAll(/<tr class="kern-table__row" data-outcome="([a-z_]+)">\s*<th[^>]*>\s*<code>([^<]*)<\/code>/g)].map((m) => [m[2]!, m[1]!]);
const textarea = (html: string) => /<textarea[^>]*name="serials"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? '';

before(async () => {
  ({ app, runtime, close } = await testApp());
  await runtime.jobs.work();
  clerk = await signInStaff(app, 'buergerservice');
});
after(async () => close());

test('the serial number is recorded when production starts, and a serial is never given twice', async () => {
  const a = await inProduction('personalausweis', 'l01x 00t47');
  const row = await runtime.db.selectFrom('id_document_serials').selectAll().where('case_id', '=', a.id).executeTakeFirstOrThrow();
  assert.equal(row.serial, 'L01X00T47', 'stored normalised');
  const other = await submitCase(runtime, { serviceId: 'reisepass', data: { ...applicant(), express: 'no' }, idempotencyScope: 'api', idempotencyKey: randomUUID() });
  await assert.rejects(
    transitionCase(runtime, { caseId: other.caseId, transitionId: 'start_production', expectedVersion: undefined, actor: await staffActor(runtime.db, 'buergerservice'), input: { serialNumber: 'L01X00T47' } }),
    (err: unknown) => err instanceof ValidationError && err.fields[0]?.field === 'serialNumber' && /schon einem anderen Antrag/.test(err.fields[0].message.de),
    'the second case with the same serial is refused at the serial field',
  );
  assert.equal(await stateOf(other.caseId), 'applied', 'and stays where it was (the transaction rolled back)');
  await assert.rejects(
    transitionCase(runtime, { caseId: other.caseId, transitionId: 'start_production', expectedVersion: undefined, actor: await staffActor(runtime.db, 'buergerservice'), input: { serialNumber: 'ABC' } }),
    (err: unknown) => err instanceof ValidationError && /9 Zeichen/.test(err.fields[0]?.message.de ?? ''),
    'a malformed serial is refused by the guard',
  );
});

test('the clerk marks cards arrived in bulk: moved, unknown, malformed, listed twice, in another state', async () => {
  const pickup = await inProduction('personalausweis', 'T22CFGH01', { email: 'pickup@example.org' });
  const post = await inProduction('personalausweis', 'T22CFGH02', { delivery: 'post', email: 'post@example.org' });
  const passport = await inProduction('reisepass', 'C33XYZ004', { express: 'yes' });
  const page = await clerk.get(PATH);
  assert.equal(page.status, 200, 'the Bürgerservice clerk opens the page');
  assert.match(page.body, /href="\/staff\/id-documents\/arrivals"/, 'the staff navigation links it');
  assert.match(page.body, /<textarea[^>]*name="serials"/, 'one textarea for the numbers');

  // As a scanner types them: one a line, Enter after each (CRLF from a browser), one scanned in lower case.
  const res = await clerk.post(PATH, { serials: ['T22CFGH01', 't22cfgh02', 'C33XYZ004', 'ZZZZZZZZ9', 'hello', 'T22CFGH01', ''].join('\r\n') });
  assert.equal(res.status, 200, 'the result page');
  assert.deepEqual(
    outcomes(res.body),
    [
      ['T22CFGH01', 'moved'],
      ['T22CFGH02', 'moved'],
      ['C33XYZ004', 'moved'],
      ['ZZZZZZZZ9', 'unknown'],
      ['hello', 'invalid'],
      ['T22CFGH01', 'duplicate'],
    ],
    'one line per serial, in the order entered',
  );
  const text = pageText(res.body);
  assert.match(text, /3 verbucht, 2 nicht gefunden, 0 in anderem Stand/, 'a summary in German');
  assert.match(text, /Verbucht, jetzt „Abholbereit“/, 'moved to ready for pickup');
  assert.match(text, /Verbucht, jetzt „Per Post versandt“/, 'the posted card moved to sent by post');
  assert.match(text, /Unbekannte Seriennummer/, 'unknown serial explained');
  assert.match(text, /Doppelt in der Liste/, 'duplicate explained');
  assert.match(res.body, new RegExp(`href="/staff/cases/${pickup.id}"`), 'each moved case links to its file');
  assert.equal(textarea(res.body).trim().split(/\r?\n/).join(','), 'ZZZZZZZZ9,hello', 'only the numbers not found stay in the field');

  assert.equal(await stateOf(pickup.id), 'ready_for_pickup', 'pickup case moved');
  assert.equal(await stateOf(post.id), 'sent_by_post', 'post case moved');
  assert.equal(await stateOf(passport.id), 'ready_for_pickup', 'the passport moved as well');

  // Through the engine: a transition event by the clerk, an audit entry, the applicant told.
  const clerkId = (await staffActor(runtime.db, 'buergerservice')).id;
  const event = await runtime.db.selectFrom('case_events').selectAll().where('case_id', '=', pickup.id).where('transition_id', '=', 'mark_ready_for_pickup').executeTakeFirstOrThrow();
  assert.equal(event.actor_id, clerkId, 'the event names the clerk');
  assert.equal(event.public, true, 'and shows on the status page');
  const audit = await runtime.db.selectFrom('audit_entries').select(['actor_id', 'action']).where('case_id', '=', post.id).where('action', '=', 'case.transition.mark_sent_by_post').execute();
  assert.equal(audit.length, 1, 'one audit entry per moved case');
  assert.equal(audit[0]?.actor_id, clerkId, 'by the clerk');
  await waitFor(
    async () => (await runtime.db.selectFrom('mail_outbox').select('id').where('case_id', '=', pickup.id).where('dedupe_key', 'like', 'notify:%').executeTakeFirst()) ?? undefined,
    'the notification mail for the card ready for pickup',
  );

  // Scanned again later: found, but no longer in production.
  const again = await clerk.post(PATH, { serials: 'T22CFGH01\n' });
  assert.deepEqual(outcomes(again.body), [['T22CFGH01', 'wrong_state']], 'reported in its state');
  assert.match(pageText(again.body), /nicht in Herstellung, sondern „Abholbereit“/, 'with the state it is in');
  const events = await runtime.db.selectFrom('case_events').select('id').where('case_id', '=', pickup.id).where('kind', '=', 'transition').execute();
  assert.equal(events.length, 2, 'no second arrival event');
});

test('an empty list is an error at the field; the page speaks English too', async () => {
  const empty = await clerk.post(PATH, { serials: '  \n \n' });
  assert.equal(empty.status, 422, 'refused');
  assert.match(empty.body, /aw-error-summary[\s\S]*href="#serials"/, 'the error summary links to the field');
  assert.match(empty.body, /id="serials-error"/, 'the message sits at the field');
  const a = await inProduction('personalausweis', 'K44LMN005');
  const en = await clerk.post(PATH, { serials: 'K44LMN005\nP99PPP999' }, { headers: { 'accept-language': 'en' } });
  const text = pageText(en.body);
  assert.match(text, /1 marked, 1 not found, 0 in another state/, 'the summary, in English');
  assert.match(text, /Done, now “Ready for pickup”/, 'moved, in English');
  assert.match(text, /Unknown serial number/, 'unknown, in English');
  assert.equal(await stateOf(a.id), 'ready_for_pickup', 'moved');
});

test("other departments' staff, citizens and visitors cannot use the page, nor move a case", async () => {
  const c = await inProduction('personalausweis', 'W55RTV006');
  for (const username of ['clerk', 'gewerbe', 'deptadmin']) {
    const other = await signInStaff(app, username);
    const inbox = await other.get('/staff');
    assert.doesNotMatch(inbox.body, /id-documents\/arrivals/, `${username}: no link in the navigation`);
    const page = await other.get(PATH);
    assert.equal(page.status, 403, `${username}: the page is refused`);
    const post = await other.post(PATH, { serials: 'W55RTV006' });
    assert.equal(post.status, 403, `${username}: marking is refused`);
    assert.doesNotMatch(post.body, /W55RTV006/, `${username}: nothing of the case in the answer`);
  }
  const visitor = new HttpClient(app);
  const anonymous = await visitor.get(PATH);
  assert.equal(anonymous.status, 303, 'an anonymous visitor is sent to sign in');
  assert.equal(anonymous.location, '/staff/sign-in', 'the staff sign-in');
  await visitor.get('/');
  const anonymousPost = await visitor.post(PATH, { serials: 'W55RTV006' });
  assert.ok(anonymousPost.status === 303 || anonymousPost.status === 403, `nor may post (got ${anonymousPost.status})`);
  const noToken = await clerk.post(PATH, { serials: 'W55RTV006' }, { csrf: false });
  assert.equal(noToken.status, 403, 'a post without the CSRF token is refused');
  assert.equal(await stateOf(c.id), 'in_production', 'no refused request moved the case');
});
