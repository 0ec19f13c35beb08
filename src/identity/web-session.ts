import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { createSession, destroySession, loadSession, SESSION_COOKIE, type Session } from './sessions.ts';

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

export function setSessionCookie(reply: FastifyReply, policy: CookiePolicy, token: string): void {
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

/** New session id at every privilege change (sign-in, second factor): defeats session fixation. */
export async function rotateSession(
  req: FastifyRequest,
  reply: FastifyReply,
  db: Kysely<Database>,
  policy: CookiePolicy,
  fields: Parameters<typeof createSession>[2] & { kind: 'visitor' | 'staff' },
): Promise<Session> {
  if (req.session) await destroySession(db, req.session.idHash);
  const { token, session } = await createSession(db, fields.kind, fields);
  setSessionCookie(reply, policy, token);
  req.session = session;
  return session;
}

