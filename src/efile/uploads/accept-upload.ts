import { Readable } from 'node:stream';
import { UPLOAD_TYPES, type UploadType } from '../../catalogue/service-definition.ts';
import { ValidationError } from '../../platform/errors.ts';
import { UploadedFile } from '../../platform/http/multipart.ts';
import { safeFileName } from './safe-file-name.ts';
import { checkUpload, tooLargeRejection, UploadRejectedError, type CheckedUpload, type VirusScanner } from './upload-check.ts';

/**
 * A file posted in a form field, through every check (size, type by content, virus scan), with a
 * safe name; or a ValidationError at that field saying exactly why not. `optional`: an empty file
 * input gives undefined instead of "choose a file".
 */
export async function acceptUpload(
  scanner: VirusScanner | undefined,
  posted: unknown,
  options: { field: string; maxBytes: number; allowedTypes?: readonly UploadType[]; optional?: boolean },
): Promise<(CheckedUpload & { fileName: string }) | undefined> {
  if (!(posted instanceof UploadedFile) || posted.empty) {
    if (options.optional) return undefined;
    throw new ValidationError([{ field: options.field, message: { de: 'Bitte wählen Sie eine Datei aus.', en: 'Choose a file.' } }]);
  }
  try {
    if (posted.tooLarge) throw tooLargeRejection(options.maxBytes);
    const checked = await checkUpload(Readable.from([posted.bytes]), { maxBytes: options.maxBytes, allowedTypes: options.allowedTypes ?? UPLOAD_TYPES }, scanner);
    return { ...checked, fileName: safeFileName(posted.declaredName, checked.extension) };
  } catch (err) {
    if (err instanceof UploadRejectedError) throw new ValidationError([{ field: options.field, message: err.userMessage }]);
    throw err;
  }
}
