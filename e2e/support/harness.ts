import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.ts';
import { testRuntime, type TestRuntime } from '../../src/test-support/runtime.ts';

/**
 * Browser-journey harness: the real app (in-memory PGlite, demo staff, background jobs running)
 * listening on 127.0.0.1 with a free port, plus Debian's Chromium driven by playwright-core.
 * One harness per journey (suite), so each starts on a fresh database: demo TOTP steps are
 * single-use per account, and no journey sees another's cases.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = fileURLToPath(new URL('../screenshots/', import.meta.url));

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

export async function startHarness(): Promise<Harness> {
  dbg('starting runtime');
  const runtime = await testRuntime();
  dbg('runtime started');
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  try {
    await runtime.jobs.work();
    app = await buildApp(runtime);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('the app did not report a TCP address');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    dbg(`listening on ${baseUrl}`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    dbg('browser launched');
    const contexts: BrowserContext[] = [];
    const b = browser;
    const a = app;
    return {
      baseUrl,
      runtime,
      app: a,
      browser: b,
      async newContext(options: BrowserContextOptions = {}) {
        const context = await b.newContext({ baseURL: baseUrl, locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: DESKTOP, ...options });
        context.setDefaultTimeout(30_000);
        contexts.push(context);
        if (options.javaScriptEnabled === false) {
          const mirror = await b.newContext({ locale: options.locale ?? 'de-DE', timezoneId: 'Europe/Berlin', javaScriptEnabled: true });
          contexts.push(mirror);
          noScriptMirrors.set(context, mirror);
        }
        return context;
      },
      async close() {
        dbg('closing contexts');
        for (const c of contexts) await c.close().catch(() => undefined);
        dbg('closing browser');
        await b.close().catch(() => undefined);
        dbg('closing app');
        await a.close();
        dbg('closing runtime');
        await runtime.close();
        dbg('closed');
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await runtime.close();
    throw err;
  }
}

/* ---------- accessibility ---------- */

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

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
export async function assertAccessible(page: Page, label: string): Promise<void> {
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
export async function screenshot(page: Page, name: string): Promise<string> {
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
