import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FormData } from '../catalogue/service-definition.ts';
import { NotFoundError } from '../platform/errors.ts';
import { provenCaseOf } from '../portal/proven-case.ts';
import type { Runtime } from '../runtime.ts';
import { FOUNDING_SERVICE_ID } from '../services/unternehmensgruendung/definition.ts';
import { elsterExport } from './elster-export.ts';

/**
 * The founder's download of their answers for the tax office's questionnaire (ELSTER export).
 * Only the citizen who proved the case (access code in this session, or their account) gets it;
 * anyone else, and any other service's case, gets "not found".
 */
export async function registerFoundingRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  app.get('/status/:caseId/elster-export', async (req: FastifyRequest<{ Params: { caseId: string } }>, reply) => {
    const caseId = await provenCaseOf(deps, req, req.params.caseId);
    const row = await deps.db
      .selectFrom('cases')
      .select(['reference', 'form_data', 'submitted_at', 'erased_at'])
      .where('id', '=', caseId)
      .where('service_id', '=', FOUNDING_SERVICE_ID)
      .executeTakeFirst();
    if (!row || row.erased_at) throw new NotFoundError();
    const xml = elsterExport(row.form_data as FormData, { reference: row.reference, createdAt: deps.now(), municipalityKey: deps.catalogue.city.municipalityKey }, { now: row.submitted_at, timeZone: deps.catalogue.city.timeZone });
    return reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="fragebogen-steuerliche-erfassung-${row.reference}.xml"`)
      .header('cache-control', 'no-store')
      .send(xml);
  });
}
