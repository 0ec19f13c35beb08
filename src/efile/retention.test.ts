import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Actor } from '../cases/case-deps.ts';
import { findCaseByAccessCode } from '../cases/queries.ts';
import { loadConfig } from '../config.ts';
import { submitCase } from '../cases/submit-case.ts';
import { transitionCase } from '../cases/transition-case.ts';
import { totpFor } from '../identity/staff-auth.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import { hiddenValue, HttpClient, pageText } from '../test-support/http-client.ts';
import { demoStaff, testApp, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { storeDocument, storeDocumentVersion } from './documents.ts';
import { runRetention } from './retention.job.ts';
import { backfillClosedAt, eraseCase, releaseLegalHold, retentionDue, retentionEndsAt, setLegalHold, type StaffActor } from './retention.ts';

/**
 * Retention against the real database and blob store, with a clock the tests move forward by
 * years: what is due is erased (documents, blobs, personal data) and counted; what is not due or
 * on legal hold stays; a second erasure changes nothing; the legal hold over HTTP is for
 * supervisors of the case's department only.
 */
const DAY = 24 * 3600_000;
let current = new Date('2026-03-02T09:00:00Z');
const clock = () => new Date(current.getTime());
const setClock = (d: Date) => {
  current = d;
};
const yearsAfter = (d: Date, years: number, days = 0) => {
  const x = new Date(d.getTime() + days * DAY);
  x.setUTCFullYear(x.getUTCFullYear() + years);
  return x;
};

let app: FastifyInstance;
let rt: TestRuntime;
let close: () => Promise<void>;
let clerk: Actor & { type: 'staff' };
let supervisor: StaffActor;
let gewerbe: StaffActor;

const NAME = 'Henrike Vertraulich';
const NOTE = 'Rückruf bei Frau Vertraulich unter 0345 999';

interface Closed {
  readonly caseId: string;
  readonly reference: string;
  readonly accessCode: string;
  readonly blobKeys: string[];
  readonly closedAt: Date;
}

/** A case submitted, reviewed and confirmed at the clock's current time, with two documents (one in two versions). */
async function closedCase(): Promise<Closed> {
  const r = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(clock(), { organiserName: NAME, leaderName: NAME }), idempotencyScope: 'api', idempotencyKey: randomUUID() });
  const docs = { db: rt.db, blobs: rt.blobs, keyring: rt.keyring };
  const first = await storeDocument(docs, { caseId: r.caseId, fileName: 'Lageplan.pdf', contentType: 'application/pdf', body: Buffer.from(`%PDF-1.7 ${NAME}`), createdBy: { type: 'applicant', id: null } });
  await storeDocumentVersion(docs, first.documentId, { caseId: r.caseId, fileName: 'Lageplan.pdf', contentType: 'application/pdf', body: Buffer.from(`%PDF-1.7 v2 ${NAME}`), createdBy: { type: 'staff', id: clerk.id } });
  await storeDocument(docs, { caseId: r.caseId, fileName: 'Bescheid.pdf', contentType: 'application/pdf', body: Buffer.from('%PDF-1.7 Bescheid'), createdBy: { type: 'system', id: null } });
  await transitionCase(rt, { caseId: r.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  await rt.db.insertInto('case_events').values({ case_id: r.caseId, at: clock(), kind: 'note', actor_type: 'staff', actor_id: clerk.id, public: false, payload: JSON.stringify({ text: NOTE }) }).execute();
  await transitionCase(rt, { caseId: r.caseId, transitionId: 'confirm', expectedVersion: 2, actor: clerk, input: { conditions: `Auflage für ${NAME}` } });
  // What the search index (migration 0008) and the issued documents (0007) keep of a case.
  await sql`insert into case_search (case_id, source, source_id, tsv) values (${r.caseId}, 'note', 'retention-test', to_tsvector('german', ${NAME})) on conflict do nothing`.execute(rt.db);
  await rt.db
    .insertInto('issued_documents')
    .values({ id: randomUUID(), case_id: r.caseId, document_id: first.documentId, kind: 'receipt', template_id: 'receipt', title_de: 'Eingangsbestätigung', title_en: 'Receipt', department_id: 'versammlungsbehoerde', issued_at: clock(), sha256: first.sha256 })
    .execute();
  const blobKeys = (await rt.db.selectFrom('documents').select('blob_key').where('case_id', '=', r.caseId).execute()).map((d) => d.blob_key);
  assert.equal(blobKeys.length, 3, 'three stored versions');
  return { caseId: r.caseId, reference: r.reference, accessCode: r.accessCode, blobKeys, closedAt: clock() };
}

const caseRow = (id: string) => rt.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const erasedAudits = async (id: string) => rt.db.selectFrom('audit_entries').select(['action', 'details', 'actor_type']).where('case_id', '=', id).where('action', '=', 'case.erased').execute();
const statistic = async () =>
  (
    await rt.db
      .selectFrom('retention_statistics')
      .select('erased_count')
      .where('department_id', '=', 'versammlungsbehoerde')
      .where('service_id', '=', 'versammlungsanzeige')
      .where('closed_year', '=', 2026)
      .where('final_state', '=', 'confirmed')
      .executeTakeFirst()
  )?.erased_count ?? 0;
const deps = () => ({ db: rt.db, blobs: rt.blobs, catalogue: rt.catalogue, now: clock });

async function assertUntouched(c: Closed, what: string) {
  const row = await caseRow(c.caseId);
  assert.equal(row.erased_at, null, `${what}: not erased`);
  assert.equal((row.applicant as Record<string, unknown>).name, NAME, `${what}: applicant kept`);
  assert.equal((row.form_data as Record<string, unknown>).organiserName, NAME, `${what}: form data kept`);
  const docs = await rt.db.selectFrom('documents').select('id').where('case_id', '=', c.caseId).execute();
  assert.equal(docs.length, 3, `${what}: documents kept`);
  assert.equal((await rt.db.selectFrom('case_search').select('id').where('case_id', '=', c.caseId).execute()).length, 1, `${what}: search entry kept`);
  for (const key of c.blobKeys) assert.equal(await rt.blobs.exists(key), true, `${what}: blob kept`);
}

before(async () => {
  ({ app, runtime: rt, close } = await testApp({ now: clock }));
  const idOf = async (username: string) => (await rt.db.selectFrom('staff_users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  clerk = { type: 'staff', id: await idOf('clerk'), grants: demoStaff('clerk').grants };
  supervisor = { type: 'staff', id: await idOf('supervisor'), grants: demoStaff('supervisor').grants };
  gewerbe = { type: 'staff', id: await idOf('gewerbe'), grants: demoStaff('gewerbe').grants };
});
after(async () => close());

describe('retention', () => {
  test('a case gets closed_at when it reaches a final state, and a missing one is filled in from the closing transition', async () => {
    setClock(new Date('2026-03-02T09:00:00Z'));
    const c = await closedCase();
    assert.deepEqual((await caseRow(c.caseId)).closed_at, c.closedAt, 'closed when confirmed');
    const open = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(clock()), idempotencyScope: 'api', idempotencyKey: randomUUID() });
    assert.equal((await caseRow(open.caseId)).closed_at, null, 'an open case has no closing date');

    // As if closed before migration 0009: the daily job fills it in from the confirming transition.
    await rt.db.updateTable('cases').set({ closed_at: null, updated_at: new Date(c.closedAt.getTime() + DAY) }).where('id', '=', c.caseId).execute();
    assert.ok((await backfillClosedAt(rt.db, rt.catalogue)) >= 1, 'one closing date filled in');
    assert.deepEqual((await caseRow(c.caseId)).closed_at, c.closedAt, 'the time of the transition into the final state');
    assert.equal((await caseRow(open.caseId)).closed_at, null, 'an open case stays without');
    assert.equal(await backfillClosedAt(rt.db, rt.catalogue), 0, 'nothing left to fill in');
  });

  test('a closed case past its retention is listed and erased; one not yet due stays as it is', async () => {
    const start = new Date('2026-04-01T10:00:00Z');
    setClock(start);
    const due = await closedCase();
    setClock(new Date(start.getTime() + 300 * DAY));
    const notDue = await closedCase();
    const statBefore = await statistic();

    setClock(yearsAfter(start, 3, -1));
    assert.ok(!(await retentionDue(rt.db, rt.catalogue, clock())).some((d) => d.id === due.caseId), 'a day before the end of three years: not due');

    setClock(yearsAfter(start, 3, 1));
    const list = await retentionDue(rt.db, rt.catalogue, clock());
    const listed = list.find((d) => d.id === due.caseId);
    assert.ok(listed, 'the case is listed as due');
    assert.deepEqual(listed.dueAt, retentionEndsAt(rt.catalogue.get('versammlungsanzeige')!, due.closedAt), 'due three years (P3Y) after closing');
    assert.ok(!list.some((d) => d.id === notDue.caseId), 'the later case is not due yet');
    assert.deepEqual(await retentionDue(rt.db, rt.catalogue, clock(), ['gewerbeamt']), [], 'another department lists nothing');

    // The Postfach and a request for more information hold personal text too.
    await rt.db.insertInto('case_messages').values({ case_id: due.caseId, direction: 'from_applicant', author_staff_id: null, body: 'Vertraulich: meine Telefonnummer' }).execute();
    await rt.db.insertInto('information_requests').values({ case_id: due.caseId, requested_by: null, field_ids: '[]', documents: JSON.stringify([{ id: 'doc1', label: 'Vertraulich' }]), note: 'Vertraulich', due_at: clock(), status: 'answered' }).execute();

    const outcome = await eraseCase(deps(), due.caseId, { type: 'system' });
    assert.deepEqual(outcome, { erased: true, documents: 3, blobsLeft: 0 });
    assert.equal((await rt.db.selectFrom('case_messages').select('id').where('case_id', '=', due.caseId).execute()).length, 0, 'messages gone');
    assert.equal((await rt.db.selectFrom('information_requests').select('id').where('case_id', '=', due.caseId).execute()).length, 0, 'requests gone');

    const row = await caseRow(due.caseId);
    assert.deepEqual(row.erased_at, clock(), 'marked erased');
    assert.deepEqual(row.applicant, {}, 'applicant blanked');
    assert.deepEqual(row.form_data, {}, 'form data blanked');
    assert.equal(row.citizen_id, null, 'no account link');
    assert.equal(row.reference, due.reference, 'the reference stays');
    assert.equal(row.state, 'confirmed', 'the final state stays');
    assert.equal((await rt.db.selectFrom('documents').select('id').where('case_id', '=', due.caseId).execute()).length, 0, 'document rows gone');
    for (const key of due.blobKeys) assert.equal(await rt.blobs.exists(key), false, 'blob gone from the store');
    assert.equal((await rt.db.selectFrom('case_search').select('id').where('case_id', '=', due.caseId).execute()).length, 0, 'search entries gone');
    const issued = await rt.db.selectFrom('issued_documents').select(['kind', 'issued_at']).where('case_id', '=', due.caseId).execute();
    assert.equal(issued.length, 1, 'the issued-document record (nothing personal) stays for the verification page');
    const events = await rt.db.selectFrom('case_events').select(['kind', 'payload']).where('case_id', '=', due.caseId).execute();
    assert.ok(events.length >= 4, 'the timeline stays (submitted, two transitions, a note)');
    for (const e of events) assert.deepEqual(e.payload, {}, `the ${e.kind} event's payload is empty`);
    await assert.rejects(findCaseByAccessCode(rt, due.reference, due.accessCode), NotFoundError, 'the access code opens nothing any more');

    assert.equal(await statistic(), statBefore + 1, 'counted once in the anonymous statistics');
    const audits = await erasedAudits(due.caseId);
    assert.equal(audits.length, 1, 'one audit entry case.erased');
    assert.equal(audits[0]!.actor_type, 'system');
    assert.deepEqual(audits[0]!.details, { serviceId: 'versammlungsanzeige', closedYear: 2026, finalState: 'confirmed', documents: 3 });
    const everything = JSON.stringify(await rt.db.selectFrom('cases').selectAll().where('id', '=', due.caseId).execute()) + JSON.stringify(events) + JSON.stringify(audits);
    assert.ok(!everything.includes('Vertraulich') && !everything.includes('Marktplatz'), 'no personal data left in the row, the events or the audit entry');

    await assertUntouched(notDue, 'the case not yet due');
  });

  test('a second erasure is a no-op', async () => {
    setClock(new Date('2026-05-04T08:00:00Z'));
    const c = await closedCase();
    setClock(yearsAfter(c.closedAt, 3, 2));
    assert.equal((await eraseCase(deps(), c.caseId, { type: 'system' })).erased, true, 'erased the first time');
    const stat = await statistic();
    const version = (await caseRow(c.caseId)).version;
    assert.deepEqual(await eraseCase(deps(), c.caseId, { type: 'system' }), { erased: false, reason: 'already-erased' });
    assert.equal(await statistic(), stat, 'not counted twice');
    assert.equal((await erasedAudits(c.caseId)).length, 1, 'audited once');
    assert.equal((await caseRow(c.caseId)).version, version, 'the row did not change');
    assert.deepEqual(await eraseCase(deps(), randomUUID(), { type: 'system' }), { erased: false, reason: 'not-found' });
    assert.deepEqual(await eraseCase(deps(), 'nonsense', { type: 'system' }), { erased: false, reason: 'not-found' });
  });

  test('a case not yet due is refused by eraseCase itself, and staff erase only in their own department', async () => {
    setClock(new Date('2026-06-01T08:00:00Z'));
    const c = await closedCase();
    setClock(yearsAfter(c.closedAt, 2));
    assert.deepEqual(await eraseCase(deps(), c.caseId, { type: 'system' }), { erased: false, reason: 'not-due' });
    setClock(yearsAfter(c.closedAt, 3, 1));
    assert.deepEqual(await eraseCase(deps(), c.caseId, gewerbe), { erased: false, reason: 'not-found' }, 'another department');
    assert.deepEqual(await eraseCase(deps(), c.caseId, clerk), { erased: false, reason: 'not-found' }, 'a clerk without the permission');
    await assertUntouched(c, 'refused erasures');
    const byStaff = await eraseCase(deps(), c.caseId, supervisor);
    assert.equal(byStaff.erased, true, "the department's supervisor may erase a due file");
    assert.equal((await erasedAudits(c.caseId))[0]!.actor_type, 'staff');
  });

  test('a legal hold stops erasure; released, the next run erases', async () => {
    setClock(new Date('2026-07-01T08:00:00Z'));
    const c = await closedCase();
    await assert.rejects(setLegalHold(deps(), supervisor, c.caseId, '   '), ValidationError, 'a reason is required');
    await assert.rejects(setLegalHold(deps(), gewerbe, c.caseId, 'Verfahren'), NotFoundError, 'another department cannot hold it');
    await assert.rejects(setLegalHold(deps(), clerk, c.caseId, 'Verfahren'), NotFoundError, 'a clerk cannot hold it');
    await setLegalHold(deps(), supervisor, c.caseId, 'Klage beim Verwaltungsgericht, Az. 1 A 23/26');
    const held = await caseRow(c.caseId);
    assert.equal(held.legal_hold_by, supervisor.id);
    assert.equal(held.legal_hold_reason, 'Klage beim Verwaltungsgericht, Az. 1 A 23/26');
    const holdAudit = await rt.db.selectFrom('audit_entries').select('details').where('case_id', '=', c.caseId).where('action', '=', 'case.legal_hold_set').executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(holdAudit.details).includes('Verwaltungsgericht'), 'the internal reason is not in the audit log');

    setClock(yearsAfter(c.closedAt, 4));
    assert.ok(!(await retentionDue(rt.db, rt.catalogue, clock())).some((d) => d.id === c.caseId), 'a held case is not listed as due');
    const run = await runRetention({ ...deps(), mode: 'erase' });
    assert.ok(run.erased >= 0, 'the run finished');
    await assertUntouched(c, 'the held case after a run');
    assert.deepEqual(await eraseCase(deps(), c.caseId, { type: 'system' }), { erased: false, reason: 'legal-hold' });

    await releaseLegalHold(deps(), supervisor, c.caseId);
    const released = await caseRow(c.caseId);
    assert.equal(released.legal_hold_at, null, 'released');
    assert.equal(released.legal_hold_reason, null, 'the reason goes with the hold');
    const next = await runRetention({ ...deps(), mode: 'erase' });
    assert.ok(next.erased >= 1, 'the next run erased');
    assert.notEqual((await caseRow(c.caseId)).erased_at, null, 'erased after the release');
    await assert.rejects(setLegalHold(deps(), supervisor, c.caseId, 'zu spät'), /bereits gelöscht|already been erased/, 'an erased case cannot be held');
  });

  test('RETENTION_MODE=list only counts; the job erases through the queue', async () => {
    setClock(new Date('2026-08-03T08:00:00Z'));
    const c = await closedCase();
    setClock(yearsAfter(c.closedAt, 3, 1));
    const listed = await runRetention({ ...deps(), mode: 'list' });
    assert.ok(listed.due >= 1 && listed.erased === 0, `list mode counts and erases nothing (${JSON.stringify(listed)})`);
    await assertUntouched(c, 'list mode');

    assert.equal(rt.config.retentionMode, 'erase', 'erase is the default');
    assert.ok(rt.jobs.has('retention'), 'the runtime registers the job');
    await rt.jobs.work();
    await rt.jobs.enqueue(rt.db, 'retention', {});
    // The blobs go after the commit, so wait for both.
    const blobsLeft = async () => (await Promise.all(c.blobKeys.map((k) => rt.blobs.exists(k)))).filter(Boolean).length;
    for (let i = 0; i < 100 && ((await caseRow(c.caseId)).erased_at === null || (await blobsLeft()) > 0); i++) await new Promise((r) => setTimeout(r, 200));
    assert.notEqual((await caseRow(c.caseId)).erased_at, null, 'the queued job erased the due case');
    assert.equal(await blobsLeft(), 0, 'and its blobs');
  });
});

test('RETENTION_MODE accepts erase (the default) and list, and names anything else', () => {
  assert.equal(loadConfig({ AMTSWEG_PROFILE: 'test' }).retentionMode, 'erase');
  assert.equal(loadConfig({ AMTSWEG_PROFILE: 'test', RETENTION_MODE: 'list' }).retentionMode, 'list');
  assert.throws(() => loadConfig({ AMTSWEG_PROFILE: 'test', RETENTION_MODE: 'archive' }), /RETENTION_MODE must be one of erase, list \(got "archive"\)/);
});

describe('the legal hold and retention pages over HTTP', () => {
  const clients = new Map<string, HttpClient>();
  const as = (name: string) => clients.get(name)!;
  let c: Closed;

  before(async () => {
    for (const name of ['supervisor', 'clerk', 'gewerbe']) {
      const s = demoStaff(name);
      const client = new HttpClient(app);
      await client.get('/staff/sign-in');
      assert.equal((await client.post('/staff/sign-in', { username: s.username, password: s.password })).status, 303, `password step for ${name}`);
      await client.get('/staff/sign-in/code');
      assert.equal((await client.post('/staff/sign-in/code', { code: totpFor(s.totpSecret).generate() })).status, 303, `TOTP step for ${name}`);
      clients.set(name, client);
    }
    setClock(new Date('2026-09-01T08:00:00Z'));
    c = await closedCase();
  });

  test('a supervisor sets a hold with a reason; an empty reason is refused with a message and nothing saved', async () => {
    const sup = as('supervisor');
    await sup.get(`/staff/cases/${c.caseId}`);
    const empty = await sup.post(`/staff/cases/${c.caseId}/legal-hold`, { legalHoldReason: '  ' });
    assert.equal(empty.status, 422);
    assert.match(pageText(empty.body), /Bitte geben Sie den Grund für die Aufbewahrungssperre an/);
    assert.ok(empty.body.includes('href="#legalHoldReason"'), 'the error summary links to the field');
    assert.equal((await caseRow(c.caseId)).legal_hold_at, null, 'nothing saved');

    const long = 'x'.repeat(501);
    const tooLong = await sup.post(`/staff/cases/${c.caseId}/legal-hold`, { legalHoldReason: long });
    assert.equal(tooLong.status, 422);
    assert.ok(tooLong.body.includes(long), 'the typed reason is kept');
    assert.ok(hiddenValue(tooLong.body, '_csrf'), 'the form comes back with a CSRF token');

    const ok = await sup.post(`/staff/cases/${c.caseId}/legal-hold`, { legalHoldReason: 'Prüfung durch das Rechnungsprüfungsamt' });
    assert.equal(ok.status, 303);
    assert.equal(ok.location, `/staff/cases/${c.caseId}`);
    assert.match(pageText((await sup.get(ok.location!)).body), /Aufbewahrungssperre gesetzt/, 'the flash on the case page');
    const row = await caseRow(c.caseId);
    assert.equal(row.legal_hold_reason, 'Prüfung durch das Rechnungsprüfungsamt');

    const page = await sup.get('/staff/retention');
    assert.equal(page.status, 200);
    assert.ok(page.body.includes(c.reference) && page.body.includes('Rechnungsprüfungsamt'), 'the overview lists the held case with its reason');
    assert.match(pageText(page.body), /Gelöschte Akten \(anonyme Statistik\)/);
    assert.ok(page.body.includes('href="/staff/retention"'), 'the supervisor has a link to the page');

    const release = await sup.post(`/staff/cases/${c.caseId}/legal-hold/release`, {});
    assert.equal(release.status, 303);
    assert.equal((await caseRow(c.caseId)).legal_hold_at, null, 'released');
  });

  test('a clerk and another department get 404; the retention page is for supervisors', async () => {
    for (const name of ['clerk', 'gewerbe']) {
      const client = as(name);
      await client.get('/staff');
      assert.equal((await client.post(`/staff/cases/${c.caseId}/legal-hold`, { legalHoldReason: 'eingeschleust' })).status, 404, `${name} cannot set a hold`);
      assert.equal((await client.post(`/staff/cases/${c.caseId}/legal-hold`, { legalHoldReason: '' })).status, 404, `${name} gets 404, not the form`);
      assert.equal((await client.post(`/staff/cases/${c.caseId}/legal-hold/release`, {})).status, 404, `${name} cannot release`);
      const page = await client.get('/staff/retention');
      assert.equal(page.status, 403, `${name} cannot open the retention page`);
      assert.ok(!page.body.includes(c.reference), 'nothing of the case');
    }
    assert.equal((await caseRow(c.caseId)).legal_hold_at, null, 'no hold was set');
    const anonymous = new HttpClient(app);
    assert.equal((await anonymous.get('/staff/retention')).status, 303, 'anonymous visitors are sent to the sign-in');
  });

  test('the overview lists due files and counts erased ones', async () => {
    setClock(yearsAfter(c.closedAt, 3, 1));
    const sup = as('supervisor');
    const page = await sup.get('/staff/retention');
    assert.ok(page.body.includes('data-testid="retention-due"') && page.body.includes(c.reference), 'the due file is listed');
    await runRetention({ ...deps(), mode: 'erase' });
    const after = await sup.get('/staff/retention');
    assert.ok(!after.body.includes(c.reference), 'erased files are no longer listed');
    assert.ok(after.body.includes('data-testid="retention-statistics"'), 'the statistics table is shown');
    assert.match(pageText(after.body), /Versammlung.*2026.*Bestätigt/s, 'service, year and outcome are shown');
  });
});
