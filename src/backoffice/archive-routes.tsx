import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../cases/case-deps.ts';
import { exportCaseFile } from '../efile/xdomea/export-case-file.ts';
import { setFlash } from '../identity/sessions.ts';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { ConflictError } from '../platform/errors.ts';
import type { Runtime } from '../runtime.ts';

/**
 * Handing a closed case file to the archive (ADR 0014): a form post (CSRF-checked like every
 * form) answered with the xdomea 0503 container as a download. The staff session is checked by the
 * back office's preHandler; `exportCaseFile` finds the case only in the actor's departments and
 * requires `case.archive` there.
 */
export function registerArchiveRoutes(app: FastifyInstance, deps: Runtime, staff: (req: FastifyRequest) => StaffIdentity): void {
  const actorOf = (id: StaffIdentity): Actor => ({ type: 'staff', id: id.id, grants: id.grants });

  app.post('/staff/cases/:id/export/xdomea', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    try {
      const result = await exportCaseFile(deps, actorOf(staff(req)), req.params.id);
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${result.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(Buffer.from(result.zip.buffer, result.zip.byteOffset, result.zip.byteLength));
    } catch (err) {
      // A case that is not closed yet: back to the case file, which shows why.
      if (err instanceof ConflictError && req.session) {
        await setFlash(deps.db, req.session, err.userMessage);
        return reply.redirect(`/staff/cases/${encodeURIComponent(req.params.id)}`, 303);
      }
      throw err;
    }
  });
}
