/**
 * `npm run bench` (after `npm run build`): runs every benchmark, one after the other, each in its
 * own process with its output passed through, and prints as the last line one JSON object with
 * every figure of every part:
 *
 *  - bench/process.ts first (cold start, idle RSS, JSON.stringify of the production build: the
 *    most sensitive to a busy machine, so it runs before the others load it), figures at the top level;
 *  - bench/run.ts (raw inserts, submissions, status pages), figures at the top level as before;
 *  - bench/founding.ts (time to receipt), under `founding`.
 *
 * A part that fails or prints no JSON is named under `failed`; the exit code is then 1 (also
 * when a part exits non-zero), and the other parts still run. Ctrl-C is passed on to the running
 * part, which drops its databases.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PARTS = [
  { name: 'process', file: 'process.ts', key: undefined },
  { name: 'run', file: 'run.ts', key: undefined },
  { name: 'founding', file: 'founding.ts', key: 'founding' },
] as const;

let current: ChildProcess | undefined;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // The part gets the signal from the terminal too (same process group); a second one stops all.
    if (current && current.exitCode === null) current.kill(signal);
    stopping = true;
  });
}

function runPart(file: string): Promise<{ code: number; last: string | undefined }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`./${file}`, import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
    current = child;
    let buffered = '';
    let last: string | undefined;
    child.stdout!.on('data', (d: Buffer) => {
      process.stdout.write(d);
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('{')) last = line;
    });
    child.on('close', (code, signal) => {
      if (buffered.startsWith('{')) last = buffered;
      resolve({ code: code ?? (signal ? 130 : 1), last });
    });
  });
}

const merged: Record<string, unknown> = {};
const failed: string[] = [];
let code = 0;
for (const part of PARTS) {
  if (stopping) break;
  const r = await runPart(part.file);
  if (r.code !== 0) code = 1;
  let figures: Record<string, unknown> | undefined;
  try {
    figures = r.last ? (JSON.parse(r.last) as Record<string, unknown>) : undefined;
  } catch {
    figures = undefined;
  }
  if (!figures) {
    failed.push(part.name);
    code = 1;
    continue;
  }
  if (r.code !== 0) failed.push(part.name);
  if (part.key) merged[part.key] = figures;
  else Object.assign(merged, figures);
}
if (failed.length > 0) merged.failed = failed;
process.stdout.write(`${JSON.stringify(merged)}\n`);
process.exit(stopping ? 130 : code);
