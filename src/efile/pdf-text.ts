import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appPath } from '../platform/app-paths.ts';
import type { PdfTextRequest } from './pdf-text.worker.ts';

/**
 * The text layer of a PDF, for the full-text search of the E-Akte. A scanned PDF without a text
 * layer gives ''. A malformed or hostile PDF gives '' too, never an exception: the upload itself
 * stays valid, it is just not searchable; the caller may log that.
 *
 * pdf.js runs in a worker thread (`pdf-text.worker.ts`, ADR 0026), never in this one: its legacy
 * build installs core-js polyfills on the globals of the thread that imports it (on Node 20 it
 * replaced JSON.stringify with a JavaScript version ten times slower), and a hostile PDF that
 * spins or swells is stopped by terminating the thread. The worker starts at the first
 * extraction, takes one PDF at a time, and ends after a minute without work.
 */
export interface PdfTextLimits {
  readonly maxPages: number;
  readonly maxChars: number;
  /** Wall-clock limit for the whole extraction. */
  readonly maxMillis?: number;
}

const DEFAULT_MILLIS = 20_000;
/** After the worker's own limit: a thread that does not answer by then is terminated. */
const GRACE_MILLIS = 5_000;
const IDLE_MILLIS = 60_000;
/** A PDF that needs more heap than this is not searchable (the thread ends with ERR_WORKER_OUT_OF_MEMORY). */
const WORKER_HEAP_MB = 256;

/**
 * The worker's entry: the TypeScript source under tsx (tests, `npm start`), the bundle in dist/.
 * A worker inherits the process's Node.js flags (tsx's loader among them) when given none; only
 * where tsx came in some other way is it named.
 */
function workerEntry(): { url: URL; execArgv?: string[] } {
  if (import.meta.url.endsWith('.ts')) {
    const url = new URL('./pdf-text.worker.ts', import.meta.url);
    return process.execArgv.some((a) => a.includes('tsx')) ? { url } : { url, execArgv: ['--import', 'tsx'] };
  }
  return { url: pathToFileURL(appPath('dist', 'pdf-text.worker.js')) };
}

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
/** Requests run one after the other: a timeout then ends only the PDF that caused it. */
let queue: Promise<unknown> = Promise.resolve();

function startWorker(): Worker {
  const entry = workerEntry();
  // stdout/stderr: true keeps whatever pdf.js might print out of the process's output.
  const w = new Worker(entry.url, { ...(entry.execArgv ? { execArgv: entry.execArgv } : {}), stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  w.stdout.resume();
  w.stderr.resume();
  w.on('error', () => undefined);
  w.once('exit', () => {
    if (worker === w) worker = undefined;
  });
  return w;
}

function stopWorker(w: Worker): void {
  if (worker === w) worker = undefined;
  void w.terminate();
}

function runInWorker(data: Uint8Array, limits: PdfTextLimits): Promise<string> {
  clearTimeout(idleTimer);
  const w = (worker ??= startWorker());
  // Referenced while it works (a command that waits for the text must not exit), not while idle.
  w.ref();
  return new Promise<string>((resolve) => {
    const finish = (text: string) => {
      clearTimeout(hardLimit);
      w.off('message', onMessage);
      w.off('exit', onExit);
      if (worker === w) {
        w.unref();
        idleTimer = setTimeout(() => stopWorker(w), IDLE_MILLIS).unref();
      }
      resolve(text);
    };
    const onMessage = (m: { text?: unknown }) => finish(typeof m.text === 'string' ? m.text : '');
    const onExit = () => finish('');
    const hardLimit = setTimeout(() => {
      stopWorker(w);
      finish('');
    }, (limits.maxMillis ?? DEFAULT_MILLIS) + GRACE_MILLIS);
    w.on('message', onMessage);
    w.once('exit', onExit);
    const request: PdfTextRequest = { data, limits };
    w.postMessage(request, [data.buffer as ArrayBuffer]);
  });
}

export async function extractPdfText(bytes: Buffer, limits: PdfTextLimits = { maxPages: 200, maxChars: 200_000 }): Promise<string> {
  // A copy of its own for the worker (transferred, not copied again): the caller's buffer stays intact.
  const data = new Uint8Array(bytes.byteLength);
  data.set(bytes);
  const result = queue.then(() => runInWorker(data, limits));
  queue = result.catch(() => undefined);
  return result.catch(() => '');
}
