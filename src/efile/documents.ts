import { createHash, randomBytes, randomUUID, type Hash } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely, Selectable } from 'kysely';
import { IntegrityError, NotFoundError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import type { Database, DocumentTable } from '../schema.ts';
import { BlobNotFoundError, type BlobBody, type BlobStore } from './blob-store.ts';
import { decryptBlob, encryptingStream, newDataKey, type MasterKeyring } from './document-crypto.ts';

/**
 * The E-Akte's documents (ADR 0012): bytes encrypted with a per-document data key, stored in the
 * blob store under a random key, described by one `documents` row per version. A new version is a
 * new row; nothing is ever overwritten. Reads check the stored blob's SHA-256, the GCM tag and
 * the plaintext's SHA-256 before a single byte is handed out.
 */
export interface DocumentDeps {
  /** The database or the caller's transaction: the row is written on it. */
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly keyring: MasterKeyring;
}

interface DocumentActor {
  readonly type: 'applicant' | 'staff' | 'system';
  readonly id: string | null;
}

export interface NewDocument {
  readonly caseId: string | null;
  readonly fileName: string;
  readonly contentType: string;
  readonly body: BlobBody;
  readonly createdBy: DocumentActor;
  /** An upload to an unsent form: the draft it belongs to and its field (migration 0010). */
  readonly draftId?: string;
  readonly fieldId?: string;
  /** A staff member's label. */
  readonly title?: string;
}

export type DocumentRow = Selectable<DocumentTable>;

/** What callers see of a stored version; the key material stays inside this module. */
export interface StoredDocument {
  readonly id: string;
  readonly documentId: string;
  readonly version: number;
  readonly caseId: string | null;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdBy: DocumentActor;
  readonly createdAt: Date;
  readonly fieldId: string | null;
  readonly title: string | null;
}

/** The caller's view of a `documents` row. */
export const toStored = (r: DocumentRow): StoredDocument => ({
  id: r.id,
  documentId: r.document_id,
  version: r.version,
  caseId: r.case_id,
  fileName: r.file_name,
  contentType: r.content_type,
  size: Number(r.size),
  sha256: r.sha256,
  createdBy: { type: r.created_by_type, id: r.created_by_id },
  createdAt: r.created_at,
  fieldId: r.field_id,
  title: r.title,
});

function checkMetadata(input: NewDocument): void {
  const problems: FieldProblem[] = [];
  // Item 3 of issue 4 (uploads) derives safe names from what people send; this is the floor.
  if (input.fileName.length < 1 || input.fileName.length > 255 || /[/\\\u0000-\u001f\u007f]/.test(input.fileName))
    problems.push({ field: 'fileName', message: { de: 'Der Dateiname ist ungültig.', en: 'The file name is not valid.' } });
  if (input.title !== undefined && (input.title.trim().length < 1 || input.title.length > 200))
    problems.push({ field: 'title', message: { de: 'Die Bezeichnung muss 1 bis 200 Zeichen lang sein.', en: 'The label must be 1 to 200 characters long.' } });
  if (!/^[a-z]+\/[a-z0-9.+-]+$/i.test(input.contentType)) problems.push({ field: 'contentType', message: { de: 'Der Dateityp ist ungültig.', en: 'The file type is not valid.' } });
  if (problems.length > 0) throw new ValidationError(problems);
}

function tap(hash: Hash, counter?: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      if (counter) counter.bytes += chunk.length;
      callback(null, chunk);
    },
  });
}

/** Encrypts and writes the blob; returns what the row records. */
async function writeBlob(blobs: BlobStore, keyring: MasterKeyring, rowId: string, body: BlobBody) {
  const dataKey = newDataKey();
  const blobKey = `documents/${randomBytes(1).toString('hex')}/${randomBytes(16).toString('hex')}`;
  const plainHash = createHash('sha256');
  const blobHash = createHash('sha256');
  const size = { bytes: 0 };
  const source = body instanceof Uint8Array ? Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]) : Readable.from(body);
  const out = new PassThrough();
  await Promise.all([pipeline(source, tap(plainHash, size), encryptingStream(dataKey, rowId), tap(blobHash), out), blobs.put(blobKey, out)]);
  const { keyId, wrapped } = keyring.wrap(dataKey, rowId);
  dataKey.fill(0);
  return { blobKey, size: size.bytes, sha256: plainHash.digest('hex'), blobSha256: blobHash.digest('hex'), keyId, wrapped };
}

async function insertVersion(deps: DocumentDeps, documentId: string | undefined, version: number | ((db: Kysely<Database>) => Promise<number>), input: NewDocument): Promise<StoredDocument> {
  checkMetadata(input);
  const id = randomUUID();
  const blob = await writeBlob(deps.blobs, deps.keyring, id, input.body);
  try {
    const insert = async (db: Kysely<Database>) =>
      db
        .insertInto('documents')
        .values({
          id,
          document_id: documentId ?? id,
          version: typeof version === 'number' ? version : await version(db),
          case_id: input.caseId,
          file_name: input.fileName,
          content_type: input.contentType,
          size: blob.size,
          sha256: blob.sha256,
          blob_sha256: blob.blobSha256,
          blob_key: blob.blobKey,
          wrapped_key: blob.wrapped,
          master_key_id: blob.keyId,
          created_by_type: input.createdBy.type,
          created_by_id: input.createdBy.id,
          draft_id: input.draftId ?? null,
          field_id: input.fieldId ?? null,
          title: input.title ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    // A caller's transaction is used as it is; otherwise the version number is taken under lock.
    const row = deps.db.isTransaction || typeof version === 'number' ? await insert(deps.db) : await deps.db.transaction().execute(insert);
    return toStored(row);
  } catch (err) {
    // The row decides whether a document exists; a blob without one is removed again. (A crash
    // between the two leaves an unreferenced blob, which holds nothing readable without its key.)
    await deps.blobs.delete(blob.blobKey).catch(() => undefined);
    throw err;
  }
}

/** Stores the first version of a new document. */
export async function storeDocument(deps: DocumentDeps, input: NewDocument): Promise<StoredDocument> {
  return insertVersion(deps, undefined, 1, input);
}

/** Stores the next version of `documentId`; earlier versions stay as they are. */
export async function storeDocumentVersion(deps: DocumentDeps, documentId: string, input: NewDocument): Promise<StoredDocument> {
  return insertVersion(deps, documentId, async (db) => {
    // Locking the newest version serialises two new versions of the same document; the unique
    // (document_id, version) constraint is the backstop.
    const latest = await db.selectFrom('documents').select(['version']).where('document_id', '=', documentId).orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
    if (!latest) throw new NotFoundError({ de: 'Dieses Dokument gibt es nicht.', en: 'This document does not exist.' });
    return latest.version + 1;
  }, input);
}

/** Every version of a document, oldest first: who stored which version when. */
export async function listDocumentVersions(db: Kysely<Database>, documentId: string): Promise<StoredDocument[]> {
  const rows = await db.selectFrom('documents').selectAll().where('document_id', '=', documentId).orderBy('version').execute();
  return rows.map(toStored);
}

/**
 * One stored version with its plaintext, after every check has passed. A changed, missing or
 * swapped blob is an `IntegrityError` that names nothing; an unknown id is a `NotFoundError`.
 * The whole document is held in memory: the plaintext must not leave before the tag is checked,
 * and documents are bounded by the upload limits.
 */
export async function readDocument(deps: DocumentDeps, id: string): Promise<{ document: StoredDocument; bytes: Buffer }> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await deps.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError({ de: 'Dieses Dokument gibt es nicht.', en: 'This document does not exist.' });
  let blob: Buffer;
  try {
    blob = await deps.blobs.get(row.blob_key);
  } catch (err) {
    if (err instanceof BlobNotFoundError) throw new IntegrityError();
    throw err;
  }
  if (createHash('sha256').update(blob).digest('hex') !== row.blob_sha256) throw new IntegrityError();
  const dataKey = deps.keyring.unwrap(row.master_key_id, row.wrapped_key, row.id);
  try {
    const bytes = decryptBlob(blob, dataKey, row.id);
    if (bytes.length !== Number(row.size) || createHash('sha256').update(bytes).digest('hex') !== row.sha256) throw new IntegrityError();
    return { document: toStored(row), bytes };
  } finally {
    dataKey.fill(0);
  }
}
