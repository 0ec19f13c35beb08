import type { FastifyRequest } from 'fastify';
import { ownedCaseId } from '../cases/citizen-cases.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { Runtime } from '../runtime.ts';

/**
 * The case id, if this visitor may see the case: they proved it with reference and access code
 * (or just submitted it) in this session, or it belongs to their signed-in account (ownership in
 * the query). Anything else is "not found", whether the case exists or not.
 */
export async function provenCaseOf(deps: Pick<Runtime, 'db'>, req: FastifyRequest, caseId: string): Promise<string> {
  const proven = (req.session?.data.provenCases as string[] | undefined) ?? [];
  if (/^[0-9a-f-]{36}$/.test(caseId) && proven.includes(caseId)) return caseId;
  const owned = req.session?.citizenId ? await ownedCaseId(deps, req.session.citizenId, caseId) : undefined;
  if (!owned) throw new NotFoundError({ de: 'Bitte fragen Sie den Stand mit Aktenzeichen und Zugangscode ab.', en: 'Please check the status with your reference and access code.' });
  return owned;
}
