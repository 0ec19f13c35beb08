import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Looking into PDFs the way a reader and a validator would, for tests: the text pdf.js extracts,
 * the document information, and the PAdES signature checked by OpenSSL (/usr/bin/openssl), not
 * by our own code.
 */
export async function pdfTextAndInfo(bytes: Uint8Array): Promise<{ text: string; pages: number; info: Record<string, unknown> }> {
  const data = new Uint8Array(bytes.byteLength);
  data.set(bytes);
  const task = getDocument({ data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: VerbosityLevel.ERRORS });
  try {
    const pdf = await task.promise;
    let text = '';
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : ' ');
      text += '\n';
    }
    const meta = await pdf.getMetadata();
    return { text: text.replace(/[ \t]+/g, ' '), pages: pdf.numPages, info: (meta.info ?? {}) as Record<string, unknown> };
  } finally {
    await task.destroy();
  }
}

/** The signed bytes (the two /ByteRange parts) and the CMS from /Contents (zero padding cut off). */
export function signatureParts(pdf: Buffer): { byteRange: [number, number, number, number]; signed: Buffer; cms: Buffer } {
  const text = pdf.toString('latin1');
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text);
  if (!m) throw new Error('no /ByteRange in the PDF');
  const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  const hex = text.slice(a + b + 1, c - 1);
  const raw = Buffer.from(hex, 'hex');
  // DER length of the outer SEQUENCE tells where the CMS ends and the padding starts.
  const first = raw[1]!;
  const lenBytes = first & 0x80 ? first & 0x7f : 0;
  const len = lenBytes === 0 ? first : raw.subarray(2, 2 + lenBytes).reduce((n, x) => n * 256 + x, 0);
  return { byteRange: [a, b, c, d], signed, cms: raw.subarray(0, 2 + lenBytes + len) };
}

const run = promisify(execFile);

/** `openssl cms -verify -binary -inform DER -content … -noverify`; ok is false when OpenSSL refuses. */
export async function opensslVerifyDetached(cms: Buffer, content: Buffer): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'amtsweg-cms-'));
  try {
    await writeFile(path.join(dir, 'sig.der'), cms);
    await writeFile(path.join(dir, 'content.bin'), content);
    try {
      const r = await run('/usr/bin/openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'sig.der'), '-content', path.join(dir, 'content.bin'), '-noverify', '-out', path.join(dir, 'out.bin')]);
      return { ok: true, output: `${r.stdout}${r.stderr}` };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OpenSSL's printout of the CMS structure (`openssl cms -cmsout -print`). */
export async function opensslPrintCms(cms: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'amtsweg-cms-'));
  try {
    await writeFile(path.join(dir, 'sig.der'), cms);
    const r = await run('/usr/bin/openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', path.join(dir, 'sig.der')], { maxBuffer: 10 * 1024 * 1024 });
    return r.stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
