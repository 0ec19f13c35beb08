import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/**
 * The web process's built-in globals stay the engine's own (ADR 0026). pdf.js's legacy build
 * installs core-js polyfills on the globals of the thread that imports it: on Node 20 a JavaScript
 * JSON.stringify ten times slower than the native one (and its own Function.prototype.toString,
 * which makes every polyfill print as "[native code]": that string alone proves nothing), on Node 24
 * still Uint8Array.prototype.toHex, Map.prototype.getOrInsert, Math.sumPrecise, DOMMatrix and more. Only the worker thread of `efile/pdf-text.ts` may import it.
 *
 * Each check runs in a fresh child process (this file again, with AMTSWEG_GLOBALS_CHILD set), which
 * captures the globals before it imports anything of the application and compares after.
 */
const here = fileURLToPath(import.meta.url);
const src = path.dirname(here);
const run = promisify(execFile);

/**
 * What dependencies add (never replace) on import, each a name of its own and no polyfill:
 * tslib's helpers (`__awaiter`, …; tslib exports them to the global object too; AWS SDK,
 * @peculiar/* under @simplewebauthn/server), reflect-metadata's API on Reflect (tsyringe under
 * @simplewebauthn/server) and the AWS SDK's `awslambda` namespace (`efile/s3-blob-store.ts`).
 */
const KNOWN_ADDITIONS = [/^globalThis\.__[a-zA-Z]+$/, /^Reflect\.(decorate|metadata|defineMetadata|deleteMetadata|(get|has)(Own)?Metadata(Keys)?|Symbol\(@reflect-metadata:registry\))$/, /^globalThis\.awslambda$/];

/** Every module of the application except entry points that start something when imported. */
function applicationModules(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      const rel = path.relative(src, file);
      if (entry.isDirectory()) {
        // Test helpers (one of them reads PDFs with pdf.js for assertions) are not the application.
        if (rel !== 'test-support') walk(file);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        // main.ts and the CLI commands run when imported; the worker entry needs its parent port;
        // pdf-text-extract.ts is pdf.js's side of the worker: never imported by the main thread.
        if (rel === 'main.ts' || rel.startsWith(`cli${path.sep}`) || entry.name.endsWith('.worker.ts') || rel === path.join('efile', 'pdf-text-extract.ts')) continue;
        files.push(file);
      }
    }
  };
  walk(src);
  return files.sort();
}

type Snapshot = Map<string, unknown>;

/** Identity of every own property of globalThis and of the standard built-ins and their prototypes. */
function snapshot(): Snapshot {
  const seen: Snapshot = new Map();
  const record = (name: string, target: object) => {
    for (const key of Reflect.ownKeys(target)) {
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      // undici (fetch) registers its dispatcher on globalThis when first used; not a polyfill.
      if (typeof key === 'symbol' && String(key).includes('undici')) continue;
      seen.set(`${name}.${String(key)}`, 'value' in d ? d.value : d.get);
    }
  };
  record('globalThis', globalThis);
  for (const name of ['JSON', 'Object', 'Function', 'Array', 'String', 'Number', 'Math', 'Promise', 'Map', 'Set', 'WeakMap', 'Symbol', 'Reflect', 'Date', 'RegExp', 'Error', 'ArrayBuffer', 'Uint8Array', 'Iterator', 'URL']) {
    const value = (globalThis as Record<string, unknown>)[name];
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
    record(name, value);
    const prototype = (value as { prototype?: unknown }).prototype;
    if (typeof prototype === 'object' && prototype !== null) record(`${name}.prototype`, prototype);
  }
  return seen;
}

interface ChildReport {
  readonly imported: number;
  readonly extracted: string;
  /** Present before and different (or gone) after: what a polyfill does to a native built-in. */
  readonly replaced: string[];
  readonly added: string[];
  readonly stringifySame: boolean;
  readonly parseSame: boolean;
  readonly stringifyNative: boolean;
  readonly parseNative: boolean;
}

async function child(mode: 'application' | 'pdfjs-in-this-thread'): Promise<ChildReport> {
  const before = snapshot();
  const { stringify, parse } = JSON;
  // Captured first: core-js replaces Function.prototype.toString itself.
  const toString = Function.prototype.toString;
  let imported = 0;
  let extracted = '';
  if (mode === 'application') {
    for (const file of applicationModules()) {
      await import(pathToFileURL(file).href);
      imported++;
    }
    const { renderPdf } = await import('./platform/pdf/render-pdf.ts');
    const { loadCitySeal, sealPdf } = await import('./efile/seal.ts');
    const { extractPdfText } = await import('./efile/pdf-text.ts');
    const pdf = await renderPdf({
      letterhead: { organisation: 'Stadt Halle (Saale)', office: 'Bürgerservice' },
      title: 'Meldebescheinigung',
      reference: { label: 'Aktenzeichen', value: 'HAL-2026-000001-1' },
      date: { label: 'Datum', value: '30.11.2026' },
      blocks: [{ kind: 'paragraph', text: 'Globale Objekte bleiben unberührt.' }],
      footer: 'Stadt Halle (Saale)',
      verification: { url: 'https://amtsweg.example/verify/1', caption: 'Echtheit prüfen' },
      metadata: { title: 'Meldebescheinigung', author: 'Stadt Halle (Saale)' },
    });
    const seal = await loadCitySeal({ profile: 'test', dataDir: 'memory://', city: 'halle', sealP12File: undefined, sealP12Password: undefined });
    const sealed = await sealPdf(pdf, seal, { reason: 'Meldebescheinigung', signingTime: new Date() });
    extracted = await extractPdfText(sealed);
  } else {
    await import('pdfjs-dist/legacy/build/pdf.mjs');
  }
  const after = snapshot();
  const replaced = [...before.keys()].filter((k) => !after.has(k) || !Object.is(before.get(k), after.get(k))).sort();
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  return {
    imported,
    extracted,
    replaced,
    added,
    stringifySame: JSON.stringify === stringify,
    parseSame: JSON.parse === parse,
    stringifyNative: toString.call(JSON.stringify).includes('[native code]'),
    parseNative: toString.call(JSON.parse).includes('[native code]'),
  };
}

async function inChildProcess(mode: 'application' | 'pdfjs-in-this-thread'): Promise<ChildReport> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', here], {
    env: { ...process.env, AMTSWEG_GLOBALS_CHILD: mode },
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = stdout.split('\n').find((l) => l.startsWith('REPORT '));
  assert.ok(line, `the child reported (stdout: ${stdout.slice(0, 2000)})`);
  return JSON.parse(line.slice('REPORT '.length)) as ChildReport;
}

const childMode = process.env.AMTSWEG_GLOBALS_CHILD;
if (childMode === 'application' || childMode === 'pdfjs-in-this-thread') {
  const report = await child(childMode);
  console.log(`REPORT ${JSON.stringify(report)}`);
  // The worker thread, pools and timers of the imported modules: this process is done.
  process.exit(0);
} else {
  test('importing every module of the application, rendering, sealing and reading a PDF leaves JSON and every other built-in global as they were', async () => {
    const report = await inChildProcess('application');
    assert.ok(report.imported > 100, `the child imported the application's modules (${report.imported})`);
    assert.match(report.extracted, /Globale Objekte bleiben unberührt\./, 'the PDF was rendered, sealed and its text extracted');
    assert.equal(report.stringifySame, true, 'JSON.stringify is the function it was before any import');
    assert.equal(report.parseSame, true, 'JSON.parse is the function it was before any import');
    assert.equal(report.stringifyNative, true, 'JSON.stringify is native code');
    assert.equal(report.parseNative, true, 'JSON.parse is native code');
    assert.deepEqual(report.replaced, [], 'no built-in global was replaced or removed');
    assert.deepEqual(
      report.added.filter((k) => !KNOWN_ADDITIONS.some((known) => known.test(k))),
      [],
      'nothing was added to globalThis or the built-ins but the known names of tslib, reflect-metadata and the AWS SDK',
    );
  });

  test('the check sees it when pdf.js is imported into the thread (what the worker thread prevents)', async () => {
    const report = await inChildProcess('pdfjs-in-this-thread');
    const polyfills = report.added.filter((k) => !KNOWN_ADDITIONS.some((known) => known.test(k)));
    assert.ok(polyfills.includes('Uint8Array.prototype.toHex') && polyfills.includes('globalThis.DOMMatrix'), `core-js and pdf.js added their polyfills (${polyfills.join(', ')})`);
    assert.ok(polyfills.includes('globalThis.pdfjsLib'), 'pdf.js announced itself on globalThis');
  });
}
