import { registerFoundingRoutes } from './founding/founding-routes.ts';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyUnderPressure from '@fastify/under-pressure';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { registerApi } from './api/routes.ts';
import { registerBackoffice } from './backoffice/routes.tsx';
import { MAX_UPLOAD_BYTES } from './catalogue/service-definition.ts';
import { attachSession } from './identity/web-session.ts';
import { makeErrorHandler } from './platform/http/error-handler.ts';
import { negotiateLang } from './platform/http/lang.ts';
import { registerMultipart } from './platform/http/multipart.ts';
import { registerOperations } from './platform/http/operations.ts';
import { registerPaymentRoutes } from './payments/payment-routes.tsx';
import { registerAccountRoutes } from './portal/account-routes.tsx';
import { registerDataProtectionRoutes } from './portal/data-protection-routes.tsx';
import { registerDevRoutes } from './portal/dev-routes.tsx';
import { registerIdentityRoutes } from './portal/identity-routes.tsx';
import { registerNotificationRoutes } from './portal/notification-routes.tsx';
import { renderErrorPage } from './portal/pages/error-page.tsx';
import { registerPortal } from './portal/routes.tsx';
import { registerVerifyRoutes } from './portal/verify-routes.tsx';
import type { Runtime } from './runtime.ts';
import { registerAppointmentRoutes } from './appointments/appointment-routes.tsx';
import { registerLandlordRoutes } from './landlord/landlord-routes.tsx';
import { registerAuthorityAnswerRoutes } from './services/versammlungsanzeige/authority-routes.ts';
import { appPath } from './platform/app-paths.ts';

export type AppDeps = Runtime;

/**
 * Builds the Fastify application without listening: `main.ts` listens, tests call `inject()`.
 * Security headers, CSRF, cookies, rate limits, the error boundary and the three faces.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Request ids only; URLs carry no personal data by design (status lookups are POSTs).
    requestIdHeader: false,
    // API bodies are taken as sent: no silent type coercion, unknown properties are refused, not dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });

  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
  // Uploads: no part larger than the largest file any service (or staff upload) accepts.
  await registerMultipart(app, { maxFileBytes: MAX_UPLOAD_BYTES, maxFiles: 10 });
  // helmet itself, built once: @fastify/helmet 13 builds the middleware anew for every request,
  // which the benchmark showed as 4 % of a submission's server time.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // After "continue with …" the browser goes on to the identity provider (Chrome applies
        // form-action to the redirect after a form post).
        // A form post that redirects to an identity provider or the staff directory needs its origin here.
        formAction: ["'self'", ...new Set([...config.identityProviders.map((p) => p.issuer), ...(config.staffSso ? [config.staffSso.issuer] : [])].map((i) => new URL(i).origin))],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        manifestSrc: ["'self'"],
        ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined)));
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: config.cookieSecure ? '__Host-aw_csrf' : 'aw_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.cookieSecure, signed: true },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) => {
      const err = new Error('rate limited') as Error & { statusCode: number; retryAfterSeconds: number };
      err.statusCode = 429;
      err.retryAfterSeconds = Math.ceil(context.ttl / 1000);
      return err;
    },
  });

  // Shed load with a 503 instead of queueing requests until every one of them times out. Not on
  // embedded PGlite: its WebAssembly runs on the event loop, so a long query looks like overload.
  if (deps.engine === 'postgres') {
    await app.register(fastifyUnderPressure, { maxEventLoopDelay: 2000, retryAfter: 10, exposeStatusRoute: false });
  }

  app.decorateRequest('lang', 'de');
  app.decorateRequest('session', undefined);
  app.addHook('onRequest', async (req) => {
    req.lang = negotiateLang(req);
    if (!req.url.startsWith('/assets/') && !req.url.startsWith('/api/') && !['/health', '/ready', '/metrics'].includes(req.url)) {
      await attachSession(req, deps.db, { secure: config.cookieSecure });
    }
  });
  // Every state-changing form carries a CSRF token. The API is exempt: it uses no cookies.
  app.addHook('preHandler', (req, reply, done) => {
    // Payment providers' webhooks carry no cookie and no token: their proof is the signature over
    // the raw body (payments/payment-routes.tsx). Decided by the matched route, not the raw URL.
    if (req.method === 'POST' && !req.url.startsWith('/api/') && !req.routeOptions.url?.startsWith('/payments/webhook/')) return app.csrfProtection(req, reply, done);
    done();
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', req.url.startsWith('/assets/') ? 'public, max-age=3600' : 'no-store');
    return payload;
  });

  app.setErrorHandler(makeErrorHandler((req, status, message) => renderErrorPage(req, deps, status, message)));
  app.setNotFoundHandler((req, reply) => {
    const message = { de: 'Diese Seite gibt es nicht. Vielleicht hat sich die Adresse geändert.', en: 'This page does not exist. The address may have changed.' };
    if (req.url.startsWith('/api/'))
      return reply.status(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not Found', status: 404, detail: message[req.lang], code: 'AMTSWEG_NOT_FOUND' });
    return reply.status(404).type('text/html; charset=utf-8').send(renderErrorPage(req, deps, 404, message));
  });

  // cacheControl: false leaves Cache-Control to the onSend hook above (one hour for /assets/);
  // otherwise @fastify/send sets its own `public, max-age=0` first and the hook keeps it.
  await app.register(fastifyStatic, {
    root: appPath('node_modules', '@kern-ux', 'native', 'dist'),
    prefix: '/assets/kern/',
    decorateReply: false,
    cacheControl: false,
  });
  await app.register(fastifyStatic, {
    root: appPath('public'),
    prefix: '/assets/',
    decorateReply: false,
    cacheControl: false,
  });
  app.get('/manifest.webmanifest', async (_req, reply) =>
    reply.type('application/manifest+json').send({
      name: `Amtsweg – ${deps.catalogue.city.name.de}`,
      short_name: 'Amtsweg',
      start_url: '/',
      display: 'standalone',
      lang: 'de',
      background_color: '#ffffff',
      theme_color: '#0b3d6b',
      icons: [{ src: '/assets/icon.svg', sizes: 'any', type: 'image/svg+xml' }],
    }),
  );

  await registerOperations(app, deps);
  // Before the portal: its step-up hook guards the portal's form routes.
  await registerIdentityRoutes(app, deps);
  await registerPortal(app, deps);
  await registerVerifyRoutes(app, deps);
  await registerAccountRoutes(app, deps);
  await registerDataProtectionRoutes(app, deps);
  await registerAppointmentRoutes(app, deps);
  await registerLandlordRoutes(app, deps);
  await registerFoundingRoutes(app, deps);
  await registerPaymentRoutes(app, deps);
  await registerNotificationRoutes(app, deps);
  await registerBackoffice(app, deps);
  await registerApi(app, deps);
  await registerAuthorityAnswerRoutes(app, deps);
  if (config.profile !== 'production') await registerDevRoutes(app, deps);
  return app;
}
