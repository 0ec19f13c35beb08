import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../cases/case-deps.ts';
import { departmentFigures } from '../cases/figures.ts';
import { verifyAuditChain } from '../efile/audit-chain.ts';
import { grantableRoles, isSystemAdmin, managedDepartments } from '../identity/permissions.ts';
import { setFlash, takeFlash } from '../identity/sessions.ts';
import { createStaffUserAs, listStaff, setDepartmentRoles, setStaffActive, staffEntry } from '../identity/staff-admin.ts';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { AppError, ForbiddenError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import type { StaffRole } from '../schema.ts';
import { FiguresView, StaffAdminView, StaffCreatedView, StaffEditView, SystemView, type NewStaffForm } from './admin-pages.tsx';
import { StaffBar } from './pages.tsx';
import type { ComponentChildren } from 'preact';

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === '' ? [] : [String(v)]);

/**
 * Supervisors' figures, and the administration of staff accounts by department and system
 * administrators. The staff session (both factors) is checked by the backoffice's preHandler;
 * each route checks the permission it needs (identity/permissions.ts) and the domain functions
 * check it again in their queries.
 */
export function registerStaffAdmin(app: FastifyInstance, deps: Runtime, staff: (req: FastifyRequest) => StaffIdentity): void {
  const { db, catalogue } = deps;
  const allDepartments = catalogue.city.departments.map((d) => d.id);
  const actorOf = (id: StaffIdentity): Actor => ({ type: 'staff', id: id.id, grants: id.grants });
  /** Every page here carries the staff bar: who is signed in, the areas they may open, sign-out. */
  const withBar = (req: FastifyRequest, reply: FastifyReply, body: ComponentChildren) => {
    const me = staff(req);
    const departments = [...new Set(me.grants.map((g) => g.departmentId))].map((d) => catalogue.city.departments.find((x) => x.id === d)?.name[req.lang] ?? d);
    return (
      <>
        <StaffBar lang={req.lang} staffName={me.displayName} departments={departments} csrfToken={reply.generateCsrf()} />
        {body}
      </>
    );
  };

  app.get('/staff/figures', async (req, reply) => {
    const figures = await departmentFigures(deps, actorOf(staff(req)));
    return sendPage(req, reply, catalogue, { area: 'staff', title: req.lang === 'de' ? 'Kennzahlen' : 'Figures', body: withBar(req, reply, <FiguresView lang={req.lang} catalogue={catalogue} figures={figures} />) });
  });

  async function adminPage(req: FastifyRequest, reply: FastifyReply, opts: { form?: NewStaffForm; errors?: readonly FieldProblem[]; message?: string; status?: number } = {}) {
    const me = staff(req);
    const staffList = await listStaff(db, me, allDepartments);
    const departments = managedDepartments(me, allDepartments);
    const roles: StaffRole[] = isSystemAdmin(me) ? ['clerk', 'supervisor', 'department_admin', 'system_admin'] : ['clerk', 'supervisor', 'department_admin'];
    const flash = opts.errors ? undefined : await takeFlash(db, req.session);
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: req.lang === 'de' ? 'Mitarbeitende verwalten' : 'Manage staff',
      status: opts.status ?? 200,
      hasErrors: Boolean(opts.errors?.length || opts.message),
      body: withBar(
        req,
        reply,
        <StaffAdminView
          lang={req.lang}
          catalogue={catalogue}
          staff={staffList}
          departments={departments}
          roles={roles}
          csrfToken={reply.generateCsrf()}
          form={opts.form ?? { username: '', displayName: '', departmentId: departments.length === 1 ? departments[0]! : '', roles: [] }}
          errors={opts.errors ?? []}
          message={opts.message}
          done={flash?.[req.lang]}
        />,
      ),
    });
  }

  app.get('/staff/admin', async (req, reply) => adminPage(req, reply));

  app.post('/staff/admin/users', async (req: FastifyRequest<{ Body: Record<string, unknown> }>, reply) => {
    const body = req.body ?? {};
    const form: NewStaffForm = {
      username: String(body.username ?? '').slice(0, 100),
      displayName: String(body.displayName ?? '').slice(0, 200),
      departmentId: String(body.departmentId ?? ''),
      roles: list(body.roles).slice(0, 10),
    };
    const me = staff(req);
    if (!managedDepartments(me, allDepartments).includes(form.departmentId)) {
      const problems: FieldProblem[] = [{ field: 'departmentId', message: { de: 'Bitte wählen Sie eine Abteilung, die Sie verwalten.', en: 'Choose a department you manage.' } }];
      if (form.roles.length === 0) problems.push({ field: 'grants', message: { de: 'Bitte wählen Sie mindestens eine Rolle.', en: 'Choose at least one role.' } });
      return adminPage(req, reply, { form, errors: problems, status: 422 });
    }
    try {
      const created = await createStaffUserAs(db, me, allDepartments, {
        username: form.username,
        displayName: form.displayName,
        password: String(body.password ?? '').slice(0, 500),
        grants: form.roles.map((role) => ({ departmentId: form.departmentId, role: role as StaffRole })),
      });
      // Shown once, on this answer; nothing of it is kept in the session.
      return sendPage(req, reply, catalogue, {
        area: 'staff',
        title: req.lang === 'de' ? 'Konto angelegt' : 'Account created',
        status: 201,
        body: withBar(req, reply, <StaffCreatedView lang={req.lang} username={form.username.trim().toLowerCase()} totpSecret={created.totpSecret} otpauthUri={created.otpauthUri} />),
      });
    } catch (err) {
      if (err instanceof ValidationError) return adminPage(req, reply, { form, errors: err.fields, status: 422 });
      if (err instanceof AppError && err.status < 500) return adminPage(req, reply, { form, errors: [], message: err.userMessage[req.lang], status: err.status });
      throw err;
    }
  });

  async function editPage(req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, opts: { errors?: readonly FieldProblem[]; errorDepartment?: string; status?: number } = {}) {
    const me = staff(req);
    const entry = await staffEntry(db, me, allDepartments, req.params.id);
    const editable = managedDepartments(me, allDepartments).map((departmentId) => ({ departmentId, roles: grantableRoles(me, departmentId, allDepartments) }));
    const flash = opts.errors ? undefined : await takeFlash(db, req.session);
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: entry.displayName,
      status: opts.status ?? 200,
      hasErrors: Boolean(opts.errors?.length),
      body: withBar(
        req,
        reply,
        <StaffEditView
          lang={req.lang}
          catalogue={catalogue}
          entry={entry}
          editable={editable}
          csrfToken={reply.generateCsrf()}
          isSelf={entry.id === me.id}
          errors={opts.errors ?? []}
          errorDepartment={opts.errorDepartment}
          done={flash?.[req.lang]}
        />,
      ),
    });
  }

  app.get('/staff/admin/users/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => editPage(req, reply));

  app.post('/staff/admin/users/:id/roles', async (req: FastifyRequest<{ Params: { id: string }; Body: Record<string, unknown> }>, reply) => {
    const departmentId = String(req.body?.departmentId ?? '');
    const roles = list(req.body?.[`roles-${departmentId}`]).slice(0, 10);
    try {
      await setDepartmentRoles(db, staff(req), allDepartments, { staffUserId: req.params.id, departmentId, roles });
      await setFlash(db, req.session!, { de: 'Rollen gespeichert.', en: 'Roles saved.' });
      return reply.redirect(`/staff/admin/users/${req.params.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return editPage(req, reply, { errors: err.fields, errorDepartment: departmentId, status: 422 });
      throw err;
    }
  });

  app.post('/staff/admin/users/:id/active', async (req: FastifyRequest<{ Params: { id: string }; Body: { active?: string } }>, reply) => {
    const active = req.body?.active === 'true';
    try {
      await setStaffActive(db, staff(req), allDepartments, req.params.id, active);
      await setFlash(db, req.session!, active ? { de: 'Konto freigegeben.', en: 'Account reactivated.' } : { de: 'Konto gesperrt; alle Sitzungen sind beendet.', en: 'Account deactivated; all sessions ended.' });
      return reply.redirect(`/staff/admin/users/${req.params.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return editPage(req, reply, { errors: err.fields, status: 422 });
      throw err;
    }
  });

  app.get('/staff/admin/system', async (req, reply) => {
    if (!isSystemAdmin(staff(req))) throw new ForbiddenError({ de: 'Den Systemzustand sieht die Systemverwaltung.', en: 'The system state is for system administrators.' });
    const audit = await verifyAuditChain(db);
    const jobs = await deps.jobs.counts();
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: req.lang === 'de' ? 'Systemzustand' : 'System state',
      body: withBar(req, reply, <SystemView lang={req.lang} audit={{ rows: audit.rows, problems: audit.problems.length, pending: audit.pending }} jobs={jobs} />),
    });
  });
}
