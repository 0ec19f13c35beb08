/**
 * `npm run bench:process` (also run by `npm run bench`): the production build as its own process.
 *
 * `node dist/main.js` (the output of `npm run build`) is started as a child process with
 * production settings (AMTSWEG_PROFILE=production, LOG_LEVEL=info, no demo data, no development
 * identity provider; a throw-away seal, master key and secrets made here) against a fresh
 * PostgreSQL database `amtsweg_bench_process_<random>`, dropped at the end, also on failure and
 * on Ctrl-C. Measured:
 *
 *  1. cold start: spawn → first 200 of `/ready`, migrations already applied (one start migrates
 *     first), ROLE=web, BENCH_COLD_STARTS times; the median and all samples;
 *  2. idle RSS of ROLE=web: after /ready, BENCH_IDLE_SECONDS of idling, VmRSS from /proc/<pid>/status
 *     sampled 5 times a second apart, the median; then the home page, the status lookup page and the
 *     service list BENCH_RSS_REQUESTS times each (10 at a time), a few seconds' rest, the median again;
 *  3. the same idle RSS for ROLE=all (web server plus job workers: every module of the app);
 *  4. JSON.stringify of a ~1 KB form body: inside the running server (ROLE=all and ROLE=web), via
 *     `node --import bench/stringify-probe.mjs dist/main.js`, against a bare `node` running the
 *     same probe (same binary, object and iteration count), rounds interleaved server, bare, server,
 *     bare …; the ratio of the medians is `stringifySlowdown`.
 *
 * The machine's load (loadavg, CPU busy) before and during each part is reported with the figures:
 * on a shared machine cold starts and timings move with it. The last line is one JSON object.
 *
 * Settings (environment, all optional): BENCH_PG_ADMIN_URL, BENCH_MAIN (dist/main.js),
 * BENCH_COLD_STARTS (5), BENCH_IDLE_SECONDS (10), BENCH_RSS_REQUESTS (300),
 * BENCH_STRINGIFY_ITERATIONS (100000), BENCH_STRINGIFY_ROUNDS (7).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createDevelopmentSealP12 } from '../src/efile/seal.ts';

const int = (name: string, fallback: number, min: number, max: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
};

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SETTINGS = {
  adminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  main: path.resolve(ROOT, process.env.BENCH_MAIN ?? 'dist/main.js'),
  coldStarts: int('BENCH_COLD_STARTS', 5, 1, 50),
  idleSeconds: int('BENCH_IDLE_SECONDS', 10, 0, 600),
  rssRequests: int('BENCH_RSS_REQUESTS', 300, 0, 100_000),
  stringifyIterations: int('BENCH_STRINGIFY_ITERATIONS', 100_000, 1000, 10_000_000),
  stringifyRounds: int('BENCH_STRINGIFY_ROUNDS', 7, 1, 100),
  readyTimeoutMs: 180_000,
};
const PROBE = fileURLToPath(new URL('./stringify-probe.mjs', import.meta.url));
const DB = `amtsweg_bench_process_${randomBytes(4).toString('hex')}`;
const log = (line = '') => process.stdout.write(`${line}\n`);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/* ---------- the machine's load ---------- */

function cpuTicks(): { busy: number; total: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    return { busy: user + nice + system + irq + softirq, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return undefined;
  }
}

interface Load {
  /** 1-minute load average at the end of the interval (the machine has `nproc` cores). */
  readonly loadavg1: number;
  /** All cores busy during the interval, percent of the machine (this benchmark's own processes included). */
  readonly cpuBusyPct: number | null;
}

class LoadMeter {
  private readonly start = cpuTicks();
  read(): Load {
    const end = cpuTicks();
    const busy = end && this.start && end.total > this.start.total ? round(((end.busy - this.start.busy) / (end.total - this.start.total)) * 100) : null;
    return { loadavg1: round(os.loadavg()[0]!, 2), cpuBusyPct: busy };
  }
}

async function loadBefore(): Promise<Load> {
  const m = new LoadMeter();
  await sleep(2000);
  return m.read();
}

const loadText = (l: Load) => `loadavg ${l.loadavg1}, CPU ${l.cpuBusyPct ?? 'n/a'} % busy`;

/* ---------- database, files ---------- */

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: SETTINGS.adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

let dbCreated = false;
let tmpDir: string | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/* ---------- the server process ---------- */

type Role = 'web' | 'all';

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  readonly spawnedAt: number;
  output: string;
}

const running = new Set<ChildProcess>();

function productionEnv(dataDir: string, port: number, role: Role): NodeJS.ProcessEnv {
  const dbUrl = new URL(SETTINGS.adminUrl);
  dbUrl.pathname = `/${DB}`;
  // Only what the server needs: no inherited settings (a developer's DATABASE_URL, DEMO_DATA …).
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    AMTSWEG_PROFILE: 'production',
    ROLE: role,
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: 'https://amtsweg.bench.invalid',
    DATABASE_URL: dbUrl.toString(),
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
    MASTER_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    // Never contacted: no mail is sent while measuring (no cases are filed).
    SMTP_URL: 'smtp://127.0.0.1:9',
    SEAL_P12_FILE: path.join(dataDir, 'bench-seal.p12'),
    SEAL_P12_PASSWORD: 'bench',
    DEMO_DATA: 'false',
    DEV_IDP: 'false',
  };
}

function startServer(main: string, dataDir: string, port: number, role: Role, probe: boolean): Server {
  const args = [...(probe ? ['--import', PROBE] : []), main];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: productionEnv(dataDir, port, role), stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  running.add(child);
  const server: Server = { child, port, spawnedAt, output: '' };
  const keep = (d: Buffer) => {
    server.output = (server.output + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('exit', () => running.delete(child));
  return server;
}

async function status(port: number, pathname: string): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Milliseconds from spawn to the first 200 of /ready (polled every 20 ms). */
async function untilReady(server: Server): Promise<number> {
  const deadline = performance.now() + SETTINGS.readyTimeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`the server exited with ${server.child.exitCode} before /ready:\n${server.output}`);
    if ((await status(server.port, '/ready')) === 200) return performance.now() - server.spawnedAt;
    if (performance.now() > deadline) throw new Error(`no 200 from /ready within ${SETTINGS.readyTimeoutMs / 1000} s:\n${server.output}`);
    await sleep(20);
  }
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) / 1024;
}

/** Five VmRSS samples a second apart: the median and the samples (MB). */
async function sampleRss(pid: number): Promise<{ medianMb: number; samplesMb: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    if (i > 0) await sleep(1000);
    samples.push(round(rssMb(pid)));
  }
  return { medianMb: round(median(samples)), samplesMb: samples };
}

/** GETs of the home page, the status lookup form and the service list, 10 at a time. */
async function serveSome(port: number, perPage: number): Promise<{ requests: number; non200: number }> {
  const pages = ['/', '/status', '/services'];
  const queue = pages.flatMap((p) => Array.from({ length: perPage }, () => p));
  let non200 = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let p = queue.pop(); p !== undefined; p = queue.pop()) if ((await status(port, p)) !== 200) non200++;
    }),
  );
  return { requests: pages.length * perPage, non200 };
}

/* ---------- JSON.stringify probe ---------- */

type ProbeMessage = { probe: 'ready'; bytes: number; replaced: boolean } | { probe: 'round'; nsPerOp: number; bytes: number };

function probeReady(child: ChildProcess): Promise<{ bytes: number; replaced: boolean }> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ProbeMessage) => {
      if (m.probe === 'ready') {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve({ bytes: m.bytes, replaced: m.replaced });
      }
    };
    const onExit = (code: number | null) => reject(new Error(`the probed process exited (${code}) before it was ready`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function probeRound(child: ChildProcess, iterations: number): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: ProbeMessage) => {
      if (m.probe === 'round') {
        child.off('message', onMessage);
        resolve(m.nsPerOp);
      }
    };
    child.on('message', onMessage);
    child.send({ round: iterations });
  });
}

interface StringifyResult {
  readonly bodyBytes: number;
  /** Whether the app replaced the global JSON.stringify (a polyfill) by the time it was ready. */
  readonly replacedInServer: boolean;
  readonly iterations: number;
  readonly serverUs: number;
  readonly bareUs: number;
  readonly slowdown: number;
  readonly serverSamplesUs: number[];
  readonly bareSamplesUs: number[];
}

/** Rounds interleaved server, bare, server, bare …, after one warm-up round each. */
async function compareStringify(server: ChildProcess, replacedInServer: boolean): Promise<StringifyResult> {
  const bare = spawn(process.execPath, [PROBE], { cwd: ROOT, env: { PATH: process.env.PATH, BENCH_PROBE_BARE: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  running.add(bare);
  bare.on('exit', () => running.delete(bare));
  try {
    const { bytes: bodyBytes } = await probeReady(bare);
    const n = SETTINGS.stringifyIterations;
    await probeRound(server, n);
    await probeRound(bare, n);
    const s: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < SETTINGS.stringifyRounds; i++) {
      s.push(round((await probeRound(server, n)) / 1000, 3));
      b.push(round((await probeRound(bare, n)) / 1000, 3));
    }
    const serverUs = round(median(s), 3);
    const bareUs = round(median(b), 3);
    return { bodyBytes, replacedInServer, iterations: n, serverUs, bareUs, slowdown: round(serverUs / bareUs, 2), serverSamplesUs: s, bareSamplesUs: b };
  } finally {
    bare.send({ exit: true });
    await new Promise<void>((resolve) => (bare.exitCode !== null ? resolve() : bare.once('exit', () => resolve())));
  }
}

/** One server of `role` with the probe: idle RSS, RSS after serving pages, JSON.stringify. */
async function profileRole(main: string, dataDir: string, role: Role) {
  const port = await freePort();
  const server = startServer(main, dataDir, port, role, true);
  try {
    const ready = probeReady(server.child);
    const readyMs = await untilReady(server);
    const { replaced } = await ready;
    const meter = new LoadMeter();
    await sleep(SETTINGS.idleSeconds * 1000);
    const idle = await sampleRss(server.child.pid!);
    const served = await serveSome(port, SETTINGS.rssRequests);
    await sleep(3000);
    const afterLoad = await sampleRss(server.child.pid!);
    const rssLoad = meter.read();
    const stringifyMeter = new LoadMeter();
    const stringify = await compareStringify(server.child, replaced);
    const stringifyLoad = stringifyMeter.read();
    log(`  ROLE=${role}: ready after ${Math.round(readyMs)} ms; idle RSS ${idle.medianMb} MB (${idle.samplesMb.join(', ')}), after ${served.requests} GETs ${afterLoad.medianMb} MB (${afterLoad.samplesMb.join(', ')}; ${served.non200} not 200); ${loadText(rssLoad)}`);
    log(`  ROLE=${role}: JSON.stringify of a ${stringify.bodyBytes}-byte form body: ${stringify.serverUs} µs in the server vs ${stringify.bareUs} µs in bare Node = ×${stringify.slowdown} (server ${stringify.serverSamplesUs.join(', ')}; bare ${stringify.bareSamplesUs.join(', ')}); global JSON.stringify ${stringify.replacedInServer ? 'REPLACED by the app' : 'native'}; ${loadText(stringifyLoad)}`);
    return { readyMs: Math.round(readyMs), idle, afterLoad, served, rssLoad, stringify, stringifyLoad };
  } finally {
    await stopServer(server);
  }
}

/* ---------- main ---------- */

async function main(): Promise<number> {
  if (!existsSync(SETTINGS.main)) throw new Error(`${SETTINGS.main} is missing: run \`npm run build\` first`);
  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'amtsweg-bench-process-'));
  const dataDir = path.join(tmpDir, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  // A throw-away seal: production refuses to start without SEAL_P12_FILE.
  writeFileSync(path.join(dataDir, 'bench-seal.p12'), createDevelopmentSealP12('Stadt Halle (Saale)', 'bench', { bits: 2048 }), { mode: 0o600 });
  const main = SETTINGS.main;
  const commit = await gitCommit();

  log(`Amtsweg process benchmark ${new Date().toISOString()} — ${os.availableParallelism()} cores, Node ${process.version}, commit ${commit}`);
  log(`  node ${path.relative(ROOT, SETTINGS.main)}, AMTSWEG_PROFILE=production, LOG_LEVEL=info, database ${DB}`);
  const before = await loadBefore();
  log(`  machine before: ${loadText(before)} (${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);

  await admin(`create database ${DB}`);
  dbCreated = true;

  // One start applies the migrations; the measured starts find them applied.
  {
    const port = await freePort();
    const server = startServer(main, dataDir, port, 'web', false);
    try {
      const ms = await untilReady(server);
      log(`  first start (migrates a fresh database): ${Math.round(ms)} ms`);
    } finally {
      await stopServer(server);
    }
  }

  const coldMeter = new LoadMeter();
  const coldSamples: number[] = [];
  for (let i = 0; i < SETTINGS.coldStarts; i++) {
    const port = await freePort();
    const server = startServer(main, dataDir, port, 'web', false);
    try {
      coldSamples.push(Math.round(await untilReady(server)));
    } finally {
      await stopServer(server);
    }
  }
  const coldLoad = coldMeter.read();
  const coldStartMs = Math.round(median(coldSamples));
  log(`  cold start to /ready (ROLE=web, migrated): median ${coldStartMs} ms (${coldSamples.join(', ')}); ${loadText(coldLoad)}`);

  const web = await profileRole(main, dataDir, 'web');
  const all = await profileRole(main, dataDir, 'all');

  const figures = {
    idleRssMb: web.idle.medianMb,
    rssAfterLoadMb: web.afterLoad.medianMb,
    idleRssAllMb: all.idle.medianMb,
    rssAfterLoadAllMb: all.afterLoad.medianMb,
    idleRssBudgetMb: 150,
    idleRssBudgetMet: web.idle.medianMb <= 150,
    coldStartMs,
    coldStartSamplesMs: coldSamples,
    stringifySlowdown: all.stringify.slowdown,
    stringifyServerUs: all.stringify.serverUs,
    stringifyBareUs: all.stringify.bareUs,
    stringifySlowdownWeb: web.stringify.slowdown,
    stringifyReplaced: all.stringify.replacedInServer,
    process: {
      date: new Date().toISOString(),
      commit,
      main: path.relative(ROOT, SETTINGS.main),
      settings: { profile: 'production', logLevel: 'info', coldStarts: SETTINGS.coldStarts, idleSeconds: SETTINGS.idleSeconds, rssRequestsPerPage: SETTINGS.rssRequests, stringifyIterations: SETTINGS.stringifyIterations, stringifyRounds: SETTINGS.stringifyRounds },
      web: { readyMs: web.readyMs, idleRssSamplesMb: web.idle.samplesMb, afterLoadRssSamplesMb: web.afterLoad.samplesMb, requests: web.served.requests, non200: web.served.non200, stringify: web.stringify },
      all: { readyMs: all.readyMs, idleRssSamplesMb: all.idle.samplesMb, afterLoadRssSamplesMb: all.afterLoad.samplesMb, requests: all.served.requests, non200: all.served.non200, stringify: all.stringify },
      load: { before, coldStarts: coldLoad, webRss: web.rssLoad, webStringify: web.stringifyLoad, allRss: all.rssLoad, allStringify: all.stringifyLoad, nproc: os.availableParallelism() },
    },
  };
  log(
    `idle RSS ROLE=web ${figures.idleRssMb} MB (budget ≤ 150 MB: ${figures.idleRssBudgetMet ? 'PASS' : 'FAIL'}), after load ${figures.rssAfterLoadMb} MB; ROLE=all ${figures.idleRssAllMb} MB; cold start ${coldStartMs} ms; JSON.stringify ×${figures.stringifySlowdown} (ROLE=all)`,
  );
  log(JSON.stringify(figures));
  return web.served.non200 + all.served.non200 === 0 ? 0 : 1;
}

function gitCommit(): Promise<string> {
  return new Promise((resolve) => {
    const p = spawn('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', () => resolve('unknown'));
    p.on('close', () => resolve(out.trim() || 'unknown'));
  });
}

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of running) child.kill('SIGKILL');
    if (dbCreated) {
      try {
        await admin(`drop database if exists ${DB} with (force)`);
      } catch (err) {
        process.stderr.write(`could not drop database ${DB}: ${(err as Error).message}\n`);
      }
    }
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the servers, dropping ${DB}\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

let code = 1;
try {
  code = await main();
} catch (err) {
  process.stderr.write(`process benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
