import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../runtime.ts';
import { UnauthenticatedError } from '../../platform/errors.ts';
import { applyAuthorityAnswer, parseAuthorityAnswer } from './authority-answers.ts';
import { externalAuthorityFor, SIGNATURE_HEADER, signatureProblem, type ExternalAuthority } from './authority.ts';
import { ANSWER_PATH } from './forward-to-authority.job.ts';

const BODY_LIMIT = 64 * 1024;

/**
 * `POST /api/v1/authority/answers` (ADR 0023): external receiving authorities answer here. No
 * cookie, no CSRF token (app.ts exempts /api/), no personal data in the URL: the proof is the
 * HMAC signature over the raw body with the authority's shared secret, and the callback token
 * ties the answer to a case forwarded to that authority. Answers: 200 (applied, or a repeat of
 * an answer id), 401 (signature or authority), 400 (unreadable), 404 (unknown case or token),
 * 409 (the case's state does not take this answer), 422 (a text the answer needs is missing).
 */
export async function registerAuthorityAnswerRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  const production = deps.config.profile === 'production';
  const authorities = new Map<string, ExternalAuthority>();
  for (const def of deps.catalogue.all()) {
    const a = externalAuthorityFor(deps.catalogue.city, def.id, process.env, production);
    if (a && def.id === 'versammlungsanzeige') authorities.set(a.id, a);
  }
  const refused = () => new UnauthenticatedError({ de: 'Die Signatur fehlt oder stimmt nicht.', en: 'The signature is missing or wrong.' });

  await app.register(async (scope) => {
    // Only here: the body stays the bytes that were signed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(ANSWER_PATH, { config: { rateLimit: { max: 600, timeWindow: 60_000 } }, schema: { hide: true } }, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const header = req.headers[SIGNATURE_HEADER];
      if (typeof header !== 'string') throw refused();
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      const authorityId = typeof body === 'object' && body !== null ? (body as { authority?: unknown }).authority : undefined;
      const authority = typeof authorityId === 'string' ? authorities.get(authorityId) : undefined;
      const problem = authority ? signatureProblem(authority.secret, raw, header, deps.now()) : 'unknown authority';
      if (!authority || problem) {
        // Why, for the operators; nothing of the body.
        req.log.warn({ reason: problem }, 'authority answer refused');
        throw refused();
      }
      const outcome = await applyAuthorityAnswer(deps, authority, parseAuthorityAnswer(body));
      return reply.status(200).send({ state: outcome.state, duplicate: outcome.duplicate });
    });
  });
}
