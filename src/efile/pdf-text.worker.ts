import { parentPort } from 'node:worker_threads';
import { extractPdfTextInThisThread } from './pdf-text-extract.ts';
import type { PdfTextLimits } from './pdf-text.ts';

/**
 * The worker thread of `pdf-text.ts`: the only thread that imports pdf.js (ADR 0026). One request
 * at a time: `{ data, limits }` in, `{ text }` out.
 */
export interface PdfTextRequest {
  readonly data: Uint8Array;
  readonly limits: PdfTextLimits;
}

if (!parentPort) throw new Error('pdf-text.worker runs as a worker thread of pdf-text.ts');
const port = parentPort;
port.on('message', (request: PdfTextRequest) => {
  void extractPdfTextInThisThread(request.data, request.limits).then(
    (text) => port.postMessage({ text }),
    () => port.postMessage({ text: '' }),
  );
});
