import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { formatReference } from '../cases/reference.ts';
import { HttpClient, type HttpResponse } from '../test-support/http-client.ts';
import { testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';

/** `/api/v1` over real HTTP (inject) and a real database: catalogue, idempotent submission, status, OpenAPI. */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;
let client: HttpClient;

const SUBMIT = '/api/v1/services/versammlungsanzeige/submissions';
const day = (offset: number) => new Date(Date.now() + offset * 24 * 3600_000).toISOString().slice(0, 10);
const countCases = async () => Number((await runtime.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

function assertProblem(res: HttpResponse, status: number) {
  assert.equal(res.status, status);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json();
  assert.equal(body.status, status);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.ok(body.detail.length > 10, 'detail is a message a person can act on');
  assert.equal(typeof body.code, 'string');
  return body;
}

before(async () => {
  ({ app, runtime, close } = await testApp());
  client = new HttpClient(app);
});
after(async () => {
  await close();
});

describe('catalogue', () => {
  test('GET /api/v1/services lists and searches services', async () => {
    const all = await client.get('/api/v1/services');
    assert.equal(all.status, 200);
    assert.match(String(all.headers['content-type']), /^application\/json/);
    const ids = all.json().services.map((s: { id: string }) => s.id);
    assert.ok(ids.includes('versammlungsanzeige'), 'ids.includes(\'versammlungsanzeige\')');
    const hit = (await client.get('/api/v1/services?q=demo')).json();
    assert.deepEqual(
      hit.services.map((s: { id: string }) => s.id),
      ['versammlungsanzeige'],
    );
    const service = hit.services[0];
    assert.equal(service.title.de, 'Versammlung anzeigen');
    assert.equal(service.title.en, 'Notify a public assembly');
    assert.equal(service.feeCents, 0);
    assert.equal(service.identityLevel, 'none');
    const miss = (await client.get('/api/v1/services?q=zzqqxx-nothing')).json();
    assert.deepEqual(miss.services, []);
    // No cookies on the API: it is stateless.
    assert.equal(all.headers['set-cookie'], undefined);
  });

  test('GET /api/v1/services/versammlungsanzeige returns pages, fields and states', async () => {
    const res = await client.get('/api/v1/services/versammlungsanzeige');
    assert.equal(res.status, 200);
    const def = res.json();
    assert.equal(def.id, 'versammlungsanzeige');
    assert.equal(typeof def.version, 'number');
    assert.deepEqual(
      def.pages.map((p: { id: string }) => p.id),
      ['veranstalter', 'leitung', 'versammlung', 'ort', 'umfang', 'bekanntgabe'],
    );
    const fields = Object.fromEntries(def.pages.flatMap((p: { fields: Array<{ id: string }> }) => p.fields).map((f: { id: string }) => [f.id, f]));
    assert.deepEqual(
      { type: fields.date.type, required: fields.date.required, conditional: fields.date.conditional },
      { type: 'date', required: true, conditional: false },
    );
    assert.equal(fields.route.conditional, true, 'the route is only asked for a march');
    assert.equal(fields.participants.min, 1);
    assert.deepEqual(
      fields.kind.choices.map((c: { value: string }) => c.value),
      ['stationary', 'march'],
    );
    assert.equal(fields.organiserName.label.de, 'Vor- und Nachname');
    const states = Object.fromEntries(def.states.map((s: { id: string }) => [s.id, s]));
    assert.deepEqual(Object.keys(states).sort(), ['authority_cooperation_talk', 'authority_review', 'banned', 'confirmed', 'cooperation_talk', 'forwarded', 'in_review', 'received', 'restricted', 'withdrawn']);
    assert.equal(states.received.publicLabel.de, 'Eingegangen');
    assert.equal(states.received.final, false);
    assert.equal(states.confirmed.final, true);
  });

  test('an unknown service is a 404 problem+json', async () => {
    const body = assertProblem(await client.get('/api/v1/services/no-such-service'), 404);
    assert.equal(body.code, 'AMTSWEG_NOT_FOUND');
    assertProblem(await client.get('/api/v1/no-such-endpoint'), 404);
    assertProblem(await client.sendJson('POST', '/api/v1/services/no-such-service/submissions', { data: {} }, { 'idempotency-key': randomUUID() }), 404);
  });
});

describe('submissions', () => {
  let first: { caseId: string; reference: string; accessCode: string };
  const key = randomUUID();
  const data = validAssembly(new Date(), { subject: 'API-Einreichung' });

  test('without an Idempotency-Key: 400 problem+json naming the header, nothing stored', async () => {
    const before = await countCases();
    const res = await client.sendJson('POST', SUBMIT, { data });
    const body = assertProblem(res, 400);
    assert.match(body.detail, /Idempotency-Key/);
    const badKey = await client.sendJson('POST', SUBMIT, { data }, { 'idempotency-key': 'has spaces in it' });
    assertProblem(badKey, 400);
    const tooShort = await client.sendJson('POST', SUBMIT, { data }, { 'idempotency-key': 'abc' });
    assertProblem(tooShort, 400);
    assert.equal(await countCases(), before);
  });

  test('invalid data: 422 problem+json with a JSON pointer per invalid field, nothing stored', async () => {
    const before = await countCases();
    const badKey = randomUUID();
    const invalid = { ...data, date: '2027-02-30', email: 'not-an-email', participants: '0', postcode: '1234' };
    const res = await client.sendJson('POST', SUBMIT, { data: invalid }, { 'idempotency-key': badKey });
    const body = assertProblem(res, 422);
    assert.equal(body.code, 'AMTSWEG_VALIDATION');
    const pointers = body.errors.map((e: { pointer: string }) => e.pointer).sort();
    assert.deepEqual(pointers, ['/data/date', '/data/email', '/data/participants', '/data/postcode']);
    for (const e of body.errors) {
      assert.equal(typeof e.detail, 'string');
      assert.ok(e.messages.de && e.messages.en, 'each message in German and English');
    }
    assert.match(body.errors.find((e: { pointer: string }) => e.pointer === '/data/date').messages.de, /echtes Datum/);
    const past = await client.sendJson('POST', SUBMIT, { data: { ...data, date: day(-3), announcementDate: day(-5), alreadyAnnounced: 'yes', urgent: 'yes', urgentReason: 'kurzfristig' } }, { 'idempotency-key': randomUUID() });
    const pastBody = assertProblem(past, 422);
    assert.deepEqual(pastBody.errors.map((e: { pointer: string }) => e.pointer), ['/data/date']);
    assert.match(pastBody.errors[0].messages.de, /in der Zukunft/);
    // Missing required fields and a cross-field rule are reported the same way.
    const rules = await client.sendJson('POST', SUBMIT, { data: { ...data, organiserName: undefined, participants: '5', stewards: '9' } }, { 'idempotency-key': randomUUID() });
    const rulesBody = assertProblem(rules, 422);
    assert.deepEqual(rulesBody.errors.map((e: { pointer: string }) => e.pointer).sort(), ['/data/organiserName', '/data/stewards']);
    // A value of the wrong JSON type is caught by the schema, with a pointer too.
    const wrongType = await client.sendJson('POST', SUBMIT, { data: { ...data, participants: { many: true } } }, { 'idempotency-key': randomUUID() });
    const wrongTypeBody = assertProblem(wrongType, 422);
    assert.ok(wrongTypeBody.errors.some((e: { pointer: string }) => e.pointer.startsWith('/data/participants')), JSON.stringify(wrongTypeBody.errors));
    const notJson = await client.request('POST', SUBMIT, { payload: '{"data":', headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() } });
    assertProblem(notJson, 400);
    assert.equal(await countCases(), before);
    // The key of a refused request was not used up.
    const retried = await client.sendJson('POST', SUBMIT, { data }, { 'idempotency-key': badKey });
    assert.equal(retried.status, 201);
  });

  test('valid data: 201 with reference and access code; a case in the database', async () => {
    const before = await countCases();
    const res = await client.sendJson('POST', SUBMIT, { data }, { 'idempotency-key': key });
    assert.equal(res.status, 201);
    const body = res.json();
    assert.match(body.reference, /^HAL-\d{4}-\d{6}-\d$/);
    assert.match(body.accessCode, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    assert.equal(body.serviceId, 'versammlungsanzeige');
    assert.equal(body.state, 'received');
    assert.equal(body.replayed, false);
    assert.ok(!Number.isNaN(Date.parse(body.submittedAt)), '!Number.isNaN(Date.parse(body.submittedAt))');
    assert.equal(await countCases(), before + 1);
    const row = await runtime.db.selectFrom('cases').selectAll().where('id', '=', body.caseId).executeTakeFirstOrThrow();
    assert.equal(row.reference, body.reference);
    assert.equal((row.form_data as Record<string, string>).subject, 'API-Einreichung');
    first = body;
  });

  test('the same key again: 200, the same case, replayed: true, still one case', async () => {
    const before = await countCases();
    const res = await client.sendJson('POST', SUBMIT, { data }, { 'idempotency-key': key });
    assert.equal(res.status, 200);
    const body = res.json();
    assert.equal(body.replayed, true);
    assert.equal(body.reference, first.reference);
    assert.equal(body.caseId, first.caseId);
    assert.equal(body.accessCode, first.accessCode);
    assert.equal(await countCases(), before);
    const keys = await runtime.db.selectFrom('idempotency_keys').select('case_id').where('key', '=', key).execute();
    assert.deepEqual(keys, [{ case_id: first.caseId }]);
  });

  test('simultaneous requests with one key file one case', async () => {
    const racingKey = randomUUID();
    const before = await countCases();
    const results = await Promise.all([1, 2, 3].map(() => client.sendJson('POST', SUBMIT, { data }, { 'idempotency-key': racingKey })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 201]);
    assert.equal(new Set(results.map((r) => r.json().reference)).size, 1);
    assert.equal(await countCases(), before + 1);
  });

  test('the same key with a different body: 409 problem+json, nothing stored', async () => {
    const before = await countCases();
    const res = await client.sendJson('POST', SUBMIT, { data: { ...data, subject: 'Etwas ganz anderes' } }, { 'idempotency-key': key });
    const body = assertProblem(res, 409);
    assert.equal(body.code, 'AMTSWEG_CONFLICT');
    assert.match(body.messages.de, /Idempotenz-Schlüssel/);
    assert.equal(await countCases(), before);
  });

  test('the API needs no CSRF token and sets no cookies', async () => {
    const res = await client.sendJson('POST', SUBMIT, { data }, { 'idempotency-key': randomUUID() });
    assert.equal(res.status, 201);
    assert.equal(res.headers['set-cookie'], undefined);
  });

  describe('status', () => {
    test('POST /api/v1/status with the right code gives the status', async () => {
      const res = await client.sendJson('POST', '/api/v1/status', { reference: first.reference, accessCode: first.accessCode });
      assert.equal(res.status, 200);
      const s = res.json();
      assert.equal(s.reference, first.reference);
      assert.equal(s.serviceId, 'versammlungsanzeige');
      assert.equal(s.state, 'received');
      assert.deepEqual(s.stateLabel, { de: 'Eingegangen', en: 'Received' });
      assert.equal(s.final, false);
      assert.ok(s.dueAt && Date.parse(s.dueAt) > Date.now(), 's.dueAt && Date.parse(s.dueAt) > Date.now()');
      assert.equal(s.events.length, 1);
      assert.equal(s.events[0].text.de, 'Ihr Antrag ist bei uns eingegangen.');
      // Sloppy typing is fine.
      const sloppy = await client.sendJson('POST', '/api/v1/status', { reference: first.reference.toLowerCase().replace(/-/g, ' '), accessCode: first.accessCode.toLowerCase() });
      assert.equal(sloppy.status, 200);
    });

    test('a wrong code and an unknown reference get the identical 404', async () => {
      const wrong = await client.sendJson('POST', '/api/v1/status', { reference: first.reference, accessCode: 'ZZZZZ-ZZZZZ' });
      const unknown = await client.sendJson('POST', '/api/v1/status', { reference: formatReference('HAL', new Date().getUTCFullYear(), 987654), accessCode: first.accessCode });
      const a = assertProblem(wrong, 404);
      const b = assertProblem(unknown, 404);
      assert.deepEqual(a, b);
      assert.match(a.detail, /Wir finden keinen Vorgang/);
      assert.equal(JSON.stringify(a).includes(first.caseId), false);
    });

    test('empty fields are a 422 pointing at each field of the status body', async () => {
      const res = await client.sendJson('POST', '/api/v1/status', { reference: ' ', accessCode: '' });
      const body = assertProblem(res, 422);
      assert.deepEqual(body.errors.map((e: { pointer: string }) => e.pointer), ['/reference', '/accessCode']);
      const missing = await client.sendJson('POST', '/api/v1/status', { reference: first.reference });
      const missingBody = assertProblem(missing, 422);
      assert.ok(missingBody.errors.some((e: { pointer: string }) => e.pointer === '/accessCode'), JSON.stringify(missingBody.errors));
    });

    test('status lookups are rate-limited per client (429 problem+json with Retry-After)', async () => {
      const limit = runtime.config.statusLookupsPerMinute;
      const c = new HttpClient(app);
      for (let i = 0; i < limit; i++) {
        const res = await c.sendJson('POST', '/api/v1/status', { reference: first.reference, accessCode: 'ZZZZZ-ZZZZZ' });
        assert.equal(res.status, 404, `lookup ${i + 1}`);
      }
      const limited = await c.sendJson('POST', '/api/v1/status', { reference: first.reference, accessCode: first.accessCode });
      const body = assertProblem(limited, 429);
      assert.equal(body.code, 'AMTSWEG_RATE_LIMITED');
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, String(limited.headers['retry-after']));
      assert.equal(JSON.stringify(body).includes(first.caseId), false);
    });
  });
});

describe('documentation', () => {
  test('/api/v1/openapi.json is OpenAPI 3.1.0 and lists the paths', async () => {
    const res = await client.get('/api/v1/openapi.json');
    assert.equal(res.status, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(typeof doc.info.title, 'string');
    for (const path of ['/api/v1/services', '/api/v1/services/{id}', '/api/v1/services/{id}/submissions', '/api/v1/status']) {
      assert.ok(doc.paths[path], `documents ${path}`);
    }
    assert.ok(doc.paths['/api/v1/services'].get, 'doc.paths[\'/api/v1/services\'].get');
    assert.ok(doc.paths['/api/v1/status'].post, 'doc.paths[\'/api/v1/status\'].post');
    const submit = doc.paths['/api/v1/services/{id}/submissions'].post;
    assert.ok(
      submit.parameters.some((p: { in: string; name: string; required?: boolean }) => p.in === 'header' && p.name === 'idempotency-key' && p.required === true),
      'the Idempotency-Key header is documented as required',
    );
    for (const status of ['200', '201', '400', '409', '422']) assert.ok(submit.responses[status], `documents response ${status}`);
    assert.equal(doc.paths['/api/v1/openapi.json'], undefined, 'the document does not list itself');
  });

  test('/api/docs renders HTML documentation', async () => {
    const res = await client.get('/api/docs');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /^<!doctype html>/i);
    assert.match(res.body, /href="\/api\/v1\/openapi\.json"/);
    for (const path of ['/api/v1/services', '/api/v1/status']) assert.ok(res.body.includes(path), `lists ${path}`);
  });
});
