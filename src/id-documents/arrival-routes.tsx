import type { FastifyInstance, FastifyRequest } from 'fastify';
import { StaffBar } from '../backoffice/pages.tsx';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import { ArrivalsView, MAX_TEXT } from './arrival-pages.tsx';
import { arrivalDepartmentsOf, arrivalLines, markArrivals, MAX_ARRIVAL_LINES } from './arrivals.ts';

const ARRIVALS_PATH = '/staff/id-documents/arrivals';

/**
 * The staff page where ID cards and passports from the Bundesdruckerei are marked arrived in bulk
 * (arrivals.ts). Open to those who work cases in a department that issues them; the back office's
 * pre-handler has already required a full staff sign-in, the form helpers the CSRF token.
 */
export function registerIdDocumentArrivalRoutes(app: FastifyInstance, deps: Runtime, staff: (req: FastifyRequest) => StaffIdentity): void {
  const { catalogue } = deps;
  const allowed = (req: FastifyRequest): StaffIdentity => {
    const me = staff(req);
    if (arrivalDepartmentsOf(catalogue, me).length === 0)
      throw new ForbiddenError({ de: 'Eingetroffene Ausweise verbuchen die Mitarbeitenden des Bürgerservice.', en: 'Arrived ID documents are marked by Citizen Services staff.' });
    return me;
  };
  const render = (req: FastifyRequest, reply: Parameters<typeof sendPage>[1], me: StaffIdentity, view: { text: string; error?: string; results?: Awaited<ReturnType<typeof markArrivals>> }, status = 200) => {
    const csrfToken = reply.generateCsrf();
    const departments = [...new Set(me.grants.map((g) => g.departmentId))].map((d) => catalogue.city.departments.find((x) => x.id === d)?.name[req.lang] ?? d);
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: req.lang === 'de' ? 'Eingetroffene Ausweise und Pässe' : 'Arrived ID cards and passports',
      status,
      hasErrors: Boolean(view.error),
      body: (
        <>
          <StaffBar lang={req.lang} staffName={me.displayName} departments={departments} csrfToken={csrfToken} />
          <ArrivalsView lang={req.lang} csrfToken={csrfToken} catalogue={catalogue} text={view.text} error={view.error} results={view.results} />
        </>
      ),
    });
  };

  app.get(ARRIVALS_PATH, async (req, reply) => render(req, reply, allowed(req), { text: '' }));

  app.post(ARRIVALS_PATH, async (req: FastifyRequest<{ Body: { serials?: unknown } }>, reply) => {
    const me = allowed(req);
    const text = typeof req.body?.serials === 'string' ? req.body.serials.slice(0, MAX_TEXT) : '';
    const lines = arrivalLines(text);
    if (lines.length === 0)
      return render(req, reply, me, { text, error: req.lang === 'de' ? 'Bitte geben Sie mindestens eine Seriennummer ein.' : 'Enter at least one serial number.' }, 422);
    if (lines.length > MAX_ARRIVAL_LINES)
      return render(
        req,
        reply,
        me,
        { text, error: req.lang === 'de' ? `Bitte verbuchen Sie höchstens ${MAX_ARRIVAL_LINES} Nummern auf einmal (jetzt ${lines.length}).` : `Mark at most ${MAX_ARRIVAL_LINES} numbers at once (now ${lines.length}).` },
        422,
      );
    const results = await markArrivals(deps, { type: 'staff', id: me.id, grants: me.grants }, lines);
    const moved = results.filter((r) => r.outcome === 'moved').length;
    if (moved > 0) app.metrics.businessEvents.inc({ event: 'id_documents.arrived', service: 'staff' }, moved);
    // What was not found goes back into the field, to be corrected and sent again.
    const keep = results.filter((r) => r.outcome === 'unknown' || r.outcome === 'invalid').map((r) => r.serial);
    return render(req, reply, me, { text: keep.join('\n'), results });
  });
}
