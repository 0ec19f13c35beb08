import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '../identity/sessions.ts';

export type CitizenSession = Session & { citizenId: string };

/** The signed-in citizen's session, or undefined (visitors, staff). */
export const citizenOf = (req: FastifyRequest): CitizenSession | undefined => (req.session?.kind === 'citizen' && req.session.citizenId ? (req.session as CitizenSession) : undefined);

/** The signed-in citizen's session; anybody else is sent to the sign-in page (303) and gets undefined. */
export function requireCitizen(req: FastifyRequest, reply: FastifyReply): CitizenSession | undefined {
  const session = citizenOf(req);
  if (!session) void reply.redirect('/account/sign-in', 303);
  return session;
}
