import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type BrowserServer, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { EIDAS_ACR, type Config } from '../../src/config.ts';
import { startDevIdp, type DevIdp } from '../../src/devidp/dev-idp.tsx';
import { testRuntime, type TestRuntime } from '../../src/test-support/runtime.ts';
import { Catalogue } from '../../src/catalogue/registry.ts';
import type { ServiceDefinition } from '../../src/catalogue/service-definition.ts';
import type { CityConfig } from '../../src/catalogue/city.ts';
import { serviceDefinitions } from '../../src/services/index.ts';

/**
 * Browser-journey harness: the real app (in-memory PGlite, demo staff, background jobs running)
 * listening on 127.0.0.1 with a free port, plus Debian's Chromium driven by playwright-core.
 * One harness per journey (suite), so each starts on a fresh database: demo TOTP steps are
 * single-use per account, and no journey sees another's cases.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

export interface Harness {
  readonly baseUrl: string;
  readonly runtime: TestRuntime;
  readonly app: FastifyInstance;
  readonly browser: Browser;
  /** A fresh browser context (own cookies) on the app; closed by `close()`. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

const dbg = (m: string) => {
  if (process.env.E2E_DEBUG) console.error(`[harness] ${new Date().toISOString()} ${m}`);
};

export interface HarnessOptions {
  /**
   * Serve under this host name instead of 127.0.0.1, with PUBLIC_URL set to match. Passkeys need
   * it: a WebAuthn relying party ID must be a domain name (`localhost`), never an IP address,
   * and the app checks the origin against PUBLIC_URL.
   */
  readonly publicHost?: string;
  /**
   * Start the bundled development identity provider beside the app (random port) and configure
   * the app for it: citizens' identity verification (provider `dev`) and the staff directory.
   */
  readonly devIdp?: boolean;
  /** Test-only services served beside the shipped catalogue (e.g. one with a fee, which none ships yet). */
  readonly extraServices?: readonly ServiceDefinition[];
  /** A city configuration instead of cities/halle.json (e.g. with an external receiving authority, ADR 0023). */
  readonly city?: CityConfig;
}

/** A free TCP port on 127.0.0.1 (for a PUBLIC_URL that must be known before the app listens). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  startWatchdog();
  dbg('starting runtime');
  const fixedPort = options.publicHost || options.devIdp ? await freePort() : 0;
  const publicUrl = `http://${options.publicHost ?? '127.0.0.1'}:${fixedPort}`;
  const secret = randomBytes(18).toString('base64url');
  const devIdp = options.devIdp
    ? await startDevIdp({
        port: 0,
        host: '127.0.0.1',
        citizenClients: [{ clientId: 'amtsweg-e2e', clientSecret: secret, redirectUris: [`${publicUrl}/identity/callback`] }],
        staffClients: [{ clientId: 'amtsweg-e2e-staff', clientSecret: secret, redirectUris: [`${publicUrl}/staff/sign-in/directory/callback`] }],
      })
    : undefined;
  const config: Partial<Config> = {
    ...(fixedPort ? { publicUrl } : {}),
    ...(devIdp
      ? {
          identityProviders: [{ id: 'dev', name: { de: 'Test-Identitätsanbieter', en: 'Test identity provider' }, issuer: devIdp.citizenIssuer, clientId: 'amtsweg-e2e', clientSecret: secret, acr: EIDAS_ACR }],
          staffSso: { id: 'dev-directory', name: { de: 'das Test-Verzeichnis der Stadt', en: "the city's test directory" }, issuer: devIdp.staffIssuer, clientId: 'amtsweg-e2e-staff', clientSecret: secret, groupPrefix: 'amtsweg-' },
        }
      : {}),
  };
  const runtime = await testRuntime({ config, ...(options.city ? { city: options.city } : {}) }).catch(async (err: unknown) => {
    await devIdp?.close();
    throw err;
  });
  dbg('runtime started');
  const owned: Owned = { runtime, contexts: [], ...(devIdp ? { devIdp } : {}) };
  try {
    await runtime.jobs.work();
    // The app and everything the test does through `h.runtime` see the same catalogue.
    if (options.extraServices) owned.runtime = { ...runtime, catalogue: new Catalogue([...serviceDefinitions, ...options.extraServices], runtime.catalogue.city) };
    const app = await buildApp(owned.runtime);
    owned.app = app;
    await app.listen({ port: fixedPort, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('the app did not report a TCP address');
    const baseUrl = `http://${options.publicHost ?? '127.0.0.1'}:${address.port}`;
    dbg(`listening on ${baseUrl}`);
    // A browser server rather than `chromium.launch()`: only the server exposes the Chromium
    // process, which `close()` (and the watchdog) must be able to kill when closing hangs.
    const server = await chromium.launchServer({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        // The app listens on IPv4 only; `localhost` must not be tried on ::1 first.
        '--host-resolver-rules=MAP localhost 127.0.0.1',
      ],
    });
    owned.server = server;
    watchBrowser(server.process().pid);
    const browser = await chromium.connect(server.wsEndpoint());
    owned.browser = browser;
    dbg('browser launched');
    const contexts = owned.contexts;
    return {
      baseUrl,
      runtime: owned.runtime,
      app,
      browser,
      async newContext(options: BrowserContextOptions = {}) {
        const context = await browser.newContext({ baseURL: baseUrl, locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: DESKTOP, ...options });
        context.setDefaultTimeout(30_000);
        contexts.push(context);
        if (options.javaScriptEnabled === false) {
          const mirror = await browser.newContext({ locale: options.locale ?? 'de-DE', timezoneId: 'Europe/Berlin', javaScriptEnabled: true });
          contexts.push(mirror);
          noScriptMirrors.set(context, mirror);
        }
        return context;
      },
      close: () => closeAll(owned),
    };
  } catch (err) {
    await closeAll(owned).catch((closeErr: unknown) => dbg(`while giving up: ${String(closeErr)}`));
    throw err;
  }
}

/* ---------- closing within bounded time ---------- */

interface Owned {
  runtime: TestRuntime;
  devIdp?: DevIdp;
  app?: FastifyInstance;
  server?: BrowserServer;
  browser?: Browser;
  contexts: BrowserContext[];
}

/** Resolves with undefined when `work` settles in time, otherwise with what went wrong (never rejects). */
async function within(ms: number, work: () => Promise<unknown>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`did not finish within ${ms} ms`), ms);
  });
  try {
    return await Promise.race([
      work().then(
        () => undefined,
        (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILL to Chromium's process group (Playwright starts it detached, as a group leader), then to the process itself. */
function killChromium(pid: number | undefined): void {
  if (!pid) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Closes everything a harness owns, each step within a time limit, and in an order that cannot
 * wait on the previous step forever: browser contexts, the browser (killed when it does not close
 * in time), the app (open connections dropped when it does not close in time), the runtime (jobs,
 * database). Every step runs even when an earlier one failed; problems are reported afterwards
 * as one error, so a leak shows up as a failing `after` hook instead of a hanging run.
 */
async function closeAll(owned: Owned): Promise<void> {
  const problems: string[] = [];
  const step = async (what: string, ms: number, work: () => Promise<unknown>) => {
    dbg(what);
    const problem = await within(ms, work);
    if (problem) problems.push(`${what} ${problem}`);
    return problem === undefined;
  };
  await step('closing the browser contexts', 10_000, () => Promise.all(owned.contexts.splice(0).map((c) => c.close())));
  if (owned.browser) {
    const browser = owned.browser;
    await step('disconnecting from the browser', 5_000, () => browser.close());
  }
  if (owned.server) {
    const server = owned.server;
    const pid = server.process().pid;
    if (!(await step('closing the browser', 10_000, () => server.close()))) dbg('killing Chromium');
    killChromium(pid); // also takes any helper process that outlived a clean close
    unwatchBrowser(pid);
  }
  if (owned.app) {
    const app = owned.app;
    if (!(await step('closing the app', 10_000, () => app.close()))) {
      app.server.closeAllConnections();
      await step('closing the app after dropping its connections', 5_000, () => app.close());
    }
  }
  await step('closing the runtime', 20_000, () => owned.runtime.close());
  if (owned.devIdp) {
    const idp = owned.devIdp;
    await step('closing the development identity provider', 5_000, () => idp.close());
  }
  dbg('closed');
  if (problems.length > 0) throw new Error(`e2e harness: ${problems.join('; ')}`);
}

/* ---------- watchdog ---------- */

/*
 * The bounded closing above needs a turning event loop. Should the main thread ever be stuck in
 * synchronous work (as it was inside a message-less failing `assert.ok`, see support/assert.ts),
 * no timer, hook or signal handler runs, so a worker thread watches a heartbeat instead: after
 * E2E_WATCHDOG_MS (default 180 s) without one, it kills Chromium and this process, so the test
 * runner reports the file as failed rather than waiting, and nothing is left running.
 */
const WATCHDOG_MS = Number(process.env.E2E_WATCHDOG_MS ?? 180_000);
const MAX_BROWSERS = 8;
const watchdogMemory = new SharedArrayBuffer(8 + 4 * MAX_BROWSERS);
const heartbeat = new BigInt64Array(watchdogMemory, 0, 1);
const browserPids = new Int32Array(watchdogMemory, 8, MAX_BROWSERS);
let watchdog: Worker | undefined;

const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beat = new BigInt64Array(workerData.memory, 0, 1);
const pids = new Int32Array(workerData.memory, 8, workerData.maxBrowsers);
setInterval(() => {
  const idle = Date.now() - Number(Atomics.load(beat, 0));
  if (idle < workerData.limit) return;
  writeSync(2, '\\n[e2e watchdog] the main thread has not run for ' + idle + ' ms: killing Chromium and the test process\\n');
  for (let i = 0; i < pids.length; i++) {
    const pid = Atomics.load(pids, i);
    if (pid > 0) for (const target of [-pid, pid]) { try { process.kill(target, 'SIGKILL'); } catch {} }
  }
  process.kill(process.pid, 'SIGKILL');
}, 1000);
`;

function startWatchdog(): void {
  if (watchdog || !(WATCHDOG_MS > 0)) return;
  const beat = () => Atomics.store(heartbeat, 0, BigInt(Date.now()));
  beat();
  setInterval(beat, 1000).unref();
  watchdog = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { memory: watchdogMemory, limit: WATCHDOG_MS, maxBrowsers: MAX_BROWSERS } });
  watchdog.on('error', (err) => console.error(`[e2e watchdog] stopped: ${String(err)}`));
  watchdog.unref();
}

function watchBrowser(pid: number | undefined): void {
  if (!pid) return;
  for (let i = 0; i < MAX_BROWSERS; i++) if (Atomics.compareExchange(browserPids, i, 0, pid) === 0) return;
}

function unwatchBrowser(pid: number | undefined): void {
  if (!pid) return;
  for (let i = 0; i < MAX_BROWSERS; i++) Atomics.compareExchange(browserPids, i, pid, 0);
}

/* ---------- fail fast within a journey ---------- */

/**
 * The tests of a journey are steps that build on each other (the clerk needs the citizen's
 * reference, the status page the clerk's decision). `journeyStep` runs a step only when every
 * earlier step of the same journey passed, and skips it (at once, with the reason) otherwise;
 * a step that timed out still counts as not passed. Call `journey()` once per `describe`.
 */
export function journey(): (name: string, fn: () => Promise<void>) => void {
  let blocking: string | undefined;
  return (name, fn) => {
    test(name, async (t) => {
      if (blocking) {
        t.skip(`not run: the earlier step "${blocking}" did not pass`);
        return;
      }
      blocking = name; // cleared only when the step passes
      await fn();
      blocking = undefined;
    });
  };
}

/* ---------- accessibility ---------- */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** For each context with JavaScript off: a JavaScript-enabled context that axe-core can run in. */
const noScriptMirrors = new WeakMap<BrowserContext, BrowserContext>();

/**
 * axe-core needs JavaScript (its runner waits on timers, which never fire in a page with scripting
 * disabled, so `analyze()` hangs). For a page of a JavaScript-off context, axe therefore runs on a
 * mirror: the same URL, answered with the page's own HTML (`page.content()`), with the same CSS,
 * fonts and viewport, and with /assets/app.js replaced by nothing, so the DOM is exactly what the
 * script-less visitor has.
 */
async function mirrorForAxe(page: Page): Promise<{ target: Page; dispose(): Promise<void> }> {
  const mirror = noScriptMirrors.get(page.context());
  if (!mirror) return { target: page, async dispose() {} };
  const html = await page.content();
  const url = page.url();
  const withoutHash = url.split('#')[0]!;
  const target = await mirror.newPage();
  const viewport = page.viewportSize();
  if (viewport) await target.setViewportSize(viewport);
  await target.route('**/*', async (route) => {
    const req = route.request();
    if (req.isNavigationRequest() && req.url().split('#')[0] === withoutHash) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    if (new URL(req.url()).pathname === '/assets/app.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
    return route.continue();
  });
  await target.goto(url, { waitUntil: 'load' });
  // Guard against analysing something else (a redirect, an error page) and passing vacuously.
  if (target.url().split('#')[0] !== withoutHash || (await target.title()) !== (await page.title())) {
    await target.close();
    throw new Error(`axe mirror of ${url} did not reproduce the page (got ${target.url()})`);
  }
  return { target, dispose: () => target.close() };
}

/** Runs axe-core on the page as it is now and fails with a readable list of every violation. */
async function assertAccessible(page: Page, label: string): Promise<void> {
  const started = Date.now();
  const { target, dispose } = await mirrorForAxe(page);
  const mirrored = Date.now();
  let result;
  try {
    // Only violations are reported back: passes and incomplete results are large and unused here.
    result = await new AxeBuilder({ page: target }).withTags(WCAG_TAGS).options({ resultTypes: ['violations'] }).analyze();
  } finally {
    await dispose();
  }
  dbg(`axe ${label}: ${mirrored - started} ms mirror, ${Date.now() - mirrored} ms analyse`);
  if (result.violations.length === 0) return;
  const lines = [`axe-core: ${result.violations.length} violation(s) on "${label}" (${page.url()}):`];
  for (const v of result.violations) {
    lines.push(`  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes.slice(0, 10)) {
      lines.push(`      at ${node.target.join(' ')}`);
      lines.push(`         ${node.html.slice(0, 200)}`);
      if (node.failureSummary) lines.push(`         ${node.failureSummary.replace(/\n/g, '\n         ')}`);
    }
    if (v.nodes.length > 10) lines.push(`      … and ${v.nodes.length - 10} more`);
  }
  throw new Error(lines.join('\n'));
}

/* ---------- screenshots ---------- */

mkdirSync(SCREENSHOT_DIR, { recursive: true });

/** Full-page screenshot to e2e/screenshots/<name>.png (the folder is gitignored). */
async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Checks a page as it is now: a full-page screenshot (first, so a failing page can be looked at), then axe-core. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await assertAccessible(page, name);
}

/* ---------- dates relative to today ---------- */

/** YYYY-MM-DD of today + `offset` days in Europe/Berlin (the city's time zone). */
export function berlinDay(offset: number, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(now.getTime() + offset * 24 * 3600_000));
}
