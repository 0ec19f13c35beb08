import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PDFDocument as PdfLibDocument } from 'pdf-lib';
import PDFDocument from 'pdfkit';
import { extractPdfText } from './pdf-text.ts';

/** A real PDF with a text layer, one string per page (pdfkit, its built-in Helvetica covers German letters). */
export async function textPdf(pages: readonly string[]): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, compress: true });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const text of pages) doc.addPage().fontSize(12).text(text);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * Captures what pdf.js prints while `fn` runs: it prints through console.* (its warn() and info()
 * use console.log). process.stdout itself carries the test runner's own protocol, so it is left alone.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; printed: string }> {
  const printed: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  const err = process.stderr.write.bind(process.stderr);
  for (const name of ['log', 'warn', 'error', 'info'] as const) console[name] = (...args: unknown[]) => void printed.push(args.join(' '));
  process.stderr.write = ((chunk: string | Uint8Array) => (printed.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { value: await fn(), printed: printed.join('') };
  } finally {
    Object.assign(console, saved);
    process.stderr.write = err;
  }
}

test('the text layer of a real PDF comes back, page by page, umlauts intact', async () => {
  const pdf = await textPdf(['Versammlungsanzeige: Lautsprecherwagen am Marktplatz.', 'Seite zwei: Häuser und Straßen in Halle (Saale).']);
  const { value: text, printed } = await quietly(() => extractPdfText(pdf));
  assert.match(text, /Versammlungsanzeige: Lautsprecherwagen am Marktplatz\./);
  assert.match(text, /Häuser und Straßen in Halle \(Saale\)\./);
  assert.ok(text.indexOf('Lautsprecherwagen') < text.indexOf('Häuser'), 'pages in order');
  assert.equal(printed, '', 'pdf.js prints nothing');
});

test('a PDF without a text layer (a scan: only an image) gives an empty string', async () => {
  const doc = await PdfLibDocument.create();
  const page = doc.addPage([200, 200]);
  page.drawRectangle({ x: 20, y: 20, width: 100, height: 60 });
  const pdf = Buffer.from(await doc.save());
  assert.equal(await extractPdfText(pdf), '');
});

test('malformed and truncated PDFs give an empty string, silently, and never throw', async () => {
  const good = await textPdf(['Wohnungsgeberbestätigung']);
  const broken = [Buffer.from('%PDF-1.7\nnothing else'), Buffer.alloc(0), Buffer.from('not a pdf at all'), good.subarray(0, Math.floor(good.length / 3))];
  const { value, printed } = await quietly(() => Promise.all(broken.map((b) => extractPdfText(b))));
  assert.deepEqual(value, ['', '', '', ''], 'each gives ""');
  assert.equal(printed, '', 'and nothing is printed');
});

test('the limits cut pages and characters', async () => {
  const pdf = await textPdf(['Erste Seite', 'Zweite Seite', 'Dritte Seite']);
  const twoPages = await extractPdfText(pdf, { maxPages: 2, maxChars: 10_000 });
  assert.match(twoPages, /Zweite Seite/);
  assert.doesNotMatch(twoPages, /Dritte/);
  const short = await extractPdfText(pdf, { maxPages: 200, maxChars: 5 });
  assert.equal(short, 'Erste');
});

test('the caller\'s buffer is left intact (pdf.js gets a copy)', async () => {
  const pdf = await textPdf(['Bescheid']);
  const copy = Buffer.from(pdf);
  await extractPdfText(pdf);
  assert.ok(pdf.equals(copy), 'the buffer is unchanged and not detached');
});
