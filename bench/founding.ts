/**
 * `npm run bench:founding` (also run by `npm run bench`): how long a founder waits for the sealed
 * receipt of an Unternehmensgründung, and for every XGewerbeanzeige message to be delivered,
 * against the machine's real PostgreSQL with the production job settings (2 s polling, the web
 * server and the job workers in one process, the bundled development receivers as endpoints).
 *
 * FOUNDERS (default 200) permit-free foundings are filed through the domain function the portal
 * calls after the proof of identity (`submitCase`; the public API refuses services that need an
 * identity), CONCURRENCY (default 10) at a time, then the script waits until each has its
 * receipt and its deliveries. Reported: submission → receipt and submission → last delivery,
 * p50 / p95 / max, and the first founder alone on an idle system. The target is minutes, never
 * more than 24 hours (issue 6). The database `amtsweg_bench_founding_<random>` is dropped at the
 * end, also on failure. The last line of output is one JSON object with all figures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { submitCase } from '../src/cases/submit-case.ts';
import { loadConfig } from '../src/config.ts';
import { createRuntime, type Runtime } from '../src/runtime.ts';
import { validTradeRegistration } from '../src/trade/trade-fixtures.ts';

const int = (name: string, fallback: number): number => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return n;
};
const FOUNDERS = int('BENCH_FOUNDERS', 200);
const CONCURRENCY = int('BENCH_FOUNDING_CONCURRENCY', 10);
const TIMEOUT_MS = int('BENCH_FOUNDING_TIMEOUT_SECONDS', 900) * 1000;
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = `amtsweg_bench_founding_${randomBytes(4).toString('hex')}`;

const TAX = { taxId: '86095742719', turnoverFirstYear: '22000', turnoverNextYear: '40000', profitFirstYear: '15000', smallBusiness: 'yes', vatIdWanted: 'no', profitMethod: 'euer', iban: 'DE89370400440532013000', accountHolder: 'Erika Mustermann', merchantScale: 'no' };

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50_s: +percentile(s, 50).toFixed(2), p95_s: +percentile(s, 95).toFixed(2), max_s: +s[s.length - 1]!.toFixed(2) };
};

async function file(runtime: Runtime): Promise<string> {
  const r = await submitCase(runtime, { serviceId: 'unternehmensgruendung', data: { ...validTradeRegistration(new Date()), ...TAX }, idempotencyScope: 'api', idempotencyKey: randomUUID() });
  return r.caseId;
}

interface Timing {
  readonly receipt: number | undefined;
  readonly delivered: number | undefined;
}

async function timings(runtime: Runtime, ids: readonly string[]): Promise<Map<string, Timing>> {
  const rows = await runtime.db
    .selectFrom('cases')
    .leftJoin('issued_documents', (j) => j.onRef('issued_documents.case_id', '=', 'cases.id').on('issued_documents.kind', '=', 'receipt'))
    .select(['cases.id', 'cases.submitted_at', 'issued_documents.issued_at'])
    .where('cases.id', 'in', ids)
    .execute();
  const deliveries = await runtime.db.selectFrom('trade_message_deliveries').select(['case_id', 'status', 'delivered_at']).where('case_id', 'in', ids).execute();
  const out = new Map<string, Timing>();
  for (const r of rows) {
    const mine = deliveries.filter((d) => d.case_id === r.id);
    const allDelivered = mine.length > 0 && mine.every((d) => d.status === 'delivered' && d.delivered_at);
    const last = allDelivered ? Math.max(...mine.map((d) => d.delivered_at!.getTime())) : undefined;
    out.set(r.id, {
      receipt: r.issued_at ? (r.issued_at.getTime() - r.submitted_at.getTime()) / 1000 : undefined,
      delivered: last !== undefined ? (last - r.submitted_at.getTime()) / 1000 : undefined,
    });
  }
  return out;
}

async function waitAll(runtime: Runtime, ids: readonly string[]): Promise<Map<string, Timing>> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const t = await timings(runtime, ids);
    const open = ids.filter((id) => t.get(id)?.receipt === undefined || t.get(id)?.delivered === undefined);
    if (open.length === 0) return t;
    if (Date.now() > deadline) throw new Error(`${open.length} of ${ids.length} foundings had no receipt or undelivered messages after ${TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  await admin(`create database ${DB}`);
  const port = await freePort();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  const config = loadConfig({ AMTSWEG_PROFILE: 'test', LOG_LEVEL: 'silent' }, { databaseUrl: url.toString(), dataDir: 'memory://', host: '127.0.0.1', port, publicUrl: `http://127.0.0.1:${port}`, role: 'all' });
  // Production's polling interval (2 s), not the tests' quicker one.
  const runtime = await createRuntime(config, { jobPollingSeconds: 2 });
  const app = await buildApp(runtime);
  try {
    await runtime.jobs.work();
    await app.listen({ host: '127.0.0.1', port });

    // One founder on an idle system first.
    const first = await file(runtime);
    const alone = (await waitAll(runtime, [first])).get(first)!;

    // Then FOUNDERS at CONCURRENCY.
    const started = Date.now();
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < FOUNDERS) {
          next++;
          ids.push(await file(runtime));
        }
      }),
    );
    const filedSeconds = (Date.now() - started) / 1000;
    const all = await waitAll(runtime, ids);
    const receipts = ids.map((id) => all.get(id)!.receipt!);
    const delivered = ids.map((id) => all.get(id)!.delivered!);
    const result = {
      bench: 'founding',
      at: new Date().toISOString(),
      founders: FOUNDERS,
      concurrency: CONCURRENCY,
      filed_in_s: +filedSeconds.toFixed(1),
      alone: { receipt_s: +alone.receipt!.toFixed(2), all_delivered_s: +alone.delivered!.toFixed(2) },
      receipt: summary(receipts),
      all_delivered: summary(delivered),
      target: 'minutes; never more than 24 h',
      within_24h: Math.max(...receipts) < 24 * 3600,
    };
    console.log(`Unternehmensgründung, ${FOUNDERS} founders at ${CONCURRENCY} at a time (filed in ${result.filed_in_s} s):`);
    console.log(`  alone:           receipt ${result.alone.receipt_s} s, every message delivered ${result.alone.all_delivered_s} s`);
    console.log(`  receipt:         p50 ${result.receipt.p50_s} s, p95 ${result.receipt.p95_s} s, max ${result.receipt.max_s} s`);
    console.log(`  all delivered:   p50 ${result.all_delivered.p50_s} s, p95 ${result.all_delivered.p95_s} s, max ${result.all_delivered.max_s} s`);
    console.log(JSON.stringify(result));
  } finally {
    await app.close();
    await runtime.close();
    await admin(`drop database if exists ${DB} with (force)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
