import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { createSession, destroySession, loadSession, SESSION_COOKIE, type Session, type SessionFields, type SessionKind } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | undefined;
  }
}

export interface CookiePolicy {
  readonly secure: boolean;
}

export function sessionCookieName(policy: CookiePolicy): string {
  // The __Host- prefix pins the cookie to this host and path / when served over HTTPS.
  return policy.secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

function setSessionCookie(reply: FastifyReply, policy: CookiePolicy, token: string): void {
  reply.setCookie(sessionCookieName(policy), token, { path: '/', httpOnly: true, sameSite: 'lax', secure: policy.secure });
}

export async function attachSession(req: FastifyRequest, db: Kysely<Database>, policy: CookiePolicy): Promise<void> {
  req.session = await loadSession(db, req.cookies[sessionCookieName(policy)]);
}

/** The visitor's session, created on first need (starting a form, proving a case). */
export async function ensureVisitorSession(req: FastifyRequest, reply: FastifyReply, db: Kysely<Database>, policy: CookiePolicy): Promise<Session> {
  if (req.session) return req.session;
  const { token, session } = await createSession(db, 'visitor');
  setSessionCookie(reply, policy, token);
  req.session = session;
  return session;
}

/**
 * New session id at every privilege change (sign-in, second factor, a higher identity level):
 * defeats session fixation. The forms in progress move to the new session (and, for a citizen
 * who signs in, become theirs), so a step-up comes back to the same answers.
 */
export async function rotateSession(
  req: FastifyRequest,
  reply: FastifyReply,
  db: Kysely<Database>,
  policy: CookiePolicy,
  fields: SessionFields & { kind: SessionKind },
): Promise<Session> {
  const old = req.session;
  const { token, session } = await createSession(db, fields.kind, fields);
  if (old) {
    await db.transaction().execute(async (trx) => {
      if (session.citizenId) {
        // A draft the citizen already has for the same service wins over the anonymous one.
        await trx
          .deleteFrom('drafts')
          .where('session_id_hash', '=', old.idHash)
          .where('service_id', 'in', (eb) => eb.selectFrom('drafts').select('service_id').where('citizen_id', '=', session.citizenId))
          .execute();
        await trx.updateTable('drafts').set({ session_id_hash: session.idHash, citizen_id: session.citizenId }).where('session_id_hash', '=', old.idHash).execute();
        await trx.updateTable('drafts').set({ session_id_hash: session.idHash }).where('citizen_id', '=', session.citizenId).execute();
      } else {
        await trx.updateTable('drafts').set({ session_id_hash: session.idHash }).where('session_id_hash', '=', old.idHash).execute();
      }
      await trx.deleteFrom('sessions').where('id_hash', '=', old.idHash).execute();
    });
  }
  setSessionCookie(reply, policy, token);
  req.session = session;
  return session;
}

/** Ends this session and forgets its cookie. */
export async function endSession(req: FastifyRequest, reply: FastifyReply, db: Kysely<Database>, policy: CookiePolicy): Promise<void> {
  if (req.session) await destroySession(db, req.session.idHash);
  reply.clearCookie(sessionCookieName(policy), { path: '/' });
  req.session = undefined;
}

