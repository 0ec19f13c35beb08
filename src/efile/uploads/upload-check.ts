import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AppError, type Bilingual } from '../../platform/errors.ts';

/**
 * The checks an upload passes before it may become a document of the E-Akte: a hard size limit
 * while reading, not empty, the type judged by the content (never by the name or the browser's
 * Content-Type), and, when a scanner is configured, a virus scan that fails closed.
 */

type UploadContentType = 'application/pdf' | 'image/jpeg' | 'image/png';
type UploadExtension = 'pdf' | 'jpg' | 'png';

export interface UploadPolicy {
  /** Largest accepted size; reading stops at the first byte beyond it. */
  readonly maxBytes: number;
  readonly allowedTypes: readonly UploadContentType[];
}

export interface CheckedUpload {
  readonly bytes: Buffer;
  /** The type found in the content (file-type's magic numbers), whatever the name said. */
  readonly contentType: UploadContentType;
  /** The extension that belongs to `contentType`; give it to safeFileName. */
  readonly extension: UploadExtension;
  readonly size: number;
  /** Hex SHA-256 of `bytes`. */
  readonly sha256: string;
}

export type ScanResult = { readonly clean: true } | { readonly clean: false; readonly signature: string };

export interface VirusScanner {
  /** Throws when the scan could not be done; checkUpload then refuses the upload. */
  scan(bytes: Buffer): Promise<ScanResult>;
}

export type UploadRejectionReason = 'empty' | 'too-large' | 'type-not-allowed' | 'infected' | 'scan-failed';

export class UploadRejectedError extends AppError {
  readonly status = 422;
  readonly code = 'AMTSWEG_UPLOAD_REJECTED';
  constructor(
    readonly reason: UploadRejectionReason,
    message: Bilingual,
    /** For the log only: the scanner's signature name or failure, the type found. Never shown. */
    readonly detail?: { readonly signature?: string; readonly detectedType?: string; readonly cause?: unknown },
  ) {
    super(message);
    if (detail?.cause !== undefined) this.cause = detail.cause;
  }
}

const TYPES: Record<UploadContentType, { extension: UploadExtension; label: string }> = {
  'application/pdf': { extension: 'pdf', label: 'PDF' },
  'image/jpeg': { extension: 'jpg', label: 'JPEG' },
  'image/png': { extension: 'png', label: 'PNG' },
};

export async function checkUpload(source: AsyncIterable<Buffer | Uint8Array | string> | Readable, policy: UploadPolicy, scanner?: VirusScanner): Promise<CheckedUpload> {
  const bytes = await readLimited(source, policy.maxBytes);
  if (bytes.length === 0) {
    throw new UploadRejectedError('empty', { de: 'Die Datei ist leer.', en: 'The file is empty.' });
  }

  // file-type loads at the first upload (ADR 0026).
  const { fileTypeFromBuffer } = await import('file-type');
  const sniffed = await fileTypeFromBuffer(bytes);
  const contentType = sniffed && Object.hasOwn(TYPES, sniffed.mime) ? (sniffed.mime as UploadContentType) : undefined;
  if (!contentType || !policy.allowedTypes.includes(contentType)) {
    const allowed = policy.allowedTypes.map((t) => TYPES[t].label);
    const found = sniffed ? sniffed.ext.toUpperCase() : undefined;
    throw new UploadRejectedError(
      'type-not-allowed',
      {
        de: `Erlaubt ${allowed.length === 1 ? 'ist' : 'sind'} ${list(allowed, 'und')}. ${found ? `Diese Datei ist vom Typ ${found}.` : 'Diese Datei ist unbekannten Typs.'}`,
        en: `Allowed: ${list(allowed, 'and')}. ${found ? `This file is of type ${found}.` : 'This file is of an unknown type.'}`,
      },
      found ? { detectedType: sniffed!.mime } : {},
    );
  }

  // Scanned after the type check: a file refused anyway need not wait for the scanner.
  if (scanner) {
    let result: ScanResult;
    try {
      result = await scanner.scan(bytes);
    } catch (err) {
      // Fail closed: a configured scanner that does not answer means nothing unscanned gets in.
      throw new UploadRejectedError(
        'scan-failed',
        {
          de: 'Die Datei konnte gerade nicht auf Schadsoftware geprüft werden und wurde deshalb nicht angenommen. Bitte versuchen Sie es in einigen Minuten erneut.',
          en: 'The file could not be checked for malware just now and was therefore not accepted. Please try again in a few minutes.',
        },
        { cause: err },
      );
    }
    if (!result.clean) {
      throw new UploadRejectedError(
        'infected',
        {
          de: 'Die Datei enthält Schadsoftware und wurde nicht angenommen. Bitte prüfen Sie Ihr Gerät und laden Sie eine saubere Fassung hoch.',
          en: 'The file contains malware and was not accepted. Please check your device and upload a clean copy.',
        },
        { signature: result.signature },
      );
    }
  }

  return { bytes, contentType, extension: TYPES[contentType].extension, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Reads the whole source but never more than `maxBytes` (+ one chunk that is dropped): the moment
 * the limit is passed, reading stops (`break` ends the iterator, which destroys a Readable) and
 * the upload is refused.
 */
async function readLimited(source: AsyncIterable<Buffer | Uint8Array | string>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of source) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += buf.length;
    if (size > maxBytes) {
      tooLarge = true;
      break;
    }
    chunks.push(buf);
  }
  if (tooLarge) {
    chunks.length = 0;
    throw tooLargeRejection(maxBytes);
  }
  return Buffer.concat(chunks, size);
}

/** The refusal of a file past `maxBytes` (also for files the multipart parser stopped reading). */
export function tooLargeRejection(maxBytes: number): UploadRejectedError {
  return new UploadRejectedError('too-large', {
    de: `Die Datei ist größer als ${formatSize(maxBytes, 'de')}. Bitte laden Sie eine kleinere Datei hoch.`,
    en: `The file is larger than ${formatSize(maxBytes, 'en')}. Please upload a smaller file.`,
  });
}

/** 10485760 → "10 MB", 1572864 → "1,5 MB" / "1.5 MB", 500000 → "488 KB"; binary units, as file managers show them. */
export function formatSize(bytes: number, lang: 'de' | 'en'): string {
  const locale = lang === 'de' ? 'de-DE' : 'en-GB';
  const fmt = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (bytes >= 1024 * 1024) return `${fmt(Math.floor((bytes / (1024 * 1024)) * 10) / 10)} MB`;
  if (bytes >= 1024) return `${fmt(Math.floor(bytes / 1024))} KB`;
  return `${bytes} Bytes`;
}

/** ["PDF", "JPEG", "PNG"] → "PDF, JPEG und PNG". */
function list(items: readonly string[], and: string): string {
  if (items.length <= 1) return items[0] ?? '—';
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}
