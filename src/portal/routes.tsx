import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { deleteDraft, loadDraft, saveDraftPage } from '../cases/drafts.ts';
import { lookupStatus, toStatus } from '../cases/queries.ts';
import { earlierSubmission, submitCase } from '../cases/submit-case.ts';
import { transitionCase } from '../cases/transition-case.ts';
import { answerRequest, openRequest, REQUEST_DOCUMENT_LIMIT, requestPage } from '../cases/information-requests.ts';
import { ATTACHMENT_LIMIT, caseMessages, markMessagesRead, sendApplicantMessage } from '../cases/mailbox.ts';
import { isVisible, pickPageValues, validateAll, validatePage, visiblePages } from '../catalogue/form-validation.ts';
import { acceptFormUploads, addLaterDocument, LATER_UPLOAD_FIELD, LATER_UPLOAD_LIMIT, uploadIds } from '../efile/form-uploads.ts';
import { applicantDocument, applicantDocuments, attachDraftUploads, purgeUnusedUploads } from '../efile/case-documents.ts';
import { readDocument } from '../efile/documents.ts';
import { sendAttachment } from '../platform/http/attachment.ts';
import { allFields, type Field, type FieldError, type FormData, type FormValue, type RuleContext, type ServiceDefinition } from '../catalogue/service-definition.ts';

const isEmptyValue = (v: FormValue | undefined) => v === undefined || (Array.isArray(v) ? v.length === 0 : v.trim() === '');
import { ensureVisitorSession } from '../identity/web-session.ts';
import { confirmedFormValues, confirmedOn } from '../identity/prefill.ts';
import { setFlash, takeFlash, updateSessionData } from '../identity/sessions.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { LANG_COOKIE, safeLocalPath } from '../platform/http/lang.ts';
import type { Runtime } from '../runtime.ts';
import { HomeView, SearchResultsView, ServiceStartView } from './pages/catalogue-pages.tsx';
import { CheckAnswersView, ConfirmationView, FormPageView, RequiredDocumentsList } from './pages/form-pages.tsx';
import { ConfirmActionView, StatusLookupView, StatusView } from './pages/status-pages.tsx';
import { ApplicantMailbox, RequestAnswerView, WaitingForYou } from './pages/mailbox-pages.tsx';
import { sendPage } from './shell.tsx';
import { foundingChecklist } from '../founding/checklist.ts';
import { FoundingChecklistPanel } from '../founding/founding-pages.tsx';
import { FOUNDING_SERVICE_ID } from '../services/unternehmensgruendung/definition.ts';
import { provenCaseOf } from './proven-case.ts';
import { PaymentPanel } from '../payments/payment-panels.tsx';
import { paymentProviderFor } from '../payments/payment-routes.tsx';
import { paymentOverview } from '../payments/payments.ts';
import { appointmentPanelProps } from '../appointments/appointment-routes.tsx';
import { AppointmentPanel } from '../appointments/appointment-pages.tsx';

/**
 * The citizens' face: catalogue, the multi-page form (no JavaScript needed), check your answers,
 * submission, confirmation and the status page. Handlers parse, call one domain function, render.
 */
export async function registerPortal(app: FastifyInstance, deps: Runtime): Promise<void> {
  const { catalogue, db } = deps;
  const policy = { secure: deps.config.cookieSecure };
  const ctx = (): RuleContext => ({ now: deps.now(), timeZone: catalogue.city.timeZone });
  const serviceOr404 = (id: string): ServiceDefinition => {
    const def = catalogue.get(id);
    if (!def) throw new NotFoundError({ de: 'Diese Leistung gibt es nicht.', en: 'This service does not exist.' });
    return def;
  };
  const departmentName = (id: string, lang: 'de' | 'en') => catalogue.city.departments.find((d) => d.id === id)?.name[lang] ?? id;
  const statusLimit = { max: deps.config.statusLookupsPerMinute, timeWindow: 60_000 };
  /** The pages' checks against stored data (`FormPage.check`), for the pages given (default: every visible page). */
  const storedDataErrors = async (def: ServiceDefinition, data: FormData, c: RuleContext, pages = visiblePages(def, data, c)): Promise<FieldError[]> =>
    (await Promise.all(pages.map((p) => (p.check ? p.check(data, { ...c, db }) : [])))).flat();

  app.get('/lang', async (req: FastifyRequest<{ Querystring: { to?: string; back?: string } }>, reply) => {
    const to = req.query.to === 'en' ? 'en' : 'de';
    reply.setCookie(LANG_COOKIE, to, { path: '/', sameSite: 'lax', httpOnly: true, secure: policy.secure, maxAge: 365 * 24 * 3600 });
    return reply.redirect(safeLocalPath(req.query.back), 303);
  });

  app.get('/', async (req, reply) =>
    sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Digitales Bürgeramt' : 'Digital citizen office',
      body: <HomeView lang={req.lang} services={catalogue.search('', req.lang)} cityName={catalogue.city.name[req.lang]} />,
    }),
  );

  app.get('/services', async (req: FastifyRequest<{ Querystring: { q?: string } }>, reply) => {
    const query = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Leistungen' : 'Services',
      body: <SearchResultsView lang={req.lang} query={query} services={catalogue.search(query, req.lang)} />,
    });
  });

  app.get('/services/:id', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const def = serviceOr404(req.params.id);
    return sendPage(req, reply, catalogue, { title: def.title[req.lang], body: <ServiceStartView lang={req.lang} def={def} departmentName={departmentName(def.receivingDepartment, req.lang)} /> });
  });

  /* ---------- the form, one page at a time ---------- */

  async function renderFormPage(req: FastifyRequest, reply: FastifyReply, def: ServiceDefinition, pageId: string, typed: FormData, errors: readonly FieldError[], returnToCheck: boolean, revealed: readonly Field[] = []) {
    // Once-only: what the verified identity confirms is shown as such, never as an editable field.
    const confirmed = await confirmedFormValues(db, req.session, def);
    const data = { ...typed, ...confirmed };
    const c = ctx();
    const pages = visiblePages(def, data, c);
    const index = pages.findIndex((p) => p.id === pageId);
    const page = pages[index] ?? def.pages.find((p) => p.id === pageId);
    if (!page) throw new NotFoundError();
    const back = returnToCheck ? `/services/${def.id}/check` : index > 0 ? `/services/${def.id}/form/${pages[index - 1]!.id}` : `/services/${def.id}`;
    return sendPage(req, reply, catalogue, {
      title: `${page.title[req.lang]} – ${def.title[req.lang]}`,
      status: errors.length > 0 ? 422 : 200,
      hasErrors: errors.length > 0,
      body: (
        <FormPageView
          def={def}
          page={page}
          pageNumber={Math.max(index, 0) + 1}
          pageCount={pages.length}
          data={data}
          errors={errors}
          ctx={c}
          lang={req.lang}
          csrfToken={reply.generateCsrf()}
          backHref={back}
          returnToCheck={returnToCheck}
          revealed={revealed}
          confirmed={confirmed}
        />
      ),
    });
  }

  app.get('/services/:id/form/:page', async (req: FastifyRequest<{ Params: { id: string; page: string }; Querystring: { return?: string } }>, reply) => {
    const def = serviceOr404(req.params.id);
    if (!def.pages.some((p) => p.id === req.params.page)) throw new NotFoundError();
    const session = await ensureVisitorSession(req, reply, db, policy);
    const draft = await loadDraft(db, session.idHash, def.id);
    return renderFormPage(req, reply, def, req.params.page, draft?.data ?? {}, [], req.query.return === 'check');
  });

  /** A file field of the posted page may take up to its own limit; every other part takes none. */
  const formUploadLimit = (req: FastifyRequest, fieldName: string): number | undefined => {
    const params = req.params as { id?: string; page?: string };
    const field = catalogue.get(params.id ?? '')?.pages.find((p) => p.id === params.page)?.fields.find((f) => f.id === fieldName);
    return field?.type === 'file' ? field.maxBytes : undefined;
  };

  app.post('/services/:id/form/:page', { config: { uploadLimit: formUploadLimit } }, async (req: FastifyRequest<{ Params: { id: string; page: string }; Body: Record<string, unknown> }>, reply) => {
    const def = serviceOr404(req.params.id);
    const page = def.pages.find((p) => p.id === req.params.page);
    if (!page) throw new NotFoundError();
    const body = req.body ?? {};
    const returnToCheck = body._return === 'check';
    const session = await ensureVisitorSession(req, reply, db, policy);
    const existing = await loadDraft(db, session.idHash, def.id);
    const previous = existing?.data ?? {};
    // Confirmed fields are taken from the verified identity, whatever the post says.
    const input: FormData = { ...pickPageValues(page, body), ...confirmedOn(page, await confirmedFormValues(db, session, def)) };
    const c = ctx();
    // Files are checked and stored first (as uploads of this draft), so that a mistake in another
    // field does not make the person upload them again.
    const uploadErrors: FieldError[] = [];
    if (page.fields.some((f) => f.type === 'file')) {
      const draftId = existing?.id ?? (await saveDraftPage(db, session.idHash, def.id, [], {}, session.citizenId ?? undefined)).id;
      const uploads = await acceptFormUploads(deps, { page, draftId, body, data: { ...previous, ...input }, ctx: c });
      Object.assign(input, uploads.values);
      uploadErrors.push(...uploads.errors);
      // Why, for the operators (never the file name): malware found, scanner down, wrong type.
      for (const r of uploads.rejections) req.log.info({ upload: { reason: r.reason, signature: r.detail?.signature, detectedType: r.detail?.detectedType }, err: r.detail?.cause }, 'upload refused');
    }
    const checked = validatePage(page, input, previous, c);
    const { values } = checked;
    // An upload's own reason is more useful than "please upload": it replaces the field's error.
    const errors = [...uploadErrors, ...checked.errors.filter((e) => !uploadErrors.some((u) => u.field === e.field))];
    if (errors.length === 0) errors.push(...(await storedDataErrors(def, { ...previous, ...values }, c, [page])));
    // Without JavaScript, an answer can reveal further fields of the same page only after it is sent.
    // Those fields are asked for (status 200, no error); everything else is checked as usual.
    const shown = typeof body._shown === 'string' ? new Set(body._shown.split(',')) : undefined;
    const revealed = shown ? page.fields.filter((f) => !shown.has(f.id) && isVisible(f, { ...previous, ...input }, c) && isEmptyValue(input[f.id])) : [];
    const remaining = errors.filter((e) => !revealed.some((f) => f.id === e.field));
    if (remaining.length > 0 || revealed.length > 0) {
      // Nothing is saved; the page comes back with every value as typed.
      return renderFormPage(req, reply, def, page.id, { ...previous, ...input }, remaining, returnToCheck, revealed);
    }
    const draft = await saveDraftPage(db, session.idHash, def.id, page.fields.map((f) => f.id), values, session.citizenId ?? undefined);
    // Files replaced by another (or dropped with a field that is no longer shown) go now.
    if (page.fields.some((f) => f.type === 'file')) await purgeUnusedUploads(db, deps.blobs, { draftId: draft.id, keep: uploadIds(allFields(def), draft.data) });
    const pages = visiblePages(def, draft.data, c);
    const index = pages.findIndex((p) => p.id === page.id);
    const next = pages[index + 1];
    // After a change from the summary, go back there unless a newly shown page still needs answers.
    const firstIncomplete = validateAll(def, draft.data, c).firstInvalidPage;
    if (returnToCheck && !firstIncomplete) return reply.redirect(`/services/${def.id}/check`, 303);
    if (returnToCheck && firstIncomplete) return reply.redirect(`/services/${def.id}/form/${firstIncomplete}?return=check`, 303);
    return reply.redirect(next ? `/services/${def.id}/form/${next.id}` : `/services/${def.id}/check`, 303);
  });

  function pageOfField(def: ServiceDefinition, field: string): string {
    return def.pages.find((p) => p.fields.some((f) => f.id === field))?.id ?? def.pages[0]!.id;
  }

  async function renderCheck(req: FastifyRequest, reply: FastifyReply, def: ServiceDefinition, status?: number) {
    const session = await ensureVisitorSession(req, reply, db, policy);
    const draft = await loadDraft(db, session.idHash, def.id);
    if (!draft) return reply.redirect(`/services/${def.id}/form/${def.pages[0]!.id}`, 303);
    const c = ctx();
    // What will be sent: confirmed identity data wins over anything typed before the proof.
    const confirmed = await confirmedFormValues(db, session, def);
    const data = { ...draft.data, ...confirmed };
    const { errors } = validateAll(def, data, c);
    if (errors.length === 0) errors.push(...(await storedDataErrors(def, data, c)));
    return sendPage(req, reply, catalogue, {
      title: `${req.lang === 'de' ? 'Angaben prüfen' : 'Check your answers'} – ${def.title[req.lang]}`,
      status: status ?? (errors.length > 0 ? 422 : 200),
      hasErrors: errors.length > 0,
      body: (
        <CheckAnswersView
          def={def}
          data={data}
          ctx={c}
          lang={req.lang}
          csrfToken={reply.generateCsrf()}
          formToken={draft.formToken}
          errors={errors}
          errorPageOf={(f) => pageOfField(def, f)}
          confirmed={confirmed}
        />
      ),
    });
  }

  app.get('/services/:id/check', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => renderCheck(req, reply, serviceOr404(req.params.id)));

  app.post('/services/:id/submit', async (req: FastifyRequest<{ Params: { id: string }; Body: { formToken?: string } }>, reply) => {
    const def = serviceOr404(req.params.id);
    const formToken = String(req.body?.formToken ?? '');
    const session = await ensureVisitorSession(req, reply, db, policy);
    const remember = async (result: { caseId: string; reference: string; accessCode: string }) => {
      const proven = Array.isArray(session.data.provenCases) ? (session.data.provenCases as string[]) : [];
      await updateSessionData(db, session.idHash, {
        ...session.data,
        lastSubmission: { serviceId: def.id, reference: result.reference, accessCode: result.accessCode, caseId: result.caseId },
        provenCases: [...new Set([...proven, result.caseId])].slice(-20),
      });
    };
    // The key is bound to this visitor's session: a form token seen elsewhere replays nothing.
    const idempotencyKey = `${session.idHash.slice(0, 32)}:${formToken}`;
    // A double click or a reload after sending: the same case, never a second one.
    if (/^[0-9a-f-]{36}$/.test(formToken)) {
      const earlier = await earlierSubmission(deps, 'form', idempotencyKey);
      if (earlier) {
        // Sent before, but interrupted before its uploads moved and its draft went: finish that now.
        const unfinished = await loadDraft(db, session.idHash, def.id);
        if (unfinished && unfinished.formToken === formToken) {
          await attachDraftUploads(db, unfinished.id, earlier.caseId, uploadIds(allFields(def), unfinished.data));
          await deleteDraft(db, unfinished.id);
        }
        await remember(earlier);
        return reply.redirect(`/services/${def.id}/confirmation`, 303);
      }
    }
    const draft = await loadDraft(db, session.idHash, def.id);
    if (!draft || draft.formToken !== formToken) {
      throw new ConflictError({
        de: 'Dieses Formular ist nicht mehr aktuell. Bitte öffnen Sie die Übersicht erneut und senden Sie von dort ab.',
        en: 'This form is out of date. Please open the summary again and send it from there.',
      });
    }
    try {
      const data = { ...draft.data, ...(await confirmedFormValues(db, session, def)) };
      // What only stored data can tell (a code used up meanwhile) is checked once more; the summary shows why.
      if ((await storedDataErrors(def, data, ctx())).length > 0) return renderCheck(req, reply, def, 422);
      // Sent while signed in: the case belongs to the account ("Meine Anliegen").
      const result = await submitCase(deps, { serviceId: def.id, data, idempotencyScope: 'form', idempotencyKey, citizenId: session.citizenId ?? undefined });
      app.metrics.businessEvents.inc({ event: 'submitted', service: def.id });
      // The uploads named in the form move to the case before the draft goes.
      await attachDraftUploads(db, draft.id, result.caseId, uploadIds(allFields(def), draft.data));
      await remember(result);
      await deleteDraft(db, draft.id);
      return reply.redirect(`/services/${def.id}/confirmation`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderCheck(req, reply, def, 422);
      throw err;
    }
  });

  app.get('/services/:id/confirmation', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const def = serviceOr404(req.params.id);
    const session = req.session;
    const last = session?.data.lastSubmission as { serviceId: string; reference: string; accessCode?: string; caseId?: string } | undefined;
    if (!session || !last || last.serviceId !== def.id) return reply.redirect('/status', 303);
    // The access code is shown once; the session keeps only the proof of the case (see ADR 0004).
    if (last.accessCode) await updateSessionData(db, session.idHash, { ...session.data, lastSubmission: { serviceId: last.serviceId, reference: last.reference, caseId: last.caseId } });
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Eingegangen' : 'Received',
      body: <ConfirmationView def={def} reference={last.reference} accessCode={last.accessCode} caseId={last.caseId} lang={req.lang} receiptMailed={def.applicantEmailField !== undefined} />,
    });
  });

  /* ---------- status ---------- */

  app.get('/status', async (req, reply) =>
    sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Stand abfragen' : 'Check status',
      body: <StatusLookupView lang={req.lang} csrfToken={reply.generateCsrf()} reference="" accessCode="" errors={[]} />,
    }),
  );

  app.post('/status', { config: { rateLimit: statusLimit } }, async (req: FastifyRequest<{ Body: { reference?: string; accessCode?: string } }>, reply) => {
    const reference = String(req.body?.reference ?? '').slice(0, 40);
    const accessCode = String(req.body?.accessCode ?? '').slice(0, 40);
    try {
      const status = await lookupStatus(deps, reference, accessCode);
      const session = await ensureVisitorSession(req, reply, db, policy);
      const proven = Array.isArray(session.data.provenCases) ? (session.data.provenCases as string[]) : [];
      await updateSessionData(db, session.idHash, { ...session.data, provenCases: [...new Set([...proven, status.caseId])].slice(-20) });
      return reply.redirect(`/status/${status.caseId}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof NotFoundError)) throw err;
      return sendPage(req, reply, catalogue, {
        title: req.lang === 'de' ? 'Stand abfragen' : 'Check status',
        status: err instanceof ValidationError ? 422 : 404,
        hasErrors: true,
        body: (
          <StatusLookupView
            lang={req.lang}
            csrfToken={reply.generateCsrf()}
            reference={reference}
            accessCode={accessCode}
            errors={err instanceof ValidationError ? err.fields : []}
            notFound={err instanceof NotFoundError ? err.userMessage[req.lang] : undefined}
          />
        ),
      });
    }
  });

  const provenCaseId = (req: FastifyRequest, caseId: string): Promise<string> => provenCaseOf(deps, req, caseId);

  async function renderStatus(req: FastifyRequest, reply: FastifyReply, caseId: string, message?: { kind: 'success' | 'danger'; text: string }, status = 200, laterError?: string, replyError?: { field: string; message: string; typed: string }) {
    const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    const def = row && catalogue.get(row.service_id);
    if (!row || !def) throw new NotFoundError();
    const open = !def.process.states.find((st) => st.id === row.state)?.final && !row.erased_at;
    // The page's parts are independent reads: asked for together, not one after another.
    const [events, messages, request, appointment, documents, payment, founding] = await Promise.all([
      db.selectFrom('case_events').selectAll().where('case_id', '=', row.id).orderBy('id').execute(),
      caseMessages(db, row.id),
      openRequest(db, row.id),
      appointmentPanelProps(deps, row.id, row.service_id),
      applicantDocuments(db, row.id),
      paymentOverview({ db, catalogue, provider: paymentProviderFor(app, deps) }, row.id),
      row.service_id === FOUNDING_SERVICE_ID ? foundingChecklist(db, row) : undefined,
    ]);
    const unread = messages.filter((m) => m.direction === 'to_applicant' && m.readAt === null).length;
    // Seen now (this page still shows them as new).
    if (unread > 0) await markMessagesRead(db, row.id, 'to_applicant', deps.now());
    const tz = catalogue.city.timeZone;
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Stand Ihres Anliegens' : 'Status of your case',
      status,
      hasErrors: message?.kind === 'danger',
      body: (
        <StatusView
          lang={req.lang}
          status={toStatus(row, events, def)}
          timeZone={tz}
          csrfToken={reply.generateCsrf()}
          message={message}
          documents={documents}
          laterUpload={open ? { error: laterError } : undefined}
          top={request ? <WaitingForYou lang={req.lang} caseId={row.id} request={request} timeZone={tz} /> : null}
          panels={
            <>
              {founding ? <FoundingChecklistPanel checklist={founding} lang={req.lang} /> : null}
              {open && def.requiredDocuments ? <RequiredDocumentsList documents={def.requiredDocuments(row.form_data as FormData, { now: row.submitted_at, timeZone: tz })} lang={req.lang} /> : null}
              {appointment ? <AppointmentPanel lang={req.lang} {...appointment} /> : null}
              <PaymentPanel lang={req.lang} caseId={row.id} overview={payment} csrfToken={reply.generateCsrf()} timeZone={tz} />
              <ApplicantMailbox lang={req.lang} caseId={row.id} messages={messages} unread={unread} timeZone={tz} csrfToken={reply.generateCsrf()} open={open} error={replyError} typed={replyError?.typed} />
            </>
          }
        />
      ),
    });
  }

  app.post('/status/:caseId/messages', { config: { rateLimit: statusLimit, uploadLimit: (_req, field) => (field === 'reply-file' ? ATTACHMENT_LIMIT : undefined) } }, async (req: FastifyRequest<{ Params: { caseId: string }; Body: Record<string, unknown> }>, reply) => {
    const caseId = await provenCaseId(req, req.params.caseId);
    const body = typeof req.body?.['reply-body'] === 'string' ? req.body['reply-body'].slice(0, 20_000) : '';
    try {
      await sendApplicantMessage(deps, caseId, { body, attachment: req.body?.['reply-file'] });
      await setFlash(db, req.session!, { de: 'Ihre Nachricht ist beim Amt.', en: 'Your message has reached the office.' });
      return reply.redirect(`/status/${caseId}#postfach`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const problem = err.fields[0]!;
      return renderStatus(req, reply, caseId, { kind: 'danger', text: problem.message[req.lang] }, 422, undefined, { field: problem.field, message: problem.message[req.lang], typed: body });
    }
  });

  async function renderRequest(req: FastifyRequest, reply: FastifyReply, caseId: string, typed?: FormData, errors: readonly FieldError[] = []) {
    const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    const def = catalogue.get(row.service_id);
    const request = await openRequest(db, caseId);
    if (!def || !request) return reply.redirect(`/status/${caseId}`, 303);
    const events = await db.selectFrom('case_events').selectAll().where('case_id', '=', row.id).orderBy('id').execute();
    return sendPage(req, reply, catalogue, {
      title: req.lang === 'de' ? 'Angaben ergänzen' : 'Add information',
      status: errors.length > 0 ? 422 : 200,
      hasErrors: errors.length > 0,
      body: (
        <RequestAnswerView
          lang={req.lang}
          status={toStatus(row, events, def)}
          request={request}
          page={requestPage(def, request)}
          data={{ ...(row.form_data as FormData), ...(typed ?? {}) }}
          errors={errors}
          ctx={ctx()}
          csrfToken={reply.generateCsrf()}
          timeZone={catalogue.city.timeZone}
        />
      ),
    });
  }

  app.get('/status/:caseId/request', async (req: FastifyRequest<{ Params: { caseId: string } }>, reply) => renderRequest(req, reply, await provenCaseId(req, req.params.caseId)));

  app.post(
    '/status/:caseId/request',
    { config: { rateLimit: statusLimit, uploadLimit: (_req, field) => (field.startsWith('request-doc') ? REQUEST_DOCUMENT_LIMIT : undefined) } },
    async (req: FastifyRequest<{ Params: { caseId: string }; Body: Record<string, unknown> }>, reply) => {
      const caseId = await provenCaseId(req, req.params.caseId);
      try {
        await answerRequest(deps, caseId, req.body ?? {});
        await setFlash(db, req.session!, { de: 'Danke, Ihre Ergänzung ist beim Amt.', en: 'Thank you, your answer has reached the office.' });
        return reply.redirect(`/status/${caseId}`, 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const typed: FormData = {};
        for (const [k, v] of Object.entries(req.body ?? {})) if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) typed[k] = v as string | string[];
        return renderRequest(req, reply, caseId, typed, err.fields);
      }
    },
  );

  app.post('/status/:caseId/documents', { config: { rateLimit: statusLimit, uploadLimit: (_req, field) => (field === LATER_UPLOAD_FIELD ? LATER_UPLOAD_LIMIT : undefined) } }, async (req: FastifyRequest<{ Params: { caseId: string }; Body: Record<string, unknown> }>, reply) => {
    const caseId = await provenCaseId(req, req.params.caseId);
    const row = await db.selectFrom('cases').select(['state', 'service_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
    if (catalogue.get(row.service_id)?.process.states.find((st) => st.id === row.state)?.final) {
      return renderStatus(req, reply, caseId, { kind: 'danger', text: req.lang === 'de' ? 'Dieses Anliegen ist abgeschlossen; Unterlagen können nicht mehr nachgereicht werden.' : 'This case is closed; documents can no longer be handed in.' }, 409);
    }
    try {
      await addLaterDocument(deps, caseId, req.body?.[LATER_UPLOAD_FIELD]);
      await setFlash(db, req.session!, { de: 'Die Datei ist in Ihrer Akte.', en: 'The file is in your case file.' });
      return reply.redirect(`/status/${caseId}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return renderStatus(req, reply, caseId, { kind: 'danger', text: err.fields[0]!.message[req.lang] }, 422, err.fields[0]!.message[req.lang]);
      throw err;
    }
  });

  app.get('/status/:caseId/documents/:documentId', async (req: FastifyRequest<{ Params: { caseId: string; documentId: string } }>, reply) => {
    const caseId = await provenCaseId(req, req.params.caseId);
    const own = await applicantDocument(db, caseId, req.params.documentId);
    if (!own) throw new NotFoundError({ de: 'Dieses Dokument gibt es nicht.', en: 'This document does not exist.' });
    const { document, bytes } = await readDocument(deps, own.id);
    return sendAttachment(reply, { fileName: document.fileName, contentType: document.contentType, bytes });
  });

  app.get('/status/:caseId', async (req: FastifyRequest<{ Params: { caseId: string } }>, reply) => {
    const caseId = await provenCaseId(req, req.params.caseId);
    const flash = await takeFlash(db, req.session);
    return renderStatus(req, reply, caseId, flash ? { kind: 'success', text: flash[req.lang] } : undefined);
  });

  app.get('/status/:caseId/actions/:transition', async (req: FastifyRequest<{ Params: { caseId: string; transition: string } }>, reply) => {
    const caseId = await provenCaseId(req, req.params.caseId);
    const row = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    const def = row && catalogue.get(row.service_id);
    if (!row || !def) throw new NotFoundError();
    const events = await db.selectFrom('case_events').selectAll().where('case_id', '=', row.id).orderBy('id').execute();
    const status = toStatus(row, events, def);
    const action = status.applicantActions.find((a) => a.id === req.params.transition);
    if (!action) return reply.redirect(`/status/${caseId}`, 303);
    return sendPage(req, reply, catalogue, { title: action.label[req.lang], body: <ConfirmActionView lang={req.lang} status={status} action={action} csrfToken={reply.generateCsrf()} /> });
  });

  app.post('/status/:caseId/actions/:transition', async (req: FastifyRequest<{ Params: { caseId: string; transition: string }; Body: { version?: string } }>, reply) => {
    const caseId = await provenCaseId(req, req.params.caseId);
    try {
      await transitionCase(deps, { caseId, transitionId: req.params.transition, expectedVersion: Number(req.body?.version) || undefined, actor: { type: 'applicant', caseId }, input: {} });
      app.metrics.businessEvents.inc({ event: `transition.${req.params.transition}`, service: 'applicant' });
      await setFlash(db, req.session!, { de: 'Erledigt.', en: 'Done.' });
      return reply.redirect(`/status/${caseId}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404) return renderStatus(req, reply, caseId, { kind: 'danger', text: err.userMessage[req.lang] }, err.status);
      throw err;
    }
  });
}
