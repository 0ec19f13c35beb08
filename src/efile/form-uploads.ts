import { Readable } from 'node:stream';
import { fileFieldValue, isVisible, parseFileFieldValue } from '../catalogue/form-validation.ts';
import { type FieldError, type FileField, type FormData, type FormPage, type RuleContext } from '../catalogue/service-definition.ts';
import { UploadedFile } from '../platform/http/multipart.ts';
import { draftUpload } from './case-documents.ts';
import { appendAudit } from './audit-chain.ts';
import { storeDocument, type DocumentDeps, type StoredDocument } from './documents.ts';
import { acceptUpload } from './uploads/accept-upload.ts';
import { safeFileName } from './uploads/safe-file-name.ts';
import { checkUpload, tooLargeRejection, UploadRejectedError, type VirusScanner } from './uploads/upload-check.ts';

/**
 * The file fields of one posted form page. A file that passes its checks (size limit of the
 * service, type by content, virus scan) is stored at once, encrypted, as an upload of the draft;
 * the page then carries its id in a hidden field (`<field>__kept`), so a mistake in another field
 * never makes the person upload again. A refused file gets its reason at its field and changes
 * nothing: the file kept before (if any) stays.
 */
export interface FormUploadDeps extends DocumentDeps {
  readonly scanner: VirusScanner | undefined;
}

export const keptFieldName = (fieldId: string) => `${fieldId}__kept`;

export async function acceptFormUploads(
  deps: FormUploadDeps,
  input: { page: FormPage; draftId: string; body: Record<string, unknown>; data: FormData; ctx: RuleContext },
): Promise<{ values: FormData; errors: FieldError[]; rejections: UploadRejectedError[] }> {
  const values: FormData = {};
  const errors: FieldError[] = [];
  const rejections: UploadRejectedError[] = [];
  const fields = input.page.fields.filter((f): f is FileField => f.type === 'file' && isVisible(f, input.data, input.ctx));
  for (const field of fields) {
    const kept = await keptUpload(deps, input.draftId, field, input.body[keptFieldName(field.id)]);
    const posted = input.body[field.id];
    values[field.id] = kept ?? '';
    if (!(posted instanceof UploadedFile) || posted.empty) continue;
    try {
      if (posted.tooLarge) throw tooLargeRejection(Math.min(field.maxBytes, posted.limit || field.maxBytes));
      const checked = await checkUpload(Readable.from([posted.bytes]), { maxBytes: field.maxBytes, allowedTypes: field.accept }, deps.scanner);
      const fileName = safeFileName(posted.declaredName, checked.extension);
      const stored = await storeDocument(deps, {
        caseId: null,
        draftId: input.draftId,
        fieldId: field.id,
        fileName,
        contentType: checked.contentType,
        body: checked.bytes,
        createdBy: { type: 'applicant', id: null },
      });
      values[field.id] = fileFieldValue(stored.id, fileName);
    } catch (err) {
      if (!(err instanceof UploadRejectedError)) throw err;
      rejections.push(err);
      errors.push({ field: field.id, message: { de: `„${field.label.de}“: ${err.userMessage.de}`, en: `“${field.label.en}”: ${err.userMessage.en}` } });
    }
  }
  return { values, errors, rejections };
}

/** The upload a page kept from an earlier post: only this draft's own, for this field. */
async function keptUpload(deps: FormUploadDeps, draftId: string, field: FileField, raw: unknown): Promise<string | undefined> {
  const parsed = typeof raw === 'string' ? parseFileFieldValue(raw) : undefined;
  if (!parsed) return undefined;
  const row = await draftUpload(deps.db, draftId, parsed.documentRowId);
  return row && row.fieldId === field.id ? fileFieldValue(row.id, row.fileName) : undefined;
}

/** Ids of the uploads a form's data names (to attach them to the case, or to keep them). */
export function uploadIds(fields: readonly { id: string; type: string }[], data: FormData): string[] {
  return fields.flatMap((f) => {
    const parsed = f.type === 'file' ? parseFileFieldValue(data[f.id]) : undefined;
    return parsed ? [parsed.documentRowId] : [];
  });
}

/** Documents a citizen hands in later, from the status page: PDF, JPEG or PNG up to 10 MB. */
export const LATER_UPLOAD_LIMIT = 10 * 1024 * 1024;
export const LATER_UPLOAD_FIELD = 'later-file';

/**
 * Adds a document the applicant hands in after submitting (the caller proved the case is theirs
 * and that it is still open). Same checks as in the form; audited as the applicant's upload.
 */
export async function addLaterDocument(deps: FormUploadDeps, caseId: string, file: unknown): Promise<StoredDocument> {
  const checked = (await acceptUpload(deps.scanner, file, { field: LATER_UPLOAD_FIELD, maxBytes: LATER_UPLOAD_LIMIT }))!;
  return deps.db.transaction().execute(async (trx) => {
    const stored = await storeDocument({ ...deps, db: trx }, { caseId, fileName: checked.fileName, title: 'Nachgereicht', contentType: checked.contentType, body: checked.bytes, createdBy: { type: 'applicant', id: null } });
    await appendAudit(trx, { actorType: 'applicant', actorId: null, action: 'document.uploaded', caseId, details: { documentId: stored.documentId, version: 1 } });
    return stored;
  });
}
