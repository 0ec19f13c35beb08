import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pdfTextAndInfo } from '../../test-support/pdf-inspect.ts';
import { renderPdf, toWinAnsi, type PdfSpec } from './render-pdf.ts';

const spec = (over: Partial<PdfSpec> = {}): PdfSpec => ({
  letterhead: { organisation: 'Stadt Halle (Saale)', office: 'Versammlungsbehörde (Ordnungsamt)', contact: 'Marktplatz 1, 06108 Halle (Saale)' },
  title: 'Bestätigung der Versammlungsanzeige',
  reference: { label: 'Aktenzeichen', value: 'HAL-2026-000123-7' },
  date: { label: 'Datum', value: '30.11.2026' },
  blocks: [
    { kind: 'paragraph', text: 'Sehr geehrte Damen und Herren,' },
    { kind: 'paragraph', text: 'Größe, Übermaß, Ärger, Öl und Fuß: 12,50 € – „zitiert“.' },
    { kind: 'heading', text: 'Angaben' },
    { kind: 'rows', rows: [{ label: 'Thema', value: 'Für mehr Grün in der Stadt' }, { label: 'Teilnehmende', value: '100' }] },
  ],
  footer: 'Stadt Halle (Saale) · Versammlungsbehörde',
  verification: { url: 'https://amtsweg.example/verify/0f8fad5b-d9cb-469f-a165-70867728950e', caption: 'Echtheit prüfen' },
  metadata: { title: 'Bestätigung der Versammlungsanzeige', author: 'Stadt Halle (Saale), Versammlungsbehörde', createdAt: new Date('2026-11-30T09:00:00Z') },
  ...over,
});

test('a rendered letter is a PDF whose text a reader can extract: reference, title, umlauts, ß and €', async () => {
  const pdf = await renderPdf(spec());
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const { text, pages, info } = await pdfTextAndInfo(pdf);
  assert.equal(pages, 1);
  for (const expected of ['Stadt Halle (Saale)', 'Versammlungsbehörde (Ordnungsamt)', 'HAL-2026-000123-7', 'Bestätigung der Versammlungsanzeige', 'Größe, Übermaß, Ärger, Öl und Fuß: 12,50 € – „zitiert“.', 'Für mehr Grün in der Stadt', 'Seite 1 von 1'])
    assert.ok(text.includes(expected), `the text layer contains "${expected}"`);
  assert.ok(text.includes('https://amtsweg.example/verify/0f8fad5b-d9cb-469f-a165-70867728950e'), 'the verification URL is printed under the QR code');
  assert.equal(info.Title, 'Bestätigung der Versammlungsanzeige');
  assert.equal(info.Author, 'Stadt Halle (Saale), Versammlungsbehörde');
  assert.match(pdf.toString('latin1'), /\/Lang \(de-DE\)/, 'the catalogue names the language');
  assert.match(pdf.toString('latin1'), /\/DisplayDocTitle true/, 'viewers show the title, not the file name');
});

test('long content flows onto further pages, each with its footer and page number', async () => {
  const paragraph = 'Die Leitung muss während der ganzen Versammlung anwesend und erreichbar sein. '.repeat(8);
  const rows = Array.from({ length: 30 }, (_, i) => ({ label: `Zeile ${i + 1}`, value: `Wert ${i + 1} `.repeat(6) }));
  const pdf = await renderPdf(spec({ blocks: [...Array.from({ length: 10 }, () => ({ kind: 'paragraph' as const, text: paragraph })), { kind: 'rows', rows }] }));
  const { text, pages } = await pdfTextAndInfo(pdf);
  assert.ok(pages >= 3, `several pages (${pages})`);
  assert.ok(text.includes(`Seite ${pages} von ${pages}`), 'the last page is numbered "n von n"');
  assert.ok(text.includes('Zeile 30'), 'the last table row is printed');
  assert.ok(text.includes('verify/0f8fad5b'), 'the verification block is on the last page');
});

test('characters outside WinAnsi are reduced or replaced instead of breaking the PDF', async () => {
  assert.equal(toWinAnsi('Łódź, Ő, ș, ẞ'), 'Lódz, O, s, SS', 'ó is in WinAnsi; ź, Ő and ș lose their marks; Ł has its own replacement');
  assert.equal(toWinAnsi('a\u0000b\u200bc\td\r\ne'), 'abc d\ne');
  assert.equal(toWinAnsi('中文 😀'), '?? ?');
  assert.equal(toWinAnsi('äöüß ÄÖÜ € „“ ‚‘ – — …'), 'äöüß ÄÖÜ € „“ ‚‘ – — …', 'German text passes unchanged');
  const pdf = await renderPdf(spec({ title: 'Prüfung 😀 中', blocks: [{ kind: 'paragraph', text: 'Zofia Łukasiewicz aus Łódź 🎉' }] }));
  const { text } = await pdfTextAndInfo(pdf);
  assert.ok(text.includes('Prüfung ? ?'), 'the title keeps what the font can show');
  assert.ok(text.includes('Zofia Lukasiewicz aus Lódz ?'), 'letters lose only their marks');
});
