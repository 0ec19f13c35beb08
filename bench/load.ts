/**
 * The load generator of `npm run bench`, run by bench/run.ts as a child process (its own event
 * loop and OS process, so autocannon does not steal the server's event loop; the kernel spreads
 * both over the two cores). It receives one job over IPC, runs autocannon against 127.0.0.1 and
 * sends the figures back. It never talks to the database.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export interface SubmitJob {
  readonly kind: 'submit';
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly path: string;
  /** The JSON request body, the same for every request (only the Idempotency-Key differs). */
  readonly body: string;
  readonly connections: number;
  /** Submissions are sent during this window only; the rate counts 201s received inside it. */
  readonly windowSec: number;
  /** After the window the connections send cheap GET /health requests, so that every submission
   *  still in flight can finish and be counted before autocannon closes the sockets. */
  readonly drainSec: number;
  readonly timeoutSec: number;
  /** Unique per run; the key of request n is `<keyPrefix>-<n>`. */
  readonly keyPrefix: string;
  /** How many (reference, accessCode, caseId) triples to send back for the status benchmark. */
  readonly sampleSize: number;
}

export interface PagesJob {
  readonly kind: 'pages';
  readonly origin: string;
  /** Requests handed out round-robin over all connections. */
  readonly requests: ReadonlyArray<{ method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string; mustContain?: string }>;
  readonly expectStatus: number;
  readonly connections: number;
  readonly durationSec: number;
  readonly timeoutSec: number;
}

export type LoadJob = SubmitJob | PagesJob;

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface SubmitOutcome {
  readonly kind: 'submit';
  readonly windowMs: number;
  readonly elapsedMs: number;
  /** Submissions written to a socket. */
  readonly sent: number;
  /** Responses to submissions, any status. */
  readonly answered: number;
  /** 201s received inside the window (the rate's numerator). */
  readonly created201InWindow: number;
  /** All 201s received (window + drain); must equal the cases stored. */
  readonly created201: number;
  /** Non-201 answers to submissions, by status code. */
  readonly otherStatus: Record<string, number>;
  /** Submissions without an answer when autocannon stopped (aborted by the client). */
  readonly unanswered: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Latency of the 201s received inside the window, ms, measured from request build to full response. */
  readonly latencyMs: LatencySummary;
  /** Every case id the client received with a 201. */
  readonly caseIds: string[];
  readonly sample: Array<{ reference: string; accessCode: string; caseId: string }>;
}

export interface PagesOutcome {
  readonly kind: 'pages';
  readonly durationMs: number;
  readonly total: number;
  readonly expected: number;
  readonly otherStatus: Record<string, number>;
  /** Expected status, but the body lacked `mustContain`. */
  readonly wrongBody: number;
  readonly errors: number;
  readonly timeouts: number;
  /** autocannon's latency histogram (all responses), ms. */
  readonly latencyMs: LatencySummary;
  readonly autocannonRequestsAvg: number;
}

export type LoadOutcome = SubmitOutcome | PagesOutcome;

/** Sent before the outcome: `start` when autocannon starts, `end` when the measured interval ends. */
export interface LoadEvent {
  readonly event: 'start' | 'end';
}

function summarise(values: number[]): LatencySummary {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]!), mean: round(values.reduce((a, b) => a + b, 0) / values.length) };
}

type Ctx = { t0?: number; submission?: boolean; mustContain?: string | undefined };

/** Tells the parent when the measured interval starts and ends, for its CPU accounting. */
const signal = (event: LoadEvent['event']) => process.send!({ event } satisfies LoadEvent);

async function runSubmit(job: SubmitJob): Promise<SubmitOutcome> {
  const start = Date.now();
  const deadline = start + job.windowSec * 1000;
  signal('start');
  const windowEnd = setTimeout(() => signal('end'), job.windowSec * 1000);
  let seq = 0;
  let sent = 0;
  let answered = 0;
  let inWindow = 0;
  let total201 = 0;
  const otherStatus: Record<string, number> = {};
  const latencies: number[] = [];
  const caseIds: string[] = [];
  const sample: SubmitOutcome['sample'] = [];

  const result = await autocannon({
    url: job.origin,
    connections: job.connections,
    pipelining: 1,
    duration: job.windowSec + job.drainSec,
    timeout: job.timeoutSec,
    requests: [
      {
        setupRequest: (req, context) => {
          const ctx = context as Ctx;
          if (Date.now() < deadline) {
            ctx.submission = true;
            ctx.t0 = performance.now();
            sent++;
            return { ...req, method: 'POST', path: job.path, headers: { 'content-type': 'application/json', 'idempotency-key': `${job.keyPrefix}-${++seq}` }, body: job.body };
          }
          ctx.submission = false;
          return { ...req, method: 'GET', path: '/health', headers: {}, body: '' };
        },
        onResponse: (status, body, context) => {
          const ctx = context as Ctx;
          if (!ctx.submission) return;
          answered++;
          if (status === 201) {
            total201++;
            if (Date.now() <= deadline) {
              inWindow++;
              latencies.push(performance.now() - ctx.t0!);
            }
            const r = JSON.parse(body) as { caseId: string; reference: string; accessCode: string };
            caseIds.push(r.caseId);
            if (sample.length < job.sampleSize) sample.push({ reference: r.reference, accessCode: r.accessCode, caseId: r.caseId });
          } else {
            otherStatus[status] = (otherStatus[status] ?? 0) + 1;
          }
        },
      },
    ],
  });
  clearTimeout(windowEnd);
  return {
    kind: 'submit',
    windowMs: job.windowSec * 1000,
    elapsedMs: Date.now() - start,
    sent,
    answered,
    created201InWindow: inWindow,
    created201: total201,
    otherStatus,
    unanswered: sent - answered,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: summarise(latencies),
    caseIds,
    sample,
  };
}

async function runPages(job: PagesJob): Promise<PagesOutcome> {
  let next = 0;
  let expected = 0;
  let wrongBody = 0;
  const otherStatus: Record<string, number> = {};
  signal('start');
  const result = await autocannon({
    url: job.origin,
    connections: job.connections,
    pipelining: 1,
    duration: job.durationSec,
    timeout: job.timeoutSec,
    requests: [
      {
        setupRequest: (req, context) => {
          const r = job.requests[next++ % job.requests.length]!;
          (context as Ctx).mustContain = r.mustContain;
          return { ...req, method: r.method, path: r.path, headers: { ...r.headers }, body: r.body ?? '' };
        },
        onResponse: (status, body, context) => {
          if (status !== job.expectStatus) {
            otherStatus[status] = (otherStatus[status] ?? 0) + 1;
            return;
          }
          expected++;
          const must = (context as Ctx).mustContain;
          if (must && !body.includes(must)) wrongBody++;
        },
      },
    ],
  });
  signal('end');
  const l = result.latency;
  return {
    kind: 'pages',
    durationMs: result.duration * 1000,
    total: expected + Object.values(otherStatus).reduce((a, b) => a + b, 0),
    expected,
    otherStatus,
    wrongBody,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, mean: l.average },
    autocannonRequestsAvg: result.requests.average,
  };
}

process.once('message', (job: LoadJob) => {
  const run = job.kind === 'submit' ? runSubmit(job) : runPages(job);
  run.then(
    (outcome) => process.send!(outcome, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
