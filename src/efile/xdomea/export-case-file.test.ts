import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import type { Actor } from '../../cases/case-deps.ts';
import { submitCase } from '../../cases/submit-case.ts';
import { transitionCase } from '../../cases/transition-case.ts';
import { ConflictError, ForbiddenError, IntegrityError, NotFoundError } from '../../platform/errors.ts';
import { onPostgres, staffActor, testRuntime, validAssembly, type TestRuntime } from '../../test-support/runtime.ts';
import { validateXdomea } from '../../test-support/xdomea-schema.ts';
import { storeDocument, storeDocumentVersion } from '../documents.ts';
import { exportCaseFile } from './export-case-file.ts';

let rt: TestRuntime;
let clerk: Actor;
let supervisor: Actor;
let tradeClerk: Actor;

before(async () => {
  rt = await testRuntime();
  clerk = await staffActor(rt.db, 'clerk');
  supervisor = await staffActor(rt.db, 'supervisor');
  tradeClerk = await staffActor(rt.db, 'gewerbe');
});
after(async () => rt?.close());

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const UUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[a-z0-9]+$/;
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A case filed the normal way, reviewed and confirmed by the clerk (a final state). */
async function closedCase(key: string): Promise<{ caseId: string; reference: string }> {
  const submitted = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now(), { subject: 'Für mehr Grün & <Bäume>' }), idempotencyScope: 'api', idempotencyKey: key });
  await transitionCase(rt, { caseId: submitted.caseId, transitionId: 'start_review', expectedVersion: 1, actor: clerk, input: {} });
  await transitionCase(rt, { caseId: submitted.caseId, transitionId: 'confirm', expectedVersion: 2, actor: clerk, input: { conditions: 'Bitte Rettungswege freihalten.' } });
  return { caseId: submitted.caseId, reference: submitted.reference };
}

const auditOf = (caseId: string) => rt.db.selectFrom('audit_entries').select(['action', 'actor_id', 'details']).where('case_id', '=', caseId).where('action', '=', 'case.exported_xdomea').execute();

test(`a closed case file exports as a valid xdomea 0503 container with every document version (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, async () => {
  const { caseId, reference } = await closedCase('xdomea-export-1');
  const plan1 = Buffer.from('%PDF-1.7\nLageplan Marktplatz\n%%EOF', 'utf8');
  const plan2 = Buffer.from('%PDF-1.4\nLageplan Marktplatz, überarbeitet\n%%EOF', 'utf8');
  const photo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
  const first = await storeDocument(rt, { caseId, fileName: 'Lageplan.pdf', contentType: 'application/pdf', body: plan1, createdBy: { type: 'applicant', id: null } });
  const second = await storeDocumentVersion(rt, first.documentId, { caseId, fileName: 'Lageplan (neu).pdf', contentType: 'application/pdf', body: plan2, createdBy: { type: 'staff', id: clerk.type === 'staff' ? clerk.id : null } });
  const third = await storeDocument(rt, { caseId, fileName: 'Foto Bühne.png', contentType: 'image/png', body: photo, createdBy: { type: 'applicant', id: null } });
  // A document of another case never travels with this one.
  const other = await closedCase('xdomea-export-other');
  await storeDocument(rt, { caseId: other.caseId, fileName: 'Fremd.pdf', contentType: 'application/pdf', body: Buffer.from('%PDF-1.7 fremd'), createdBy: { type: 'applicant', id: null } });

  const result = await exportCaseFile(rt, supervisor, caseId);
  assert.match(result.messageId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'the ProzessID is a UUID');
  assert.equal(result.fileName, `${result.messageId}_Aussonderung.Aussonderung.0503.zip`);

  const entries = unzipSync(result.zip);
  const xmlName = `${result.messageId}_Aussonderung.Aussonderung.0503.xml`;
  assert.ok(entries[xmlName], `the container holds ${xmlName}`);
  const others = Object.keys(entries).filter((n) => n !== xmlName);
  assert.equal(others.length, 4, 'three stored versions and the form data');
  for (const n of others) assert.match(n, UUID_NAME, `${n} is named <UUID>.<ext>`);

  const xml = strFromU8(entries[xmlName]!);
  const validation = await validateXdomea(xml, xmlName);
  assert.deepEqual(validation.errors, [], 'no schema errors');
  assert.equal(validation.valid, true, 'the message is valid against xdomea.xsd');

  const msg = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false }).parse(xml)['Aussonderung.Aussonderung.0503'];
  assert.equal(msg.Kopf.ProzessID, result.messageId);
  assert.equal(msg.Kopf.Nachrichtentyp.code, '0503');
  assert.equal(msg.Kopf.Absender.Organisationseinheit.Name, 'Versammlungsbehörde (Ordnungsamt)');
  assert.equal(msg.Kopf.Empfaenger.Organisationseinheit.Name, 'Stadtarchiv');
  const akte = msg.Schriftgutobjekt.Akte;
  assert.equal(akte.Identifikation.ID, caseId);
  assert.equal(akte.AllgemeineMetadaten.Kennzeichen, reference);
  assert.equal(akte.AllgemeineMetadaten.Betreff, 'Versammlung anzeigen', "the service's title");
  assert.equal(akte.ArchivspezifischeMetadaten.Aufbewahrungsdauer.AnzahlJahre, '3', 'the service retention P3Y');
  assert.equal(akte.ArchivspezifischeMetadaten.Aussonderungsart.Aussonderungsart.code, 'A');
  const vorgang = akte.Akteninhalt.Vorgang;
  const actions = asArray<{ Aktion: string; Bemerkung?: string }>(vorgang.HistorienProtokollInformation).map((h) => h.Aktion);
  assert.equal(actions.length, 3, `submitted, review, confirmed: ${actions.join(', ')}`);
  assert.ok(asArray<{ Bemerkung?: string }>(vorgang.HistorienProtokollInformation).some((h) => h.Bemerkung?.includes('Rettungswege')), 'the conditions are in the protocol');

  // Each primary file is the stored document, byte for byte.
  type V = { Nummer: string; Format: { Primaerdokument: { Dateiname: string; DateinameOriginal: string } } };
  const docs = asArray<{ Identifikation: { ID: string }; Version: V | V[] }>(vorgang.Dokument);
  const byOriginal = new Map(docs.flatMap((d) => asArray(d.Version).map((v) => [v.Format.Primaerdokument.DateinameOriginal, { doc: d, v }] as const)));
  for (const [stored, bytes] of [
    [first, plan1],
    [second, plan2],
    [third, photo],
  ] as const) {
    const hit = byOriginal.get(stored.fileName);
    assert.ok(hit, `${stored.fileName} is listed`);
    assert.equal(hit.doc.Identifikation.ID, stored.documentId, 'the Dokument is the stored document');
    assert.equal(hit.v.Nummer, String(stored.version));
    const file = entries[hit.v.Format.Primaerdokument.Dateiname];
    assert.ok(file, `${hit.v.Format.Primaerdokument.Dateiname} is in the container`);
    assert.equal(sha256(file), stored.sha256, `${stored.fileName}: the bytes match the stored SHA-256`);
    assert.deepEqual(Buffer.from(file), bytes);
  }
  assert.equal(asArray(docs.find((d) => d.Identifikation.ID === first.documentId)!.Version).length, 2, 'both versions of the plan');
  assert.ok(!byOriginal.has('Fremd.pdf'), "another case's document is not exported");

  const form = byOriginal.get('Antragsdaten.json');
  assert.ok(form, 'the form data travel as a primary document');
  const formJson = JSON.parse(strFromU8(entries[form.v.Format.Primaerdokument.Dateiname]!));
  assert.equal(formJson.reference, reference);
  assert.ok(formJson.fields.some((f: { id: string; value: unknown }) => f.id === 'subject' && f.value === 'Für mehr Grün & <Bäume>'), 'the subject as entered');

  const audit = await auditOf(caseId);
  assert.equal(audit.length, 1, 'the export is audited once');
  assert.deepEqual(audit[0]!.details, { messageId: result.messageId, documents: 3 }, 'ids and counts only');
  assert.equal(audit[0]!.actor_id, supervisor.type === 'staff' ? supervisor.id : null);
});

test('an open case is refused, another department does not find it, a clerk may not export', async () => {
  const open = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now()), idempotencyScope: 'api', idempotencyKey: 'xdomea-open-1' });
  await assert.rejects(exportCaseFile(rt, supervisor, open.caseId), (err: unknown) => {
    assert.ok(err instanceof ConflictError, 'a conflict');
    assert.match(err.userMessage.de, /nicht abgeschlossen/);
    assert.match(err.userMessage.en, /not closed/);
    return true;
  });
  const closed = await closedCase('xdomea-refusals');
  await assert.rejects(exportCaseFile(rt, tradeClerk, closed.caseId), NotFoundError, 'another department does not even find the case');
  await assert.rejects(exportCaseFile(rt, clerk, closed.caseId), ForbiddenError, 'a clerk reads the case but may not hand it over');
  await assert.rejects(exportCaseFile(rt, { type: 'system' }, closed.caseId), NotFoundError, 'not staff');
  await assert.rejects(exportCaseFile(rt, supervisor, 'not-a-case'), NotFoundError);
  assert.equal((await auditOf(open.caseId)).length + (await auditOf(closed.caseId)).length, 0, 'no refused export is audited as done');
});

test('a document that fails its integrity check stops the export', async () => {
  const { caseId } = await closedCase('xdomea-integrity');
  const doc = await storeDocument(rt, { caseId, fileName: 'Bescheid.pdf', contentType: 'application/pdf', body: Buffer.from('%PDF-1.7 Bescheid'), createdBy: { type: 'staff', id: null } });
  const { blob_key } = await rt.db.selectFrom('documents').select('blob_key').where('id', '=', doc.id).executeTakeFirstOrThrow();
  await rt.blobs.put(blob_key, Buffer.from('tampered'));
  await assert.rejects(exportCaseFile(rt, supervisor, caseId), IntegrityError);
  assert.equal((await auditOf(caseId)).length, 0, 'nothing was exported');
});
