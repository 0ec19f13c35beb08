import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { IntegrityError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { startS3Server } from '../test-support/s3-server.ts';
import { testRuntime, type TestRuntime } from '../test-support/runtime.ts';
import { FsBlobStore, type BlobStore } from './blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';
import { MasterKeyring } from './document-crypto.ts';
import { listDocumentVersions, readDocument, storeDocument, storeDocumentVersion, type DocumentDeps } from './documents.ts';
import { rewrapDocumentKeys } from './rotate-master-key.ts';

const MARKER = 'AMTSWEG-PLAINTEXT-MARKER-Erika-Mustermann';
const pdfLike = (extra = '') => Buffer.from(`%PDF-1.7\n${MARKER}\n${'Wohnungsgeberbestätigung '.repeat(200)}${extra}\n%%EOF`, 'utf8');
const staff = { type: 'staff', id: null } as const;
const key = (id: string) => ({ id, key: randomBytes(32) });

let runtime: TestRuntime;
before(async () => {
  runtime = await testRuntime();
});
after(async () => runtime.close());

/** Finds the stored blob of a document version (for tampering in tests). */
async function blobKeyOf(id: string): Promise<string> {
  return (await runtime.db.selectFrom('documents').select('blob_key').where('id', '=', id).executeTakeFirstOrThrow()).blob_key;
}

function storeBehaviour(name: string, open: () => Promise<{ blobs: BlobStore; close(): Promise<void> }>) {
  describe(name, () => {
    let deps: DocumentDeps;
    let close: () => Promise<void>;
    before(async () => {
      const opened = await open();
      close = opened.close;
      deps = { db: runtime.db, blobs: opened.blobs, keyring: runtime.keyring };
    });
    after(async () => close());

    test('a document comes back byte for byte with its SHA-256 recorded', async () => {
      const bytes = pdfLike();
      const doc = await storeDocument(deps, { caseId: null, fileName: 'Bescheid.pdf', contentType: 'application/pdf', body: bytes, createdBy: staff });
      assert.equal(doc.version, 1);
      assert.equal(doc.documentId, doc.id);
      assert.equal(doc.size, bytes.length);
      assert.match(doc.sha256, /^[0-9a-f]{64}$/);
      const read = await readDocument(deps, doc.id);
      assert.deepEqual(read.bytes, bytes);
      assert.equal(read.document.fileName, 'Bescheid.pdf');
    });

    test('a streamed document is encrypted on the way in and reads back whole', async () => {
      const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(16_384, 65 + (i % 26)));
      const doc = await storeDocument(deps, { caseId: null, fileName: 'scan.png', contentType: 'image/png', body: Readable.from(chunks), createdBy: { type: 'system', id: null } });
      assert.equal(doc.size, 40 * 16_384);
      assert.deepEqual((await readDocument(deps, doc.id)).bytes, Buffer.concat(chunks));
    });

    test('the stored bytes are not the plaintext', async () => {
      const doc = await storeDocument(deps, { caseId: null, fileName: 'a.pdf', contentType: 'application/pdf', body: pdfLike(), createdBy: staff });
      const blob = await deps.blobs.get(await blobKeyOf(doc.id));
      assert.equal(blob.indexOf(MARKER), -1, 'the marker does not appear in the stored blob');
      assert.equal(blob.indexOf('%PDF'), -1, 'not even the PDF header appears in the stored blob');
      assert.ok(blob.length >= doc.size + 32, 'the blob carries header, nonce and tag besides the ciphertext');
    });

    test('one changed byte in the blob is detected and reveals nothing', async () => {
      const doc = await storeDocument(deps, { caseId: null, fileName: 'a.pdf', contentType: 'application/pdf', body: pdfLike(), createdBy: staff });
      const blobKey = await blobKeyOf(doc.id);
      const blob = await deps.blobs.get(blobKey);
      blob[Math.floor(blob.length / 2)]! ^= 0x01;
      await deps.blobs.put(blobKey, blob);
      await assert.rejects(readDocument(deps, doc.id), (err: unknown) => {
        assert.ok(err instanceof IntegrityError, 'an IntegrityError');
        assert.equal(err.code, 'AMTSWEG_INTEGRITY');
        assert.ok(!err.message.includes(blobKey) && !err.message.includes(doc.sha256), 'the message names neither the key nor the hash');
        return true;
      });
    });

    test('a changed byte is caught by the GCM tag even when the recorded blob hash is made to match', async () => {
      const doc = await storeDocument(deps, { caseId: null, fileName: 'a.pdf', contentType: 'application/pdf', body: pdfLike(), createdBy: staff });
      const blobKey = await blobKeyOf(doc.id);
      const blob = await deps.blobs.get(blobKey);
      blob[blob.length - 20]! ^= 0x80;
      await deps.blobs.put(blobKey, blob);
      await runtime.db.updateTable('documents').set({ blob_sha256: createHash('sha256').update(blob).digest('hex') }).where('id', '=', doc.id).execute();
      await assert.rejects(readDocument(deps, doc.id), IntegrityError);
    });

    test('a missing blob, a cut blob and a blob swapped from another document are integrity errors', async () => {
      const a = await storeDocument(deps, { caseId: null, fileName: 'a.pdf', contentType: 'application/pdf', body: pdfLike('a'), createdBy: staff });
      const b = await storeDocument(deps, { caseId: null, fileName: 'b.pdf', contentType: 'application/pdf', body: pdfLike('b'), createdBy: staff });
      // Swap: a's blob and hashes copied over b's (blob_key is unique, so the bytes move instead),
      // as someone with write access to both the store and the database could.
      const rowA = await runtime.db.selectFrom('documents').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
      const keyB = await blobKeyOf(b.id);
      await deps.blobs.put(keyB, await deps.blobs.get(rowA.blob_key));
      await runtime.db.updateTable('documents').set({ blob_sha256: rowA.blob_sha256, sha256: rowA.sha256 }).where('id', '=', b.id).execute();
      await assert.rejects(readDocument(deps, b.id), IntegrityError, 'a blob opens only as the document it was written for');

      const cut = await storeDocument(deps, { caseId: null, fileName: 'c.pdf', contentType: 'application/pdf', body: pdfLike('c'), createdBy: staff });
      const keyCut = await blobKeyOf(cut.id);
      await deps.blobs.put(keyCut, (await deps.blobs.get(keyCut)).subarray(0, 10));
      await assert.rejects(readDocument(deps, cut.id), IntegrityError);

      const gone = await storeDocument(deps, { caseId: null, fileName: 'd.pdf', contentType: 'application/pdf', body: pdfLike('d'), createdBy: staff });
      await deps.blobs.delete(await blobKeyOf(gone.id));
      await assert.rejects(readDocument(deps, gone.id), IntegrityError);
    });
  });
}

storeBehaviour('documents on the filesystem store', async () => {
  const blobs = await FsBlobStore.open('memory://');
  return { blobs, close: () => blobs.close() };
});

storeBehaviour('documents on the S3 store (real s3rver)', async () => {
  const server = await startS3Server();
  const blobs = new S3BlobStore(server.config);
  return {
    blobs,
    async close() {
      await blobs.close();
      await server.close();
    },
  };
});

test('the runtime stores documents on the filesystem under the test run key', async () => {
  const deps = { db: runtime.db, blobs: runtime.blobs, keyring: runtime.keyring };
  assert.equal(runtime.blobs.kind, 'fs');
  const doc = await storeDocument(deps, { caseId: null, fileName: 'x.txt', contentType: 'text/plain', body: Buffer.from('hello'), createdBy: staff });
  const row = await runtime.db.selectFrom('documents').select(['master_key_id']).where('id', '=', doc.id).executeTakeFirstOrThrow();
  assert.equal(row.master_key_id, runtime.keyring.currentId);
  // The file on disk is the encrypted blob.
  const onDisk = await readFile(path.join((runtime.blobs as FsBlobStore).root, await blobKeyOf(doc.id)));
  assert.equal(onDisk.indexOf('hello'), -1, 'the plaintext is not on disk');
});

test('a new version is a new row; earlier versions stay readable with who and when', async () => {
  const deps = { db: runtime.db, blobs: runtime.blobs, keyring: runtime.keyring };
  const v1 = await storeDocument(deps, { caseId: null, fileName: 'Antrag.pdf', contentType: 'application/pdf', body: pdfLike('v1'), createdBy: { type: 'applicant', id: null } });
  const v2 = await storeDocumentVersion(deps, v1.documentId, { caseId: null, fileName: 'Antrag-korrigiert.pdf', contentType: 'application/pdf', body: pdfLike('v2'), createdBy: staff });
  const v3 = await runtime.db.transaction().execute((trx) => storeDocumentVersion({ ...deps, db: trx }, v1.documentId, { caseId: null, fileName: 'Antrag-final.pdf', contentType: 'application/pdf', body: pdfLike('v3'), createdBy: staff }));
  assert.deepEqual([v1.version, v2.version, v3.version], [1, 2, 3]);
  const history = await listDocumentVersions(runtime.db, v1.documentId);
  assert.deepEqual(history.map((h) => [h.version, h.fileName, h.createdBy.type]), [[1, 'Antrag.pdf', 'applicant'], [2, 'Antrag-korrigiert.pdf', 'staff'], [3, 'Antrag-final.pdf', 'staff']]);
  assert.deepEqual((await readDocument(deps, v1.id)).bytes, pdfLike('v1'));
  assert.deepEqual((await readDocument(deps, v3.id)).bytes, pdfLike('v3'));
  await assert.rejects(storeDocumentVersion(deps, '00000000-0000-0000-0000-000000000000', { caseId: null, fileName: 'x.pdf', contentType: 'application/pdf', body: pdfLike(), createdBy: staff }), NotFoundError);
});

test('documents belong to a case through a real foreign key', async () => {
  const deps = { db: runtime.db, blobs: runtime.blobs, keyring: runtime.keyring };
  await assert.rejects(storeDocument(deps, { caseId: '00000000-0000-0000-0000-000000000001', fileName: 'x.pdf', contentType: 'application/pdf', body: pdfLike(), createdBy: staff }), /foreign key/);
  const leftovers = await readdirDeep((runtime.blobs as FsBlobStore).root);
  const referenced = new Set((await runtime.db.selectFrom('documents').select('blob_key').execute()).map((r) => r.blob_key));
  assert.deepEqual(leftovers.filter((k) => !referenced.has(k)), [], 'the blob of the refused row is removed again');
});

test('bad metadata and unknown ids are refused', async () => {
  const deps = { db: runtime.db, blobs: runtime.blobs, keyring: runtime.keyring };
  await assert.rejects(storeDocument(deps, { caseId: null, fileName: '../../etc/passwd', contentType: 'application/pdf', body: pdfLike(), createdBy: staff }), ValidationError);
  await assert.rejects(storeDocument(deps, { caseId: null, fileName: 'a.pdf', contentType: 'pdf', body: pdfLike(), createdBy: staff }), ValidationError);
  await assert.rejects(readDocument(deps, '00000000-0000-0000-0000-000000000000'), NotFoundError);
  await assert.rejects(readDocument(deps, 'not-a-uuid'), NotFoundError);
});

test('rotation: documents written under key A read under B after A is removed; a second run changes nothing', async () => {
  const A = key('key-a');
  const B = key('key-b');
  const blobs = runtime.blobs;
  const underA = { db: runtime.db, blobs, keyring: new MasterKeyring([A]) };
  const docs = [];
  for (let i = 0; i < 7; i++) docs.push(await storeDocument(underA, { caseId: null, fileName: `d${i}.pdf`, contentType: 'application/pdf', body: pdfLike(String(i)), createdBy: staff }));
  const blobsBefore = await Promise.all(docs.map(async (d) => (await blobs.get(await blobKeyOf(d.id))).toString('base64')));

  // Before rotation, a keyring without A cannot read them, and says which key is missing.
  await assert.rejects(readDocument({ ...underA, keyring: new MasterKeyring([B]) }, docs[0]!.id), /Master key "key-a" is not configured/);

  const report = await rewrapDocumentKeys(runtime.db, new MasterKeyring([B, A]), { batchSize: 3 });
  assert.equal(report.rewrapped, 7, 'all documents under A are re-wrapped');
  assert.equal(report.missingKey['key-a'], undefined);

  const onlyB = { db: runtime.db, blobs, keyring: new MasterKeyring([B]) };
  for (const [i, d] of docs.entries()) assert.deepEqual((await readDocument(onlyB, d.id)).bytes, pdfLike(String(i)));
  const blobsAfter = await Promise.all(docs.map(async (d) => (await blobs.get(await blobKeyOf(d.id))).toString('base64')));
  assert.deepEqual(blobsAfter, blobsBefore, 'blobs are not rewritten');
  const keyIds = await runtime.db.selectFrom('documents').select('master_key_id').where('id', 'in', docs.map((d) => d.id)).execute();
  assert.ok(keyIds.every((k) => k.master_key_id === 'key-b'), 'every row names key B');

  const again = await rewrapDocumentKeys(runtime.db, new MasterKeyring([B]));
  assert.equal(again.rewrapped, 0);
  assert.equal(again.alreadyCurrent, again.total - Object.values(again.missingKey).reduce((a, n) => a + n, 0));
});

test('rotation reports documents whose key is not configured and leaves them untouched', async () => {
  const C = key('key-c');
  const D = key('key-d');
  const underC = { db: runtime.db, blobs: runtime.blobs, keyring: new MasterKeyring([C]) };
  const doc = await storeDocument(underC, { caseId: null, fileName: 'c.pdf', contentType: 'application/pdf', body: pdfLike('c'), createdBy: staff });
  const report = await rewrapDocumentKeys(runtime.db, new MasterKeyring([D]));
  assert.equal(report.missingKey['key-c'], 1);
  assert.deepEqual((await readDocument(underC, doc.id)).bytes, pdfLike('c'));
  // A wrapped key copied onto another row does not open there (it is bound to its document).
  const other = await storeDocument(underC, { caseId: null, fileName: 'o.pdf', contentType: 'application/pdf', body: pdfLike('o'), createdBy: staff });
  const wrapped = (await runtime.db.selectFrom('documents').select('wrapped_key').where('id', '=', doc.id).executeTakeFirstOrThrow()).wrapped_key;
  await runtime.db.updateTable('documents').set({ wrapped_key: wrapped }).where('id', '=', other.id).execute();
  await assert.rejects(readDocument(underC, other.id), IntegrityError);
  const damaged = await rewrapDocumentKeys(runtime.db, new MasterKeyring([D, C]));
  assert.ok(damaged.damaged.includes(other.id), 'the row with a foreign wrapped key is reported as damaged');
});

async function readdirDeep(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))).filter((k) => !k.startsWith('.tmp'));
}
