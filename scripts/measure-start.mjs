// Measures a start of the built application (ADR 0026): time from spawn to the first 200 from
// /ready, and the resident set size (VmRSS, Linux) after it has idled for a while.
//   node scripts/measure-start.mjs [seconds idle, default 15] -- with the environment of the start
//   (ROLE, DATABASE_URL, DATA_DIR, PORT, AMTSWEG_PROFILE, ...), e.g.
//   ROLE=web PORT=3470 DATA_DIR=/tmp/m DATABASE_URL=postgres://... node scripts/measure-start.mjs
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const idleSeconds = Number(process.argv[2] ?? 15);
const entry = process.env.MEASURE_ENTRY ?? 'dist/main.js';
const port = process.env.PORT ?? '3470';
const started = performance.now();
const child = spawn(process.execPath, [...(process.env.MEASURE_NODE_ARGS ?? '').split(' ').filter(Boolean), entry], { env: { ...process.env, PORT: port }, stdio: ['ignore', 'ignore', 'inherit'] });
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;

let readyMs;
for (;;) {
  if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
  const ok = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.status === 200, () => false);
  if (ok) {
    readyMs = performance.now() - started;
    break;
  }
  await sleep(25);
}
const atReady = rss();
await sleep(idleSeconds * 1000);
const idle = rss();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
console.log(JSON.stringify({ entry, role: process.env.ROLE ?? 'all', database: process.env.DATABASE_URL ? 'postgres' : 'pglite', readyMs: Math.round(readyMs), rssAtReadyMiB: Math.round(atReady), rssIdleMiB: Math.round(idle) }));
