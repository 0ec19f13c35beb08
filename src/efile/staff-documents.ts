import type { Kysely } from 'kysely';
import { staffDepartments, type Actor } from '../cases/case-deps.ts';
import { hasPermission, type Permission } from '../identity/permissions.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { UploadedFile } from '../platform/http/multipart.ts';
import type { Database } from '../schema.ts';
import { appendAudit } from './audit-chain.ts';
import { readDocument, storeDocument, storeDocumentVersion, type DocumentDeps, type StoredDocument } from './documents.ts';
import { acceptUpload } from './uploads/accept-upload.ts';
import type { VirusScanner } from './uploads/upload-check.ts';

/**
 * Staff work with the documents of a case file: scanned incoming mail and other documents added
 * to the file, new versions (never overwriting), and downloads. Every download is audited, and the
 * department is part of every query: a document of another department's case is "not found".
 */
export interface StaffDocumentDeps extends DocumentDeps {
  readonly scanner: VirusScanner | undefined;
}

/** Staff uploads (scans of incoming mail are large): PDF, JPEG, PNG up to 25 MB. */
export const STAFF_UPLOAD_LIMIT = 25 * 1024 * 1024;

const notFound = () => new NotFoundError({ de: 'Dieses Dokument gibt es nicht.', en: 'This document does not exist.' });

/** The case, if the actor holds `permission` in its department; otherwise not found. */
async function caseFor(db: Kysely<Database>, actor: Actor, caseId: string, permission: Permission): Promise<{ id: string; department_id: string }> {
  const departments = staffDepartments(actor);
  if (actor.type !== 'staff' || departments.length === 0 || !/^[0-9a-f-]{36}$/i.test(caseId)) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
  const row = await db.selectFrom('cases').select(['id', 'department_id']).where('id', '=', caseId).where('department_id', 'in', departments).executeTakeFirst();
  if (!row || !hasPermission(actor, permission, row.department_id)) throw new NotFoundError({ de: 'Diesen Vorgang gibt es nicht.', en: 'This case does not exist.' });
  return row;
}

async function checkStaffUpload(deps: StaffDocumentDeps, file: UploadedFile | undefined, field: string) {
  const checked = (await acceptUpload(deps.scanner, file, { field, maxBytes: STAFF_UPLOAD_LIMIT }))!;
  return { checked, fileName: checked.fileName };
}

/** Adds a document to the case file (e.g. scanned incoming mail), with an optional label. */
export async function addCaseDocument(deps: StaffDocumentDeps, actor: Actor, caseId: string, input: { file: UploadedFile | undefined; title: string }): Promise<StoredDocument> {
  const title = input.title.trim();
  if (title.length > 200) throw new ValidationError([{ field: 'document-title', message: { de: 'Die Bezeichnung darf höchstens 200 Zeichen lang sein.', en: 'The label must be 200 characters or fewer.' } }]);
  const c = await caseFor(deps.db, actor, caseId, 'case.work');
  const { checked, fileName } = await checkStaffUpload(deps, input.file, 'document-file');
  const staffId = actor.type === 'staff' ? actor.id : null;
  return deps.db.transaction().execute(async (trx) => {
    const stored = await storeDocument({ ...deps, db: trx }, { caseId: c.id, fileName, contentType: checked.contentType, body: checked.bytes, createdBy: { type: 'staff', id: staffId }, ...(title ? { title } : {}) });
    await appendAudit(trx, { actorType: 'staff', actorId: staffId, action: 'document.uploaded', caseId: c.id, details: { documentId: stored.documentId, version: 1 } });
    return stored;
  });
}

/** Stores a new version of one of the case's documents; the earlier versions stay. */
export async function addDocumentVersion(deps: StaffDocumentDeps, actor: Actor, caseId: string, documentId: string, file: UploadedFile | undefined): Promise<StoredDocument> {
  const c = await caseFor(deps.db, actor, caseId, 'case.work');
  if (!/^[0-9a-f-]{36}$/i.test(documentId)) throw notFound();
  const latest = await deps.db.selectFrom('documents').select(['title', 'field_id']).where('document_id', '=', documentId).where('case_id', '=', c.id).orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!latest) throw notFound();
  const { checked, fileName } = await checkStaffUpload(deps, file, `version-${documentId}`);
  const staffId = actor.type === 'staff' ? actor.id : null;
  return deps.db.transaction().execute(async (trx) => {
    const stored = await storeDocumentVersion({ ...deps, db: trx }, documentId, {
      caseId: c.id,
      fileName,
      contentType: checked.contentType,
      body: checked.bytes,
      createdBy: { type: 'staff', id: staffId },
      ...(latest.title ? { title: latest.title } : {}),
      ...(latest.field_id ? { fieldId: latest.field_id } : {}),
    });
    await appendAudit(trx, { actorType: 'staff', actorId: staffId, action: 'document.version_added', caseId: c.id, details: { documentId, version: stored.version } });
    return stored;
  });
}

/** One version's bytes for a staff member of the case's department; the download is audited. */
export async function downloadCaseDocument(deps: DocumentDeps, actor: Actor, caseId: string, documentRowId: string): Promise<{ document: StoredDocument; bytes: Buffer }> {
  const c = await caseFor(deps.db, actor, caseId, 'case.read');
  if (!/^[0-9a-f-]{36}$/i.test(documentRowId)) throw notFound();
  const own = await deps.db.selectFrom('documents').select('id').where('id', '=', documentRowId).where('case_id', '=', c.id).executeTakeFirst();
  if (!own) throw notFound();
  const result = await readDocument(deps, own.id);
  await appendAudit(deps.db, { actorType: 'staff', actorId: actor.type === 'staff' ? actor.id : null, action: 'document.download', caseId: c.id, details: { documentId: result.document.documentId, version: result.document.version } });
  return result;
}
