import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { formatReference } from '../../cases/reference.ts';
import { HttpClient, pageText } from '../../test-support/http-client.ts';
import { testApp, type TestRuntime } from '../../test-support/runtime.ts';
import { ServiceUnavailableError } from '../errors.ts';
import { toAppError } from './error-handler.ts';

/** Operations and the security baseline over real HTTP: health, readiness, metrics, headers, cookies, 500s. */
let app: FastifyInstance;
let runtime: TestRuntime;
let close: () => Promise<void>;

before(async () => {
  ({ app, runtime, close } = await testApp());
});
after(async () => {
  await close();
});

const setCookies = (headers: Record<string, unknown>): string[] => ([] as string[]).concat((headers['set-cookie'] as string | string[] | undefined) ?? []);
const cookieAttributes = (cookie: string) => cookie.split(';').map((p) => p.trim().toLowerCase());

describe('operations', () => {
  test('/health answers 200', async () => {
    const res = await new HttpClient(app).get('/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
    assert.equal(res.headers['set-cookie'], undefined);
  });

  test('/ready answers 200 with the database and migrations ok', async () => {
    const res = await new HttpClient(app).get('/ready');
    assert.equal(res.status, 200);
    const body = res.json();
    assert.equal(body.status, 'ready');
    assert.deepEqual(body.checks, { database: 'ok', migrations: 'ok' });
  });

  test('/ready answers 503 while a migration is pending', async () => {
    const table = 'kysely_migration';
    const rows = await sql<{ name: string; timestamp: string }>`select name, timestamp from ${sql.table(table)} order by name`.execute(runtime.db);
    const last = rows.rows.at(-1);
    assert.ok(last, 'at least one migration was applied');
    await sql`delete from ${sql.table(table)} where name = ${last.name}`.execute(runtime.db);
    try {
      const res = await new HttpClient(app).get('/ready');
      assert.equal(res.status, 503);
      assert.equal(res.json().checks.migrations, 'pending');
    } finally {
      await sql`insert into ${sql.table(table)} (name, timestamp) values (${last.name}, ${last.timestamp})`.execute(runtime.db);
    }
    assert.equal((await new HttpClient(app).get('/ready')).status, 200);
  });

  test('/metrics exposes request durations and job counts in Prometheus format', async () => {
    const client = new HttpClient(app);
    assert.equal((await client.get('/')).status, 200);
    const res = await client.get('/metrics');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(res.body, /^# TYPE amtsweg_http_request_duration_seconds histogram$/m);
    assert.match(res.body, /^amtsweg_http_request_duration_seconds_count\{method="GET",route="\/",status="2xx"\} [1-9]\d*$/m);
    assert.match(res.body, /^# TYPE amtsweg_jobs gauge$/m);
    assert.match(res.body, /^# TYPE amtsweg_business_events_total counter$/m);
    // Route templates, never concrete URLs (no ids or personal data as label values).
    assert.equal((await client.get('/services/no-such-service')).status, 404);
    const after = (await client.get('/metrics')).body;
    assert.match(after, /route="\/services\/:id"/);
    assert.doesNotMatch(after, /no-such-service/);
  });
  test('the stylesheets the layout links are served: KERN from the package, our own from public/', async () => {
    const client = new HttpClient(app);
    const kern = await client.get('/assets/kern/kern.min.css');
    assert.equal(kern.status, 200);
    assert.match(String(kern.headers['content-type']), /^text\/css/);
    assert.equal(kern.headers['cache-control'], 'public, max-age=3600');
    const own = await client.get('/assets/app.css');
    assert.equal(own.status, 200);
    assert.match(String(own.headers['content-type']), /^text\/css/);
    assert.equal((await client.get('/assets/%2e%2e/package.json')).status, 404, 'nothing outside public/ is served');
  });
});

describe('security baseline', () => {
  test('an HTML page carries a strict CSP and the other security headers', async () => {
    const res = await new HttpClient(app).get('/');
    assert.equal(res.status, 200);
    const csp = String(res.headers['content-security-policy'] ?? '');
    assert.ok(csp, 'Content-Security-Policy is set');
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values.join(' ')]));
    assert.equal(directives['frame-ancestors'], "'none'");
    assert.equal(directives['default-src'], "'self'");
    assert.equal(directives['script-src'], "'self'");
    assert.equal(directives['object-src'], "'none'");
    assert.equal(directives['base-uri'], "'none'");
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP in development');
    // The page itself has no inline script the policy would block.
    assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(res.body, /\son[a-z]+="/, 'no inline event handlers');
  });

  test('the session cookie is HttpOnly and SameSite=Lax; so is the CSRF cookie', async () => {
    const res = await new HttpClient(app).get('/services/versammlungsanzeige/form/veranstalter');
    assert.equal(res.status, 200);
    const cookies = setCookies(res.headers);
    const session = cookies.find((c) => c.startsWith('aw_session='));
    assert.ok(session, 'a session cookie is set');
    const attrs = cookieAttributes(session);
    assert.ok(attrs.includes('httponly'), 'attrs.includes(\'httponly\')');
    assert.ok(attrs.includes('samesite=lax'), 'attrs.includes(\'samesite=lax\')');
    assert.ok(attrs.includes('path=/'), 'attrs.includes(\'path=/\')');
    assert.ok(!attrs.some((a) => a.startsWith('domain=')), 'host-only');
    const token = session.split(';')[0]!.split('=')[1]!;
    assert.ok(token.length >= 40, 'the session id is long and random');
    const csrf = cookies.find((c) => c.startsWith('aw_csrf='));
    assert.ok(csrf, 'csrf');
    assert.ok(cookieAttributes(csrf).includes('httponly'), 'cookieAttributes(csrf).includes(\'httponly\')');
    assert.ok(cookieAttributes(csrf).includes('samesite=lax'), 'cookieAttributes(csrf).includes(\'samesite=lax\')');
    // Pages that need no session do not set one.
    assert.ok(!setCookies((await new HttpClient(app).get('/')).headers).some((c) => c.startsWith('aw_session=')), '!setCookies((await new HttpClient(app).get(\'/\')).headers).some((c) => c.startsWith(\'aw_session=\'))');
  });

  test('a 500 reveals no internals, neither as HTML nor as problem+json', async () => {
    // Break the database under a real request: the cases table disappears for a moment.
    await sql`alter table cases rename to cases_hidden_for_test`.execute(runtime.db);
    try {
      const reference = formatReference('HAL', new Date().getUTCFullYear(), 123456);
      const client = new HttpClient(app);
      await client.get('/status');
      const html = await client.post('/status', { reference, accessCode: 'ABCDE-FGHJK' });
      assert.equal(html.status, 500);
      assert.match(String(html.headers['content-type']), /^text\/html/);
      assert.match(pageText(html.body), /Ein technischer Fehler ist aufgetreten/);
      const api = await client.sendJson('POST', '/api/v1/status', { reference, accessCode: 'ABCDE-FGHJK' });
      assert.equal(api.status, 500);
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      const problem = api.json();
      assert.equal(problem.status, 500);
      assert.match(problem.detail, /technischer Fehler/);
      for (const body of [html.body, api.body]) {
        for (const leak of [/cases/i, /relation/i, /does not exist/i, /SQL/, /stack/i, /\.ts\b/, /node_modules/, /Error:/, /at \w+ \(/]) {
          assert.doesNotMatch(body.replace(/<[^>]*>/g, ' ').replace(/Stadt Halle|Stand abfragen|Leistungen/g, ''), leak, `500 body must not reveal ${leak}`);
        }
      }
    } finally {
      await sql`alter table cases_hidden_for_test rename to cases`.execute(runtime.db);
    }
    assert.equal((await new HttpClient(app).get('/ready')).status, 200);
  });
});

describe('error taxonomy at the boundary', () => {
  test('load shedding (FST_UNDER_PRESSURE) is a 503 the person can act on, not a 500', () => {
    const shed = Object.assign(new Error('Service Unavailable'), { statusCode: 503, code: 'FST_UNDER_PRESSURE' });
    const mapped = toAppError(shed);
    assert.ok(mapped instanceof ServiceUnavailableError, 'mapped instanceof ServiceUnavailableError');
    assert.equal(mapped.status, 503);
    assert.match(mapped.userMessage.de, /überlastet/);
    // Anything else unknown stays an internal error (mapped to a generic 500 by the handler).
    assert.equal(toAppError(new Error('boom')), undefined);
  });

  test("a rate limit's Retry-After is the limiter's remaining window", () => {
    const limited = Object.assign(new Error('rate limited'), { statusCode: 429, retryAfterSeconds: 17 });
    assert.equal((toAppError(limited) as { retryAfterSeconds?: number }).retryAfterSeconds, 17);
  });
});

describe('secure cookies (COOKIE_SECURE=true)', () => {
  let secure: Awaited<ReturnType<typeof testApp>>;
  before(async () => {
    secure = await testApp({ config: { cookieSecure: true } });
  });
  after(async () => {
    await secure.close();
  });

  test('cookies get the __Host- prefix and Secure; HSTS and upgrade-insecure-requests are sent', async () => {
    const res = await new HttpClient(secure.app).get('/services/versammlungsanzeige/form/veranstalter');
    assert.equal(res.status, 200);
    const cookies = setCookies(res.headers);
    const session = cookies.find((c) => c.startsWith('__Host-aw_session='));
    assert.ok(session, `__Host- session cookie (got ${cookies.join(' | ')})`);
    const attrs = cookieAttributes(session);
    for (const a of ['secure', 'httponly', 'samesite=lax', 'path=/']) assert.ok(attrs.includes(a), a);
    assert.ok(cookies.some((c) => c.startsWith('__Host-aw_csrf=') && cookieAttributes(c).includes('secure')), 'cookies.some((c) => c.startsWith(\'__Host-aw_csrf=\') && cookieAttributes(c).includes(\'secure\'))');
    assert.match(String(res.headers['strict-transport-security']), /max-age=\d{7,}/);
    assert.match(String(res.headers['content-security-policy']), /upgrade-insecure-requests/);
  });
});
