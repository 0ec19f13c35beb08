import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setFlash, takeFlash } from '../identity/sessions.ts';
import type { StaffIdentity } from '../identity/staff-auth.ts';
import { ForbiddenError } from '../platform/errors.ts';
import { isCalendarDate, zonedToday } from '../platform/i18n/time.ts';
import { sendPage } from '../portal/shell.tsx';
import type { Runtime } from '../runtime.ts';
import { StaffBar } from '../backoffice/pages.tsx';
import { dayAtLocation, markAttendance, staffLocations } from './appointments.ts';
import { StaffDayView, StaffLocationsView } from './appointment-pages.tsx';
import { addDays } from './slots.ts';

/**
 * The staff's day at a location: /staff/appointments?location=…&day=YYYY-MM-DD. Staff who read
 * cases in the department running the location see its bookings in time order (time, purpose,
 * status, the case reference where linked — no e-mail address) and mark who came.
 */
export function registerStaffAppointmentRoutes(app: FastifyInstance, deps: Runtime, staff: (req: FastifyRequest) => StaffIdentity): void {
  const { db, catalogue } = deps;
  const tz = catalogue.city.timeZone;
  const bar = (req: FastifyRequest, csrfToken: string) => {
    const me = staff(req);
    const departments = [...new Set(me.grants.map((g) => g.departmentId))].map((d) => catalogue.city.departments.find((x) => x.id === d)?.name[req.lang] ?? d);
    return <StaffBar lang={req.lang} staffName={me.displayName} departments={departments} csrfToken={csrfToken} />;
  };

  app.get('/staff/appointments', async (req: FastifyRequest<{ Querystring: { location?: string; day?: string } }>, reply) => {
    const me = staff(req);
    const locations = staffLocations(catalogue, me);
    if (locations.length === 0) throw new ForbiddenError({ de: 'Termine sehen die Mitarbeitenden der Standorte.', en: 'Appointments are for the staff of the locations.' });
    const day = typeof req.query.day === 'string' && isCalendarDate(req.query.day) ? req.query.day : zonedToday(deps.now(), tz);
    const title = req.lang === 'de' ? 'Termine' : 'Appointments';
    const csrfToken = reply.generateCsrf();
    if (typeof req.query.location !== 'string' || req.query.location === '') {
      if (locations.length > 1) return sendPage(req, reply, catalogue, { area: 'staff', title, body: <>{bar(req, csrfToken)}<StaffLocationsView lang={req.lang} locations={locations} day={day} /></> });
    }
    const { location, entries } = await dayAtLocation(deps, me, String(req.query.location || locations[0]!.id), day);
    const flash = await takeFlash(db, req.session);
    return sendPage(req, reply, catalogue, {
      area: 'staff',
      title: `${title}: ${location.name[req.lang]}`,
      body: (
        <>
          {bar(req, csrfToken)}
          <StaffDayView
            lang={req.lang}
            locations={locations}
            location={location}
            day={day}
            entries={entries}
            purposeOf={(id) => catalogue.get(id)?.appointment?.purpose[req.lang] ?? id}
            timeZone={tz}
            csrfToken={csrfToken}
            prevDay={addDays(day, -1)}
            nextDay={addDays(day, 1)}
            done={flash?.[req.lang]}
          />
        </>
      ),
    });
  });

  app.post('/staff/appointments/:bookingId/attendance', async (req: FastifyRequest<{ Params: { bookingId: string }; Body: { status?: string } }>, reply) => {
    const status = req.body?.status === 'no_show' ? 'no_show' : 'attended';
    const marked = await markAttendance(deps, staff(req), req.params.bookingId, status);
    await setFlash(db, req.session!, status === 'attended' ? { de: 'Als erschienen vermerkt.', en: 'Marked as attended.' } : { de: 'Als nicht erschienen vermerkt.', en: 'Marked as a no-show.' });
    return reply.redirect(`/staff/appointments?location=${encodeURIComponent(marked.locationId)}&day=${zonedToday(marked.startsAt, tz)}`, 303);
  });
}
