import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { ownedCaseId } from '../cases/citizen-cases.ts';
import { setFlash, takeFlash } from '../identity/sessions.ts';
import { ensureVisitorSession } from '../identity/web-session.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../platform/errors.ts';
import { isCalendarDate } from '../platform/i18n/time.ts';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import {
  acceptOffer,
  appointmentOfCase,
  appointmentService,
  appointmentServices,
  bookAppointment,
  bookingByToken,
  cancelAppointment,
  daysWithPlaces,
  joinWaitlist,
  locationOf,
  manageToken,
  nextFreeSlots,
  rebookAppointment,
  SlotTakenError,
  slotsWithPlaces,
  type AppointmentDeps,
  type AppointmentService,
} from './appointments.ts';
import {
  AppointmentServicesView,
  CancelConfirmView,
  ConfirmSlotView,
  ManageView,
  PickDayView,
  PickLocationView,
  PickTimeView,
  WaitlistJoinedView,
  type AppointmentPanelProps,
  type PickFlow,
} from './appointment-pages.tsx';

type Pick3 = { location?: string; day?: string; time?: string; case?: string };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const str = (v: unknown, max = 300) => (typeof v === 'string' ? v.slice(0, max) : '');

/** The deps the appointment functions need, from the runtime. */
function appointmentDeps(deps: Runtime): AppointmentDeps {
  return { db: deps.db, jobs: deps.jobs, catalogue: deps.catalogue, now: deps.now, secret: deps.config.sessionSecret };
}

/**
 * The citizens' appointment pages: /appointments/book/<service> (place → day → time → e-mail
 * and confirm), the waitlist, and /appointments/manage/<token> behind the link in the mail
 * (move, cancel, accept an offer). A booking for a case (`?case=`) is allowed to whoever may see
 * that case's status page: who proved it with the access code, or the account that owns it.
 */
export async function registerAppointmentRoutes(app: FastifyInstance, deps: Runtime): Promise<void> {
  const { db, catalogue } = deps;
  const ad = appointmentDeps(deps);
  const tz = catalogue.city.timeZone;
  const policy = { secure: deps.config.cookieSecure };
  const bookLimit = { max: 60, timeWindow: 60_000 };

  /** The case a booking is for, if the visitor may see it (proved with the access code, or owns it); 404 otherwise. */
  const provenCase = async (req: FastifyRequest, caseId: string): Promise<string | undefined> => {
    if (caseId === '') return undefined;
    const notYours = new NotFoundError({ de: 'Bitte fragen Sie zuerst den Stand mit Aktenzeichen und Zugangscode ab.', en: 'Please check the status with your reference and access code first.' });
    if (!UUID.test(caseId)) throw notYours;
    const proven = (req.session?.data.provenCases as string[] | undefined) ?? [];
    if (proven.includes(caseId)) return caseId;
    const owned = req.session?.citizenId ? await ownedCaseId(deps, req.session.citizenId, caseId) : undefined;
    if (!owned) throw notYours;
    return owned;
  };
  const referenceOf = async (caseId: string | undefined) => (caseId ? (await db.selectFrom('cases').select('reference').where('id', '=', caseId).executeTakeFirst())?.reference : undefined);
  const accountEmail = async (req: FastifyRequest): Promise<string> => {
    const citizenId = req.session?.citizenId;
    if (!citizenId) return '';
    return (await db.selectFrom('citizens').select('email').where('id', '=', citizenId).executeTakeFirst())?.email ?? '';
  };
  const title = (service: AppointmentService, lang: 'de' | 'en') => `${lang === 'de' ? 'Termin' : 'Appointment'} – ${service.def.title[lang]}`;

  /** The picking pages, shared by booking and rebooking: what is chosen so far decides the step. */
  async function renderPick(req: FastifyRequest, reply: FastifyReply, service: AppointmentService, flow: PickFlow, q: Pick3, extra: { action: string; errors?: readonly FieldProblem[]; email?: string; status?: number; taken?: string; reference?: string | undefined }) {
    const lang = req.lang;
    const common = { lang, def: service.def, purpose: service.settings.purpose, flow };
    const location = locationOf(service, q.location) ?? (service.locations.length === 1 ? service.locations[0] : undefined);
    const email = extra.email ?? (await accountEmail(req));
    const page = (body: ComponentChildren, status = extra.status ?? 200) => sendPage(req, reply, catalogue, { title: title(service, lang), status, hasErrors: (extra.errors?.length ?? 0) > 0 || !!extra.taken, body });
    if (!location) return page(<PickLocationView {...common} locations={service.locations} />);
    const day = q.day && isCalendarDate(q.day) ? q.day : undefined;
    if (!day) return page(<PickDayView {...common} location={location} days={await daysWithPlaces(ad, service, location)} csrfToken={reply.generateCsrf()} email={email} />);
    const slots = await slotsWithPlaces(ad, service, location, day);
    const chosen = q.time ? slots.find((s) => s.time === q.time && s.free > 0) : undefined;
    if (!chosen || extra.taken) {
      const taken = extra.taken ? { message: extra.taken, next: await nextFreeSlots(ad, service, location, day, q.time ?? '') } : undefined;
      return page(<PickTimeView {...common} location={location} day={day} slots={slots} csrfToken={reply.generateCsrf()} email={email} taken={taken} />);
    }
    return page(<ConfirmSlotView {...common} location={location} day={day} time={chosen.time} action={extra.action} csrfToken={reply.generateCsrf()} email={email} errors={extra.errors ?? []} reference={extra.reference} />);
  }

  app.get('/appointments', async (req, reply) =>
    sendPage(req, reply, catalogue, { title: req.lang === 'de' ? 'Termin vereinbaren' : 'Book an appointment', body: <AppointmentServicesView lang={req.lang} services={appointmentServices(catalogue)} /> }),
  );

  /* ---------- booking ---------- */

  app.get('/appointments/book/:serviceId', async (req: FastifyRequest<{ Params: { serviceId: string }; Querystring: Pick3 }>, reply) => {
    const service = appointmentService(catalogue, req.params.serviceId);
    const caseId = await provenCase(req, str(req.query.case, 40));
    const flow: PickFlow = { base: `/appointments/book/${service.def.id}`, keep: caseId ? { case: caseId } : {}, mode: 'book' };
    return renderPick(req, reply, service, flow, { ...req.query }, { action: `/appointments/book/${service.def.id}`, reference: await referenceOf(caseId) });
  });

  app.post('/appointments/book/:serviceId', { config: { rateLimit: bookLimit } }, async (req: FastifyRequest<{ Params: { serviceId: string }; Body: Record<string, unknown> }>, reply) => {
    const service = appointmentService(catalogue, req.params.serviceId);
    const body = req.body ?? {};
    const caseId = await provenCase(req, str(body.case, 40));
    const choice = { location: str(body.location, 100), day: str(body.day, 10), time: str(body.time, 5) };
    const email = str(body.email, 300);
    const flow: PickFlow = { base: `/appointments/book/${service.def.id}`, keep: caseId ? { case: caseId } : {}, mode: 'book' };
    try {
      const booked = await bookAppointment(ad, { serviceId: service.def.id, locationId: choice.location, day: choice.day, time: choice.time, email, caseId });
      app.metrics.businessEvents.inc({ event: 'appointment.booked', service: service.def.id });
      const session = await ensureVisitorSession(req, reply, db, policy);
      await setFlash(db, session, { de: 'Ihr Termin ist gebucht. Die Bestätigung mit dem Termin für Ihren Kalender ist per E-Mail unterwegs.', en: 'Your appointment is booked. The confirmation with the calendar entry is on its way by email.' });
      return reply.redirect(`/appointments/manage/${booked.token}`, 303);
    } catch (err) {
      if (err instanceof SlotTakenError) return renderPick(req, reply, service, flow, choice, { action: flow.base, email, status: 409, taken: err.userMessage[req.lang] });
      if (err instanceof ValidationError) return renderPick(req, reply, service, flow, choice, { action: flow.base, email, status: 422, errors: err.fields, reference: await referenceOf(caseId) });
      if (err instanceof ConflictError) return renderPick(req, reply, service, flow, choice, { action: flow.base, email, status: 409, errors: [{ field: 'time', message: err.userMessage }], reference: await referenceOf(caseId) });
      throw err;
    }
  });

  app.post('/appointments/waitlist/:serviceId', { config: { rateLimit: bookLimit } }, async (req: FastifyRequest<{ Params: { serviceId: string }; Body: Record<string, unknown> }>, reply) => {
    const service = appointmentService(catalogue, req.params.serviceId);
    const body = req.body ?? {};
    const caseId = await provenCase(req, str(body.case, 40));
    const locationId = str(body.location, 100) || undefined;
    const day = str(body.day, 10) || undefined;
    try {
      await joinWaitlist(ad, { serviceId: service.def.id, locationId, day, email: str(body.email, 300) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const flow: PickFlow = { base: `/appointments/book/${service.def.id}`, keep: caseId ? { case: caseId } : {}, mode: 'book' };
      const location = locationOf(service, locationId);
      const message = err.fields[0]!.message[req.lang];
      if (!location) throw err;
      // Back to the page the form was on, with the message at the field.
      const slots = day ? await slotsWithPlaces(ad, service, location, day) : undefined;
      return sendPage(req, reply, catalogue, {
        title: title(service, req.lang),
        status: 422,
        hasErrors: true,
        body: (
          <>
            {slots ? (
              <PickTimeView lang={req.lang} def={service.def} purpose={service.settings.purpose} flow={flow} location={location} day={day!} slots={slots} csrfToken={reply.generateCsrf()} email={str(body.email, 300)} />
            ) : (
              <PickDayView lang={req.lang} def={service.def} purpose={service.settings.purpose} flow={flow} location={location} days={await daysWithPlaces(ad, service, location)} csrfToken={reply.generateCsrf()} email={str(body.email, 300)} />
            )}
            <p class="kern-error" id="waitlist-email-error" role="alert">
              <span class="kern-body">{message}</span>
            </p>
          </>
        ),
      });
    }
    return sendPage(req, reply, catalogue, { title: title(service, req.lang), body: <WaitlistJoinedView lang={req.lang} def={service.def} location={locationOf(service, locationId)} day={day && isCalendarDate(day) ? day : undefined} /> });
  });

  /* ---------- the link in the mail ---------- */

  const renderManage = async (req: FastifyRequest, reply: FastifyReply, token: string, message?: { kind: 'success' | 'danger'; text: string }, status = 200) => {
    const booking = await bookingByToken(ad, token);
    const service = appointmentService(catalogue, booking.serviceId);
    return sendPage(req, reply, catalogue, {
      title: title(service, req.lang),
      status,
      hasErrors: message?.kind === 'danger',
      body: <ManageView lang={req.lang} booking={booking} def={service.def} purpose={service.settings.purpose} location={locationOf(service, booking.locationId)} timeZone={tz} token={token} csrfToken={reply.generateCsrf()} now={deps.now()} message={message} />,
    });
  };

  app.get('/appointments/manage/:token', async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const flash = await takeFlash(db, req.session);
    return renderManage(req, reply, req.params.token, flash ? { kind: 'success', text: flash[req.lang] } : undefined);
  });

  const rebookFlow = (token: string): PickFlow => ({ base: `/appointments/manage/${token}/rebook`, keep: {}, mode: 'rebook' });

  app.get('/appointments/manage/:token/rebook', async (req: FastifyRequest<{ Params: { token: string }; Querystring: Pick3 }>, reply) => {
    const booking = await bookingByToken(ad, req.params.token);
    if (booking.status !== 'booked') return reply.redirect(`/appointments/manage/${req.params.token}`, 303);
    const service = appointmentService(catalogue, booking.serviceId);
    const flow = rebookFlow(req.params.token);
    return renderPick(req, reply, service, flow, { ...req.query, case: undefined }, { action: flow.base });
  });

  app.post('/appointments/manage/:token/rebook', { config: { rateLimit: bookLimit } }, async (req: FastifyRequest<{ Params: { token: string }; Body: Record<string, unknown> }>, reply) => {
    const token = req.params.token;
    const booking = await bookingByToken(ad, token);
    const service = appointmentService(catalogue, booking.serviceId);
    const body = req.body ?? {};
    const choice = { location: str(body.location, 100), day: str(body.day, 10), time: str(body.time, 5) };
    const flow = rebookFlow(token);
    try {
      await rebookAppointment(ad, token, { locationId: choice.location, day: choice.day, time: choice.time });
    } catch (err) {
      if (err instanceof SlotTakenError) return renderPick(req, reply, service, flow, choice, { action: flow.base, status: 409, taken: err.userMessage[req.lang] });
      if (err instanceof ValidationError) return renderPick(req, reply, service, flow, choice, { action: flow.base, status: 422, errors: err.fields });
      if (err instanceof ConflictError) return renderManage(req, reply, token, { kind: 'danger', text: err.userMessage[req.lang] }, 409);
      throw err;
    }
    const session = await ensureVisitorSession(req, reply, db, policy);
    await setFlash(db, session, { de: 'Ihr Termin ist verlegt. Die Bestätigung ist per E-Mail unterwegs; der alte Termin gilt nicht mehr.', en: 'Your appointment is moved. The confirmation is on its way by email; the old time no longer applies.' });
    return reply.redirect(`/appointments/manage/${token}`, 303);
  });

  app.get('/appointments/manage/:token/cancel', async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const booking = await bookingByToken(ad, req.params.token);
    if (booking.status !== 'booked') return reply.redirect(`/appointments/manage/${req.params.token}`, 303);
    const service = appointmentService(catalogue, booking.serviceId);
    return sendPage(req, reply, catalogue, { title: title(service, req.lang), body: <CancelConfirmView lang={req.lang} booking={booking} purpose={service.settings.purpose} timeZone={tz} token={req.params.token} csrfToken={reply.generateCsrf()} /> });
  });

  app.post('/appointments/manage/:token/cancel', async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const token = req.params.token;
    try {
      await cancelAppointment(ad, token);
    } catch (err) {
      if (err instanceof ConflictError) return renderManage(req, reply, token, { kind: 'danger', text: err.userMessage[req.lang] }, 409);
      throw err;
    }
    const session = await ensureVisitorSession(req, reply, db, policy);
    await setFlash(db, session, { de: 'Der Termin ist abgesagt.', en: 'The appointment is cancelled.' });
    return reply.redirect(`/appointments/manage/${token}`, 303);
  });

  app.post('/appointments/manage/:token/accept', async (req: FastifyRequest<{ Params: { token: string } }>, reply) => {
    const token = req.params.token;
    try {
      await acceptOffer(ad, token);
    } catch (err) {
      if (err instanceof ConflictError) return renderManage(req, reply, token, { kind: 'danger', text: err.userMessage[req.lang] }, 409);
      throw err;
    }
    const session = await ensureVisitorSession(req, reply, db, policy);
    await setFlash(db, session, { de: 'Ihr Termin ist gebucht. Die Bestätigung ist per E-Mail unterwegs.', en: 'Your appointment is booked. The confirmation is on its way by email.' });
    return reply.redirect(`/appointments/manage/${token}`, 303);
  });
}

/**
 * What the status page's AppointmentPanel needs for a case, or undefined when the case's service
 * has no appointments. For the integrator: `const a = await appointmentPanelProps(deps, row.id,
 * row.service_id)` and `{a ? <AppointmentPanel lang={lang} {...a} /> : null}`.
 */
export async function appointmentPanelProps(deps: Runtime, caseId: string, serviceId: string): Promise<Omit<AppointmentPanelProps, 'lang'> | undefined> {
  const def = deps.catalogue.get(serviceId);
  if (!def?.appointment) return undefined;
  const booking = await appointmentOfCase(deps, caseId);
  const location = booking ? deps.catalogue.city.locations.find((l) => l.id === booking.locationId) : undefined;
  return {
    caseId,
    serviceId,
    booking,
    manageHref: booking ? `/appointments/manage/${manageToken(deps.config.sessionSecret, booking.id)}` : undefined,
    location,
    timeZone: deps.catalogue.city.timeZone,
  };
}
