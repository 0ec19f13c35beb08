import type PDFKitDocument from 'pdfkit';
import type QRCodeModule from 'qrcode';

/**
 * One plain, well-laid-out A4 letter as a PDF (pdfkit): letterhead, reference and date line,
 * title, paragraphs, label/value tables, a QR code with its URL printed under it, and a footer
 * with page numbers on every page. It knows nothing of cases or services: every text arrives
 * ready to print.
 *
 * Fonts are the PDF standard Helvetica family (no font files to ship). Their WinAnsi encoding
 * holds German text (ä ö ü ß €, „quotes“, dashes); anything else is replaced before it reaches
 * pdfkit, which would otherwise write broken glyph codes (see `toWinAnsi`).
 */
export type PdfBlock =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'rows'; readonly rows: readonly { readonly label: string; readonly value: string }[] };

export interface PdfSpec {
  readonly letterhead: { readonly organisation: string; readonly office: string; readonly contact?: string };
  readonly title: string;
  readonly reference: { readonly label: string; readonly value: string };
  readonly date: { readonly label: string; readonly value: string };
  readonly blocks: readonly PdfBlock[];
  /** Printed at the foot of every page, left of the page number. */
  readonly footer: string;
  /** A QR code of `url` with `url` printed under it and `caption` beside it. */
  readonly verification?: { readonly url: string; readonly caption: string };
  /** "Seite 1 von 2"; German unless given. */
  readonly pageLabel?: (page: number, pages: number) => string;
  readonly metadata: {
    readonly title: string;
    readonly author: string;
    readonly subject?: string;
    /** BCP 47; default de-DE. */
    readonly lang?: string;
    /** Creation date in the document information; default now. */
    readonly createdAt?: Date;
  };
}

/** Characters beyond Latin-1 that WinAnsi (Windows-1252) still holds; pdfkit maps exactly these. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '–',
  '\u2212': '-',
  '\u2015': '—',
  '\u2032': "'",
  '\u2033': '"',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u2026': '…',
  '\u201b': '‘',
  '\u201f': '“',
  '\u2039': '‹',
  '\u203a': '›',
  '\u0141': 'L',
  '\u0142': 'l',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u0131': 'i',
  '\u1e9e': 'SS',
};

function winAnsiChar(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

/**
 * Text the standard fonts can show: line breaks kept, tabs and other spaces made plain spaces,
 * other control characters dropped, letters with marks outside WinAnsi reduced to their base
 * letter (ő → o, ș → s), the rest replaced by "?". Never throws.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').normalize('NFC')) {
    if (ch === '\n') out += ch;
    else if (winAnsiChar(ch)) out += ch;
    else if (/[\t\u2000-\u200a\u202f\u205f\u3000]/.test(ch)) out += ' ';
    else if (/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/.test(ch)) continue;
    else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else {
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += base !== '' && [...base].every(winAnsiChar) ? base : '?';
    }
  }
  return out;
}

const MM = 72 / 25.4;
const MARGIN = { top: 20 * MM, bottom: 25 * MM, left: 25 * MM, right: 20 * MM };
const GREY = '#555555';
const RULE = '#999999';
const QR_SIZE = 30 * MM;

/**
 * pdfkit and qrcode, loaded at the first render (ADR 0026): together they are some 40 MB of
 * resident memory that a process which never renders (a web replica, mostly) should not carry.
 */
let pdfModules: Promise<{ PDFDocument: typeof PDFKitDocument; QRCode: typeof QRCodeModule }> | undefined;
function loadPdfModules(): NonNullable<typeof pdfModules> {
  pdfModules ??= Promise.all([import('pdfkit'), import('qrcode')]).then(([pdfkit, qrcode]) => ({ PDFDocument: pdfkit.default, QRCode: qrcode.default }));
  return pdfModules;
}

export async function renderPdf(spec: PdfSpec): Promise<Buffer> {
  const { PDFDocument, QRCode } = await loadPdfModules();
  const s = toWinAnsi;
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: spec.metadata.lang ?? 'de-DE',
    displayTitle: true,
    info: {
      Title: s(spec.metadata.title),
      Author: s(spec.metadata.author),
      ...(spec.metadata.subject ? { Subject: s(spec.metadata.subject) } : {}),
      Creator: 'Amtsweg',
      Producer: 'Amtsweg (pdfkit)',
      CreationDate: spec.metadata.createdAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN.left;
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = () => doc.page.height - MARGIN.bottom;
  const ensureSpace = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };

  // Letterhead
  doc.font('Helvetica-Bold').fontSize(16).fillColor('black').text(s(spec.letterhead.organisation), left, MARGIN.top, { width });
  doc.font('Helvetica').fontSize(11).text(s(spec.letterhead.office), { width });
  if (spec.letterhead.contact) doc.fontSize(8.5).fillColor(GREY).text(s(spec.letterhead.contact), { width }).fillColor('black');
  doc.moveDown(0.5);
  doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.75).strokeColor(RULE).stroke();
  doc.moveDown(1);

  // Reference (left) and date (right) on one line
  const lineY = doc.y;
  doc.font('Helvetica').fontSize(10);
  doc.text(`${s(spec.reference.label)}: `, left, lineY, { continued: true }).font('Helvetica-Bold').text(s(spec.reference.value));
  const afterReference = doc.y;
  doc.font('Helvetica').text(`${s(spec.date.label)}: ${s(spec.date.value)}`, left, lineY, { width, align: 'right' });
  doc.y = Math.max(doc.y, afterReference);
  doc.moveDown(1.5);

  // Title
  doc.font('Helvetica-Bold').fontSize(15).text(s(spec.title), left, doc.y, { width });
  doc.moveDown(0.8);

  for (const block of spec.blocks) {
    if (block.kind === 'heading') {
      ensureSpace(40);
      doc.moveDown(0.4);
      doc.font('Helvetica-Bold').fontSize(11.5).text(s(block.text), left, doc.y, { width });
      doc.moveDown(0.3);
    } else if (block.kind === 'paragraph') {
      doc.font('Helvetica').fontSize(11).text(s(block.text), left, doc.y, { width, lineGap: 2 });
      doc.moveDown(0.7);
    } else {
      const labelWidth = Math.min(170, width * 0.38);
      const gap = 10;
      const valueWidth = width - labelWidth - gap;
      doc.fontSize(10.5);
      for (const row of block.rows) {
        const label = s(row.label);
        const value = s(row.value) || '–';
        const height = Math.max(doc.font('Helvetica-Bold').heightOfString(label, { width: labelWidth }), doc.font('Helvetica').heightOfString(value, { width: valueWidth })) + 6;
        ensureSpace(height);
        const y = doc.y;
        doc.font('Helvetica-Bold').text(label, left, y + 3, { width: labelWidth });
        doc.font('Helvetica').text(value, left + labelWidth + gap, y + 3, { width: valueWidth });
        doc.moveTo(left, y + height).lineTo(left + width, y + height).lineWidth(0.25).strokeColor(RULE).stroke();
        doc.x = left;
        doc.y = y + height;
      }
      doc.moveDown(1);
    }
  }

  if (spec.verification) {
    const { url, caption } = spec.verification;
    ensureSpace(QR_SIZE + 40);
    doc.moveDown(0.5);
    const top = doc.y;
    drawQr(QRCode, doc, url, left, top, QR_SIZE);
    doc.font('Helvetica').fontSize(9.5).fillColor('black').text(s(caption), left + QR_SIZE + 12, top + 4, { width: width - QR_SIZE - 12 });
    doc.font('Helvetica').fontSize(8).fillColor(GREY).text(s(url), left, top + QR_SIZE + 4, { width, lineBreak: false }).fillColor('black');
    doc.x = left;
  }

  // Footer with page numbers, written once the page count is known.
  const range = doc.bufferedPageRange();
  const label = spec.pageLabel ?? ((page: number, pages: number) => `Seite ${page} von ${pages}`);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin must not start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN.bottom + 10;
    doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font('Helvetica').fontSize(8).fillColor(GREY);
    doc.text(s(spec.footer), left, y + 6, { width: width - 90, lineBreak: true, height: 30, ellipsis: true });
    doc.text(s(label(i - range.start + 1, range.count)), left + width - 90, y + 6, { width: 90, align: 'right', lineBreak: false });
    doc.page.margins.bottom = MARGIN.bottom;
  }
  doc.fillColor('black');
  doc.end();
  return done;
}

/** The QR code as vector squares: sharp at any zoom and in print, and no image to decode. */
function drawQr(QRCode: typeof QRCodeModule, doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('white');
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) doc.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell, cell);
  doc.fill('black');
  doc.restore();
}
