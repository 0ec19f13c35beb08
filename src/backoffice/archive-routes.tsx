import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../cases/case-deps.ts';
import { exportCaseFile } from '../efile/xdomea/export-case-file.ts';
import { setFlash } from '../identity/sessions.ts';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { ConflictError } from '../platform/errors.ts';
import { sendAttachment } from '../platform/http/attachment.ts';
import { Button, CsrfField } from '../platform/views/components.tsx';
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
      return sendAttachment(reply, { fileName: result.fileName, contentType: 'application/zip', bytes: result.zip });
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

/** The export button on a closed case file, for those who may hand files to the archive. */
export function ArchiveExportForm(p: { lang: 'de' | 'en'; caseId: string; csrfToken: string }) {
  const de = p.lang === 'de';
  return (
    <section aria-labelledby="archive-title">
      <h2 class="kern-heading-medium" id="archive-title">
        {de ? 'An das Archiv abgeben' : 'Hand over to the archive'}
      </h2>
      <p class="kern-body">{de ? 'Lädt die abgeschlossene Akte als xdomea-Aussonderungsnachricht (0503) mit allen Dokumenten herunter.' : 'Downloads the closed file as an xdomea transfer message (0503) with all its documents.'}</p>
      <form method="post" action={`/staff/cases/${p.caseId}/export/xdomea`} novalidate>
        <CsrfField token={p.csrfToken} />
        <Button kind="secondary">{de ? 'Aussonderung herunterladen (xdomea)' : 'Download transfer (xdomea)'}</Button>
      </form>
    </section>
  );
}
