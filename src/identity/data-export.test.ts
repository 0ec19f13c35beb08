import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { Actor } from '../cases/case-deps.ts';
import { addNote, openCaseForStaff } from '../cases/queries.ts';
import { submitCase } from '../cases/submit-case.ts';
import { appendAudit, sealAll } from '../efile/audit-chain.ts';
import { readDocument, storeDocument, storeDocumentVersion } from '../efile/documents.ts';
import { testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { accessKind, caseAccessLog, type AccessLogEntry } from './data-access-log.ts';
import { DATA_EXPORT_SCHEMA, exportCitizenData, safeFileName, type CitizenDataExport } from './data-export.ts';

/**
 * The Datenschutz-Cockpit's query and the complete data export against a real database and a
 * real (memory) blob store: ownership in the query, staff never named, paging without gaps or
 * repeats, documents byte for byte through the integrity checks.
 */
const NAME_A = 'Annegret Aaltonen';
const NAME_B = 'Bernd Brandt';
const CLERK_NAME = 'Clara Klein';

let rt: TestRuntime;
const a = { citizenId: '', caseId: '', reference: '' };
const b = { citizenId: '', caseId: '', reference: '' };
let clerk: Actor & { type: 'staff' };
let clerkId = '';
const docBytes = Buffer.from(`%PDF-1.7\nLageplan ${NAME_A}\n${'x'.repeat(5000)}\n%%EOF`, 'utf8');
const docBytesV2 = Buffer.from(`%PDF-1.7\nLageplan v2 ${NAME_A}\n%%EOF`, 'utf8');
const otherDoc = Buffer.from('PNG-ish bytes of another document with the same name', 'utf8');

async function citizenWithCase(email: string, name: string, into: typeof a): Promise<void> {
  const { id } = await rt.db.insertInto('citizens').values({ email }).returning('id').executeTakeFirstOrThrow();
  const submitted = await submitCase(rt, {
    serviceId: 'versammlungsanzeige',
    data: validAssembly(rt.now(), { organiserName: name, leaderName: name }),
    idempotencyScope: 'api',
    idempotencyKey: `export-${email}`,
    citizenId: id,
  });
  Object.assign(into, { citizenId: id, caseId: submitted.caseId, reference: submitted.reference });
}

before(async () => {
  rt = await testRuntime();
  await citizenWithCase('annegret@example.org', NAME_A, a);
  await citizenWithCase('b@example.org', NAME_B, b);
  clerkId = (await rt.db.selectFrom('staff_users').select('id').where('username', '=', 'clerk').executeTakeFirstOrThrow()).id;
  clerk = { type: 'staff', id: clerkId, grants: [{ departmentId: 'versammlungsbehoerde', role: 'clerk' }] };
});
after(async () => rt.close());

test('staff actions are classified; unknown ones are "other processing", never dropped', () => {
  assert.equal(accessKind('case.view'), 'viewed');
  assert.equal(accessKind('document.download'), 'document_downloaded');
  assert.equal(accessKind('case.transition.confirm'), 'processed');
  assert.equal(accessKind('case.note_added'), 'processed');
  assert.equal(accessKind('case.assigned'), 'processed');
  assert.equal(accessKind('case.exported_xdomea'), 'exported');
  assert.equal(accessKind('document.uploaded'), 'document_added');
  assert.equal(accessKind('case.something_new'), 'other');
});

test('safe file names keep umlauts, drop path and control characters', () => {
  assert.equal(safeFileName('Lageplan Marktplatz.pdf'), 'Lageplan Marktplatz.pdf');
  assert.equal(safeFileName('Bestätigung Größe.pdf'), 'Bestätigung Größe.pdf');
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('C:\\Users\\x\\Scan.pdf'), 'Scan.pdf');
  assert.equal(safeFileName('a\u0000b<c>.pdf'), 'a_b_c_.pdf');
  assert.equal(safeFileName('...'), 'dokument');
  const long = safeFileName(`${'x'.repeat(300)}.pdf`);
  assert.ok(long.length === 100 && long.endsWith('.pdf'), 'a long name is cut, its extension kept');
});

describe('the access log', () => {
  test("lists staff actions on the citizen's own cases only, newest first, without staff identities", async () => {
    await openCaseForStaff(rt, clerk, a.caseId);
    await addNote(rt, clerk, a.caseId, `Rückruf bei ${NAME_A}`);
    const log = await caseAccessLog(rt.db, a.citizenId, { limit: 50 });
    assert.deepEqual(
      log.entries.map((e) => e.kind),
      ['processed', 'viewed'],
      'the note, then the opening (newest first); the submission (an applicant entry) is not listed',
    );
    for (const e of log.entries) {
      assert.equal(e.caseId, a.caseId, 'only case A');
      assert.equal(e.reference, a.reference);
      assert.equal(e.departmentId, 'versammlungsbehoerde');
      assert.ok(!JSON.stringify(e).includes(clerkId), 'no staff id in an entry');
    }
    assert.equal(log.next, undefined, 'one page');
    const ofB = await caseAccessLog(rt.db, b.citizenId, { limit: 50 });
    assert.deepEqual(ofB.entries, [], "B sees nothing of A's case");
    const stranger = await caseAccessLog(rt.db, '00000000-0000-4000-8000-000000000000', { limit: 50 });
    assert.deepEqual(stranger.entries, [], 'an unknown account sees nothing');
  });

  test('pages through ties and sealing without gaps or repeats', async () => {
    const citizen = { citizenId: '', caseId: '', reference: '' };
    await citizenWithCase('paging@example.org', 'Paula Paging', citizen);
    // Three entries at the very same millisecond, and others around them.
    const base = Date.parse('2026-11-01T10:00:00.000Z');
    const instants = [base, base + 1000, base + 1000, base + 1000, base + 2000, base + 3000, base + 4000];
    for (const [i, t] of instants.entries())
      await rt.db
        .insertInto('audit_pending')
        .values({ at: new Date(t), actor_type: 'staff', actor_id: clerkId, action: i % 2 === 0 ? 'case.view' : 'document.download', case_id: citizen.caseId, details: JSON.stringify({ i }) })
        .execute();
    const seen: AccessLogEntry[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const page = await caseAccessLog(rt.db, citizen.citizenId, { limit: 2, before });
      seen.push(...page.entries);
      before = page.next;
      pages++;
      // Sealing moves entries from audit_pending into the chain between two page views.
      if (pages === 2) await sealAll(rt.db);
    } while (before && pages < 20);
    assert.equal(seen.length, instants.length, 'every entry exactly once');
    assert.deepEqual(
      seen.map((e) => e.at.getTime()),
      [...instants].sort((x, y) => y - x),
      'newest first',
    );
    assert.deepEqual(
      seen.filter((e) => e.at.getTime() === base + 1000).map((e) => e.kind).sort(),
      ['document_downloaded', 'document_downloaded', 'viewed'],
      'the three entries of the same instant all appear',
    );
    assert.equal(pages, 4, '7 entries at 2 a page');
    const garbage = await caseAccessLog(rt.db, citizen.citizenId, { limit: 3, before: "1'; drop table cases; --" });
    assert.equal(garbage.entries.length, 3, 'an invalid cursor starts from the newest entry');
  });
});

describe('the data export', () => {
  let zipA: Record<string, Uint8Array>;
  let dataA: CitizenDataExport;
  let doc: { id: string; documentId: string };

  before(async () => {
    const deps = { db: rt.db, blobs: rt.blobs, keyring: rt.keyring };
    const first = await storeDocument(deps, { caseId: a.caseId, fileName: 'Lageplan Marktplatz.pdf', contentType: 'application/pdf', body: docBytes, createdBy: { type: 'applicant', id: a.citizenId } });
    await storeDocumentVersion(deps, first.documentId, { caseId: a.caseId, fileName: 'Lageplan Marktplatz.pdf', contentType: 'application/pdf', body: docBytesV2, createdBy: { type: 'staff', id: clerkId } });
    await storeDocument(deps, { caseId: a.caseId, fileName: 'Lageplan Marktplatz.pdf', contentType: 'application/octet-stream', body: otherDoc, createdBy: { type: 'staff', id: clerkId } });
    doc = { id: first.id, documentId: first.documentId };
    // A staff download, as the back office records it.
    await rt.db.transaction().execute((trx) =>
      appendAudit(trx, { actorType: 'staff', actorId: clerkId, action: 'document.download', caseId: a.caseId, details: { documentId: first.documentId, version: 1 } }),
    );
    const exported = await exportCitizenData(rt, a.citizenId);
    assert.match(exported.fileName, /^amtsweg-daten-\d{4}-\d{2}-\d{2}\.zip$/, 'a file name without name or e-mail');
    zipA = unzipSync(exported.zip);
    dataA = JSON.parse(new TextDecoder().decode(zipA['daten.json']));
  });

  test("daten.json holds the account, the case with the form's answers and the access log", () => {
    assert.equal(dataA.schema, DATA_EXPORT_SCHEMA);
    assert.equal(dataA.account.email, 'annegret@example.org');
    assert.equal(dataA.cases.length, 1, "A's one case");
    const c = dataA.cases[0]!;
    assert.equal(c.reference, a.reference);
    assert.equal(c.formData.organiserName, NAME_A);
    assert.ok(c.formFields.some((f) => f.id === 'organiserName' && f.value === NAME_A && f.label.de.length > 0), 'answers carry their question');
    assert.equal(c.office.id, 'versammlungsbehoerde');
    assert.ok(c.timeline.length >= 1 && c.timeline[0]!.text.de.includes('eingegangen'), 'the public timeline starts with the receipt');
    assert.deepEqual(
      dataA.accessLog.map((e) => e.kind),
      ['document_downloaded', 'processed', 'viewed'],
      'the download, the note, the opening',
    );
    assert.equal(dataA.accessLog[0]!.office.name?.de, 'Versammlungsbehörde (Ordnungsamt)');
    assert.equal(dataA.accessLog[0]!.description.de, 'Dokument heruntergeladen');
  });

  test('withholds internal notes and staff identities', () => {
    const json = new TextDecoder().decode(zipA['daten.json']);
    assert.ok(!json.includes('Rückruf'), 'the internal note is not in the export');
    assert.ok(!json.includes(CLERK_NAME) && !json.includes(clerkId), 'no staff name or id');
    assert.ok(!json.includes('public_key') && !json.includes('access_code'), 'no key material, no access code hash');
    const readme = new TextDecoder().decode(zipA['LIESMICH.txt']);
    assert.ok(readme.includes('Art. 15') && readme.includes('Art. 20') && readme.includes('Interne Vermerke') && readme.includes('Internal notes'), 'LIESMICH.txt explains content, rights and what is withheld (de + en)');
    assert.ok(readme.includes('Marktplatz 1'), 'LIESMICH.txt names whom to contact');
  });

  test('every document version is in the ZIP, byte for byte, under the case reference', async () => {
    const dir = `dokumente/${a.reference}/`;
    const paths = Object.keys(zipA).filter((p) => p.startsWith(dir)).sort();
    assert.deepEqual(paths, [`${dir}1-Lageplan Marktplatz-2.pdf`, `${dir}1-Lageplan Marktplatz.pdf`, `${dir}2-Lageplan Marktplatz.pdf`].sort(), 'two documents, one with two versions; no name taken twice');
    const listed = dataA.cases[0]!.documents;
    assert.equal(listed.length, 3);
    const v1 = listed.find((d) => d.documentId === doc.documentId && d.version === 1)!;
    assert.deepEqual(Buffer.from(zipA[v1.path!]!), docBytes, 'version 1 as stored');
    const v2 = listed.find((d) => d.documentId === doc.documentId && d.version === 2)!;
    assert.deepEqual(Buffer.from(zipA[v2.path!]!), docBytesV2, 'version 2 as stored');
    const stored = await readDocument({ db: rt.db, blobs: rt.blobs, keyring: rt.keyring }, doc.id);
    assert.equal(v1.sha256, stored.document.sha256, 'the listed SHA-256 is the recorded one');
    const other = listed.find((d) => d.documentId !== doc.documentId)!;
    assert.deepEqual(Buffer.from(zipA[other.path!]!), otherDoc);
  });

  test("B's export holds nothing of A", async () => {
    const { zip } = await exportCitizenData(rt, b.citizenId);
    const files = unzipSync(zip);
    const json = new TextDecoder().decode(files['daten.json']);
    const data = JSON.parse(json) as CitizenDataExport;
    assert.deepEqual(
      data.cases.map((c) => c.reference),
      [b.reference],
      "only B's case",
    );
    assert.ok(!json.includes(a.reference) && !json.includes(NAME_A) && !json.includes('annegret@example.org'), "nothing of A's case or account");
    assert.deepEqual(data.accessLog, [], 'no access to B yet');
    assert.ok(!Object.keys(files).some((p) => p.includes(a.reference)), "none of A's documents");
  });

  test('the export is audited without personal data', async () => {
    const entries = await rt.db.selectFrom('audit_entries').select(['actor_type', 'actor_id', 'case_id', 'details']).where('action', '=', 'citizen.data_exported').where('actor_id', '=', a.citizenId).execute();
    assert.equal(entries.length, 1, 'one audit entry for the export of A');
    assert.equal(entries[0]!.actor_type, 'applicant');
    assert.deepEqual(entries[0]!.details, { cases: 1, documents: 3, documentProblems: 0, accessEntries: 3 }, 'counts only');
  });

  test('a document that fails its integrity check is listed without bytes; the rest is still exported', async () => {
    const row = await rt.db.selectFrom('documents').select('blob_key').where('id', '=', doc.id).executeTakeFirstOrThrow();
    const blob = await rt.blobs.get(row.blob_key);
    blob[blob.length - 1] = blob[blob.length - 1]! ^ 0xff;
    await rt.blobs.put(row.blob_key, blob);
    const files = unzipSync((await exportCitizenData(rt, a.citizenId)).zip);
    const data = JSON.parse(new TextDecoder().decode(files['daten.json'])) as CitizenDataExport;
    const broken = data.cases[0]!.documents.find((d) => d.documentId === doc.documentId && d.version === 1)!;
    assert.equal(broken.path, null, 'the tampered version has no file');
    assert.equal(data.cases[0]!.documents.filter((d) => d.path !== null).length, 2, 'the other two versions are there');
  });
});
