import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Actor } from '../cases/case-deps.ts';
import { parseIssueDocumentPayload } from '../cases/jobs/issue-document.job.ts';
import { submitCase } from '../cases/submit-case.ts';
import { transitionCase } from '../cases/transition-case.ts';
import { NotFoundError } from '../platform/errors.ts';
import { opensslVerifyDetached, pdfTextAndInfo, signatureParts } from '../test-support/pdf-inspect.ts';
import { testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { readDocument } from './documents.ts';
import { issueDocument, issueDocumentsForEvent, listIssuedDocuments, verifyIssued, type IssueDeps } from './issued-documents.ts';
import { waitFor } from '../test-support/wait-for.ts';

const NAME = 'Hanna Siegelmann';
let rt: TestRuntime;
let deps: IssueDeps;
let clerk: Actor;
let keySeq = 0;

before(async () => {
  rt = await testRuntime({ jobPollingSeconds: 0.5 });
  deps = { db: rt.db, blobs: rt.blobs, keyring: rt.keyring, seal: rt.seal, catalogue: rt.catalogue, publicUrl: 'https://amtsweg.example', now: rt.now };
  const user = await rt.db.selectFrom('staff_users').select('id').where('username', '=', 'clerk').executeTakeFirstOrThrow();
  clerk = { type: 'staff', id: user.id, grants: [{ departmentId: 'versammlungsbehoerde', role: 'clerk' }] };
});
after(async () => rt?.close());

async function submit(overrides: Record<string, string> = {}) {
  const r = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now(), { organiserName: NAME, ...overrides }), idempotencyScope: 'api', idempotencyKey: `issue-${++keySeq}` });
  const event = await rt.db.selectFrom('case_events').select('id').where('case_id', '=', r.caseId).where('kind', '=', 'submitted').executeTakeFirstOrThrow();
  return { ...r, eventId: String(event.id) };
}

test('the receipt is rendered, sealed, stored encrypted in the E-Akte, recorded and audited — once', async () => {
  const c = await submit();
  const [issued, ...more] = await issueDocumentsForEvent(deps, { caseId: c.caseId, eventId: c.eventId });
  assert.equal(more.length, 0, 'the submission issues one document');
  assert.ok(issued?.created, 'a new document');
  assert.equal(issued.kind, 'receipt');
  assert.equal(issued.templateId, 'eingangsbestaetigung');

  const again = await issueDocumentsForEvent(deps, { caseId: c.caseId, eventId: c.eventId });
  assert.deepEqual(again.map((d) => [d.id, d.created]), [[issued.id, false]], 'the second run finds the first document');
  const direct = await issueDocument(deps, { caseId: c.caseId, templateId: 'eingangsbestaetigung', eventId: c.eventId });
  assert.equal(direct.id, issued.id);
  assert.equal((await rt.db.selectFrom('issued_documents').select('id').where('case_id', '=', c.caseId).execute()).length, 1, 'one row');

  // In the E-Akte, as a system document of the case, encrypted at rest.
  const docs = await rt.db.selectFrom('documents').selectAll().where('case_id', '=', c.caseId).execute();
  assert.equal(docs.length, 1, 'one stored PDF');
  const row = docs[0]!;
  assert.equal(row.document_id, issued.documentId);
  assert.equal(row.file_name, `Eingangsbestaetigung-${c.reference}.pdf`);
  assert.equal(row.content_type, 'application/pdf');
  assert.equal(row.created_by_type, 'system');
  const blob = await rt.blobs.get(row.blob_key);
  assert.equal(blob.indexOf('%PDF'), -1, 'the stored blob is not the plaintext PDF');
  assert.equal(blob.indexOf(NAME), -1, 'nor does it show the name');

  const { bytes } = await readDocument(deps, row.id);
  assert.equal(createHash('sha256').update(bytes).digest('hex'), issued.sha256, 'the recorded fingerprint is that of the sealed PDF');
  const { text, info } = await pdfTextAndInfo(bytes);
  for (const expected of [c.reference, 'Eingangsbestätigung der Versammlungsanzeige', NAME, 'Für mehr Grün in der Stadt', 'Versammlungsbehörde (Ordnungsamt)', `https://amtsweg.example/verify/${issued.id}`])
    assert.ok(text.includes(expected), `the receipt says "${expected}"`);
  assert.equal(info.Title, 'Eingangsbestätigung der Versammlungsanzeige');
  assert.match(String(info.Author), /Stadt Halle \(Saale\), Versammlungsbehörde/);
  const parts = signatureParts(bytes);
  const verified = await opensslVerifyDetached(parts.cms, parts.signed);
  assert.ok(verified.ok, `the stored receipt carries a valid seal: ${verified.output}`);

  const audit = await rt.db.selectFrom('audit_entries').selectAll().where('case_id', '=', c.caseId).where('action', '=', 'document.issued').execute();
  assert.equal(audit.length, 1, 'one audit entry for one issued document');
  assert.deepEqual(audit[0]!.details, { issuedDocumentId: issued.id, documentId: issued.documentId, templateId: 'eingangsbestaetigung', kind: 'receipt', eventId: c.eventId });
  assert.equal(audit[0]!.actor_type, 'system');

  const facts = await verifyIssued(rt.db, issued.id);
  assert.deepEqual(facts, {
    id: issued.id,
    kind: 'receipt',
    title: { de: 'Eingangsbestätigung der Versammlungsanzeige', en: 'Receipt of the assembly notice' },
    departmentName: { de: 'Versammlungsbehörde (Ordnungsamt)', en: 'Assembly Authority (Public Order Office)' },
    issuedAt: issued.issuedAt,
    sha256: issued.sha256,
  });
  assert.deepEqual((await listIssuedDocuments(rt.db, c.caseId)).map((d) => d.id), [issued.id]);
});

test('two workers issuing the same document at once store it once', async () => {
  const c = await submit();
  const results = await Promise.all([1, 2, 3].map(() => issueDocument(deps, { caseId: c.caseId, templateId: 'eingangsbestaetigung', eventId: c.eventId })));
  assert.equal(new Set(results.map((r) => r.id)).size, 1, 'all callers get the same document');
  assert.equal(results.filter((r) => r.created).length, 1, 'exactly one created it');
  assert.equal((await rt.db.selectFrom('documents').select('id').where('case_id', '=', c.caseId).execute()).length, 1, 'one PDF in the E-Akte');
  const audits = await rt.db.selectFrom('audit_entries').select('action').where('case_id', '=', c.caseId).where('action', '=', 'document.issued').execute();
  assert.equal(audits.length, 1, 'one audit entry');
});

test('the effect issues the receipt on submission and the decision with its conditions on confirmation, through the job queue', async () => {
  await rt.jobs.work();
  const c = await submit();
  const receipt = await waitFor(() => rt.db.selectFrom('issued_documents').selectAll().where('case_id', '=', c.caseId).where('kind', '=', 'receipt').executeTakeFirst(), 'the receipt');
  assert.equal(String(receipt.event_id), c.eventId);

  await transitionCase(rt, { caseId: c.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  await transitionCase(rt, { caseId: c.caseId, transitionId: 'confirm', expectedVersion: 2, actor: clerk, input: { conditions: 'Bitte halten Sie die Rettungswege am Marktplatz frei.' } });
  const decision = await waitFor(() => rt.db.selectFrom('issued_documents').selectAll().where('case_id', '=', c.caseId).where('kind', '=', 'decision').executeTakeFirst(), 'the decision');
  assert.equal(decision.template_id, 'bestaetigung');
  const stored = await rt.db.selectFrom('documents').select(['id', 'file_name']).where('document_id', '=', decision.document_id).executeTakeFirstOrThrow();
  assert.equal(stored.file_name, `Bescheid-${c.reference}.pdf`);
  const { text } = await pdfTextAndInfo((await readDocument(deps, stored.id)).bytes);
  assert.ok(text.includes('Bestätigung der Versammlungsanzeige'), 'the decision has its title');
  assert.ok(text.includes('Hinweise der Versammlungsbehörde') && text.includes('Bitte halten Sie die Rettungswege am Marktplatz frei.'), 'the conditions from the transition are in the decision');
  assert.equal((await listIssuedDocuments(rt.db, c.caseId)).length, 2, 'receipt and decision');
});

test('a ban issues the Verbotsbescheid with its reasons and legal remedies', async () => {
  const c = await submit();
  await transitionCase(rt, { caseId: c.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  await transitionCase(rt, { caseId: c.caseId, transitionId: 'ban', expectedVersion: 2, actor: clerk, input: { reason: 'Am selben Ort und zur selben Zeit findet eine angemeldete Großveranstaltung statt.' } });
  const event = await rt.db.selectFrom('case_events').select('id').where('case_id', '=', c.caseId).where('transition_id', '=', 'ban').executeTakeFirstOrThrow();
  const [ban] = await issueDocumentsForEvent(deps, { caseId: c.caseId, eventId: String(event.id) });
  assert.equal(ban?.templateId, 'verbotsbescheid');
  const stored = await rt.db.selectFrom('documents').select('id').where('document_id', '=', ban.documentId).executeTakeFirstOrThrow();
  const { text } = await pdfTextAndInfo((await readDocument(deps, stored.id)).bytes);
  assert.ok(text.includes('Bescheid: Verbot der Versammlung'), 'title');
  assert.ok(text.includes('Großveranstaltung'), 'the reason from the transition');
  assert.ok(text.includes('Rechtsbehelfsbelehrung') && text.includes('Verwaltungsgericht Halle'), 'legal remedies');
});

test('misuse is refused: unknown case, unknown template, an event of another kind, bad ids', async () => {
  const c = await submit();
  await assert.rejects(issueDocument(deps, { caseId: '00000000-0000-4000-8000-000000000000', templateId: 'eingangsbestaetigung' }), NotFoundError);
  await assert.rejects(issueDocument(deps, { caseId: c.caseId, templateId: 'nope' }), /has no document template nope/);
  await assert.rejects(issueDocument(deps, { caseId: c.caseId, templateId: 'bestaetigung', eventId: c.eventId }), /is issued on confirm, not on this event/);
  await assert.rejects(issueDocument(deps, { caseId: c.caseId, templateId: 'eingangsbestaetigung', eventId: '1; drop table cases' }), /positive whole number/);
  assert.deepEqual(await issueDocumentsForEvent(deps, { caseId: c.caseId, eventId: '999999999' }), [], 'an unknown event issues nothing');
  assert.equal(await verifyIssued(rt.db, '00000000-0000-4000-8000-000000000000'), undefined);
  assert.equal(await verifyIssued(rt.db, "x' or 1=1"), undefined);

  assert.deepEqual(parseIssueDocumentPayload({ caseId: c.caseId, eventId: 12 }), { caseId: c.caseId, eventId: '12' }, 'an event id as number is taken');
  assert.throws(() => parseIssueDocumentPayload({ caseId: 1, eventId: '1' }), /payload needs caseId/);
  assert.throws(() => parseIssueDocumentPayload(null), /payload needs caseId/);
});
