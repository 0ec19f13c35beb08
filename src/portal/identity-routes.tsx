import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityLevel, ServiceDefinition } from '../catalogue/service-definition.ts';
import { levelAtLeast, type VerifiedLevel } from '../identity/oidc/levels.ts';
import { IdentityProviders, VerificationError, type PendingVerification } from '../identity/oidc/relying-party.ts';
import { recordVerificationFailure, recordVerifiedIdentity } from '../identity/oidc/verified-identities.ts';
import { SESSION_IDENTITY_KEY } from '../identity/prefill.ts';
import { updateSessionData } from '../identity/sessions.ts';
import { ensureVisitorSession, rotateSession } from '../identity/web-session.ts';
import { BadRequestError } from '../platform/errors.ts';
import { safeLocalPath } from '../platform/http/lang.ts';
import type { Runtime } from '../runtime.ts';
import { IdentityProofView, VerificationFailedView } from './pages/identity-pages.tsx';
import { sendPage } from './shell.tsx';

/**
 * Proving one's identity over OpenID Connect (BundID-style providers, the bundled development
 * provider), and the step-up gate in front of services that need a higher identity level.
 * The rules live in `identity/oidc/`; these handlers parse, call, render.
 */
const PENDING_KEY = 'identityPending';

/** The form routes a service's identity level guards (the start page stays open to read). */
const GATED_ROUTES = new Set(['/services/:id/form/:page', '/services/:id/check', '/services/:id/submit']);

export function requiredStepUp(def: ServiceDefinition, sessionLevel: IdentityLevel | undefined): VerifiedLevel | 'basic' | undefined {
  if (levelAtLeast(sessionLevel ?? 'none', def.identityLevel)) return undefined;
  return def.identityLevel === 'none' ? undefined : def.identityLevel;
}

export async function registerIdentityRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  const { db, catalogue, config } = deps;
  const policy = { secure: config.cookieSecure };
  const redirectUri = `${config.publicUrl}/identity/callback`;
  const providers = new IdentityProviders(config.identityProviders, { redirectUri, allowHttp: config.profile !== 'production' });
  const parseLevel = (v: unknown): VerifiedLevel => (v === 'high' ? 'high' : 'substantial');

  const proofPage = (req: FastifyRequest, reply: FastifyReply, level: VerifiedLevel, returnTo: string, status = 200, serviceTitle?: string, accountEnough = false) =>
    sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Identität nachweisen' : 'Prove your identity',
      status,
      body: (
        <IdentityProofView
          providers={providers.providers}
          level={level}
          current={req.session?.level ?? 'none'}
          returnTo={returnTo}
          csrfToken={reply.generateCsrf()}
          lang={req.lang}
          serviceTitle={serviceTitle}
          accountEnough={accountEnough}
        />
      ),
    });

  const failedPage = (req: FastifyRequest, reply: FastifyReply, err: VerificationError, retryHref: string) =>
    sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Identitätsnachweis nicht abgeschlossen' : 'Proof of identity not completed',
      status: err.reason === 'cancelled' ? 200 : err.reason === 'level' ? 403 : err.reason === 'unavailable' ? 503 : 400,
      hasErrors: true,
      body: <VerificationFailedView message={err.userMessage} retryHref={retryHref} lang={req.lang} />,
    });

  app.get('/identity', async (req: FastifyRequest<{ Querystring: { level?: string; return?: string } }>, reply) =>
    proofPage(req, reply, parseLevel(req.query.level), safeLocalPath(req.query.return)),
  );

  app.post('/identity/start', async (req: FastifyRequest<{ Body: { provider?: string; level?: string; return?: string } }>, reply) => {
    const provider = providers.get(String(req.body?.provider ?? ''));
    if (!provider) throw new BadRequestError({ de: 'Bitte wählen Sie einen der angebotenen Identitätsanbieter.', en: 'Please choose one of the identity providers offered.' });
    const session = await ensureVisitorSession(req, reply, db, policy);
    const level = parseLevel(req.body?.level);
    const returnTo = safeLocalPath(req.body?.return);
    let started: Awaited<ReturnType<typeof providers.start>>;
    try {
      started = await providers.start(provider.id, level, returnTo);
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      app.log.warn({ provider: provider.id, reason: err.reason }, 'identity verification could not start');
      return failedPage(req, reply, err, `/identity?level=${level}&return=${encodeURIComponent(returnTo)}`);
    }
    const { url, pending } = started;
    // One verification at a time per session: a newer start replaces an unfinished one.
    await updateSessionData(db, session.idHash, { ...session.data, [PENDING_KEY]: pending });
    return reply.redirect(url, 303);
  });

  app.get('/identity/callback', async (req, reply) => {
    const session = req.session;
    const pending = session?.data[PENDING_KEY] as PendingVerification | undefined;
    // Single use: the pending verification is gone whatever the outcome, so an answer cannot be replayed.
    if (session && pending) {
      const { [PENDING_KEY]: _used, ...rest } = session.data;
      await updateSessionData(db, session.idHash, rest);
    }
    const retryHref = `/identity?level=${pending?.level ?? 'substantial'}&return=${encodeURIComponent(pending?.returnTo ?? '/')}`;
    try {
      const result = await providers.finish(pending, new URL(`${config.publicUrl}${req.url}`));
      const signedIn = session?.kind === 'citizen' ? session.citizenId : null;
      const { citizenId, verifiedIdentityId } = await recordVerifiedIdentity(db, result, signedIn);
      // Cases proven by access code in this browser stay visible after the new session id.
      const provenCases = session?.data.provenCases;
      await rotateSession(req, reply, db, policy, {
        kind: 'citizen',
        citizenId,
        level: result.level,
        data: { [SESSION_IDENTITY_KEY]: verifiedIdentityId, ...(Array.isArray(provenCases) ? { provenCases } : {}) },
      });
      app.log.info({ provider: result.providerId, level: result.level }, 'identity verified');
      return reply.redirect(pending!.returnTo, 303);
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      app.log.warn({ provider: err.providerId, reason: err.reason }, 'identity verification refused');
      await recordVerificationFailure(db, err.providerId, err.reason, session?.citizenId ?? null);
      return failedPage(req, reply, err, retryHref);
    }
  });

  // Step-up: a service that needs a higher level than this session has shows the proof page in
  // place of its form; after the proof the citizen comes back to the same page, answers kept
  // (rotateSession carries the drafts over).
  app.addHook('preHandler', async (req: FastifyRequest, reply) => {
    if (!GATED_ROUTES.has(req.routeOptions.url ?? '')) return;
    const def = catalogue.get((req.params as { id?: string }).id ?? '');
    if (!def) return;
    const need = requiredStepUp(def, req.session?.level);
    if (!need) return;
    const here = req.method === 'GET' ? safeLocalPath(req.url) : req.routeOptions.url === '/services/:id/form/:page' ? `/services/${def.id}/form/${encodeURIComponent((req.params as { page: string }).page)}` : `/services/${def.id}/check`;
    // `basic` (an account) is reached by signing in; a verified identity satisfies it as well.
    const level: VerifiedLevel = need === 'high' ? 'high' : 'substantial';
    return proofPage(req, reply, level, here, 403, def.title[req.lang], need === 'basic');
  });
}
