import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { clamdMissing, EICAR_SIGNATURE, eicarTestFile, startClamd, type RunningClamd } from '../../test-support/clamd.ts';
import { ClamdError, ClamdScanner } from './clamd.ts';
import { safeFileName } from './safe-file-name.ts';
import { checkUpload, formatSize, UploadRejectedError, type UploadPolicy, type UploadRejectionReason } from './upload-check.ts';

const MB = 1024 * 1024;
const ALL: UploadPolicy = { maxBytes: 10 * MB, allowedTypes: ['application/pdf', 'image/jpeg', 'image/png'] };
const IMAGES: UploadPolicy = { maxBytes: 10 * MB, allowedTypes: ['image/jpeg', 'image/png'] };

/** A real one-page PDF (pdf-lib). */
async function realPdf(text = 'Wohnungsgeberbestätigung'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(text);
  doc.addPage([595, 842]).drawText('Amtsweg Test', { x: 50, y: 800 });
  return Buffer.from(await doc.save());
}
/** 1×1 pixel PNG and JPEG files. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');

/** Checks that `promise` is refused with `reason` and returns the error for further checks. */
async function refused(promise: Promise<unknown>, reason: UploadRejectionReason): Promise<UploadRejectedError> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => ((caught = err), true));
  assert.ok(caught instanceof UploadRejectedError, `an UploadRejectedError, got ${String(caught)}`);
  assert.equal(caught.reason, reason);
  assert.equal(caught.status, 422);
  assert.equal(caught.code, 'AMTSWEG_UPLOAD_REJECTED');
  return caught;
}

describe('without a virus scanner', () => {
  test('a real PDF named .png is judged by its content: accepted as a PDF with a .pdf name', async () => {
    const pdf = await realPdf();
    const checked = await checkUpload(Readable.from([pdf]), ALL);
    assert.equal(checked.contentType, 'application/pdf');
    assert.equal(checked.extension, 'pdf');
    assert.equal(checked.size, pdf.length);
    assert.equal(checked.sha256, createHash('sha256').update(pdf).digest('hex'));
    assert.ok(checked.bytes.equals(pdf), 'the bytes come back whole');
    assert.equal(safeFileName('Meldebescheinigung.png', checked.extension), 'Meldebescheinigung.pdf');
  });

  test('the same PDF named .png is refused where only images are allowed, and the message says why', async () => {
    const err = await refused(checkUpload(Readable.from([await realPdf()]), IMAGES), 'type-not-allowed');
    assert.equal(err.userMessage.de, 'Erlaubt sind JPEG und PNG. Diese Datei ist vom Typ PDF.');
    assert.equal(err.userMessage.en, 'Allowed: JPEG and PNG. This file is of type PDF.');
  });

  test('PNG and JPEG are recognised with their extensions', async () => {
    const png = await checkUpload(Readable.from([PNG]), ALL);
    assert.deepEqual([png.contentType, png.extension], ['image/png', 'png']);
    const jpeg = await checkUpload(Readable.from([JPEG]), ALL);
    assert.deepEqual([jpeg.contentType, jpeg.extension], ['image/jpeg', 'jpg']);
    const onlyPdf = await refused(checkUpload(Readable.from([JPEG]), { maxBytes: MB, allowedTypes: ['application/pdf'] }), 'type-not-allowed');
    assert.equal(onlyPdf.userMessage.de, 'Erlaubt ist PDF. Diese Datei ist vom Typ JPG.');
  });

  test('a text file named .pdf is refused as of unknown type, naming what is allowed', async () => {
    const err = await refused(checkUpload(Readable.from([Buffer.from('Dies ist kein PDF, nur Text.\n')]), ALL), 'type-not-allowed');
    assert.equal(err.userMessage.de, 'Erlaubt sind PDF, JPEG und PNG. Diese Datei ist unbekannten Typs.');
    assert.equal(err.userMessage.en, 'Allowed: PDF, JPEG and PNG. This file is of an unknown type.');
  });

  test('another known type (a ZIP) is named in the refusal', async () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(60)]);
    const err = await refused(checkUpload(Readable.from([zip]), ALL), 'type-not-allowed');
    assert.match(err.userMessage.de, /Diese Datei ist vom Typ ZIP\.$/);
  });

  test('an empty file is refused', async () => {
    const err = await refused(checkUpload(Readable.from([]), ALL), 'empty');
    assert.deepEqual(err.userMessage, { de: 'Die Datei ist leer.', en: 'The file is empty.' });
    await refused(checkUpload(Readable.from([Buffer.alloc(0), Buffer.alloc(0)]), ALL), 'empty');
  });

  test('an oversized stream is refused as soon as the limit is passed, without reading the rest', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let pulled = 0;
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          pulled++;
          yield pulled === 1 ? Buffer.concat([Buffer.from('%PDF-1.7\n'), chunk.subarray(9)]) : chunk;
        }
      } finally {
        closed = true;
      }
    }
    const err = await refused(checkUpload(endless(), { ...ALL, maxBytes: 150 * 1024 }), 'too-large');
    assert.equal(pulled, 3, 'three chunks of 64 KB: the third passes 150 KB, nothing after it is pulled');
    assert.ok(closed, 'the source was closed');
    assert.equal(err.userMessage.de, 'Die Datei ist größer als 150 KB. Bitte laden Sie eine kleinere Datei hoch.');
    assert.equal(err.userMessage.en, 'The file is larger than 150 KB. Please upload a smaller file.');
  });

  test('a Readable over the limit is destroyed, not drained; exactly the limit is accepted', async () => {
    const pdf = await realPdf();
    const stream = Readable.from((function* () {
      yield pdf;
      for (let i = 0; i < 1000; i++) yield Buffer.alloc(MB);
    })());
    const err = await refused(checkUpload(stream, ALL), 'too-large');
    assert.ok(stream.destroyed, 'the stream is destroyed');
    assert.equal(err.userMessage.de, 'Die Datei ist größer als 10 MB. Bitte laden Sie eine kleinere Datei hoch.');
    assert.equal((await checkUpload(Readable.from([pdf]), { ...ALL, maxBytes: pdf.length })).size, pdf.length, 'exactly maxBytes is fine');
    await refused(checkUpload(Readable.from([pdf]), { ...ALL, maxBytes: pdf.length - 1 }), 'too-large');
  });

  test('sizes read as people expect', () => {
    assert.equal(formatSize(10 * MB, 'de'), '10 MB');
    assert.equal(formatSize(1.5 * MB, 'de'), '1,5 MB');
    assert.equal(formatSize(1.5 * MB, 'en'), '1.5 MB');
    assert.equal(formatSize(500_000, 'en'), '488 KB');
    assert.equal(formatSize(100, 'de'), '100 Bytes');
  });
});

describe('with the real clamd', { skip: clamdMissing }, () => {
  let clamd: RunningClamd;
  before(async () => {
    clamd = await startClamd();
  });
  after(async () => clamd?.stop());

  test('a clean PDF passes the scan', async () => {
    const pdf = await realPdf();
    const checked = await checkUpload(Readable.from([pdf]), ALL, new ClamdScanner(clamd.url));
    assert.equal(checked.contentType, 'application/pdf');
  });

  test('a PDF carrying the EICAR test file is refused as infected; the signature is kept for the log, not shown', async () => {
    const infected = Buffer.concat([await realPdf(), eicarTestFile()]);
    const err = await refused(checkUpload(Readable.from([infected]), ALL, new ClamdScanner(clamd.url)), 'infected');
    assert.equal(err.detail?.signature, EICAR_SIGNATURE);
    assert.ok(!err.userMessage.de.includes(EICAR_SIGNATURE) && !err.userMessage.en.includes(EICAR_SIGNATURE), 'the signature is not in the user message');
    assert.match(err.userMessage.de, /enthält Schadsoftware/);
  });

  test('the bare EICAR file is not even sent to the scanner: it is not an allowed type', async () => {
    await refused(checkUpload(Readable.from([eicarTestFile()]), ALL, new ClamdScanner(clamd.url)), 'type-not-allowed');
  });

  test('a scanner that does not answer refuses the upload (fail closed) with "try again later"', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await refused(checkUpload(Readable.from([await realPdf()]), ALL, new ClamdScanner(`tcp://127.0.0.1:${port}`)), 'scan-failed');
    assert.match(err.userMessage.de, /Bitte versuchen Sie es in einigen Minuten erneut\.$/);
    assert.match(err.userMessage.en, /Please try again in a few minutes\.$/);
    assert.ok(err.cause instanceof ClamdError, 'the scanner\'s error is kept as the cause, for the log');
  });
});
