import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { submitCase } from '../../cases/submit-case.ts';
import { transitionCase } from '../../cases/transition-case.ts';
import { pageText } from '../../test-support/http-client.ts';
import { testApp, validAssembly, type TestRuntime } from '../../test-support/runtime.ts';
import { signInStaff } from '../../test-support/staff-sign-in.ts';
import { assembliesOverlap, normalisePlace, placeNames, sharePlace } from './overlap.ts';

const tz = { timeZone: 'Europe/Berlin' };
const now = new Date('2026-11-29T12:00:00Z');
const at = (overrides: Record<string, string | string[]>) => validAssembly(now, overrides);
const march = (route: string, overrides: Record<string, string> = {}) => at({ kind: 'march', place: '', assemblyPoint: 'Hallmarkt', endPoint: 'Riebeckplatz', route, ...overrides });

describe('the overlap rule', () => {
  test('place names are compared without case, accents, "Straße" spellings and leading prepositions', () => {
    assert.equal(normalisePlace('Am Marktplatz'), 'marktplatz', 'a leading preposition goes');
    assert.equal(normalisePlace('Große Ulrichstraße'), normalisePlace('grosse Ulrichstr.'), 'Straße, Strasse and Str. are one');
    assert.deepEqual(placeNames(at({ place: 'Marktplatz, vor dem Roten Turm' })), ['marktplatz', 'roten turm'], 'a place splits at commas');
    assert.deepEqual(
      placeNames(march('Hallmarkt – Große Ulrichstraße über Leipziger Straße bis Riebeckplatz')),
      ['hallmarkt', 'riebeckplatz', 'grosse ulrich str', 'leipziger str'],
      'a march is its assembly point, end point and the streets of its route',
    );
    assert.ok(sharePlace(['marktplatz'], ['marktplatz roten turm']), 'whole words of one name inside the other match');
    assert.ok(!sharePlace(['markt'], ['marktplatz']), 'part of a word does not match');
    assert.deepEqual(placeNames(at({ place: 'Am' })), [], 'names shorter than 4 letters never match alone');
  });

  test('same place and overlapping time warn; touching times, other days and other places do not', () => {
    const a = at({ place: 'Marktplatz', startTime: '14:00', endTime: '16:00' });
    assert.ok(assembliesOverlap(a, at({ place: 'Am Marktplatz, vor dem Roten Turm', startTime: '15:00', endTime: '17:00' }), tz), 'same place, 15–16 shared');
    assert.ok(!assembliesOverlap(a, at({ place: 'Marktplatz', startTime: '16:00', endTime: '18:00' }), tz), 'one ends when the other starts');
    assert.ok(!assembliesOverlap(a, at({ place: 'Marktplatz', date: '2026-12-21' }), tz), 'another day');
    assert.ok(!assembliesOverlap(a, at({ place: 'Riebeckplatz' }), tz), 'another place');
    assert.ok(assembliesOverlap(a, march('Hallmarkt – Marktplatz – Leipziger Straße'), tz), 'a march through the square');
    assert.ok(assembliesOverlap(march('Leipziger Straße – Riebeckplatz', { assemblyPoint: 'Hauptbahnhof' }), at({ place: 'Leipziger Straße 5' }), tz), 'a rally on a street of the route');
  });

  test('an assembly over midnight overlaps one on the next morning', () => {
    const day = String(at({}).date);
    const next = new Date(new Date(`${day}T12:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    const overnight = at({ place: 'Marktplatz', startTime: '20:00', endTime: '08:00', endDate: next });
    assert.ok(assembliesOverlap(overnight, at({ place: 'Marktplatz', date: next, startTime: '07:00', endTime: '09:00' }), tz), 'until 08:00 the next day');
    assert.ok(!assembliesOverlap(overnight, at({ place: 'Marktplatz', date: next, startTime: '09:00', endTime: '10:00' }), tz), 'after it ended');
  });
});

describe('the overlap panel in the staff case file', () => {
  let app: FastifyInstance;
  let runtime: TestRuntime;
  let close: () => Promise<void>;
  const ids: Record<string, string> = {};

  before(async () => {
    ({ app, runtime, close } = await testApp());
    const file = async (name: string, data: Record<string, string | string[]>) => {
      const r = await submitCase(runtime, { serviceId: 'versammlungsanzeige', data, idempotencyScope: 'api', idempotencyKey: randomUUID() });
      ids[name] = r.caseId;
      return r;
    };
    const base = validAssembly(new Date());
    const day = String(base.date);
    const dayAfter = new Date(new Date(`${day}T12:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    await file('main', { ...base, place: 'Marktplatz', startTime: '14:00', endTime: '16:00' });
    await file('overlapping', { ...base, organiserName: 'Otto Overlap', place: 'Am Marktplatz, vor dem Roten Turm', startTime: '15:00', endTime: '17:00' });
    await file('otherDay', { ...base, place: 'Marktplatz', date: dayAfter });
    await file('otherPlace', { ...base, place: 'Riebeckplatz' });
    const withdrawn = await file('withdrawn', { ...base, place: 'Marktplatz', startTime: '13:00', endTime: '15:00' });
    await transitionCase(runtime, { caseId: withdrawn.caseId, transitionId: 'withdraw', expectedVersion: undefined, actor: { type: 'applicant', caseId: withdrawn.caseId }, input: {} });
  });
  after(async () => close());

  test('the clerk is warned about the overlapping assembly only, with a link to it', async () => {
    const clerk = await signInStaff(app, 'clerk');
    const res = await clerk.get(`/staff/cases/${ids.main}`);
    assert.equal(res.status, 200, 'the case file opens');
    const panel = /<section[^>]*data-testid="overlap-panel"[\s\S]*?<\/section>/.exec(res.body)?.[0];
    assert.ok(panel, 'the overlap panel is shown');
    assert.match(panel, new RegExp(`href="/staff/cases/${ids.overlapping}"`), 'it links the overlapping case');
    for (const other of ['otherDay', 'otherPlace', 'withdrawn']) assert.doesNotMatch(panel, new RegExp(ids[other]!), `${other} is not listed`);
    assert.match(pageText(panel), /Eine andere Versammlung findet zur selben Zeit am selben Ort statt/, 'the warning says what overlaps');
    assert.doesNotMatch(panel, /Otto Overlap/, 'the panel names no organiser');

    const back = await clerk.get(`/staff/cases/${ids.overlapping}`);
    assert.match(back.body, new RegExp(`data-testid="overlap-panel"[\\s\\S]*href="/staff/cases/${ids.main}"`), 'the other case warns the other way round');
    const none = await clerk.get(`/staff/cases/${ids.otherPlace}`);
    assert.equal(none.status, 200, 'the case file opens');
    assert.doesNotMatch(none.body, /data-testid="overlap-panel"/, 'no warning without an overlap');
  });

  test('only cases of the same department are compared (ownership in the query)', async () => {
    await runtime.db.updateTable('cases').set({ department_id: 'gewerbeamt' }).where('id', '=', ids.overlapping!).execute();
    try {
      // clerk2: a TOTP step is single-use, so each test signs in another member of the department.
      const clerk = await signInStaff(app, 'clerk2');
      const res = await clerk.get(`/staff/cases/${ids.main}`);
      assert.doesNotMatch(res.body, /data-testid="overlap-panel"/, "another department's assembly is not shown");
    } finally {
      await runtime.db.updateTable('cases').set({ department_id: 'versammlungsbehoerde' }).where('id', '=', ids.overlapping!).execute();
    }
  });
});
