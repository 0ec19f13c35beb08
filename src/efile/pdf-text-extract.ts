import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PdfTextLimits } from './pdf-text.ts';

/**
 * pdf.js itself: imported only by the worker thread `pdf-text.worker.ts`, never by the main thread,
 * because pdf.js's legacy build installs core-js polyfills on the globals of the thread that
 * imports it (on Node 20 a JavaScript JSON.stringify in place of the native one; ADR 0026). Use
 * `extractPdfText` from `pdf-text.ts`.
 *
 * The text layer of a PDF, for the full-text search of the E-Akte. pdf.js runs in this thread
 * (its "fake worker"), evaluates no code the PDF brings (isEvalSupported: false), loads no fonts,
 * character maps or anything else from disk or network (no cMapUrl, standardFontDataUrl, wasmUrl;
 * fetching disabled), and prints no warnings (verbosity ERRORS = 0; errors reach us as rejections).
 * A scanned PDF without a text layer gives ''. A malformed or hostile PDF gives '' too, never an
 * exception: the upload itself stays valid, it is just not searchable; the caller may log that.
 */

/** `data` is handed to pdf.js, which takes ownership of (and may detach) it. */
export async function extractPdfTextInThisThread(data: Uint8Array, limits: PdfTextLimits): Promise<string> {
  const task = getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    stopAtErrors: false,
    verbosity: VerbosityLevel.ERRORS,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('PDF text extraction took too long')), limits.maxMillis ?? 20_000);
  });
  try {
    return await Promise.race([collect(task.promise, limits), timeout]);
  } catch {
    return '';
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
}

type PdfDocument = Awaited<ReturnType<typeof getDocument>['promise']>;

async function collect(loading: Promise<PdfDocument>, limits: PdfTextLimits): Promise<string> {
  const pdf = await loading;
  const pages = Math.min(pdf.numPages, limits.maxPages);
  let text = '';
  for (let n = 1; n <= pages && text.length < limits.maxChars; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str + (item.hasEOL ? '\n' : ' ');
    }
    text += '\n';
    page.cleanup();
  }
  const cleaned = text
    .replace(/\0/g, '')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ ?\n[\s]*/g, '\n')
    .trim();
  return Array.from(cleaned).slice(0, limits.maxChars).join('');
}
