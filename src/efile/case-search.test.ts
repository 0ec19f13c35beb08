import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import PDFDocument from 'pdfkit';
import { submitCase } from '../cases/submit-case.ts';
import { testRuntime, validAssembly, type TestRuntime } from '../test-support/runtime.ts';
import { indexCaseText, MAX_QUERY_CHARS, removeCaseText, searchCases } from './case-search.ts';
import { extractPdfText } from './pdf-text.ts';

let rt: TestRuntime;
before(async () => {
  rt = await testRuntime();
});
after(async () => rt?.close());

const ASSEMBLY = ['versammlungsbehoerde'];
let counter = 0;
/** A real submitted case (Versammlungsanzeige → versammlungsbehoerde), optionally moved to another department. */
async function newCase(department?: string): Promise<string> {
  const { caseId } = await submitCase(rt, { serviceId: 'versammlungsanzeige', data: validAssembly(rt.now()), idempotencyScope: 'api', idempotencyKey: `search-${++counter}-${Date.now()}` });
  if (department) await rt.db.updateTable('cases').set({ department_id: department }).where('id', '=', caseId).execute();
  return caseId;
}
const ids = (hits: { caseId: string }[]) => hits.map((h) => h.caseId);

async function textPdf(text: string): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.fontSize(12).text(text);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

test('the database has the German text search configuration (PGlite as PostgreSQL)', async () => {
  const { rows } = await sql<{ v: string }>`select to_tsvector('german', 'Häuser Versammlungen')::text as v`.execute(rt.db);
  assert.equal(rows[0]!.v, "'haus':1 'versamml':2");
});

test('German stemming: "Versammlungen" finds "Versammlung", "Lautsprecherwagen" finds its plural', async () => {
  const caseId = await newCase();
  await indexCaseText(rt.db, { caseId, source: 'form', sourceId: 'form', text: 'Anzeige einer Versammlung mit zwei Lautsprecherwagen auf dem Hallmarkt' });
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Versammlungen' })), [caseId]);
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'lautsprecherwagens' })), [caseId]);
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Hallmarkt -Fahrrad' })), [caseId], 'web search syntax: excluded words');
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Hallmarkt -Lautsprecherwagen' })), []);
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: '"zwei Lautsprecherwagen"' })), [caseId], 'phrases');
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Fahrraddemo' })), []);
  await removeCaseText(rt.db, caseId);
});

test('the index holds the tsvector only, not the text', async () => {
  const caseId = await newCase();
  await indexCaseText(rt.db, { caseId, source: 'note', sourceId: 'n1', text: 'Erika Mustermann wohnt in der Geheimstraße' });
  const row = await rt.db.selectFrom('case_search').select('tsv').where('case_id', '=', caseId).executeTakeFirstOrThrow();
  assert.doesNotMatch(row.tsv, /Mustermann|Geheimstraße/, 'no original spelling stored');
  const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'case_search' order by ordinal_position`.execute(rt.db);
  assert.deepEqual(columns.rows.map((r) => r.column_name), ['id', 'case_id', 'source', 'source_id', 'tsv'], 'no text column');
  await removeCaseText(rt.db, caseId);
});

test('the department filter is part of the query: other departments\' cases are not found', async () => {
  const mine = await newCase();
  const theirs = await newCase('gewerbeamt');
  for (const caseId of [mine, theirs]) await indexCaseText(rt.db, { caseId, source: 'form', sourceId: 'form', text: 'Straßenfest mit Bühne am Marktplatz' });
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Straßenfest' })), [mine]);
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ['gewerbeamt'], query: 'Straßenfest' })), [theirs]);
  assert.deepEqual(new Set(ids(await searchCases(rt.db, { departmentIds: ['gewerbeamt', ...ASSEMBLY], query: 'Straßenfest' }))), new Set([mine, theirs]));
  assert.deepEqual(await searchCases(rt.db, { departmentIds: [], query: 'Straßenfest' }), [], 'no departments: nothing');
  for (const caseId of [mine, theirs]) await removeCaseText(rt.db, caseId);
});

test('best match first, newest first among equals; one hit per case; limit and offset page through', async () => {
  const older = await newCase();
  const newer = await newCase();
  const strong = await newCase();
  await rt.db.updateTable('cases').set({ submitted_at: new Date(Date.now() - 86_400_000) }).where('id', '=', older).execute();
  await indexCaseText(rt.db, { caseId: older, source: 'form', sourceId: 'form', text: 'Mahnwache vor dem Rathaus' });
  await indexCaseText(rt.db, { caseId: newer, source: 'form', sourceId: 'form', text: 'Mahnwache vor dem Rathaus' });
  await indexCaseText(rt.db, { caseId: strong, source: 'form', sourceId: 'form', text: 'Mahnwache, Mahnwache, Mahnwache' });
  await indexCaseText(rt.db, { caseId: strong, source: 'note', sourceId: 'n1', text: 'Mahnwache verlegt' });
  const hits = await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Mahnwache' });
  assert.deepEqual(ids(hits), [strong, newer, older]);
  assert.ok(hits[0]!.rank > hits[1]!.rank, 'ranked by ts_rank');
  const first = hits[0]!;
  assert.match(first.reference, /\S/);
  assert.equal(first.serviceId, 'versammlungsanzeige');
  assert.equal(typeof first.state, 'string');
  assert.ok(first.submittedAt instanceof Date, 'a date');
  assert.equal(typeof first.rank, 'number');
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Mahnwache', limit: 1, offset: 1 })), [newer]);
  for (const caseId of [older, newer, strong]) await removeCaseText(rt.db, caseId);
});

test('indexing again replaces; removing one source or one entry leaves the rest; an empty text removes', async () => {
  const caseId = await newCase();
  const find = async (q: string) => ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: q }));
  await indexCaseText(rt.db, { caseId, source: 'document', sourceId: 'd1', text: 'Sondernutzungserlaubnis' });
  await indexCaseText(rt.db, { caseId, source: 'document', sourceId: 'd1', text: 'Gestattung' });
  assert.deepEqual(await find('Sondernutzungserlaubnis'), [], 'the old text is gone');
  assert.deepEqual(await find('Gestattung'), [caseId]);
  await indexCaseText(rt.db, { caseId, source: 'document', sourceId: 'd2', text: 'Auflagenbescheid' });
  await indexCaseText(rt.db, { caseId, source: 'note', sourceId: 'n1', text: 'Rückfrage Ordner' });
  await removeCaseText(rt.db, caseId, 'document', 'd1');
  assert.deepEqual(await find('Gestattung'), []);
  assert.deepEqual(await find('Auflagenbescheid'), [caseId]);
  await removeCaseText(rt.db, caseId, 'document');
  assert.deepEqual(await find('Auflagenbescheid'), []);
  assert.deepEqual(await find('Ordner'), [caseId]);
  await indexCaseText(rt.db, { caseId, source: 'note', sourceId: 'n1', text: '  \n ' });
  assert.equal((await rt.db.selectFrom('case_search').select('id').where('case_id', '=', caseId).execute()).length, 0, 'a blank text leaves no entry');
});

test('blank, stop-word-only, oversized and hostile queries are harmless', async () => {
  const caseId = await newCase();
  await indexCaseText(rt.db, { caseId, source: 'form', sourceId: 'form', text: 'Kundgebung\0 mit Trommeln' });
  const search = (query: string) => searchCases(rt.db, { departmentIds: ASSEMBLY, query });
  assert.deepEqual(await search(''), []);
  assert.deepEqual(await search('   \t'), []);
  assert.deepEqual(await search('und der die'), [], 'only stop words');
  assert.deepEqual(await search("'); drop table cases; --"), []);
  assert.deepEqual(ids(await search('Kundgebung & | ! <-> :*')), [caseId], 'tsquery operators are plain words in web search syntax');
  assert.deepEqual(ids(await search(`Trommeln ${'x'.repeat(5000)}`)), [], 'the cut query still has the long word in it, so nothing matches');
  assert.deepEqual(ids(await search(`Trommeln ${' '.repeat(MAX_QUERY_CHARS)}Nichtdrin`)), [caseId], 'what lies beyond 200 characters is not part of the query');
  await removeCaseText(rt.db, caseId);
});

test('a real PDF\'s text is found: extractPdfText → indexCaseText → searchCases', async () => {
  const caseId = await newCase();
  const pdf = await textPdf('Lageplan: Aufstellung der Lautsprecherwagen und Ordner am Hallmarkt. Auflagen der Versammlungsbehörde.');
  const text = await extractPdfText(pdf);
  assert.match(text, /Lautsprecherwagen/);
  await indexCaseText(rt.db, { caseId, source: 'document', sourceId: 'b3a1c1b6-0000-4000-8000-000000000001', text });
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Lageplan Lautsprecherwagens' })), [caseId]);
  assert.deepEqual(ids(await searchCases(rt.db, { departmentIds: ASSEMBLY, query: 'Auflage' })), [caseId], '"Auflage" finds "Auflagen"');
  await removeCaseText(rt.db, caseId);
});

test('the entries go with their case: the foreign key cascades on delete', async () => {
  // Deleting a case is retention's job (its events and audit rows go first); the schema is checked here.
  const { rows } = await sql<{ confdeltype: string }>`select confdeltype from pg_constraint where conrelid = 'case_search'::regclass and contype = 'f'`.execute(rt.db);
  assert.deepEqual(rows.map((r) => r.confdeltype), ['c'], 'on delete cascade');
});
