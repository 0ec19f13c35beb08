import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../cases/case-deps.ts';
import { assignCase, caseWorkers } from '../cases/assignment.ts';
import { allFields, type FormData } from '../catalogue/service-definition.ts';
import { cancelRequest, caseRequests, requestableFields, requestInformation } from '../cases/information-requests.ts';
import { ATTACHMENT_LIMIT, caseMessages, markMessagesRead, sendStaffMessage } from '../cases/mailbox.ts';
import { fillTemplate, replyTemplates } from '../cases/reply-templates.ts';
import { addNote, inbox, openCaseForStaff, type InboxFilter } from '../cases/queries.ts';
import { mayTake, transitionCase } from '../cases/transition-case.ts';
import { departmentsWith, hasPermission } from '../identity/permissions.ts';
import { checkPassword, checkTotp, loadStaffIdentity, type StaffIdentity } from '../identity/staff-auth.ts';
import { destroyAllSessions, destroySession, setFlash, takeFlash, updateSessionData } from '../identity/sessions.ts';
import { grantsFromGroups, StaffDirectory, StaffSsoError, syncDirectoryPerson, type PendingStaffSso } from '../identity/staff-sso.ts';
import { appendAudit } from '../efile/audit-chain.ts';
import { caseDocuments } from '../efile/case-documents.ts';
import { listIssuedDocuments } from '../efile/issued-documents.ts';
import { searchCases, type CaseSearchHit } from '../efile/case-search.ts';
import { addCaseDocument, addDocumentVersion, downloadCaseDocument, STAFF_UPLOAD_LIMIT } from '../efile/staff-documents.ts';
import { sendAttachment } from '../platform/http/attachment.ts';
import { UploadedFile } from '../platform/http/multipart.ts';
import { ensureVisitorSession, rotateSession } from '../identity/web-session.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, ValidationError } from '../platform/errors.ts';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import { registerStaffAdmin } from './admin-routes.tsx';
import { ArchiveExportForm, registerArchiveRoutes } from './archive-routes.tsx';
import type { DocumentFeedback } from './case-file-sections.tsx';
import { StaffMailboxSection, StaffRequestSection, type MailboxFeedback } from './mailbox-sections.tsx';
import { SearchView } from './search-pages.tsx';
import { LegalHoldPanel, registerRetentionRoutes } from './retention-routes.tsx';
import { EscalationPanel } from './escalation-views.tsx';
import { currentEscalation } from '../cases/escalations.ts';
import { registerStaffPaymentRoutes } from '../payments/staff-payment-routes.tsx';
import { registerJobsAdminRoutes } from './jobs-routes.tsx';
import { LEGAL_HOLD_PERMISSION } from '../efile/retention.ts';
import { staffLinks } from './staff-links.ts';
import { registerStaffAppointmentRoutes } from '../appointments/staff-appointment-routes.tsx';
import { registerIdDocumentArrivalRoutes } from '../id-documents/arrival-routes.tsx';
import { idDocumentDepartments } from '../id-documents/arrivals.ts';
import { CaseView, InboxView, SignInView, TotpView, type ActionFeedback } from './pages.tsx';
import { StaffPaymentsPanel } from '../payments/payment-panels.tsx';
import { staffPayments } from '../payments/payments.ts';
import { caseTradeDeliveries } from '../trade/deliveries.ts';
import { registerTradeRoutes, TradeDeliveriesPanel } from '../trade/delivery-routes.tsx';
import { assemblyCasePanels } from '../services/versammlungsanzeige/staff-panels.tsx';

/**
 * The staff face: sign-in (password + TOTP), the department-scoped inbox, the case file and the
 * actions the process definition allows. Every route below /staff except sign-in needs a staff
 * session with both factors (deny by default).
 */
export async function registerBackoffice(app: FastifyInstance, deps: Runtime): Promise<void> {
  const { db, catalogue } = deps;
  const policy = { secure: deps.config.cookieSecure };
  const signInLimit = { max: deps.config.signInAttemptsPer15Min, timeWindow: 15 * 60_000 };
  const PUBLIC = new Set(['/staff/sign-in', '/staff/sign-in/code', '/staff/sign-out', '/staff/sign-in/directory', '/staff/sign-in/directory/callback']);
  const directory = deps.config.staffSso
    ? new StaffDirectory(deps.config.staffSso, { redirectUri: `${deps.config.publicUrl}/staff/sign-in/directory/callback`, allowHttp: deps.config.profile !== 'production' })
    : undefined;
  const directoryName = (lang: 'de' | 'en') => (directory ? { name: directory.config.name[lang] } : undefined);

  const identities = new WeakMap<FastifyRequest, StaffIdentity>();
  app.addHook('preHandler', async (req, reply) => {
    // Decide by the matched route, not the raw URL: the router decodes `/%73taff` to `/staff`.
    const path = req.routeOptions.url ?? req.url.split('?')[0]!;
    if (!path.startsWith('/staff')) return;
    if (PUBLIC.has(path)) return;
    const s = req.session;
    const identity = s?.kind === 'staff' && s.secondFactorDone && s.staffUserId ? await loadStaffIdentity(db, s.staffUserId) : undefined;
    if (!identity) return reply.redirect('/staff/sign-in', 303);
    identities.set(req, identity);
    req.staffLinks = staffLinks(identity, req.lang, catalogue.city.locations.map((l) => l.departmentId), idDocumentDepartments(catalogue));
  });
  const staff = (req: FastifyRequest): StaffIdentity => identities.get(req)!;
  const actorOf = (id: StaffIdentity): Actor => ({ type: 'staff', id: id.id, grants: id.grants });
  const deptNames = (id: StaffIdentity, lang: 'de' | 'en') =>
    [...new Set(id.grants.map((g) => g.departmentId))].map((d) => catalogue.city.departments.find((x) => x.id === d)?.name[lang] ?? d);

  /** Where a fresh sign-in lands: the inbox, or the administration for administrators without case work. */
  const landingFor = async (staffUserId: string, lang: 'de' | 'en'): Promise<string> => {
    const who = await loadStaffIdentity(db, staffUserId);
    if (!who || departmentsWith(who, 'case.read').length > 0) return '/staff';
    return staffLinks(who, lang).some((l) => l.href === '/staff/admin') ? '/staff/admin' : '/staff';
  };

  /* ---------- sign-in ---------- */

  app.get('/staff/sign-in', async (req, reply) =>
    sendPage(req, reply, catalogue, { area: 'staff', title: req.lang === 'de' ? 'Anmeldung' : 'Sign in', body: <SignInView lang={req.lang} csrfToken={reply.generateCsrf()} username="" errors={[]} directory={directoryName(req.lang)} /> }),
  );

  app.post('/staff/sign-in', { config: { rateLimit: signInLimit } }, async (req: FastifyRequest<{ Body: { username?: string; password?: string } }>, reply) => {
    const username = String(req.body?.username ?? '').slice(0, 100);
    try {
      const staffUserId = await checkPassword(db, username, String(req.body?.password ?? '').slice(0, 500));
      await rotateSession(req, reply, db, policy, { kind: 'staff', staffUserId, secondFactorDone: false });
      return reply.redirect('/staff/sign-in/code', 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return sendPage(req, reply, catalogue, {
        area: 'staff',
        title: req.lang === 'de' ? 'Anmeldung' : 'Sign in',
        status: err.status,
        hasErrors: true,
        body: (
          <SignInView
            lang={req.lang}
            csrfToken={reply.generateCsrf()}
            username={username}
            errors={err instanceof ValidationError ? err.fields : []}
            message={err instanceof ValidationError ? undefined : err.userMessage[req.lang]}
            directory={directoryName(req.lang)}
          />
        ),
      });
    }
  });

  app.get('/staff/sign-in/code', async (req, reply) => {
    if (req.session?.kind !== 'staff' || !req.session.staffUserId) return reply.redirect('/staff/sign-in', 303);
    return sendPage(req, reply, catalogue, { area: 'staff', title: req.lang === 'de' ? 'Zweiter Faktor' : 'Second factor', body: <TotpView lang={req.lang} csrfToken={reply.generateCsrf()} errors={[]} /> });
  });

  app.post('/staff/sign-in/code', { config: { rateLimit: signInLimit } }, async (req: FastifyRequest<{ Body: { code?: string } }>, reply) => {
    const s = req.session;
    if (s?.kind !== 'staff' || !s.staffUserId) return reply.redirect('/staff/sign-in', 303);
    try {
      await checkTotp(db, s.staffUserId, String(req.body?.code ?? '').slice(0, 20));
      await rotateSession(req, reply, db, policy, { kind: 'staff', staffUserId: s.staffUserId, secondFactorDone: true });
      return reply.redirect(await landingFor(s.staffUserId, req.lang), 303);
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof TooManyRequestsError)) throw err;
      return sendPage(req, reply, catalogue, {
        area: 'staff',
        title: req.lang === 'de' ? 'Zweiter Faktor' : 'Second factor',
        status: err.status,
        hasErrors: true,
        body: <TotpView lang={req.lang} csrfToken={reply.generateCsrf()} errors={err instanceof ValidationError ? err.fields : [{ field: 'code', message: err.userMessage }]} />,
      });
    }
  });

  /* ---------- single sign-on through the city's directory ---------- */

  app.post('/staff/sign-in/directory', { config: { rateLimit: signInLimit } }, async (req, reply) => {
    if (!directory) throw new NotFoundError();
    const { url, pending } = await directory.start();
    const session = await ensureVisitorSession(req, reply, db, policy);
    await updateSessionData(db, session.idHash, { ...session.data, staffSso: pending });
    return reply.redirect(url, 303);
  });

  app.get('/staff/sign-in/directory/callback', { config: { rateLimit: signInLimit } }, async (req, reply) => {
    if (!directory) throw new NotFoundError();
    const pending = req.session?.data.staffSso as PendingStaffSso | undefined;
    // Single use: the pending sign-in is gone whatever the answer.
    if (req.session && pending) {
      const { staffSso: _used, ...rest } = req.session.data;
      await updateSessionData(db, req.session.idHash, rest);
    }
    try {
      const person = await directory.finish(pending, new URL(req.url, deps.config.publicUrl));
      const grants = grantsFromGroups(person.groups, directory.config.groupPrefix, catalogue.city.departments.map((d) => d.id));
      const staffUserId = await syncDirectoryPerson(db, directory.config.id, person, grants);
      await rotateSession(req, reply, db, policy, { kind: 'staff', staffUserId, secondFactorDone: true });
      await appendAudit(db, { actorType: 'staff', actorId: staffUserId, action: 'staff.signed_in_directory', caseId: null, details: { provider: directory.config.id } });
      return reply.redirect(await landingFor(staffUserId, req.lang), 303);
    } catch (err) {
      if (!(err instanceof StaffSsoError)) throw err;
      await appendAudit(db, { actorType: 'system', actorId: null, action: 'staff.directory_sign_in_refused', caseId: null, details: { provider: directory.config.id, reason: err.reason } });
      return sendPage(req, reply, catalogue, {
        area: 'staff',
        title: req.lang === 'de' ? 'Anmeldung' : 'Sign in',
        status: err.reason === 'no-role' || err.reason === 'deactivated' || err.reason === 'second-factor' ? 403 : 400,
        hasErrors: true,
        body: <SignInView lang={req.lang} csrfToken={reply.generateCsrf()} username="" errors={[]} message={err.userMessage[req.lang]} directory={directoryName(req.lang)} />,
      });
    }
  });

  app.post('/staff/sign-out', async (req, reply) => {
    if (req.session) await destroySession(db, req.session.idHash);
    return reply.redirect('/staff/sign-in', 303);
  });

  // Every session of this person, on every device (a lost laptop, a shared computer).
  app.post('/staff/sign-out-everywhere', async (req, reply) => {
    const me = staff(req);
    const ended = await destroyAllSessions(db, { staffUserId: me.id });
    await appendAudit(db, { actorType: 'staff', actorId: me.id, action: 'staff.signed_out_everywhere', caseId: null, details: { sessions: ended } });
    return reply.redirect('/staff/sign-in', 303);
  });

  /* ---------- inbox ---------- */

  app.get('/staff', async (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply) => {
    const q = req.query;
    const id = staff(req);
    const filter: InboxFilter = {
      ...(q.state ? { state: q.state } : {}),
      ...(q.service ? { serviceId: q.service } : {}),
      ...(q.due === 'overdue' || q.due === 'today' || q.due === 'week' || q.due === 'escalated' ? { due: q.due } : {}),
      ...(q.sort === 'submitted' || q.sort === 'submitted_desc' ? { sort: q.sort } : {}),
      ...(q.assigned === 'me' || q.assigned === 'none' ? { assigned: q.assigned } : {}),
      page: Math.min(Math.max(Number.parseInt(q.page ?? '1', 10) || 1, 1), 10_000),
    };
    const page = await inbox(deps, actorOf(id), filter);
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: req.lang === 'de' ? 'Posteingang' : 'Inbox',
      body: (
        <InboxView
          lang={req.lang}
          catalogue={catalogue}
          inbox={page}
          filter={filter}
          staffName={id.displayName}
          departments={deptNames(id, req.lang)}
          csrfToken={reply.generateCsrf()}
          now={deps.now()}
        />
      ),
    });
  });

  /* ---------- case file ---------- */

  async function renderCase(req: FastifyRequest, reply: FastifyReply, caseId: string, feedback?: ActionFeedback, status = 200, documentFeedback?: DocumentFeedback, mailboxFeedback?: MailboxFeedback) {
    const id = staff(req);
    const actor = actorOf(id);
    const view = await openCaseForStaff(deps, actor, caseId);
    const actions = view.def.process.transitions.filter((t) => t.from.includes(view.row.state) && mayTake(t, actor, view.row.department_id));
    const supervises = hasPermission(id, 'case.assign', view.row.department_id);
    const assignment = supervises ? { workers: await caseWorkers(deps, view.row.department_id), canTake: true } : { canTake: hasPermission(id, 'case.work', view.row.department_id) };
    const documents = await caseDocuments(db, view.row.id);
    // Names of the staff who added documents, beside those of the timeline.
    const uploaderIds = documents.flatMap((d) => d.versions.map((v) => v.createdBy.id)).filter((x): x is string => x !== null && !(x in view.staffNames));
    const uploaders = uploaderIds.length > 0 ? await db.selectFrom('staff_users').select(['id', 'display_name']).where('id', 'in', [...new Set(uploaderIds)]).execute() : [];
    const staffNames = { ...view.staffNames, ...Object.fromEntries(uploaders.map((u) => [u.id, u.display_name])) };
    const issued = (await listIssuedDocuments(db, view.row.id)).map((d) => ({
      id: d.id,
      title: view.def.documents?.find((t) => t.id === d.templateId)?.title[req.lang] ?? d.templateId,
      issuedAt: d.issuedAt,
      documentRowId: documents.find((x) => x.documentId === d.documentId)?.latest.id,
    }));
    const csrf = reply.generateCsrf();
    const escalation = await currentEscalation(db, view.row.id);
    const canWork = hasPermission(id, 'case.work', view.row.department_id);
    const [messages, requests] = await Promise.all([caseMessages(db, view.row.id), caseRequests(db, view.row.id)]);
    // Seen now: the applicant's messages count as read from this opening on (this page still marks them).
    await markMessagesRead(db, view.row.id, 'from_applicant', deps.now());
    const templates = replyTemplates(view.def);
    const templateId = String((req.query as Record<string, unknown> | undefined)?.template ?? '');
    const template = templates.find((t) => t.id === templateId);
    const tz = catalogue.city.timeZone;
    // Independent reads of the case file's panels: asked for together, not one after another.
    const [payments, tradeDeliveries, assemblyPanels] = await Promise.all([
      staffPayments(deps, { id: id.id, grants: id.grants }, view.row.id),
      caseTradeDeliveries(db, view.row.id),
      assemblyCasePanels(deps, actor, view, req.lang),
    ]);
    const sections = [
      {
        id: 'postfach',
        label: req.lang === 'de' ? 'Postfach' : 'Mailbox',
        count: messages.length,
        content: (
          <StaffMailboxSection
            lang={req.lang}
            caseId={view.row.id}
            reference={view.row.reference}
            messages={messages}
            staffNames={staffNames}
            timeZone={tz}
            canWrite={canWork}
            templates={templates}
            draft={template ? fillTemplate(template, view.row.reference) : ''}
            selectedTemplate={template?.id ?? ''}
            csrfToken={csrf}
            feedback={mailboxFeedback?.field.startsWith('message-') ? mailboxFeedback : undefined}
          />
        ),
      },
      ...(payments.fee.cents > 0 || payments.payments.length > 0
        ? [{ id: 'gebuehren', label: req.lang === 'de' ? 'Gebühren' : 'Fees', content: <StaffPaymentsPanel lang={req.lang} data={payments} csrfToken={csrf} timeZone={tz} /> }]
        : []),
      ...(tradeDeliveries.length > 0
        ? [{ id: 'uebermittlungen', label: req.lang === 'de' ? 'Übermittlungen' : 'Deliveries', count: tradeDeliveries.length, content: <TradeDeliveriesPanel lang={req.lang} caseId={view.row.id} deliveries={tradeDeliveries} canRetry={canWork} csrfToken={csrf} timeZone={tz} /> }]
        : []),
      {
        id: 'nachforderung',
        label: req.lang === 'de' ? 'Nachforderung' : 'Request for information',
        content: (
          <StaffRequestSection
            lang={req.lang}
            caseId={view.row.id}
            requests={requests}
            fields={requestableFields(view.def, view.row.form_data as FormData, tz, deps.now())}
            allFields={allFields(view.def)}
            timeZone={tz}
            canWrite={canWork}
            csrfToken={csrf}
            feedback={mailboxFeedback?.field.startsWith('request-') ? mailboxFeedback : undefined}
          />
        ),
      },
    ];
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: `${view.row.reference} – ${view.def.title[req.lang]}`,
      status,
      hasErrors: Boolean(feedback?.errors?.length || feedback?.conflict || documentFeedback || mailboxFeedback),
      body: (
        <CaseView
          lang={req.lang}
          view={{ ...view, staffNames }}
          catalogue={catalogue}
          actions={actions}
          assignment={assignment}
          csrfToken={csrf}
          documents={documents}
          canUpload={hasPermission(id, 'case.work', view.row.department_id)}
          documentFeedback={documentFeedback}
          issued={issued}
          sections={sections}
          panels={
            <>
              {view.row.erased_at ? (
                <p class="kern-body" data-testid="erased">
                  {req.lang === 'de' ? 'Die personenbezogenen Daten und Dokumente dieser Akte wurden nach Ablauf der Aufbewahrungsfrist gelöscht.' : "This file's personal data and documents were erased when its retention period ended."}
                </p>
              ) : null}
              <EscalationPanel lang={req.lang} timeZone={catalogue.city.timeZone} escalation={escalation} />
              {assemblyPanels}
              <LegalHoldPanel
                lang={req.lang}
                caseId={view.row.id}
                hold={view.row.legal_hold_at ? { at: view.row.legal_hold_at, reason: view.row.legal_hold_reason ?? '' } : null}
                csrfToken={csrf}
                canManage={hasPermission(id, LEGAL_HOLD_PERMISSION, view.row.department_id)}
                timeZone={catalogue.city.timeZone}
              />
              {hasPermission(id, 'case.archive', view.row.department_id) && view.def.process.states.find((s) => s.id === view.row.state)?.final && !view.row.erased_at ? (
                <ArchiveExportForm lang={req.lang} caseId={view.row.id} csrfToken={csrf} />
              ) : null}
            </>
          }
          {...(feedback ? { feedback } : {})}
        />
      ),
    });
  }

  app.get('/staff/cases/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const flash = await takeFlash(db, req.session);
    return renderCase(req, reply, req.params.id, flash ? { done: flash[req.lang] } : undefined);
  });

  app.post('/staff/cases/:id/transitions/:transition', async (req: FastifyRequest<{ Params: { id: string; transition: string }; Body: Record<string, unknown> }>, reply) => {
    const body = req.body ?? {};
    const transitionId = req.params.transition;
    const input: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (k.startsWith(`${transitionId}-`) && typeof v === 'string') input[k.slice(transitionId.length + 1)] = v.slice(0, 10_000);
    }
    const version = Number.parseInt(String(body.version ?? ''), 10);
    if (!Number.isInteger(version)) {
      throw new ConflictError({ de: 'Die Version des Vorgangs fehlt. Bitte laden Sie den Vorgang neu.', en: 'The case version is missing. Please reload the case.' });
    }
    try {
      const result = await transitionCase(deps, { caseId: req.params.id, transitionId, expectedVersion: version, actor: actorOf(staff(req)), input });
      app.metrics.businessEvents.inc({ event: `transition.${transitionId}`, service: 'staff' });
      const def = catalogue.get((await db.selectFrom('cases').select('service_id').where('id', '=', result.caseId).executeTakeFirstOrThrow()).service_id);
      const label = def?.process.states.find((s) => s.id === result.state)?.publicLabel;
      // Post/redirect/get: a reload shows the case again instead of sending the action twice.
      await setFlash(db, req.session!, { de: `Erledigt. Neuer Stand: ${label?.de ?? result.state}.`, en: `Done. New state: ${label?.en ?? result.state}.` });
      return reply.redirect(`/staff/cases/${result.caseId}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderCase(req, reply, req.params.id, { transitionId, errors: err.fields, values: input }, 422);
      if (err instanceof ConflictError) return renderCase(req, reply, req.params.id, { conflict: err.userMessage[req.lang] }, 409);
      throw err;
    }
  });

  app.post('/staff/cases/:id/assignment', async (req: FastifyRequest<{ Params: { id: string }; Body: { assignee?: string; version?: string } }>, reply) => {
    const me = staff(req);
    const raw = String(req.body?.assignee ?? '').trim();
    const assigneeId = raw === 'me' ? me.id : raw === '' ? null : raw;
    const version = Number.parseInt(String(req.body?.version ?? ''), 10);
    if (!Number.isInteger(version)) {
      throw new ConflictError({ de: 'Die Version des Vorgangs fehlt. Bitte laden Sie den Vorgang neu.', en: 'The case version is missing. Please reload the case.' });
    }
    if (assigneeId !== null && !/^[0-9a-f-]{36}$/.test(assigneeId)) {
      return renderCase(req, reply, req.params.id, { transitionId: 'assignment', errors: [{ field: 'assignee', message: { de: 'Bitte wählen Sie eine Person aus der Liste.', en: 'Choose a person from the list.' } }] }, 422);
    }
    try {
      await assignCase(deps, { caseId: req.params.id, assigneeId, expectedVersion: version, actor: actorOf(me) });
      await setFlash(db, req.session!, assigneeId === null ? { de: 'Zuweisung aufgehoben.', en: 'Assignment removed.' } : { de: 'Zuweisung gespeichert.', en: 'Assignment saved.' });
      return reply.redirect(`/staff/cases/${req.params.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderCase(req, reply, req.params.id, { transitionId: 'assignment', errors: err.fields }, 422);
      if (err instanceof ConflictError || err instanceof ForbiddenError) return renderCase(req, reply, req.params.id, { conflict: err.userMessage[req.lang] }, err.status);
      throw err;
    }
  });

  app.post('/staff/cases/:id/notes', async (req: FastifyRequest<{ Params: { id: string }; Body: { note?: string } }>, reply) => {
    const note = String(req.body?.note ?? '');
    try {
      await addNote(deps, actorOf(staff(req)), req.params.id, note);
      await setFlash(db, req.session!, { de: 'Notiz gespeichert.', en: 'Note saved.' });
      return reply.redirect(`/staff/cases/${req.params.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderCase(req, reply, req.params.id, { transitionId: 'note', errors: err.fields, values: { note } }, 422);
      throw err;
    }
  });

  registerStaffAdmin(app, deps, staff);
  /* ---------- Postfach and Nachforderung ---------- */

  const mailboxProblem = (err: ValidationError, lang: 'de' | 'en', values: MailboxFeedback['values']): MailboxFeedback => ({ field: err.fields[0]!.field, message: err.fields[0]!.message[lang], ...(values ? { values } : {}) });

  app.post('/staff/cases/:id/messages', { config: { uploadLimit: (_req, field) => (field === 'message-file' ? ATTACHMENT_LIMIT : undefined) } }, async (req: FastifyRequest<{ Params: { id: string }; Body: Record<string, unknown> }>, reply) => {
    const body = typeof req.body?.['message-body'] === 'string' ? req.body['message-body'].slice(0, 20_000) : '';
    try {
      await sendStaffMessage(deps, actorOf(staff(req)), req.params.id, { body, attachment: req.body?.['message-file'] });
      await setFlash(db, req.session!, { de: 'Nachricht gesendet.', en: 'Message sent.' });
      return reply.redirect(`/staff/cases/${req.params.id}#postfach`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderCase(req, reply, req.params.id, undefined, 422, undefined, mailboxProblem(err, req.lang, { 'message-body': body }));
      throw err;
    }
  });

  app.post('/staff/cases/:id/request', async (req: FastifyRequest<{ Params: { id: string }; Body: Record<string, unknown> }>, reply) => {
    const b = req.body ?? {};
    const text = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).slice(0, 10_000) : '');
    const fieldIds = (Array.isArray(b['request-fields']) ? b['request-fields'] : b['request-fields'] === undefined ? [] : [b['request-fields']]).filter((v): v is string => typeof v === 'string').slice(0, 200);
    const values = { 'request-fields': fieldIds, 'request-documents': text('request-documents'), 'request-note': text('request-note'), 'request-due': text('request-due') };
    try {
      await requestInformation(deps, actorOf(staff(req)), req.params.id, { fieldIds, documents: values['request-documents'], note: values['request-note'], dueDate: values['request-due'] });
      await setFlash(db, req.session!, { de: 'Nachforderung gesendet. Der Vorgang wartet jetzt auf die Antragstellenden.', en: 'Request sent. The case now waits for the applicant.' });
      return reply.redirect(`/staff/cases/${req.params.id}#nachforderung`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderCase(req, reply, req.params.id, undefined, 422, undefined, mailboxProblem(err, req.lang, values));
      if (err instanceof ConflictError) return renderCase(req, reply, req.params.id, { conflict: err.userMessage[req.lang] }, 409);
      throw err;
    }
  });

  app.post('/staff/cases/:id/request/cancel', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    try {
      await cancelRequest(deps, actorOf(staff(req)), req.params.id);
      await setFlash(db, req.session!, { de: 'Nachforderung zurückgezogen.', en: 'Request withdrawn.' });
      return reply.redirect(`/staff/cases/${req.params.id}#nachforderung`, 303);
    } catch (err) {
      if (err instanceof ConflictError) return renderCase(req, reply, req.params.id, { conflict: err.userMessage[req.lang] }, 409);
      throw err;
    }
  });

  /* ---------- search ---------- */

  const renderSearch = (req: FastifyRequest, reply: FastifyReply, query: string, hits: CaseSearchHit[] | undefined, error?: string) =>
    sendPage(req, reply, catalogue, {
      area: 'staff',
      title: req.lang === 'de' ? 'Akten durchsuchen' : 'Search case files',
      status: error ? 422 : 200,
      hasErrors: Boolean(error),
      body: <SearchView lang={req.lang} csrfToken={reply.generateCsrf()} query={query} hits={hits} catalogue={catalogue} error={error} />,
    });

  app.get('/staff/search', async (req, reply) => renderSearch(req, reply, '', undefined));

  app.post('/staff/search', async (req: FastifyRequest<{ Body: { q?: string } }>, reply) => {
    const query = String(req.body?.q ?? '').slice(0, 200);
    if (query.trim() === '') return renderSearch(req, reply, query, undefined, req.lang === 'de' ? 'Bitte geben Sie einen Suchbegriff ein.' : 'Enter a search term.');
    const hits = await searchCases(db, { departmentIds: departmentsWith(staff(req), 'case.read'), query, limit: 50 });
    return renderSearch(req, reply, query, hits);
  });

  /* ---------- documents of the case file ---------- */

  const staffUploadLimit = { uploadLimit: (_req: FastifyRequest, field: string) => (field === 'document-file' || field.startsWith('version-') ? STAFF_UPLOAD_LIMIT : undefined) };
  const documentProblem = (err: ValidationError, lang: 'de' | 'en', title?: string): DocumentFeedback => ({ field: err.fields[0]?.field ?? 'document-file', message: err.fields[0]?.message[lang] ?? '', ...(title !== undefined ? { title } : {}) });

  app.get('/staff/cases/:id/documents/:documentId', async (req: FastifyRequest<{ Params: { id: string; documentId: string } }>, reply) => {
    const { document, bytes } = await downloadCaseDocument(deps, actorOf(staff(req)), req.params.id, req.params.documentId);
    return sendAttachment(reply, { fileName: document.fileName, contentType: document.contentType, bytes });
  });

  app.post('/staff/cases/:id/documents', { config: staffUploadLimit }, async (req: FastifyRequest<{ Params: { id: string }; Body: Record<string, unknown> }>, reply) => {
    const title = typeof req.body?.['document-title'] === 'string' ? req.body['document-title'].slice(0, 1000) : '';
    const file = req.body?.['document-file'];
    try {
      await addCaseDocument(deps, actorOf(staff(req)), req.params.id, { file: file instanceof UploadedFile ? file : undefined, title });
      await setFlash(db, req.session!, { de: 'Das Dokument ist in der Akte.', en: 'The document is in the case file.' });
      return reply.redirect(`/staff/cases/${req.params.id}#documents`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderCase(req, reply, req.params.id, undefined, 422, documentProblem(err, req.lang, title));
      throw err;
    }
  });

  app.post('/staff/cases/:id/documents/:documentId/versions', { config: staffUploadLimit }, async (req: FastifyRequest<{ Params: { id: string; documentId: string }; Body: Record<string, unknown> }>, reply) => {
    const file = req.body?.[`version-${req.params.documentId}`];
    try {
      const stored = await addDocumentVersion(deps, actorOf(staff(req)), req.params.id, req.params.documentId, file instanceof UploadedFile ? file : undefined);
      await setFlash(db, req.session!, { de: `Version ${stored.version} ist gespeichert; die früheren bleiben erhalten.`, en: `Version ${stored.version} is saved; the earlier ones are kept.` });
      return reply.redirect(`/staff/cases/${req.params.id}#documents`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderCase(req, reply, req.params.id, undefined, 422, documentProblem(err, req.lang));
      throw err;
    }
  });

  registerArchiveRoutes(app, deps, staff);
  registerRetentionRoutes(app, deps, staff);
  registerStaffAppointmentRoutes(app, deps, staff);
  registerIdDocumentArrivalRoutes(app, deps, staff);
  registerStaffPaymentRoutes(app, deps, staff);
  registerTradeRoutes(app, deps, staff);
  registerJobsAdminRoutes(app, deps, staff);
}
