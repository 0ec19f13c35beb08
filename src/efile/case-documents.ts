import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { BlobStore } from './blob-store.ts';
import { toStored, type StoredDocument } from './documents.ts';

/**
 * Where documents belong: to an unsent form (draft) while a citizen fills it in, then to the case.
 * The ownership is always part of the query: a document id typed into a form elsewhere attaches
 * nothing that is not this draft's.
 */

/** A document of the case file with every version, oldest first. */
export interface CaseDocument {
  readonly documentId: string;
  readonly versions: readonly StoredDocument[];
  readonly latest: StoredDocument;
}

/** The draft's own upload with this row id, or undefined (a foreign or unknown id). */
export async function draftUpload(db: Kysely<Database>, draftId: string, id: string): Promise<{ id: string; fileName: string; fieldId: string | null } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await db.selectFrom('documents').select(['id', 'file_name', 'field_id']).where('id', '=', id).where('draft_id', '=', draftId).where('case_id', 'is', null).executeTakeFirst();
  return row ? { id: row.id, fileName: row.file_name, fieldId: row.field_id } : undefined;
}

/**
 * Moves the named uploads of a submitted draft to its case. Idempotent: a repeated call (a replayed
 * submission) finds them attached already and changes nothing. Returns how many moved.
 */
export async function attachDraftUploads(db: Kysely<Database>, draftId: string, caseId: string, documentRowIds: readonly string[]): Promise<number> {
  const ids = documentRowIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (ids.length === 0) return 0;
  const result = await db.updateTable('documents').set({ case_id: caseId, draft_id: null }).where('id', 'in', ids).where('draft_id', '=', draftId).where('case_id', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Removes uploads that no form will ever send: their draft is gone (sent, abandoned and purged),
 * or they were replaced by another file in the same field. The row goes first (without it the
 * blob cannot be decrypted), then the blob.
 */
export async function purgeUnusedUploads(db: Kysely<Database>, blobs: BlobStore, options: { draftId?: string; keep?: readonly string[] } = {}): Promise<number> {
  let q = db.deleteFrom('documents').where('case_id', 'is', null).where('draft_id', 'is not', null);
  if (options.draftId) {
    q = q.where('draft_id', '=', options.draftId);
    const keep = (options.keep ?? []).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (keep.length > 0) q = q.where('id', 'not in', keep);
  } else {
    q = q.where(({ not, exists, selectFrom }) => not(exists(selectFrom('drafts').select('drafts.id').whereRef('drafts.id', '=', 'documents.draft_id'))));
  }
  const removed = await q.returning(['blob_key']).execute();
  for (const r of removed) await blobs.delete(r.blob_key).catch(() => undefined);
  return removed.length;
}

/** Every document of a case with its versions (no access check: callers have opened the case). */
export async function caseDocuments(db: Kysely<Database>, caseId: string): Promise<CaseDocument[]> {
  const rows = await db.selectFrom('documents').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('version').execute();
  const byDocument = new Map<string, StoredDocument[]>();
  for (const r of rows) {
    const stored = toStored(r);
    byDocument.set(r.document_id, [...(byDocument.get(r.document_id) ?? []), stored]);
  }
  return [...byDocument.entries()].map(([documentId, versions]) => {
    versions.sort((a, b) => a.version - b.version);
    return { documentId, versions, latest: versions[versions.length - 1]! };
  });
}

/**
 * What the applicant sees of the file: the newest version of what they uploaded and of what the
 * office issued to them (sealed decisions and receipts, made by the system). Internal documents
 * (scans, staff uploads) are not listed here; the data access request (Art. 15) covers the rest.
 */
export async function applicantDocuments(db: Kysely<Database>, caseId: string): Promise<StoredDocument[]> {
  return (await caseDocuments(db, caseId)).map((d) => d.latest).filter((d) => d.createdBy.type !== 'staff');
}

/** One of `applicantDocuments` by row id (the caller proved the case is theirs), or undefined. */
export async function applicantDocument(db: Kysely<Database>, caseId: string, documentRowId: string): Promise<StoredDocument | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(documentRowId)) return undefined;
  return (await applicantDocuments(db, caseId)).find((d) => d.id === documentRowId);
}
